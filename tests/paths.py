"""Where the repository's rules and sample lists are, for tests that read them."""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RULES = os.path.join(ROOT, "rules")
LISTS = os.path.join(ROOT, "lists")
