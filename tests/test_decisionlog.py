"""The decision log: the hash chain, append-only triggers, group commit, verify naming the first
broken entry, the exports, and `quanze decide --log` / `quanze log` from the command line."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
import threading

import pytest

from cli import main
from quanze import Library
from quanze.decisionlog import GroupCommitter, LogError, NewEntry, SqliteStore, csv_lines, jsonl_lines, verify
from quanze.decisionlog.chain import canonical, link

from .paths import LISTS

SEED6 = {"matter": "return_for_supplementary_investigation", "actor": "prosecutor",
         "facts": {"prior_supplementary_returns": 2}, "case": "（2021）检6号"}


@pytest.fixture(scope="module")
def library():
    return Library.load(LISTS)


def entries_for(library, n: int, caller: str = "tester") -> list:
    out = []
    for i in range(n):
        request = dict(SEED6, case=f"C-{i}", facts={"prior_supplementary_returns": i % 4})
        out.append(NewEntry(caller, request, library.decide(request).to_json()))
    return out


def filled(path, library, n: int = 5) -> SqliteStore:
    store = SqliteStore(str(path))
    for entry in entries_for(library, n):
        store.append([entry])
    return store


def test_entries_chain_and_read_back_as_appended(tmp_path, library):
    store = filled(tmp_path / "log.sqlite", library, 5)
    got = list(store.entries())
    assert [e.seq for e in got] == [1, 2, 3, 4, 5]
    previous = ""
    for e in got:
        assert e.hash == link(previous, e.body())
        assert e.caller == "tester" and e.list_id == "xj-2021" and e.digest.startswith("sha256:")
        assert e.decision["case"] == e.case == e.request["case"]
        previous = e.hash
    assert verify(store.entries()).intact and verify(store.entries()).entries == 5
    assert [e.case for e in store.entries(case="C-3")] == ["C-3"]


def test_the_canonical_json_is_the_same_bytes_with_or_without_orjson():
    value = {"b": [1, True, None, "检察长\n\"x\""], "a": {"z": 0, "y": "\u2028"}, "c": -5}
    assert canonical(value) == json.dumps(value, sort_keys=True, separators=(",", ":"),
                                          ensure_ascii=False).encode()
    huge = {"case": 2 ** 70}  # orjson refuses integers past 64 bits: json writes them
    assert canonical(huge) == b'{"case":1180591620717411303424}'


@pytest.mark.parametrize("statement", ["UPDATE entries SET caller = 'someone else' WHERE seq = 2",
                                       "DELETE FROM entries WHERE seq = 5"])
def test_the_triggers_refuse_update_and_delete(tmp_path, library, statement):
    path = tmp_path / "log.sqlite"
    filled(path, library).close()
    db = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute(statement)
    db.close()
    assert verify(SqliteStore(str(path)).entries()).intact


def tamper(path, statement: str) -> None:
    """Change the log behind the triggers' back: drop them, run `statement`, as an intruder would."""
    db = sqlite3.connect(path)
    db.execute("DROP TRIGGER entries_no_update")
    db.execute("DROP TRIGGER entries_no_delete")
    db.execute(statement)
    db.commit()
    db.close()


@pytest.mark.parametrize("statement, broken, why", [
    ("UPDATE entries SET decision = replace(decision, '\"forbidden\"', '\"ok\"') WHERE seq = 3", 3, "does not match"),
    ("UPDATE entries SET caller = 'someone else' WHERE seq = 4", 4, "does not match"),
    ("DELETE FROM entries WHERE seq = 2", 3, "entry 2 is missing"),
    ("UPDATE entries SET request = '{not json' WHERE seq = 5", 5, "cannot be read back"),
])
def test_log_verify_names_the_first_tampered_entry(tmp_path, library, runner, statement, broken, why):
    path = tmp_path / "log.sqlite"
    filled(path, library, 6).close()
    result = runner.invoke(main, ["log", "verify", str(path)])
    assert result.exit_code == 0, result.output
    assert "intact: 6 entries" in result.output
    tamper(path, statement)
    result = runner.invoke(main, ["log", "verify", str(path)])
    assert result.exit_code == 1, result.output
    assert f"broken at entry {broken}:" in result.output and why in result.output


def test_rewriting_an_entry_with_its_own_hash_breaks_the_next(tmp_path, library):
    path = tmp_path / "log.sqlite"
    store = filled(path, library, 4)
    third = list(store.entries())[2]
    body = third.body()
    body["caller"] = "someone else"
    forged = link(list(store.entries())[1].hash, body)
    store.close()
    tamper(path, f"UPDATE entries SET caller = 'someone else', hash = '{forged}' WHERE seq = 3")
    verdict = verify(SqliteStore(str(path)).entries())
    assert not verdict.intact and verdict.broken == 4


def test_group_commit_many_threads_one_chain(tmp_path, library):
    log = GroupCommitter(SqliteStore(str(tmp_path / "log.sqlite")))
    work = entries_for(library, 40)
    got, lock = [], threading.Lock()

    def client(k):
        for entry in work[k::8]:
            sealed = log.append(entry)
            with lock:
                got.append((sealed.seq, sealed.case))

    threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    log.close()
    store = SqliteStore(str(tmp_path / "log.sqlite"))
    stored = {(e.seq, e.case) for e in store.entries()}
    assert sorted(got) == sorted(stored) and len(stored) == 40
    assert verify(store.entries()).intact


def test_a_store_that_cannot_write_fails_every_waiting_caller(tmp_path, library):
    log = GroupCommitter(SqliteStore(str(tmp_path / "log.sqlite")))
    log.store.db.close()  # the disk went away under the writer
    future = log.submit(entries_for(library, 1)[0])
    with pytest.raises(LogError) as caught:
        future.result(timeout=10)
    assert caught.value.code == "log-unavailable"


def test_a_file_that_is_not_a_log_is_refused(tmp_path):
    other = tmp_path / "other.sqlite"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE people (name TEXT)")
    db.commit()
    db.close()
    with pytest.raises(LogError) as caught:
        SqliteStore(str(other))
    assert caught.value.code == "bad-log"
    (tmp_path / "text.sqlite").write_text("just text, not a database at all" * 10)
    with pytest.raises(LogError):
        SqliteStore(str(tmp_path / "text.sqlite"))


def test_csv_export_neutralises_formula_cells(tmp_path, library):
    store = SqliteStore(str(tmp_path / "log.sqlite"))
    for case in ("=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "（2021）检6号", "'=quoted"):
        request = dict(SEED6, case=case)
        store.append([NewEntry("=cmd|' /C calc'!A0", request, library.decide(request).to_json())])
    data = b"".join(csv_lines(store.entries()))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    # the guard `quanze check` puts in its CSV (actions.guard): a quote before a formula is guarded too,
    # so that reading the cell back (actions.unguard) gives what was sent
    assert [r["case"] for r in rows] == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "（2021）检6号",
                                         "''=quoted"]
    assert all(r["caller"].startswith("'=") for r in rows)
    assert rows[0]["status"] == "forbidden" and json.loads(rows[0]["decision"])["case"] == "=HYPERLINK(\"http://x\")"
    lines = [json.loads(line) for line in b"".join(jsonl_lines(store.entries())).splitlines()]
    assert [l["case"] for l in lines][0] == "=HYPERLINK(\"http://x\")"  # JSON Lines keep the value as given


def test_decide_log_then_export_and_verify_from_the_cli(tmp_path, runner):
    path = str(tmp_path / "cli.sqlite")
    args = ["decide", f"{LISTS}/xj-2021", "-m", "return_for_supplementary_investigation", "-a", "prosecutor",
            "-f", "prior_supplementary_returns=2", "--case", "K-1", "--log", path]
    first = runner.invoke(main, args + ["--format", "json"])
    assert first.exit_code == 1, first.output
    assert json.loads(first.stdout)["log_id"] == 1
    second = runner.invoke(main, args[:-4] + ["--case", "K-2", "--log", path])
    assert f"log: {path} #2" in second.stdout
    exported = runner.invoke(main, ["log", path, "--case", "K-2"])
    assert exported.exit_code == 0
    (entry,) = [json.loads(line) for line in exported.stdout.splitlines()]
    assert entry["seq"] == 2 and entry["decision"]["status"] == "forbidden" and entry["caller"].startswith("cli")
    assert entry["request"]["facts"] == {"prior_supplementary_returns": 2}
    as_csv = runner.invoke(main, ["log", path, "--format", "csv", "--since", "2000-01-01"])
    assert as_csv.stdout.count("\n") == 3
    assert runner.invoke(main, ["log", path, "--until", "2000-01-01"]).stdout == ""
    assert runner.invoke(main, ["log", "verify", path]).exit_code == 0


@pytest.mark.parametrize("args, needle", [
    (["log", "verify", "nowhere.sqlite"], "no-log"),
    (["log"], "give FILE"),
    (["log", "a", "b"], "give FILE"),
    (["log", "{log}", "--since", "yesterday"], "bad-value: `--since`"),
])
def test_log_usage_errors_are_one_line_exit_2(tmp_path, library, runner, args, needle):
    filled(tmp_path / "log.sqlite", library, 1).close()
    args = [a.replace("{log}", str(tmp_path / "log.sqlite")) for a in args]
    result = runner.invoke(main, args + ["--lang", "en"])
    assert result.exit_code == 2 and needle in result.output, result.output


def test_odd_case_numbers_chain_and_verify(tmp_path, library):
    """A case id past 64 bits and one with a lone surrogate (valid JSON) are stored, read back and
    hash the same as when they were appended."""
    store = SqliteStore(str(tmp_path / "log.sqlite"))
    for case in (2 ** 70, "\ud800 检", "引号\"与\\反斜杠\n"):
        request = dict(SEED6, case=case)
        store.append([NewEntry("t", request, library.decide(request).to_json())])
    got = list(store.entries())
    assert [e.decision["case"] for e in got] == [2 ** 70, "\ud800 检", "引号\"与\\反斜杠\n"]
    assert got[0].case == str(2 ** 70)
    assert verify(store.entries()).intact
