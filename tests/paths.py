"""Where the repository's rules and sample lists are, for tests that read them; and the fixture
catalogue of every fact type (invented, for tests only) with a list that reads its dates and texts."""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RULES = os.path.join(ROOT, "rules")
LISTS = os.path.join(ROOT, "lists")
TYPED_RULES = os.path.join(ROOT, "tests", "fixtures", "typed-rules")
TYPED_LIST = os.path.join(ROOT, "tests", "fixtures", "typed-list")
