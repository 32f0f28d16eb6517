"""Running a whole input through a `Checker`: in chunks, in this process or in several, in order.

`check_stream` hands each chunk's output to a writer in input order. With `jobs` > 1 the chunks are
checked by forked worker processes, each holding the library loaded once (inherited from this
process); a worker's JSON Lines output comes back through a spool file (in /dev/shm where it
exists) rather than the pipe. While a batch runs, the cyclic garbage collector is kept off the
long-lived objects (`quiet_gc`).
"""
from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing
import os
import shutil
import signal
import tempfile
from collections import Counter

from .checker import Checker

_WORKER: "Checker | None" = None  # the checker of a worker process (inherited through fork)


def _work(job):
    chunk, fmt, only_flagged, spool = job
    try:
        out, stats = _WORKER.run(chunk, fmt, only_flagged)
        if spool is not None and type(out) is bytes:
            out = _spool(out, spool)
        return out, stats
    finally:
        gc.freeze()  # as `quiet_gc`: the memo's new entries out of the collector's way


def _spool(data: bytes, folder: str) -> str:
    """Write a chunk's output to a file in `folder` (in memory where /dev/shm is) and return its path:
    handing a worker's output to the parent through a pipe costs it a pickle and two copies more, and
    the parent, which writes every chunk in order, was what held `--jobs` back."""
    fd, path = tempfile.mkstemp(dir=folder)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
    return path


def _unspool(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)


def spool_folder() -> str:
    """A private folder for spooled chunks: in /dev/shm (memory) where it exists, else the temp folder."""
    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    return tempfile.mkdtemp(prefix="quanze-check-", dir=base)


def _init_worker():
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and ends the workers
    gc.freeze()  # as `quiet_gc`
    gc.set_threshold(max(gc.get_threshold()[0], 50_000), *gc.get_threshold()[1:])


class Numbered:
    """A chunk of JSON lines as `(line, bytes)` records, numbered from `start` (picklable, for --jobs)."""

    __slots__ = ("start", "lines")

    def __init__(self, start: int, lines: list):
        self.start, self.lines = start, lines

    def __len__(self) -> int:
        return len(self.lines)

    def __iter__(self):
        return zip(itertools.count(self.start), self.lines)

    def __getstate__(self):
        return self.start, self.lines

    def __setstate__(self, state):
        self.start, self.lines = state


def chunked(records, size: int | None = None, default: int = 4096):
    """Chunks of records: without `size`, whole reads of lines where the records can give them
    (`JsonLines.chunks`); else lists of `size` (or `default`) records."""
    if size is None and hasattr(records, "chunks"):
        for start, lines in records.chunks():
            yield Numbered(start, lines)
        return
    size = size or default
    chunk = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@contextlib.contextmanager
def quiet_gc():
    """Keep the cyclic garbage collector off the long-lived objects (the library, the memo) while a
    batch runs: `gc.freeze` moves them to a generation it never walks. A batch makes no reference
    cycles, so nothing is lost; reference counting still frees what the memo drops. Measured: the
    collector walking them cost about a fifth of the time of a memoised line. The youngest generation
    is collected less often too: the objects of a line are freed by reference counting anyway."""
    gc.collect()
    gc.freeze()
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], 50_000), *threshold[1:])  # a line's objects die with the line
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def check_stream(checker: Checker, records, write, stats: Counter, fmt: str = "jsonl", only_flagged: bool = False,
                 jobs: int = 1, chunk_size: int | None = None, progress=None, parts: bool = False) -> Counter:
    """Check every record and hand each chunk's output to `write`, in input order. With `parts`, a
    `jsonl` chunk checked in this process is handed over as its parts (`Checker.run`), not joined.

    `stats` is updated in place after each chunk is written, so that after a KeyboardInterrupt it
    counts exactly the lines whose output was written. With `jobs` > 1 the chunks are checked by that
    many forked processes, each holding the library loaded once (inherited from this process), and
    written in input order."""
    if jobs <= 1:
        with quiet_gc():
            since = 0
            for chunk in chunked(records, chunk_size):
                out, st = checker.run(chunk, fmt, only_flagged, parts)
                write(out)
                stats.update(st)
                if progress:
                    progress(len(chunk))
                since += len(chunk)
                if since >= 65_536:
                    gc.freeze()  # the memo's new entries, out of the collector's way too
                    since = 0
        return stats
    global _WORKER
    _WORKER = checker
    ctx = multiprocessing.get_context("fork")
    spool = spool_folder() if fmt == "jsonl" else None
    pool = ctx.Pool(jobs, initializer=_init_worker)
    try:
        sizes: list = []

        def jobs_of():
            for chunk in chunked(records, chunk_size, 20_000):
                sizes.append(len(chunk))
                yield chunk, fmt, only_flagged, spool

        for i, (out, st) in enumerate(pool.imap(_work, jobs_of(), chunksize=1)):
            write(_unspool(out) if type(out) is str else out)
            stats.update(st)
            if progress:
                progress(sizes[i])
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
        _WORKER = None
        if spool is not None:
            shutil.rmtree(spool, ignore_errors=True)  # chunks a failure or Ctrl-C left unwritten
    return stats
