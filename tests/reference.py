"""An independent reference evaluator of conditions and decisions in plain Python, on the YAML form.

It shares no code with quanze's `conditions`, `situations` or `decide` modules or the durable-rules
backend: the differential test holds the two against each other. Semantics (DESIGN.md): a leaf on a
fact the request lacks is unknown, except `exists`; `all`/`any`/`not` follow Kleene's three-valued
logic; a rule fires when its condition is true (not unknown). A completion of a request (values filled
in for facts it lacks, as `Decider` tries them) is evaluated with `given`, the request's facts:
`exists` reads whether the request gives the fact, the other leaves read the completion.

Missing facts (DESIGN "Deciding", step 4): a fact the request lacks is asked exactly when its answer
can change the status or the required authority — when some two completions that differ in that fact
alone decide differently. `open_question` enumerates the completions from the contract's own account of
situations (each constant a comparison names, a value between and beyond them, each enum value, true
and false), written here afresh, and says which facts decide.
"""
from __future__ import annotations

import datetime
import itertools
import os

import yaml

UNKNOWN = "unknown"


def same(a, b) -> bool:
    return type(a) is type(b) and a == b


def truth(cond, facts: dict, given=None):
    given = facts if given is None else given
    if cond is None:
        return True
    if "all" in cond:
        vals = [truth(c, facts, given) for c in cond["all"]]
        return False if False in vals else (UNKNOWN if UNKNOWN in vals else True)
    if "any" in cond:
        vals = [truth(c, facts, given) for c in cond["any"]]
        return True if True in vals else (UNKNOWN if UNKNOWN in vals else False)
    if "not" in cond:
        v = truth(cond["not"], facts, given)
        return UNKNOWN if v == UNKNOWN else not v
    fact = cond["fact"]
    (op, want), = [(k, v) for k, v in cond.items() if k != "fact"]
    if op == "exists":
        return (fact in given) == want
    if fact not in facts:
        return UNKNOWN
    have = facts[fact]
    table = {
        "is": lambda: same(have, want), "eq": lambda: same(have, want), "ne": lambda: not same(have, want),
        "in": lambda: any(same(have, w) for w in want), "not_in": lambda: not any(same(have, w) for w in want),
        "lt": lambda: have < want, "lte": lambda: have <= want, "gt": lambda: have > want, "gte": lambda: have >= want,
    }
    return table[op]()


def fires(cond, facts, given=None) -> bool:
    return truth(cond, facts, given) is True


RANKS = ["prosecutor", "department_head", "deputy_procurator_general", "procurator_general",
         "procuratorial_committee", "superior_procuratorate", "provincial_procuratorate", "supreme_procuratorate"]

# DESIGN "Levels": a list's level places its procuratorate; `superior_procuratorate` is the level just
# above it, `provincial_procuratorate` and `supreme_procuratorate` fixed levels; ranks compare the
# levels they resolve to, a requirement at or below the list's own level is met by its own
# procurator-general, and where two names reach one body the decision names `superior_procuratorate`.
TIERS = ["grassroots", "municipal", "provincial", "supreme"]


def seen_from(authority, level):
    """The authority `authority` is for a list of `level`, as the contract names it."""
    if level not in TIERS or authority not in ("superior_procuratorate", "provincial_procuratorate",
                                               "supreme_procuratorate"):
        return authority
    own = TIERS.index(level)
    if authority == "superior_procuratorate":
        body = min(own + 1, len(TIERS) - 1)
    else:
        body = TIERS.index(authority.split("_")[0])
    if body <= own:
        return "procurator_general"
    if body == own + 1:
        return "superior_procuratorate"
    return authority


def decide_complete(raw_items, statutes, matter, facts, given=None, level="provincial", upper_items=()):
    """(status, authority) for a request that gives every fact (or a completion of one, `given` being
    the request's own facts): the reference of DESIGN.md steps 1-3, for a list of `level`. The items of
    the upper list (`upper_items`, DESIGN "Hierarchy") bind as floors do, their authority as this
    list's level sees it."""
    matched = [seen_from(it["decides"], level) for it in raw_items
               if it["matter"] == matter and fires(it.get("when"), facts, given)]
    forbidden = any(s["forbid"] and fires(s["when"], facts, given) for s in statutes)
    if forbidden:
        return ("forbidden", None)
    floors = [seen_from(s["floor"], level) for s in statutes if s["floor"] and fires(s["when"], facts, given)]
    floors += [seen_from(it["decides"], level) for it in upper_items
               if it["matter"] == matter and fires(it.get("when"), facts, given)]
    base = max(matched, key=RANKS.index) if matched else "procurator_general"
    return ("ok", max([base] + floors, key=RANKS.index))


def upper_list(lower: dict, library: list) -> dict | None:
    """The list a lower list's `conforms_to` names, of the lists `library` holds (their list.yaml
    mappings): DESIGN "Hierarchy" — the version in force on the lower list's `effective_from`, among
    the named list and the lists linked to it by `supersedes`; None where there is none."""
    target = lower.get("conforms_to")
    by_id = {l["id"]: l for l in library}
    if target not in by_id:
        return None
    family, size = {target}, 0
    while len(family) != size:
        size = len(family)
        for l in library:
            if l.get("supersedes") in family or (l["id"] in family and l.get("supersedes") in by_id):
                family |= {l["id"], l.get("supersedes")} - {None}
    day = str(lower["effective_from"])
    live = [by_id[i] for i in family
            if str(by_id[i]["effective_from"]) <= day and (by_id[i].get("effective_to") is None
                                                          or day <= str(by_id[i]["effective_to"]))]
    replaced = {l.get("supersedes") for l in live}
    newest = [l for l in live if l["id"] not in replaced] or live
    return max(newest, key=lambda l: (str(l["effective_from"]), l["id"])) if newest else None


def read_library(folder: str) -> list:
    """The lists of a folder of lists as plain YAML, each its list.yaml mapping with `items`: every item
    of its part files (DESIGN "A list"). What the reference needs to find an upper list and decide with
    it on its own, from the files the engine reads, not from what wrote them."""
    out = []
    for name in sorted(os.listdir(folder)):
        head_file = os.path.join(folder, name, "list.yaml")
        if not os.path.isfile(head_file):
            continue
        with open(head_file, encoding="utf-8") as handle:
            head = yaml.safe_load(handle)
        items = []
        for part_file in (head.get("parts") or {}).values():
            with open(os.path.join(folder, name, part_file), encoding="utf-8") as handle:
                items.extend(yaml.safe_load(handle).get("items") or [])
        out.append({**head, "items": items})
    return out


def obligations_complete(raw_items, reporting, matter, facts, authority, statutes=()) -> set:
    """(by, report_to) owed on a complete request whose required authority is `authority` (step 5):
    the matched items that report, the statutory rules that hold and say to inform someone (规则第二百九十五条's
    备案), and the reporting rules that hold and apply to that authority."""
    out = {(it["id"], tuple(it["report_to"])) for it in raw_items
           if it["matter"] == matter and it.get("report_to") and fires(it.get("when"), facts)}
    out |= {(s["id"], tuple(s["report_to"])) for s in statutes if s.get("report_to") and fires(s["when"], facts)}
    out |= {(r["id"], tuple(r["report_to"])) for r in reporting
            if authority in r["applies_to"] and fires(r.get("when"), facts)}
    return out


def in_scope(rule, matter, line) -> bool:
    """Whether a reporting rule (YAML form) holds on `matter`, of business line `line`: its `matters`
    name it (or there are none) and its `lines` name its line (or there are none)."""
    return (not rule.get("matters") or matter in rule["matters"]) and (not rule.get("lines") or line in rule["lines"])


def reporting_on(reporting, matter, line) -> list:
    """The reporting rules whose scope takes in `matter`: the others are no rule of it at all."""
    return [r for r in reporting if in_scope(r, matter, line)]


def reads(cond) -> list:
    """The facts a condition reads, without repeats."""
    if cond is None:
        return []
    if "all" in cond or "any" in cond:
        return list(dict.fromkeys(f for c in cond.get("all", cond.get("any")) for f in reads(c)))
    if "not" in cond:
        return reads(cond["not"])
    return [cond["fact"]]


def _constants(cond, fact) -> list:
    if cond is None:
        return []
    if "all" in cond or "any" in cond:
        return [v for c in cond.get("all", cond.get("any")) for v in _constants(c, fact)]
    if "not" in cond:
        return _constants(cond["not"], fact)
    (op, want), = [(k, v) for k, v in cond.items() if k != "fact"]
    if cond["fact"] != fact or op == "exists":
        return []
    return list(want) if isinstance(want, list) else [want]


def _day(text: str, delta: int) -> str:
    return (datetime.date.fromisoformat(text) + datetime.timedelta(days=delta)).isoformat()


def representatives(fact: dict, constants: list) -> list:
    """Values of `fact` (its YAML form in facts.yaml) that every comparison with `constants` tells
    apart: each constant, one value between neighbours, one beyond each end (DESIGN "Situations");
    integers within the fact's `min`/`max`, as a request must be."""
    kind = fact["type"]
    if kind == "boolean":
        return [True, False]
    if kind == "enum":
        return list(fact["values"])
    if kind == "string":
        named = list(dict.fromkeys(constants))
        return named + ["".join(named) + "-other"]
    consts = sorted(set(constants))
    if kind == "integer":
        low, high = fact.get("min"), fact.get("max")
        if not consts:
            return [low if low is not None else 0]
        values = {consts[0] - 1, consts[-1] + 1} | set(consts)
        values |= {(a + b) // 2 for a, b in zip(consts, consts[1:])}
        return sorted(v for v in values if (low is None or v >= low) and (high is None or v <= high))
    if not consts:  # a date
        return ["2000-01-01"]
    values = {_day(consts[0], -1), _day(consts[-1], 1)} | set(consts)
    for a, b in zip(consts, consts[1:]):
        gap = (datetime.date.fromisoformat(b) - datetime.date.fromisoformat(a)).days
        values.add(_day(a, gap // 2))
    return sorted(values)


def open_question(raw_items, statutes, reporting, matter, facts, fact_defs, bound):
    """What the contract decides for a request lacking facts, over every completion of the facts it
    lacks that a rule left unknown by Kleene reads (the facts read only by rules Kleene decides cannot
    change anything): (outcomes, asked, lacking) — the set of (status, authority) over the completions,
    the facts whose answer alone can change it, and the facts completed. None where the completions
    number more than `bound` (the engine's enumeration bound: such requests are not checked here)."""
    items = [it for it in raw_items if it["matter"] == matter]
    conds = [it.get("when") for it in items] + [s["when"] for s in statutes] + [r.get("when") for r in reporting]
    lacking = list(dict.fromkeys(f for c in conds if truth(c, facts) == UNKNOWN for f in reads(c) if f not in facts))
    values = [representatives(fact_defs[f], [v for c in conds for v in _constants(c, f)]) for f in lacking]
    total = 1
    for v in values:
        total *= len(v)
    if total > bound:
        return None
    decided = {}
    for combo in itertools.product(*values):
        decided[combo] = decide_complete(items, statutes, matter, {**facts, **dict(zip(lacking, combo))}, facts)
    asked = set()
    for i, fact in enumerate(lacking):
        seen: dict = {}
        for combo, outcome in decided.items():
            seen.setdefault(combo[:i] + combo[i + 1:], set()).add(outcome)
        if any(len(s) > 1 for s in seen.values()):
            asked.add(fact)
    return set(decided.values()), asked, lacking


def raw_rules(folder: str) -> tuple:
    """The statutory rules and the facts of a rules folder, read as plain YAML for the reference."""
    with open(os.path.join(folder, "statutory.yaml"), encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    statutes = []
    for r in data["rules"]:
        matters = r["matter"] if isinstance(r["matter"], list) else [r["matter"]]
        statutes.append({"id": r["id"], "matters": matters, "when": r.get("when"), "forbid": bool(r.get("forbid")),
                         "floor": r.get("floor"), "report_to": r.get("report_to", []), "levels": r.get("levels")})
    with open(os.path.join(folder, "facts.yaml"), encoding="utf-8") as handle:
        facts = {f["code"]: f for f in yaml.safe_load(handle)["facts"]}
    return statutes, facts


def matter_lines(folder: str) -> dict:
    """Each matter's business line in a rules folder (`matters.yaml`, read as plain YAML): what a
    reporting rule's `lines:` scope reads."""
    with open(os.path.join(folder, "matters.yaml"), encoding="utf-8") as handle:
        return {m["code"]: m["line"] for m in yaml.safe_load(handle)["matters"]}
