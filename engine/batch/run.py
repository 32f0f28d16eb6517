"""A whole `quanze check`: records in, an output file or standard output out, whole lines only.

`CheckRun` opens the output (an `AtomicFile` for `--out`: all of it or nothing), starts the writer
thread (`sink.Sink`, syncing the file as it goes), writes the header of the format, and `run` checks
every record (`parallel.check_stream`), each chunk rendered (`present.batch` for CSV and the table,
in the run's language, the table fitted to `width` terminal columns) and queued whole: Ctrl-C is held while a chunk is queued, so a chunk counted in the stats is a chunk
written. An interrupted run keeps what was written to standard output (whole lines) and leaves no
`--out` file; a failed one raises, its `--out` file discarded and machine errors naming the file.
"""
from __future__ import annotations

import os
import signal
from collections import Counter

from ..outfile import AtomicFile, named
from ..present.batch import CsvRows, TextTable
from . import parallel
from .checker import Checker
from .sink import Sink

SYNC_EVERY = 64 << 20  # bytes of an --out file written between syncs
TABLE_WIDTH = 120  # terminal columns of the text table where no terminal says how wide it is


def output_format(out_path: str | None, given: str | None, terminal: bool) -> str:
    """`--format`, or else: CSV for an --out name ending in .csv, the table on a terminal, JSON Lines."""
    if given is not None:
        return given
    if out_path is not None:
        return "csv" if out_path.lower().endswith(".csv") else "jsonl"
    return "text" if terminal else "jsonl"


def estimate_lines(path: str) -> int:
    """About how many lines the file at `path` has (its size over the mean line of its first 64 KiB)."""
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        sample = fh.read(1 << 16)
    return int(size / max(1, len(sample) / max(1, sample.count(b"\n")))) if sample else 0


class CheckRun:
    """One run of `check` over `records` into `out_path` (atomically) or `stdout` (a binary stream)."""

    def __init__(self, checker: Checker, records, fmt: str, out_path: str | None = None, stdout=None,
                 only_flagged: bool = False, jobs: int = 1, inputs=(), lang: str = "en", width: int = TABLE_WIDTH):
        self.checker, self.records, self.fmt = checker, records, fmt
        self.only_flagged, self.jobs = only_flagged, jobs
        self.out_path = out_path
        self.out = AtomicFile(out_path, inputs) if out_path is not None else None  # OutputError: exit 2
        self.stdout = stdout
        target = self.out.file if self.out is not None else stdout
        # Every chunk's output is rendered in this thread (a jsonl chunk comes as its parts, which the
        # sink joins) and written by the sink's own thread: the writing overlaps the deciding.
        synced = self.out is not None and self.out.temp is not None  # a file, not a device written through
        self.sink = Sink(target, sync_every=SYNC_EVERY if synced else None)
        self.render: CsvRows | TextTable | None
        if fmt == "csv":
            self.render = CsvRows(checker.catalogue, lang)
            self.sink.write(self.render.header())
        elif fmt == "text":
            self.render = TextTable(checker.catalogue, lang, width)
            self.sink.write(self.render.header())
        else:
            self.render = None  # bytes, or the parts of a chunk's output (`parts=True`)

    def _write(self, out) -> None:
        data = self.render(out) if self.render is not None else out
        # SIGINT is held while a chunk is queued: a chunk counted in the stats is a chunk written whole
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            self.sink.write(data)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)

    def run(self, progress=None) -> tuple[Counter, bool]:
        """Check every record; returns (stats, whether Ctrl-C interrupted the run). `progress` is
        called with the number of lines of each chunk done."""
        stats: Counter = Counter()
        interrupted = False
        committed = False
        try:
            try:
                parallel.check_stream(self.checker, self.records, self._write, stats, self.fmt, self.only_flagged,
                                      self.jobs, progress=progress, parts=True)
            except KeyboardInterrupt:
                interrupted = True
            finally:
                self.sink.close()  # what was queued is written (whole chunks), and the writer's error is raised
            if self.out is not None and not interrupted:
                self.out.commit()
                committed = True
        except KeyboardInterrupt:
            interrupted = True
        except OSError as exc:
            if exc.filename is None and self.out_path is not None:  # the sink's write: name the file it was for
                raise named(exc, self.out_path) from exc
            raise
        finally:
            if self.out is not None:
                if not committed:  # failed or interrupted: no partial file replaces the target
                    self.out.discard()
            else:
                self.stdout.flush()
        return stats, interrupted
