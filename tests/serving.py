"""A `quanze serve` process for the tests that need a real server (uvicorn on a loopback port):
started on a free port, waited for until /v1/health answers, and stopped by its own pid."""
from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

QUANZE = os.path.join(os.path.dirname(sys.executable), "quanze")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, lists: str, log: str, port: int | None = None, extra=()):
        self.port = port or free_port()
        self.lists, self.log, self.extra = lists, log, list(extra)
        self.proc = None

    def start(self, timeout: float = 60) -> "Server":
        self.proc = subprocess.Popen([QUANZE, "serve", self.lists, "--port", str(self.port), "--log", self.log,
                                      *self.extra], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"quanze serve ended: {self.proc.stdout.read().decode()}")
            with contextlib.suppress(OSError):
                if self.get("/v1/health")[0] == 200:
                    return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("quanze serve did not answer in time")

    def request(self, method: str, path: str, body=None, headers=None, timeout: float = 30):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            data = json.dumps(body).encode() if body is not None and not isinstance(body, bytes) else body
            conn.request(method, path, data, headers or {})
            r = conn.getresponse()
            return r.status, r.read()
        finally:
            conn.close()

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, body, headers=None):
        status, data = self.request("POST", path, body, headers)
        return status, json.loads(data)

    def signal(self, sig) -> None:
        self.proc.send_signal(sig)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.proc.stdout.read().decode()

    def rss_peak_kib(self) -> int:
        with open(f"/proc/{self.proc.pid}/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


def stream_post(port: int, path: str, chunks, on_body, pause=None) -> int:
    """POST `chunks` (an iterable of bytes; its total length is taken first) while reading the
    answer as it comes, as a client of /v1/check must; `on_body(bytes)` gets the de-chunked body
    as it arrives. `pause(i)` runs before chunk i is sent. Returns the status."""
    parts = list(chunks) if not isinstance(chunks, list) else chunks
    length = sum(len(p) for p in parts)
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    sock.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-ndjson\r\n"
                 f"Content-Length: {length}\r\nConnection: close\r\n\r\n".encode())
    failure = []

    def send():
        try:
            for i, part in enumerate(parts):
                if pause:
                    pause(i)
                sock.sendall(part)
        except OSError as exc:
            failure.append(exc)

    sender = threading.Thread(target=send)
    sender.start()
    reader = sock.makefile("rb")
    status = int(reader.readline().split()[1])
    while reader.readline() not in (b"\r\n", b""):
        pass  # the headers: the body is chunked
    while True:
        size = int(reader.readline().strip() or b"0", 16)
        if size == 0:
            break
        on_body(reader.read(size))
        reader.readline()
    sender.join()
    sock.close()
    assert not failure, failure
    return status
