"""Differential test: the durable-rules path against an independent plain-Python reference, on
100,000 generated (list, request) pairs — which rules fire, for complete requests the decision, and for
a request lacking facts which rules fire on a completion of it (`exists` reading the request)."""
from __future__ import annotations

import random

import yaml

from quanze.decide import Decider
from quanze.requests import parse_request

from . import generators as gen
from .reference import decide_complete, fires

LISTS = 400
REQUESTS_PER_LIST = 250


def raw_statutes(catalogue):
    with open(catalogue.folder + "/statutory.yaml", encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=yaml.BaseLoader if False else yaml.SafeLoader)
    out = []
    for r in data["rules"]:
        matters = r["matter"] if isinstance(r["matter"], list) else [r["matter"]]
        out.append({"id": r["id"], "matters": matters, "when": r.get("when"), "forbid": bool(r.get("forbid")),
                    "floor": r.get("floor")})
    return out


def test_durable_rules_agrees_with_the_reference_on_100000_pairs(catalogue):
    rng = random.Random(20221127)
    fill = random.Random(20240601)  # draws of its own: the lists and requests stay as they were
    statutes = raw_statutes(catalogue)
    pairs = disagreements = 0
    for n in range(LISTS):
        raw = gen.raw_list(rng, catalogue)
        decider = Decider(gen.build(raw, catalogue, f"diff-{n}"), catalogue)
        for _ in range(REQUESTS_PER_LIST):
            complete = rng.random() < 0.3
            req = gen.request(rng, catalogue, complete=complete)
            matter, facts = req["matter"], req["facts"]
            mr = decider.rules(matter)
            items = [it for it in raw["items"] if it["matter"] == matter]
            on_matter = [s for s in statutes if matter in s["matters"]]
            conds = [it.get("when") for it in items] + [s["when"] for s in on_matter] + [r.get("when") for r in raw["reporting"]]
            expected = {k for k, cond in enumerate(conds) if fires(cond, facts)}
            got = set(mr.compiled.fire(facts))
            pairs += 1
            if got != expected:
                disagreements += 1
                assert got == expected, (raw, req)
            missing = [f for f in gen.FACTS if f not in facts]
            if missing:  # a completion, as `Decider.outcome` fires it: `exists` reads the request
                filled = {**facts, **{f: gen.value_for(fill, catalogue, f) for f in missing}}
                expected = {k for k, cond in enumerate(conds) if fires(cond, filled, facts)}
                got = set(mr.compiled.fire(filled, facts))
                assert got == expected, (raw, req, filled)
            if complete:
                decision = decider.decide(parse_request(req, catalogue))
                assert (decision.status, decision.authority) == decide_complete(items, on_matter, matter, facts), (raw, req)
    assert pairs == LISTS * REQUESTS_PER_LIST >= 100_000
    assert disagreements == 0
