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
import re

from .codes import CODES
from .errors import QuanzeError
from .findings import suggest
from .messages import os_error
from .model import Text
from .names import names_of
from .present.words import BATCH_COLUMNS
from .requests import RequestError, coerce_fact, whole_number

JSON_EXTENSIONS = (".jsonl", ".ndjson", ".json")
CSV_EXTENSIONS = (".csv",)
REQUEST_COLUMNS = ("case", "matter", "actor", "decided_by", "on", "vote")
# Columns `check --format csv` writes besides the request's own: ignored when its output is read back.
OUTPUT_COLUMNS = ("line", "status", "authority", "actor_may_decide", "flags", "chain", "delegable_to", "obligations",
                  "missing_facts", "violation", "error", "list", "digest")
KNOWN_COLUMNS = frozenset(REQUEST_COLUMNS + OUTPUT_COLUMNS)
# Every column by its Chinese header, as `check --format csv` writes them in Chinese (`words.BATCH_COLUMNS`:
# 案号, 事项, 提出人, 决定人, 日期, 表决, and its own, 行号, 状态 ...); a fact's column may be headed by its
# Chinese name too.
COLUMN_NAMES = {"案件": "case", **{name: code for code, name in BATCH_COLUMNS["zh"].items()}}


class ActionsError(QuanzeError):
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
    raise ActionsError(Text(f"`{path}`：无法从扩展名判断格式（.jsonl、.ndjson、.json 或 .csv）；请给出 --input-format jsonl|csv",
                            f"`{path}`: cannot tell the format from the extension (.jsonl, .ndjson, .json or .csv); "
                            "give --input-format jsonl|csv"))


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
    """The rows of a CSV action file as request dicts, facts typed by the catalogue.

    One bad row spoils itself alone: the file is decoded line by line, a byte that is not UTF-8 kept
    as a lone surrogate (`surrogateescape`) so that only its row is `bad-encoding`; and a row that runs
    over several lines (a quote opened and never closed) but does not fit the header is `bad-row` at
    its first line, and the lines after that are read again as rows of their own. A CSV that `check`
    wrote (its header has `line` and `error`) reads back as it was: a row with an error is that
    error, and the guard quote `check` put before a cell that a spreadsheet would take for a formula
    is taken off (`present.batch.CsvRows`)."""

    def __init__(self, stream, catalogue):
        self.catalogue = catalogue
        self.text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", errors="surrogateescape")
        self.lines = _Lines(self.text)
        self.reader = csv.reader(self.lines)
        try:
            header = next(self.reader)
        except StopIteration:
            header = None
        except csv.Error as exc:
            raise ActionsError(Text("无法读取 CSV 的表头（CSV 格式错误）", f"the CSV header cannot be read: {exc}")) from None
        bad = _not_utf8(self.lines.taken) if header is not None else None
        if bad is not None:
            raise ActionsError(Text(f"CSV 的表头不是 UTF-8 编码：{bad.zh}", f"the CSV header is not UTF-8: {bad.en}"))
        self.names = names_of(catalogue)
        given = [h.strip() for h in header] if header is not None else []
        self.header = [self._column(h) for h in given]
        seen: dict = {}
        for h, g in zip(self.header, given):
            if h and h in seen:
                also = Text(f"（一次为 `{seen[h]}`，一次为 `{g}`）", f" (as `{seen[h]}` and `{g}`)") if seen[h] != g \
                    else Text("", "")
                raise ActionsError(Text(f"CSV 的列 `{h}` 出现了两次", f"CSV column `{h}` appears twice") + also)
            seen[h] = g
        if header is not None and "matter" not in self.header:
            raise ActionsError(Text("CSV 没有 `matter`（事项）列", "the CSV has no `matter` column"))
        self.ours = {"line", "error"} <= seen.keys()  # written by `check --format csv`
        self.error = self.header.index("error") if "error" in seen else None

    def _column(self, name: str) -> str:
        """The column a header names: a request column or a fact, by its code or its Chinese name."""
        if not name or name in KNOWN_COLUMNS or name in self.catalogue.facts:
            return name
        if name in COLUMN_NAMES:
            return COLUMN_NAMES[name]
        found = self.names.facts.find(name)
        if len(found) == 1:
            return found[0]
        if found:
            raise ActionsError(Text(f"CSV 的列 `{name}` 是事实" + "和".join(f"`{c}`" for c in found) + "共用的名称：请给出代码",
                                    f"CSV column `{name}` names the facts " + " and ".join(f"`{c}`" for c in found)
                                    + ": give the code"))
        hint = self.names.facts.hint(name)
        if not hint.zh:
            hint = suggest(name, list(REQUEST_COLUMNS) + list(COLUMN_NAMES))
        raise ActionsError(Text(f"CSV 的列 `{name}` 既不是请求的列（{'、'.join(REQUEST_COLUMNS)}），也不是事实",
                                f"CSV column `{name}` is neither a request column ({', '.join(REQUEST_COLUMNS)}) "
                                "nor a fact") + hint)

    def close(self) -> None:
        self.text.close()

    def __iter__(self):
        reader, lines, width = self.reader, self.lines, len(self.header)
        while True:
            start = lines.start()
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                lines.again()
                yield start, RequestError("bad-row", Text("CSV 格式错误，该行无法读取", f"CSV: {exc}"))
                continue
            if len(lines.taken) > 1 and len(cells) != width:
                lines.again()
                yield start, RequestError("bad-row", Text(
                    f"本行开始的引号 `\"` 没有在本行结束，连同其后各行组成的一行有 {len(cells)} 格，而表头有 {width} 格："
                    "其后各行重新逐行读取",
                    "a quote `\"` opened on this line is not closed on it, and the "
                    f"row it makes of the lines after it has {len(cells)} cells, "
                    f"not the header's {width}: the lines after it are read again"))
                continue
            bad = _not_utf8(lines.taken)
            if bad:
                yield start, self._spoilt(RequestError("bad-encoding", Text(f"该行不是 UTF-8 编码：{bad.zh}",
                                                                            f"the row is not UTF-8: {bad.en}")),
                                          [_shown(c) for c in cells])
                continue
            if not cells or all(not c.strip() for c in cells):
                yield start, RequestError("empty-line", Text("空行", "an empty row"))
                continue
            if len(cells) != width:
                yield start, RequestError("bad-row", Text(f"该行有 {len(cells)} 格，而表头有 {width} 格",
                                                          f"the row has {len(cells)} cells; the header has {width}"))
                continue
            if self.ours:
                cells = [unguard(c) for c in cells]
            yield start, self.row(cells)

    def row(self, cells):
        """A request dict from one row, or a RequestError (the first problem)."""
        if self.error is not None and cells[self.error].strip():
            code, sep, message = cells[self.error].strip().partition(": ")
            if not sep or not _CODE.fullmatch(code) or code not in CODES:
                code, message = "bad-row", cells[self.error].strip()
            # the message as `check` wrote it, in the language of that run: the same in both here
            return self._spoilt(RequestError(code, Text(message, message)), cells)
        raw: dict = {}
        facts: dict = {}
        try:
            for name, cell in zip(self.header, cells):
                if not name or name in OUTPUT_COLUMNS:
                    continue
                value = cell.strip()
                if not value:
                    continue
                if name == "vote":
                    raw["vote"] = parse_vote_cell(value)
                elif name == "matter":
                    raw[name] = self.names.matters.code(value) or value  # a name the parser refuses, as typed
                elif name in ("actor", "decided_by"):
                    raw[name] = self.names.authorities.code(value) or value
                elif name in REQUEST_COLUMNS:
                    raw[name] = value
                else:
                    facts[name] = coerce_fact(self.catalogue, name, value)
        except RequestError as exc:
            return self._spoilt(exc, cells)
        if facts:
            raw["facts"] = facts
        return raw

    def _spoilt(self, exc: RequestError, cells) -> RequestError:
        """`exc` with the row's case and request cells, for the output line of a bad row."""
        named = dict(zip(self.header, cells))
        exc.case = named.get("case", "").strip() or None
        exc.cells = {n: c for n, c in named.items() if n and n not in OUTPUT_COLUMNS and n != "case"}
        return exc


class _Lines:
    """The physical lines of a CSV file for `csv.reader`, counted; those of the record being read
    are kept (`taken`), so that a refused record's lines after its first can be handed out again."""

    def __init__(self, text):
        self.text = text
        self.back: list = []   # lines to hand out again, last first
        self.taken: list = []  # the lines of the record being read
        self.count = 0         # lines handed out

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = self.back.pop() if self.back else next(self.text)
        self.taken.append(line)
        self.count += 1
        return line

    def start(self) -> int:
        """Begin a record; returns the number of its first line."""
        self.taken = []
        return self.count + 1

    def again(self) -> None:
        """Hand out again the lines of the record being read, but its first."""
        rest = self.taken[1:]
        self.back.extend(reversed(rest))
        self.count -= len(rest)
        del self.taken[1:]


_ESCAPED = re.compile("[\udc80-\udcff]")  # a byte that is not UTF-8, as `surrogateescape` keeps it
_CODE = re.compile("[a-z][a-z-]*")  # an error code, as `check` writes it before `: message`


def _not_utf8(lines) -> Text | None:
    """What is not UTF-8 in `lines` (the first such byte), or None."""
    for line in lines:
        if not line.isascii():
            found = _ESCAPED.search(line)
            if found:
                byte = f"0x{ord(found.group()) - 0xDC00:02X}"
                return Text(f"字节 {byte}", f"byte {byte}")
    return None


def _shown(cell: str) -> str:
    """A cell with its bytes that are not UTF-8 shown as U+FFFD."""
    return cell.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


# A cell a spreadsheet would read as a formula (OWASP: CSV injection) begins with one of these; quanze
# writes it after a guard quote `'` (`guard`), and takes the quote off reading a CSV it wrote (`unguard`).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard(cell):
    """`cell` (any value) with a `'` before it where it is text that begins like a formula, or like
    one behind quotes (so that `unguard` can tell a guard from a quote that was in the text)."""
    if type(cell) is str and cell.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def unguard(cell: str) -> str:
    """The inverse of `guard` for a cell read back."""
    if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


MAX_DEPTH = 32  # arrays and objects in arrays and objects: a request nests two deep (facts, vote)


def parse_line(data: bytes) -> dict:
    """The request dict of one JSON line (UTF-8); a RequestError says why the line is not one.

    A byte order mark at the start of the line is dropped, as at the start of the file (files joined
    with `cat` carry one at the start of each). A line nested deeper than `MAX_DEPTH` is refused before
    it is parsed: it is no request, and `json` would recurse into it until Python's stack ran out."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    try:
        text = data.decode()
        if text.count("[") + text.count("{") > MAX_DEPTH and _too_deep(text):
            raise RequestError("bad-json", Text(f"不是有效的请求 JSON：数组和对象嵌套超过 {MAX_DEPTH} 层",
                                                f"invalid JSON for a request: arrays and objects nested more than "
                                                f"{MAX_DEPTH} deep"))
        raw = json.loads(text)
    except RequestError:
        raise
    except ValueError as exc:
        raise line_error(data, exc) from None
    if type(raw) is not dict:
        raise RequestError("bad-request", not_object(raw))
    return raw


def _too_deep(text: str) -> bool:
    """Whether the JSON `text` nests arrays and objects more than `MAX_DEPTH` deep (brackets in
    strings aside); read without recursion."""
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch == "[" or ch == "{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif ch == "]" or ch == "}":
            depth -= 1
    return False


def line_error(data: bytes, exc: ValueError) -> RequestError:
    """The error of a line that is not JSON."""
    if not data.strip():
        return RequestError("empty-line", Text("空行", "an empty line"))
    if isinstance(exc, UnicodeDecodeError):
        byte = f"0x{exc.object[exc.start]:02X}"
        return RequestError("bad-encoding", Text(f"该行不是 UTF-8 编码：第 {exc.start + 1} 个字节 {byte} 无效",
                                                 f"the line is not UTF-8: {exc.reason}"))
    if isinstance(exc, json.JSONDecodeError):
        return RequestError("bad-json", Text(f"不是有效的 JSON：第 {exc.pos + 1} 个字符处有误",
                                             f"invalid JSON: {exc.msg} (at character {exc.pos + 1})"))
    return RequestError("bad-json", Text("不是有效的 JSON", f"invalid JSON: {exc}"))


# What a JSON line holds instead of a request's object, in each language.
JSON_KINDS = {list: Text("数组", "an array"), str: Text("字符串", "a string"), int: Text("数字", "a number"),
              float: Text("数字", "a number"), bool: Text("布尔值", "a boolean")}


def not_object(raw) -> Text:
    kind = JSON_KINDS.get(type(raw), Text("null", "null"))
    return Text(f"请求应为有 `matter` 的 JSON 对象，不能是{kind.zh}", f"a request is a JSON object with `matter`, not {kind.en}")


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
        raise RequestError("bad-vote", Text(f"表决的格式是 委员数:出席数:赞成数[:dissent]（MEMBERS:PRESENT:IN_FAVOUR），"
                                            f"如 11:7:6，不能是 `{text}`",
                                            f"vote is MEMBERS:PRESENT:IN_FAVOUR[:dissent], e.g. 11:7:6, not `{text}`"))
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
        raise ActionsError(Text(f"`{path}` 是文件夹，不是案件行为文件", f"`{path}` is a folder, not an action file"))
    try:
        return open(path, "rb", buffering=1 << 20)
    except OSError as exc:
        raise ActionsError(Text(f"`{path}`：无法打开（{os_error(exc)}）", f"`{path}`: {exc.strerror}")) from None
