"""The lists a server decides with, swapped whole on reload.

A `Version` is one load of the lists: the `Library`, a batch `Checker` over it (for /v1/check) and
the lock that keeps that checker's memo to one thread at a time. A request takes `Served.current`
once, when it starts, and uses that version to the end: a reload (SIGHUP) builds a new version
beside the old one and replaces the reference in one assignment, so a request in flight finishes on
the version it started with, and every decision names the digest it used.
"""
from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass, field

from quanze.batch import Checker
from quanze.library import Library, LoadFailure


@dataclass
class Version:
    library: Library
    checker: Checker
    loaded_at: str
    number: int
    lock: threading.Lock = field(default_factory=threading.Lock)

    def lists_json(self) -> list:
        return [{"id": l.id, "digest": l.digest, "level": l.level, "effective_from": l.effective_from,
                 "effective_to": l.effective_to, "supersedes": l.supersedes, "conforms_to": l.conforms_to,
                 "counts": {p.name: len(p.items) for p in l.parts}} for l in self.library.lists]


class Served:
    """The lists at `path` (a list folder or a folder of versions), loaded now and on `reload()`."""

    def __init__(self, path: str, rules: str | None = None):
        self.path, self.rules = path, rules
        self.reloads = 0
        self.current = self._load(1)

    def _load(self, number: int) -> Version:
        library = Library.load(self.path, rules=self.rules)  # the catalogue too: a reload reads the rules again
        now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
        return Version(library, Checker(library), now, number)

    def reload(self) -> str:
        """Load the lists again and swap them in; on failure keep serving the current version.
        Returns a line for the server's output."""
        try:
            version = self._load(self.current.number + 1)
        except LoadFailure as exc:
            first = f"; first: {exc.findings[0].format()}" if exc.findings else ""
            return f"reload failed, still serving version {self.current.number}: {exc}{first}"
        except OSError as exc:
            return f"reload failed, still serving version {self.current.number}: {exc}"
        self.current = version
        self.reloads += 1
        digests = ", ".join(f"{l.id} {l.digest[:19]}" for l in version.library.lists)
        return f"reloaded the lists (version {version.number}): {digests}"
