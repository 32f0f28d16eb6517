"""Findings: what validation reports, each with its place, a stable code and a severity.

Every check in quanze yields `Finding`s instead of raising, so that a run reports everything
that is wrong at once (as python-jsonschema's `iter_errors` does). The codes and their severities are
registered in `quanze.codes`; a run's findings are a `Findings`, which splits errors from warnings.

A finding's message is a `Text`, in Chinese and English, written where the check finds the problem
(one message per place in the code, not one template per code: a code such as `schema` or
`unreadable` has many messages, each with its own parameters, and a sentence's word order differs in
the two languages). `Finding` refuses a message that is not a `Text` with both languages, so a new
check cannot report in one language only; tests/test_messages.py reads every finding the fixtures
give and holds the Chinese to be Chinese.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable

from .codes import ERROR, FINDING, WARNING, Severity, is_of, severity
from .model import Text
from .place import AtPlace, Place

__all__ = ["ERROR", "WARNING", "Severity", "Finding", "Findings", "Text", "closest", "did_you_mean", "finding",
           "pointer", "suggest"]

# The tag of a warning in a finding's line, in each language.
WARNING_TAG = {"zh": "（警告）", "en": " (warning)"}


@dataclass(frozen=True)
class Finding(AtPlace):
    """One problem at one place, with a registered code and the severity the code carries."""

    place: Place
    code: str
    message: Text
    severity: Severity = ERROR

    def __post_init__(self) -> None:
        if not is_of(self.code, FINDING):
            raise ValueError(f"unregistered finding code {self.code!r}")
        if not (isinstance(self.message, Text) and self.message.zh and self.message.en):
            raise ValueError(f"finding {self.code!r}: the message must be a Text in Chinese and English")

    # The place's pointer under the name of the finding's JSON (`path`; `file` and `line`: AtPlace).
    @property
    def path(self) -> str:
        return self.place.pointer

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def format(self, lang: str = "en") -> str:
        """`file:line: code: message`, the line `validate` prints (the code stays: it is what
        docs/findings.md explains and what a user searches for)."""
        tag = "" if self.severity == ERROR else WARNING_TAG[lang]
        return f"{self.place}: {self.code}{tag}: {self.message.get(lang)}"

    def to_json(self) -> dict:
        """The finding in JSON: `message` in English, as it has always been (tools that read it keep
        working whatever `--lang` says), and `message_zh`, the same in Chinese."""
        return {"file": self.place.file, "line": self.place.line, "code": self.code, "severity": self.severity,
                "message": self.message.en, "message_zh": self.message.zh, "path": self.place.pointer}


def finding(place: Place, code: str, message: Text) -> Finding:
    """A finding with the severity its code carries."""
    return Finding(place, code, message, severity(code))


class Findings(tuple):
    """The findings of a run, in the order found: read-only, and split by severity here, once, instead
    of by every caller (`errors` keep a list from deciding and make `validate` exit 1; `warnings`
    do neither)."""

    __slots__ = ()

    @property
    def errors(self) -> "Findings":
        return Findings(f for f in self if f.severity == ERROR)

    @property
    def warnings(self) -> "Findings":
        return Findings(f for f in self if f.severity != ERROR)

    @property
    def ok(self) -> bool:
        """No error (warnings allowed)."""
        return not any(f.severity == ERROR for f in self)

    def __add__(self, other) -> "Findings":
        return Findings(tuple(self) + tuple(other))

    def ordered(self) -> "Findings":
        """Each finding once, by file, line, code and message: the order `validate` reports them in."""
        return Findings(sorted(set(self), key=lambda f: (f.place.file, f.place.line, f.code, f.message.en)))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`; did you mean `x`?` for the closest choice, or nothing when none is close."""
    close = closest(str(word), choices)
    return f"; did you mean `{close}`?" if close is not None else ""


def suggest(word: str, choices: Iterable[str]) -> Text:
    """`did_you_mean` in both languages, to end a finding's message (empty when nothing is close)."""
    close = closest(str(word), choices)
    return Text(f"；是否应为 `{close}`？", f"; did you mean `{close}`?") if close is not None else Text("", "")


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

