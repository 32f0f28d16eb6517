"""Batch checking (`quanze check`): a decision per action, memoised by situation region.

Real batches repeat the same situations over and over. A decision depends on the request only through
the list in force, the matter, the actor, `decided_by`, the vote, and — for each fact the matter's
rules read — the *region* of its value between the constants the conditions compare it with
(`situations.Space.region_key`). So the `Checker` keys a memo on exactly that, asks durable-rules
(through `Decider.decide`) once per key, and for every further request in the same region reuses the
decision with the request's own `case` and `on`. The decision JSON of a key is serialised once, split
around `case`; each output line is the line number, the cached prefix, the case and the cached suffix,
byte for byte what `json.dumps` gives for the uncached decision (`render_line`).

The request is checked on the fast path with the same rules as `requests.parse_request` (known keys,
matter, authorities, facts typed and bounded by the catalogue, the date, the vote); anything the fast
path does not recognise as valid goes through `parse_request` itself, so a bad request is reported
with the same code and message either way, and no invalid request can reach the memo.

`Checker(..., cache=False)` is the uncached path: `parse_request`, `Library.pick`, `Decider.decide`,
`json.dumps` for every line (for tests, which compare the two, and for the benchmark).
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, replace
from json.encoder import encode_basestring
from json.scanner import make_scanner

from .actions import vote_cell
from .decision import Decision
from .model import AUTHORITIES
from .conditions import check_value
from .decide import chain, may_decide, vote_result
from .decision import Violation
from .requests import REQUEST_KEYS, Request, RequestError, parse_date, parse_request, parse_vote

CSV_COLUMNS = ("line", "case", "matter", "actor", "decided_by", "status", "authority", "actor_may_decide", "flags",
               "chain", "obligations", "missing_facts", "violation", "error")
TEXT_COLUMNS = ("line", "case", "matter", "actor", "decided_by", "status", "authority", "flags")
CACHE_LIMIT = 1_000_000  # most memo entries (decisions) kept; past it new keys are decided uncached
SMALL_LIMIT = 200_000    # most cached fact values / dates

_KEYS = frozenset(REQUEST_KEYS)
_AUTHORITIES = frozenset(AUTHORITIES)
_loads = json.loads
_scan = make_scanner(json.JSONDecoder())  # json's own C scanner, without loads' encoding detection
_EMPTY: dict = {}


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def case_json(case) -> bytes:
    """`case` as JSON bytes, as json.dumps(ensure_ascii=False) writes it."""
    if case is None:
        return b"null"
    if type(case) is str:
        return encode_basestring(case).encode()
    return _dumps(case).encode()


def decision_parts(decision: Decision) -> tuple[bytes, bytes]:
    """The output line of a decision split around its case: `{"line": N, ` + prefix + case + suffix."""
    body = decision.to_json()
    body["flags"] = decision.flags
    keys = list(body)
    at = keys.index("case")
    prefix = "".join(f"{_dumps(k)}: {_dumps(body[k])}, " for k in keys[:at]) + '"case": '
    suffix = "".join(f", {_dumps(k)}: {_dumps(body[k])}" for k in keys[at + 1:]) + "}\n"
    return prefix.encode(), suffix.encode()


def render_line(n: int, decision: Decision) -> bytes:
    """The output line of one decision with plain json.dumps (the uncached path)."""
    body = {"line": n}
    body.update(decision.to_json())
    body["flags"] = decision.flags
    return (_dumps(body) + "\n").encode()


def error_json(n: int, error: RequestError, case=None) -> dict:
    out = {"line": n, "error": {"code": error.code, "message": error.message}}
    if case is None:
        case = getattr(error, "case", None)
    if case is not None:
        out["case"] = case
    return out


def _csv_cells(decision: Decision) -> tuple:
    obligations = "; ".join(",".join(o.report_to) + f" ({o.by})" + (f" if {','.join(o.if_facts)}" if o.if_facts else "")
                            for o in decision.obligations)
    may = "" if decision.actor_may_decide is None else ("true" if decision.actor_may_decide else "false")
    return (decision.status, decision.authority or "", may, " ".join(decision.flags), " > ".join(decision.chain),
            obligations, " ".join(m.fact for m in decision.missing_facts),
            decision.violation.reason if decision.violation else "")


@dataclass
class Entry:
    """One memoised decision: the decision itself, its serialised parts, and what the summary counts."""

    decision: Decision
    prefix: bytes
    suffix: bytes
    stat: tuple   # (status, authority, flags)
    flagged: bool
    cells: tuple  # the decision's CSV cells

    @classmethod
    def of(cls, decision: Decision) -> "Entry":
        flags = decision.flags
        prefix, suffix = decision_parts(decision)
        return cls(decision, prefix, suffix, (decision.status, decision.authority, tuple(flags)), bool(flags),
                   _csv_cells(decision))

    @classmethod
    def build(cls, decision: Decision, flags: list, order: tuple, parts: dict) -> "Entry":
        """From each key's JSON text, in the order of `Decision.to_json()` (then `flags`)."""
        at = order.index("case")
        prefix = "".join(f'"{k}": {parts[k]}, ' for k in order[:at]) + '"case": '
        suffix = "".join(f', "{k}": {parts[k]}' for k in order[at + 1:]) + "}\n"
        return cls(decision, prefix.encode(), suffix.encode(), (decision.status, decision.authority, tuple(flags)),
                   bool(flags), _csv_cells(decision))


CORE_KEYS = ("list", "case", "matter", "status", "authority", "uncovered", "obligations", "because", "missing_facts")


@dataclass
class Core:
    """What durable-rules decided for one (list, matter, region), without an actor, decider or vote;
    every request in the region shares it. `variant` adds the actor's part as `Decider` does in its
    last step (DESIGN.md "Deciding", 6-8): whether the actor may decide, the chain, the vote, who is
    responsible, the violation. (A forbidden action audited with `decided_by` goes the full path, so
    that the prohibition is named exactly as `Decider` names it.)"""

    decision: Decision
    delegated: bool
    committee: bool
    order: tuple
    parts: dict  # key -> its JSON text, for the keys that do not depend on the actor

    @classmethod
    def of(cls, decision: Decision, rules) -> "Core":
        by_id = {getattr(r, "id", None): r for r in rules.rules}
        deciding = [r for r in decision.because if r.kind in ("item", "statute")]
        delegated = (decision.status == "ok" and decision.authority == "procurator_general" and not decision.uncovered
                     and all("deputy_procurator_general" in getattr(by_id.get(r.id), "delegable_to", ())
                             for r in deciding if r.authority == "procurator_general"))
        committee = any(r.authority == "procuratorial_committee" for r in deciding)
        body = decision.to_json()
        return cls(decision, delegated, committee, tuple(body),
                   {k: _dumps(v) for k, v in body.items() if k in CORE_KEYS})

    def variant(self, actor, decided_by, vote) -> "Entry":
        d = self.decision
        status, authority = d.status, d.authority
        may = None if actor is None else may_decide(actor, status, authority, self.delegated)
        violation = None
        if decided_by is not None and status == "ok" and not may_decide(decided_by, status, authority, self.delegated):
            violation = Violation(decided_by, authority, f"`{decided_by}` lacks the power: `{d.matter}` needs `{authority}`")
        decision = replace(
            d, actor=actor, actor_may_decide=may,
            chain=chain(actor, authority, self.delegated, self.committee) if status == "ok" else (),
            vote=vote_result(vote) if vote else None, violation=violation,
            responsible=decided_by or ((actor if may else authority) if status == "ok" else None))
        parts = dict(self.parts)
        parts["actor"] = _dumps(actor)
        parts["actor_may_decide"] = _dumps(may)
        parts["chain"] = _dumps(list(decision.chain))
        parts["vote"] = _dumps(decision.vote.to_json() if decision.vote else None)
        parts["responsible"] = _dumps(decision.responsible)
        parts["violation"] = _dumps(violation.to_json() if violation else None)
        flags = decision.flags
        parts["flags"] = _dumps(flags)
        return Entry.build(decision, flags, self.order + ("flags",), parts)

class Checker:
    """Decides the lines of a batch against a `Library`, memoised by situation region."""

    def __init__(self, library, cache: bool = True):
        self.library = library
        self.catalogue = library.catalogue
        self.cache = cache
        self.fast: dict = {}      # raw key -> Entry
        self.memo: dict = {}      # region key -> Entry
        self.reads: dict = {}     # (list id, matter) -> the facts its rules read
        self.matters = frozenset(library.catalogue.matters)
        self.cores: dict = {}     # (list id, matter, region) -> Core: what durable-rules decided
        self.errors: dict = {}    # unknown matter / fact -> (code, message)
        self.days: dict = {}      # `on` -> (list id, normalised day) | RequestError
        self.rules: dict = {}     # (list id, matter) -> MatterRules
        self.valid: set = set()   # (fact, type, value) known to be valid
        for code in self.catalogue.facts:
            self.valid.add((code, type(None), None))
        self.misses = 0  # region keys decided

    # ---- the API ---------------------------------------------------------------------------------

    def decide(self, raw) -> Decision:
        """The decision for one request dict (raises RequestError), memoised."""
        entry, case, on = self._entry(raw)
        d = entry.decision
        return d if (d.case == case and d.on == on) else replace(d, case=case, on=on)

    # ---- one line --------------------------------------------------------------------------------

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

    def raw_key(self, raw: dict):
        """The fast key of a request dict, or None where the fast path cannot take the request:
        (list id, matter, actor, decided_by, vote, the values of the facts the matter's rules read,
        their types). The key does not vouch for the request: only a key that `_entry` has checked
        (`_valid`) is ever stored, so a hit means a request equal in every part the key holds to one
        that passed every check; the parts outside the key (unknown keys, `case`, facts the matter does
        not read) are checked here on every line."""
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
            facts = get("facts") or _EMPTY
            if facts.__class__ is not dict:
                return None
            reads, readset = found
            if not facts.keys() <= readset and not self._extra_facts_ok(facts, readset):
                return None
            values = tuple(map(facts.get, reads))
            vote = get("vote")
            if vote is not None:
                v = parse_vote(vote)
                vote = (v.members, v.present, v.in_favour, v.procurator_general_dissents)
            rk = (list_id, matter, get("actor"), get("decided_by"), vote, values, tuple(map(type, values)))
            hash(rk)  # an unhashable value (a list as a fact) is not for the fast path
            return rk
        except (TypeError, RequestError):
            return None

    def _reads(self, list_id, matter):
        if type(matter) is not str or matter not in self.matters:
            return None
        mr = self.library.decider(list_id).rules(matter)
        self.rules[(list_id, matter)] = mr
        found = self.reads[(list_id, matter)] = (mr.reads, frozenset(mr.reads))
        return found

    def _extra_facts_ok(self, facts, readset) -> bool:
        valid = self.valid
        for k, v in facts.items():
            if k not in readset and (k, v.__class__, v) not in valid and not self._check_fact(k, v):
                return False
        return True

    def _valid(self, raw) -> bool:
        """Whether the request passes every check of `parse_request` (the parts the fast key holds)."""
        get = raw.get
        for who in ("actor", "decided_by"):
            if get(who) is not None and get(who) not in _AUTHORITIES:
                return False
        valid = self.valid
        for k, v in (get("facts") or _EMPTY).items():
            if (k, v.__class__, v) not in valid and not self._check_fact(k, v):
                return False
        return True

    def key(self, raw: dict):
        """The memo key: the fast key's fact values reduced to their regions (`Space.region_key` over
        the facts the matter's rules read), or None."""
        rk = self.raw_key(raw)
        return None if rk is None or not self._valid(raw) else self._region_key(rk)

    def _region_key(self, rk):
        list_id, matter, actor, decided_by, vote, values, _ = rk
        mr = self.rules[(list_id, matter)]
        return (list_id, matter, actor, decided_by, vote, mr.space.region_key(mr.reads, dict(zip(mr.reads, values))))

    def _check_fact(self, code, value) -> bool:
        fact = self.catalogue.facts.get(code)
        if fact is None or value is None or check_value(fact, value):
            return False
        if len(self.valid) < SMALL_LIMIT:
            self.valid.add((code, value.__class__, value))
        return True

    def _decide_uncached(self, raw) -> Decision:
        request = parse_request(raw, self.catalogue)
        return self.library.decider(self.library.pick(request.on).id).decide(request)

    def _entry(self, raw, rk=None):
        """(Entry, case, on) for a request dict; raises RequestError for a bad one."""
        if type(raw) is not dict:
            parse_request(raw, self.catalogue)  # raises the standard error
        if rk is None and self.cache:
            rk = self.raw_key(raw)
        if rk is not None and (rk in self.fast or self._valid(raw)):
            entry = self.fast.get(rk)
            if entry is None:
                key = self._region_key(rk)
                entry = self.memo.get(key)
                if entry is None:
                    entry = self._fill(key, raw)
                if len(self.fast) < CACHE_LIMIT:
                    self.fast[rk] = entry
            return entry, raw.get("case"), self.days[raw.get("on")][1]
        if self.cache:
            self._precheck(raw)
        decision = self._decide_uncached(raw)
        return Entry.of(decision), decision.case, decision.on

    def _fill(self, key, raw) -> "Entry":
        """Decide a new key: durable-rules once per (list, matter, region), then the actor's part."""
        self.misses += 1
        list_id, matter, actor, decided_by, vote, region = key
        core = self.cores.get((list_id, matter, region))
        if core is None:
            facts = raw.get("facts") or {}
            request = Request(matter, tuple(sorted((k, v) for k, v in facts.items() if v is not None)),
                              on=self.days[raw.get("on")][1])
            decider = self.library.decider(list_id)
            core = Core.of(decider.decide(request), decider.rules(matter))
            if len(self.cores) < CACHE_LIMIT:
                self.cores[(list_id, matter, region)] = core
        if core.decision.status == "forbidden" and decided_by is not None:
            entry = Entry.of(self._decide_uncached(raw))  # names the prohibition exactly as Decider does
        else:
            entry = core.variant(actor, decided_by, parse_vote(raw["vote"]) if vote is not None else None)
        if len(self.memo) < CACHE_LIMIT:
            self.memo[key] = entry
        return entry

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

    def run(self, records, fmt: str = "jsonl", only_flagged: bool = False):
        """Check `(line, raw)` records; returns (output, stats).

        `raw` is bytes (a JSON line), a dict, or a RequestError. The output is bytes for `jsonl`, a
        list of rows for `csv` and `text`; `stats` counts `(status, authority, flags)` per decision and
        `("bad", code)` per bad line."""
        if fmt == "jsonl" and self.cache:
            return self._run_jsonl(records, only_flagged)
        out: list = []
        stats: Counter = Counter()
        for n, raw in records:
            try:
                if isinstance(raw, RequestError):
                    raise raw
                if type(raw) is bytes:
                    raw = _parse_line(raw)
                if self.cache:
                    entry, case, _ = self._entry(raw)
                    decision = None
                else:
                    decision = self._decide_uncached(raw)
                    entry, case = None, decision.case
            except RequestError as exc:
                stats[("bad", exc.code)] += 1
                case = raw.get("case") if type(raw) is dict and isinstance(raw.get("case"), (str, int)) else None
                out.append(self._bad(n, exc, case, raw if type(raw) is dict else None, fmt))
                continue
            if entry is None and fmt != "jsonl":
                entry = Entry.of(decision)
            stat = entry.stat if entry is not None else (decision.status, decision.authority, tuple(decision.flags))
            stats[stat] += 1
            if only_flagged and not stat[2]:
                continue
            if fmt == "jsonl":
                out.append(render_line(n, decision))
            else:
                out.append(self._row(n, raw, case, entry, fmt))
        return (b"".join(out) if fmt == "jsonl" else out), stats

    def _run_jsonl(self, records, only_flagged: bool):
        """The hot loop: parse, the fast key, one dict lookup, and the cached bytes around the case."""
        out: list = []
        extend = out.extend
        counts: dict = {}
        count = counts.get
        bad: Counter = Counter()
        fast_get, key_of, scan = self.fast.get, self.raw_key, _scan
        for n, data in records:
            try:
                if type(data) is bytes:
                    text = data.decode()
                    try:
                        raw, end = scan(text, 0)
                        if end != len(text) and not text[end:].isspace():
                            raise ValueError
                    except (ValueError, StopIteration):
                        raw = _loads(text)  # the standard parse, and its error
                else:
                    raw = data
                if type(raw) is dict:
                    entry = fast_get(key_of(raw))
                    if entry is None:
                        entry = self._entry(raw)[0]
                elif isinstance(raw, RequestError):
                    raise raw
                else:
                    raise RequestError("bad-request", _not_object(raw))
            except RequestError as exc:
                bad[("bad", exc.code)] += 1
                case = raw.get("case") if type(raw) is dict and isinstance(raw.get("case"), (str, int)) else None
                extend((self._bad(n, exc, case, None, "jsonl"),))
                continue
            except ValueError as exc:
                err = _line_error(data, exc)
                bad[("bad", err.code)] += 1
                extend((self._bad(n, err, None, None, "jsonl"),))
                continue
            stat = entry.stat
            counts[stat] = count(stat, 0) + 1
            if only_flagged and not entry.flagged:
                continue
            case = raw.get("case")
            extend((b'{"line": ', b"%d" % n, b", ", entry.prefix,
                    b"null" if case is None else (encode_basestring(case).encode() if type(case) is str
                                                  else case_json(case)),
                    entry.suffix))
        bad.update(counts)
        return b"".join(out), bad

    def _bad(self, n, exc: RequestError, case, raw, fmt):
        if fmt == "jsonl":
            return (_dumps(error_json(n, exc, case)) + "\n").encode()
        if case is None:
            case = getattr(exc, "case", None)
        row = {"line": n, "case": case, "error": f"{exc.code}: {exc.message}"}
        if raw is not None:
            row.update(_request_cells(raw))
        elif getattr(exc, "cells", None):
            row.update(exc.cells)
        return row

    def _row(self, n, raw, case, entry: Entry, fmt):
        status, authority, may, flags, chain, obligations, missing, violation = entry.cells
        d = entry.decision
        row = {"line": n, "case": case, "matter": d.matter, "actor": d.actor or "",
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


def merge(total: Counter, stats: Counter) -> None:
    total.update(stats)


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


def summary_text(summary: dict, lang: str = "en", interrupted: bool = False) -> str:
    zh = lang == "zh"
    lines = []
    if interrupted:
        lines.append("已中断：以下为已处理部分的统计" if zh else "interrupted: the summary of the lines checked so far")
    lines.append((f"共 {summary['lines']} 行：已判断 {summary['decided']}，标记 {summary['flagged']}，"
                  f"违规决定 {summary['violations']}，清单未覆盖 {summary['uncovered']}，"
                  f"待补事实 {summary['undetermined']}，错误行 {summary['bad_lines']}") if zh else
                 (f"{summary['lines']} lines: {summary['decided']} decided, {summary['flagged']} flagged, "
                  f"{summary['violations']} violations, {summary['uncovered']} uncovered, "
                  f"{summary['undetermined']} undetermined, {summary['bad_lines']} bad lines"))
    for title_zh, title_en, key in (("状态", "by status", "by_status"), ("决定权限", "by required authority", "by_authority"),
                                    ("标记", "by flag", "by_flag"), ("错误行", "bad lines by code", "bad_by_code")):
        if summary[key]:
            lines.append(f"  {title_zh if zh else title_en}: " + ", ".join(f"{k} {v}" for k, v in summary[key].items()))
    return "\n".join(lines)


# ---- running a whole input: chunks, processes, interruption -------------------------------------------

_WORKER: "Checker | None" = None


def _work(job):
    chunk, fmt, only_flagged = job
    return _WORKER.run(chunk, fmt, only_flagged)


def _ignore_sigint():
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and ends the workers


def chunked(records, size: int):
    chunk = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def check_stream(checker: Checker, records, write, stats: Counter, fmt: str = "jsonl", only_flagged: bool = False,
                 jobs: int = 1, chunk_size: int | None = None, progress=None) -> Counter:
    """Check every record and hand each chunk's output to `write`, in input order.

    `stats` is updated in place after each chunk is written, so that after a KeyboardInterrupt it
    counts exactly the lines whose output was written. With `jobs` > 1 the chunks are checked by that
    many forked processes, each holding the library loaded once (inherited from this process), and
    written in input order."""
    if jobs <= 1:
        for chunk in chunked(records, chunk_size or 4096):
            out, st = checker.run(chunk, fmt, only_flagged)
            write(out)
            stats.update(st)
            if progress:
                progress(len(chunk))
        return stats
    import multiprocessing
    global _WORKER
    _WORKER = checker
    ctx = multiprocessing.get_context("fork")
    pool = ctx.Pool(jobs, initializer=_ignore_sigint)
    try:
        sizes: list = []

        def jobs_of():
            for chunk in chunked(records, chunk_size or 20_000):
                sizes.append(len(chunk))
                yield chunk, fmt, only_flagged

        for i, (out, st) in enumerate(pool.imap(_work, jobs_of(), chunksize=1)):
            write(out)
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
    return stats
