"""Fixtures shared by quanze's test files. Keep this file small and each fixture documented here;
a fixture only one test file needs belongs in that file.

- `catalogue` (session): the catalogue loaded from the repository's `rules/` (the law as shipped),
  checked to load without errors. Loading parses every rules file, hence the session scope; the
  catalogue is a frozen dataclass, so tests cannot change it for each other.
- `runner`: a click `CliRunner` for invoking `cli.main` in-process. Its result has `.exit_code`,
  `.stdout`, `.stderr` and `.output` (both streams, as a terminal shows them).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from quanze.catalogue import load_catalogue

RULES = Path(__file__).resolve().parent.parent / "rules"


@pytest.fixture(scope="session")
def catalogue():
    cat, findings = load_catalogue(str(RULES))
    errors = [f.format() for f in findings.errors]
    assert cat is not None and not errors, errors
    return cat


@pytest.fixture
def runner():
    return CliRunner()
