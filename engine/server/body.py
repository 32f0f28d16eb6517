"""Request bodies within bounds: a size limit read as the body arrives (not trusted from
Content-Length alone), and a nesting limit checked before the standard parser recurses."""
from __future__ import annotations

import json

import orjson

from quanze.requests import RequestError

from .errors import ApiError, server_error

MAX_BODY = 64 * 1024     # one decide request: a few hundred bytes in practice
MAX_LINE = 64 * 1024     # one line of a /v1/check body
MAX_DEPTH = 32           # a request nests 3 deep (request, facts or vote, value)


async def read_body(receive, limit: int = MAX_BODY) -> bytes:
    """The whole body from an ASGI `receive`, refused with 413 as soon as it passes `limit`."""
    parts, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise server_error("too-large", f"the body is larger than {limit} bytes")
        parts.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(parts)


def depth(value, limit: int = MAX_DEPTH, level: int = 1) -> int:
    """How deep `value` nests, counting no further than `limit` + 1 (iterative: no recursion to exhaust)."""
    deepest, stack = 0, [(value, level)]
    while stack:
        item, lvl = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, lvl)
            if deepest > limit:
                return deepest
            stack.extend((v, lvl + 1) for v in (item.values() if isinstance(item, dict) else item))
    return deepest


def too_deep(data: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether the JSON text `data` nests deeper than `limit` (a cheap count first; most lines have a
    handful of brackets)."""
    if data.count(b"{") + data.count(b"[") <= limit:
        return False
    try:
        return depth(orjson.loads(data), limit) > limit
    except orjson.JSONDecodeError as exc:
        return "recursion" in str(exc)


def parse_json(data: bytes, limit: int = MAX_DEPTH):
    """A JSON body as the standard parser reads it (as the command line does), or a 400 with the
    code the command line gives a bad line (`bad-json`, `bad-encoding`, `empty-line`) or `too-deep`."""
    if too_deep(data, limit):
        raise server_error("too-deep", f"the JSON nests deeper than {limit} levels")
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ApiError(400, "bad-encoding", f"the body is not UTF-8: {exc.reason}") from None
    except RecursionError:
        raise server_error("too-deep", f"the JSON nests deeper than {limit} levels") from None
    except json.JSONDecodeError as exc:
        if not data.strip():
            raise ApiError(400, "empty-line", "the body is empty") from None
        raise ApiError(400, "bad-json", f"invalid JSON: {exc.msg} (at character {exc.pos + 1})") from None


def line_error(data: bytes, limit_line: int = MAX_LINE, limit_depth: int = MAX_DEPTH):
    """A RequestError for a /v1/check line the batch reader must not be handed, or None."""
    if len(data) > limit_line:
        return RequestError("too-large", f"the line is longer than {limit_line} bytes")
    if too_deep(data, limit_depth):
        return RequestError("too-deep", f"the JSON nests deeper than {limit_depth} levels")
    return None
