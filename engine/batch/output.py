"""The bytes of an output line of `quanze check --format jsonl`: byte for byte `json.dumps`.

A decided line is the decision JSON (`Decision.to_json()`) with `line` first and `flags` last, as
`json.dumps(..., ensure_ascii=False)` writes it (`render_line`: the uncached path). The memo keeps a
decision's bytes in pieces grouped by what they depend on (`KEY_ORDER`: the list, the case, where the
actor stands, the outcome, the vote, the tail) and splices a line from them and the case's bytes
(`case_json`); the tests compare the two. A bad line is `{"line", "error", "case"}` (`error_line`), its error `{"code", "message", "message_zh"}`.
"""
from __future__ import annotations

import json
from json.encoder import encode_basestring

from ..decision import Decision
from ..requests import RequestError

# The decision JSON's keys (`Decision.to_json()` and `flags`), grouped by what they depend on.
LIST_KEYS = ("list",)
VARIANT_KEYS = ("matter", "actor", "status", "authority", "uncovered", "actor_may_decide", "chain", "delegable_to")
CORE_KEYS = ("obligations", "because", "missing_facts")
TAIL_KEYS = ("responsible", "violation", "flags")
KEY_ORDER = LIST_KEYS + ("case",) + VARIANT_KEYS + CORE_KEYS + ("vote",) + TAIL_KEYS


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def utf8(json_text: str) -> bytes:
    """JSON text as UTF-8. A lone surrogate (`"\\ud800"` in a case number is valid JSON) cannot be
    encoded; it can only stand inside a JSON string, where its `\\uXXXX` escape reads back the same."""
    return json_text.encode("utf-8", "backslashreplace")


def case_json(case) -> bytes:
    """`case` as JSON bytes, as json.dumps(ensure_ascii=False) writes it."""
    if case is None:
        return b"null"
    if type(case) is str:
        return utf8(encode_basestring(case))
    return utf8(dumps(case))


def join_keys(body: dict, keys) -> str:
    """`, "key": value` for each of `keys`: a piece of the decision JSON, as json.dumps writes it."""
    return "".join(f", {dumps(k)}: {dumps(body[k])}" for k in keys)


def render_line(n: int, decision: Decision) -> bytes:
    """The output line of one decision with plain json.dumps (the uncached path)."""
    body: dict = {"line": n}
    body.update(decision.to_json())
    body["flags"] = decision.flags
    return utf8(dumps(body) + "\n")


def error_json(n: int, error: RequestError, case=None) -> dict:
    out = {"line": n, "error": error_body(error)}
    if case is None:
        case = getattr(error, "case", None)
    if case is not None:
        out["case"] = case
    return out


def error_body(error: RequestError) -> dict:
    """A bad line's `error`: its code, `message` in English (as it has always been: tools that read it
    keep working whatever `--lang` says) and `message_zh`, the same in Chinese, as a finding's JSON."""
    return {"code": error.code, "message": error.message, "message_zh": error.text.zh}


def error_line(n: int, error: RequestError, case=None) -> bytes:
    """The output line of a bad line."""
    return utf8(dumps(error_json(n, error, case)) + "\n")
