"""Benchmark: the exact impact of a revision on one matter reading N facts, for N past the bound of
enumeration (2^N situations), against deciding every situation under both lists (what the impact did
before it was factored), where that is still possible.

    .venv/bin/python bench/impact_bench.py [--facts 8 12 14 16 20 23] [--brute 14] [--seed 1]

Each list has one item per boolean fact on `sentencing_recommendation` (no statutory rule reads a fact
on it): most read their fact alone, some join it with a fact of the same cluster of three (so the
factoring meets groups of one to three facts), with random authorities and duties to inform; the
revision changes a fifth of the authorities and widens a reporting rule's scope. For each N: the
situations, those that change, the groups of facts, the distinct outcomes the fold kept, the time of
the exact impact, and — up to `--brute` facts — the time of deciding all 2^N situations under both
lists and whether the two counts agree.
"""
from __future__ import annotations

import argparse
import itertools
import random
import time

from quanze import conditions
from quanze.catalogue import load_catalogue
from quanze.decide import Decider
from quanze.impact import matter_impact, outcome_brief
from quanze.model import DoubleList, Item, Part, ReportingRule, Text
from quanze.situations import ABSENT

MATTER = "sentencing_recommendation"
AUTH = ["prosecutor", "department_head", "procurator_general", "procuratorial_committee"]


def build(catalogue, items, reporting, list_id):
    its = []
    for k, (authority, when, report_to) in enumerate(items):
        cond, problems = conditions.parse(when, catalogue.facts, ())
        assert not problems, problems
        its.append(Item(f"W-{k}", MATTER, "prosecutor", authority, cond, f"bench:{k}", report_to=report_to, basis=("x",)))
    reps = []
    for k, (applies_to, when, report_to) in enumerate(reporting):
        cond, _ = conditions.parse(when, catalogue.facts, ())
        reps.append(ReportingRule(f"R-{k}", applies_to, cond, report_to, ("x",), "bench:0"))
    return DoubleList(list_id, Text("基准", "bench"), Text("-", "-"), "provincial", "2000-01-01", None, None,
                      (Part("prosecutor", "bench", tuple(its)),), tuple(reps), digest=f"sha256:{list_id}")


def revision(catalogue, n: int, rng: random.Random):
    facts = [f for f, v in catalogue.facts.items() if v.type == "boolean"][:n]
    items = []
    for k, f in enumerate(facts):
        when = {"fact": f, "is": rng.choice([True, False])}
        if rng.random() < 0.3:
            cluster = facts[k - k % 3:k - k % 3 + 3]
            when = {rng.choice(["any", "all"]): [when, {"fact": rng.choice(cluster), "is": rng.choice([True, False])}]}
        items.append((rng.choice(AUTH), when, ("department_head",) if rng.random() < 0.3 else ()))
    revised = [(rng.choice(AUTH) if rng.random() < 0.2 else a, w, r) for a, w, r in items]
    rule = {"fact": facts[0], "is": True}
    old = build(catalogue, items, [(("procurator_general",), rule, ("procurator_general",))], f"bench-old-{n}")
    new = build(catalogue, revised, [(("prosecutor", "procurator_general"), rule, ("procurator_general",))],
                f"bench-new-{n}")
    return Decider(old, catalogue), Decider(new, catalogue)


def brute(od, nd, mi) -> int:
    changed = 0
    for values in itertools.product(*(mi.space.values(f) for f in mi.facts)):
        facts = {f: v for f, v in zip(mi.facts, values) if v is not ABSENT}
        changed += outcome_brief(od.outcome(MATTER, facts)) != outcome_brief(nd.outcome(MATTER, facts))
    return changed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--facts", type=int, nargs="+", default=[8, 12, 14, 16, 20, 23])
    ap.add_argument("--brute", type=int, default=14, help="decide every situation up to this many facts")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    catalogue, _ = load_catalogue()
    print(f"{'facts':>5} {'situations':>11} {'changed':>9} {'groups':>6} {'outcomes':>8} {'exact':>8} "
          f"{'every situation':>16}  agree")
    for n in args.facts:
        od, nd = revision(catalogue, n, random.Random(f"{args.seed}-{n}"))
        od.rules(MATTER), nd.rules(MATTER)  # compiled before timing, as deciding compiles once
        t = time.perf_counter()
        mi = matter_impact(MATTER, od, nd, catalogue)
        exact = time.perf_counter() - t
        line = (f"{n:>5} {mi.total:>11} {mi.changed:>9} {len(mi.fact_groups):>6} {len(mi.changed_at):>8} "
                f"{exact:>7.2f}s")
        if n <= args.brute:
            t = time.perf_counter()
            count = brute(od, nd, mi)
            line += f" {time.perf_counter() - t:>15.2f}s  {'yes' if count == mi.changed else f'NO ({count})'}"
        print(line + ("  bounded: " + mi.why if mi.bounded else ""), flush=True)


if __name__ == "__main__":
    main()
