"""The one interface every decision-log store keeps (`DecisionStore`), and what a store refuses.

A store appends entries durably and reads them back in order; the chain (`chain.seal`,
`chain.verify`) is made and checked outside it, so another store keeps the same bytes. SQLite
(`sqlite_store.SqliteStore`) is the default: a file, nothing else running. A PostgreSQL store for
several servers sharing one log would implement the same three methods (see the README).
"""
from __future__ import annotations

from typing import Iterator, Protocol, Sequence

from .chain import Entry, NewEntry


# The codes a `LogError` carries, with what they mean (documented in docs/findings.md).
LOG_CODES: dict[str, str] = {
    "no-log": "the file named as a decision log does not exist (`quanze log`)",
    "bad-log": "the file is not a quanze decision log, or cannot be read as one",
    "log-unavailable": "the decision log cannot be written: no decision is given",
    "bad-value": "a bad `--since` / `--until` (or `since` / `until`): not a day or a UTC time",
}


class LogError(Exception):
    """The log cannot be opened, read or written: `code` is stable, the message says where."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        assert code in LOG_CODES, f"unregistered log error code {code!r}"
        self.code = code
        self.message = message


class DecisionStore(Protocol):
    def append(self, entries: Sequence[NewEntry]) -> list[Entry]:
        """Seal `entries` after the current head, in order, and return them once they are durable
        (committed and synced): never before. All or none are appended."""

    def entries(self, case: str | None = None, since: str | None = None, until: str | None = None,
                after: int = 0, limit: int | None = None) -> Iterator[Entry]:
        """Entries in seq order, optionally of one case, from `since` (inclusive) to `until`
        (exclusive) in UTC ISO time, after seq `after`, at most `limit`."""

    def close(self) -> None:
        ...
