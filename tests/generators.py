"""Random lists and requests for property and differential tests, built in YAML form (plain dicts)
and turned into the internal form through the real parser, so the reference evaluator can work on
the external form independently of quanze's condition code.

By default they draw from a few facts and matters of the shipped catalogue (`FACTS`, `MATTERS`); every
function takes `facts=` and `matters=` to draw from others, such as the fixture catalogue of every
fact type (`tests/fixtures/typed-rules`). Dates and texts are drawn from small pools (`DATES`,
`TEXTS`) shared by conditions and requests, so requests land on, next to and between the constants.
"""
from __future__ import annotations

import os
import random

import yaml

from quanze import conditions
from quanze.model import DoubleList, Item, Part, ReportingRule, Text
from quanze.place import Place

BOOLS = ["case_is_major_or_complex", "case_is_major_difficult_complex", "has_social_impact",
         "may_affect_national_security_or_stability"]
INTS = ["prior_supplementary_returns"]
ENUMS = ["case_source", "non_arrest_ground"]
FACTS = BOOLS + INTS + ENUMS
MATTERS = ["approve_arrest", "return_for_supplementary_investigation", "decide_statutory_non_prosecution",
           "extend_review_period", "initiate_public_prosecution"]
AUTH = ["prosecutor", "procurator_general", "procuratorial_committee"]
# neighbouring days, a month's end and a year's turn; texts that durable-rules might coerce or trim
DATES = ["2020-12-31", "2021-01-01", "2021-01-02", "2021-02-28", "2021-03-01", "2022-06-15"]
TEXTS = ["", "1", "01", "true", "甲", "甲 乙"]
INT_RANGES = {"days_since_judgment_received": (0, 12)}  # past its statutes' constants (5 and 10)
ORDERED = ("integer", "date")


def value_for(rng: random.Random, catalogue, fact: str):
    f = catalogue.facts[fact]
    if f.type == "boolean":
        return rng.choice([True, False])
    if f.type == "integer":
        return rng.randint(*INT_RANGES.get(fact, (0, 4)))
    if f.type == "date":
        return rng.choice(DATES)
    if f.type == "string":
        return rng.choice(TEXTS)
    return rng.choice(list(f.values))


def leaf(rng, catalogue, exists: bool = True, facts=FACTS):
    fact = rng.choice(facts)
    f = catalogue.facts[fact]
    ops = ["is", "eq", "ne", "in", "not_in"] + (["exists"] if exists else [])
    if f.type in ORDERED:
        ops += ["lt", "lte", "gt", "gte"]
    op = rng.choice(ops)
    if op == "exists":
        return {"fact": fact, "exists": rng.choice([True, False])}
    if op in ("in", "not_in"):
        return {"fact": fact, op: [value_for(rng, catalogue, fact) for _ in range(rng.randint(1, 3))]}
    return {"fact": fact, op: value_for(rng, catalogue, fact)}


def condition(rng, catalogue, depth: int = 0, exists: bool = True, facts=FACTS):
    r = rng.random()
    if depth >= 2 or r < 0.5:
        return leaf(rng, catalogue, exists, facts)
    if r < 0.7:
        return {"all": [condition(rng, catalogue, depth + 1, exists, facts) for _ in range(rng.randint(1, 3))]}
    if r < 0.9:
        return {"any": [condition(rng, catalogue, depth + 1, exists, facts) for _ in range(rng.randint(1, 3))]}
    return {"not": condition(rng, catalogue, depth + 1, exists, facts)}


def scope(rng, catalogue, matters=MATTERS) -> dict:
    """A reporting rule's scope drawn at random: none, some of `matters`, some business lines (of
    `matters` or not), or both (which may exclude every matter)."""
    r = rng.random()
    lines = sorted({catalogue.matters[m].line for m in matters} | {rng.choice(sorted(catalogue.lines))})
    out: dict = {}
    if r < 0.25:
        return out
    if r < 0.75:
        out["matters"] = rng.sample(list(matters), rng.randint(1, min(3, len(matters))))
    if r >= 0.5:
        out["lines"] = rng.sample(lines, rng.randint(1, len(lines)))
    return out


def raw_list(rng, catalogue, n_items: int | None = None, matters=MATTERS, exists: bool = True, facts=FACTS,
             scoped: random.Random | None = None) -> dict:
    """A list in YAML form: {'items': [...], 'reporting': [...]} with random conditions. With `scoped`
    (a generator of its own, so that the rest of the list is what it is without), its reporting rules
    get random scopes (`scope`)."""
    items = []
    for i in range(n_items or rng.randint(1, 8)):
        item = {"id": f"G-{i:03d}", "matter": rng.choice(matters), "decides": rng.choice(AUTH)}
        if rng.random() < 0.8:
            item["when"] = condition(rng, catalogue, exists=exists, facts=facts)
        if rng.random() < 0.3:
            item["report_to"] = ["department_head"]
        items.append(item)
    reporting = []
    if rng.random() < 0.5:
        reporting.append({"id": "R-1", "applies_to": [rng.choice(AUTH)],
                          "when": condition(rng, catalogue, exists=exists, facts=facts),
                          "report_to": ["department_head", "procurator_general"]})
    if scoped is not None:
        for rule in reporting:
            rule.update(scope(scoped, catalogue, matters))
    return {"items": items, "reporting": reporting}


def build(raw: dict, catalogue, list_id: str = "gen") -> DoubleList:
    """The internal form of a generated list (conditions parsed by quanze's parser)."""
    items = []
    for i, it in enumerate(raw["items"]):
        when, problems = conditions.parse(it.get("when"), catalogue.facts, ())
        assert not problems, problems
        items.append(Item(it["id"], it["matter"], "prosecutor", it["decides"], when, Place("gen.yaml", i + 1),
                          report_to=tuple(it.get("report_to", ())), basis=("x",)))
    reporting = []
    for r in raw["reporting"]:
        when, problems = conditions.parse(r.get("when"), catalogue.facts, ())
        assert not problems
        reporting.append(ReportingRule(r["id"], tuple(r["applies_to"]), when, tuple(r["report_to"]), ("x",), Place("gen.yaml"),
                                       matters=tuple(r.get("matters", ())), lines=tuple(r.get("lines", ()))))
    return DoubleList(list_id, Text("生成", "generated"), Text("-", "-"), "provincial", "2000-01-01", None, None,
                      (Part("prosecutor", "gen.yaml", tuple(items)),), tuple(reporting), digest=f"sha256:{list_id}")


def request(rng, catalogue, matters=MATTERS, complete: bool = False, facts=FACTS) -> dict:
    """A request for one of `matters` giving each of `facts` (about three in four, or all if `complete`)."""
    given = {}
    for fact in facts:
        if complete or rng.random() < 0.75:
            given[fact] = value_for(rng, catalogue, fact)
    return {"matter": rng.choice(matters), "actor": rng.choice(["prosecutor", "department_head",
                                                                  "deputy_procurator_general", "procurator_general"]),
            "facts": given}


def write_folder(folder: str, head: dict, raw: dict) -> str:
    """A generated list written as a list folder: `list.yaml` from `head` (id, level, dates,
    `supersedes`, `conforms_to`...) and one part file holding `raw`'s items, to be read by the loader."""
    os.makedirs(folder, exist_ok=True)
    data = {"title": {"zh": "生成", "en": "generated"}, "issuer": {"zh": head["id"], "en": head["id"]}, **head,
            "parts": {"prosecutor": "prosecutor.yaml"}}
    basis = ["《人民检察院刑事诉讼规则》第四条"]  # a citation of the register, as the loader asks
    if raw.get("reporting"):
        data["reporting"] = [{**r, "basis": basis} for r in raw["reporting"]]
    with open(os.path.join(folder, "list.yaml"), "w", encoding="utf-8") as handle:
        yaml.safe_dump(data, handle, allow_unicode=True, sort_keys=False)
    part = {"part": "prosecutor", "items": [{**it, "basis": basis} for it in raw["items"]]}
    with open(os.path.join(folder, "prosecutor.yaml"), "w", encoding="utf-8") as handle:
        yaml.safe_dump(part, handle, allow_unicode=True, sort_keys=False)
    return folder
