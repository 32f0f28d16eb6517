"""Differential test: the durable-rules path against an independent plain-Python reference
(`reference.py`), on generated (list, request) pairs over two catalogues — the shipped one, and the
fixture catalogue of every fact type (`fixtures/typed-rules`: booleans, integers, enums, dates, texts).

For every pair it checks which rules fire on the request and on a completion of it (`exists` reading the
request); for a complete request the decision (status, authority, uncovered, obligations); and for a
request lacking facts the missing facts (DESIGN.md "Deciding", step 4): a fact the engine asks must be
one whose answer alone changes the status or the authority in some completion, every such fact must be
asked, and where no completion differs the decision is the one they all share. The reference
enumerates the completions itself, within the engine's bound of 512 situations; requests past it are
not checked here (they are `bounded`, a question of their own).
"""
from __future__ import annotations

import random

import pytest

from quanze.catalogue import load_catalogue
from quanze.decide import Decider
from quanze.requests import parse_request

from . import generators as gen
from .paths import RULES, TYPED_RULES
from .reference import decide_complete, fires, matter_lines, obligations_complete, open_question, raw_rules, reporting_on

BOUND = 512  # the engine's enumeration bound (`decide.COMPLETION_LIMIT`), written here from the contract
OPERATORS = {"is", "eq", "ne", "in", "not_in", "exists"}
ORDER = {"lt", "lte", "gt", "gte"}

# the shipped catalogue: the generators' facts and matters, and the matters whose statutes read dates
# of judgment, counts of days and minority (forbid and floor, on integers, enums and booleans)
SHIPPED_FACTS = gen.FACTS + ["judgment_kind", "days_since_judgment_received", "suspect_is_minor",
                             "minor_or_guardian_objects",
                             # and what the statutes on those matters read besides (刑诉法第一百零五条、第一百七十二条,
                             # 规则第一百四十八条、第二百九十四条、第二百九十五条、第三百二十条、第三百五十一条)
                             "crime_endangers_national_security", "fast_track_procedure",
                             "foreign_relations_or_legal_difficulty", "limitation_period_expired",
                             "max_penalty_life_or_death", "period_ends_after_holiday", "possible_sentence_over_one_year",
                             "prior_review_extensions", "protest_mailed_before_expiry", "suspect_is_foreign_or_stateless",
                             "suspect_is_peoples_congress_deputy"]
SHIPPED_MATTERS = gen.MATTERS + ["file_second_instance_protest", "decide_conditional_non_prosecution",
                                 "disapprove_arrest"]


@pytest.fixture(scope="module")
def typed_catalogue():
    cat, findings = load_catalogue(TYPED_RULES)
    assert cat is not None and findings.ok, findings
    return cat


def leaves(cond):
    if cond is None:
        return
    for key in ("all", "any"):
        if key in cond:
            for c in cond[key]:
                yield from leaves(c)
            return
    if "not" in cond:
        yield from leaves(cond["not"])
    else:
        yield cond


def differential(catalogue, folder, facts, matters, lists, per_list, seed) -> dict:
    """Run the differential on `lists` generated lists of `per_list` requests each; what was seen."""
    rng = random.Random(seed)
    fill = random.Random(seed + 1)  # draws of its own: the lists and requests stay as they are
    scopes = random.Random(seed + 2)  # reporting rules' scopes: draws of their own, as `fill`'s
    statutes, fact_defs = raw_rules(folder)
    lines = matter_lines(folder)
    seen = {"ops": set(), "matters": set(), "statuses": set(), "asked": set(), "checked": 0, "skipped": 0,
            "scoped": {"in": 0, "out": 0}}
    for n in range(lists):
        raw = gen.raw_list(rng, catalogue, matters=matters, facts=facts, scoped=scopes)
        decider = Decider(gen.build(raw, catalogue, f"diff-{seed}-{n}"), catalogue)
        for rule in raw["items"] + raw["reporting"]:
            seen["ops"] |= {(catalogue.facts[leaf["fact"]].type, next(k for k in leaf if k != "fact"))
                            for leaf in leaves(rule.get("when"))}
        for _ in range(per_list):
            complete = rng.random() < 0.3
            req = gen.request(rng, catalogue, matters=matters, complete=complete, facts=facts)
            matter, given = req["matter"], req["facts"]
            mr = decider.rules(matter)
            items = [it for it in raw["items"] if it["matter"] == matter]
            # the generated lists are provincial: a rule for other levels (规则第十四条's grassroots) does not bind
            on_matter = [s for s in statutes if matter in s["matters"] and "provincial" in (s["levels"] or ["provincial"])]
            reporting = reporting_on(raw["reporting"], matter, lines[matter])
            for rule in raw["reporting"]:
                if rule.get("matters") or rule.get("lines"):
                    seen["scoped"]["in" if rule in reporting else "out"] += 1
            conds = [it.get("when") for it in items] + [s["when"] for s in on_matter] + [r.get("when") for r in reporting]
            expected = {k for k, cond in enumerate(conds) if fires(cond, given)}
            assert set(mr.compiled.fire(given)) == expected, (raw, req)
            missing = [f for f in facts if f not in given]
            if missing:  # a completion, as `Decider.outcome` fires it: `exists` reads the request
                filled = {**given, **{f: gen.value_for(fill, catalogue, f) for f in missing}}
                expected = {k for k, cond in enumerate(conds) if fires(cond, filled, given)}
                assert set(mr.compiled.fire(filled, given)) == expected, (raw, req, filled)
            decision = decider.decide(parse_request(req, catalogue))
            seen["matters"].add(matter)
            seen["statuses"].add(decision.status)
            if complete:
                status, authority = decide_complete(items, on_matter, matter, given)
                uncovered = status == "ok" and not any(fires(it.get("when"), given) for it in items)
                assert (decision.status, decision.authority, decision.uncovered) == (status, authority, uncovered), (raw, req)
                owed = obligations_complete(items, reporting, matter, given, authority,
                                            on_matter) if status == "ok" else set()
                assert {(o.by, tuple(o.report_to)) for o in decision.obligations} == owed, (raw, req)
                continue
            question = open_question(items, on_matter, reporting, matter, given, fact_defs, BOUND)
            if question is None:
                seen["skipped"] += 1
                continue
            seen["checked"] += 1
            outcomes, asked, lacking = question
            got = {m.fact for m in decision.missing_facts}
            seen["asked"] |= {catalogue.facts[f].type for f in got}
            if len(outcomes) == 1:
                assert (decision.status, decision.authority, got) == (*outcomes.pop(), set()), (raw, req)
            else:
                assert decision.status == "undetermined", (raw, req, outcomes)
                assert got == asked, (raw, req, "asked", got, "deciding", asked, "of", lacking)
    return seen


def test_durable_rules_agrees_with_the_reference_on_the_shipped_catalogue(catalogue):
    seen = differential(catalogue, RULES, SHIPPED_FACTS, SHIPPED_MATTERS, lists=400, per_list=250, seed=20221127)
    assert seen["matters"] == set(SHIPPED_MATTERS)
    assert seen["statuses"] == {"ok", "forbidden", "undetermined"}
    assert seen["checked"] > 20 * seen["skipped"], seen  # nearly every request lacking facts is checked
    assert min(seen["scoped"].values()) > 1000, seen["scoped"]  # scoped reporting rules, in and out of scope


def test_durable_rules_agrees_with_the_reference_on_every_fact_type(typed_catalogue):
    facts = list(typed_catalogue.facts)
    seen = differential(typed_catalogue, TYPED_RULES, facts, list(typed_catalogue.matters),
                        lists=150, per_list=200, seed=20240601)
    types = {f.type for f in typed_catalogue.facts.values()}
    assert types == {"boolean", "integer", "enum", "date", "string"}
    every = {(t, op) for t in types for op in OPERATORS | (ORDER if t in ("integer", "date") else set())}
    assert seen["ops"] == every, every - seen["ops"]
    assert seen["matters"] == set(typed_catalogue.matters) and len(seen["matters"]) > 5
    assert seen["statuses"] == {"ok", "forbidden", "undetermined"}
    assert seen["asked"] == types  # a fact of every type was asked, and checked
    assert seen["checked"] > 20 * seen["skipped"], seen
    assert min(seen["scoped"].values()) > 1000, seen["scoped"]
