"""The one interface every decision-log store keeps (`DecisionStore`), and what a store refuses.

A store appends entries durably and reads them back in order; the chain (`chain.seal`,
`chain.verify`) is made and checked outside it, so another store keeps the same bytes. SQLite
(`sqlite_store.SqliteStore`) is the default: a file, nothing else running. A PostgreSQL store for
several servers sharing one log would implement the same three methods (see the README).
"""
from __future__ import annotations

from typing import Iterator, Protocol, Sequence

from ..codes import LOG, is_of
from ..errors import QuanzeError
from ..model import Text
from .chain import Entry, NewEntry


class LogError(QuanzeError):
    """The log cannot be opened, read or written: `code` is a LOG code of quanze.codes, the message
    says where."""

    code: str  # always given

    def __init__(self, code: str, message: Text):
        assert is_of(code, LOG), f"unregistered log error code {code!r}"
        super().__init__(message, code)


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
