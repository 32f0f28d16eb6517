"""A list's own test cases (`cases.yaml`): expected decisions, checked like a test runner checks.

`expect` holds any subset of the decision's keys. Objects compare key by key (only the keys given),
lists element by element; in `because`, `missing_facts` and `obligations` an expected element may be
a bare id or fact code, which matches the element's `id`, `fact` or `by`.

A case is written as the list is, by codes or by Chinese names (`quanze.names`): the request's
matter, actor, facts and values, and the expected matter, authorities, status and facts are resolved
to codes when the file is loaded, each unknown name a finding at its line (and the case left out of
the run, as a case the schema refuses is).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass

from . import schemas
from .conditions import check_value
from .findings import Finding, Findings
from .model import Catalogue, Text
from .names import AUTHORITY, FACT, MATTER, Names, names_of
from .place import Place
from .requests import RequestError
from .yamlload import LoadError, load_file


@dataclass(frozen=True)
class Case:
    name: str
    request: dict
    expect: dict
    source: Place


@dataclass(frozen=True)
class Outcome:
    case: Case
    passed: bool
    mismatches: tuple  # (path, expected, got)
    error: str | None = None  # `code: message`, in English (the JSON of `quanze test`)
    decision: dict | None = None
    error_text: Text | None = None  # the same in both languages, for the text of `test` and `audit`
    hint: Text | None = None  # a failed case the request left undetermined: the facts it lacks

    @property
    def mismatch_texts(self) -> list[Text]:
        """Each departure from the expectation in words, its values as the case file writes them (JSON:
        `true`, `null`, `"ok"`), for the text of `test` (a line each) and `audit` (joined)."""
        out = []
        for path, expected, got in self.mismatches:
            e, g = json.dumps(expected, ensure_ascii=False), json.dumps(got, ensure_ascii=False)
            out.append(Text(f"{path}：应为 {e}，实为 {g}", f"{path}: expected {e}, got {g}"))
        return out


def lacking(decision: dict, catalogue) -> Text | None:
    """What a case's request lacks when the list cannot decide it (status `undetermined`): its missing
    facts by name, so that a drafter whose case "fails" because the law might raise the matter in a
    situation the request does not rule out sees which facts to add to the request."""
    missing = [m["fact"] for m in decision.get("missing_facts") or []]
    if decision.get("status") != "undetermined" or not missing:
        return None

    def name(code: str) -> str:
        fact = catalogue.facts.get(code)
        label = fact.label if fact is not None else None
        return label.zh if label is not None else code

    return Text("尚不能确定：请求的 facts 缺少" + "".join(f"「{name(c)}」" for c in missing),
                "undetermined: the request's facts lack " + ", ".join(f"`{c}`" for c in missing))


def cases_file(folder: str) -> str:
    return os.path.join(folder, "cases.yaml")


def load_cases(folder: str, catalogue: Catalogue | None = None) -> tuple[list[Case], Findings]:
    """The cases of a list folder (none when it has no cases.yaml), schema-checked, and with a
    catalogue their names resolved to codes (`Written`). Read as the list's own files are: only a
    regular file really inside the folder."""
    path = cases_file(folder)
    if not os.path.lexists(path):
        return [], Findings()
    try:
        doc = load_file(path, inside=folder)  # a link out of the folder, a FIFO, a folder: a finding
    except LoadError as exc:
        return [], Findings([exc.finding])
    found = doc.findings + schemas.check(doc, "cases")
    if not isinstance(doc.data, dict) or not isinstance(doc.data.get("cases"), list):
        return [], Findings(found)
    bad = {f.path.split("/")[2] for f in found if f.path.startswith("/cases/") and len(f.path.split("/")) > 2}
    out = []
    for i, raw in enumerate(doc.data["cases"]):
        if str(i) in bad or not isinstance(raw, dict):
            continue
        request, expect = raw["request"], raw["expect"]
        if catalogue is not None:
            written = Written(doc, ("cases", i), names_of(catalogue), catalogue)
            request, expect = written.request(request), written.expect(expect)
            found += written.findings
            if written.findings:
                continue
        out.append(Case(raw["name"], request, expect, doc.place(("cases", i))))
    return out, Findings(found)


# What `quanze` itself calls each status in Chinese (the decision's text, the `check` table), which a
# case may expect instead of the code.
STATUS_NAMES = {"已确定": "ok", "法律禁止": "forbidden", "禁止": "forbidden",
                "尚不能确定": "undetermined", "不确定": "undetermined", "待补事实": "undetermined"}


class Written:
    """One case's request and expectation as written, their names resolved to codes: a matter, an
    authority, a fact, an enum value or a boolean's 是/否 (as in a list: `quanze.names`), and a status
    by the Chinese word quanze prints for it. A name that names no code (or several) is a finding at
    its line; what is not a name (ids, numbers, a key the schema has refused) is left as written."""

    def __init__(self, doc, at: tuple, names: Names, catalogue: Catalogue):
        self.doc, self.at, self.names, self.catalogue = doc, at, names, catalogue
        self.findings: list[Finding] = []

    def code(self, kind: str, path: tuple, word):
        if not isinstance(word, str):
            return word
        found, problem = self.names.resolve(kind, word)
        if problem is not None:
            self.findings.append(self.doc.at(self.at + path, *problem))
            return word
        return found

    def _matter_and(self, raw: dict, at: tuple, authorities: tuple) -> dict:
        """`raw` with its `matter` and the authorities under the keys `authorities` in codes: what a
        request and an expectation both name."""
        out = dict(raw)
        if "matter" in raw:
            out["matter"] = self.code(MATTER, at + ("matter",), raw["matter"])
        for key in authorities:
            if key in raw:
                out[key] = self.code(AUTHORITY, at + (key,), raw[key])
        return out

    def request(self, raw: dict) -> dict:
        at = ("request",)
        out = self._matter_and(raw, at, ("actor", "decided_by"))
        if isinstance(raw.get("facts"), dict):
            out["facts"] = self.facts(raw["facts"], at + ("facts",))
        return out

    def facts(self, given: dict, at: tuple) -> dict:
        """The facts by code, their values resolved; a fact given twice (by code and by name) is left
        for the request's own check to refuse."""
        out: dict = {}
        for name, value in given.items():
            code = self.code(FACT, at + (name,), name)
            fact = self.catalogue.facts.get(code)
            if fact is None or code in out or (code != name and code in given):
                out[name] = value
                continue
            value, problem = self.names.written_value(fact, value)
            bad = [problem] if problem is not None else [] if value is None else \
                [("bad-value", m) for m in check_value(fact, value)[:1]]
            self.findings.extend(self.doc.at(self.at + at + (name,), *p) for p in bad)
            out[code] = value
        return out

    def expect(self, raw: dict) -> dict:
        at = ("expect",)
        out = self._matter_and(raw, at, ("actor", "authority", "responsible"))
        if isinstance(raw.get("status"), str):
            out["status"] = STATUS_NAMES.get(raw["status"].strip(), raw["status"])
        if isinstance(raw.get("chain"), list):
            out["chain"] = [self.code(AUTHORITY, at + ("chain", j), a) for j, a in enumerate(raw["chain"])]
        if isinstance(raw.get("missing_facts"), list):
            out["missing_facts"] = [self._missing(m, at + ("missing_facts", j))
                                    for j, m in enumerate(raw["missing_facts"])]
        if isinstance(raw.get("obligations"), list):
            out["obligations"] = [self._authorities(o, at + ("obligations", j), ("report_to",))
                                  for j, o in enumerate(raw["obligations"])]
        if isinstance(raw.get("because"), list):
            out["because"] = [self._authorities(b, at + ("because", j), ("authority",))
                              for j, b in enumerate(raw["because"])]
        for key, fields in (("violation", ("decided_by", "required")), ("vote", ("refer_to",))):
            if isinstance(raw.get(key), dict):
                out[key] = self._authorities(raw[key], at + (key,), fields)
        return out

    def _missing(self, m, at: tuple):
        """An expected missing fact: its code or name, bare or as `{fact: ...}`."""
        if isinstance(m, str):
            return self.code(FACT, at, m)
        if isinstance(m, dict) and "fact" in m:
            return dict(m, fact=self.code(FACT, at + ("fact",), m["fact"]))
        return m

    def _authorities(self, element, at: tuple, fields: tuple):
        """An expected object with its authority `fields` resolved (one, or a list of them); a bare id
        (`because: [XJ-P-1]`) as written."""
        if not isinstance(element, dict):
            return element
        out = dict(element)
        for key in fields:
            value = element.get(key)
            if isinstance(value, list):
                out[key] = [self.code(AUTHORITY, at + (key, j), a) for j, a in enumerate(value)]
            elif key in element:
                out[key] = self.code(AUTHORITY, at + (key,), value)
        return out


def run_case(library, case: Case) -> Outcome:
    try:
        got = library.decide(case.request).to_json()
    except RequestError as exc:
        return Outcome(case, False, (), exc.coded("en"), error_text=Text(exc.coded("zh"), exc.coded("en")))
    mismatches = tuple(compare(case.expect, got))
    return Outcome(case, not mismatches, mismatches, None, got, hint=lacking(got, library.catalogue) if mismatches else None)


def compare(expected, got, path: str = "") -> list:
    """Where `got` departs from `expected` (subset semantics for objects), as (path, expected, got)."""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return [(path or "/", expected, got)]
        out: list = []
        for key, value in expected.items():
            if key not in got:
                out.append((f"{path}/{key}", value, "(absent)"))
            else:
                out.extend(compare(value, got[key], f"{path}/{key}"))
        return out
    if isinstance(expected, list):
        if not isinstance(got, list) or len(expected) != len(got):
            return [(path or "/", expected, _brief(got))]
        out = []
        for i, (e, g) in enumerate(zip(expected, got)):
            if isinstance(e, str) and isinstance(g, dict):
                ident = g.get("id", g.get("fact", g.get("by")))
                if e != ident:
                    out.append((f"{path}/{i}", e, ident))
            else:
                out.extend(compare(e, g, f"{path}/{i}"))
        return out
    if expected != got or isinstance(expected, bool) != isinstance(got, bool):
        return [(path or "/", expected, got)]
    return []


def _brief(got):
    """A list of objects shown by their ids, so a failure reads at a glance."""
    if isinstance(got, list) and all(isinstance(g, dict) for g in got):
        return [g.get("id", g.get("fact", g.get("by", g))) for g in got]
    return got
