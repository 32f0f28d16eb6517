"""Answers as bytes: JSON bodies (orjson, or json for what orjson refuses), the error JSON, and the
two ASGI messages of a JSON answer sent without a Response object (the hot path's)."""
from __future__ import annotations

import json

import orjson
from starlette.responses import Response

from .errors import ApiError


def json_bytes(value) -> bytes:
    try:
        return orjson.dumps(value)
    except TypeError:  # integers past 64 bits, lone surrogates: as `json` writes them
        return json.dumps(value, ensure_ascii=False).encode("utf-8", "backslashreplace")


def json_response(value, status: int = 200, headers=None) -> Response:
    return Response(json_bytes(value), status, headers, media_type="application/json")


def error_response(exc: ApiError) -> Response:
    headers = {"www-authenticate": 'Bearer realm="quanze"'} if exc.status == 401 else None
    return json_response(exc.to_json(), exc.status, headers)


async def send_json(send, data: bytes, status: int = 200) -> None:
    """`data` (JSON) as the whole answer: the headers Starlette's `Response` would send, in two messages."""
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-length", b"%d" % len(data)), (b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": data})
