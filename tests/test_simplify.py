"""The simplest description of a set of situations (`quanze.simplify`, `present.words.cubes_words`).

Held against plain enumeration, not against the simplifier: over random small domains (booleans, enums,
ordered numbers, with and without absence), the cubes it returns take in exactly the situations the
input took in, are never more than the input, and say of each fact only what a sentence can say.
"""
from __future__ import annotations

import itertools
import os

from click.testing import CliRunner
from hypothesis import assume, given, settings, strategies as st

import cli
from quanze.present.words import _factors
from quanze.simplify import Domain, simplest
from tests.paths import LISTS, RULES

XJ19, XJ21 = os.path.join(LISTS, "xj-2019"), os.path.join(LISTS, "xj-2021")


@st.composite
def problems(draw):
    """Domains of two to four facts and a union of one to six random cubes over them."""
    n = draw(st.integers(2, 4))
    domains = {}
    for i in range(n):
        kind = draw(st.sampled_from(["boolean", "enum", "ordered"]))
        size = 2 if kind == "boolean" else draw(st.integers(2, 4))
        values: tuple = tuple(range(size))
        if draw(st.booleans()):
            values += (None,)
        domains[f"f{i}"] = Domain(values, kind == "ordered")
    cubes = []
    for _ in range(draw(st.integers(1, 6))):
        cube = {}
        for f, d in domains.items():
            if draw(st.booleans()):
                cube[f] = tuple(draw(st.sets(st.sampled_from(d.values), min_size=1)))
        cubes.append(cube)
    return domains, cubes


def points(cubes, domains) -> set:
    """Every situation some cube takes in, by enumeration."""
    facts = list(domains)
    return {combo for combo in itertools.product(*(domains[f].values for f in facts))
            if any(all(combo[k] in c[f] for k, f in enumerate(facts) if f in c) for c in cubes)}


def sayable(values: tuple, domain: Domain) -> bool:
    """What one sentence can say of a fact: absent alone, or values without absence — and for an ordered
    fact, values in a row."""
    if set(values) == set(domain.values):
        return True
    if None in values:
        return values == (None,)
    if domain.ordered:
        idx = sorted(domain.values.index(v) for v in values)
        return idx == list(range(idx[0], idx[-1] + 1))
    return True


@settings(max_examples=300, deadline=None)
@given(problems())
def test_the_simplest_cubes_take_in_exactly_the_same_situations(problem):
    domains, cubes = problem
    found = simplest(cubes, domains)
    # past a bound (`IMPLICANTS`: e.g. four facts of four values, one cube a quarter of them) the caller
    # keeps its cubes; `test_past_the_bound_the_caller_keeps_its_cubes` holds that contract
    assume(found is not None)
    assert points(list(found.cubes), domains) == points(cubes, domains)
    assert all(sayable(vs, domains[f]) for c in found.cubes for f, vs in c.items())
    if found.exact and all(all(sayable(tuple(sorted(vs, key=domains[f].values.index)), domains[f])
                               for f, vs in c.items()) for c in cubes):
        assert len(found.cubes) <= len(cubes)  # the fewest: never more than a sayable input


def test_past_the_bound_the_caller_keeps_its_cubes():
    """Four facts of four values and a cube of three quarters of them: more cubes lie inside the set than
    `IMPLICANTS` lets the search look at, so `simplest` says None (the impact then words the cubes it has)."""
    domains = {f"f{i}": Domain((0, 1, 2, 3)) for i in range(4)}
    assert simplest([{"f0": (0,), "f1": (0,), "f3": (0,)}, {"f2": (0, 1, 2)}], domains) is None


def test_four_negations_become_one_condition():
    """The issue's example: four situations that differ only in facts that do not matter there are one."""
    domains = {"major": Domain((True, False)), "social": Domain((True, False)), "urgent": Domain((True, False))}
    cubes = [{"major": (True,), "social": (s,), "urgent": (u,)} for s in (True, False) for u in (True, False)]
    found = simplest(cubes, domains)
    assert found.cubes == ({"major": (True,)},) and found.exact


def test_regions_of_a_number_in_a_row_become_one_interval():
    domains = {"n": Domain((0, 1, 2, 3, 4), ordered=True), "b": Domain((True, False))}
    cubes = [{"n": (1,), "b": (True,)}, {"n": (2,)}, {"n": (3,), "b": (True,)}, {"n": (3,), "b": (False,)}]
    found = simplest(cubes, domains)
    assert points(list(found.cubes), domains) == points(cubes, domains)
    assert {"n": (2, 3)} in found.cubes and len(found.cubes) == 2


def test_true_or_absent_is_never_said():
    domains = {"b": Domain((True, False, None)), "e": Domain(("x", "y"))}
    cubes = [{"b": (True,)}, {"b": (None,)}]
    found = simplest(cubes, domains)
    assert sorted(found.cubes, key=repr) == sorted([{"b": (True,)}, {"b": (None,)}], key=repr)


@settings(max_examples=200, deadline=None)
@given(problems())
def test_the_factored_words_are_a_product_of_exactly_the_cubes(problem):
    """`cubes_words` writes a product where there is one: the factors' product is exactly the cubes."""
    domains, cubes = problem
    cubes = [dict(c) for c in {tuple(sorted(c.items())): c for c in cubes}.values()]
    factors = _factors(cubes)
    product = {tuple(sorted((f, v) for part in combo for f, v in part.items())) for combo in itertools.product(*factors)}
    assert product == {tuple(sorted(c.items())) for c in cubes}
    named = [set(f for c in factor for f in c) for factor in factors]
    assert all(not (a & b) for a, b in itertools.combinations(named, 2))  # over disjoint facts


def test_the_revision_reads_the_condition_once():
    """xj-2019 → xj-2021: the arrest matter's changed situations name what they share once, and the
    alternatives in brackets, instead of a chain of conjunctions that repeat each other."""
    r = CliRunner().invoke(cli.main, ["diff", XJ19, XJ21, "--rules", RULES])
    assert r.exit_code == 0, r.output
    line = next(ln for ln in r.stdout.splitlines() if "（40）：" in ln and "并且（" in ln)
    assert line.count("案件重大、疑难、复杂") == 1 and "；或者" in line
