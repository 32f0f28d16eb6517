"""Request bodies within bounds: a size limit read as the body arrives (not trusted from
Content-Length alone). What a body holds is read by the one reader of request lines
(`actions.parse_line`: its nesting bound, its codes)."""
from __future__ import annotations

from quanze.model import Text

from .errors import server_error

MAX_BODY = 64 * 1024     # one decide request: a few hundred bytes in practice
MAX_LINE = 64 * 1024     # one line of a /v1/check body


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
            raise server_error("too-large", Text(f"请求体超过 {limit} 字节", f"the body is larger than {limit} bytes"))
        parts.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(parts)
