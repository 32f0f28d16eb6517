"""`POST /v1/check`: JSON Lines in, JSON Lines out, as `quanze check` — streamed both ways, and every
decision logged.

A plain ASGI endpoint (Starlette routes to it) so that it reads the body as it arrives and answers
while it still arrives: lines are cut from each piece of the body as it arrives and checked (`CHUNK`
at most at a time) by the batch `Checker` of the version the request started on (in a worker thread,
the memo held by the version's lock). A line that is decided is a decision given, so it is logged
like one from `/v1/decide`: each chunk's decisions go to the group commit together, and the chunk's
output is sent only once they are durable, each decision line with its `log_id` as its last key
(a line that is refused gets its error line and is not logged); the next chunk is checked while one
is being logged. Memory stays bounded by two chunks of lines whatever the body's length; a client
must read the answer while it sends (curl does). A line over `MAX_LINE` bytes gets its error line
(`too-large`) and is not parsed; every other line is read by the one reader of request lines
(`actions.parse_line`, through the checker), with its codes.
"""
from __future__ import annotations

import asyncio
import codecs
import json

import orjson
from starlette.concurrency import run_in_threadpool

from quanze.actions import parse_line
from quanze.decisionlog import GroupCommitter, LogError, NewEntry
from quanze.model import Text
from quanze.requests import RequestError

from .body import MAX_LINE
from .errors import NOT_GIVEN

CHUNK = 1024  # lines checked, logged and sent per step
_NOT_DECISION = ("line", "flags")  # what a check line adds to the decision JSON


class CheckEndpoint:
    def __init__(self, served, log: GroupCommitter, max_line: int = MAX_LINE, report=print):
        self.served = served
        self.log = log
        self.max_line = max_line
        self.report = report

    async def __call__(self, scope, receive, send) -> None:
        version = self.served.current
        caller = scope["quanze.caller"]
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/x-ndjson; charset=utf-8"),
                                (b"x-quanze-lists", ", ".join(f"{l.id} {l.digest}"
                                                               for l in version.library.lists).encode())]})

        def check(records):
            with version.lock:
                out, _ = version.checker.run(records, "jsonl", parts=True)
            return to_log(records, b"".join(out).split(b"\n")[:-1], caller)

        n = 1
        records: list = []
        before = None       # the output of the chunk before, a task that gives it once its decisions are logged
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
                lines, entries, where = await run_in_threadpool(check, records[at:at + CHUNK])
                logging = asyncio.ensure_future(self._logged(lines, entries, where))
                if before is not None:  # the chunk before was being logged while this one was checked
                    await send({"type": "http.response.body", "body": await before, "more_body": True})
                before = logging
            records = []
        if before is not None:
            await send({"type": "http.response.body", "body": await before, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _logged(self, lines: list, entries: list, where: list) -> bytes:
        """The output of a chunk, each decision line with its `log_id`, once their entries are durable;
        where the log cannot be written, an error line instead (no decision is given that is not logged)."""
        if entries:
            await self._log(lines, entries, where)
        return b"\n".join(lines) + b"\n"

    async def _log(self, lines: list, entries: list, where: list) -> None:
        try:
            sealed = await self.log.append_async(entries)
        except LogError as exc:
            self.report(f"quanze: {exc.message}")
            for i in where:
                n = json.loads(lines[i])["line"]
                said = exc.text + NOT_GIVEN
                lines[i] = json.dumps({"line": n, "error": {"code": "log-unavailable", "message": said.get("en"),
                                                            "message_zh": said.zh}}, ensure_ascii=False).encode()
            return
        for i, entry in zip(where, sealed):
            lines[i] = b'%s, "log_id": %d}' % (lines[i][:-1], entry.seq)

    def _record(self, line: bytes, oversize: bool):
        if oversize or len(line) > self.max_line:
            return RequestError("too-large", Text(f"该行超过 {self.max_line} 字节",
                                                 f"the line is longer than {self.max_line} bytes"))
        return line


def to_log(records: list, lines: list, caller: str) -> tuple[list, list, list]:
    """(the output lines, the log entries of those that are decisions, their indexes): the request of
    each as the one reader reads its line (`actions.parse_line`), the decision as `Decision.to_json()`
    gives it (the line without `line` and `flags`)."""
    entries, where = [], []
    for i, ((_, data), line) in enumerate(zip(records, lines)):
        if type(data) is not bytes or line.startswith(b'"error": ', line.index(b", ") + 2):
            continue  # refused before the checker (too large), or by it
        request, body = _read(data, line)
        entries.append(NewEntry(caller, request, {k: v for k, v in body.items() if k not in _NOT_DECISION}))
        where.append(i)
    return lines, entries, where


def _read(data: bytes, line: bytes) -> tuple[dict, dict]:
    """A decided line's request, as `parse_line` reads it, and its output line, as `json` reads it: by
    orjson (a third of the time) where the two agree. orjson refuses what json takes (NaN, a lone
    surrogate) and reads an integer past 64 bits as a float; a decided request holds numbers only as
    its values and one level down (`facts`, `vote`), and every number of the output line is one of
    them or quanze's own, so where the request shows no float both are read by orjson."""
    try:
        request = orjson.loads(data)
    except orjson.JSONDecodeError:
        request = None
    if type(request) is not dict or _floats(request):
        return parse_line(data), json.loads(line)
    return request, orjson.loads(line)


def _floats(request: dict) -> bool:
    for v in request.values():
        if type(v) is float or (type(v) is dict and any(type(x) is float for x in v.values())):
            return True
    return False
