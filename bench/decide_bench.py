"""Decisions per second of one warm in-process engine, beside the plain-Python reference evaluator.

    python bench/decide_bench.py [--n 20000]

On `lists/xj-2021` and on a generated list of 274 prosecutor items across 12 business lines (the size
of the seed's list, bench/genlist.py), in the same run: the durable-rules path (`Library.decide`, the
full decision: engine, obligations, chain, because) and the independent reference evaluator of
tests/reference.py (conditions on the YAML form, required authority only), both on the same complete
requests. Not a test: it prints figures.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
sys.path.insert(0, HERE)

from genlist import generate  # noqa: E402
from quanze import Library  # noqa: E402
from quanze.catalogue import load_catalogue  # noqa: E402
from quanze.requests import parse_request  # noqa: E402
from tests.reference import decide_complete  # noqa: E402


def raw_items(folder):
    with open(os.path.join(folder, "list.yaml"), encoding="utf-8") as h:
        head = yaml.load(h, Loader=yaml.BaseLoader)
    out = []
    for part, rel in head["parts"].items():
        if part == "office":
            continue
        with open(os.path.join(folder, rel), encoding="utf-8") as h:
            data = yaml.safe_load(h)
        default = {"prosecutor": "prosecutor", "procurator_general": "procurator_general",
                   "committee": "procuratorial_committee"}[part]
        out.extend({"matter": i["matter"], "decides": i.get("decides", default), "when": i.get("when")}
                   for i in data["items"])
    return out


def raw_statutes(rules):
    with open(os.path.join(rules, "statutory.yaml"), encoding="utf-8") as h:
        data = yaml.safe_load(h)
    return [{"matters": r["matter"] if isinstance(r["matter"], list) else [r["matter"]], "when": r.get("when"),
             "forbid": bool(r.get("forbid")), "floor": r.get("floor")} for r in data["rules"]]


def requests_for(lib, n, rng):
    the_list = lib.lists[0]
    decider = lib.decider(the_list.id)
    matters = the_list.matters()
    out = []
    for _ in range(n):
        matter = rng.choice(matters)
        mr = decider.rules(matter)
        facts = {f: rng.choice(mr.space.values(f)) for f in mr.reads}
        out.append({"matter": matter, "actor": "prosecutor", "facts": facts})
    return out


def rate(fn, items):
    start = time.perf_counter()
    for x in items:
        fn(x)
    return len(items) / (time.perf_counter() - start)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20000)
    args = ap.parse_args()
    rules = os.path.join(ROOT, "rules")
    catalogue, _ = load_catalogue(rules)
    statutes = raw_statutes(rules)
    tmp = tempfile.mkdtemp(prefix="quanze-bench-")
    generate(os.path.join(tmp, "gen-274"))
    rng = random.Random(7)
    print(f"{'list':<10} {'items':>5} {'durable-rules decide/s':>24} {'reference /s':>14} {'ratio':>7}")
    for folder in (os.path.join(ROOT, "lists", "xj-2021"), os.path.join(tmp, "gen-274")):
        lib = Library.load(folder, catalogue=catalogue)
        lib.decider(lib.lists[0].id).compile_all()
        raws = requests_for(lib, args.n, rng)
        reqs = [parse_request(r, catalogue) for r in raws]
        items = raw_items(folder)
        by_matter = {}
        for it in items:
            by_matter.setdefault(it["matter"], []).append(it)
        st_by = {}
        for s in statutes:
            for m in s["matters"]:
                st_by.setdefault(m, []).append(s)
        for r in reqs[:200]:  # warm
            lib.decide(r)
        durable = rate(lib.decide, reqs)
        reference = rate(lambda r: decide_complete(by_matter.get(r["matter"], []), st_by.get(r["matter"], []),
                                                   r["matter"], r["facts"]), raws)
        n_items = len(lib.lists[0].items)
        print(f"{lib.lists[0].id:<10} {n_items:>5} {durable:>24,.0f} {reference:>14,.0f} {reference / durable:>6.1f}×")
    print(f"\n{args.n} complete requests per list, one process, Python {sys.version.split()[0]}; "
          "ratio = how many times faster the reference evaluator is (it computes the required authority only)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
