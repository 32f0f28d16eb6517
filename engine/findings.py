"""Findings: what validation reports, each with its place, a stable code and a severity.

Every check in quanze yields `Finding`s instead of raising, so that a run reports everything
that is wrong at once (as python-jsonschema's `iter_errors` does). The codes are a contract: tools
filter on them, so a code once published keeps its meaning.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Iterable


class Severity(StrEnum):
    """How much a finding weighs: an error makes a list unusable, a warning does not. Each member is
    its string, so the JSON and the text of a finding are what they were with plain strings."""

    ERROR = "error"
    WARNING = "warning"


ERROR = Severity.ERROR
WARNING = Severity.WARNING

# code -> (severity, what it means). Kept in one table so the README and tests can list them.
CODES: dict[str, tuple[Severity, str]] = {
    "unreadable": (ERROR, "the file or folder cannot be read"),
    "too-large": (ERROR, "the document is larger than the size bound"),
    "yaml-syntax": (ERROR, "the YAML is malformed"),
    "duplicate-key": (ERROR, "a mapping repeats a key"),
    "alias-limit": (ERROR, "YAML aliases expand beyond the bound"),
    "too-deep": (ERROR, "the document nests deeper than the bound"),
    "unknown-key": (ERROR, "a key the schema does not know (a misspelling?)"),
    "missing-key": (ERROR, "a required key is absent"),
    "schema": (ERROR, "the document does not fit its JSON Schema"),
    "unknown-matter": (ERROR, "a matter code not in the catalogue"),
    "unknown-fact": (ERROR, "a fact code not in the catalogue"),
    "unknown-authority": (ERROR, "an authority code that does not exist"),
    "unknown-part": (ERROR, "a part name that does not exist"),
    "unknown-line": (ERROR, "a business line not in the catalogue"),
    "unknown-list": (ERROR, "`supersedes` names a list that is not there"),
    "bad-value": (ERROR, "a value that does not fit its fact's type, bounds or enum"),
    "condition-too-large": (ERROR, "a condition compiles to more than the rules engine holds in one rule"),
    "duplicate-id": (ERROR, "an id used twice"),
    "part-mismatch": (ERROR, "a part file declares a different part than list.yaml gives it"),
    "part-outside": (ERROR, "a path in list.yaml (a `parts:` file, a document's `text`) leads outside the list's folder"),
    "outside-folder": (ERROR, "a list's own file (list.yaml, cases.yaml) is a link out of the list's folder; it is not read"),
    "office-decides": (ERROR, "an office item carries `decides`; the office decides nothing"),
    "contradiction": (ERROR, "two items on one matter with equivalent conditions assign different authorities"),
    "below-floor": (ERROR, "an item assigns less than a statutory floor that holds whenever the item matches"),
    "bad-dates": (ERROR, "a date that names no day (`2021-02-30`), or `effective_to` before `effective_from`"),
    "duplicate-list": (ERROR, "two lists with the same id"),
    "supersedes-cycle": (ERROR, "lists supersede each other in a cycle"),
    "overlapping-versions": (ERROR, "two versions of a list are in force on the same day"),
    "bad-delegation": (ERROR, "`delegable_to` on an item that is not the procurator-general's, or naming other than the deputy"),
    "bad-citation": (ERROR, "a basis that is not a citation of the form 《TITLE》第N条 (第M款, 第K项)"),
    "unknown-law": (ERROR, "a citation of a document the register of legal documents does not have"),
    "no-such-article": (ERROR, "a citation of an article above the document's highest article number"),
    "floor-sometimes": (WARNING, "a statutory floor raises the item in some of the situations where it matches"),
    "shadowed": (WARNING, "an item that can never decide anything: a higher item matches whenever it does"),
    "never-matches": (WARNING, "an item whose condition holds in no situation"),
    "always-forbidden": (WARNING, "an item that matches only where a statutory prohibition forbids the action: it grants no lawful power"),
    "missing-basis": (WARNING, "an item without a legal basis"),
    "missing-responsibility": (WARNING, "a prosecutor item without a responsibility statement"),
    "basis-not-in-force": (WARNING, "a cited document was not in force on the day the list takes effect"),
    "situations-bounded": (WARNING, "a matter reads too many facts to enumerate its situations whole"),
}


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place. `path` is a JSON pointer into the document (`/items/3/matter`)."""

    file: str
    line: int
    code: str
    message: str
    path: str = ""
    severity: Severity = field(default=ERROR)

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unregistered finding code {self.code!r}")

    def format(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        tag = "" if self.severity == ERROR else " (warning)"
        return f"{where}: {self.code}{tag}: {self.message}"

    def to_json(self) -> dict:
        return {"file": self.file, "line": self.line, "code": self.code, "severity": self.severity,
                "message": self.message, "path": self.path}


def finding(file: str, line: int, code: str, message: str, path: str = "") -> Finding:
    """A finding with the severity its code carries."""
    return Finding(file, line, code, message, path, CODES[code][0])


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`; did you mean `x`?` for the closest choice, or nothing when none is close."""
    close = closest(str(word), choices)
    return f"; did you mean `{close}`?" if close is not None else ""


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """What `difflib.get_close_matches(word, choices, n=1, cutoff)` answers, faster: `ratio()` (the
    costly measure) is taken in falling order of `quick_ratio()`, its upper bound, and only while that
    bound can still reach the best so far — a batch with many mistyped matter names among a hundred
    long ones spent most of its error handling here."""
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    bounds = []
    for x in choices:
        matcher.set_seq1(x)
        if matcher.real_quick_ratio() >= cutoff:
            q = matcher.quick_ratio()
            if q >= cutoff:
                bounds.append((q, x))
    bounds.sort(reverse=True)
    best = None  # (ratio, choice): the largest, as get_close_matches orders them
    for q, x in bounds:
        if best is not None and q < best[0]:
            break
        matcher.set_seq1(x)
        r = matcher.ratio()
        if r >= cutoff and (best is None or (r, x) > best):
            best = (r, x)
    return best[1] if best is not None else None


def pointer(path: Iterable) -> str:
    """A JSON pointer for a path of keys and indexes."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def errors(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == ERROR]
