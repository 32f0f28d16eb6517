"""In-process `Library.decide`: a repeated request, a new request of a class seen before, and a request of
a new class, beside the raw durable-rules call of the same work (assert, drain, retract: `Compiled.fire`),
all in the same run. Not a test: it prints figures (µs per call, median of several rounds).

    python bench/library_bench.py [--n 5000] [--rounds 5]
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

from quanze import Library  # noqa: E402
from quanze.requests import parse_request  # noqa: E402
from tests import generators as gen  # noqa: E402


def per_call(fn, items) -> float:
    t = time.perf_counter()
    for x in items:
        fn(x)
    return (time.perf_counter() - t) / len(items) * 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    rng = random.Random(1)
    folder = os.path.join(ROOT, "lists", "xj-2021")
    figures: dict = {"repeated": [], "class seen": [], "new class": [], "raw durable-rules": [], "no memo": []}
    for r in range(args.rounds):
        lib = Library.load(folder)
        cat = lib.catalogue
        raws = [gen.request(rng, cat, complete=True, facts=gen.FACTS) for _ in range(args.n)]
        requests = [parse_request(raw, cat) for raw in raws]
        decider = lib.decider(lib.lists[0].id)
        for q in requests:  # compile every matter first: no figure includes compiling
            decider.rules(q.matter)
        # a new class: the first time each request is seen (classes repeat within the sample, so this is
        # an upper bound on the share of new classes: it is the cold pass)
        figures["new class"].append(per_call(lib.decide, raws))
        figures["repeated"].append(per_call(lib.decide, raws))
        copies = [dict(raw, case=f"c{k}") for k, raw in enumerate(raws)]  # same classes, new requests
        figures["class seen"].append(per_call(lib.decide, copies))
        fire = [(decider.rules(q.matter).compiled, q.fact_dict) for q in requests]
        figures["raw durable-rules"].append(per_call(lambda cf: cf[0].fire(cf[1], cf[1]), fire))
        figures["no memo"].append(per_call(lambda q: decider.finish(decider.outcome(q.matter, q.fact_dict), q), requests))
    raw = statistics.median(figures["raw durable-rules"])
    print(f"{args.n} complete requests on xj-2021, {args.rounds} rounds (median µs per call):")
    for name, vals in figures.items():
        m = statistics.median(vals)
        print(f"  {name:<20} {m:8.1f} µs   {m / raw:5.2f}× the raw durable-rules call")


if __name__ == "__main__":
    main()
