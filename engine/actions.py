"""Reading action files for `quanze check`: JSON Lines or CSV, from a file or standard input.

A record is `(line, raw)`: `line` is the physical line number of the record in the file (1-based;
a CSV header is line 1 and is not a record; a CSV row that spans several physical lines by a quoted
newline is numbered by its first line), and `raw` is the request as a dict (docs/deciding.md), the
undecoded bytes of a JSON line, or a `RequestError` saying why the row is not a request. Every
record gets an output line: a blank line is a record too (a bad one, `empty-line`), so the output of
`check` has exactly as many lines as the input has records.

This is the one reader of action files: `quanze check` (`open_actions`, whose JSON lines the batch
path parses itself, fast, and through `parse_line` wherever the fast parse refuses) and
`quanze audit --replay` (`read_actions`, every line through `parse_line`) read the same records, so
a bad line gets the same code and message in both.
"""
from __future__ import annotations

import codecs
import csv
import io
import json
import os

from .findings import did_you_mean
from .requests import RequestError, coerce_fact, whole_number

JSON_EXTENSIONS = (".jsonl", ".ndjson", ".json")
CSV_EXTENSIONS = (".csv",)
REQUEST_COLUMNS = ("case", "matter", "actor", "decided_by", "on", "vote")
# Columns `check --format csv` writes besides the request's own: ignored when its output is read back.
OUTPUT_COLUMNS = ("line", "status", "authority", "actor_may_decide", "flags", "chain", "obligations",
                  "missing_facts", "violation", "error")


class ActionsError(Exception):
    """The action file as a whole cannot be read (unknown format, bad CSV header): a usage error."""


def detect_format(path: str, given: str | None = None) -> str:
    """`jsonl` or `csv`, from `--input-format` or the file's extension."""
    if given:
        return given
    low = path.lower()
    if low.endswith(CSV_EXTENSIONS):
        return "csv"
    if low.endswith(JSON_EXTENSIONS) or path == "-":
        return "jsonl"
    raise ActionsError(f"`{path}`: cannot tell the format from the extension (.jsonl, .ndjson, .json or .csv); "
                       "give --input-format jsonl|csv")


def jsonl_records(stream):
    """`(line, bytes)` for every physical line of a binary stream (a leading UTF-8 BOM is dropped)."""
    n = 0
    for n, data in enumerate(stream, 1):
        if n == 1 and data.startswith(codecs.BOM_UTF8):
            data = data[3:]
        yield n, data


class JsonLines:
    """A JSON Lines stream: its records one by one (`jsonl_records`), or in chunks of whole lines
    (`chunks`), which the batch path reads without a Python step per line."""

    def __init__(self, stream, size: int = 1 << 20):
        self.stream = stream
        self.size = size  # bytes a chunk reads, about

    def __iter__(self):
        return jsonl_records(self.stream)

    def close(self) -> None:
        self.stream.close()

    def chunks(self):
        """`(number of the first line, [bytes of each line])`, about `self.size` bytes at a time."""
        n = 1
        while True:
            lines = self.stream.readlines(self.size)
            if not lines:
                return
            if n == 1 and lines[0].startswith(codecs.BOM_UTF8):
                lines[0] = lines[0][3:]
            yield n, lines
            n += len(lines)


class CsvActions:
    """The rows of a CSV action file as request dicts, facts typed by the catalogue."""

    def __init__(self, stream, catalogue):
        self.catalogue = catalogue
        self.text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", errors="strict")
        self.reader = csv.reader(self.text)
        try:
            header = next(self.reader)
        except StopIteration:
            header = None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ActionsError(f"the CSV header cannot be read: {exc}") from None
        self.header = [h.strip() for h in header] if header is not None else []
        known = set(REQUEST_COLUMNS) | set(OUTPUT_COLUMNS) | set(catalogue.facts)
        for h in self.header:
            if h and h not in known:
                raise ActionsError(f"CSV column `{h}` is neither a request column ({', '.join(REQUEST_COLUMNS)}) "
                                   f"nor a fact{did_you_mean(h, list(catalogue.facts) + list(REQUEST_COLUMNS))}")
        seen = set()
        for h in self.header:
            if h and h in seen:
                raise ActionsError(f"CSV column `{h}` appears twice")
            seen.add(h)
        if header is not None and "matter" not in self.header:
            raise ActionsError("the CSV has no `matter` column")

    def close(self) -> None:
        self.text.close()

    def __iter__(self):
        reader, width = self.reader, len(self.header)
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as exc:
                # the rest of the file cannot be decoded reliably: one bad record, then stop
                yield start, RequestError("bad-encoding", f"the file is not UTF-8 here: {exc.reason}")
                return
            except csv.Error as exc:
                yield start, RequestError("bad-row", f"CSV: {exc}")
                continue
            if not cells or all(not c.strip() for c in cells):
                yield start, RequestError("empty-line", "an empty row")
                continue
            if len(cells) != width:
                yield start, RequestError("bad-row", f"the row has {len(cells)} cells; the header has {width}")
                continue
            yield start, self.row(cells)

    def row(self, cells):
        """A request dict from one row, or a RequestError (the first problem)."""
        raw: dict = {}
        facts: dict = {}
        case = None
        try:
            for name, cell in zip(self.header, cells):
                if not name or name in OUTPUT_COLUMNS:
                    continue
                value = cell.strip()
                if name == "case":
                    case = value or None
                if not value:
                    continue
                if name == "vote":
                    raw["vote"] = parse_vote_cell(value)
                elif name in REQUEST_COLUMNS:
                    raw[name] = value
                else:
                    facts[name] = coerce_fact(self.catalogue, name, value)
        except RequestError as exc:
            exc.case = case
            exc.cells = {n: c for n, c in zip(self.header, cells) if n and n not in OUTPUT_COLUMNS and n != "case"}
            return exc
        if facts:
            raw["facts"] = facts
        return raw


def parse_line(data: bytes) -> dict:
    """The request dict of one JSON line (UTF-8); a RequestError says why the line is not one."""
    try:
        raw = json.loads(data.decode())
    except ValueError as exc:
        raise line_error(data, exc) from None
    if type(raw) is not dict:
        raise RequestError("bad-request", not_object(raw))
    return raw


def line_error(data: bytes, exc: ValueError) -> RequestError:
    """The error of a line that is not JSON."""
    if not data.strip():
        return RequestError("empty-line", "an empty line")
    if isinstance(exc, UnicodeDecodeError):
        return RequestError("bad-encoding", f"the line is not UTF-8: {exc.reason}")
    if isinstance(exc, json.JSONDecodeError):
        return RequestError("bad-json", f"invalid JSON: {exc.msg} (at character {exc.pos + 1})")
    return RequestError("bad-json", f"invalid JSON: {exc}")


def not_object(raw) -> str:
    kind = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "a boolean"}.get(type(raw), "null")
    return f"a request is a JSON object with `matter`, not {kind}"


def open_actions(path: str, catalogue, given: str | None = None, stdin=None):
    """The records of an action file for `quanze check`: `JsonLines` (undecoded lines) or `CsvActions`.
    Raises ActionsError when the file as a whole cannot be read."""
    fmt = detect_format(path, given)
    stream = open_binary(path, stdin)
    return JsonLines(stream) if fmt == "jsonl" else CsvActions(stream, catalogue)


def read_actions(path: str, catalogue, given: str | None = None):
    """`(line, request dict or RequestError)` for every record of an action file (`audit --replay`)."""
    records = open_actions(path, catalogue, given)
    try:
        for n, raw in records:
            if type(raw) is bytes:
                try:
                    raw = parse_line(raw)
                except RequestError as exc:
                    raw = exc
            yield n, raw
    finally:
        records.close()


def parse_vote_cell(text: str) -> dict:
    """`11:7:6` (members:present:in favour), with `:dissent` when the procurator-general dissents."""
    parts = [p.strip() for p in text.split(":")]
    dissent = False
    if len(parts) == 4 and parts[3].lower() in ("dissent", "dissents", "异议"):
        dissent, parts = True, parts[:3]
    numbers = [whole_number(p) for p in parts]
    if len(numbers) != 3 or any(n is None or n < 0 for n in numbers):
        raise RequestError("bad-vote", f"vote is MEMBERS:PRESENT:IN_FAVOUR[:dissent], e.g. 11:7:6, not `{text}`")
    m, p, y = numbers
    return {"members": m, "present": p, "in_favour": y, "procurator_general_dissents": dissent}


def vote_cell(vote) -> str:
    """The inverse of `parse_vote_cell` for a request's vote dict."""
    if not isinstance(vote, dict):
        return "" if vote is None else str(vote)
    text = f"{vote.get('members')}:{vote.get('present')}:{vote.get('in_favour')}"
    return text + (":dissent" if vote.get("procurator_general_dissents") else "")


def open_binary(path: str, stdin=None):
    """A binary stream for `path` (`-`: standard input)."""
    if path == "-":
        return stdin
    if os.path.isdir(path):
        raise ActionsError(f"`{path}` is a folder, not an action file")
    try:
        return open(path, "rb", buffering=1 << 20)
    except OSError as exc:
        raise ActionsError(f"`{path}`: {exc.strerror}") from None
