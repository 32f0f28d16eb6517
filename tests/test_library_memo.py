"""`Library.decide` remembers decisions (by decision class, actor, day and vote) and `Decider` outcomes (a
decision class): both must answer exactly as deciding afresh does, and never let a look-alike value stand for
another."""
from __future__ import annotations

import datetime
import random
import types

import pytest

from quanze import Library, library
from quanze.requests import RequestError, parse_request

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


def test_a_remembered_decision_serves_each_case_as_its_own():
    """The decision of a situation is kept for whichever case came first; another case of the same
    situation gets it with its own case, and the first keeps its own. A case of the wrong type is
    refused as `parse_request` refuses it, though the situation is remembered."""
    lib = Library.load(LISTS + "/xj-2021")
    ask = {"matter": "approve_arrest", "actor": "prosecutor", "facts": {"has_social_impact": True}}
    first = lib.decide(dict(ask, case="A-1"))
    second = lib.decide(dict(ask, case=7))
    assert (first.case, second.case) == ("A-1", 7)
    assert second.to_json() == dict(first.to_json(), case=7)
    assert lib.decide(dict(ask, case="A-1")).case == "A-1"
    with pytest.raises(RequestError) as refused:
        lib.decide(dict(ask, case=["A-1"]))
    assert refused.value.code == "bad-request"


def test_without_on_the_list_in_force_is_the_one_of_the_day_asked(monkeypatch):
    """A request without `on` is decided under the list in force today; a server runs past midnight,
    and on the day a new version comes into force the same request gets the new list, not the one the
    memo picked the day before."""
    class Day(datetime.date):
        now = datetime.date(2021, 10, 31)  # the last day of xj-2019

        @classmethod
        def today(cls):
            return cls.now

    monkeypatch.setattr(library, "datetime", types.SimpleNamespace(date=Day))
    lib = Library.load(LISTS)
    ask = {"matter": "extend_review_period", "actor": "prosecutor", "case": "D-1"}
    assert lib.decide(ask).list_id == "xj-2019"
    Day.now = datetime.date(2021, 11, 1)  # xj-2021 comes into force
    assert lib.decide(ask).list_id == "xj-2021"
    assert lib.decide(dict(ask, case="D-2")).list_id == "xj-2021"
