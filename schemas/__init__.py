"""The JSON Schemas, shipped inside the package as `quanze.schema_files` (data only)."""
