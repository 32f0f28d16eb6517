"""The batch's words and tables (`quanze check`): CSV rows, the terminal table and the summary.

`quanze.batch` decides the lines and writes the decision JSON; for `--format csv` and `text` it hands
each line over as a row (a dict of cells named by `CSV_COLUMNS`), made here by `decision_row` from a
decision's cells (`standing_cells`, `outcome_cells`: the memo keeps them with each decision class
and actor, so they are made once) or by `error_row` for a bad line. A row holds codes and values
(a status, a tuple of flags, the obligations); `CellWords` words them in the language of the run
(Chinese names, or in English the codes, as in the JSON Lines), each distinct value once. A CSV row
also carries the request's own cells (`request_cells`), so that the file `check` writes reads back
into `check` (`actions.CsvReader` takes the Chinese names back to codes). `CsvRows` and `TextTable`
turn a chunk of rows into bytes; `summary_text` words the summary (`quanze.batch.summary.summarise`).
"""
from __future__ import annotations

import codecs
import csv
import io
import json
from typing import Callable

from ..actions import guard, vote_cell
from .textwidth import display_width, fit, printable, wrap
from .words import BATCH, BATCH_COLUMNS, BATCH_FLAG, BATCH_STATUS, DECISION, SUMMARY, bad_line_code, fact_label, \
    matter_name, plural, who

CSV_COLUMNS = ("line", "case", "matter", "actor", "decided_by", "status", "authority", "actor_may_decide", "flags",
               "chain", "delegable_to", "obligations", "missing_facts", "violation", "error", "list", "digest")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


# ---- cells and rows ------------------------------------------------------------------------------

def outcome_cells(decision) -> tuple:
    """(delegable to, obligations, missing facts, list, digest): the cells that depend on the outcome
    alone (a delegation to the deputy is the outcome's: `decide.Outcome.delegated`)."""
    return (decision.delegable_to, decision.obligations, tuple(m.fact for m in decision.missing_facts), decision.list_id,
            decision.digest)


def standing_cells(decision) -> tuple:
    """(status, authority, actor may decide, flags, chain, violation): the cells where the actor and
    `decided_by` stand."""
    return (decision.status, decision.authority, decision.actor_may_decide, tuple(decision.flags), decision.chain,
            decision.violation)


def decision_cells(decision) -> tuple:
    """Every cell of a decision, as `decision_row` takes them."""
    return standing_cells(decision) + outcome_cells(decision)


def decision_row(n: int, raw: dict, matter: str, cells: tuple, with_request: bool) -> dict:
    """The row of a decided line; `with_request` adds the request's own cells (CSV)."""
    status, authority, may, flags, chain, violation, delegable, obligations, missing, list_id, digest = cells
    row = {"line": n, "case": raw.get("case"), "matter": matter, "actor": raw.get("actor"),
           "decided_by": raw.get("decided_by"), "status": status, "authority": authority,
           "actor_may_decide": may, "flags": flags, "chain": chain, "delegable_to": delegable, "obligations": obligations,
           "missing_facts": missing, "violation": violation, "list": list_id, "digest": digest}
    if with_request:
        row.update(request_cells(raw))
    return row


def error_row(n: int, exc, case, raw) -> dict:
    """The row of a bad line: its error, and what it has of a request (`raw`, or the cells of a CSV
    row the reader could not make a request of)."""
    if case is None:
        case = getattr(exc, "case", None)
    row = {"line": n, "case": case, "error": (exc.code, exc.text)}
    if raw is not None:
        row.update(request_cells(raw))
    elif getattr(exc, "cells", None):
        row.update(exc.cells)
    return row


def request_cells(raw: dict) -> dict:
    """The request's own cells (so that `check`'s CSV reads back into `check`): texts as given, a
    fact's value as its JSON value (a boolean stays a boolean, for `CellWords` to word)."""
    out: dict = {}
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
            out[str(k)] = v if isinstance(v, bool) else str(v)
    return out


# ---- the cells in words ----------------------------------------------------------------------------

class CellWords:
    """A row's cells as text in one language: in Chinese the names of matters, authorities, facts and
    their values, statuses and flags; in English the codes. Each distinct value is worded once."""

    def __init__(self, catalogue, lang: str):
        self.catalogue, self.lang = catalogue, lang
        self.zh = lang == "zh"
        self.w = BATCH[lang]
        self.seen: dict = {}  # (column, value) -> text

    def __call__(self, column: str, value) -> str:
        if value is None or value == "":
            return ""
        key = (column, value)
        text = self.seen.get(key)
        if text is None:
            if len(self.seen) > 100_000:  # a batch of distinct case numbers must not fill memory
                self.seen.clear()
            text = self.seen[key] = self._word(column, value)
        return text

    def _word(self, column: str, value) -> str:
        w, cat, lang = self.w, self.catalogue, self.lang
        if column in ("status", "flags", "chain", "delegable_to", "obligations", "missing_facts", "violation", "error"):
            return getattr(self, "_" + column)(value)
        if column == "actor_may_decide" or isinstance(value, bool):
            return w["true"] if value else w["false"]
        if not isinstance(value, str):
            return str(value)
        if not self.zh:
            return value
        if column == "matter":
            return matter_name(cat, value, lang) if value in cat.matters else value
        if column in ("actor", "decided_by", "authority"):
            return who(cat, value, lang) if value in cat.authority_names else value
        fact = cat.facts.get(column)
        if fact is not None and fact.value_labels.get(value) is not None:
            return fact.value_labels[value].get(lang)
        return value

    def _name(self, code) -> str:
        return who(self.catalogue, code, self.lang) if self.zh else code

    def _status(self, value) -> str:
        return BATCH_STATUS[self.lang].get(value, value)

    def _flags(self, flags) -> str:
        return self.w["flag_sep"].join(BATCH_FLAG[self.lang].get(f, f) for f in flags)

    def _chain(self, chain) -> str:
        return self.w["chain_sep"].join(self._name(a) for a in chain)

    def _delegable_to(self, authorities) -> str:
        return self.w["names_sep"].join(self._name(a) for a in authorities)

    def _missing_facts(self, facts) -> str:
        if not self.zh:
            return " ".join(facts)
        return self.w["names_sep"].join(fact_label(self.catalogue, f, self.lang) for f in facts)

    def _obligations(self, obligations) -> str:
        w = self.w
        out = []
        for o in obligations:
            by = w["or_by"].join((o.by,) + o.or_by)
            to = w["names_sep"].join(self._name(a) for a in o.report_to)
            if o.if_facts:
                facts = (w["names_sep"].join(fact_label(self.catalogue, f, self.lang) for f in o.if_facts) if self.zh
                         else ",".join(o.if_facts))
                out.append(to + w["if"].format(by=by, facts=facts))
            else:
                out.append(to + w["by"].format(by=by))
        return w["list_sep"].join(out)

    def _error(self, error) -> str:
        """A bad line's `(code, message)`: `code: message` in the language of the run (the code stays:
        it is what docs/findings.md explains, and what `check` reads back from its CSV)."""
        code, message = error
        return f"{code}: {message.get(self.lang)}"

    def _violation(self, violation) -> str:
        if not self.zh:
            return violation.reason
        d = DECISION[self.lang]
        return (d["v_power"].format(a=self._name(violation.required)) if violation.required
                else d["v_forbidden"])


# ---- CSV and the terminal table ------------------------------------------------------------------

class CsvRows:
    """CSV bytes for chunks of rows, under one header: the output columns, then the request's
    (`on`, `vote`, one column per fact of the catalogue), named in the language of the run (the
    codes in English). A cell that a spreadsheet would take for a formula (`=HYPERLINK(...)` as a
    case number) is written after a guard quote (`actions.guard`, as OWASP advises against CSV
    injection); `check` takes it off when it reads the file back."""

    def __init__(self, catalogue, lang: str = "en"):
        self.columns = list(CSV_COLUMNS) + ["on", "vote"] + list(catalogue.facts)
        self.index = {c: i for i, c in enumerate(self.columns)}
        names = BATCH_COLUMNS[lang]
        self.names = [names.get(c) or fact_label(catalogue, c, lang) if lang == "zh" else c for c in self.columns]
        self.words = CellWords(catalogue, lang)
        self.text = io.StringIO(newline="")
        self.writer = csv.writer(self.text, lineterminator="\r\n")

    def header(self) -> bytes:
        """The header, after the BOM that makes Excel read the file as UTF-8."""
        self._reset()
        self.writer.writerow(self.names)
        return codecs.BOM_UTF8 + self.text.getvalue().encode()

    def __call__(self, rows: list) -> bytes:
        """The rows' CSV bytes. A row holds a few of the many columns: only those are worded (each
        distinct value once, looked up here first), the case as given, the rest left empty."""
        self._reset()
        index, width, words = self.index, len(self.columns), self.words
        seen = words.seen
        table = []
        for row in rows:
            cells = [""] * width
            for column, value in row.items():
                i = index.get(column)
                if i is None or value is None or value == "":
                    continue
                if column == "case" or column == "line":
                    cells[i] = guard(value) if type(value) is str else str(value)
                    continue
                text = seen.get((column, value))
                cells[i] = guard(text if text is not None else words(column, value))
            table.append(cells)
        self.writer.writerows(table)
        return self.text.getvalue().encode("utf-8", "backslashreplace")

    def _reset(self) -> None:
        self.text.seek(0)
        self.text.truncate()


# The table's columns, each with the width it would like and the least it can do with (terminal
# columns: a Chinese character takes two); the flags or the error close the row and take the rest,
# at least two flags' worth. Where the terminal is too narrow, `FIT_STEPS` are taken in order until
# the row fits: first go the columns a reader misses least (who decided: it shows in the flag
# `violation`; the status: the flags say `forbidden` and `undetermined`; the actor, mostly the same
# on every line), then the matter's, the authority's and the case's cells are cut (with `…`) down to
# their least: the case last, since a name's start tells it, where a case number's end does.
# What a step frees beyond the need goes back to the cells cut, the last cut first. The case's column
# would like 18 columns (（2019）检刑诉12号). The last column wraps under itself.
TEXT_COLUMNS = ("line", "case", "matter", "actor", "decided_by", "status", "authority")
LEAST = {"line": 6, "case": 12, "matter": 14, "actor": 8, "decided_by": 8, "status": 6, "authority": 10}
FIT_STEPS = (("drop", "decided_by"), ("drop", "status"), ("drop", "actor"), ("cut", "matter"), ("cut", "authority"),
             ("cut", "case"))
GAP = "  "


class TextTable:
    """The terminal table for chunks of rows, fitted to `width` terminal columns."""

    def __init__(self, catalogue, lang: str, width: int):
        self.words = CellWords(catalogue, lang)
        self.lang = lang
        self.names = names = BATCH_COLUMNS[lang]
        authorities = [who(catalogue, a, lang) if lang == "zh" else a for a in catalogue.authority_names]
        matters = [matter_name(catalogue, m, lang) if lang == "zh" else m for m in catalogue.matters]
        flags = sorted(map(display_width, BATCH_FLAG[lang].values()))
        want = {"line": 6, "case": 18, "matter": min(40, max(map(display_width, matters))),
                "actor": max(map(display_width, authorities)),
                "status": max(map(display_width, BATCH_STATUS[lang].values()))}
        want["decided_by"] = want["authority"] = want["actor"]
        want = {c: max(want[c], display_width(names[c])) for c in TEXT_COLUMNS}
        last = max(flags[-1] + flags[-2] + display_width(BATCH[lang]["flag_sep"]),
                   display_width(BATCH[lang]["flags_or_error"]))
        self.widths = fitted(want, width - last)
        self.columns = list(self.widths)
        used = sum(self.widths.values()) + len(GAP) * len(self.widths)
        self.last = max(last, width - used)
        self.indent = " " * used

    def header(self) -> bytes:
        cells = [fit(self.names[c], self.widths[c]) for c in self.columns]
        return (GAP.join(cells) + GAP + BATCH[self.lang]["flags_or_error"] + "\n").encode()

    def __call__(self, rows: list) -> bytes:
        """The table's lines for a chunk of rows: every cell made printable and fitted to its column
        (the line number is never cut); a long error, or many flags, wrap under the last column."""
        word, widths, columns, room = self.words, self.widths, self.columns[1:], self.last
        first = widths["line"]
        lines = []
        for r in rows:
            cells = [str(r["line"]).ljust(first)] + [fit(word(c, r.get(c)), widths[c]) for c in columns]
            error = r.get("error")
            last = printable(word("error", error) if error else self._marks(r))
            parts = wrap(last, room) if display_width(last) > room else [last]
            lines.append(GAP.join(cells) + GAP + parts[0])
            lines.extend(self.indent + p for p in parts[1:])
        return ("\n".join(lines) + "\n").encode("utf-8", "backslashreplace") if lines else b""


    def _marks(self, row: dict) -> str:
        """The last cell of a decided row: its flags, then whether the deputy may decide it by
        delegation (a mark, not a flag: nothing to look into, but who else may sign)."""
        flags = self.words("flags", row.get("flags"))
        if not row.get("delegable_to"):
            return flags
        w = BATCH[self.lang]
        return flags + w["flag_sep"] + w["delegable"] if flags else w["delegable"]


def fitted(want: dict, room: int) -> dict:
    """The widths of the columns (in their order) that fit in `room` terminal columns, gaps included:
    each as wide as it would like where they fit, else after as few of `FIT_STEPS` as it takes. Where
    even the least does not fit, the least (the row is then wider than the terminal)."""
    widths = dict(want)
    cut: list = []

    def over() -> int:
        return sum(widths.values()) + len(GAP) * len(widths) - room

    for step, column in FIT_STEPS:
        if over() <= 0:
            break
        if step == "drop":
            del widths[column]
        else:
            widths[column] = max(LEAST[column], widths[column] - over())
            cut.append(column)
    for column in reversed(cut):  # what the last step freed beyond the need goes back to the cells cut
        if over() < 0:
            widths[column] = min(want[column], widths[column] - over())
    return {c: widths[c] for c in want if c in widths}


# ---- the summary ---------------------------------------------------------------------------------

def summary_text(summary: dict, catalogue, lang: str = "en", interrupted: bool = False) -> str:
    """The summary in words: the totals, then the counts by status, required authority and flag (in
    Chinese by their names, in English by their codes) and by error code."""
    w = SUMMARY[lang]
    word = CellWords(catalogue, lang)
    lines = [w["interrupted"]] if interrupted else []
    # the English nouns take their plural from the count; the Chinese template does not name them
    lines.append(w["totals"].format(**summary, line=plural("line", summary["lines"]),
                                    violation=plural("violation", summary["violations"]),
                                    bad_line=plural("bad line", summary["bad_lines"])))
    named: dict[str, Callable[[str], str]] = {
        "by_status": lambda k: word("status", k), "by_authority": lambda k: word("authority", k),
        "by_flag": lambda k: word("flags", (k,)), "bad_by_code": lambda k: bad_line_code(k, lang)}
    for key, name in named.items():
        if summary[key]:
            lines.append(f"  {w[key]}{w['colon']}" + w["count_sep"].join(f"{name(k)} {v}" for k, v in summary[key].items()))
    return "\n".join(lines)
