"""The measured limits of durable-rules (shared/notes/durable-rules.md), met by sharding: a list with
600 matters (the engine hangs at 512 distinct first-level tests in one ruleset) and a matter with 80
items (it errs past 64 simultaneous matches)."""
from __future__ import annotations

from dataclasses import replace

from quanze import backend
from quanze.decide import Decider
from quanze.model import Item, Leaf, Matter, Part, Text
from quanze.requests import parse_request

from . import generators as gen


def test_a_matter_with_80_items_all_matching_at_once(catalogue):
    items = tuple(Item(f"I{i:03d}", "sentencing_recommendation", "prosecutor",
                       "procurator_general" if i == 79 else "prosecutor", None, f"x.yaml:{i}") for i in range(80))
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
                       Leaf("prior_supplementary_returns", "lt", i % 7), f"x.yaml:{i}")
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
