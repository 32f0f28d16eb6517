"""An independent reference evaluator of conditions in plain Python, on the YAML form.

It shares no code with quanze's `conditions` module or the durable-rules backend: the differential
test holds the two against each other. Semantics (DESIGN.md): a leaf on a fact the request lacks is
unknown, except `exists`; `all`/`any`/`not` follow Kleene's three-valued logic; a rule fires when its
condition is true (not unknown). A completion of a request (values filled in for facts it lacks, as
`Decider` tries them) is evaluated with `given`, the request's facts: `exists` reads whether the
request gives the fact, the other leaves read the completion.
"""
from __future__ import annotations

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
         "procuratorial_committee", "superior_procuratorate", "supreme_procuratorate"]


def decide_complete(raw_items, statutes, matter, facts):
    """(status, authority) for a request that gives every fact: the reference of DESIGN.md step 1-3."""
    matched = [it["decides"] for it in raw_items if it["matter"] == matter and fires(it.get("when"), facts)]
    forbidden = any(s["forbid"] and fires(s["when"], facts) for s in statutes)
    if forbidden:
        return ("forbidden", None)
    floors = [s["floor"] for s in statutes if s["floor"] and fires(s["when"], facts)]
    base = max(matched, key=RANKS.index) if matched else "procurator_general"
    return ("ok", max([base] + floors, key=RANKS.index))
