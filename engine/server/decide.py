"""`POST /v1/decide`: one request decided, logged, and answered once its log entry is durable.

The path a case-handling system calls before every document, so it is a plain ASGI endpoint that
`HotPath` calls ahead of Starlette's middleware and routing (which cost about as much as deciding and
logging together, measured by bench/serve_bench.py): the body read within its bound, parsed by the
one reader of request lines (`actions.parse_line`, with the command line's codes), decided by
`Library.decide` on the version the request started on, its entry handed to the group commit, and the
decision sent with its `log_id` only once the entry is committed. Every other path goes on to
Starlette, which routes this one too (its 405 for another method, its place in the OpenAPI document).
"""
from __future__ import annotations

from quanze.actions import parse_line
from quanze.decisionlog import GroupCommitter, LogError, NewEntry
from quanze.requests import RequestError

from .body import MAX_BODY, read_body
from .errors import NOT_GIVEN, ApiError, internal_error, request_error
from .respond import error_response, json_bytes, send_json
from .versions import Served

PATH = "/v1/decide"


class DecideEndpoint:
    def __init__(self, served: Served, log: GroupCommitter, max_body: int = MAX_BODY, report=print):
        self.served, self.log, self.max_body, self.report = served, log, max_body, report

    async def __call__(self, scope, receive, send) -> None:
        try:
            body = await self.answer(scope, receive)
        except ApiError as exc:
            await error_response(exc)(scope, receive, send)
            return
        except Exception as exc:  # a JSON 500 here, and the exception on to `Guard`, which reports it
            await error_response(internal_error(exc))(scope, receive, send)
            raise
        await send_json(send, json_bytes(body))

    async def answer(self, scope, receive) -> dict:
        version = self.served.current
        data = await read_body(receive, self.max_body)
        raw = None
        try:
            raw = parse_line(data)
            decision = version.library.decide(raw)
        except RequestError as exc:
            raise request_error(exc, raw, version.library.catalogue) from None
        body = decision.to_json()
        try:
            entry, = await self.log.append_async((NewEntry(scope["quanze.caller"], raw, body),))
        except LogError as exc:
            self.report(f"quanze: {exc.message}")
            raise ApiError(503, "log-unavailable", exc.text + NOT_GIVEN) from None
        body["log_id"] = entry.seq
        return body


class HotPath:
    """`POST /v1/decide` straight to its endpoint; everything else to `app` (Starlette)."""

    def __init__(self, app, decide: DecideEndpoint):
        self.app, self.decide = app, decide

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["path"] == PATH and scope["method"] == "POST":
            await self.decide(scope, receive, send)
        else:
            await self.app(scope, receive, send)
