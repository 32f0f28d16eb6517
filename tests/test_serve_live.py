"""`quanze serve` as a process: nothing acknowledged is lost when it is killed mid-load, lists
reload on SIGHUP while a request in flight finishes on its version, /v1/check streams a large body
in bounded memory, and it will not listen beyond loopback without tokens."""
from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import subprocess
import threading
import time

import pytest

from bench.generate import main as generate  # the project's generator of realistic action files
from cli import main
from quanze.decisionlog import SqliteStore, verify

from .paths import LISTS
from .serving import QUANZE, Server, stream_post

CLIENTS = 8


def test_sigkill_mid_load_loses_no_acknowledged_decision(tmp_path):
    log = str(tmp_path / "log.sqlite")
    server = Server(LISTS, log).start()
    acknowledged, lock, enough = [], threading.Lock(), threading.Event()
    deadline = time.monotonic() + 30

    def client(k):
        i = 0
        while time.monotonic() < deadline and i < 5000:
            case = f"T{k}-{i}"
            try:
                status, body = server.post("/v1/decide", {"matter": "return_for_supplementary_investigation",
                                                          "actor": "prosecutor", "case": case,
                                                          "facts": {"prior_supplementary_returns": i % 4}})
            except (OSError, ValueError, http.client.HTTPException):
                return  # the server is gone (killed between the request and the whole answer)
            assert status == 200, body
            with lock:
                acknowledged.append((body["log_id"], case))
                if len(acknowledged) >= 400:
                    enough.set()
            i += 1

    def checker(k):  # /v1/check logs every line it decides, and sends it with its log_id once durable
        i = 0
        while time.monotonic() < deadline and i < 500:
            cases = [f"C{k}-{i}-{j}" for j in range(20)]
            body = b"".join(json.dumps({"matter": "extend_review_period", "actor": "prosecutor", "case": case,
                                        "facts": {"case_is_major_or_complex": j % 2 == 0}}).encode() + b"\n"
                            for j, case in enumerate(cases))
            try:
                status, data = server.request("POST", "/v1/check", body)
            except (OSError, ValueError, http.client.HTTPException):
                return
            assert status == 200, data
            with lock:
                acknowledged.extend((line["log_id"], line["case"]) for line in map(json.loads, data.splitlines()))
            i += 1

    threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
    threads += [threading.Thread(target=checker, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    assert enough.wait(30), "the load did not get going"
    server.kill()  # SIGKILL: no shutdown, no final commit
    for t in threads:
        t.join(30)
    assert len(acknowledged) >= 400 and any(case.startswith("C") for _, case in acknowledged)

    restarted = Server(LISTS, log).start()  # the same log, recovered from its write-ahead log
    try:
        status, after = restarted.post("/v1/decide", {"matter": "extend_review_period", "case": "after"})
        assert status == 200
    finally:
        restarted.stop()
    cases = {e.seq: e.case for e in SqliteStore(log, create=False).entries()}
    missing = [(seq, case) for seq, case in acknowledged if cases.get(seq) != case]
    assert not missing, f"{len(missing)} acknowledged decisions are not in the log: {missing[:5]}"
    assert after["log_id"] == max(cases) and cases[after["log_id"]] == "after"
    verdict = subprocess.run([QUANZE, "log", "verify", log], capture_output=True, text=True)
    assert verdict.returncode == 0 and f"intact: {len(cases)} entries" in verdict.stdout


def test_sighup_reloads_and_a_check_in_flight_finishes_on_its_version(tmp_path):
    folder = tmp_path / "lists"
    shutil.copytree(LISTS, folder)
    server = Server(str(folder), str(tmp_path / "log.sqlite")).start()
    try:
        before = json.loads(server.get("/v1/health")[1])
        line = json.dumps({"matter": "extend_review_period", "actor": "prosecutor", "on": "2022-03-01",
                           "facts": {"case_is_major_or_complex": True}}).encode() + b"\n"
        parts = [line * 200, line * 200]
        out = []

        def between(i):
            if i == 1:  # half the body sent and answered: change the list, reload, then send the rest
                part = folder / "xj-2021" / "procurator-general.yaml"
                part.write_text(part.read_text(encoding="utf-8") + "\n# reworded\n", encoding="utf-8")
                server.signal(signal.SIGHUP)
                for _ in range(100):
                    if json.loads(server.get("/v1/health")[1])["version"] == 2:
                        return
                    time.sleep(0.1)
                raise AssertionError("the server did not reload")

        assert stream_post(server.port, "/v1/check", parts, out.append, between) == 200
        after = json.loads(server.get("/v1/health")[1])
        old, new = (next(l["digest"] for l in h["lists"] if l["id"] == "xj-2021") for h in (before, after))
        assert old != new
        lines = [json.loads(l) for l in b"".join(out).splitlines()]
        assert len(lines) == 400 and {l["list"]["digest"] for l in lines} == {old}  # all on the version it began with
        status, decision = server.post("/v1/decide", json.loads(line))
        assert decision["list"]["digest"] == new
    finally:
        output = server.stop()
    assert "reloaded the lists (version 2)" in output


def test_check_streams_a_large_body_in_bounded_memory(tmp_path):
    actions = tmp_path / "actions.jsonl"
    generate([LISTS, "5000", "--seed", "3", "-o", str(actions)])
    block = actions.read_bytes()
    repeats = 30  # 150,000 lines, about 45 MB in and three times that out
    server = Server(LISTS, str(tmp_path / "log.sqlite")).start()
    try:
        stream_post(server.port, "/v1/check", [block], lambda data: None)  # warm: the memo and the allocator
        start = server.rss_peak_kib()
        counted = [0, 0]

        def count(data):
            counted[0] += data.count(b"\n")
            counted[1] += len(data)

        assert stream_post(server.port, "/v1/check", [block] * repeats, count) == 200
        grown = server.rss_peak_kib() - start
    finally:
        server.stop()
    assert counted[0] == 5000 * repeats
    body_in, body_out = len(block) * repeats // 1024, counted[1] // 1024
    assert body_out > 2 * body_in
    print(f"peak memory grew {grown} KiB for {body_in} KiB in, {body_out} KiB out")
    assert grown < body_in / 2, f"the server's peak memory grew {grown} KiB for {body_in} KiB in, {body_out} KiB out"


def test_without_tokens_it_refuses_to_listen_beyond_loopback(runner, tmp_path):
    result = runner.invoke(main, ["serve", LISTS, "--host", "0.0.0.0", "--log", str(tmp_path / "x.sqlite")])
    assert result.exit_code == 2 and "本机回环地址" in result.output and "--tokens" in result.output
    assert not os.path.exists(tmp_path / "x.sqlite")
    (tmp_path / "tokens.txt").write_text("someone: not-a-hash\n")
    result = runner.invoke(main, ["serve", LISTS, "--host", "0.0.0.0", "--tokens", str(tmp_path / "tokens.txt")])
    assert result.exit_code == 2 and "tokens.txt:1" in result.output


def test_a_tokened_server_on_loopback_takes_only_its_tokens(tmp_path):
    import hashlib
    (tmp_path / "tokens.txt").write_text(f"case-system: {hashlib.sha256(b'tok').hexdigest()}\n")
    server = Server(LISTS, str(tmp_path / "log.sqlite"), extra=["--tokens", str(tmp_path / "tokens.txt")]).start()
    try:
        request = {"matter": "extend_review_period"}
        assert server.post("/v1/decide", request)[0] == 401
        assert server.post("/v1/decide", request, {"Authorization": "Bearer nope"})[0] == 401
        status, body = server.post("/v1/decide", request, {"Authorization": "Bearer tok"})
        assert status == 200 and body["log_id"] == 1
    finally:
        server.stop()
    assert [e.caller for e in SqliteStore(str(tmp_path / "log.sqlite"), create=False).entries()] == ["case-system"]
    assert verify(SqliteStore(str(tmp_path / "log.sqlite"), create=False).entries()).intact
