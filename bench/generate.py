"""Generate action files for `quanze check`: realistic requests, bad lines of every kind, violations.

    python bench/generate.py LIST N [--seed 1] [--bad 0.05] [--violations 0.1] [--fresh] [--format jsonl|csv] [-o FILE]

Requests go over the matters of the list(s) at LIST (and a few matters no item covers). Each fact a
matter's rules read is present with probability --presence (0.95: records mostly complete), valued from the situation space's representative
values (every constant a condition names, a value inside each interval, each enum value, true and false)
three times in four and otherwise at random, so every branch is hit. `decided_by` is given on half the
lines: with probability --violations someone below the required authority (a violation), otherwise the
required authority or the actor. Where LIST is a folder of versions, `on` is drawn within their periods.
A share --bad of lines is bad, the kinds in turn: invalid JSON, not an object, unknown matter, unknown
fact, wrong type, impossible vote, bad date (in CSV, invalid JSON and not-an-object become rows with
the wrong number of cells, and an unknown fact an enum value no fact has). Seeded: the same arguments
give the same file.

With --fresh, every line is on a matter whose rules read an integer, date or text fact, and every such
fact a line gives is a value no line before it gave (an integer counting up, a day counting on, a text
with the count in it): the worst case for the memo of `check`, whose tables of the values seen must
stay bounded however many distinct values a run brings.
"""
from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import random
import sys

from quanze import Library
from quanze.batch import Checker
from quanze.model import AUTHORITIES, RANK

BAD_KINDS = ("invalid-json", "not-object", "unknown-matter", "unknown-fact", "wrong-type", "impossible-vote",
             "bad-date")
# The error code `check` reports for each kind of bad line.
EXPECTED_CODE = {"invalid-json": "bad-json", "not-object": "bad-request", "unknown-matter": "unknown-matter",
                 "unknown-fact": "unknown-fact", "wrong-type": "bad-value", "impossible-vote": "bad-vote",
                 "bad-date": "bad-value"}
EXPECTED_CODE_CSV = dict(EXPECTED_CODE, **{"invalid-json": "bad-row", "not-object": "bad-row",
                                           "unknown-fact": "bad-value"})
ACTORS = ("prosecutor",) * 6 + ("department_head", "deputy_procurator_general", "procurator_general",
                                "procurator_general", "procuratorial_committee")


class Generator:
    def __init__(self, library: Library, seed: int = 1, bad: float = 0.05, violations: float = 0.1,
                 presence: float = 0.95, fresh: bool = False):
        self.lib = library
        self.cat = library.catalogue
        self.rng = random.Random(seed)
        self.bad = bad
        self.violations = violations
        self.presence = presence
        self.fresh = fresh
        self.count = 0  # the values given so far, for --fresh
        self.checker = Checker(library)
        # the lists a request can be decided with: a folder's lists implementing another (`conforms_to`) are
        # used only when their own folder is named (`Library.pick`)
        self.lists = [lst for lst in library.lists if lst.conforms_to is None] or library.lists
        listed = []
        for lst in self.lists:
            listed.extend(m for m in lst.matters() if m not in listed)
        others = [m for m in self.cat.matters if m not in listed]
        self.matters = listed + others[: max(1, len(listed) // 10)]
        self.spans = []
        for lst in self.lists:
            start = datetime.date.fromisoformat(lst.effective_from)
            end = datetime.date.fromisoformat(lst.effective_to) if lst.effective_to else start + datetime.timedelta(days=900)
            self.spans.append((start, end))
        self.reads = {}
        self.bad_count = 0
        if fresh:
            self.matters = self._numeric_matters()

    def _space(self, matter):
        found = self.reads.get(matter)
        if found is None:
            mr = self.lib.decider(self.lists[-1].id).rules(matter)
            found = self.reads[matter] = (mr.reads, mr.space)
        return found

    def _value(self, code, space):
        fact = self.cat.facts[code]
        if self.fresh and fact.type in ("integer", "date", "string"):
            return self._fresh(fact)
        if self.rng.random() < 0.75 and code in space.per_fact:
            return self.rng.choice(space.values(code))
        if fact.type == "boolean":
            return self.rng.random() < 0.5
        if fact.type == "integer":
            return self.rng.randint(fact.min if fact.min is not None else 0, 60)
        if fact.type == "enum":
            return self.rng.choice(fact.values)
        if fact.type == "date":
            return (datetime.date(2019, 1, 1) + datetime.timedelta(days=self.rng.randint(0, 1500))).isoformat()
        return self.rng.choice(["甲", "乙", "other"])

    def _fresh(self, fact):
        """A value of `fact` no line before gave (within the fact's bounds while they leave room)."""
        self.count += 1
        if fact.type == "integer":
            low = fact.min if fact.min is not None else 0
            return low + self.count if fact.max is None else low + self.count % (fact.max - low + 1)
        if fact.type == "date":
            return (datetime.date(1900, 1, 1) + datetime.timedelta(days=self.count % 2_900_000)).isoformat()
        return f"v{self.count}"

    def _numeric_matters(self) -> list:
        """The matters whose rules read an integer, date or text fact (for --fresh: every line brings one)."""
        kinds = ("integer", "date", "string")
        found = [m for m in self.matters if any(self.cat.facts[c].type in kinds for c in self._space(m)[0])]
        return found or self.matters

    def request(self, n: int) -> dict:
        rng = self.rng
        matter = rng.choice(self.matters)
        reads, space = self._space(matter)
        facts = {code: self._value(code, space) for code in reads if rng.random() < self.presence}
        raw = {"case": f"（{2019 + n % 4}）检刑诉{n}号" if n % 3 == 0 else f"C-{n:08d}", "matter": matter,
               "actor": rng.choice(ACTORS), "facts": facts}
        if len(self.spans) > 1 or rng.random() < 0.3:
            start, end = rng.choice(self.spans)
            raw["on"] = (start + datetime.timedelta(days=rng.randint(0, (end - start).days))).isoformat()
        if rng.random() < 0.03:
            members = rng.randint(2, 7) * 2 + 1  # a committee has an odd number of members (组织法第三十条)
            present = rng.randint(members // 2, members)
            raw["vote"] = {"members": members, "present": present, "in_favour": rng.randint(0, present),
                           "procurator_general_dissents": rng.random() < 0.2}
        if rng.random() < 0.5:
            decision = self.checker.decide(raw)
            required = decision.authority
            if decision.status == "ok" and rng.random() < self.violations and RANK[required] > 0:
                below = [a for a in AUTHORITIES if RANK[a] < RANK[required] and a != "deputy_procurator_general"]
                raw["decided_by"] = rng.choice(below or ["prosecutor"])
            elif decision.status == "ok":
                raw["decided_by"] = required
            else:
                raw["decided_by"] = raw["actor"]
        return raw

    def spoil(self, raw: dict, kind: str, csv_mode: bool = False):
        """A bad version of a request: a dict, or text for a line that is not a request at all."""
        raw = dict(raw, facts=dict(raw["facts"]))
        if kind == "invalid-json":
            text = json.dumps(raw, ensure_ascii=False)
            return text[: max(1, len(text) // 2)]
        if kind == "not-object":
            return json.dumps([raw["matter"], raw["case"]], ensure_ascii=False)
        if kind == "unknown-matter":
            raw["matter"] = raw["matter"][:-2] + "xx"
        elif kind == "unknown-fact":
            if csv_mode:
                raw["facts"]["case_source"] = "police_station"
            else:
                raw["facts"]["case_is_major"] = True
        elif kind == "wrong-type":
            raw["facts"]["prior_supplementary_returns"] = "two" if csv_mode else "2"
        elif kind == "impossible-vote":
            raw["vote"] = {"members": 9, "present": 11, "in_favour": 6}
        elif kind == "bad-date":
            raw["on"] = "2021-13-45"
        return raw

    def lines(self, n: int, csv_mode: bool = False):
        """(kind or None, request dict or bad text) for n lines."""
        every = round(1 / self.bad) if self.bad > 0 else 0
        k = 0
        for i in range(1, n + 1):
            raw = self.request(i)
            if every and i % every == 0:
                kind = BAD_KINDS[k % len(BAD_KINDS)]
                k += 1
                yield kind, self.spoil(raw, kind, csv_mode)
            else:
                yield None, raw


def csv_header(catalogue) -> list:
    return ["case", "matter", "actor", "decided_by", "on", "vote"] + list(catalogue.facts)


def csv_row(raw: dict, catalogue) -> list:
    from quanze.actions import vote_cell
    facts = raw.get("facts") or {}
    cells = [raw.get("case", ""), raw.get("matter", ""), raw.get("actor") or "", raw.get("decided_by") or "",
             raw.get("on") or "", vote_cell(raw.get("vote"))]
    for code in catalogue.facts:
        v = facts.get(code)
        cells.append("" if v is None else ("是" if v else "否") if isinstance(v, bool) else str(v))
    return cells


def write(gen: Generator, n: int, out, fmt: str = "jsonl") -> list:
    """Write n lines to a binary stream; returns the kinds (None for a good line), one per line."""
    kinds = []
    if fmt == "jsonl":
        buf = []
        for kind, item in gen.lines(n):
            kinds.append(kind)
            buf.append(item if isinstance(item, str) else json.dumps(item, ensure_ascii=False))
            if len(buf) >= 10000:
                out.write(("\n".join(buf) + "\n").encode())
                buf = []
        if buf:
            out.write(("\n".join(buf) + "\n").encode())
        return kinds
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    text.write("\ufeff")
    w = csv.writer(text, lineterminator="\r\n")
    w.writerow(csv_header(gen.cat))
    for kind, item in gen.lines(n, csv_mode=True):
        kinds.append(kind)
        if isinstance(item, str):
            w.writerow(["x", "y"])  # the wrong number of cells
        else:
            w.writerow(csv_row(item, gen.cat))
    text.flush()
    text.detach()
    return kinds


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("list")
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bad", type=float, default=0.05)
    ap.add_argument("--violations", type=float, default=0.1)
    ap.add_argument("--presence", type=float, default=0.95)
    ap.add_argument("--fresh", action="store_true",
                    help="every integer, date and text value is one no line before gave (the memo's worst case)")
    ap.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    ap.add_argument("-o", "--out", default="-")
    ap.add_argument("--rules", default=None)
    a = ap.parse_args(argv)
    gen = Generator(Library.load(a.list, a.rules), a.seed, a.bad, a.violations, a.presence, a.fresh)
    if a.out == "-":
        write(gen, a.n, sys.stdout.buffer, a.format)
        sys.stdout.buffer.flush()
    else:
        with open(a.out, "wb", buffering=1 << 20) as f:
            write(gen, a.n, f, a.format)
    return 0


if __name__ == "__main__":
    sys.exit(main())
