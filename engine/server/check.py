"""`POST /v1/check`: JSON Lines in, JSON Lines out, as `quanze check` — streamed both ways.

A plain ASGI endpoint (Starlette routes to it) so that it reads the body as it arrives and answers
while it still arrives: lines are cut from each piece of the body as it arrives and checked (`CHUNK` at most at a time) by the
batch `Checker` of the version the request started on (in a worker thread, the memo held by the
version's lock), and each chunk's output is sent before more of the body is read. Memory stays
bounded by one chunk of lines whatever the body's length; a client must read the answer while it
sends (curl does). A line over `MAX_LINE` bytes or nesting past `MAX_DEPTH` gets its error line
(`too-large`, `too-deep`) and is not parsed.
"""
from __future__ import annotations

import codecs

from starlette.concurrency import run_in_threadpool

from quanze.requests import RequestError

from .body import MAX_DEPTH, MAX_LINE, line_error

CHUNK = 1024  # lines checked per step


class CheckEndpoint:
    def __init__(self, served, max_line: int = MAX_LINE, max_depth: int = MAX_DEPTH):
        self.served = served
        self.max_line = max_line
        self.max_depth = max_depth

    async def __call__(self, scope, receive, send) -> None:
        version = self.served.current
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/x-ndjson; charset=utf-8"),
                                (b"x-quanze-lists", ", ".join(f"{l.id} {l.digest}"
                                                               for l in version.library.lists).encode())]})

        def check(records):
            with version.lock:
                out, _ = version.checker.run(records, "jsonl", parts=True)
            return b"".join(out)

        n = 1
        records: list = []
        rest = b""          # the start of a line whose end has not arrived
        oversize = False    # the line being read is already over max_line: its bytes are dropped
        first = True
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            data = message.get("body", b"")
            more = message.get("more_body", False)
            if first and data:
                if data.startswith(codecs.BOM_UTF8):
                    data = data[3:]
                first = False
            start = 0
            while True:
                end = data.find(b"\n", start)
                if end < 0:
                    tail = data[start:]
                    if oversize or len(rest) + len(tail) > self.max_line:
                        oversize, rest = True, b""
                    else:
                        rest += tail
                    break
                line = rest + data[start:end + 1]
                rest, start = b"", end + 1
                records.append((n, self._record(line, oversize)))
                oversize = False
                n += 1
            if not more and (rest or oversize):
                records.append((n, self._record(rest, oversize)))
                n += 1
            for at in range(0, len(records), CHUNK):
                out = await run_in_threadpool(check, records[at:at + CHUNK])
                await send({"type": "http.response.body", "body": out, "more_body": True})
            records = []
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    def _record(self, line: bytes, oversize: bool):
        if oversize:
            return RequestError("too-large", f"the line is longer than {self.max_line} bytes")
        return line_error(line, self.max_line, self.max_depth) or line
