"""Every code quanze reports, in one registry: its severity, where it arises, what it means there.

The codes are a contract: tools filter on them, so a code once published keeps its meaning. Each code
is of one or more kinds, with a line saying what it means in each (an unknown matter is one in a list
and in a request alike; `too-large` is a document over the bound to `validate` and a body over the
bound to the server):

- `FINDING`: what `quanze validate` finds in lists, rules and `cases.yaml` files;
- `REQUEST`: why a request cannot be decided (`quanze decide`, the API), or a batch line is bad
  (`quanze check`, `quanze audit --replay`);
- `CHECK`: the publication checks `quanze audit` runs (`PUB-*`);
- `SERVER`: what only `quanze serve` answers (its HTTP status is the server's: `quanze.server.errors`);
- `LOG`: why the decision log cannot be opened, read or written.

The publication checks are listed here, not read from `rules/publication.yaml`: this registry says
which checks quanze can run (its code), the file says which of them a rules folder runs and with what
severity and words (its configuration, which an office may change). The severities here are those of
the shipped file, and the tests hold the two to each other. A rules folder that declares a check not
in this registry gets a finding saying it is not run.

docs/findings.md documents every code here, in the table of each of its kinds; the tests hold it to
this registry.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Mapping


class Severity(StrEnum):
    """How much a finding weighs: an error makes a list unusable, a warning does not. Each member is
    its string, so the JSON and the text of a finding are what they were with plain strings."""

    ERROR = "error"
    WARNING = "warning"


ERROR = Severity.ERROR
WARNING = Severity.WARNING

FINDING = "finding"
REQUEST = "request"
CHECK = "check"
SERVER = "server"
LOG = "log"
KINDS = (FINDING, REQUEST, CHECK, SERVER, LOG)


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity           # of a check: as the shipped publication.yaml declares it
    meanings: Mapping[str, str]  # kind -> what the code means there, in one line

    @property
    def kinds(self) -> frozenset:
        return frozenset(self.meanings)


def _code(code: str, severity: Severity, **meanings: str) -> Code:
    assert meanings and set(meanings) <= set(KINDS), code
    return Code(code, severity, MappingProxyType(meanings))


def _registry(*codes: Code) -> Mapping[str, Code]:
    out: dict = {}
    for c in codes:
        assert c.code not in out, c.code
        out[c.code] = c
    return MappingProxyType(out)


CODES: Mapping[str, Code] = _registry(
    # reading a file
    _code("unreadable", ERROR, finding="the file or folder cannot be read"),
    _code("too-large", ERROR, finding="the document is larger than the size bound",
          request="a line of a /v1/check body longer than the server takes (not parsed)",
          server="the body (or one line of a /v1/check body) is larger than the server takes"),
    _code("yaml-syntax", ERROR, finding="the YAML is malformed"),
    _code("duplicate-key", ERROR, finding="a mapping repeats a key"),
    _code("alias-limit", ERROR, finding="YAML aliases expand beyond the bound"),
    _code("too-deep", ERROR, finding="the document nests deeper than the bound"),
    # form, codes and values (in a list or rules file, and in a request)
    _code("unknown-key", ERROR, finding="a key the schema does not know (a misspelling?)",
          request="a key a request does not have"),
    _code("missing-key", ERROR, finding="a required key is absent", request="no `matter`"),
    _code("schema", ERROR, finding="the document does not fit its JSON Schema"),
    _code("unknown-matter", ERROR, finding="a matter code not in the catalogue",
          request="a matter code not in the catalogue (with a did-you-mean)"),
    _code("unknown-fact", ERROR, finding="a fact code not in the catalogue",
          request="a fact code not in the catalogue (with a did-you-mean)"),
    _code("unknown-authority", ERROR, finding="an authority code that does not exist",
          request="`actor` or `decided_by` names no authority"),
    _code("unknown-part", ERROR, finding="a part name that does not exist"),
    _code("unknown-line", ERROR, finding="a business line not in the catalogue"),
    _code("ambiguous-name", WARNING,
          finding="a Chinese name or alias the catalogue gives to two codes: typed, it is refused with both named"),
    _code("unknown-list", ERROR, finding="`supersedes` or `conforms_to` names a list that is not there",
          server="no list with that id is loaded"),
    _code("bad-value", ERROR, finding="a value that does not fit its fact's type, bounds or enum",
          request="a fact's value of the wrong type or out of its bounds, or a bad date",
          log="a bad `--since` / `--until` (or `since` / `until`): not a day or a UTC time"),
    _code("duplicate-id", ERROR, finding="an id used twice"),
    _code("condition-too-large", ERROR, finding="a condition compiles to more than the rules engine holds in one rule"),
    # a list's structure and versions
    _code("part-mismatch", ERROR, finding="a part file declares a different part than list.yaml gives it"),
    _code("part-outside", ERROR,
          finding="a path in list.yaml (a `parts:` file, a document's `text`) leads outside the list's folder"),
    _code("outside-folder", ERROR,
          finding="a list's own file (list.yaml, cases.yaml) is a link out of the list's folder; it is not read"),
    _code("office-decides", ERROR, finding="an office item carries `decides`; the office decides nothing"),
    _code("bad-dates", ERROR, finding="a date that names no day (`2021-02-30`), or `effective_to` before `effective_from`"),
    _code("duplicate-list", ERROR, finding="two lists with the same id"),
    _code("supersedes-cycle", ERROR, finding="lists supersede each other in a cycle"),
    _code("overlapping-versions", ERROR, finding="two versions of a list are in force on the same day"),
    _code("bad-upper-list", ERROR,
          finding="the upper list `conforms_to` names cannot bind this one: no version in force, "
                  "not of a higher level, a cycle, or it does not load"),
    _code("bad-delegation", ERROR,
          finding="`delegable_to` on an item that is not the procurator-general's, or naming other than the deputy"),
    # the legal basis an item or rule cites
    _code("bad-citation", ERROR, finding="a basis that is not a citation of the form 《TITLE》第N条 (第M款, 第K项)"),
    _code("unknown-law", ERROR, finding="a citation of a document the register of legal documents does not have"),
    _code("no-such-article", ERROR, finding="a citation of an article above the document's highest article number"),
    _code("basis-not-in-force", WARNING, finding="a cited document was not in force on the day the list takes effect"),
    # what an item means
    _code("contradiction", ERROR,
          finding="two items on one matter with equivalent conditions assign different authorities"),
    _code("below-floor", ERROR,
          finding="an item assigns less than a statutory floor that holds whenever the item matches"),
    _code("floor-sometimes", WARNING,
          finding="a statutory floor raises the item in some of the situations where it matches"),
    _code("below-upper-list", ERROR,
          finding="an item assigns less than the upper list (`conforms_to`) requires in every situation where it matches"),
    _code("upper-list-sometimes", WARNING,
          finding="the upper list requires more than an item assigns in some of the situations where it matches"),
    _code("not-in-lower-list", WARNING, finding="a matter the upper list covers that this list leaves to the default"),
    _code("shadowed", WARNING,
          finding="an item that can never decide anything: a higher item matches whenever it does"),
    _code("never-matches", WARNING, finding="an item whose condition holds in no situation, or a matter a reporting "
                                             "rule's scope names outside the business lines it names"),
    _code("always-forbidden", WARNING,
          finding="an item that matches only where a statutory prohibition forbids the action: it grants no lawful power"),
    _code("missing-basis", WARNING, finding="an item without a legal basis"),
    _code("missing-responsibility", WARNING, finding="a prosecutor item without a responsibility statement"),
    _code("missing-pg-responsibility", WARNING,
          finding="a procurator-general item without a responsibility statement (who decides answers for it: "
                  "谁决定谁负责 binds the procurator-general too)"),
    _code("situations-bounded", WARNING, finding="a matter reads too many facts to enumerate its situations whole"),
    _code("missing-english", WARNING,
          finding="a text with `zh` and no `en` (reported by `validate --strict` only: English output shows the Chinese)"),
    # a request, and a line of a batch
    _code("bad-json", ERROR, request="the body (or line) is not JSON"),
    _code("bad-encoding", ERROR, request="the body (or line) is not UTF-8"),
    _code("empty-line", ERROR, request="an empty body (or line)"),
    _code("bad-request", ERROR, request="not an object, or `facts` / `case` of the wrong kind"),
    _code("bad-vote", ERROR, request="an impossible or malformed committee vote"),
    _code("no-list-in-force", ERROR, request="no loaded list is in force on `on` (or today)"),
    _code("bad-row", ERROR, request="a CSV row that cannot be read, or with more or fewer cells than the header"),
    # publication checks (quanze audit)
    _code("PUB-VALID", ERROR, check="the list does not validate"),
    _code("PUB-BASIS", ERROR, check="an item states no legal basis"),
    _code("PUB-RESPONSIBILITY", ERROR, check="a prosecutor item states no responsibility, or an office item no duties"),
    _code("PUB-BASIS-FORM", ERROR,
          check="a basis is not a citation, or cites a document not in the register or an article it does not have"),
    _code("PUB-BASIS-IN-FORCE", WARNING, check="a cited document was not in force on the day the list takes effect"),
    _code("PUB-AMBIGUITY", ERROR, check="two items contradict each other"),
    _code("PUB-DEAD-ITEM", WARNING, check="an item can never decide anything, or a reporting rule never applies to a "
                                          "matter it names"),
    _code("PUB-FLOOR", ERROR, check="an item assigns less than the law requires"),
    _code("PUB-FLOOR-SOMETIMES", WARNING, check="the law raises an item in some situations"),
    _code("PUB-UPPER", ERROR, check="an item assigns less than the upper list (`conforms_to`) requires"),
    _code("PUB-UPPER-SOMETIMES", WARNING, check="the upper list requires a higher authority in some situations"),
    _code("PUB-NOT-IN-LOWER", WARNING, check="a matter the upper list covers has no item in this list"),
    _code("PUB-GAPS", WARNING, check="a business line the list covers has matters without any item"),
    _code("PUB-LOWERED", ERROR, check="an authority is lowered against the version in force with no `note` saying why"),
    _code("PUB-NEWLY-DELEGATED", WARNING,
          check="a matter the version in force left to the procurator-general now goes lower with no `note`"),
    _code("PUB-COUNTS", ERROR, check="the `counts:` of list.yaml differ from the items"),
    _code("PUB-CASES", ERROR, check="a case of the list's cases.yaml fails, or the file has an error"),
    _code("PUB-BOUNDED", ERROR, check="a matter whose situations could not be checked whole (validation or the exact impact)"),
    # the server (quanze serve) and the decision log
    _code("unauthorized", ERROR, server="no bearer token, or one the server does not know (`--tokens`)"),
    _code("not-found", ERROR, server="no such path"),
    _code("bad-method", ERROR, server="the path does not take that method"),
    _code("log-unavailable", ERROR, server="the decision log cannot be written: the decision is not given",
          request="a /v1/check line decided but not logged (the decision log cannot be written): no decision given",
          log="the decision log cannot be written: no decision is given"),
    _code("internal-error", ERROR, server="a bug in quanze: the server says so in one line and goes on"),
    _code("no-log", ERROR, log="the file named as a decision log does not exist (`quanze log`)"),
    _code("bad-log", ERROR, log="the file is not a quanze decision log, or cannot be read as one"),
)


def codes_of(kind: str) -> Mapping[str, Code]:
    """The codes of one kind, in the registry's order."""
    return MappingProxyType({c: entry for c, entry in CODES.items() if kind in entry.meanings})


def is_of(code: str, kind: str) -> bool:
    """Whether `code` is registered as a code of `kind`."""
    entry = CODES.get(code)
    return entry is not None and kind in entry.meanings


def severity(code: str) -> Severity:
    """The severity a registered code carries."""
    return CODES[code].severity
