"""A list's own test cases (`cases.yaml`): expected decisions, checked like a test runner checks.

`expect` holds any subset of the decision's keys. Objects compare key by key (only the keys given),
lists element by element; in `because`, `missing_facts` and `obligations` an expected element may be
a bare id or fact code, which matches the element's `id`, `fact` or `by`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from . import schemas
from .findings import Findings
from .model import Text
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


def load_cases(folder: str) -> tuple[list[Case], Findings]:
    """The cases of a list folder (none when it has no cases.yaml), schema-checked. Read as the list's
    own files are: only a regular file really inside the folder."""
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
        out.append(Case(raw["name"], raw["request"], raw["expect"], doc.place(("cases", i))))
    return out, Findings(found)


def run_case(library, case: Case) -> Outcome:
    try:
        got = library.decide(case.request).to_json()
    except RequestError as exc:
        said = exc.text or Text(exc.message, exc.message)  # every RequestError is written in both
        return Outcome(case, False, (), f"{exc.code}: {exc.message}",
                       error_text=Text(f"{exc.code}: {said.zh}", f"{exc.code}: {said.en}"))
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
