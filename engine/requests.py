"""Requests: the external form of a question (a dict, CLI options, a CSV row) checked into a `Request`.

Facts are typed by the catalogue here, before anything reaches the engine: durable-rules would
compare `"9"` with `10000` as strings and `1` with `true` as equal. Every problem is a `RequestError`
with a stable code and, for unknown names, a "did you mean".
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

from . import dates
from .conditions import check_value
from .errors import QuanzeError
from . import messages
from .findings import suggest
from .messages import unknown
from .model import AUTHORITIES, Catalogue, Text
from .names import AUTHORITY, FACT, FALSE_WORDS, MATTER, TRUE_WORDS, names_of
_AUTHORITY_CODES = frozenset(AUTHORITIES)
REQUEST_KEYS = ("matter", "actor", "facts", "on", "vote", "decided_by", "case")
VOTE_KEYS = ("members", "present", "in_favour", "procurator_general_dissents")
CASE_TYPES = (str, int)  # what a request's `case` may be
# A whole number as text: ASCII digits only. `int()` also reads `１１`, `٢`, `1_000` and `+2`, which no
# one types as a count by intent and which would pass unnoticed.
WHOLE = re.compile(r"-?[0-9]+", re.ASCII)
FACTS_OBJECT = Text("`facts`（事实）应为一个对象：事实代码或名称对应取值", "`facts` is an object of fact code to value")


class RequestError(QuanzeError, ValueError):
    """A request that cannot be decided: `code` is registered (quanze.codes), the message one line. A
    bad row of an action file also carries its `case` and its request `cells`, for its output line."""

    code: str  # always given
    case: object = None
    cells: dict | None = None

    def __init__(self, code: str, message: str | Text):
        super().__init__(message, code)


@dataclass(frozen=True)
class Vote:
    members: int
    present: int
    in_favour: int
    procurator_general_dissents: bool = False


@dataclass(frozen=True)
class Request:
    matter: str
    facts: tuple = ()  # sorted (code, value) pairs
    actor: str | None = None
    on: str | None = None
    vote: Vote | None = None
    decided_by: str | None = None
    case: object = None

    @property
    def fact_dict(self) -> dict:
        return dict(self.facts)


def parse_request(raw, catalogue: Catalogue) -> Request:
    """Check a request given as a dict (JSON, YAML or assembled from options)."""
    return RequestParser(catalogue).parse(raw)


class RequestParser:
    """The checks of a request, one per key, for one catalogue: `parse` applies them in order and
    raises the first problem. They are the one definition of a valid request: the batch memo
    (`quanze.batch.memo`) calls the same methods on each value it has not seen pass, so it can never
    take a request `parse` refuses. A matter, an authority, a fact or an enum value may be given by
    its code or by a name a person types (its Chinese name or an alias: `quanze.names`); each method
    returns the code. An unknown name's "did you mean" (a search among a hundred matters and their
    names) is found once per name and kept: a batch may repeat one mistyped name on many lines."""

    HINTS = 10_000  # most "did you mean"s kept

    def __init__(self, catalogue: Catalogue):
        self.catalogue = catalogue
        self.names = names_of(catalogue)
        self._hints: dict = {}

    def parse(self, raw) -> Request:
        if not isinstance(raw, dict):
            raise RequestError("bad-request", Text(
                "请求应为一个对象：有 `matter`，可选 `actor`、`facts`、`on`、`vote`、`decided_by`、`case`",
                "a request is an object with `matter`, and optionally `actor`, `facts`, `on`, `vote`, `decided_by`, "
                "`case`"))
        for key in raw:
            self.key(key)
        matter = self.matter(raw.get("matter"))
        actor = self.authority(raw.get("actor"), "actor")
        decided_by = self.authority(raw.get("decided_by"), "decided_by")
        facts = self.facts(raw.get("facts"))
        on = self.on(raw.get("on"))
        vote = self.vote(raw.get("vote"))
        case = self.case(raw.get("case"))
        return Request(matter, tuple(sorted(facts.items())), actor, on, vote, decided_by, case)

    def key(self, key) -> None:
        if key not in REQUEST_KEYS:
            raise RequestError("unknown-key", Text(f"未知的请求键 `{key}`", f"unknown request key `{key}`")
                               + self._hint("key", key, REQUEST_KEYS))

    def matter(self, value) -> str:
        """The code of the matter given (by its code or a name)."""
        if not isinstance(value, str) or not value:
            raise RequestError("missing-key", Text("请求没有 `matter`（事项）", "the request has no `matter`"))
        if value in self.catalogue.matters:
            return value
        code, problem = self._code(MATTER, value, unknown(messages.MATTER, value))
        if problem:
            raise RequestError("unknown-matter", problem)
        return code

    def authority(self, value, key: str):
        """The code of the authority given (by its code or a name), None for none."""
        if value is None or (value.__class__ is str and value in _AUTHORITY_CODES):
            return value
        code, problem = self._code(AUTHORITY, value, Text(f"`{key}`：", f"`{key}`: ")
                                   + unknown(messages.AUTHORITY, value))
        if problem:
            raise RequestError("unknown-authority", problem)
        return code

    def facts(self, value) -> dict:
        """The facts given, by code, typed and checked; a fact given as null is left out."""
        facts = value or {}
        if not isinstance(facts, dict):
            raise RequestError("bad-request", FACTS_OBJECT)
        typed = {}
        for name, v in facts.items():
            code = self.fact_code(name)
            if code in typed or (code != name and code in facts):
                raise RequestError("bad-request", Text(f"事实 `{code}` 给出了两次（一次为 `{name}`，一次用了另一个名称）",
                                                       f"fact `{code}` is given twice (as `{name}` and by another name)"))
            v = self.fact(code, v)
            if v is not None:
                typed[code] = v
        return typed

    def fact_code(self, name) -> str:
        """The code of the fact given (by its code or a name)."""
        if name in self.catalogue.facts:
            return name
        code, problem = self._code(FACT, name, unknown(messages.FACT, name))
        if problem:
            raise RequestError("unknown-fact", problem)
        return code

    def fact(self, code, value):
        """The value of fact `code` (a code or a name) given as `value`, if valid: an enum value may be
        given by its Chinese name; None (no value) for null."""
        fact = self.catalogue.facts.get(code)
        if fact is None:
            fact = self.catalogue.facts[self.fact_code(code)]
        if value is None:
            return None
        if fact.type == "enum" and value not in fact.values:
            value = self.names.value(fact.code, value)
        problems = check_value(fact, value)
        if problems:
            raise RequestError("bad-value", problems[0])
        return value

    def on(self, value) -> str | None:
        return parse_date(value, "on") if value is not None else None

    def vote(self, value) -> Vote | None:
        return parse_vote(value)

    def case(self, value):
        if value is not None and not isinstance(value, CASE_TYPES):
            raise RequestError("bad-request", Text("`case`（案号）应为文字或数字", "`case` is a text or a number"))
        return value

    def _code(self, kind: str, word, unknown: Text) -> tuple:
        """(the one code of `kind` that `word` names, None); else (None, why not): `unknown` with a "did
        you mean" over codes and names, or every code an ambiguous name stands for."""
        table = self.names.table(kind)
        found = table.find(word)
        if len(found) == 1:
            return found[0], None
        if found:
            return None, Text(f"`{word}` 是" + "和".join(table.display(c, "zh") for c in found) + "共用的名称：请给出代码",
                              f"`{word}` names " + " and ".join(table.display(c) for c in found) + ": give the code")
        return None, unknown + self._hint(kind, word)

    def _hint(self, kind: str, word, choices=None) -> Text:
        key = (kind, str(word))
        found = self._hints.get(key)
        if found is None:
            found = suggest(str(word), choices) if choices is not None else self.names.table(kind).hint(word)
            if len(self._hints) >= self.HINTS:
                self._hints.clear()
            self._hints[key] = found
        return found


def parse_date(value, what: str) -> str:
    """A request's day (`on`, `--on`) as `YYYY-MM-DD`; anything else, `yesterday` or `2021-13-45`, is
    a `bad-value` (the one date parser: `quanze.dates`)."""
    if isinstance(value, datetime.date):
        return value.isoformat()[:10]
    found = dates.day(value)
    if found is None:
        raise RequestError("bad-value", Text(f"`{what}`：`{value}` 不是日期（YYYY-MM-DD）",
                                             f"`{what}`: `{value}` is not a date (YYYY-MM-DD)"))
    return found.isoformat()


def whole_number(text: str) -> int | None:
    """The integer `text` writes in ASCII digits (an optional `-`), else None."""
    t = text.strip()
    return int(t) if WHOLE.fullmatch(t) else None


def parse_vote(raw) -> Vote | None:
    """A vote from `{members, present, in_favour, procurator_general_dissents}`; impossible votes refused."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise RequestError("bad-vote", Text("`vote`（表决）应为一个对象，有 `members`、`present`、`in_favour`",
                                            "`vote` is an object with `members`, `present`, `in_favour`"))
    for key in raw:
        if key not in VOTE_KEYS:
            raise RequestError("bad-vote", Text(f"未知的表决键 `{key}`", f"unknown vote key `{key}`")
                               + suggest(key, VOTE_KEYS))
    nums = {}
    for key in VOTE_KEYS[:3]:
        v = raw.get(key)
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise RequestError("bad-vote", Text(f"表决的 `{key}` 应为不小于 0 的整数，不能是 `{v}`",
                                                f"vote `{key}` must be a whole number ≥ 0, not `{v}`"))
        nums[key] = v
    dissent = raw.get("procurator_general_dissents", False)
    if not isinstance(dissent, bool):
        raise RequestError("bad-vote", Text("表决的 `procurator_general_dissents` 应为 true 或 false",
                                            "vote `procurator_general_dissents` is true or false"))
    return check_vote(Vote(nums["members"], nums["present"], nums["in_favour"], dissent))


def check_vote(vote: Vote) -> Vote:
    if vote.members < 1:
        raise RequestError("bad-vote", Text("检察委员会至少有一名委员", "a committee has at least one member"))
    if vote.members % 2 == 0:
        raise RequestError("bad-vote", Text(f"检察委员会委员人数应为单数（组织法第三十条），不能是 {vote.members}",
                                            f"a procuratorial committee has an odd number of members (组织法第三十条), "
                                            f"not {vote.members}"))
    if vote.present > vote.members:
        raise RequestError("bad-vote", Text(f"不可能的表决：委员 {vote.members} 人，出席 {vote.present} 人",
                                            f"impossible vote: {vote.present} present of {vote.members} members"))
    if vote.in_favour > vote.present:
        raise RequestError("bad-vote", Text(f"不可能的表决：出席 {vote.present} 人，赞成 {vote.in_favour} 人",
                                            f"impossible vote: {vote.in_favour} in favour of {vote.present} present"))
    return vote


def vote_from_text(text: str, dissent: bool = False) -> Vote:
    """`11:7:5` = members:present:in_favour."""
    numbers = [whole_number(p) for p in text.split(":")]
    counts = [n for n in numbers if n is not None and n >= 0]
    if len(numbers) != 3 or len(counts) != 3:
        raise RequestError("bad-vote", Text(f"--vote 的格式是 委员数:出席数:赞成数（MEMBERS:PRESENT:IN_FAVOUR），"
                                            f"如 11:7:5，不能是 `{text}`",
                                            f"--vote takes MEMBERS:PRESENT:IN_FAVOUR, e.g. 11:7:5, not `{text}`"))
    m, p, y = counts
    return check_vote(Vote(m, p, y, dissent))


def fact_code(catalogue: Catalogue, name: str) -> str:
    """The code of a fact typed by its code or a name (`--fact`, a CSV header): the parser's check."""
    return parser_of(catalogue).fact_code(name)


@lru_cache(maxsize=16)
def parser_of(catalogue: Catalogue) -> RequestParser:
    """A request parser for `catalogue`, kept: where values are typed one at a time (options, cells)."""
    return RequestParser(catalogue)


def coerce_fact(catalogue: Catalogue, code: str, text: str):
    """A fact value typed from text (`--fact K=V`, a CSV cell, an `--ask` answer): `2`,
    `true`/`false`/`是`/`否`, an enum value by its code or its Chinese name (判决 for `judgment`).
    `code` is a fact's code or name."""
    fact = catalogue.facts.get(code) or catalogue.facts[fact_code(catalogue, code)]
    code = fact.code
    t = text.strip()
    if fact.type == "boolean":
        low = t.lower()
        if low in TRUE_WORDS:
            return True
        if low in FALSE_WORDS:
            return False
        raise RequestError("bad-value", Text(f"事实 `{code}` 应为是或否（true/false），不能是 `{text}`",
                                             f"fact `{code}` is true or false (是/否), not `{text}`"))
    value: int | str | None
    if fact.type == "integer":
        value = whole_number(t)
        if value is None:
            raise RequestError("bad-value", Text(f"事实 `{code}` 应为整数，不能是 `{text}`",
                                                 f"fact `{code}` is an integer, not `{text}`"))
    elif fact.type == "enum":
        value = names_of(catalogue).value(code, t)
    else:
        value = t
    problems = check_value(fact, value)
    if problems:
        raise RequestError("bad-value", problems[0])
    return value
