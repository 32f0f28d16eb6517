"""Shared fixtures: the catalogue of the repository's rules/, and click's runner."""
from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from quanze.catalogue import load_catalogue

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RULES = os.path.join(ROOT, "rules")
LISTS = os.path.join(ROOT, "lists")


@pytest.fixture(scope="session")
def catalogue():
    cat, findings = load_catalogue(RULES)
    assert cat is not None and not [f for f in findings if f.severity == "error"], findings
    return cat


@pytest.fixture
def runner():
    return CliRunner()
