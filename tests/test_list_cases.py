"""Each sample list's own `cases.yaml`, collected as pytest cases (as openfisca collects YAML tests)."""
from __future__ import annotations

import glob
import os

import pytest

from quanze import Library
from quanze.cases import load_cases, run_case

from .paths import LISTS

# the sample lists, and the probe of the statutory rules (each case names the article it checks)
PROBE = os.path.join(os.path.dirname(__file__), "law", "probe")
FOLDERS = sorted(os.path.dirname(p) for p in glob.glob(os.path.join(LISTS, "*", "cases.yaml"))) + [PROBE]
_libraries: dict = {}


def _collect():
    out = []
    for folder in FOLDERS:
        cases, findings = load_cases(folder)
        assert not findings, findings
        out.extend(pytest.param(folder, case, id=f"{os.path.basename(folder)}: {case.name}") for case in cases)
    return out


@pytest.mark.parametrize("folder,case", _collect())
def test_list_case(folder, case, catalogue):
    lib = _libraries.get(folder) or _libraries.setdefault(folder, Library.load(folder, catalogue=catalogue))
    outcome = run_case(lib, case)
    assert outcome.error is None, f"{case.source}: {outcome.error}"
    assert not outcome.mismatches, f"{case.source}: " + "; ".join(
        f"{p}: expected {e!r}, got {g!r}" for p, e, g in outcome.mismatches)


def test_every_sample_list_has_cases():
    assert {os.path.basename(f) for f in FOLDERS} >= {"xj-2019", "xj-2021", "probe"}
