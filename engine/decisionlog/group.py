"""Group commit: many callers' entries appended in one transaction, each caller answered only after.

A synced commit costs a disk flush (milliseconds); one per decision would cap a server at a few
hundred decisions a second. `GroupCommitter` runs one writer thread: it takes every entry waiting
(up to `batch`), appends them with one `store.append` (one commit, one sync), and only then
resolves each caller's future with its entry. While a commit is being synced the next entries
gather, so the batch grows with the load and a lone caller waits for one commit only. An error
fails every future of that batch: no caller is told a decision was logged that was not.
"""
from __future__ import annotations

import queue
import threading
from concurrent.futures import Future

from .chain import Entry, NewEntry
from .store import DecisionStore, LogError

_STOP = object()


class GroupCommitter:
    def __init__(self, store: DecisionStore, batch: int = 1024):
        self.store = store
        self.batch = batch
        self.waiting: queue.SimpleQueue = queue.SimpleQueue()
        self.closed = False
        self.thread = threading.Thread(target=self._write, name="quanze-log-writer", daemon=True)
        self.thread.start()

    def submit(self, entry: NewEntry) -> "Future[Entry]":
        """A future that resolves to the appended `Entry` once it is durable (or fails with LogError)."""
        future: Future = Future()
        if self.closed:
            future.set_exception(LogError("log-unavailable", "the decision log is closed"))
        else:
            self.waiting.put((entry, future))
        return future

    def append(self, entry: NewEntry) -> Entry:
        """Append one entry and wait until it is durable."""
        return self.submit(entry).result()

    def close(self) -> None:
        """Commit what is waiting, stop the writer, close the store."""
        if not self.closed:
            self.closed = True
            self.waiting.put(_STOP)
            self.thread.join()
            self.store.close()

    def _write(self) -> None:
        stop = False
        while not stop:
            pending = [self.waiting.get()]
            while len(pending) < self.batch:
                try:
                    pending.append(self.waiting.get_nowait())
                except queue.Empty:
                    break
            if _STOP in pending:
                stop = True
                pending = [p for p in pending if p is not _STOP]
            if not pending:
                continue
            try:
                sealed = self.store.append([entry for entry, _ in pending])
            except LogError as exc:
                failure = exc
            except Exception as exc:  # the store's bug or the disk's: fail this batch, keep serving
                failure = LogError("log-unavailable", f"the decision log cannot be written: {exc}")
            else:
                for (_, future), entry in zip(pending, sealed):
                    future.set_result(entry)
                continue
            for _, future in pending:
                future.set_exception(failure)
