"""Deciding the lines of a batch, a chunk at a time: the memo's hot loop, and the uncached path.

`Checker.run` takes `(line, raw)` records (`quanze.actions`) and returns a chunk's output with its
stats. For memoised JSON Lines (the common case, and the benchmark's) it is one tight loop: parse
with orjson, `Memo.lookup`, and the output line spliced from cached bytes around the case
(`output`); a line the memo does not take is decided by `parse_request`, `Library.pick` and
`Decider.decide` and written with `json.dumps`. Every other format goes a line at a time
(`_run_each`) into rows for `quanze.present.batch`.

`Checker(..., cache=False)` is the uncached path for every line (for tests, which compare the two
byte for byte, and for the benchmark).
"""
from __future__ import annotations

from collections import Counter
from json.encoder import encode_basestring

import orjson

from ..actions import not_object, parse_line
from ..decision import Decision
from ..present.batch import decision_cells, decision_row, error_row
from ..requests import RequestError, RequestParser
from .memo import Memo
from .output import case_json, error_line, render_line, utf8


class Checker:
    """Decides the lines of a batch against a `Library`, memoised by decision class."""

    def __init__(self, library, cache: bool = True):
        self.library = library
        self.catalogue = library.catalogue
        self.cache = cache
        self.parser = RequestParser(library.catalogue)
        self.memo = Memo(library, self.parser)

    def decide(self, raw) -> Decision:
        """The decision for one request dict (raises RequestError), memoised."""
        found = self.memo.lookup(raw) if self.cache and type(raw) is dict else None
        if found is None:
            return self._decide_uncached(raw)
        return self.memo.decision(found, raw)

    def _decide_uncached(self, raw) -> Decision:
        request = self.parser.parse(raw)
        return self.library.decider(self.library.pick(request.on).id).decide(request)

    def run(self, records, fmt: str = "jsonl", only_flagged: bool = False, parts: bool = False):
        """Check `(line, raw)` records; returns (output, stats).

        `raw` is bytes (a JSON line), a dict, or a RequestError. The output is bytes for `jsonl`, a
        list of rows for `csv` and `text`; `stats` counts `(status, authority, flags)` per decision and
        `("bad", code)` per bad line. With `parts`, the `jsonl` output is a list of byte strings whose
        concatenation is those bytes, for a writer that takes them as they are (`sink.Sink`): a chunk's
        output joined is megabytes, made and freed for every chunk."""
        if fmt == "jsonl" and self.cache:
            out, stats = self._run_jsonl(records, only_flagged)
        else:
            out, stats = self._run_each(records, fmt, only_flagged)
        return (b"".join(out) if fmt == "jsonl" and not parts else out), stats

    def _run_each(self, records, fmt: str, only_flagged: bool):
        """Every format but memoised `jsonl`, a line at a time: rows for `csv` and `text`, the parts of
        the output for `jsonl` without the memo (`render_line` of each decision)."""
        out: list = []
        stats: Counter = Counter()
        lookup = self.memo.lookup
        for n, raw in records:
            try:
                if isinstance(raw, RequestError):
                    raise raw
                if type(raw) is bytes:
                    raw = parse_line(raw)
                found = lookup(raw) if self.cache and type(raw) is dict else None
                if found is None:
                    decision = self._decide_uncached(raw)
                    stat = (decision.status, decision.authority, tuple(decision.flags))
                else:
                    decision = None
                    stat = found[1].stat
            except RequestError as exc:
                stats[("bad", exc.code)] += 1
                case = raw.get("case") if type(raw) is dict and isinstance(raw.get("case"), (str, int)) else None
                out.append(error_line(n, exc, case) if fmt == "jsonl"
                           else error_row(n, exc, case, raw if type(raw) is dict else None))
                continue
            stats[stat] += 1
            if only_flagged and not stat[2]:
                continue
            if fmt == "jsonl":
                assert decision is not None  # `run` memoises jsonl in `_run_jsonl`: here it is always decided
                out.append(render_line(n, decision))
            elif decision is None:
                assert found is not None  # (what the memo found instead)
                core, variant, _ = found
                out.append(decision_row(n, raw, core.outcome.matter, variant.cells + core.csv_cells(), fmt == "csv"))
            else:
                out.append(decision_row(n, raw, decision.matter, decision_cells(decision), fmt == "csv"))
        return out, stats

    def _run_jsonl(self, records, only_flagged: bool):
        """The hot loop: parse, `Memo.lookup` (the fast key and three dict lookups), and the cached bytes
        around the case. Returns the output's parts (byte strings) and the stats."""
        out: list = []
        extend = out.extend
        counts: dict = {}  # Variant -> lines (a Variant hashes by identity: cheaper than its stat)
        count = counts.get
        stats: Counter = Counter()
        lookup, fast_loads = self.memo.lookup, orjson.loads
        for n, data in records:
            try:
                if type(data) is bytes:
                    try:
                        raw = fast_loads(data)
                    except ValueError:  # what orjson refuses, json may take (NaN, lone surrogates)
                        raw = None  # not the line before's, should this one have none
                        raw = parse_line(data)  # the standard parse, and its error
                else:
                    raw = data
                if type(raw) is not dict:
                    raise raw if isinstance(raw, RequestError) else RequestError("bad-request", not_object(raw))
                found = lookup(raw)
                if found is None:
                    if type(data) is bytes:
                        raw = parse_line(data)  # as `json` reads it (orjson reads huge integers as floats)
                    decision = self._decide_uncached(raw)
                    stat = (decision.status, decision.authority, tuple(decision.flags))
                    stats[stat] += 1
                    if not only_flagged or stat[2]:
                        extend((render_line(n, decision),))
                    continue
            except RequestError as exc:
                stats[("bad", exc.code)] += 1
                case = raw.get("case") if type(raw) is dict and isinstance(raw.get("case"), (str, int)) else None
                extend((error_line(n, exc, case),))
                continue
            core, variant, votes = found
            counts[variant] = count(variant, 0) + 1
            if only_flagged and not variant.flagged:
                continue
            case = raw.get("case")
            extend((b'{"line": %d, ' % n, core.head,
                    b"null" if case is None else (utf8(encode_basestring(case)) if type(case) is str
                                                  else case_json(case)),
                    variant.start, core.mid, votes, variant.tail))
        for variant, k in counts.items():
            stats[variant.stat] += k
        return out, stats
