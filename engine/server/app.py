"""The ASGI application of `quanze serve`: Starlette routes, pure-ASGI middleware for the bearer
tokens, and every error as `{"error": {"code", "message", "message_zh", "field"}}`.

`create_app` takes what it serves (the lists, `Served`; the decision log, a `GroupCommitter`; the
tokens, or None for a loopback-only server) and computes nothing itself: the decisions are
`Library.decide`'s, the batch `Checker`'s and the log's.
"""
from __future__ import annotations

import sys
from importlib import resources

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response, StreamingResponse
from starlette.routing import Route

from quanze.decisionlog import GroupCommitter, LogError, csv_lines, jsonl_lines, verify
from quanze.decisionlog.export import time_bound
from quanze.findings import suggest
from quanze.model import Text
from quanze.present.list_document import render_list

from . import openapi
from .auth import NO_TOKENS_CALLER, caller_of
from .body import MAX_BODY
from .check import CheckEndpoint
from .decide import DecideEndpoint, HotPath
from .errors import ApiError, internal_error, server_error
from .respond import error_response, json_response
from .versions import Served
from .views import authorities_json, facts_json, list_json, matters_json

OPEN_PATHS = ("/", "/docs", "/openapi.json", "/v1/health")  # and /static/: the page asks for a token itself
LOG_PAGE = 100
LOG_PAGE_MAX = 1000
STATIC = {"page.js": "text/javascript; charset=utf-8", "page.css": "text/css; charset=utf-8"}


class TokenGate:
    """Refuses /v1/ calls (but /v1/health) without a known bearer token, before anything is read or
    logged, and puts the caller's name in the scope for the decision log."""

    def __init__(self, app, tokens: dict | None):
        self.app, self.tokens = app, tokens

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            path = scope["path"]
            if self.tokens is None:
                scope["quanze.caller"] = NO_TOKENS_CALLER
            elif path.startswith("/v1/") and path not in OPEN_PATHS:
                header = next((v for k, v in scope["headers"] if k == b"authorization"), None)
                caller = caller_of(header, self.tokens)
                if caller is None:
                    why = Text("需要令牌（bearer token）", "a bearer token is required") if header is None \
                        else Text("令牌（bearer token）不是本服务所知的", "the bearer token is not known")
                    response = error_response(server_error(
                        "unauthorized", why + Text("（请发送 `Authorization: Bearer TOKEN`）",
                                                   " (send `Authorization: Bearer TOKEN`)"), "Authorization"))
                    await response(scope, receive, send)
                    return
                scope["quanze.caller"] = caller
        await self.app(scope, receive, send)


def create_app(served: Served, log: GroupCommitter, tokens: dict | None = None, max_body: int = MAX_BODY,
               on_error=None) -> "Guard":
    """The application: the token gate, then `POST /v1/decide` straight to its endpoint (`HotPath`), then
    Starlette for every other path. `on_error(line)` hears of internal errors (the server prints them)."""
    store = log.store
    page = resources.files("quanze.server").joinpath("static/page.html").read_bytes()
    static = {name: resources.files("quanze.server").joinpath(f"static/{name}").read_bytes() for name in STATIC}
    report = on_error or (lambda line: print(line, file=sys.stderr, flush=True))
    decide = DecideEndpoint(served, log, max_body, report)

    async def lists(request: Request) -> Response:
        return json_response(served.current.lists_json())

    async def one_list(request: Request) -> Response:
        version = served.current
        list_id = request.path_params["list_id"]
        try:
            lst = version.library.get(list_id)
        except KeyError:
            ids = [l.id for l in version.library.lists]
            raise server_error("unknown-list", Text(f"没有载入清单 `{list_id}`", f"no list `{list_id}` is loaded")
                               + suggest(list_id, ids), "list_id") from None
        catalogue = version.library.catalogue
        if "text/html" in request.headers.get("accept", ""):
            lang = "en" if request.query_params.get("lang") == "en" else "zh"
            return HTMLResponse(render_list(lst, catalogue, lang, "html"))
        return json_response(list_json(lst, catalogue))

    async def matters(request: Request) -> Response:
        return json_response(matters_json(served.current.library.catalogue))

    async def facts(request: Request) -> Response:
        return json_response(facts_json(served.current.library.catalogue))

    async def authorities(request: Request) -> Response:
        return json_response(authorities_json(served.current.library.catalogue))

    def log_query(request: Request) -> dict:
        q = request.query_params
        query = {"case": q.get("case") or None}
        for name in ("since", "until"):
            try:
                query[name] = time_bound(q.get(name), name, end=name == "until")
            except LogError as exc:
                raise ApiError(400, exc.code, exc.text, name) from None
        return query

    def whole_number(request: Request, name: str, default: int, top: int | None = None) -> int:
        text = request.query_params.get(name)
        if text is None:
            return default
        if not text.isdigit() or (top is not None and not 1 <= int(text) <= top):
            bound = Text(f"（1 到 {top}）", f" from 1 to {top}") if top else Text("", "")
            raise ApiError(400, "bad-value", Text(f"`{name}` 应为整数", f"`{name}` is a whole number") + bound
                           + Text(f"，不能是 `{text}`", f", not `{text}`"), name)
        return int(text)

    async def log_entries(request: Request) -> Response:
        query = log_query(request)
        fmt = request.query_params.get("format", "json")
        if fmt in ("jsonl", "csv"):
            lines = (jsonl_lines if fmt == "jsonl" else csv_lines)(store.entries(**query))
            media = "application/x-ndjson" if fmt == "jsonl" else "text/csv; charset=utf-8"
            return StreamingResponse(lines, media_type=media)  # a sync iterator: read in a worker thread
        if fmt != "json":
            raise ApiError(400, "bad-value", Text(f"`format` 应为 json、jsonl 或 csv，不能是 `{fmt}`",
                                                  f"`format` is json, jsonl or csv, not `{fmt}`"), "format")
        after = whole_number(request, "after", 0)
        limit = whole_number(request, "limit", LOG_PAGE, LOG_PAGE_MAX)

        def page_of():
            return [e.to_json() for e in store.entries(**query, after=after, limit=limit)]

        try:
            entries = await run_in_threadpool(page_of)
        except LogError as exc:
            raise ApiError(503, "log-unavailable", exc.text) from None
        more = len(entries) == limit
        return json_response({"entries": entries, "next_after": entries[-1]["seq"] if more else None})

    async def log_verify(request: Request) -> Response:
        verdict = await run_in_threadpool(lambda: verify(store.entries()))
        return json_response(verdict.to_json())

    async def health(request: Request) -> Response:
        version = served.current
        return json_response({"status": "ok", "version": version.number, "loaded_at": version.loaded_at,
                              "lists": [{"id": l.id, "digest": l.digest} for l in version.library.lists],
                              "catalogue": version.library.catalogue.digest,
                              "tokens": tokens is not None})

    async def openapi_json(request: Request) -> Response:
        return json_response(openapi.document())

    async def docs(request: Request) -> Response:
        return HTMLResponse(openapi.docs_page(openapi.document()))

    async def index(request: Request) -> Response:
        return Response(page, media_type="text/html; charset=utf-8")

    async def static_file(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in static:
            raise server_error("not-found", Text(f"没有文件 `{name}`", f"no file `{name}`"))
        return Response(static[name], media_type=STATIC[name], headers={"cache-control": "no-cache"})

    routes = [
        Route("/", index, methods=["GET"]),
        Route("/static/{name}", static_file, methods=["GET"]),
        Route("/docs", docs, methods=["GET"]),
        Route("/openapi.json", openapi_json, methods=["GET"]),
        Route("/v1/decide", decide, methods=["POST"]),
        Route("/v1/check", CheckEndpoint(served, log, report=report), methods=["POST"]),
        Route("/v1/lists", lists, methods=["GET"]),
        Route("/v1/lists/{list_id}", one_list, methods=["GET"]),
        Route("/v1/matters", matters, methods=["GET"]),
        Route("/v1/facts", facts, methods=["GET"]),
        Route("/v1/authorities", authorities, methods=["GET"]),
        Route("/v1/log", log_entries, methods=["GET"]),
        Route("/v1/log/verify", log_verify, methods=["GET"]),
        Route("/v1/health", health, methods=["GET"]),
    ]

    async def api_error(request, exc: ApiError):
        return error_response(exc)

    async def http_error(request, exc: HTTPException):
        if exc.status_code == 405:
            return error_response(server_error("bad-method", Text(f"{request.url.path} 不接受 {request.method} 请求",
                                                                  f"{request.url.path} does not take {request.method}")))
        if exc.status_code == 404:
            return error_response(server_error("not-found", Text(f"没有这个路径：{request.url.path}",
                                                                 f"no such path: {request.url.path}")))
        return error_response(ApiError(exc.status_code, "bad-request",
                                       Text(f"请求有误（HTTP {exc.status_code}）", str(exc.detail))))

    async def unexpected(request, exc: Exception):
        return error_response(internal_error(exc))

    # Starlette types every handler as taking any Exception, though each is only given its key's class
    app = Starlette(routes=routes, exception_handlers={
        ApiError: api_error, HTTPException: http_error,  # type: ignore[dict-item]
        Exception: unexpected})
    return Guard(TokenGate(HotPath(app, decide), tokens), report)


class Guard:
    """The outermost layer. Starlette answers an unexpected exception with `internal_error` (JSON,
    no traceback) and then raises it again for the server to log; here it becomes one line of the
    server's output instead of a traceback."""

    def __init__(self, app, report):
        self.app, self.report = app, report

    async def __call__(self, scope, receive, send):
        try:
            await self.app(scope, receive, send)
        except Exception as exc:
            if scope["type"] != "http":
                raise
            self.report(f"quanze: internal error on {scope.get('method')} {scope.get('path')}: "
                        f"{type(exc).__name__}: {exc}")


