"""The condition operators: one entry each, read by every module that handles a leaf.

A leaf `{fact: CODE, OP: VALUE}` is checked against its fact (`conditions.check_operand`), evaluated
(`conditions.evaluate` and `.compiled`), negated (`conditions.nnf`), compiled for durable-rules
(`backend`) and put in words (`present.words.leaf_words`). Each of those reads the operator's entry
here, so an operator is added, or changed, in one place (and in `schemas/common.schema.json`, which
editors read).

The semantics every entry keeps: a leaf on a fact the request lacks is unknown, except `exists`,
which reads only whether the fact is given; a boolean equals only a boolean (`1` is not `true`,
unlike Python's `==` and durable-rules' coercion); comparing values of different types is false.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Callable, Mapping

# --- what one rule of durable-rules holds (2.0.28, measured; shared/notes/durable-rules.md) ----------
# Each `$and` / `$or` in a rule takes two of the 32 places of the rule's expression sequence and the
# 32nd is refused (error 113): at most 15 in one condition. An alpha node keeps its children in a
# hash set of 512 slots: an `$or` of 513 tests of one field makes `create_ruleset` loop forever holding
# the GIL (Ctrl-C ignored), as 512 distinct first-level tests in one ruleset do. The backend shards a
# matter's rules into rulesets of at most RULE_TESTS tests, so one condition must fit in that many.
RULE_JUNCTIONS = 15
RULE_TESTS = 400
# An `in` / `not_in` list compiles to one test per value; where that is more than a rule holds, each
# run of RANGE_RUN or more consecutive integers compiles to one range instead (`$gte` and `$lte` under
# an `$and`): `in: [0, 1, ..., 599]` is then two tests, where 600 equalities would hang the engine. A
# range takes one of the 15 junctions, which is why it is not the first choice (`conditions.durable`).
RANGE_RUN = 8
_RANGE_LIMIT = 2 ** 62  # the engine reads integers as C longs (saturating): ranges stay well inside


@dataclass(frozen=True, eq=False)
class Operator:
    """One operator of the condition language.

    `holds(value, constant)` is the reference meaning, for a fact the request gives (for `exists`,
    `value` is whether it gives the fact). `compile(code, constant)` is the same leaf as a function
    of the facts alone, three-valued like `conditions.evaluate`, built once per leaf for the batch
    path. `durable(field, constant, ranges)` is the leaf in durable-rules' JSON form, for facts already
    type-checked against the catalogue (`ranges`: runs of consecutive integers in a list as ranges). `words[lang][style]` are templates with `{label}` (the fact's
    label), `{negative}` (a boolean fact's words for false: `present.words.negative_label`), `{stem}` (a
    count's label without 次数) and `{value}`; a pair is indexed by a truth: the
    leaf's value for the styles `presence` and `truth`, whether the list has more than one value for
    `list`. `present.words.leaf_words` picks the style from the fact's type.
    """

    name: str
    negation: str      # the operator of `not (fact OP value)`; `exists` negates by flipping its value
    operand: str       # "truth" (true/false), "one" (a value of the fact) or "list" (a list of them)
    ordered: bool      # compares order: only facts of an ordered type (integer, date)
    holds: Callable
    compile: Callable
    durable: Callable
    words: Mapping
    joiner: Mapping | None = None  # lang -> what joins the values of a list

    @property
    def presence(self) -> bool:
        """Whether the leaf reads only whether the fact is given (it is never unknown)."""
        return self.operand == "truth"


def same(v, c) -> bool:
    """Equality that does not let `1` equal `true` (Python's, and durable-rules', coercion)."""
    return v == c and isinstance(v, bool) == isinstance(c, bool)


# --- evaluation ------------------------------------------------------------------------------------

def _member(want: bool, listed: bool) -> Callable:
    """`compile` for is/eq/ne (`listed` False) and in/not_in: `want` is the answer for a member."""
    def compile(code, constant):
        choices = constant if listed else (constant,)
        # `same`: equal, and a boolean only equals a boolean
        bools = tuple(x for x in choices if isinstance(x, bool))
        others = tuple(x for x in choices if not isinstance(x, bool))

        def member(facts):
            v = facts.get(code)
            if v is None:
                return None
            if isinstance(v, bool):
                return (v in bools) == want
            for x in others:
                if v == x:
                    return want
            return not want
        return member
    return compile


def _ordered(compare: Callable) -> Callable:
    """`compile` for lt/lte/gt/gte: `compare(value, constant)`; values that do not compare are false."""
    def compile(code, constant):
        def ordered(facts):
            v = facts.get(code)
            if v is None:
                return None
            try:
                return compare(v, constant)
            except TypeError:
                return False
        return ordered
    return compile


def _presence(code, constant):
    return lambda facts: (facts.get(code) is not None) == constant


# --- durable-rules' form ---------------------------------------------------------------------------

def junction(kind: str, terms: list) -> dict:
    """`$and` / `$or` of some terms; a single term stands alone (each junction is one of 15)."""
    return terms[0] if len(terms) == 1 else {kind: terms}


def _runs(values) -> tuple:
    """A list's values as (the values tested one by one, the (low, high) runs of RANGE_RUN or more
    consecutive integers). Only integers make runs: an integer fact's values are type-checked
    integers, so `low <= v <= high` holds exactly for the run's members."""
    ints = sorted({v for v in values if type(v) is int and -_RANGE_LIMIT < v < _RANGE_LIMIT})
    ranges, covered, start = [], set(), 0
    for i in range(1, len(ints) + 1):
        if i == len(ints) or ints[i] != ints[i - 1] + 1:
            if i - start >= RANGE_RUN:
                ranges.append((ints[start], ints[i - 1]))
                covered.update(ints[start:i])
            start = i
    return tuple(v for v in values if type(v) is not int or v not in covered), tuple(ranges)


def _durable_in(field, values, ranges: bool) -> dict:
    # durable-rules has no $in (an array value is error 102): equal to one value, or within one run
    singles, runs = _runs(values) if ranges else (values, ())
    return junction("$or", [{field: v} for v in singles]
                    + [{"$and": [{"$gte": {field: low}}, {"$lte": {field: high}}]} for low, high in runs])


def _durable_not_in(field, values, ranges: bool) -> dict:
    singles, runs = _runs(values) if ranges else (values, ())
    return junction("$and", [{"$neq": {field: v}} for v in singles]
                    + [{"$or": [{"$lt": {field: low}}, {"$gt": {field: high}}]} for low, high in runs])


def _durable_compare(kind: str) -> Callable:
    return lambda field, constant, ranges: {kind: {field: constant}}


def _durable_equal(field, constant, ranges) -> dict:
    return {field: constant}


def _durable_presence(field, constant, ranges) -> dict:
    # `field` is the fact's companion field ("y"/"n"): `$ex`/`$nex` misjudge a field after a 0 (backend)
    return {field: "y" if constant else "n"}


def shape(expr) -> tuple:
    """(tests, junctions) of a condition in durable-rules' JSON form: what RULE_TESTS and RULE_JUNCTIONS
    bound."""
    if isinstance(expr, list):
        parts = [shape(e) for e in expr]
        return sum(t for t, _ in parts), sum(j for _, j in parts)
    tests = junctions = 0
    for key, value in expr.items():
        if key in ("$and", "$or"):
            t, j = shape(value)
            tests, junctions = tests + t, junctions + j + 1
        else:
            tests += 1
    return tests, junctions


# --- words -----------------------------------------------------------------------------------------

def _words(zh: dict, en: dict) -> Mapping:
    return MappingProxyType({"zh": MappingProxyType(zh), "en": MappingProxyType(en)})


_IS = _words({"truth": ("{negative}", "{label}"), "count": "{stem}{value}次", "integer": "{label}为{value}",
              "date": "{label}为{value}", "plain": "{label}为{value}"},
             {"truth": ("{negative}", "{label}"), "integer": "{label} is {value}", "date": "{label} is {value}",
              "plain": "{label} is {value}"})

# --- the table -------------------------------------------------------------------------------------

_TABLE = (
    Operator("is", "ne", "one", False, same, _member(True, False), _durable_equal, _IS),
    Operator("eq", "ne", "one", False, same, _member(True, False), _durable_equal, _IS),
    Operator("ne", "eq", "one", False, lambda v, c: not same(v, c), _member(False, False), _durable_compare("$neq"),
             _words({"truth": ("{label}", "{negative}"), "count": "{label}不是{value}次", "integer": "{label}不是{value}",
                     "date": "{label}不是{value}", "plain": "{label}不是{value}"},
                    {"truth": ("{label}", "{negative}"), "integer": "{label} is not {value}",
                     "date": "{label} is not {value}", "plain": "{label} is not {value}"})),
    Operator("in", "not_in", "list", False, lambda v, c: any(same(v, x) for x in c), _member(True, True), _durable_in,
             _words({"list": ("{label}为{value}", "{label}为{value}")},
                    {"list": ("{label} is {value}", "{label} is {value}")}),
             MappingProxyType({"zh": "或者", "en": " or "})),
    Operator("not_in", "in", "list", False, lambda v, c: not any(same(v, x) for x in c), _member(False, True),
             _durable_not_in,
             _words({"list": ("{label}不是{value}", "{label}不是{value}")},
                    {"list": ("{label} is not {value}", "{label} is neither {value}")}),
             MappingProxyType({"zh": "、", "en": " nor "})),
    Operator("lt", "gte", "one", True, lambda v, c: v < c, _ordered(lambda v, c: v < c), _durable_compare("$lt"),
             _words({"count": "{stem}不足{value}次", "integer": "{label}不足{value}", "date": "{label}早于{value}"},
                    {"integer": "{label} is less than {value}", "date": "{label} is before {value}"})),
    Operator("lte", "gt", "one", True, lambda v, c: v <= c, _ordered(lambda v, c: v <= c), _durable_compare("$lte"),
             _words({"count": "{stem}{value}次以下", "integer": "{label}为{value}以下", "date": "{label}在{value}或之前"},
                    {"integer": "{label} is at most {value}", "date": "{label} is on or before {value}"})),
    Operator("gt", "lte", "one", True, lambda v, c: v > c, _ordered(lambda v, c: v > c), _durable_compare("$gt"),
             _words({"count": "{stem}超过{value}次", "integer": "{label}超过{value}", "date": "{label}晚于{value}"},
                    {"integer": "{label} is more than {value}", "date": "{label} is after {value}"})),
    Operator("gte", "lt", "one", True, lambda v, c: v >= c, _ordered(lambda v, c: v >= c), _durable_compare("$gte"),
             _words({"count": "{stem}{value}次以上", "integer": "{label}为{value}以上", "date": "{label}在{value}或之后"},
                    {"integer": "{label} is at least {value}", "date": "{label} is on or after {value}"})),
    Operator("exists", "exists", "truth", False, lambda present, c: present == c, _presence,
             _durable_presence,
             _words({"presence": ("{label}不明", "{label}已查明")},
                    {"presence": ("{label} is not known", "{label} is known")})),
)

OPERATORS: dict[str, Operator] = {op.name: op for op in _TABLE}


def negated(op: str, value) -> tuple:
    """(operator, value) of `not (fact OP value)`."""
    entry = OPERATORS[op]
    return (op, not value) if entry.presence else (entry.negation, value)
