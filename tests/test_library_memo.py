"""`Library.decide` remembers decisions (a request as given) and `Decider` outcomes (a decision class):
both must answer exactly as deciding afresh does, and never let a look-alike value stand for another."""
from __future__ import annotations

import random

from quanze import Library
from quanze.requests import parse_request

from . import generators as gen
from .paths import LISTS


def _fresh(lib, raw):
    request = parse_request(raw, lib.catalogue)
    decider = lib.decider(lib.pick(request.on).id)
    return decider.finish(decider.outcome(request.matter, request.fact_dict), request)


def test_remembered_decisions_are_the_fresh_ones():
    lib = Library.load(LISTS)
    rng = random.Random(5)
    raws = [dict(gen.request(rng, lib.catalogue), on=rng.choice(["2020-06-01", "2022-03-01"])) for _ in range(600)]
    for raw in raws + raws:  # cold, then every one again from the table
        assert lib.decide(raw).to_json() == _fresh(lib, raw).to_json(), raw


def test_a_look_alike_value_is_not_the_remembered_one():
    """`1` is not `true`, and `1.0` is not `1`: the key holds each value's type, so the second request is
    decided (and refused) afresh, not answered from the first."""
    lib = Library.load(LISTS + "/xj-2021")
    good = {"matter": "approve_arrest", "facts": {"has_social_impact": True}}
    assert lib.decide(good).status
    for bad in ({"matter": "approve_arrest", "facts": {"has_social_impact": 1}},
                {"matter": "approve_arrest", "facts": {"has_social_impact": 1.0}}):
        try:
            lib.decide(bad)
        except Exception as exc:  # RequestError: a value of the wrong type
            assert getattr(exc, "code", None) == "bad-value"
        else:
            raise AssertionError(f"{bad} was answered")
