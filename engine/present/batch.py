"""The batch's words and tables (`quanze check`): CSV rows, the terminal table and the summary.

`quanze.batch` decides the lines and writes the decision JSON; for `--format csv` and `text` it hands
each line over as a row (a dict of cells named by `CSV_COLUMNS`), made here by `decision_row` from a
decision's cells (`standing_cells`, `obligation_cells`: the memo keeps them with each decision class
and actor, so they are made once) or by `error_row` for a bad line. A CSV row also carries the
request's own cells (`request_cells`), so that the file `check` writes reads back into `check`.
`CsvRows` and `text_rows` turn a chunk of rows into bytes; `summary_text` words the summary
(`quanze.batch.summary.summarise`).
"""
from __future__ import annotations

import codecs
import csv
import io
import json

from ..actions import guard, vote_cell
from .textwidth import fit, printable
from .words import SUMMARY, plural

CSV_COLUMNS = ("line", "case", "matter", "actor", "decided_by", "status", "authority", "actor_may_decide", "flags",
               "chain", "obligations", "missing_facts", "violation", "error")
TEXT_COLUMNS = ("line", "case", "matter", "actor", "decided_by", "status", "authority", "flags")
# Terminal columns (a Chinese character takes two), not characters: line, case (（2021）检刑诉12号 is 18),
# matter, actor, decided_by, status, authority (25 holds every authority's code). A longer cell is cut
# with `…`, so the columns stay in line; the flags or the error close the row.
TEXT_WIDTHS = (7, 20, 40, 25, 25, 12, 25)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


# ---- cells and rows ------------------------------------------------------------------------------

def obligation_cells(decision) -> tuple:
    """(obligations, missing facts): the cells that depend on the outcome alone."""
    obligations = "; ".join(",".join(o.report_to) + f" ({'/'.join((o.by,) + o.or_by)})"
                            + (f" if {','.join(o.if_facts)}" if o.if_facts else "") for o in decision.obligations)
    return obligations, " ".join(m.fact for m in decision.missing_facts)


def standing_cells(decision) -> tuple:
    """(status, authority, actor may decide, flags, chain, violation): the cells where the actor and
    `decided_by` stand."""
    may = "" if decision.actor_may_decide is None else ("true" if decision.actor_may_decide else "false")
    return (decision.status, decision.authority or "", may, " ".join(decision.flags), " > ".join(decision.chain),
            decision.violation.reason if decision.violation else "")


def decision_cells(decision) -> tuple:
    """Every cell of a decision, as `decision_row` takes them."""
    return standing_cells(decision) + obligation_cells(decision)


def decision_row(n: int, raw: dict, matter: str, cells: tuple, with_request: bool) -> dict:
    """The row of a decided line; `with_request` adds the request's own cells (CSV)."""
    status, authority, may, flags, chain, violation, obligations, missing = cells
    row = {"line": n, "case": raw.get("case"), "matter": matter, "actor": raw.get("actor") or "",
           "decided_by": raw.get("decided_by") or "", "status": status, "authority": authority,
           "actor_may_decide": may, "flags": flags, "chain": chain, "obligations": obligations,
           "missing_facts": missing, "violation": violation, "error": ""}
    if with_request:
        row.update(request_cells(raw))
    return row


def error_row(n: int, exc, case, raw) -> dict:
    """The row of a bad line: its error, and what it has of a request (`raw`, or the cells of a CSV
    row the reader could not make a request of)."""
    if case is None:
        case = getattr(exc, "case", None)
    row = {"line": n, "case": case, "error": f"{exc.code}: {exc.message}"}
    if raw is not None:
        row.update(request_cells(raw))
    elif getattr(exc, "cells", None):
        row.update(exc.cells)
    return row


def request_cells(raw: dict) -> dict:
    """The request's own cells (so that `check`'s CSV reads back into `check`)."""
    out = {}
    for key in ("matter", "actor", "decided_by", "on"):
        v = raw.get(key)
        if v is not None:
            out[key] = v if isinstance(v, str) else _dumps(v)
    if raw.get("vote") is not None:
        out["vote"] = vote_cell(raw["vote"])
    facts = raw.get("facts")
    if isinstance(facts, dict):
        for k, v in facts.items():
            if v is None:
                continue
            out[str(k)] = ("true" if v else "false") if isinstance(v, bool) else str(v)
    return out


# ---- CSV and the terminal table ------------------------------------------------------------------

class CsvRows:
    """CSV bytes for chunks of rows, under one header: the output columns, then the request's
    (`on`, `vote`, one column per fact of the catalogue). A cell that a spreadsheet would take for a
    formula (`=HYPERLINK(...)` as a case number) is written after a guard quote (`actions.guard`, as
    OWASP advises against CSV injection); `check` takes it off when it reads the file back."""

    def __init__(self, catalogue):
        self.columns = list(CSV_COLUMNS) + ["on", "vote"] + list(catalogue.facts)
        self.text = io.StringIO(newline="")
        self.writer = csv.DictWriter(self.text, self.columns, restval="", extrasaction="ignore", lineterminator="\r\n")

    def header(self) -> bytes:
        """The header, after the BOM that makes Excel read the file as UTF-8."""
        self._reset()
        self.writer.writeheader()
        return codecs.BOM_UTF8 + self.text.getvalue().encode()

    def __call__(self, rows: list) -> bytes:
        self._reset()
        self.writer.writerows({k: guard(v) for k, v in row.items()} for row in rows)
        return self.text.getvalue().encode("utf-8", "backslashreplace")

    def _reset(self) -> None:
        self.text.seek(0)
        self.text.truncate()


def text_header() -> bytes:
    return ("  ".join(fit(c, w) for c, w in zip(TEXT_COLUMNS, TEXT_WIDTHS)) + "  flags / error\n").encode()


def text_rows(rows: list) -> bytes:
    """The table's lines for a chunk of rows: every cell made printable and fitted to its column."""
    lines = []
    for r in rows:
        cells = [str(r.get(c) if r.get(c) is not None else "") for c in TEXT_COLUMNS[:-1]]
        lines.append("  ".join(fit(v, w) for v, w in zip(cells, TEXT_WIDTHS)) + "  "
                     + printable(r.get("flags") or r.get("error") or ""))
    return ("\n".join(lines) + "\n").encode("utf-8", "backslashreplace") if lines else b""


# ---- the summary ---------------------------------------------------------------------------------

def summary_text(summary: dict, lang: str = "en", interrupted: bool = False) -> str:
    w = SUMMARY[lang]
    lines = [w["interrupted"]] if interrupted else []
    # the English nouns take their plural from the count; the Chinese template does not name them
    lines.append(w["totals"].format(**summary, line=plural("line", summary["lines"]),
                                    violation=plural("violation", summary["violations"]),
                                    bad_line=plural("bad line", summary["bad_lines"])))
    for key in ("by_status", "by_authority", "by_flag", "bad_by_code"):
        if summary[key]:
            lines.append(f"  {w[key]}: " + ", ".join(f"{k} {v}" for k, v in summary[key].items()))
    return "\n".join(lines)
