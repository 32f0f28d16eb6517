"""Logged decisions per second over HTTP (`quanze serve`, the log on) beside the same requests
in-process (`Library.decide`), at 1, 8 and 64 concurrent clients, with p50/p99 latency.

    python bench/serve_bench.py [--seconds 8] [--max-requests 200000] [--clients 1,8,64] [--n 5000]

The server is started here on a free loopback port with a fresh SQLite log (synchronous=FULL, group
commit), and stopped at the end; the load generator is one asyncio loop (one connection per client,
keep-alive, requests pre-encoded) so that it costs the server's core as little as possible. Every run
is bounded by --seconds and --max-requests and sends traffic to 127.0.0.1 only. The requests are
--n generated valid ones (bench/generate.py: every branch of every matter, repeated situations),
sent round-robin. Beside the HTTP figures: the parts of a served decision measured in-process
(parsing, deciding, the decision's JSON, a commit of the log alone, one entry and a group) so
that the rest can be put on HTTP and the event loop. Not a test: it prints figures.
"""
from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from generate import Generator, write  # noqa: E402
from quanze import Library  # noqa: E402
from quanze.decisionlog import GroupCommitter, NewEntry, SqliteStore, verify  # noqa: E402
from quanze.actions import parse_line  # noqa: E402
from quanze.server.respond import json_bytes  # noqa: E402

LISTS = os.path.join(ROOT, "lists")


def requests_for(library, n: int, seed: int) -> list[bytes]:
    out = io.BytesIO()
    write(Generator(library, seed, 0.0, 0.1, 0.95), n, out, "jsonl")
    return [line for line in out.getvalue().splitlines() if line]


def pct(values, q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- in-process ---------------------------------------------------------------------------------

def in_process(library, bodies: list[bytes], seconds: float, limit: int) -> dict:
    """`Library.decide` alone, one thread, over the same bodies (parsed beforehand)."""
    raws = [json.loads(b) for b in bodies]
    for raw in raws:  # warm: every situation seen once, as the server's will be after its first round
        library.decide(raw)
    lat, n, start = [], 0, time.perf_counter()
    deadline = start + seconds
    while n < limit and time.perf_counter() < deadline:
        raw = raws[n % len(raws)]
        t = time.perf_counter()
        library.decide(raw)
        lat.append(time.perf_counter() - t)
        n += 1
    elapsed = time.perf_counter() - start
    return {"n": n, "rate": n / elapsed, "p50": pct(lat, 0.5), "p99": pct(lat, 0.99)}


def parts(library, bodies: list[bytes], folder: str) -> dict:
    """Microseconds per request of each in-process part of a served decision."""
    raws = [parse_line(b) for b in bodies]
    decisions = [library.decide(r) for r in raws]
    jsons = [d.to_json() for d in decisions]

    def per(fn, items):
        t = time.perf_counter()
        for x in items:
            fn(x)
        return (time.perf_counter() - t) / len(items) * 1e6

    out = {"parse (actions.parse_line)": per(parse_line, bodies),
           "Library.decide": per(library.decide, raws),
           "Decision.to_json": per(lambda d: d.to_json(), decisions),
           "response bytes (orjson)": per(json_bytes, jsons)}
    store = SqliteStore(os.path.join(folder, "parts.sqlite"))
    entries = [NewEntry("bench", r, j) for r, j in zip(raws, jsons)]
    t = time.perf_counter()
    for e in entries[:200]:
        store.append([e])
    out["log: one entry per commit (fsync each)"] = (time.perf_counter() - t) / 200 * 1e6
    t = time.perf_counter()
    for at in range(0, 2000, 100):
        store.append(entries[at:at + 100])
    out["log: per entry in commits of 100"] = (time.perf_counter() - t) / 2000 * 1e6
    store.close()
    log = GroupCommitter(SqliteStore(os.path.join(folder, "group.sqlite")))
    t = time.perf_counter()
    futures = [log.submit(e) for e in entries[:2000]]
    for f in futures:
        f.result()
    out["log: group committer, 2000 submitted at once, per entry"] = (time.perf_counter() - t) / 2000 * 1e6
    log.close()
    return out


# ---- over HTTP ----------------------------------------------------------------------------------

async def load(port: int, bodies: list[bytes], clients: int, seconds: float, limit: int) -> dict:
    wire = [b"POST /v1/decide HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(b), b) for b in bodies]
    lat: list = []
    errors = [0]
    sent = [0]
    deadline = time.perf_counter() + seconds

    async def client(k: int):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        i = k
        try:
            while sent[0] < limit and time.perf_counter() < deadline:
                sent[0] += 1
                t = time.perf_counter()
                writer.write(wire[i % len(wire)])
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
                body = await reader.readexactly(length)
                lat.append(time.perf_counter() - t)
                if not head.startswith(b"HTTP/1.1 200") or b'"log_id"' not in body:
                    errors[0] += 1
                i += clients
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(client(k) for k in range(clients)))
    elapsed = time.perf_counter() - start
    return {"n": len(lat), "rate": len(lat) / elapsed, "p50": pct(lat, 0.5), "p99": pct(lat, 0.99),
            "errors": errors[0]}


def thread_cpu(pid: int) -> dict:
    """CPU seconds so far of process `pid`'s event loop and of its other threads (Linux /proc; empty elsewhere)."""
    out: dict = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    tick = os.sysconf("SC_CLK_TCK")
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # the main thread runs the event loop; under /v1/decide the others are the log's writer (the worker
        # threads serve /v1/check and the log's reads), and Python does not name threads for the system
        kind = "event loop" if tid == str(pid) else "log writer"
        out[kind] = out.get(kind, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return out


def peak_rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024


def check_run(port: int, block: bytes, repeats: int) -> dict:
    """POST `block` `repeats` times as one /v1/check body, reading the answer while sending (a thread
    sends, this one reads and counts); returns lines and bytes out and the seconds taken."""
    import threading
    sock = socket.create_connection(("127.0.0.1", port), timeout=120)
    sock.sendall(b"POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-ndjson\r\n"
                 b"Content-Length: %d\r\nConnection: close\r\n\r\n" % (len(block) * repeats))
    start = time.perf_counter()
    sender = threading.Thread(target=lambda: [sock.sendall(block) for _ in range(repeats)])
    sender.start()
    lines = size = 0
    while True:
        data = sock.recv(1 << 20)
        if not data:
            break
        lines += data.count(b"\n")
        size += len(data)
    sender.join()
    sock.close()
    return {"lines": lines, "bytes": size, "seconds": time.perf_counter() - start}


def start_server(log: str, sync: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    quanze = os.path.join(os.path.dirname(sys.executable), "quanze")
    proc = subprocess.Popen([quanze, "serve", LISTS, "--port", str(port), "--log", log, "--log-sync", sync],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("quanze serve did not start")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=8.0, help="each run at most this long")
    ap.add_argument("--max-requests", type=int, default=200_000, help="each run at most this many requests")
    ap.add_argument("--clients", default="1,8,64")
    ap.add_argument("--n", type=int, default=5000, help="distinct generated requests")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--check-lines", type=int, default=1_000_000,
                    help="lines of the one /v1/check body sent at the end (0: none)")
    ap.add_argument("--sync", default="full,normal",
                    help="the log's sync modes to serve with (full: synced at every commit, the default of "
                         "`quanze serve`; normal: committed, not synced)")
    a = ap.parse_args(argv)
    library = Library.load(LISTS)
    bodies = requests_for(library, a.n, a.seed)
    print(f"{len(bodies)} generated requests over {LISTS}; {os.cpu_count()} cores "
          f"(load average {os.getloadavg()[0]:.1f}: other work on this machine shares them)")
    with tempfile.TemporaryDirectory() as folder:
        base = in_process(library, bodies, a.seconds, a.max_requests)
        print(f"\nin-process Library.decide, 1 thread: {base['rate']:,.0f}/s  p50 {base['p50'] * 1e6:.0f} µs  "
              f"p99 {base['p99'] * 1e6:.0f} µs  ({base['n']:,} decisions)")
        print("\nparts of a served decision, in-process (µs per request):")
        for name, us in parts(library, bodies, folder).items():
            print(f"  {name:<55} {us:8.1f}")
        for sync in a.sync.split(","):
            log = os.path.join(folder, f"log-{sync}.sqlite")
            proc, port = start_server(log, sync)
            try:
                asyncio.run(load(port, bodies, 8, 2.0, 20_000))  # warm: every situation seen once
                print(f"\nover HTTP, the log on with --log-sync {sync} (POST /v1/decide, keep-alive, loopback):")
                print(f"  {'clients':>7} {'decisions/s':>12} {'p50 ms':>8} {'p99 ms':>8} {'in-process/HTTP':>16} "
                      f"{'errors':>7}   CPU µs per decision: server's event loop, its log writer, the load generator")
                for clients in (int(c) for c in a.clients.split(",")):
                    before, mine = thread_cpu(proc.pid), time.process_time()
                    r = asyncio.run(load(port, bodies, clients, a.seconds, a.max_requests))
                    after, mine = thread_cpu(proc.pid), time.process_time() - mine
                    cpu = {k: (after[k] - before.get(k, 0.0)) / max(r["n"], 1) * 1e6 for k in after}
                    print(f"  {clients:>7} {r['rate']:>12,.0f} {r['p50'] * 1e3:>8.2f} {r['p99'] * 1e3:>8.2f} "
                          f"{base['rate'] / r['rate']:>15,.0f}x {r['errors']:>7}   {cpu.get('event loop', 0):.0f}, "
                          f"{cpu.get('log writer', 0):.0f}, {mine / max(r['n'], 1) * 1e6:.0f}")
            finally:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)
            logged = sum(1 for _ in SqliteStore(log, create=False).entries())
            print(f"  {logged:,} decisions logged, the chain checked: "
                  f"{'intact' if verify(SqliteStore(log, create=False).entries()).intact else 'BROKEN'}")
        if a.check_lines:
            proc, port = start_server(os.path.join(folder, "check.sqlite"), "full")
            try:
                block = b"\n".join(bodies) + b"\n"
                check_run(port, block, 1)  # warm
                before = peak_rss_mib(proc.pid)
                repeats = max(1, a.check_lines // len(bodies))
                r = check_run(port, block, repeats)
                after = peak_rss_mib(proc.pid)
            finally:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)
            print(f"\nPOST /v1/check, one body of {len(bodies) * repeats:,} lines ({len(block) * repeats / 2**20:,.0f} MiB "
                  f"in, {r['bytes'] / 2**20:,.0f} MiB out, the HTTP framing included): {r['seconds']:.1f} s, "
                  f"{len(bodies) * repeats / r['seconds']:,.0f} lines/s; the server's peak memory "
                  f"{before:,.0f} MiB before, {after:,.0f} MiB after")
        print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
