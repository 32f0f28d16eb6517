"""Benchmark of `quanze check` (issue 4): not a test, a script that prints a table.

    python bench/check_bench.py [--lines 1000000] [--work DIR] [--sample 20000] [--repeat 3] [--long 3]

On N generated actions (bench/generate.py, 5% bad lines) against the generated 274-item list
(bench/genlist.py), in one run on one machine:
- the I/O floor: reading the same lines, json.loads and json.dumps of each, writing them to a file
  (in this process); with --repeat N the floor and `check` take turns N times (the floor once more at
  the end) and the medians are compared;
- `quanze check LIST ACTIONS --out FILE` as a subprocess, single process: wall time and its ratio to
  the floor (target 1.5), peak RSS sampled from /proc over the run (flat: compared with the run on the
  first tenth of the lines);
- the uncached durable-rules path on a sample (`--no-cache`): decisions per second;
- `--jobs 2`: wall time and speed-up;
- the cost of the output's size alone: writing as many bytes as `check` wrote (os.write + fsync) —
  a decision line is about four times the size of its request, so this part of the wall time is
  beyond what the floor writes;
- with --long K: a run over K times the lines (other seeds), the peak RSS in the first K-th of its
  wall time against the peak over all of it (the memo is bounded: memory must stop growing).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

from bench.generate import Generator, write  # noqa: E402
from bench.genlist import generate as genlist  # noqa: E402
from quanze import Library  # noqa: E402

QUANZE = os.path.join(os.path.dirname(sys.executable), "quanze")


def floor(path: str, out: str) -> float:
    start = time.perf_counter()
    with open(path, "rb") as src, open(out, "wb", buffering=1 << 20) as dst:
        for line in src:
            try:
                dst.write((json.dumps(json.loads(line), ensure_ascii=False) + "\n").encode())
            except ValueError:
                dst.write(b'{"error": null}\n')
        dst.flush()
        os.fsync(dst.fileno())
    return time.perf_counter() - start


def write_floor(size: int, out: str) -> float:
    """Wall time of writing `size` bytes to a file and syncing it, in 4 MiB writes."""
    block = b"x" * (1 << 22)
    start = time.perf_counter()
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        left = size
        while left > 0:
            left -= os.write(fd, block[: min(left, len(block))])
        os.fsync(fd)
    finally:
        os.close(fd)
    return time.perf_counter() - start


def run(args: list) -> tuple[float, int, list]:
    """Wall time, peak RSS (KiB) and RSS samples (seconds, KiB) of a subprocess."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    samples = []
    while proc.poll() is None:
        try:
            with open(f"/proc/{proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        samples.append((time.perf_counter() - start, int(line.split()[1])))
        except OSError:
            pass
        time.sleep(0.1)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}): {err}")
    peak = max((kb for _, kb in samples), default=0)
    return wall, peak, samples


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--sample", type=int, default=20_000)
    ap.add_argument("--work", default=None)
    ap.add_argument("--long", type=int, default=0, help="also run over this many times the lines, for memory")
    ap.add_argument("--repeat", type=int, default=1, help="run the floor and `check` in turn this many times "
                                                          "and report the medians")
    a = ap.parse_args(argv)
    work = a.work or tempfile.mkdtemp(prefix="quanze-bench-")
    os.makedirs(work, exist_ok=True)
    lst = os.path.join(work, "gen-274")
    if not os.path.exists(os.path.join(lst, "list.yaml")):
        genlist(lst)
    actions = os.path.join(work, f"actions-{a.lines}.jsonl")
    tenth = os.path.join(work, f"actions-{a.lines // 10}.jsonl")
    sample = os.path.join(work, f"actions-{a.sample}.jsonl")
    if not os.path.exists(actions):
        t = time.perf_counter()
        with open(actions, "wb", buffering=1 << 20) as f:
            write(Generator(Library.load(lst), seed=1), a.lines, f)
        print(f"generated {a.lines} lines in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    for path, n in ((tenth, a.lines // 10), (sample, a.sample)):
        if not os.path.exists(path):
            with open(actions, "rb") as src, open(path, "wb") as dst:
                for i, line in enumerate(src):
                    if i >= n:
                        break
                    dst.write(line)
    out = os.path.join(work, "out.jsonl")
    size = os.path.getsize(actions)

    # The floor and `check` take turns, `--repeat` times: this machine's timings drift by about 10%.
    floors, checks = [], []
    for _ in range(a.repeat):
        floors.append(floor(actions, os.path.join(work, "floor.jsonl")))
        check_s, check_rss, samples = run([QUANZE, "check", lst, actions, "--out", out])
        checks.append(check_s)
    floors.append(floor(actions, os.path.join(work, "floor.jsonl")))  # again after, to see the drift
    out_size = os.path.getsize(out)
    floor_s, floor2_s = floors[0], floors[-1]
    check_s = sorted(checks)[len(checks) // 2]  # the median
    tenth_s, tenth_rss, _ = run([QUANZE, "check", lst, tenth, "--out", out])
    nocache_s, _, _ = run([QUANZE, "check", lst, sample, "--out", out, "--no-cache"])
    cached_sample_s, _, _ = run([QUANZE, "check", lst, sample, "--out", out])
    startup_s, _, _ = run([QUANZE, "check", lst, os.devnull, "--input-format", "jsonl", "--out", out])
    jobs_s, jobs_rss, _ = run([QUANZE, "check", lst, actions, "--out", out, "--jobs", "2"])
    write_s = write_floor(out_size, os.path.join(work, "write-floor.bin"))
    os.unlink(os.path.join(work, "write-floor.bin"))
    n_sample = a.sample
    best_floor = sorted(floors)[len(floors) // 2]  # the median
    runs = "" if a.repeat == 1 else f" (median of {a.repeat}: " + ", ".join(f"{c:.2f}" for c in checks) + ")"
    rows = [
        ("input", f"{a.lines:,} lines, {size / 2**20:.0f} MiB; output {out_size / 2**20:.0f} MiB"),
        ("I/O floor: json.loads + json.dumps, same lines", f"{best_floor:.2f} s" + (
            f" (first {floor_s:.2f} s, last {floor2_s:.2f} s)" if a.repeat == 1 else
            " (median of " + ", ".join(f"{f:.2f}" for f in floors) + ")")),
        ("quanze check, 1 process (subprocess, --out)", f"{check_s:.2f} s = {check_s / best_floor:.2f} x floor "
                                                        f"({a.lines / check_s:,.0f} lines/s){runs}"),
        ("  of which start-up (load + compile, empty input)", f"{startup_s:.2f} s"),
        ("  writing the output's bytes alone (+ fsync)", f"{write_s:.2f} s for {out_size / 2**20:.0f} MiB "
                                                         f"(the floor writes {size / 2**20:.0f} MiB)"),
        ("uncached durable-rules path (--no-cache)", f"{n_sample / max(1e-9, nocache_s - startup_s):,.0f} decisions/s "
                                                    f"({n_sample:,} lines in {nocache_s:.2f} s)"),
        ("memoised, same sample", f"{cached_sample_s:.2f} s"),
        ("peak RSS, first tenth / all lines", f"{tenth_rss / 1024:.0f} MiB ({a.lines // 10:,} lines, {tenth_s:.2f} s) / "
                                              f"{check_rss / 1024:.0f} MiB"),
        ("RSS over the run (s: MiB)", ", ".join(f"{t:.0f}: {kb / 1024:.0f}" for t, kb in samples[:: max(1, len(samples) // 8)])),
        ("--jobs 2", f"{jobs_s:.2f} s, speed-up {check_s / jobs_s:.2f} x (cpus: {os.cpu_count()}; parent RSS {jobs_rss / 1024:.0f} MiB)"),
    ]
    if a.long > 1:
        longer = os.path.join(work, f"actions-{a.lines}x{a.long}.jsonl")
        if not os.path.exists(longer):
            with open(longer, "wb", buffering=1 << 20) as f:
                for seed in range(1, a.long + 1):
                    write(Generator(Library.load(lst), seed=seed), a.lines, f)
        long_s, long_rss, long_samples = run([QUANZE, "check", lst, longer, "--out", out])
        first = [kb for t, kb in long_samples if t <= long_s / a.long]
        rows.append((f"{a.long} x {a.lines:,} lines: peak RSS in the first 1/{a.long} of the run / in all",
                     f"{max(first, default=0) / 1024:.0f} MiB / {long_rss / 1024:.0f} MiB ({long_s:.1f} s)"))
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print(f"(work folder: {work})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
