"""The decision log's entries and their hash chain, independent of where they are stored.

An entry is what 谁决定谁负责 needs on record: when (UTC), who asked (the caller), the case, the
matter, the actor, the request as given, the decision JSON, and the list id and digest it was decided
under. Each entry's `hash` is sha256 over the previous entry's hash (64 hex digits; none before the
first) and the entry's canonical JSON (keys sorted, no whitespace, UTF-8, `hash` itself left out), so
changing, removing or reordering any entry breaks every hash after it. A store only keeps entries;
this module makes and checks the chain, so that every store (SQLite today, PostgreSQL later) writes
and verifies the same bytes.
"""
from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from typing import Iterable

import orjson

from ..errors import QuanzeError

GENESIS = ""  # the "previous hash" of the first entry


@dataclass(frozen=True)
class NewEntry:
    """An entry before it is appended: the store gives it its number, time and hash."""

    caller: str
    request: dict
    decision: dict

    @property
    def case(self):
        return self.decision.get("case")


@dataclass(frozen=True)
class Entry:
    """An appended entry. `case` is kept as text (a numeric case id as its digits). A freshly sealed
    entry carries the canonical JSON of its request and decision (`texts`), which a store keeps."""

    seq: int
    time: str
    caller: str
    case: str | None
    matter: str | None  # None in none that `decide` makes; the log takes what it is given
    actor: str | None
    list_id: str | None
    digest: str | None
    request: dict
    decision: dict
    hash: str
    texts: tuple = field(default=(), compare=False, repr=False)

    def body(self) -> dict:
        """What the hash covers: every field but the hash."""
        return {"seq": self.seq, "time": self.time, "caller": self.caller, "case": self.case,
                "matter": self.matter, "actor": self.actor, "list": {"id": self.list_id, "digest": self.digest},
                "request": self.request, "decision": self.decision}

    def to_json(self) -> dict:
        out = self.body()
        out["hash"] = self.hash
        return out


def canonical(value) -> bytes:
    """Keys sorted, no whitespace, UTF-8. orjson where it can (fast); `json` for what orjson refuses
    (integers past 64 bits, lone surrogates) — the two write the same bytes for everything else."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
            "utf-8", "backslashreplace")


def link(previous: str, body: dict) -> str:
    """The hash of an entry whose body is `body`, after the entry whose hash is `previous`."""
    return hashlib.sha256(previous.encode("ascii") + canonical(body)).hexdigest()


def case_text(case) -> str | None:
    """The case as the log's text column keeps it: its digits for a number; a lone surrogate (which
    valid JSON may carry) as its `\\uXXXX` escape, since no database stores it."""
    if case is None:
        return None
    text = str(case)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def utc_now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def body_json(seq, time, caller, case, matter, actor, list_id, digest, request_text: bytes,
              decision_text: bytes) -> bytes:
    """`canonical(entry.body())`, assembled around the request's and the decision's canonical JSON
    (made once, and kept by the store as they are) instead of serialising them a second time. The
    keys in sorted order; the tests hold it to `canonical`."""
    c = canonical
    return b"".join((b'{"actor":', c(actor), b',"caller":', c(caller), b',"case":', c(case), b',"decision":',
                     decision_text, b',"list":{"digest":', c(digest), b',"id":', c(list_id), b'},"matter":',
                     c(matter), b',"request":', request_text, b',"seq":', c(seq), b',"time":', c(time), b"}"))


def seal(new: NewEntry, seq: int, time: str, previous: str) -> Entry:
    """The entry `new` becomes as entry number `seq`, appended after the entry hashed `previous`."""
    d = new.decision
    lst = d.get("list") or {}
    case, matter, actor, list_id, digest = case_text(d.get("case")), d.get("matter"), d.get("actor"), lst.get("id"), \
        lst.get("digest")
    texts = (canonical(new.request), canonical(d))
    body = body_json(seq, time, new.caller, case, matter, actor, list_id, digest, *texts)
    digest_hex = hashlib.sha256(previous.encode("ascii") + body).hexdigest()
    return Entry(seq, time, new.caller, case, matter, actor, list_id, digest, new.request, d, digest_hex, texts)


@dataclass(frozen=True)
class Verdict:
    """The chain check: `intact`, how many entries were read, and the first broken one."""

    intact: bool
    entries: int
    broken: int | None = None   # the seq of the first entry that does not match
    reason: str = ""
    head: str = GENESIS         # the last good hash

    def to_json(self) -> dict:
        return {"intact": self.intact, "entries": self.entries, "broken": self.broken, "reason": self.reason,
                "head": self.head}


class Unreadable(QuanzeError, ValueError):
    """A stored entry that cannot even be read back (its JSON is not JSON): the store names its seq."""

    def __init__(self, seq: int, message: str):
        super().__init__(message)
        self.seq = seq


def verify(entries: Iterable[Entry]) -> Verdict:
    """Recompute the chain over `entries` (in seq order) and name the first entry that does not match:
    one whose hash differs from sha256(previous hash + its canonical JSON), or one where a number is
    missing or repeated. A store's iterator raises `Unreadable` for an entry it cannot decode."""
    previous, count, expected = GENESIS, 0, 1
    it = iter(entries)
    while True:
        try:
            entry = next(it)
        except StopIteration:
            return Verdict(True, count, head=previous)
        except Unreadable as exc:
            return Verdict(False, count, exc.seq, str(exc), previous)
        if entry.seq != expected:
            why = (f"entry {expected} is missing (the next entry is {entry.seq})" if entry.seq > expected
                   else f"entry {entry.seq} is out of order (expected {expected})")
            return Verdict(False, count, entry.seq, why, previous)
        if link(previous, entry.body()) != entry.hash:
            return Verdict(False, count, entry.seq,
                           f"entry {entry.seq} does not match its hash: it was changed, or an entry before "
                           f"it was", previous)
        previous, count, expected = entry.hash, count + 1, expected + 1
