"""The upper list binds a lower one as a statutory floor does (docs/list-format.md "An upper list"):
properties over generated pairs of lists, held against the independent reference (`reference.py`).

- A lower list identical to its upper list is never below it.
- Lowering one item of such a copy gives a `below-upper-list` or `upper-list-sometimes` finding at that
  item's place exactly when the copy then requires less than the upper list in some situation where
  the item matches — `below-upper-list` where it does so in every such situation (the reference
  enumerates the situations itself). An item whose every situation is covered by another item at its
  old rank or above lowers no decision, and draws none; nor does one that matches only where the law
  forbids the action (it grants no lawful power: `always-forbidden`).
- Deciding with a lower list (never validated, read from disk beside two versions of its upper list)
  gives what the reference gives, which reads the folder of lists itself (`read_library`) and finds
  the upper list in force on its own; and never requires less than the upper list requires in any
  situation its items decide.
"""
from __future__ import annotations

import itertools
import os
import random
import tempfile
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quanze.decide import Decider
from quanze.hierarchy import load_with_upper
from quanze.requests import parse_request
from quanze.validate import check_list

from . import generators as gen
from .paths import RULES
from .reference import (RANKS, _constants, decide_complete, fires, raw_rules, read_library, reads, representatives,
                        upper_list)

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
BELOW = ("below-upper-list", "upper-list-sometimes")
# the generators' matters, and two whose statutes name bodies above the committee at fixed levels
MATTERS = gen.MATTERS + ["approve_detention_extension", "decide_discretionary_investigation"]
_counter = itertools.count()


def _pair(rng, catalogue, lower_level: str = "grassroots"):
    """A generated upper list (provincial) and a lower list copying its items under other ids."""
    raw = gen.raw_list(rng, catalogue, exists=False)  # validation reads complete situations
    copy = {"items": [dict(it, id="L" + it["id"]) for it in raw["items"]], "reporting": []}
    n = next(_counter)
    upper = gen.build(raw, catalogue, f"up-{n}")
    lower = replace(gen.build(copy, catalogue, f"low-{n}"), level=lower_level, conforms_to=upper.id, upper=upper)
    return raw, copy, upper, lower


def _situations(items: list, fact_defs: dict):
    """Every complete situation over the facts `items` read (the reference's own representatives)."""
    facts = list(dict.fromkeys(f for it in items for f in reads(it.get("when"))))
    values = [representatives(fact_defs[f], [v for it in items for v in _constants(it.get("when"), f)]) for f in facts]
    for combo in itertools.product(*values):
        yield dict(zip(facts, combo))


def _top(items: list, situation: dict) -> int:
    """The rank of the highest of `items` that match in `situation`; -1 where none does."""
    return max((RANKS.index(it["decides"]) for it in items if fires(it.get("when"), situation)), default=-1)


@SETTINGS
@given(seed=st.integers(0, 2**32), level=st.sampled_from(["grassroots", "municipal"]))
def test_a_lower_list_identical_to_its_upper_list_is_never_below_it(catalogue, seed, level):
    _, _, _, lower = _pair(random.Random(seed), catalogue, level)
    assert not [f for f in check_list(lower, catalogue) if f.code in BELOW]


@SETTINGS
@given(seed=st.integers(0, 2**32), which=st.integers(0, 100))
def test_lowering_one_item_is_found_at_its_place_exactly_when_it_lowers_a_decision(catalogue, seed, which):
    rng = random.Random(seed)
    raw, copy, upper, _ = _pair(rng, catalogue)
    # an item that can be lowered: one above the lowest authority the generator draws
    liftable = [i for i, it in enumerate(copy["items"]) if RANKS.index(it["decides"]) > RANKS.index(gen.AUTH[0])]
    if not liftable:
        return
    index = liftable[which % len(liftable)]
    target = copy["items"][index]
    target["decides"] = rng.choice([a for a in gen.AUTH if RANKS.index(a) < RANKS.index(target["decides"])])
    lower = replace(gen.build(copy, catalogue, f"low-{next(_counter)}"), level="grassroots", conforms_to=upper.id,
                    upper=upper)
    statutes, fact_defs = raw_rules(RULES)
    on_matter = [it for it in raw["items"] if it["matter"] == target["matter"]]
    mine = [it for it in copy["items"] if it["matter"] == target["matter"]]
    # the law's prohibitions on the matter, as conditions: an item that matches only where one of them
    # holds grants no lawful power (`always-forbidden`), so it lowers no lawful decision
    forbids = [{"when": r["when"]} for r in statutes if r["forbid"] and target["matter"] in r["matters"]]
    matching = below = lawful = 0
    for s in _situations(on_matter + mine + forbids, fact_defs):
        if fires(target.get("when"), s):
            matching += 1
            lawful += not any(fires(r["when"], s) for r in forbids)
            below += _top(mine, s) < _top(on_matter, s)
    found = [f for f in check_list(lower, catalogue) if f.code in BELOW and f.line == index + 1]
    expected = [] if not below or not lawful else ["below-upper-list" if below == matching else "upper-list-sometimes"]
    assert [f.code for f in found] == expected, (raw, copy, index)
    assert all(f"`{target['id']}`" in f.message.en for f in found)


@SETTINGS
@given(seed=st.integers(0, 2**32), level=st.sampled_from(["grassroots", "municipal"]),
       start=st.sampled_from(["2020-06-01", "2022-06-01"]))
def test_a_lower_list_decides_as_the_reference_and_never_less_than_its_upper_list(catalogue, seed, level, start):
    rng = random.Random(seed)
    statutes, fact_defs = raw_rules(RULES)
    old, new = (gen.raw_list(rng, catalogue, matters=MATTERS) for _ in range(2))
    low = gen.raw_list(rng, catalogue, matters=MATTERS)
    heads = [{"id": "up-old", "level": "provincial", "effective_from": "2019-01-01", "effective_to": "2021-10-31"},
             {"id": "up-new", "level": "provincial", "effective_from": "2021-11-01", "supersedes": "up-old"},
             {"id": "low", "level": level, "effective_from": start, "conforms_to": "up-new"}]
    with tempfile.TemporaryDirectory() as tmp:
        for head, raw in zip(heads, (old, new, low)):
            gen.write_folder(os.path.join(tmp, head["id"]), head, raw)
        lower, found = load_with_upper(os.path.join(tmp, "low"), catalogue)
        assert lower is not None and found.ok, found
        # the reference reads the folder on its own and finds the upper list in force itself
        library = read_library(tmp)
    mine = next(l for l in library if l["id"] == "low")
    chosen = upper_list(mine, [l for l in library if l is not mine])
    assert chosen is not None and lower.upper is not None and lower.upper.id == chosen["id"]
    assert chosen["id"] == ("up-old" if start < "2021-11-01" else "up-new")  # both versions are reachable
    low, upper_raw = mine, chosen
    lower_decider, upper_decider = Decider(lower, catalogue), Decider(lower.upper, catalogue)
    for _ in range(12):
        matter = rng.choice(MATTERS)
        items = [it for it in low["items"] if it["matter"] == matter]
        uppers = [it for it in upper_raw["items"] if it["matter"] == matter]
        binding = [s for s in statutes if matter in s["matters"] and (not s["levels"] or level in s["levels"])]
        at_upper = [s for s in statutes if matter in s["matters"] and (not s["levels"] or "provincial" in s["levels"])]
        facts = list(dict.fromkeys(f for c in [it.get("when") for it in items + uppers] + [s["when"] for s in binding
                                                                                          + at_upper] for f in reads(c)))
        given = {f: gen.value_for(rng, catalogue, f) for f in facts}
        request = parse_request({"matter": matter, "facts": given}, catalogue)
        got = lower_decider.decide(request)
        want = decide_complete(items, binding, matter, given, level=mine["level"], upper_items=uppers)
        assert (got.status, got.authority) == want, (low, upper_raw, matter, given)
        theirs = upper_decider.decide(request)
        assert theirs.status == decide_complete(uppers, at_upper, matter, given, level=upper_raw["level"])[0]
        if theirs.status == "forbidden":
            assert got.status == "forbidden"
        elif theirs.status == "ok" and not theirs.uncovered and got.status == "ok":
            assert RANKS.index(got.authority) >= RANKS.index(theirs.authority), (low, upper_raw, matter, given)
