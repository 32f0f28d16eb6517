"""Peak memory of `quanze check` on input where every line brings fresh numbers: not a test, a table.

    python bench/check_memory.py [--lines 100000,1000000,3000000] [--work DIR] [--repeat 1]
                                 [--quanze PATH ...]

Generates (once, in the work folder) the generated 274-item list (bench/genlist.py) and an action
file of the largest N lines with `bench/generate.py --fresh`: every line on a matter whose rules read
an integer fact, each such value one no line before gave. For each N, runs `quanze check LIST FILE`
on the first N lines (output to /dev/null) and reports its peak RSS (`ru_maxrss` of the child, from
`os.wait4`) and wall time. The memo of `check` is bounded: the peak must not grow with N.

Several `--quanze` executables (e.g. one per worktree) take turns on each N, so that a before/after
comparison runs in one session on one machine; with --repeat K each runs K times and the medians are
reported (the spread is shown too: other processes share the cores).

This script stays small on purpose: it generates its files in subprocesses and imports nothing of
quanze. Linux counts in a child's `ru_maxrss` the resident size of the process it was forked from
(recorded when the child calls exec), so a parent that had generated ten million lines in itself
reported its own 180 MiB as the peak of every `check` it started.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

QUANZE = os.path.join(os.path.dirname(sys.executable), "quanze")


def peak(args: list) -> tuple[float, int]:
    """Wall time (s) and peak RSS (KiB) of a child process, its output thrown away."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        proc = subprocess.Popen(args, stdout=null, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode})")
    return time.perf_counter() - start, usage.ru_maxrss


def head(src: str, dst: str, n: int) -> None:
    with open(src, "rb") as f, open(dst, "wb") as out:
        for i, line in enumerate(f):
            if i >= n:
                break
            out.write(line)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", default="100000,1000000,3000000")
    ap.add_argument("--work", default=None)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--quanze", action="append", default=None, help="a quanze executable (repeatable)")
    a = ap.parse_args(argv)
    sizes = sorted(int(x) for x in a.lines.split(","))
    work = a.work or tempfile.mkdtemp(prefix="quanze-memory-")
    os.makedirs(work, exist_ok=True)
    lst = os.path.join(work, "gen-274")
    if not os.path.exists(os.path.join(lst, "list.yaml")):
        subprocess.run([sys.executable, os.path.join(HERE, "genlist.py"), lst], check=True, stdout=subprocess.DEVNULL)
    full = os.path.join(work, f"fresh-{sizes[-1]}.jsonl")
    if not os.path.exists(full):
        subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), lst, str(sizes[-1]), "--fresh", "--seed", "3",
                        "-o", full], check=True)
    files = {}
    for n in sizes:
        files[n] = full if n == sizes[-1] else os.path.join(work, f"fresh-{n}.jsonl")
        if not os.path.exists(files[n]):
            head(full, files[n], n)
    executables = a.quanze or [QUANZE]
    results: dict = {}
    for n in sizes:
        for _ in range(a.repeat):
            for exe in executables:  # in turn, so that drift hits each alike
                results.setdefault((exe, n), []).append(peak([exe, "check", lst, files[n]]))
    width = max(len(e) for e in executables)
    print(f"{'quanze':<{width}}  {'lines':>9}  {'peak RSS MiB (median; runs)':<34}  wall s (median)")
    for exe in executables:
        for n in sizes:
            runs = results[(exe, n)]
            rss = [kb / 1024 for _, kb in runs]
            wall = statistics.median(s for s, _ in runs)
            spread = ", ".join(f"{r:.0f}" for r in rss)
            print(f"{exe:<{width}}  {n:>9,}  {statistics.median(rss):>6.0f} ({spread}){'':<10}  {wall:.1f}")
    print(f"(work folder: {work})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
