"""Output that is written whole or fails aloud: every `-o/--out FILE`, the folder `init` makes, and
standard output.

A report or a batch's decisions written straight to their path would leave half a file behind when
the run fails or is interrupted, and a reader could take it for the whole. `AtomicFile` writes to a
temporary file in the folder of the file, syncs it, gives it the mode of the file it replaces, and
renames it over the file only when the writing is done (`commit`); on any failure or interruption
(Ctrl-C included) the temporary file is removed and whatever stood at the path is left as it was.

The rename only ever replaces a regular file. A symbolic link is followed (the file it names is
replaced, the link stays); a character device or a FIFO (`/dev/null`, `/dev/stdout`, a pipe to
another program) is written through, since there is no file to replace; anything else (a block
device, a socket, a folder) is refused, and so is the path of a file the run reads (`inputs`).

A write that the system takes only in part (a full disk) is never ignored: `write_all` writes the
rest or raises, and `WholeWrites` puts standard output behind it (with `PYTHONUNBUFFERED` its
binary layer is the raw file, whose short writes Python's own writers do not check). Errors of the
machine are raised as an `OSError` naming the file the user gave (`named`), never a temporary file.

A new folder (`quanze init`) is written the same way, one level up: its files are written into a
temporary folder beside it, which is renamed to the folder's name only when every file is written.
The name must be free or an empty folder (the rename replaces only an empty folder, so a folder
filled meanwhile is not overwritten); a symbolic link there is refused, never followed.
"""
from __future__ import annotations

import errno
import io
import os
import shutil
import stat
import tempfile

from .errors import QuanzeError
from .model import Text


class OutputError(QuanzeError):
    """An output path that cannot be written (no such folder, not a file, the input): a usage error."""


def no_folder(folder: str) -> OutputError:
    return OutputError(Text(f"文件夹 `{folder}` 不存在", f"the folder `{folder}` does not exist"))


def named(exc: OSError, path: str) -> OSError:
    """`exc` naming `path` (the file the user asked for) instead of no file or a temporary one."""
    return OSError(exc.errno, exc.strerror or str(exc), path)


def write_all(target, data) -> None:
    """Write every byte of `data` to `target` (a binary stream), whatever each `write` takes; a
    write that takes nothing (a full disk that does not say so) raises ENOSPC."""
    view = memoryview(data).cast("B")
    while view:
        n = target.write(view)
        if n is None:  # a non-blocking stream that cannot take any now: not ours to wait on
            raise OSError(errno.EAGAIN, os.strerror(errno.EAGAIN))
        if n <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[n:]


class WholeWrites(io.RawIOBase):
    """A binary stream over `raw` whose every write is written whole or raises, naming `name`."""

    def __init__(self, raw, name: str, keep=None):
        super().__init__()
        self.raw, self.name = raw, name
        self.keep = keep  # an object to keep alive as long as this stream

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        try:
            write_all(self.raw, data)
        except OSError as exc:
            raise named(exc, self.name) from None
        return len(memoryview(data).cast("B"))

    def flush(self) -> None:
        try:
            self.raw.flush()
        except OSError as exc:
            raise named(exc, self.name) from None

    def fileno(self) -> int:
        return self.raw.fileno()

    def isatty(self) -> bool:
        return self.raw.isatty()


def stream_name(stream, what: str = "standard output") -> str:
    """`standard output`, with the file it goes to where the system says (`/proc/self/fd`)."""
    try:
        target = os.readlink(f"/proc/self/fd/{stream.fileno()}")
    except (OSError, ValueError, AttributeError):
        return what
    return f"{what} ({target})" if target.startswith("/") else what


def whole_text_stream(text: io.TextIOWrapper, what: str = "standard output") -> io.TextIOWrapper:
    """A text stream writing to where `text` (standard output) writes, through `WholeWrites`."""
    # `text` kept alive with it: a text stream closes its binary layer when it is collected
    checked = WholeWrites(text.buffer, stream_name(text, what), keep=text)
    return io.TextIOWrapper(checked, encoding=text.encoding, errors=text.errors,
                            line_buffering=text.line_buffering, write_through=True)


def _umask() -> int:
    """The process's umask, read without changing it where the system tells (Linux), else briefly set."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class AtomicFile:
    """A binary file written to a temporary file beside `path` and renamed over it by `commit` (or,
    for a device or a FIFO, written straight to it). `inputs` are paths the run reads: refused.

    Use as a context manager: leaving it normally commits, leaving it by an exception discards."""

    def __init__(self, path: str, inputs=()):
        self.path = path
        self.done = False
        target = os.path.realpath(path)  # a symbolic link: the file it names
        try:
            st = os.stat(target)
        except FileNotFoundError:
            st = None
        except OSError as exc:
            raise named(exc, path) from None
        for given in inputs:
            if st is not None and given and given != "-" and os.path.exists(given) and os.path.samefile(given, target):
                same = Text("", "") if given == path else Text(f"（`{given}`）", f" (`{given}`)")
                raise OutputError(Text(f"`{path}` 是正在读取的文件", f"`{path}` is the file being read") + same
                                  + Text("：写入会毁掉它", ": writing it would destroy it"))
        if st is not None and not stat.S_ISREG(st.st_mode):
            if stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):  # nothing to replace: write through
                self.temp = None
                try:
                    self.file = open(target, "wb", buffering=1 << 20)
                except OSError as exc:
                    raise named(exc, path) from None
                return
            raise OutputError(Text(f"`{path}` 不是普通文件（是文件夹、套接字或块设备）",
                                   f"`{path}` is not a regular file (a folder, a socket or a block device)"))
        folder = os.path.dirname(target)
        if not os.path.isdir(folder):
            raise no_folder(os.path.dirname(os.path.abspath(path)))
        try:
            fd, self.temp = tempfile.mkstemp(prefix="." + os.path.basename(target) + ".", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise named(exc, path) from None
        self.target = target
        # the mode of the file replaced, or that of a new file (as `open` would make it): not mkstemp's 0600
        os.fchmod(fd, stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask())
        if st is not None and (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
            try:
                os.fchown(fd, st.st_uid, st.st_gid)
            except OSError:
                pass  # not ours to give away: the file keeps its mode, and its owner where we may
        self.file = os.fdopen(fd, "wb", buffering=1 << 20)

    def write(self, data) -> None:
        try:
            write_all(self.file, data)
        except OSError as exc:
            raise named(exc, self.path) from None

    def commit(self) -> None:
        """Flush, sync and rename the temporary file over the path (a device: flush and close)."""
        if self.done:
            return
        try:
            self.file.flush()
            if self.temp is not None:
                os.fsync(self.file.fileno())
            self.file.close()
            if self.temp is not None:
                os.replace(self.temp, self.target)
        except OSError as exc:
            self.discard()
            raise named(exc, self.path) from None
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
            if self.temp is not None:
                os.unlink(self.temp)

    def __enter__(self) -> "AtomicFile":
        return self

    def __exit__(self, kind, exc, tb) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()


def check_new_folder(path: str) -> os.stat_result | None:
    """Refuse (OutputError) a `path` where a new folder cannot be made: a symbolic link (never
    followed), a file, a folder with anything in it. The stat of an empty folder there, else None."""
    if os.path.islink(path):
        raise OutputError(Text(f"`{path}` 是符号链接；新文件夹只建在空无一物之处（从不跟随链接）",
                               f"`{path}` is a symbolic link; a new folder is made only where nothing is "
                               "(a link is never followed)"))
    if not os.path.lexists(path):
        return None
    if not os.path.isdir(path):
        raise OutputError(Text(f"`{path}` 已经存在且不是文件夹；不覆盖任何内容",
                               f"`{path}` exists and is not a folder; nothing is overwritten"))
    try:
        if os.listdir(path):
            raise OutputError(Text(f"`{path}` 已经存在且不是空文件夹；不覆盖任何内容",
                                   f"`{path}` exists and is not empty; nothing is overwritten"))
        return os.stat(path)
    except OSError as exc:
        raise named(exc, path) from None


def write_folder(path: str, files) -> None:
    """Make the folder `path` holding `files` (relative name -> bytes), whole or not at all. `path`
    must not exist, or be an empty folder; a symbolic link, a file or a folder with anything in it is
    refused (OutputError). On any failure nothing is left behind and what stood at `path` stays."""
    existing = check_new_folder(path)
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise no_folder(parent)
    try:
        temp = tempfile.mkdtemp(prefix="." + os.path.basename(os.path.abspath(path)) + ".", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise named(exc, path) from None
    try:
        os.chmod(temp, stat.S_IMODE(existing.st_mode) if existing is not None else 0o777 & ~_umask())
        for name, data in files.items():
            target = os.path.normpath(os.path.join(temp, name))
            if os.path.isabs(name) or os.path.commonpath([temp, target]) != temp:
                raise OutputError(Text(f"`{name}` 不是文件夹内的路径", f"`{name}` is not a path inside the folder"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with AtomicFile(target) as handle:
                handle.write(data)
        _sync_folder(temp)
        try:
            os.rename(temp, path)  # replaces an empty folder only; a link or a file there: ENOTDIR
        except OSError as exc:
            if exc.errno in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOTDIR, errno.EISDIR):
                raise OutputError(Text(f"`{path}` 在写入期间被放入内容或被替换；不覆盖任何内容",
                                       f"`{path}` was filled or replaced while it was being written; "
                                       "nothing is overwritten")) from None
            raise
        _sync_folder(parent)
    except BaseException as exc:
        shutil.rmtree(temp, ignore_errors=True)
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise named(exc, os.path.join(path, os.path.relpath(exc.filename, temp))
                        if isinstance(exc.filename, str) and exc.filename.startswith(temp) else path) from None
        raise


def _sync_folder(folder: str) -> None:
    """Make a rename in `folder` durable (where the system can open a folder to sync it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # a file system that cannot sync a folder: the rename stands as the system keeps it
    finally:
        os.close(fd)
