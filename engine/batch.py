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

from .actions import vote_cell
from .decision import Decision
from .model import AUTHORITIES
from .requests import REQUEST_KEYS, RequestError, parse_request, parse_date, parse_vote

CSV_COLUMNS = ("line", "case", "matter", "actor", "decided_by", "status", "authority", "actor_may_decide", "flags",
               "chain", "obligations", "missing_facts", "violation", "error")
TEXT_COLUMNS = ("line", "case", "matter", "actor", "decided_by", "status", "authority", "flags")
CACHE_LIMIT = 1_000_000  # most memo entries (decisions) kept; past it new keys are decided uncached
SMALL_LIMIT = 200_000    # most cached fact values / dates

_KEYS = frozenset(REQUEST_KEYS)
_AUTHORITIES = frozenset(AUTHORITIES)
_loads = json.loads


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


class Checker:
    """Decides the lines of a batch against a `Library`, memoised by situation region."""

    def __init__(self, library, cache: bool = True):
        self.library = library
        self.catalogue = library.catalogue
        self.cache = cache
        self.memo: dict = {}
        self.days: dict = {}      # `on` -> (list id, normalised day) | RequestError
        self.rules: dict = {}     # (list id, matter) -> MatterRules
        self.valid: set = set()   # (fact, type, value) known to be valid
        for code in self.catalogue.facts:
            self.valid.add((code, type(None), None))
        self.hits = self.misses = 0

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

    def key(self, raw: dict):
        """The memo key of a request dict, or None where the fast path cannot vouch for the request."""
        try:
            if not raw.keys() <= _KEYS:
                return None
            matter = raw.get("matter")
            if type(matter) is not str or matter not in self.catalogue.matters:
                return None
            actor = raw.get("actor")
            if actor is not None and actor not in _AUTHORITIES:
                return None
            decided_by = raw.get("decided_by")
            if decided_by is not None and decided_by not in _AUTHORITIES:
                return None
            case = raw.get("case")
            if case is not None and not isinstance(case, (str, int)):
                return None
            picked = self._list_for(raw.get("on"))
            if picked is None or type(picked) is not tuple:
                return None
            list_id = picked[0]
            facts = raw.get("facts") or {}
            if type(facts) is not dict:
                return None
            valid = self.valid
            for item in facts.items():
                k, v = item
                if (k, v.__class__, v) not in valid and not self._check_fact(k, v):
                    return None
            vote = raw.get("vote")
            if vote is not None:
                v = parse_vote(vote)
                vote = (v.members, v.present, v.in_favour, v.procurator_general_dissents)
            mr = self.rules.get((list_id, matter))
            if mr is None:
                mr = self.rules[(list_id, matter)] = self.library.decider(list_id).rules(matter)
            return (list_id, matter, actor, decided_by, vote, mr.space.region_key(mr.reads, facts))
        except (TypeError, RequestError):
            return None

    def _check_fact(self, code, value) -> bool:
        from .conditions import check_value
        fact = self.catalogue.facts.get(code)
        if fact is None or value is None or check_value(fact, value):
            return False
        if len(self.valid) < SMALL_LIMIT:
            self.valid.add((code, value.__class__, value))
        return True

    def _decide_uncached(self, raw) -> Decision:
        request = parse_request(raw, self.catalogue)
        return self.library.decider(self.library.pick(request.on).id).decide(request)

    def _entry(self, raw):
        """(Entry, case, on) for a request dict; raises RequestError for a bad one."""
        if type(raw) is not dict:
            parse_request(raw, self.catalogue)  # raises the standard error
        key = self.key(raw) if self.cache else None
        if key is not None:
            entry = self.memo.get(key)
            if entry is not None:
                self.hits += 1
                return entry, raw.get("case"), self.days[raw.get("on")][1]
        decision = self._decide_uncached(raw)
        entry = Entry.of(decision)
        if key is not None and len(self.memo) < CACHE_LIMIT:
            self.misses += 1
            self.memo[key] = entry
        return entry, decision.case, decision.on

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
        """The hot loop: json.loads, the memo key, one dict lookup, and the cached bytes."""
        out: list = []
        append = out.append
        stats: Counter = Counter()
        memo, key_of, loads = self.memo, self.key, _loads
        for n, data in records:
            try:
                raw = loads(data) if type(data) is bytes else data
                if type(raw) is dict:
                    key = key_of(raw)
                    entry = memo.get(key) if key is not None else None
                    if entry is None:
                        entry, _, _ = self._entry(raw)
                    else:
                        self.hits += 1
                elif isinstance(raw, RequestError):
                    raise raw
                else:
                    raise RequestError("bad-request", _not_object(raw))
            except RequestError as exc:
                stats[("bad", exc.code)] += 1
                case = raw.get("case") if type(raw) is dict and isinstance(raw.get("case"), (str, int)) else None
                append(self._bad(n, exc, case, None, "jsonl"))
                continue
            except (ValueError, TypeError) as exc:
                err = _json_error(data, exc)
                stats[("bad", err.code)] += 1
                append(self._bad(n, err, None, None, "jsonl"))
                continue
            stats[entry.stat] += 1
            if only_flagged and not entry.flagged:
                continue
            case = raw.get("case")
            append(b'{"line": %d, %b%b%b' % (n, entry.prefix, b"null" if case is None else
                                             (encode_basestring(case).encode() if type(case) is str else case_json(case)),
                                             entry.suffix))
        return b"".join(out), stats

    def _bad(self, n, exc: RequestError, case, raw, fmt):
        if fmt == "jsonl":
            return (_dumps(error_json(n, exc, case)) + "\n").encode()
        if case is None:
            case = getattr(exc, "case", None)
        row = {"line": n, "case": case, "error": f"{exc.code}: {exc.message}"}
        if raw is not None:
            row.update(_request_cells(raw))
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
    except (ValueError, TypeError) as exc:
        raise _json_error(data, exc) from None
    if type(raw) is not dict:
        raise RequestError("bad-request", _not_object(raw))
    return raw


def _json_error(data, exc) -> RequestError:
    if isinstance(data, RequestError):
        return data
    if not data.strip():
        return RequestError("empty-line", "an empty line")
    if isinstance(exc, UnicodeDecodeError):
        return RequestError("bad-encoding", f"the line is not UTF-8: {exc.reason}")
    msg = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
    where = f" at column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
    return RequestError("bad-json", f"invalid JSON{where}: {msg}")


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
