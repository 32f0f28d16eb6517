"""Situations: the finite set of fact valuations that tells a matter's conditions apart.

Conditions only compare facts with constants. So for each fact it is enough to try every constant a
comparison names, one value strictly between neighbouring constants, one below the lowest and one
above the highest (for integers and dates), every enum value, true and false, and — where asked —
absence. Any two requests that fall in the same *region* (same side of, or on, every constant of every
fact read) get the same decision. Every question quanze asks of conditions is asked here: equivalence
(contradictions), implication (shadowed items, floors that always hold), which missing facts could
change a decision, which situations a revision changes, and the memo key of the batch path.
"""
from __future__ import annotations

import datetime
import itertools
from bisect import bisect_left
from dataclasses import dataclass
from typing import Mapping

from .conditions import evaluate, facts_read, leaves
from .errors import QuanzeError
from .model import Fact
from .operators import OPERATORS

LIMIT = 20_000  # most situations enumerated for one question; past it the answer is "bounded"
ABSENT = None


class Bounded(QuanzeError):
    """The question reads too many facts to enumerate whole."""

    def __init__(self, facts, total):
        super().__init__(f"{total} situations over {len(facts)} facts", "situations-bounded")
        self.facts, self.total = facts, total


@dataclass(frozen=True)
class FactValues:
    """The representative values of one fact, and how to map any value to its region."""

    fact: str
    type: str
    constants: tuple  # sorted, for integer and date; the named values otherwise
    values: tuple     # representatives, one per region

    def region(self, value):
        """A hashable key shared by exactly the values that every comparison treats alike."""
        if value is None:
            return ("absent",)
        if self.type in ("integer", "date"):
            i = bisect_left(self.constants, value)
            return (i, i < len(self.constants) and self.constants[i] == value)
        if self.type == "string":
            return value if value in self.constants else ("other",)
        return value


def _step(value, delta: int, kind: str):
    if kind == "integer":
        return value + delta
    day = datetime.date.fromisoformat(value) + datetime.timedelta(days=delta)
    return day.isoformat()


def _between(a, b, kind: str):
    """A value strictly between a and b, or None when they are neighbours."""
    if kind == "integer":
        return (a + b) // 2 if b - a > 1 else None
    da, db = datetime.date.fromisoformat(a), datetime.date.fromisoformat(b)
    gap = (db - da).days
    return (da + datetime.timedelta(days=gap // 2)).isoformat() if gap > 1 else None


def fact_values(fact: Fact, constants, absent: bool = False) -> FactValues:
    """Representative values of `fact` given the constants conditions compare it with."""
    consts = sorted({c for c in constants if not isinstance(c, bool) or fact.type == "boolean"}, key=_sort_key)
    values: list  # of the fact's type
    if fact.type == "boolean":
        values = [True, False]
    elif fact.type == "enum":
        values = list(fact.values)
    elif fact.type in ("integer", "date"):
        consts = sorted({c for c in consts if isinstance(c, (int, str)) and not isinstance(c, bool)
                         and (isinstance(c, int) == (fact.type == "integer"))})
        values = []
        if not consts:
            values = [fact.min if fact.min is not None else 0] if fact.type == "integer" else ["2000-01-01"]
        else:
            values.append(_step(consts[0], -1, fact.type))
            for a, b in zip(consts, consts[1:]):
                values.append(a)
                mid = _between(a, b, fact.type)
                if mid is not None:
                    values.append(mid)
            values.append(consts[-1])
            values.append(_step(consts[-1], 1, fact.type))
            if fact.type == "integer":
                values = [v for v in values if (fact.min is None or v >= fact.min) and (fact.max is None or v <= fact.max)]
    else:  # string
        values = list(dict.fromkeys(str(c) for c in consts))
        other = "\u2026"
        while other in values:
            other += "\u2026"
        values.append(other)
    if absent:
        values.append(ABSENT)
    return FactValues(fact.code, fact.type, tuple(consts), tuple(values))


def _sort_key(value):
    return (str(type(value)), value)


class Space:
    """The situations of a set of conditions (e.g. everything that bears on one matter).

    `absent` says which facts also take the value "absent": every fact (True), none (False), or
    "exists": the facts an `exists` test reads — the only ones whose absence a condition can tell
    from a value, so the situations of deciding, which completes a missing fact's value but not its
    presence (`decide`), and of validation and impact agree."""

    def __init__(self, conds, facts: Mapping, absent: bool | str = False):
        conds = list(conds)
        constants: dict[str, list] = {}
        for cond in conds:
            for leaf in leaves(cond):
                bucket = constants.setdefault(leaf.fact, [])
                operator = OPERATORS[leaf.op]
                if operator.presence:
                    continue
                bucket.extend(leaf.value if operator.operand == "list" else [leaf.value])
        self.facts = [code for code in constants if code in facts]
        tested = presence_tested(conds) if absent == "exists" else ()
        self.per_fact = {code: fact_values(facts[code], constants[code], absent is True or code in tested)
                         for code in self.facts}

    def values(self, code: str) -> tuple:
        return self.per_fact[code].values

    def count(self, codes) -> int:
        total = 1
        for code in codes:
            total *= len(self.per_fact[code].values)
        return total

    def each(self, codes, limit: int = LIMIT, base: dict | None = None):
        """Every situation over `codes` (merged into `base`); raises Bounded past `limit`."""
        codes = [c for c in dict.fromkeys(codes) if c in self.per_fact]
        total = self.count(codes)
        if total > limit:
            raise Bounded(codes, total)
        base = dict(base or {})
        for combo in itertools.product(*(self.per_fact[c].values for c in codes)):
            situation = dict(base)
            for code, value in zip(codes, combo):
                if value is ABSENT:
                    situation.pop(code, None)
                else:
                    situation[code] = value
            yield situation



def independent(codes, reads) -> list:
    """`codes` split into groups that no one of `reads` (the facts each rule reads) joins: rules that
    share no fact vary independently, so a question over every situation can be asked group by group
    and the answers combined (the exact impact of a revision, `impact.py`). Each group keeps the order
    of `codes`; the groups come in the order of their first fact."""
    parent = {c: c for c in codes}

    def find(c):
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c
    for read in reads:
        mine = [c for c in read if c in parent]
        for c in mine[1:]:
            parent[find(c)] = find(mine[0])
    groups: dict = {}
    for c in codes:
        groups.setdefault(find(c), []).append(c)
    return [tuple(g) for g in groups.values()]


def presence_tested(conds) -> set:
    """The facts an `exists` test reads in `conds`."""
    return {leaf.fact for cond in conds for leaf in leaves(cond) if OPERATORS[leaf.op].presence}


def reads(*conds) -> list:
    """The facts some conditions read, in order, without repeats."""
    out: dict = {}
    for cond in conds:
        for code in facts_read(cond):
            out.setdefault(code, None)
    return list(out)


def holds(cond, situation) -> bool:
    """Two-valued truth in a complete situation (a missing fact's leaf is false, as in the engine)."""
    return evaluate(cond, situation) is True


def describe(situation: dict) -> str:
    """A situation as `fact=value, ...` for messages."""
    if not situation:
        return "in every situation"
    return ", ".join(f"{k}={_show(v)}" for k, v in situation.items())


def _show(v) -> str:
    return ("true" if v else "false") if isinstance(v, bool) else str(v)
