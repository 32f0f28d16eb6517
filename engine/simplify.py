"""The simplest exact description of a set of situations, for people to read.

A revision changes a matter's decision in some set of situations; the impact (`impact.py`) finds that
set exactly, as a union of cubes, but the union it finds follows the way it was computed, not the way a
reviewer reads: four lines of "并非…" where one line "案件重大、疑难、复杂" says the same. This module
rewrites such a union as another one that takes in exactly the same situations, with as few cubes as
possible and, among those, as few facts named as possible.

The method is the textbook one for functions of many-valued variables, kept small: number the
situations over the facts the cubes name (each fact takes its representative values, `situations.py`),
find every *prime* cube (a cube inside the set that cannot grow in any fact without leaving it), then
choose the fewest primes that cover the set — exactly, by branch and bound, while the search is small,
greedily past that (`Simplest.exact` says which). A cube only ever allows what words can say of one fact:
some of an enum's or a text's values, an interval of a number's or a date's regions, true, false, given
or absent — never "true or absent", which no sentence of the list's conditions says.

Everything is bounded (`POINTS`, `IMPLICANTS`, `NODES`): past a bound the caller keeps the cubes it has.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Mapping, Sequence

ABSENT = None

POINTS = 4096         # most situations numbered for one question
IMPLICANTS = 20_000   # most cubes inside the set looked at
NODES = 20_000        # most steps of the exact search for the fewest cubes; past it, the best found


@dataclass(frozen=True)
class Domain:
    """The representative values of one fact, in order, and what kind of fact it is (`ordered`: an
    integer or a date, whose values are regions on a line and group only into intervals)."""

    values: tuple
    ordered: bool = False


@dataclass(frozen=True)
class Simplest:
    """Cubes (fact → the values allowed, in the domain's order; a fact not named takes every value),
    and whether they are proven the fewest (False: the greedy cover, when the exact search was cut)."""

    cubes: tuple
    exact: bool


def simplest(cubes: Sequence[Mapping[str, Sequence]], domains: Mapping[str, Domain]) -> Simplest | None:
    """The fewest cubes that take in exactly the situations of `cubes`; None past a bound.

    `cubes` name facts of `domains` with the values each allows (any of them); the result names the
    same facts or fewer. Facts the input never names stay unnamed."""
    facts = [f for f in domains if any(f in c for c in cubes)]
    sizes = [len(domains[f].values) for f in facts]
    total = 1
    for n in sizes:
        total *= n
    if total > POINTS or any(n == 0 for n in sizes):
        return None
    index = [{v: i for i, v in enumerate(domains[f].values)} for f in facts]
    full = tuple((1 << n) - 1 for n in sizes)
    strides = []
    s = 1
    for n in reversed(sizes):
        strides.append(s)
        s *= n
    strides.reverse()
    space = _Space(sizes, strides)

    wanted = 0
    for c in cubes:
        bits = []
        for k, f in enumerate(facts):
            if f in c:
                b = 0
                for v in c[f]:
                    if v not in index[k]:
                        return None  # a value the domain does not know: keep the caller's cubes
                    b |= 1 << index[k][v]
                bits.append(b)
            else:
                bits.append(full[k])
        wanted |= space.mask(tuple(bits))
    if wanted == 0:
        return Simplest((), True)
    if wanted == space.mask(full):  # every situation: one cube that names no fact (every cube inside
        return Simplest(({},), True)  # the whole space is an implicant, past IMPLICANTS for a few facts)

    ordered = [domains[f].ordered for f in facts]
    absent = [index[k].get(ABSENT) for k in range(len(facts))]

    def sayable(k: int, bits: int) -> bool:
        if bits == full[k]:
            return True
        a = absent[k]
        if a is not None and bits & (1 << a):
            return bits == 1 << a  # absent alone, or with every value (the whole domain)
        if ordered[k]:  # an interval: one run of set bits
            low = bits & -bits
            return (bits + low) & bits == 0
        return True

    implicants = _implicants(wanted, space, full, sayable)
    if implicants is None:
        return None
    primes = [c for c in implicants if not any(
        c[:k] + (c[k] | 1 << v,) + c[k + 1:] in implicants
        for k in range(len(c)) for v in range(sizes[k]) if not c[k] >> v & 1)]
    chosen, exact = _cover(wanted, primes, space, full)
    out = []
    for c in sorted(chosen, key=lambda c: _order(c, full)):
        out.append({f: tuple(v for i, v in enumerate(domains[f].values) if c[k] >> i & 1)
                    for k, f in enumerate(facts) if c[k] != full[k]})
    return Simplest(tuple(out), exact)


class _Space:
    """Situations numbered in mixed radix; a cube (one bit set per allowed value, per fact) → the set of
    its situations as one integer's bits."""

    def __init__(self, sizes: list, strides: list):
        self.sizes, self.strides = sizes, strides
        self._masks: dict = {}

    def mask(self, cube: tuple) -> int:
        m = self._masks.get(cube)
        if m is None:
            m = 0
            choices = [[i * st for i in range(n) if b >> i & 1] for b, n, st in zip(cube, self.sizes, self.strides)]
            for combo in itertools.product(*choices):
                m |= 1 << sum(combo)
            self._masks[cube] = m
        return m

    def minterms(self, wanted: int):
        point = 0
        while wanted:
            if wanted & 1:
                rest, bits = point, []
                for st in self.strides:
                    bits.append(1 << (rest // st))
                    rest %= st
                yield tuple(bits)
            wanted >>= 1
            point += 1


def _implicants(wanted: int, space: _Space, full: tuple, sayable) -> set | None:
    """Every sayable cube inside `wanted`, grown one value at a time from its situations (each cube
    inside the set is reached so: every cube of a cube inside is inside, and the steps stay sayable)."""
    found = set(space.minterms(wanted))
    queue = list(found)
    outside: set = set()
    while queue:
        c = queue.pop()
        for k, n in enumerate(space.sizes):
            for v in range(n):
                if c[k] >> v & 1:
                    continue
                bits = c[k] | 1 << v
                if not sayable(k, bits):
                    continue
                grown = c[:k] + (bits,) + c[k + 1:]
                if grown in found or grown in outside:
                    continue
                if space.mask(grown) & ~wanted:
                    outside.add(grown)
                    continue
                found.add(grown)
                if len(found) > IMPLICANTS:
                    return None
                queue.append(grown)
    return found


def _cost(cubes, full: tuple) -> tuple:
    """Fewer cubes first, then fewer facts named, then fewer values listed."""
    named = sum(1 for c in cubes for b, f in zip(c, full) if b != f)
    values = sum(bin(b).count("1") for c in cubes for b, f in zip(c, full) if b != f)
    return (len(cubes), named, values)


def _order(c: tuple, full: tuple) -> tuple:
    """A stable order for the chosen cubes: the widest first, then by the facts they name."""
    return (sum(1 for b, f in zip(c, full) if b != f), tuple(-1 if b == f else b for b, f in zip(c, full)))


def _cover(wanted: int, primes: list, space: _Space, full: tuple) -> tuple:
    """The fewest primes whose situations together are `wanted` (exact while the search is small)."""
    masks = {p: space.mask(p) for p in primes}
    points = [1 << i for i in range(wanted.bit_length()) if wanted >> i & 1]
    by_point = {pt: [p for p in primes if masks[p] & pt] for pt in points}
    # the greedy cover, an upper bound for the search
    greedy, left = [], wanted
    while left:
        best = max(primes, key=lambda p: (bin(masks[p] & left).count("1"), -_cost([p], full)[1]))
        greedy.append(best)
        left &= ~masks[best]
    best_found = [list(greedy)]
    steps = [0]

    def search(chosen: list, left: int) -> None:
        steps[0] += 1
        if steps[0] > NODES:
            return
        if not left:
            if _cost(chosen, full) < _cost(best_found[0], full):
                best_found[0] = list(chosen)
            return
        if len(chosen) + 1 > len(best_found[0]):
            return
        # the uncovered situation with the fewest primes covering it: each of them is a branch
        pt = min((p for p in points if p & left), key=lambda p: len(by_point[p]))
        for p in sorted(by_point[pt], key=lambda p: -bin(masks[p] & left).count("1")):
            chosen.append(p)
            search(chosen, left & ~masks[p])
            chosen.pop()

    search([], wanted)
    return best_found[0], steps[0] <= NODES
