"""Batch checking (`quanze check`): a decision per action, memoised by decision class.

Real batches repeat the same situations over and over. A decision is made of three parts, and the
`Checker` memoises each on exactly what it depends on:

- `Core`: what durable-rules decides from the matter's facts under the list in force
  (`Decider.outcome`: status, authority, obligations, because, missing facts). Durable-rules decides
  the first request of each decision class (`classes.Classifier`: the value of each of the matter's
  rules, and for open rules their truth table over the completions of the missing facts); classes
  with equal outcomes share one core, which keeps the outcome and the bytes of the decision JSON
  that depend on nothing else.
- `Variant`: where the actor and `decided_by` stand on an outcome (`Decider.finish`: whether the
  actor may decide, the chain, who is responsible, the violation, the flags), one per (what
  `decide.standing` reads of the outcome, actor, decided_by), with its bytes.
- the vote's JSON, one per vote.

In front, a fast key (the list, the matter, the facts the matter's rules read: booleans and enums as
given, numbers, dates and texts by their situation region, and the types of all) maps a request to
its core with one dict lookup. The fast keys and the cores are kept in two
generations (`_Generations`), so memory stops growing however many distinct values a run brings. An
output line is the line number, the case and five cached byte strings (the vote's among them): byte
for byte what `json.dumps` gives for the uncached decision (`render_line`; the tests compare them).

The fast path takes a request only when it passes every check of `requests.parse_request` (known keys,
matter, authorities, facts typed and bounded by the catalogue, the date, the vote); anything else goes
through `parse_request` itself, so a bad request is reported with the same code and message either
way, and no invalid request can reach the memo.

`Checker(..., cache=False)` is the uncached path: `parse_request`, `Library.pick`, `Decider.decide`,
`json.dumps` for every line (for tests, which compare the two, and for the benchmark).
"""
from __future__ import annotations

import contextlib
import gc
import itertools
import json
import os
import shutil
import tempfile
from collections import Counter
from json.encoder import encode_basestring

import orjson

from .actions import vote_cell
from .classes import Classifier
from .conditions import check_value
from .decide import vote_result
from .decision import Decision
from .model import AUTHORITIES
from .requests import REQUEST_KEYS, Request, RequestError, parse_date, parse_request, parse_vote

CSV_COLUMNS = ("line", "case", "matter", "actor", "decided_by", "status", "authority", "actor_may_decide", "flags",
               "chain", "obligations", "missing_facts", "violation", "error")
TEXT_COLUMNS = ("line", "case", "matter", "actor", "decided_by", "status", "authority", "flags")
# The decision JSON's keys (`Decision.to_json()` and `flags`), grouped by what they depend on.
LIST_KEYS = ("list",)
VARIANT_KEYS = ("matter", "actor", "status", "authority", "uncovered", "actor_may_decide", "chain")
CORE_KEYS = ("obligations", "because", "missing_facts")
TAIL_KEYS = ("responsible", "violation", "flags")
KEY_ORDER = LIST_KEYS + ("case",) + VARIANT_KEYS + CORE_KEYS + ("vote",) + TAIL_KEYS
FAST_LIMIT = 32_768   # fast keys per generation (memory stops growing within a million lines)
CORE_LIMIT = 16_384   # cores per generation
SMALL_LIMIT = 100_000  # most cached variants, votes, fact values, dates

_KEYS = frozenset(REQUEST_KEYS)
_AUTHORITIES = frozenset(AUTHORITIES)
_CANONICAL = {a: a for a in AUTHORITIES}  # an authority's name -> the one string object for it
_loads = json.loads
_EMPTY: dict = {}


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _utf8(json_text: str) -> bytes:
    """JSON text as UTF-8. A lone surrogate (`"\\ud800"` in a case number is valid JSON) cannot be
    encoded; it can only stand inside a JSON string, where its `\\uXXXX` escape reads back the same."""
    return json_text.encode("utf-8", "backslashreplace")


def case_json(case) -> bytes:
    """`case` as JSON bytes, as json.dumps(ensure_ascii=False) writes it."""
    if case is None:
        return b"null"
    if type(case) is str:
        return _utf8(encode_basestring(case))
    return _utf8(_dumps(case))


def _join(body: dict, keys) -> str:
    return "".join(f", {_dumps(k)}: {_dumps(body[k])}" for k in keys)


def render_line(n: int, decision: Decision) -> bytes:
    """The output line of one decision with plain json.dumps (the uncached path)."""
    body = {"line": n}
    body.update(decision.to_json())
    body["flags"] = decision.flags
    return _utf8(_dumps(body) + "\n")


def error_json(n: int, error: RequestError, case=None) -> dict:
    out = {"line": n, "error": {"code": error.code, "message": error.message}}
    if case is None:
        case = getattr(error, "case", None)
    if case is not None:
        out["case"] = case
    return out


def _obligation_cells(decision: Decision) -> tuple:
    obligations = "; ".join(",".join(o.report_to) + f" ({'/'.join((o.by,) + o.or_by)})"
                            + (f" if {','.join(o.if_facts)}" if o.if_facts else "") for o in decision.obligations)
    return obligations, " ".join(m.fact for m in decision.missing_facts)


def _standing_cells(decision: Decision) -> tuple:
    may = "" if decision.actor_may_decide is None else ("true" if decision.actor_may_decide else "false")
    return (decision.status, decision.authority or "", may, " ".join(decision.flags), " > ".join(decision.chain),
            decision.violation.reason if decision.violation else "")


_HEADS: dict = {}  # the head bytes of each list (its id and digest): one per list version loaded


class Core:
    """An `Outcome` durable-rules gave under one list (to one or more decision classes), and its bytes."""

    __slots__ = ("decider", "outcome", "head", "mid", "stand", "by_actor", "cells")

    def __init__(self, decider, outcome):
        self.decider = decider
        self.outcome = outcome
        body = decider.finish(outcome, Request(outcome.matter)).to_json()
        assert tuple(body) + ("flags",) == KEY_ORDER, "Decision.to_json() changed its keys: update batch.KEY_ORDER"
        head = (f'"list": {_dumps(body["list"])}, "case": ').encode()
        self.head = _HEADS.setdefault(head, head)  # the same for every core of a list: kept once
        self.mid = (_join(body, CORE_KEYS) + ', "vote": ').encode()
        forbid = outcome.forbidden_by
        # everything `decide.standing` and the flags read of the outcome
        self.stand = (outcome.matter, outcome.status, outcome.authority, outcome.uncovered, outcome.delegated,
                      outcome.committee, forbid.id if forbid is not None else None, bool(outcome.obligations))
        self.by_actor: dict = {}  # (actor, decided_by) -> Variant
        self.cells = None

    def decision(self, actor, decided_by, vote=None, case=None, on=None) -> Decision:
        return self.decider.finish(self.outcome, Request(self.outcome.matter, (), actor, on, vote, decided_by, case))

    def csv_cells(self) -> tuple:
        if self.cells is None:
            self.cells = _obligation_cells(self.decision(None, None))
        return self.cells


class Variant:
    """Where an actor and `decided_by` stand on outcomes alike in what `decide.standing` reads."""

    __slots__ = ("start", "tail", "stat", "flagged", "cells")

    def __init__(self, core: Core, actor, decided_by):
        decision = core.decision(actor, decided_by)
        body = decision.to_json()
        body["flags"] = flags = decision.flags
        self.start = _join(body, VARIANT_KEYS).encode()
        self.tail = (_join(body, TAIL_KEYS) + "}\n").encode()
        self.stat = (decision.status, decision.authority, tuple(flags))
        self.flagged = bool(flags)
        self.cells = _standing_cells(decision)


class _Generations:
    """A bounded memo: the newer generation takes new keys; when it fills, it becomes the older one
    and the oldest is dropped. A key found in the older generation moves to the newer."""

    __slots__ = ("new", "old", "limit")

    def __init__(self, limit: int):
        self.new: dict = {}
        self.old: dict = {}
        self.limit = limit

    def get(self, key):
        found = self.new.get(key)
        if found is None:
            found = self.old.get(key)
            if found is not None:
                self.put(key, found)
        return found

    def put(self, key, value) -> None:
        if len(self.new) >= self.limit:
            self.old, self.new = self.new, {}
        self.new[key] = value

    def __len__(self) -> int:
        return len(self.new.keys() | self.old.keys())


class Checker:
    """Decides the lines of a batch against a `Library`, memoised by decision class."""

    def __init__(self, library, cache: bool = True):
        self.library = library
        self.catalogue = library.catalogue
        self.cache = cache
        self.fast = _Generations(FAST_LIMIT)    # fast key -> Core
        self.cores = _Generations(CORE_LIMIT)   # (list id, matter, class) -> Core
        self.alike = _Generations(CORE_LIMIT)   # (list id, Outcome) -> Core
        self.variants: dict = {}  # Core.stand + (actor, decided_by) -> Variant
        self.votes: dict = {}     # a vote as given (items, types) -> its result's JSON bytes
        self.reads: dict = {}     # (list id, matter) -> (the facts its rules read, as a frozenset, `_regions` of them)
        self.classes: dict = {}   # (list id, matter) -> Classifier
        self.matters = frozenset(library.catalogue.matters)
        self.fact_order = tuple(library.catalogue.facts)
        self.errors: dict = {}    # unknown matter / fact -> (code, message)
        self.days: dict = {}      # `on` -> (list id, normalised day) | RequestError
        self.valid: set = set()   # (fact, type, value) known to be valid
        for code in self.catalogue.facts:
            self.valid.add((code, type(None), None))
        self.shared: dict = {}    # strings and tuples of types shared by the stored fast keys
        self.pairs: dict = {}     # (actor, decided_by) -> the one tuple of them every core's by_actor keeps
        self.misses = 0  # decision classes durable-rules decided

    # ---- the API ---------------------------------------------------------------------------------

    def decide(self, raw) -> Decision:
        """The decision for one request dict (raises RequestError), memoised."""
        found = self._lookup(raw) if self.cache and type(raw) is dict else None
        if found is None:
            if self.cache:
                self._precheck(raw)
            return self._decide_uncached(raw)
        core, _, _ = found
        get = raw.get
        vote = get("vote")
        return core.decision(get("actor"), get("decided_by"), parse_vote(vote) if vote is not None else None,
                             get("case"), self._list_for(get("on"))[1])

    # ---- one line --------------------------------------------------------------------------------

    def _lookup(self, raw: dict):
        """(Core, Variant, the vote's bytes) for a valid request the fast path takes, else None."""
        try:
            rk = self.fast_key(raw)
            if rk is None:
                return None
            core = self.fast.new.get(rk) or self._core(raw, rk)
            if core is None:
                return None
            get = raw.get
            variant = core.by_actor.get((get("actor"), get("decided_by"))) or self._variant(core, raw)
            if variant is None:
                return None
            vote = get("vote")
            votes = b"null" if vote is None else self._vote(vote)
            if votes is None:
                return None
            return core, variant, votes
        except TypeError:  # an unhashable value: parse_request says what is wrong
            return None

    def _list_for(self, on):
        found = self.days.get(on)
        if found is None:
            try:
                day = parse_date(on, "on") if on is not None else None
                found = (self.library.pick(day).id, day)
            except RequestError as exc:
                found = exc
            except TypeError:
                return None
            if len(self.days) < SMALL_LIMIT:
                self.days[on] = found
        return found

    def fast_key(self, raw: dict):
        """The fast key of a request dict, or None where the fast path cannot take the request:
        (list id, matter, the types of the facts the matter's rules read, then their values), unhashable
        where a value is (a list as a fact: the caller catches the TypeError). An integer, date or
        text fact stands in the key by its situation region (`_regions`), so that every request in the
        same region shares one key. The key does not vouch for the request: only a key whose request
        `_core` has checked is ever stored (the types in the key keep `True` from standing for `1`);
        the parts outside the key (unknown keys, `case`, facts the matter does not read) are checked
        here on every line, the actor, `decided_by` and the vote by `_lookup`."""
        try:
            if not raw.keys() <= _KEYS:
                return None
            get = raw.get
            case = get("case")
            if case is not None and case.__class__ is not str and not isinstance(case, int):
                return None
            on = get("on")
            picked = self.days.get(on) or self._list_for(on)
            if picked.__class__ is not tuple:
                return None
            list_id = picked[0]
            matter = get("matter")
            found = self.reads.get((list_id, matter)) or self._reads(list_id, matter)
            if found is None:
                return None
            facts = get("facts")
            if facts is None:
                facts = _EMPTY
            elif facts.__class__ is not dict:
                return None
            reads, readset, regions = found
            if not facts.keys() <= readset and not self._facts_ok(facts, readset):
                return None
            values = tuple(map(facts.get, reads))
            types = tuple(map(type, values))  # unhashable where a value is
            if regions:
                values = self._regions(values, regions)
                if values is None:
                    return None
            return (list_id, matter, types) + values
        except (TypeError, RequestError):
            return None

    def _regions(self, values: tuple, regions) -> tuple | None:
        """`values` with each integer, date or text fact replaced by its situation region
        (`FactValues.region`: the same side of, or on, every constant the matter's conditions compare
        it with, so every rule reads it alike); None if such a value is not valid. The region of each
        valid value seen is kept (`seen`); a value is checked the first time it is seen."""
        values = list(values)
        for i, code, region, seen in regions:
            v = values[i]
            if v is not None:
                r = seen.get(v)
                if r is None:
                    if not self._check_fact(code, v):
                        return None
                    r = region(v)
                    if len(seen) < SMALL_LIMIT:
                        seen[v] = r
                values[i] = r
        return tuple(values)

    def _reads(self, list_id, matter):
        if type(matter) is not str or matter not in self.matters:
            return None
        mr = self.library.decider(list_id).rules(matter)
        self.classes[(list_id, matter)] = Classifier(mr, self.fact_order)
        per_fact = mr.space.per_fact
        regions = tuple((i, code, per_fact[code].region, {}) for i, code in enumerate(mr.reads)
                        if code in per_fact and per_fact[code].type in ("integer", "date", "string"))
        found = self.reads[(list_id, matter)] = (mr.reads, frozenset(mr.reads), regions)
        return found

    def _facts_ok(self, facts, skip=frozenset()) -> bool:
        """Whether every fact outside `skip` is a known fact with a valid value (as parse_request checks)."""
        valid = self.valid
        for k, v in facts.items():
            if k not in skip and (k, v.__class__, v) not in valid and not self._check_fact(k, v):
                return False
        return True

    def _check_fact(self, code, value) -> bool:
        fact = self.catalogue.facts.get(code)
        if fact is None or value is None or check_value(fact, value):
            return False
        if len(self.valid) < SMALL_LIMIT:
            self.valid.add((code, value.__class__, value))
        return True

    def _core(self, raw, rk):
        """The core of a request whose fast key is not in the newer generation: from the older one,
        or else its facts checked, its class computed, durable-rules asked if the class is new. None
        if a fact is invalid."""
        core = self.fast.get(rk)
        if core is not None:
            return core
        if not self._facts_ok(raw.get("facts") or _EMPTY):
            return None
        list_id, matter = rk[0], rk[1]
        classifier = self.classes[(list_id, matter)]
        given = raw.get("facts") or _EMPTY
        facts = {k: given[k] for k in classifier.mr.reads if given.get(k) is not None}
        key = (list_id, matter, classifier.key(facts))
        core = self.cores.get(key)
        if core is None:
            self.misses += 1
            decider = self.library.decider(list_id)
            outcome = decider.outcome(matter, facts)
            # classes that durable-rules decides alike share one core (and its variants): on the
            # benchmark, 8,575 classes have 3,129 distinct outcomes
            core = self.alike.get((list_id, outcome))
            if core is None:
                core = Core(decider, outcome)
                self.alike.put((list_id, outcome), core)
            self.cores.put(key, core)
        self.fast.put(self._compact(rk), core)
        return core

    def _compact(self, rk):
        """The fast key to store, sharing its strings and its tuple of types with the keys stored
        before it (each line parses into new objects): the memo's memory is mostly these keys."""
        shared = self.shared
        if len(shared) >= SMALL_LIMIT:
            shared.clear()
        list_id, matter, types, *values = rk
        return (list_id, shared.setdefault(matter, matter), shared.setdefault(types, types),
                *[shared.setdefault(v, v) if type(v) is str else v for v in values])

    def _variant(self, core: Core, raw):
        get = raw.get
        actor, decided_by = get("actor"), get("decided_by")
        for who in (actor, decided_by):
            if who is not None and (who.__class__ is not str or who not in _AUTHORITIES):
                return None
        # one tuple of the authorities' own strings for each pair, shared by every core's `by_actor`
        # (the pair as parsed would keep two strings and a tuple of each line's alive per core)
        pair = (_CANONICAL.get(actor), _CANONICAL.get(decided_by))
        pair = self.pairs.setdefault(pair, pair)
        key = core.stand + pair
        variant = self.variants.get(key)
        if variant is None:
            variant = Variant(core, actor, decided_by)
            if len(self.variants) < SMALL_LIMIT:
                self.variants[key] = variant
        core.by_actor[pair] = variant
        return variant

    def _vote(self, raw):
        """The JSON bytes of a valid vote's result, else None. Keyed on the vote as given (its items and
        their types, so that `true` never stands for `1`): only a vote `parse_vote` took is stored."""
        if raw.__class__ is not dict:
            return None
        key = (tuple(raw.items()), tuple(map(type, raw.values())))  # unhashable: _lookup catches it
        found = self.votes.get(key)
        if found is None:
            try:
                vote = parse_vote(raw)
            except RequestError:
                return None
            found = _dumps(vote_result(vote).to_json()).encode()
            if len(self.votes) < SMALL_LIMIT:
                self.votes[key] = found
        return found

    def _decide_uncached(self, raw) -> Decision:
        request = parse_request(raw, self.catalogue)
        return self.library.decider(self.library.pick(request.on).id).decide(request)

    def _precheck(self, raw) -> None:
        """parse_request's first error where it would spend long on a "did you mean" (an unknown matter
        among a hundred, an unknown fact), computed once per unknown name."""
        if type(raw) is not dict or not raw.keys() <= _KEYS:
            return
        matter = raw.get("matter")
        if type(matter) is not str or not matter:
            return
        if matter not in self.catalogue.matters:
            self._raise_cached(("matter", matter), {"matter": matter})
        for who in ("actor", "decided_by"):
            if raw.get(who) is not None and raw.get(who) not in _AUTHORITIES:
                return
        facts = raw.get("facts") or {}
        if type(facts) is not dict:
            return
        for code, value in facts.items():
            fact = self.catalogue.facts.get(code)
            if fact is None:
                self._raise_cached(("fact", code), {"matter": matter, "facts": {code: None}})
            if value is not None and check_value(fact, value):
                return

    def _raise_cached(self, key, probe) -> None:
        found = self.errors.get(key)
        if found is None:
            try:
                parse_request(probe, self.catalogue)
            except RequestError as exc:
                found = (exc.code, exc.message)
            else:  # cannot happen: the probe holds the unknown name
                return
            if len(self.errors) < SMALL_LIMIT:
                self.errors[key] = found
        raise RequestError(*found)

    # ---- chunks of lines -------------------------------------------------------------------------

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
        for n, raw in records:
            try:
                if isinstance(raw, RequestError):
                    raise raw
                if type(raw) is bytes:
                    raw = _parse_line(raw)
                found = self._lookup(raw) if self.cache and type(raw) is dict else None
                if found is None:
                    if self.cache:
                        self._precheck(raw)
                    decision = self._decide_uncached(raw)
                    stat = (decision.status, decision.authority, tuple(decision.flags))
                else:
                    decision = None
                    stat = found[1].stat
            except RequestError as exc:
                stats[("bad", exc.code)] += 1
                case = raw.get("case") if type(raw) is dict and isinstance(raw.get("case"), (str, int)) else None
                out.append(self._bad(n, exc, case, raw if type(raw) is dict else None, fmt))
                continue
            stats[stat] += 1
            if only_flagged and not stat[2]:
                continue
            if fmt == "jsonl":
                out.append(render_line(n, decision))
            elif decision is None:
                core, variant, _ = found
                out.append(self._row(n, raw, core.outcome.matter, variant.cells + core.csv_cells(), fmt))
            else:
                out.append(self._row(n, raw, decision.matter,
                                     _standing_cells(decision) + _obligation_cells(decision), fmt))
        return out, stats

    def _run_jsonl(self, records, only_flagged: bool):
        """The hot loop: parse, `_lookup` (the fast key and three dict lookups), and the cached bytes
        around the case. Returns the output's parts (byte strings) and the stats."""
        out: list = []
        extend = out.extend
        counts: dict = {}  # Variant -> lines (a Variant hashes by identity: cheaper than its stat)
        count = counts.get
        stats: Counter = Counter()
        lookup, fast_loads = self._lookup, orjson.loads
        for n, data in records:
            try:
                if type(data) is bytes:
                    try:
                        raw = fast_loads(data)
                    except ValueError:  # what orjson refuses, json may take (NaN, lone surrogates)
                        raw = _loads(data.decode())  # the standard parse, and its error
                else:
                    raw = data
                if type(raw) is not dict:
                    raise raw if isinstance(raw, RequestError) else RequestError("bad-request", _not_object(raw))
                found = lookup(raw)
                if found is None:
                    if type(data) is bytes:
                        raw = _loads(data.decode())  # as `json` reads it (orjson reads huge integers as floats)
                    self._precheck(raw)
                    decision = self._decide_uncached(raw)
                    stat = (decision.status, decision.authority, tuple(decision.flags))
                    stats[stat] += 1
                    if not only_flagged or stat[2]:
                        extend((render_line(n, decision),))
                    continue
            except RequestError as exc:
                stats[("bad", exc.code)] += 1
                case = raw.get("case") if type(raw) is dict and isinstance(raw.get("case"), (str, int)) else None
                extend((self._bad(n, exc, case, None, "jsonl"),))
                continue
            except ValueError as exc:
                err = _line_error(data, exc)
                stats[("bad", err.code)] += 1
                extend((self._bad(n, err, None, None, "jsonl"),))
                continue
            core, variant, votes = found
            counts[variant] = count(variant, 0) + 1
            if only_flagged and not variant.flagged:
                continue
            case = raw.get("case")
            extend((b'{"line": %d, ' % n, core.head,
                    b"null" if case is None else (_utf8(encode_basestring(case)) if type(case) is str
                                                  else case_json(case)),
                    variant.start, core.mid, votes, variant.tail))
        for variant, k in counts.items():
            stats[variant.stat] += k
        return out, stats

    def _bad(self, n, exc: RequestError, case, raw, fmt):
        if fmt == "jsonl":
            return _utf8(_dumps(error_json(n, exc, case)) + "\n")
        if case is None:
            case = getattr(exc, "case", None)
        row = {"line": n, "case": case, "error": f"{exc.code}: {exc.message}"}
        if raw is not None:
            row.update(_request_cells(raw))
        elif getattr(exc, "cells", None):
            row.update(exc.cells)
        return row

    def _row(self, n, raw, matter, cells, fmt):
        status, authority, may, flags, chain, violation, obligations, missing = cells
        row = {"line": n, "case": raw.get("case"), "matter": matter, "actor": raw.get("actor") or "",
               "decided_by": raw.get("decided_by") or "", "status": status, "authority": authority,
               "actor_may_decide": may, "flags": flags, "chain": chain, "obligations": obligations,
               "missing_facts": missing, "violation": violation, "error": ""}
        if fmt == "csv":
            row.update(_request_cells(raw))
        return row


def _request_cells(raw: dict) -> dict:
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


def _parse_line(data: bytes):
    try:
        raw = _loads(data)
    except ValueError as exc:
        raise _line_error(data, exc) from None
    if type(raw) is not dict:
        raise RequestError("bad-request", _not_object(raw))
    return raw


def _line_error(data, exc) -> RequestError:
    """The error of a line that is not JSON."""
    if isinstance(data, RequestError):
        return data
    if not data.strip():
        return RequestError("empty-line", "an empty line")
    if isinstance(exc, UnicodeDecodeError):
        return RequestError("bad-encoding", f"the line is not UTF-8: {exc.reason}")
    if isinstance(exc, json.JSONDecodeError):
        return RequestError("bad-json", f"invalid JSON: {exc.msg} (at character {exc.pos + 1})")
    return RequestError("bad-json", f"invalid JSON: {exc}")


def _not_object(raw) -> str:
    kind = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "a boolean"}.get(type(raw), "null")
    return f"a request is a JSON object with `matter`, not {kind}"


def summarise(stats: Counter) -> dict:
    """The summary of a run from its stats: counts by status, authority and flag; bad lines by code."""
    by_status: Counter = Counter()
    by_authority: Counter = Counter()
    by_flag: Counter = Counter()
    bad: Counter = Counter()
    flagged = decided = 0
    for key, count in stats.items():
        if key[0] == "bad":
            bad[key[1]] += count
            continue
        status, authority, flags = key
        decided += count
        by_status[status] += count
        if authority:
            by_authority[authority] += count
        for f in flags:
            by_flag[f] += count
        if flags:
            flagged += count
    rank = {a: i for i, a in enumerate(AUTHORITIES)}
    return {
        "lines": decided + sum(bad.values()),
        "decided": decided,
        "flagged": flagged,
        "by_status": dict(sorted(by_status.items())),
        "by_authority": dict(sorted(by_authority.items(), key=lambda kv: rank.get(kv[0], 99))),
        "by_flag": dict(sorted(by_flag.items())),
        "violations": by_flag.get("violation", 0),
        "uncovered": by_flag.get("uncovered", 0),
        "undetermined": by_flag.get("undetermined", 0),
        "bad_lines": sum(bad.values()),
        "bad_by_code": dict(sorted(bad.items())),
    }


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def summary_text(summary: dict, lang: str = "en", interrupted: bool = False) -> str:
    zh = lang == "zh"
    lines = []
    if interrupted:
        lines.append("已中断：以下为已处理部分的统计" if zh else "interrupted: the summary of the lines checked so far")
    lines.append((f"共 {summary['lines']} 行：已判断 {summary['decided']}，标记 {summary['flagged']}，"
                  f"违规决定 {summary['violations']}，清单未覆盖 {summary['uncovered']}，"
                  f"待补事实 {summary['undetermined']}，错误行 {summary['bad_lines']}") if zh else
                 (f"{_count(summary['lines'], 'line')}: {summary['decided']} decided, {summary['flagged']} flagged, "
                  f"{_count(summary['violations'], 'violation')}, {summary['uncovered']} uncovered, "
                  f"{summary['undetermined']} undetermined, {_count(summary['bad_lines'], 'bad line')}"))
    for title_zh, title_en, key in (("状态", "by status", "by_status"), ("决定权限", "by required authority", "by_authority"),
                                    ("标记", "by flag", "by_flag"), ("错误行", "bad lines by code", "bad_by_code")):
        if summary[key]:
            lines.append(f"  {title_zh if zh else title_en}: " + ", ".join(f"{k} {v}" for k, v in summary[key].items()))
    return "\n".join(lines)


# ---- running a whole input: chunks, processes, interruption -------------------------------------------

_WORKER: "Checker | None" = None


def _work(job):
    chunk, fmt, only_flagged, spool = job
    try:
        out, stats = _WORKER.run(chunk, fmt, only_flagged)
        if spool is not None and type(out) is bytes:
            out = _spool(out, spool)
        return out, stats
    finally:
        gc.freeze()  # as `_quiet_gc`: the memo's new entries out of the collector's way


def _spool(data: bytes, folder: str) -> str:
    """Write a chunk's output to a file in `folder` (in memory where /dev/shm is) and return its path:
    handing a worker's output to the parent through a pipe costs it a pickle and two copies more, and
    the parent, which writes every chunk in order, was what held `--jobs` back."""
    fd, path = tempfile.mkstemp(dir=folder)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
    return path


def _unspool(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)


def _spool_folder() -> str:
    """A private folder for spooled chunks: in /dev/shm (memory) where it exists, else the temp folder."""
    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    return tempfile.mkdtemp(prefix="quanze-check-", dir=base)


def _init_worker():
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and ends the workers
    gc.freeze()  # as `_quiet_gc`
    gc.set_threshold(max(gc.get_threshold()[0], 50_000), *gc.get_threshold()[1:])


class Numbered:
    """A chunk of JSON lines as `(line, bytes)` records, numbered from `start` (picklable, for --jobs)."""

    __slots__ = ("start", "lines")

    def __init__(self, start: int, lines: list):
        self.start, self.lines = start, lines

    def __len__(self) -> int:
        return len(self.lines)

    def __iter__(self):
        return zip(itertools.count(self.start), self.lines)

    def __getstate__(self):
        return self.start, self.lines

    def __setstate__(self, state):
        self.start, self.lines = state


def chunked(records, size: int | None = None, default: int = 4096):
    """Chunks of records: without `size`, whole reads of lines where the records can give them
    (`JsonLines.chunks`); else lists of `size` (or `default`) records."""
    if size is None and hasattr(records, "chunks"):
        for start, lines in records.chunks():
            yield Numbered(start, lines)
        return
    size = size or default
    chunk = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@contextlib.contextmanager
def _quiet_gc():
    """Keep the cyclic garbage collector off the long-lived objects (the library, the memo) while a
    batch runs: `gc.freeze` moves them to a generation it never walks. A batch makes no reference
    cycles, so nothing is lost; reference counting still frees what the memo drops. Measured: the
    collector walking them cost about a fifth of the time of a memoised line. The youngest generation
    is collected less often too: the objects of a line are freed by reference counting anyway."""
    gc.collect()
    gc.freeze()
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], 50_000), *threshold[1:])  # a line's objects die with the line
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def check_stream(checker: Checker, records, write, stats: Counter, fmt: str = "jsonl", only_flagged: bool = False,
                 jobs: int = 1, chunk_size: int | None = None, progress=None, parts: bool = False) -> Counter:
    """Check every record and hand each chunk's output to `write`, in input order. With `parts`, a
    `jsonl` chunk checked in this process is handed over as its parts (`Checker.run`), not joined.

    `stats` is updated in place after each chunk is written, so that after a KeyboardInterrupt it
    counts exactly the lines whose output was written. With `jobs` > 1 the chunks are checked by that
    many forked processes, each holding the library loaded once (inherited from this process), and
    written in input order."""
    if jobs <= 1:
        with _quiet_gc():
            since = 0
            for chunk in chunked(records, chunk_size):
                out, st = checker.run(chunk, fmt, only_flagged, parts)
                write(out)
                stats.update(st)
                if progress:
                    progress(len(chunk))
                since += len(chunk)
                if since >= 65_536:
                    gc.freeze()  # the memo's new entries, out of the collector's way too
                    since = 0
        return stats
    import multiprocessing
    global _WORKER
    _WORKER = checker
    ctx = multiprocessing.get_context("fork")
    spool = _spool_folder() if fmt == "jsonl" else None
    pool = ctx.Pool(jobs, initializer=_init_worker)
    try:
        sizes: list = []

        def jobs_of():
            for chunk in chunked(records, chunk_size, 20_000):
                sizes.append(len(chunk))
                yield chunk, fmt, only_flagged, spool

        for i, (out, st) in enumerate(pool.imap(_work, jobs_of(), chunksize=1)):
            write(_unspool(out) if type(out) is str else out)
            stats.update(st)
            if progress:
                progress(sizes[i])
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
        _WORKER = None
        if spool is not None:
            shutil.rmtree(spool, ignore_errors=True)  # chunks a failure or Ctrl-C left unwritten
    return stats
