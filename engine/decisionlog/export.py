"""The decision log exported: JSON Lines (each entry as `Entry.to_json`) or CSV for a spreadsheet.

CSV cells a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a
carriage return: a case number typed by a caller could be `=HYPERLINK(...)`) get a leading `'`, so
Excel and LibreOffice show them as text: the guard `quanze check` puts in its CSV (`actions.guard`).
UTF-8 with a BOM, as `quanze check` writes CSV.
"""
from __future__ import annotations

import codecs
import csv
import datetime
import io
import json
from typing import Iterable, Iterator

from ..actions import guard
from ..model import Text
from .chain import Entry
from .store import LogError

CSV_COLUMNS = ("seq", "time", "caller", "case", "matter", "actor", "list_id", "digest", "status", "authority",
               "actor_may_decide", "request", "decision", "hash")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return guard(str(value))


def jsonl_lines(entries: Iterable[Entry]) -> Iterator[bytes]:
    for entry in entries:
        yield (json.dumps(entry.to_json(), ensure_ascii=False) + "\n").encode("utf-8", "backslashreplace")


def csv_lines(entries: Iterable[Entry]) -> Iterator[bytes]:
    """The header (after the BOM), then one row per entry."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")

    def take() -> bytes:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode("utf-8", "backslashreplace")

    writer.writerow(CSV_COLUMNS)
    yield codecs.BOM_UTF8 + take()
    for e in entries:
        d = e.decision
        writer.writerow([_cell(v) for v in (e.seq, e.time, e.caller, e.case, e.matter, e.actor, e.list_id, e.digest,
                                            d.get("status"), d.get("authority"), d.get("actor_may_decide"),
                                            e.request, d, e.hash)])
        yield take()


def time_bound(text: str | None, what: str, end: bool = False) -> str | None:
    """`--since`/`--until` (or `?since=`) as the UTC ISO text the log's times compare with: a day
    (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM[:SS[.ffffff]][Z]). An `until` day includes that day."""
    if text is None or text == "":
        return None
    try:
        if len(text) == 10:
            day = datetime.date.fromisoformat(text)
            return (day + datetime.timedelta(days=1) if end else day).isoformat()
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise LogError("bad-value", Text(f"`{what}`：`{text}` 不是日期（YYYY-MM-DD）或时间（YYYY-MM-DDTHH:MM:SSZ）",
                                         f"`{what}`: `{text}` is not a day (YYYY-MM-DD) or a time "
                                         f"(YYYY-MM-DDTHH:MM:SSZ)")) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds") + "Z"
