"""Cubes of situations in the terms conditions use, and the fewest cubes for a set of situations.

`situations.py` numbers the situations of a question by representative values (a value of a number
between two constants of the conditions stands for the whole region between them); people read
conditions (`{"gte": 1, "lt": 3}`, one of several values, absent). This module translates between the
two and, with `simplify.py`, rewrites a set of situations as the fewest such cubes, so that what the
impact of a revision and what a validation finding say of "the situations where …" reads as one
condition where there is one (`present/words.cubes_words` puts them in words).
"""
from __future__ import annotations

from .simplify import Domain, simplest
from .situations import ABSENT, Space


def simplest_cubes(space: Space, cubes: list, order: list) -> list:
    """The same situations as `cubes` (each fact → its `region` word) in the fewest cubes naming the
    fewest facts, facts in `order`; `cubes` as they are past `simplify`'s bounds."""
    named = [f for f in order if any(f in c for c in cubes)]
    domains = {f: Domain(space.values(f), space.per_fact[f].type in ("integer", "date")) for f in named}
    found = simplest([{f: reps(space.per_fact[f], want) for f, want in c.items()} for c in cubes], domains)
    if found is None:
        return cubes
    return [{f: region(space.per_fact[f], values) for f, values in c.items()} for c in found.cubes]


def point_cubes(space: Space, situations: list, facts: list) -> list:
    """Situations (fact → value, a fact missing where absent) restricted to `facts`, once each, as
    cubes of one value per fact (`region` of one representative), in the order first met."""
    seen: dict = {}
    for s in situations:
        cube = {f: region(space.per_fact[f], (s.get(f, ABSENT),)) for f in facts if f in space.per_fact}
        seen.setdefault(repr(sorted(cube.items(), key=lambda kv: kv[0])), cube)
    return list(seen.values())


def region(fv, values: tuple):
    """What a cube says of one fact, from the representatives it allows: None (absent), a value, a
    list of values (any of them), or for a representative that stands for the values between two
    constants (an integer, a date) or for any other text, the region itself: {"gt": a, "lt": b},
    {"not_in": [...]}; for several regions of a number or a date in a row, the interval they make
    ({"gte": a, "lt": b}, …), and for every value but absence, {"exists": true}."""
    if len(values) > 1:
        present = tuple(v for v in values if v is not ABSENT)
        if fv.type in ("integer", "date") and ABSENT not in values:
            return interval(fv, present)
        if fv.type == "string" and ABSENT not in values and any(v not in fv.constants for v in present):
            return {"not_in": [c for c in fv.constants if c not in present]} or {"exists": True}
        return list(values)
    v = values[0]
    if v is ABSENT:
        return None
    if fv.type in ("integer", "date") and v not in fv.constants:
        below = [c for c in fv.constants if c < v]
        above = [c for c in fv.constants if c > v]
        return {**({"gt": below[-1]} if below else {}), **({"lt": above[0]} if above else {})} or {"exists": True}
    if fv.type == "string" and v not in fv.constants:
        return {"not_in": list(fv.constants)}
    return v


def interval(fv, values: tuple) -> dict:
    """The interval that consecutive regions of a number or a date make (`values`: representatives in
    order): from the first one's lower edge to the last one's upper edge."""
    lo, hi = values[0], values[-1]
    out: dict = {}
    if lo in fv.constants:
        out["gte"] = lo
    else:
        below = [c for c in fv.constants if c < lo]
        if below:
            out["gt"] = below[-1]
    if hi in fv.constants:
        out["lte"] = hi
    else:
        above = [c for c in fv.constants if c > hi]
        if above:
            out["lt"] = above[0]
    return out or {"exists": True}


def reps(fv, want) -> tuple:
    """The representatives of one fact that a cube's word for it (`region`) allows."""
    out = []
    for v in fv.values:
        if want is None or v is ABSENT:
            ok = want is None and v is ABSENT
        elif isinstance(want, list):
            ok = v in want
        elif isinstance(want, dict):
            ok = all(_holds(op, v, c, fv) for op, c in want.items())
        else:
            ok = v == want
        if ok:
            out.append(v)
    return tuple(out)


def _holds(op: str, v, c, fv) -> bool:
    if op == "exists":
        return bool(c)
    if op == "not_in":
        return v not in c
    return {"gt": v > c, "gte": v >= c, "lt": v < c, "lte": v <= c}[op]
