"""Output files that appear whole or not at all (`check --out`, `audit -o`).

A report or a batch's decisions written straight to their path would leave half a file behind when
the run fails or is interrupted, and a reader could take it for the whole. `AtomicFile` writes to a
temporary file in the same folder, syncs it, and renames it over the path only when the writing is
done (`commit`); on any failure or interruption (Ctrl-C included) the temporary file is removed and
whatever stood at the path is left as it was. Errors of the machine (a full disk) are raised as an
`OSError` naming the path the user gave, not the temporary file.
"""
from __future__ import annotations

import os
import tempfile


class OutputError(Exception):
    """An output path that cannot be written (its folder does not exist): a usage error."""


def named(exc: OSError, path: str) -> OSError:
    """`exc` naming `path` (the file the user asked for) where it names no file or a temporary one."""
    return OSError(exc.errno, exc.strerror or str(exc), path)


class AtomicFile:
    """A binary file written to a temporary file beside `path` and renamed over it by `commit`.

    Use as a context manager: leaving it normally commits, leaving it by an exception discards."""

    def __init__(self, path: str):
        self.path = path
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise OutputError(f"the folder `{folder}` does not exist")
        fd, self.temp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
        self.file = os.fdopen(fd, "wb", buffering=1 << 20)
        self.done = False

    def write(self, data: bytes) -> None:
        self.file.write(data)

    def commit(self) -> None:
        """Flush, sync and rename the temporary file over the path."""
        if self.done:
            return
        try:
            self.file.flush()
            os.fsync(self.file.fileno())
            self.file.close()
            os.replace(self.temp, self.path)
        except OSError as exc:
            self.discard()
            raise named(exc, self.path) from exc
        self.done = True

    def discard(self) -> None:
        """Remove the temporary file; what stood at the path stays."""
        if self.done:
            return
        self.done = True
        try:
            self.file.close()
        except OSError:
            pass  # a full disk, again, while flushing what is thrown away anyway
        finally:
            os.unlink(self.temp)

    def __enter__(self) -> "AtomicFile":
        return self

    def __exit__(self, kind, exc, tb) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()
