"""Benchmark of a long membership condition (issue 11, item 12): not a test, a script that prints a table.

    python bench/membership_bench.py [--sizes 500,512,513,600,3000] [--timeout 60]

For `{fact: prior_supplementary_returns, in: [0, 1, ..., N-1]}`, the time of durable-rules'
`create_ruleset` on one rule holding it, in a child process killed after --timeout seconds (the engine
holds the GIL in a loop that never ends, so neither Ctrl-C nor a thread could stop it):
- before: the form quanze compiled until this change, an `$or` of N equalities;
- after: what `backend.to_durable` compiles now (a range test where a test per value would not fit).
A list of more than 400 values with no run to make a range (0, 2, 4, ...) is refused by `validate`
(`condition-too-large`) and never reaches the engine.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from quanze.backend import to_durable  # noqa: E402
from quanze.model import Leaf  # noqa: E402

CHILD = """
import sys, time
import durable_rules_engine as dr
text = sys.stdin.read()
start = time.perf_counter()
dr.create_ruleset("bench", text)
print(time.perf_counter() - start)
"""


def create_time(condition: dict, timeout: float) -> str:
    """create_ruleset's time on one rule, in a child process (killed after `timeout`)."""
    text = json.dumps({"r0": {"all": [{"m": condition}]}})
    try:
        done = subprocess.run([sys.executable, "-c", CHILD], input=text, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"> {timeout:g} s (killed)"
    if done.returncode != 0:
        return "error: " + done.stderr.strip().splitlines()[-1]
    return f"{float(done.stdout) * 1000:.1f} ms"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="500,512,513,600,3000")
    ap.add_argument("--timeout", type=float, default=60)
    args = ap.parse_args()
    print(f"{'values':>7}  {'before: $or of equalities':>26}  {'after: to_durable':>20}  {'(form after)':<28}")
    for n in (int(s) for s in args.sizes.split(",")):
        values = tuple(range(n))
        before = {"$or": [{"f_prior_supplementary_returns": v} for v in values]}
        after = to_durable(Leaf("prior_supplementary_returns", "in", values))
        form = "ranges" if "$gte" in json.dumps(after) else "a test per value"
        started = time.perf_counter()
        row = f"{n:>7}  {create_time(before, args.timeout):>26}  {create_time(after, args.timeout):>20}  {form:<28}"
        print(row + f"  [{time.perf_counter() - started:.1f} s]", flush=True)


if __name__ == "__main__":
    main()
