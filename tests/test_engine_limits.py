"""The measured limits of durable-rules (shared/notes/durable-rules.md), met by sharding: a list with
600 matters (the engine hangs at 512 distinct first-level tests in one ruleset) and a matter with 80
items (it errs past 64 simultaneous matches); and within one rule, by compiling long runs of values
to ranges and refusing at validation what no form fits (`condition-too-large`)."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quanze import backend, conditions
from quanze.decide import Decider
from quanze.model import All, Any, Item, Leaf, Matter, Not, Part, Text
from quanze.operators import RANGE_RUN, RULE_TESTS, shape
from quanze.place import Place
from quanze.requests import parse_request

from . import generators as gen


def test_a_matter_with_80_items_all_matching_at_once(catalogue):
    items = tuple(Item(f"I{i:03d}", "sentencing_recommendation", "prosecutor",
                       "procurator_general" if i == 79 else "prosecutor", None, Place("x.yaml", i)) for i in range(80))
    raw = {"items": [], "reporting": []}
    the_list = replace(gen.build(raw, catalogue, "eighty"), parts=(Part("prosecutor", "x.yaml", items),))
    decider = Decider(the_list, catalogue)
    d = decider.decide(parse_request({"matter": "sentencing_recommendation", "actor": "prosecutor"}, catalogue))
    assert d.status == "ok" and d.authority == "procurator_general"
    assert len([r for r in d.because if r.kind == "item"]) == 80
    assert len(decider.rules("sentencing_recommendation").compiled.handles) >= 2  # sharded below 64 matches a ruleset


def test_a_list_with_600_matters(catalogue):
    matters = dict(catalogue.matters)
    for i in range(600 - len(matters)):
        code = f"generated_matter_{i:03d}"
        matters[code] = Matter(code, Text(code, code), "ordinary_crime", "criminal")
    big = replace(catalogue, matters=matters)
    items = tuple(Item(f"M{i:03d}", code, "prosecutor", "prosecutor",
                       Leaf("prior_supplementary_returns", "lt", i % 7), Place("x.yaml", i))
                  for i, code in enumerate(sorted(matters)))
    the_list = replace(gen.build({"items": [], "reporting": []}, big, "six-hundred"),
                       parts=(Part("prosecutor", "x.yaml", items),))
    decider = Decider(the_list, big)
    decider.compile_all()
    for i, code in enumerate(sorted(matters)):
        d = decider.decide(parse_request({"matter": code, "facts": {"prior_supplementary_returns": 3}}, big))
        if code.startswith("generated_matter_"):
            matched = 3 < i % 7  # the item reads `prior_supplementary_returns < i % 7`
            assert (d.status, d.authority, d.uncovered) == (
                ("ok", "prosecutor", False) if matched else ("ok", "procurator_general", True))
    assert backend.loaded_rulesets() >= 600


def test_an_engine_error_is_a_clear_error_not_a_crash(catalogue, monkeypatch):
    decider = Decider(gen.build({"items": [{"id": "A", "matter": "sentencing_recommendation", "decides": "prosecutor"}],
                                 "reporting": []}, catalogue, "broken"), catalogue)
    compiled = decider.rules("sentencing_recommendation").compiled

    def refuse(handle, text):
        raise backend._dr.error("Could not assert fact, error code: 303")

    monkeypatch.setattr(backend._dr, "assert_fact", refuse)
    try:
        compiled.fire({"case_source": "other"})
    except backend.EngineError as exc:
        assert "303" in str(exc)
    else:
        raise AssertionError("an engine error must surface as EngineError")


# --- long membership lists (issue 11, item 12) -------------------------------------------------------
# An `$or` of 513 equalities on one field makes durable-rules' create_ruleset loop forever holding the
# GIL, so these run quanze in a child process: a timeout there is a hang detected, not a speed measured.

QUANZE = os.path.join(os.path.dirname(sys.executable), "quanze")


def _membership_list(folder, values) -> str:
    os.makedirs(folder)
    with open(os.path.join(folder, "list.yaml"), "w", encoding="utf-8") as f:
        f.write("id: long\ntitle: {zh: 长列表, en: long list}\nissuer: {zh: 测试, en: test}\nlevel: provincial\n"
                "effective_from: 2021-01-01\nparts:\n  prosecutor: prosecutor.yaml\n")
    with open(os.path.join(folder, "prosecutor.yaml"), "w", encoding="utf-8") as f:
        f.write("part: prosecutor\nitems:\n"
                "  - {id: P-1, matter: issue_oral_correction, responsibility: {zh: 负责, en: answers}, basis: ['《人民检察院刑事诉讼规则》第五百五十二条']}\n"
                "  - id: P-2\n    matter: issue_oral_correction\n    decides: procuratorial_committee\n"
                f"    when: {{fact: prior_supplementary_returns, in: [{', '.join(map(str, values))}]}}\n"
                "    responsibility: {zh: 负责, en: answers}\n    basis: ['《人民检察院刑事诉讼规则》第五百五十二条']\n")
    return str(folder)


@pytest.mark.parametrize("size", [600, 3000])
def test_a_long_run_of_values_validates_and_decides(tmp_path, size):
    """`in: [0, 1, ..., N-1]` compiles to one range test: it validates, and `check` decides inside and
    outside the run (before, N = 513 or more hung the engine)."""
    folder = _membership_list(tmp_path / "long", range(size))
    done = subprocess.run([QUANZE, "validate", folder], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    probes = [0, 1, size // 2, size - 1, size, size + 1, 10 * size, 2 ** 63, 2 ** 70]
    lines = "".join(json.dumps({"matter": "issue_oral_correction", "actor": "prosecutor",
                                "facts": {"prior_supplementary_returns": v}}) + "\n" for v in probes)
    done = subprocess.run([QUANZE, "check", folder, "-", "--no-cache", "--format", "jsonl"], input=lines,
                          capture_output=True, text=True, timeout=120)
    got = [json.loads(line)["authority"] for line in done.stdout.splitlines()]
    assert got == ["procuratorial_committee" if v < size else "prosecutor" for v in probes], done.stderr


def test_a_long_list_without_runs_is_refused_at_its_line(tmp_path):
    folder = _membership_list(tmp_path / "scattered", range(0, 1200, 2))
    done = subprocess.run([QUANZE, "validate", folder, "--lang", "en"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "prosecutor.yaml:7: condition-too-large: `in` of 600 values" in done.stdout
    done = subprocess.run([QUANZE, "decide", folder, "-m", "issue_oral_correction", "-a", "prosecutor"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "condition-too-large" in done.stderr


def test_what_no_form_fits_is_refused_with_both_sizes(catalogue):
    """60 runs of 8: 480 tests as values, 61 groups as ranges; either way more than a rule holds."""
    runs = [v for r in range(60) for v in range(20 * r, 20 * r + 8)]
    cond, problems = conditions.parse({"fact": "prior_supplementary_returns", "in": runs}, catalogue.facts, ("when",))
    assert [(path, code) for path, code, _ in problems] == [(("when", "in"), "condition-too-large")]
    assert "480 tests (or 61 all/any groups with its runs of consecutive integers as ranges)" in problems[0][2].en
    _, problems = conditions.parse({"fact": "prior_supplementary_returns", "in": runs[:400]}, catalogue.facts, ())
    assert problems == []


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2 ** 32))
def test_runs_compiled_as_ranges_answer_as_evaluate(seed):
    """Where one test per value would not fit a rule, runs of consecutive integers become ranges (and
    `not_in`'s, under negation, their complements): durable-rules must answer as `evaluate` does on
    every edge of every run, in `in` and `not_in`, alone, negated and inside `all`/`any`."""
    rng = random.Random(seed)
    start, length = rng.randint(0, 50), rng.randint(RULE_TESTS + 1, RULE_TESTS + 60)
    values = list(range(start, start + length))
    if rng.random() < 0.5:  # a second run, short enough to stay values where the first is a range
        second = start + length + rng.randint(2, 5)
        values += range(second, second + rng.randint(RANGE_RUN - 1, RANGE_RUN + 2))
    values += [rng.randint(0, start + length + 40) for _ in range(rng.randint(0, 5))]
    rng.shuffle(values)
    leaf = Leaf("prior_supplementary_returns", rng.choice(["in", "not_in"]), tuple(values))
    other = Leaf("has_social_impact", "is", True)
    cond = rng.choice([leaf, Not(leaf), All((leaf, other)), Any((leaf, other)), Not(Any((leaf, other)))])
    assert shape(conditions.durable(cond))[0] < len(values), "the test must reach the ranged form"
    compiled = backend.compile_rules(f"ranges{seed}", [(0, cond)])
    edges = {0, 2 ** 63, 2 ** 70}
    for v in set(values):
        edges.update((v - 1, v, v + 1))
    for v in sorted(edges):
        for social in (True, False, None):
            facts = {"prior_supplementary_returns": v, "has_social_impact": social}
            facts = {k: x for k, x in facts.items() if x is not None}
            assert (0 in compiled.fire(facts)) == (conditions.evaluate(cond, facts) is True), (cond, facts)
