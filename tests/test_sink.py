"""`quanze.batch.sink.Sink`: the writer thread of `check`'s output. What it accepts is written whole and in
order; its errors reach the caller's thread; with `sync_every` it syncs the file as it goes."""
from __future__ import annotations

import io
import threading

import pytest

from quanze.batch import sink as sink_mod
from quanze.batch.sink import Sink


def test_chunks_are_written_in_order_by_another_thread():
    seen = []

    class Target(io.BytesIO):
        def write(self, data):
            seen.append(threading.current_thread().name)
            return super().write(data)

    target = Target()
    s = Sink(target, depth=2)
    chunks = [(b"%d\n" % i) * (i % 7) for i in range(500)]  # empty chunks among them
    for c in chunks:
        s.write(c)
    s.close()
    assert target.getvalue() == b"".join(chunks)
    assert seen and set(seen) == {"quanze-sink"}


class Full(io.BytesIO):
    """A file that takes `room` writes and then has no space left."""

    def __init__(self, room):
        super().__init__()
        self.room = room

    def write(self, data):
        if self.room == 0:
            raise OSError(28, "No space left on device")
        self.room -= 1
        return super().write(data)


def test_an_error_of_the_writer_is_raised_in_the_caller():
    s = Sink(Full(room=2), depth=1)
    with pytest.raises(OSError) as raised:
        for _ in range(100):  # the writer's error stops the caller within a few chunks
            s.write(b"x\n")
    assert raised.value.errno == 28
    with pytest.raises(OSError):
        s.close()


def test_an_error_on_the_last_chunk_is_raised_by_close():
    target = Full(room=1)
    s = Sink(target)
    s.write(b"a\n")
    s.write(b"b\n")
    with pytest.raises(OSError):
        s.close()
    assert target.getvalue() == b"a\n"


def test_writing_after_close_is_refused():
    s = Sink(io.BytesIO())
    s.close()
    s.close()  # closing twice is harmless
    with pytest.raises(ValueError):
        s.write(b"x")


def test_sync_every_syncs_the_file_as_it_goes(tmp_path, monkeypatch):
    synced = []
    monkeypatch.setattr(sink_mod, "_datasync", synced.append)
    with open(tmp_path / "out", "wb") as f:
        s = Sink(f, sync_every=25)
        for _ in range(10):
            s.write(b"0123456789")  # 100 bytes: a sync after the 30th, 60th and 90th
        s.close()
        assert synced == [f.fileno()] * 3
    assert (tmp_path / "out").read_bytes() == b"0123456789" * 10


def test_parts_are_written_as_if_joined(tmp_path):
    """A list of parts is written as their concatenation, between the chunks around it."""
    parts = [b"%d," % i for i in range(3000)] + [b"\n"]
    for target in (open(tmp_path / "a", "wb"), io.BytesIO()):
        s = Sink(target)
        s.write(b"head\n")
        s.write(parts)
        s.write(b"tail\n")
        s.close()
        if isinstance(target, io.BytesIO):
            got = target.getvalue()
        else:
            target.close()
            got = (tmp_path / "a").read_bytes()
        assert got == b"head\n" + b"".join(parts) + b"tail\n"
