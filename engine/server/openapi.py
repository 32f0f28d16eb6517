"""The OpenAPI 3.1 document of `quanze serve`, and the `/docs` page made from it.

The page is plain HTML generated from the same document (no script, no stylesheet from a CDN: these
servers often have no way out to the internet), so the docs cannot drift from `/openapi.json`.
"""
from __future__ import annotations

import html
import json
import re

from quanze.codes import CODES, REQUEST, SERVER
from quanze.model import AUTHORITIES
from quanze.requests import REQUEST_KEYS

from .errors import STATUS

# The request codes the API can answer (all but the CSV reader's `bad-row`), in the order documented,
# and what each means (quanze.codes).
REQUEST_CODES = {code: CODES[code].meanings[REQUEST] for code in (
    "bad-json", "bad-encoding", "empty-line", "bad-request", "unknown-key", "missing-key", "unknown-matter",
    "unknown-fact", "unknown-authority", "bad-value", "bad-vote", "no-list-in-force")}
SERVER_CODES = {code: CODES[code].meanings[SERVER] for code in STATUS}

_AUTH: list[dict[str, list]] = [{"bearer": []}]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema, example=None) -> dict:
    body = {"schema": schema}
    if example is not None:
        body["example"] = example
    return {"application/json": body}


def _error(description: str) -> dict:
    return {"description": description, "content": _json(_ref("Error"))}


EXAMPLE_REQUEST = {"matter": "return_for_supplementary_investigation", "actor": "prosecutor",
                   "facts": {"prior_supplementary_returns": 2}, "case": "（2021）检6号"}


def document() -> dict:
    errors = {"400": _error("bad input: a request error code (see the `Error` schema)"),
              "401": _error("no token, or a token the server does not know (`unauthorized`)")}
    return {
        "openapi": "3.1.0",
        "info": {"title": "quanze", "version": "1",
                 "description": "Who may decide a matter under a procuratorate's powers-and-responsibilities "
                                "list (权责清单): decisions, batches, the lists, the catalogue and the decision log. "
                                "Every decision served is logged (hash-chained) before it is answered."},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "`--tokens FILE`: one `name: sha256-of-token` a line. "
                                                          "Without it the server listens on loopback only and "
                                                          "asks for no token."}},
            "schemas": {
                "Request": {"type": "object", "required": ["matter"], "additionalProperties": False,
                            "properties": {
                                "matter": {"type": "string", "description": "a matter code (GET /v1/matters)"},
                                "actor": {"enum": list(AUTHORITIES), "description": "who asks"},
                                "facts": {"type": "object", "description": "fact code → value (GET /v1/facts)"},
                                "on": {"type": "string", "format": "date",
                                       "description": "the list in force that day (default today)"},
                                "vote": {"type": "object", "properties": {
                                    "members": {"type": "integer"}, "present": {"type": "integer"},
                                    "in_favour": {"type": "integer"},
                                    "procurator_general_dissents": {"type": "boolean"}}},
                                "decided_by": {"enum": list(AUTHORITIES),
                                               "description": "who actually decided (auditing)"},
                                "case": {"type": ["string", "integer"], "description": "a case id carried through"}},
                            "x-keys": list(REQUEST_KEYS)},
                "Decision": {"type": "object", "description": "the decision JSON (as `quanze decide --format "
                                                              "json`), plus `log_id`",
                             "required": ["list", "case", "matter", "actor", "status", "authority", "uncovered",
                                          "actor_may_decide", "chain", "delegable_to", "obligations", "because", "missing_facts",
                                          "vote", "responsible", "violation"],
                             "properties": {
                                 "list": {"type": "object", "properties": {"id": {"type": "string"},
                                                                           "digest": {"type": "string"}}},
                                 "status": {"enum": ["ok", "forbidden", "undetermined"]},
                                 "authority": {"type": ["string", "null"]},
                                 "actor_may_decide": {"type": ["boolean", "null"]},
                                 "chain": {"type": "array", "items": {"type": "string"}},
                                 "delegable_to": {"type": "array", "items": {"type": "string"},
                                                  "description": "`[\"deputy_procurator_general\"]` where the "
                                                                 "deputy may decide by delegation, else empty"},
                                 "missing_facts": {"type": "array", "items": {"type": "object", "properties": {
                                     "fact": {"type": "string"}, "question": {"type": "object"}}}},
                                 "log_id": {"type": "integer", "description": "the decision log's entry"}}},
                "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {
                    "code": {"enum": sorted(set(REQUEST_CODES) | set(SERVER_CODES))},
                    "message": {"type": "string", "description": "in English"},
                    "message_zh": {"type": "string", "description": "the same in Chinese"},
                    "field": {"type": ["string", "null"],
                              "description": "the part of the request at fault, e.g. `facts.case_source`"}}}},
                    "x-codes": {**REQUEST_CODES, **SERVER_CODES}},
                "LogEntry": {"type": "object", "properties": {
                    k: {} for k in ("seq", "time", "caller", "case", "matter", "actor", "list", "request",
                                    "decision", "hash")}},
            },
        },
        "paths": {
            "/v1/decide": {"post": {
                "summary": "Decide one request", "security": _AUTH,
                "description": "The decision JSON with `log_id`: answered only once the log entry is durable. "
                               "`list.digest` names the list version used.",
                "requestBody": {"required": True, "content": _json(_ref("Request"), EXAMPLE_REQUEST)},
                "responses": {"200": {"description": "the decision", "content": _json(_ref("Decision"))},
                              **errors, "413": _error("the body is over the size limit (`too-large`)"),
                              "503": _error("the decision log cannot be written (`log-unavailable`): no decision")}}},
            "/v1/check": {"post": {
                "summary": "Check a batch (JSON Lines in, JSON Lines out, streamed)", "security": _AUTH,
                "description": "One output line per input line, in order, as `quanze check --format jsonl`: the "
                               "decision JSON with `line` and `flags`, then `log_id` (every decided line is written "
                               "to the decision log and sent only once its entry is durable), or `{line, error, "
                               "case}` for a bad line (not logged). Read the answer while sending (curl does).",
                "requestBody": {"required": True, "content": {"application/x-ndjson": {
                    "schema": {"type": "string"},
                    "example": json.dumps(EXAMPLE_REQUEST, ensure_ascii=False) + "\n"}}},
                "responses": {"200": {"description": "JSON Lines", "content": {"application/x-ndjson": {
                    "schema": {"type": "string"}}}}, "401": errors["401"]}}},
            "/v1/lists": {"get": {"summary": "The list versions loaded", "security": _AUTH,
                                  "description": "id, digest, level, dates, items per part",
                                  "responses": {"200": {"description": "the versions"}, "401": errors["401"]}}},
            "/v1/lists/{list_id}": {"get": {
                "summary": "One list", "security": _AUTH,
                "description": "As JSON, or as the published document with `Accept: text/html` (`?lang=en`).",
                "parameters": [{"name": "list_id", "in": "path", "required": True, "schema": {"type": "string"}},
                               {"name": "lang", "in": "query", "schema": {"enum": ["zh", "en"]}}],
                "responses": {"200": {"description": "the list"}, "401": errors["401"],
                              "404": _error("no such list (`unknown-list`)")}}},
            "/v1/matters": {"get": {"summary": "The matters of the catalogue (zh and en)", "security": _AUTH,
                                    "responses": {"200": {"description": "matters"}, "401": errors["401"]}}},
            "/v1/facts": {"get": {"summary": "The facts conditions read, with their questions (zh and en)",
                                  "security": _AUTH,
                                  "responses": {"200": {"description": "facts"}, "401": errors["401"]}}},
            "/v1/authorities": {"get": {"summary": "The authorities' names (zh and en)", "security": _AUTH,
                                        "responses": {"200": {"description": "authorities"}, "401": errors["401"]}}},
            "/v1/log": {"get": {
                "summary": "Logged decisions", "security": _AUTH,
                "description": "`format=json` (default): a page of entries and `next_after` to pass as `after`; "
                               "`jsonl` or `csv`: every matching entry, streamed.",
                "parameters": [{"name": n, "in": "query", "schema": {"type": t}, "description": d} for n, t, d in (
                    ("case", "string", "one case's entries"),
                    ("since", "string", "from this day or UTC time (inclusive)"),
                    ("until", "string", "to this day (inclusive) or UTC time (exclusive)"),
                    ("after", "integer", "entries after this seq"),
                    ("limit", "integer", f"at most this many (1–{1000}, default 100)"),
                    ("format", "string", "json, jsonl or csv"))],
                "responses": {"200": {"description": "entries", "content": _json({"type": "object", "properties": {
                    "entries": {"type": "array", "items": _ref("LogEntry")},
                    "next_after": {"type": ["integer", "null"]}}})}, **errors}}},
            "/v1/log/verify": {"get": {
                "summary": "Recompute the log's hash chain", "security": _AUTH,
                "responses": {"200": {"description": "`intact`, `entries`, the first `broken` seq and why",
                                      "content": _json({"type": "object"})}, "401": errors["401"]}}},
            "/v1/health": {"get": {"summary": "Status and the loaded lists' digests (no token needed)",
                                   "responses": {"200": {"description": "status"}}}},
            "/": {"get": {"summary": "The prosecutor's page", "responses": {"200": {"description": "HTML"}}}},
        },
    }


def _words(text: str) -> str:
    """Escaped text with its `code` spans as <code>."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def docs_page(doc: dict) -> str:
    """The document as a readable HTML page: every path, its parameters, body, answers and the error codes."""
    e = _words
    out = [f"<h1>{e(doc['info']['title'])} API</h1><p>{e(doc['info']['description'])}</p>",
           '<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> · the page for prosecutors: '
           '<a href="/">/</a></p>',
           f"<h2>Authentication</h2><p>{e(doc['components']['securitySchemes']['bearer']['description'])}</p>"]
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            lock = ' <span class="t">token</span>' if op.get("security") else ""
            out.append(f'<section><h2><span class="m">{e(method.upper())}</span> <code>{e(path)}</code>{lock}</h2>'
                       f"<p><b>{e(op['summary'])}</b></p>")
            if op.get("description"):
                out.append(f"<p>{e(op['description'])}</p>")
            if op.get("parameters"):
                out.append("<table><tr><th>parameter</th><th>in</th><th>description</th></tr>" + "".join(
                    f"<tr><td><code>{e(p['name'])}</code></td><td>{e(p['in'])}</td>"
                    f"<td>{e(p.get('description', ''))}</td></tr>" for p in op["parameters"]) + "</table>")
            body = op.get("requestBody")
            if body:
                for media, spec in body["content"].items():
                    example = spec.get("example")
                    if example is not None:
                        text = example if isinstance(example, str) else json.dumps(example, ensure_ascii=False,
                                                                                   indent=1)
                        out.append(f"<p>Body (<code>{e(media)}</code>), for example:</p><pre>{html.escape(text)}</pre>")
            out.append("<ul>" + "".join(f"<li><b>{e(code)}</b> {e(r['description'])}</li>"
                                        for code, r in op["responses"].items()) + "</ul></section>")
    schemas = doc["components"]["schemas"]
    out.append("<h2>The request</h2><table><tr><th>key</th><th>type</th><th>description</th></tr>" + "".join(
        f"<tr><td><code>{e(k)}</code></td><td>{e(json.dumps(v.get('type', v.get('enum')), ensure_ascii=False))}"
        f"</td><td>{e(v.get('description', ''))}</td></tr>" for k, v in schemas["Request"]["properties"].items())
               + "</table>")
    out.append('<h2>Errors</h2><p>Every error is <code>{"error": {"code", "message", "message_zh", "field"}}</code> '
               "(<code>message</code> in English, <code>message_zh</code> the same in Chinese) with a 4xx "
               "status (503 when the log cannot be written), never a traceback:</p><table>"
               "<tr><th>code</th><th>meaning</th></tr>" + "".join(
                   f"<tr><td><code>{e(k)}</code></td><td>{e(v)}</td></tr>"
                   for k, v in schemas["Error"]["x-codes"].items()) + "</table>")
    style = ("body{font:15px/1.5 system-ui,'Noto Sans CJK SC',sans-serif;max-width:60em;margin:2em auto;padding:0 1em;"
             "color:#222}code,pre{font-family:ui-monospace,monospace;background:#f4f4f4}pre{padding:.6em;overflow:auto}"
             "section{border-top:1px solid #ddd;margin-top:1.2em}.m{background:#225;color:#fff;padding:0 .4em;"
             "border-radius:3px;font-size:.8em}.t{color:#555;font-size:.6em;font-weight:normal;border:1px solid #999;"
             "padding:0 .3em;border-radius:3px}table{border-collapse:collapse}td,th{border:1px solid #ddd;"
             "padding:.2em .5em;text-align:left;vertical-align:top}")
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>quanze API</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{style}</style></head>'
            f"<body>{''.join(out)}</body></html>\n")
