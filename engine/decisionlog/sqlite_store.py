"""The decision log in one SQLite file: WAL, synced on every commit, append-only by trigger.

`synchronous=FULL` in WAL mode syncs the write-ahead log at every commit, so a committed entry
survives a crash of the process or the machine; `append` returns only after that commit. `sync="normal"`
(`quanze serve --log-sync normal`) commits without the sync: an entry then survives the process
being killed, not the machine losing power — for a log on storage that keeps its writes anyway. Each
`append` is one transaction holding SQLite's write lock (BEGIN IMMEDIATE), and reads the head inside
it, so two processes appending to one file (`quanze serve` and `quanze decide --log`) still make one
chain. Triggers refuse UPDATE and DELETE: changing an entry takes dropping them, which `verify` then
finds through the chain.
"""
from __future__ import annotations

import json
import os
import sqlite3
from typing import Iterator, Sequence

from ..model import Text
from .chain import GENESIS, Entry, NewEntry, Unreadable, seal, utc_now
from .store import LogError

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    seq      INTEGER PRIMARY KEY,
    time     TEXT NOT NULL,
    caller   TEXT NOT NULL,
    "case"   TEXT,
    matter   TEXT NOT NULL,
    actor    TEXT,
    list_id  TEXT NOT NULL,
    digest   TEXT NOT NULL,
    request  TEXT NOT NULL,
    decision TEXT NOT NULL,
    hash     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_case ON entries("case");
CREATE INDEX IF NOT EXISTS entries_time ON entries(time);
CREATE TRIGGER IF NOT EXISTS entries_no_update BEFORE UPDATE ON entries
    BEGIN SELECT RAISE(ABORT, 'the decision log is append-only: entries cannot be changed'); END;
CREATE TRIGGER IF NOT EXISTS entries_no_delete BEFORE DELETE ON entries
    BEGIN SELECT RAISE(ABORT, 'the decision log is append-only: entries cannot be deleted'); END;
"""
COLUMNS = 'seq, time, caller, "case", matter, actor, list_id, digest, request, decision, hash'


def not_a_log(path: str) -> LogError:
    return LogError("bad-log", Text(f"`{path}` 不是 quanze 决定日志", f"`{path}` is not a quanze decision log"))


class SqliteStore:
    """A `DecisionStore` in the SQLite file `path` (created when absent; `create=False` to refuse)."""

    def __init__(self, path: str, create: bool = True, sync: str = "full"):
        if sync not in ("full", "normal"):
            raise ValueError(f"sync is full or normal, not {sync!r}")
        self.path = path
        if not create and not os.path.isfile(path):
            raise LogError("no-log", Text(f"`{path}`：没有这个决定日志", f"`{path}`: no such decision log"))
        try:
            # autocommit mode: transactions are opened and closed explicitly below
            self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
            self.db.execute("PRAGMA busy_timeout = 30000")
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if version not in (0, SCHEMA_VERSION) or (tables and "entries" not in tables):
                raise not_a_log(path)
            if create:
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.executescript(SCHEMA)
                self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            elif "entries" not in tables:
                raise not_a_log(path)
            self.db.execute(f"PRAGMA synchronous = {sync.upper()}")
        except sqlite3.DatabaseError as exc:
            raise LogError("bad-log", Text(f"`{path}` 无法作为 quanze 决定日志读取（SQLite 报错）", f"`{path}`: {exc}")) from None

    def append(self, entries: Sequence[NewEntry]) -> list[Entry]:
        db = self.db
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                row = db.execute("SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1").fetchone()
                seq, previous = row if row else (0, GENESIS)
                time = utc_now()
                sealed = []
                for new in entries:
                    seq += 1
                    entry = seal(new, seq, time, previous)
                    previous = entry.hash
                    sealed.append(entry)
                db.executemany(f"INSERT INTO entries ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                               [(e.seq, e.time, e.caller, e.case, e.matter, e.actor, e.list_id, e.digest,
                                 e.texts[0].decode("utf-8", "surrogatepass"), e.texts[1].decode("utf-8", "surrogatepass"),
                                 e.hash) for e in sealed])
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise LogError("log-unavailable", Text(f"决定日志 `{self.path}` 无法写入（SQLite 报错）",
                                                   f"the decision log `{self.path}` cannot be written: {exc}")) from None
        return sealed

    def entries(self, case=None, since=None, until=None, after: int = 0, limit: int | None = None) -> Iterator[Entry]:
        where, args = ["seq > ?"], [after]
        for clause, value in (('"case" = ?', case), ("time >= ?", since), ("time < ?", until)):
            if value is not None:
                where.append(clause)
                args.append(value)
        sql = f"SELECT {COLUMNS} FROM entries WHERE {' AND '.join(where)} ORDER BY seq"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        # a connection of its own: reading while `append` runs in another thread (WAL lets both go on)
        reader = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        try:
            for row in reader.execute(sql, args):
                yield _entry(row)
        except sqlite3.Error as exc:
            raise LogError("bad-log", Text(f"决定日志 `{self.path}` 无法读取（SQLite 报错）",
                                           f"the decision log `{self.path}` cannot be read: {exc}")) from None
        finally:
            reader.close()

    def close(self) -> None:
        self.db.close()


def _entry(row) -> Entry:
    seq, time, caller, case, matter, actor, list_id, digest, request, decision, hash_ = row
    try:
        return Entry(seq, time, caller, case, matter, actor, list_id, digest, json.loads(request),
                     json.loads(decision), hash_)
    except (TypeError, ValueError, RecursionError) as exc:
        raise Unreadable(seq, f"entry {seq} cannot be read back: {exc}") from None
