"""Errors as the API answers them: `{"error": {"code", "message", "message_zh", "field"}}` with a 4xx
status: `message` in English (as it has always been), `message_zh` the same in Chinese (what the
prosecutor's page shows), as a finding's JSON and a bad line of `check`.

The codes are the command line's (`RequestError` codes from `quanze.requests` and the batch reader)
and these few the server adds (`STATUS`), all registered in `quanze.codes` with what they mean.
`field` names the part of the request at fault (`matter`, `facts.case_source`, `vote`, …) or is null
where the whole body is.
"""
from __future__ import annotations

from quanze.errors import QuanzeError
from quanze.model import Text
from quanze.requests import REQUEST_KEYS, RequestError, parser_of

# the codes only the server gives (quanze.codes.SERVER), with their status
STATUS: dict[str, int] = {
    "unauthorized": 401,
    "not-found": 404,
    "unknown-list": 404,
    "bad-method": 405,
    "too-large": 413,
    "log-unavailable": 503,
    "internal-error": 500,
}


class ApiError(QuanzeError):
    """An answer of the API that is an error: its HTTP status, registered code, message and field."""

    def __init__(self, status: int, code: str, message: Text, field: str | None = None):
        super().__init__(message, code)
        self.status, self.field = status, field

    def to_json(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "message_zh": self.text.zh, "field": self.field}}


# After why the decision log cannot be written: what follows for the request.
NOT_GIVEN = Text("：不给出决定", ": the decision is not given")


def server_error(code: str, message: Text, field: str | None = None) -> ApiError:
    return ApiError(STATUS[code], code, message, field)


def internal_error(exc: Exception) -> ApiError:
    """The answer to an exception no one expected: its class only (the server's output says more)."""
    return server_error("internal-error", Text(f"内部错误：{type(exc).__name__}（服务的输出有详情）",
                                               f"internal error: {type(exc).__name__} (the server's output says more)"))


def request_error(exc: RequestError, raw, catalogue) -> ApiError:
    """A `RequestError` from deciding `raw` as a 400, with the field it is about."""
    return ApiError(400, exc.code, exc.text, field_of(exc.code, raw, catalogue))


def field_of(code: str, raw, catalogue) -> str | None:
    """The part of `raw` that `parse_request` (or `Library.pick`) refused with `code`: found by
    checking the parts in the order `parse_request` does, with its checks (a name counts as its code),
    so it is the one the message is about."""
    if not isinstance(raw, dict):
        return None
    parser = parser_of(catalogue)
    if code == "unknown-key":
        return next((k for k in raw if k not in REQUEST_KEYS), None)
    if code in ("missing-key", "unknown-matter"):
        return "matter"
    if code == "unknown-authority":
        return "actor" if _refuses(parser.authority, raw.get("actor"), "actor") else "decided_by"
    if code == "bad-vote":
        return "vote"
    if code == "no-list-in-force":
        return "on"
    facts = raw.get("facts")
    if code == "unknown-fact" and isinstance(facts, dict):
        return next((f"facts.{k}" for k in facts if _refuses(parser.fact_code, k)), "facts")
    if code == "bad-value":
        if isinstance(facts, dict):
            for k, v in facts.items():
                if not _refuses(parser.fact_code, k) and _refuses(parser.fact, k, v):
                    return f"facts.{k}"
        return "on"
    if code == "bad-request":
        if facts is not None and not isinstance(facts, dict):
            return "facts"
        case = raw.get("case")
        if case is not None and not isinstance(case, (str, int)):
            return "case"
    return None


def _refuses(check, *args) -> bool:
    """Whether the request parser's `check` refuses these arguments."""
    try:
        check(*args)
    except RequestError:
        return True
    return False
