"""Writing a long output from a thread of its own, so that writing overlaps the work that makes it.

`quanze check` makes about 1.1 kB of decision JSON a line: a gigabyte for a million lines. Written
from the thread that decides, every `write` system call (copying into the page cache) and the final
`fsync` (waiting for the disk to take the whole gigabyte) stopped the deciding: together a tenth of
the run on the benchmark. `Sink` hands each chunk of output to a writer thread through a short queue;
the system calls release the GIL, so on a machine with a second core the writing costs the decider
almost nothing. With `sync_every`, the writer also syncs the file every so many bytes, so the disk
takes the output while it is made and the final `fsync` has only the tail left to wait for.

A chunk is bytes, or a list of byte strings to be written one after the other (the parts of a
chunk's output, as `Checker.run(parts=True)` gives them), which the writer thread joins. A chunk's
output joined is megabytes; joined by the deciding thread and freed by the writer, with several
queued at once, such blocks sat between the memo's small objects in one heap, and glibc's heap kept
growing (peak RSS in each third of a three-million-line run: 121, 161, 190 MiB; writing from one
thread gave 128, 135, 140). Joined and freed by the writer thread, they stay in that thread's own malloc
arena (106, 115, 130 MiB), and the join's copying is off the deciding thread too. (`os.writev`
of the parts was tried: the writer thread then took the GIL thousands of times a chunk, and each
time waited for the deciding thread to let go of it; a million lines took 13 s instead of 10.)

Whole chunks only: a chunk is written whole (the writer thread never sees Ctrl-C: Python runs signal
handlers in the main thread, and the thread blocks SIGINT where it can), and `close` writes every
chunk queued before it, so what `write` accepted is what ends up in the file. An error of the writer
(a full disk) is raised in the caller's thread by the next `write` or by `close`; a write the system
takes only in part is written on (`outfile.write_all`), never dropped.
"""
from __future__ import annotations

import os
import queue
import signal
import threading

from ..outfile import write_all

_DONE = None  # the queue's last item
_datasync = getattr(os, "fdatasync", os.fsync)  # macOS has no fdatasync


class Sink:
    """A binary file written by a thread of its own. `target` needs `write` and `flush` (a real file,
    standard output, or a BytesIO under a test runner); `sync_every` (bytes) is ignored without a file
    descriptor."""

    def __init__(self, target, sync_every: int | None = None, depth: int = 4):
        self.target = target
        self.sync_every = sync_every
        self.fd = _descriptor(target)  # for syncing
        self.error: BaseException | None = None
        self._queue: queue.Queue = queue.Queue(maxsize=depth)  # at most `depth` chunks in memory
        self._thread = threading.Thread(target=self._run, name="quanze-sink", daemon=True)
        self._closed = False
        self._thread.start()

    def write(self, data) -> None:
        """Queue `data` (bytes, or a list of byte strings) to be written (waits while the queue is
        full); raises the writer's error."""
        if self.error is not None:
            raise self.error
        if self._closed:
            raise ValueError("write to a closed Sink")
        if data:
            self._queue.put(data)

    def close(self) -> None:
        """Write everything queued, stop the writer, and raise its error if it had one."""
        if not self._closed:
            self._closed = True
            self._queue.put(_DONE)
            self._thread.join()
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # Ctrl-C is the main thread's
        target, every = self.target, self.sync_every
        unsynced = 0
        while True:
            data = self._queue.get()
            if data is _DONE:
                return
            if self.error is not None:
                continue  # drain: the caller learns of the error from `write` or `close`
            try:
                if data.__class__ is list:
                    data = b"".join(data)
                write_all(target, data)  # a short write is written on, or raises
                target.flush()
                if every and self.fd is not None:
                    unsynced += len(data)
                    if unsynced >= every:
                        _datasync(self.fd)
                        unsynced = 0
            except BaseException as exc:  # handed to the caller's thread
                self.error = exc


def _descriptor(target) -> int | None:
    """The file descriptor under `target`, if it has one (a BytesIO under a test runner has none)."""
    try:
        return target.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError and a ValueError
        return None
