"""Invariants of deciding, over generated lists and requests (hypothesis)."""
from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quanze.decide import Decider
from quanze.model import RANK
from quanze.requests import parse_request

from . import generators as gen

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_counter = iter(range(10**9))


def decider_for(raw, catalogue):
    return Decider(gen.build(raw, catalogue, f"prop-{next(_counter)}"), catalogue)


def scenario(seed, catalogue, complete=False, n_requests=12, exists=True):
    rng = random.Random(seed)
    raw = gen.raw_list(rng, catalogue, exists=exists, scoped=random.Random(f"scope-{seed}"))
    requests = [parse_request(gen.request(rng, catalogue, complete=complete), catalogue) for _ in range(n_requests)]
    return rng, raw, requests


@SETTINGS
@given(seed=st.integers(0, 2**32))
def test_adding_an_item_never_lowers_the_required_authority(catalogue, seed):
    rng, raw, requests = scenario(seed, catalogue, complete=True)
    before = decider_for(raw, catalogue)
    extra = gen.raw_list(rng, catalogue, n_items=1)["items"][0]
    extra["id"] = "EXTRA"
    after = decider_for({**raw, "items": raw["items"] + [extra]}, catalogue)
    for req in requests:
        a, b = before.decide(req), after.decide(req)
        assert a.status == b.status  # complete requests: items never change forbidden / ok
        if a.status == "ok" and not a.uncovered:  # the fallback is the one exception: an item delegates it
            assert RANK[b.authority] >= RANK[a.authority], (raw, extra, req)


@SETTINGS
@given(seed=st.integers(0, 2**32), which=st.integers(0, 100))
def test_raising_an_item_never_lowers_the_required_authority(catalogue, seed, which):
    rng, raw, requests = scenario(seed, catalogue, complete=True)
    items = [dict(it) for it in raw["items"]]
    target = items[which % len(items)]
    higher = [a for a in gen.AUTH if RANK[a] > RANK[target["decides"]]]
    if not higher:
        return
    target["decides"] = rng.choice(higher)
    before, after = decider_for(raw, catalogue), decider_for({**raw, "items": items}, catalogue)
    for req in requests:
        a, b = before.decide(req), after.decide(req)
        if a.status == "ok":
            assert RANK[b.authority] >= RANK[a.authority]


@SETTINGS
@given(seed=st.integers(0, 2**32), shuffle=st.randoms(use_true_random=False))
def test_the_order_of_items_never_changes_a_decision(catalogue, seed, shuffle):
    _, raw, requests = scenario(seed, catalogue)
    items = list(raw["items"])
    shuffle.shuffle(items)
    a, b = decider_for(raw, catalogue), decider_for({**raw, "items": items}, catalogue)
    for req in requests:
        x, y = a.decide(req).to_json(), b.decide(req).to_json()
        x.pop("list"), y.pop("list")
        for d in (x, y):  # the same items, at other places in the generated file
            for r in d["because"]:
                r.pop("source")
        assert x == y


@SETTINGS
@given(seed=st.integers(0, 2**32))
def test_decisions_are_deterministic_and_leave_no_fact_in_the_engine(catalogue, seed):
    _, raw, requests = scenario(seed, catalogue)
    decider = decider_for(raw, catalogue)
    for req in requests:
        first = decider.decide(req)
        assert decider.decide(req) == first
        assert decider.rules(req.matter).compiled.live_facts() == 0


@SETTINGS
@given(seed=st.integers(0, 2**32))
def test_a_missing_fact_is_asked_only_if_some_answer_changes_the_decision(catalogue, seed):
    # without `exists` tests, where the absence of a fact is itself information
    rng, raw, requests = scenario(seed, catalogue, exists=False)
    decider = decider_for(raw, catalogue)
    for req in requests:
        d = decider.decide(req)
        facts = req.fact_dict
        mr = decider.rules(req.matter)
        for missing in d.missing_facts:
            outcomes = set()
            for value in mr.space.values(missing.fact):
                filled = {**facts, missing.fact: value}
                for other in mr.space.each([f for f in mr.reads if f not in filled], 4096, base=filled):
                    e = decider.decide(parse_request({"matter": req.matter, "facts": other}, catalogue))
                    outcomes.add((e.status, e.authority))
            assert len(outcomes) > 1, (raw, req, missing.fact)
        if d.status != "undetermined":
            complete = {f: mr.space.values(f)[0] for f in mr.reads if f not in facts}
            e = decider.decide(parse_request({"matter": req.matter, "facts": {**facts, **complete}}, catalogue))
            assert (e.status, e.authority) == (d.status, d.authority)


def _same(a, b) -> bool:
    x, y = a.to_json(), b.to_json()
    x.pop("list"), y.pop("list")
    return x == y


@SETTINGS
@given(seed=st.integers(0, 2**32))
def test_a_reporting_rule_is_no_rule_of_a_matter_outside_its_scope(catalogue, seed):
    """On a matter outside a reporting rule's scope (`matters:`, `lines:`), the list decides as if the
    rule were not there (it reads no fact, asks nothing, owes nothing); on a matter inside it, as if
    it had no scope."""
    rng = random.Random(seed)
    raw = gen.raw_list(rng, catalogue)
    rule = {"id": "R-S", "applies_to": [rng.choice(gen.AUTH)], "when": gen.condition(rng, catalogue),
            "report_to": ["superior_procuratorate"], **gen.scope(rng, catalogue)}
    if "matters" not in rule and "lines" not in rule:
        rule["matters"] = [rng.choice(gen.MATTERS)]
    scoped = decider_for({**raw, "reporting": raw["reporting"] + [rule]}, catalogue)
    unscoped = decider_for({**raw, "reporting": raw["reporting"] + [
        {k: v for k, v in rule.items() if k not in ("matters", "lines")}]}, catalogue)
    without = decider_for(raw, catalogue)
    for _ in range(12):
        req = parse_request(gen.request(rng, catalogue), catalogue)
        inside = (req.matter in rule.get("matters", [req.matter])
                  and catalogue.matters[req.matter].line in rule.get("lines", [catalogue.matters[req.matter].line]))
        assert _same(scoped.decide(req), (unscoped if inside else without).decide(req)), (rule, req)
