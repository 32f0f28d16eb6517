"""The catalogue and statutory rules, shipped inside the package as `quanze.rules` (data only)."""
