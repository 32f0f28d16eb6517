"""Group commit: many callers' entries appended in one transaction, each caller answered only after.

A synced commit costs a disk flush (milliseconds); one per decision would cap a server at a few
hundred decisions a second. `GroupCommitter` runs one writer thread: it takes every entry waiting
(up to `batch`), appends them with one `store.append` (one commit, one sync), and only then
answers each caller with its entry. While a commit is being synced the next entries gather, so the
batch grows with the load and a lone caller waits for one commit only. An error fails every caller
of that batch: no caller is told a decision was logged that was not.

A thread waits on a `Future` (`submit`, `append`); a coroutine awaits `append_async`, and the
callers of one event loop in a batch are all answered by one call into that loop (not one wake-up
of the loop per entry, which at a few thousand decisions a second is a good part of the loop's time).
"""
from __future__ import annotations

import asyncio
import queue
import threading
from concurrent.futures import Future
from typing import Sequence

from ..model import Text
from .chain import Entry, NewEntry
from .store import DecisionStore, LogError

_STOP = object()


class GroupCommitter:
    def __init__(self, store: DecisionStore, batch: int = 1024):
        self.store = store
        self.batch = batch
        self.waiting: queue.SimpleQueue = queue.SimpleQueue()  # (entries, waiter)
        self.closed = False
        self.thread = threading.Thread(target=self._write, name="quanze-log-writer", daemon=True)
        self.thread.start()

    def submit(self, entry: NewEntry) -> "Future[Entry]":
        """A future that resolves to the appended `Entry` once it is durable (or fails with LogError)."""
        future: Future = Future()
        if self.closed:
            future.set_exception(_closed())
        else:
            self.waiting.put(((entry,), future))
        return future

    def append(self, entry: NewEntry) -> Entry:
        """Append one entry and wait until it is durable."""
        return self.submit(entry).result()

    async def append_async(self, entries: Sequence[NewEntry]) -> list[Entry]:
        """Append `entries` (in order, in one commit) and return them once they are durable; raises
        LogError where they are not. For a coroutine on a running event loop."""
        if self.closed:
            raise _closed()
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self.waiting.put((tuple(entries), (loop, future)))
        return await future

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
            size = len(pending[0][0]) if pending[0] is not _STOP else 0
            while size < self.batch:
                try:
                    item = self.waiting.get_nowait()
                except queue.Empty:
                    break
                pending.append(item)
                size += len(item[0]) if item is not _STOP else 0
            if _STOP in pending:
                stop = True
                pending = [p for p in pending if p is not _STOP]
            if not pending:
                continue
            try:
                sealed = self.store.append([entry for entries, _ in pending for entry in entries])
            except LogError as exc:
                _answer(pending, None, exc)
            except Exception as exc:  # the store's bug or the disk's: fail this batch, keep serving
                _answer(pending, None, LogError("log-unavailable", Text(
                    f"决定日志无法写入（{type(exc).__name__}）", f"the decision log cannot be written: {exc}")))
            else:
                _answer(pending, sealed, None)


def _closed() -> LogError:
    return LogError("log-unavailable", Text("决定日志已关闭", "the decision log is closed"))


def _answer(pending: list, sealed: list | None, failure: LogError | None) -> None:
    """Give each waiter of a batch its entries (or the failure): a thread's Future at once, the
    coroutines of each event loop by one call into it."""
    loops: dict = {}
    at = 0
    for entries, waiter in pending:
        result = sealed[at:at + len(entries)] if sealed is not None else None
        at += len(entries)
        if isinstance(waiter, Future):
            if result is None:
                waiter.set_exception(failure)
            else:
                waiter.set_result(result[0])
        else:
            loop, future = waiter
            loops.setdefault(loop, []).append((future, result))
    for loop, answers in loops.items():
        try:
            loop.call_soon_threadsafe(_settle, answers, failure)
        except RuntimeError:  # the loop is closed: no one is waiting any more
            pass


def _settle(answers: list, failure: LogError | None) -> None:
    """In the event loop: each future its entries or the failure (one whose caller went away, cancelled,
    is left alone)."""
    for future, result in answers:
        if not future.done():
            if failure is not None:
                future.set_exception(failure)
            else:
                future.set_result(result)
