"""Conditions: parsing them from YAML, checking their values against the catalogue, evaluating them.

A condition only ever compares a fact with constants, which is what makes the situation analysis
(`situations.py`) exact. Evaluation here is three-valued (Kleene): a leaf on a fact the request lacks
is unknown (None), and `all` / `any` / `not` propagate it. With negation pushed down to the leaves
(`nnf`), "true under Kleene" is exactly "true when every leaf on a missing fact is false", which is
what durable-rules computes for a missing field — the two paths agree by construction.

The durable-rules JSON form of a condition (`durable`) is built here too, without the engine, so that
parsing refuses (`condition-too-large`) what no form of it fits in one of the engine's rules.
"""
from __future__ import annotations

from typing import Mapping

from . import dates
from .findings import closest, suggest
from .messages import FACT, unknown
from .model import All, Any, Fact, Leaf, Not, Text
from .names import FACT as FACT_KIND
from .names import Names
from .operators import OPERATORS, RANGE_RUN, RULE_JUNCTIONS, RULE_TESTS, junction, negated, shape

ORDERED_TYPES = ("integer", "date")


def parse(raw, facts: Mapping, place, names: Names | None = None) -> tuple:
    """YAML form -> (Condition, [(path, code, message)]). `place` is the path of `raw` in its document.

    The schema has already fixed the shape; this checks fact codes and values. A leaf with an
    unknown fact or a bad value is still returned (so later checks can run), with a problem noted.
    With `names` (a list's conditions), a fact and an enum value may be written by its Chinese name
    or an alias and a boolean's value as 是/否: each is resolved to its code here, so the condition
    holds codes only; an unknown name's "did you mean" searches codes and names, and a name of two
    codes is refused naming both. Without (the statutory rules, the project's own), codes only.
    """
    problems: list = []
    cond = _parse(raw, facts, tuple(place), problems, names)
    if cond is not None and not problems:
        too_large = _too_large(_durable_forms(nnf(cond), str, str))
        if too_large:
            problems.append((tuple(place), "condition-too-large", Text(
                f"该条件编译后{too_large.zh}：请拆分条目，或简化条件（每个 `all`、`any` 以及含多个值的 `in`/`not_in` 各算一组）",
                f"the condition compiles to {too_large.en}: split the item, or simplify the condition "
                f"(each `all`, `any`, and `in`/`not_in` of several values is one group)")))
    return cond, problems


def _fits(expr) -> bool:
    tests, junctions = shape(expr)
    return tests <= RULE_TESTS and junctions <= RULE_JUNCTIONS


def _too_large(forms) -> Text | None:
    """Why none of a condition's durable-rules forms (`_durable_forms`) fits one rule; None if one does."""
    if any(_fits(expr) for expr in forms):
        return None
    sizes = []
    for expr in forms:
        tests, junctions = shape(expr)
        sizes.append(Text(f"含 {tests} 项检验", f"{tests} tests") if tests > RULE_TESTS
                     else Text(f"含 {junctions} 个 all/any 组", f"{junctions} all/any groups"))
    ways = sizes[0] if len(sizes) == 1 else Text(
        f"{sizes[0].zh}（把连续整数写作区间后仍{sizes[1].zh}）",
        f"{sizes[0].en} (or {sizes[1].en} with its runs of consecutive integers as ranges)")
    return Text(f"{ways.zh}，超出规则引擎一条条件所能容纳的上限（{RULE_TESTS} 项检验、{RULE_JUNCTIONS} 组）",
                f"{ways.en} for the rules engine, more than one condition may hold "
                f"({RULE_TESTS} tests and {RULE_JUNCTIONS} groups)")


def _parse(raw, facts, path, problems, names):
    if raw is None:
        return None
    if not isinstance(raw, dict):
        problems.append((path, "schema", Text("条件必须是映射", "a condition must be a mapping")))
        return None
    if "all" in raw:
        return All(tuple(_parse(t, facts, path + ("all", i), problems, names) for i, t in enumerate(raw["all"] or [])))
    if "any" in raw:
        return Any(tuple(_parse(t, facts, path + ("any", i), problems, names) for i, t in enumerate(raw["any"] or [])))
    if "not" in raw:
        return Not(_parse(raw["not"], facts, path + ("not",), problems, names))
    code = raw.get("fact")
    ops = [k for k in raw if k != "fact"]
    if not isinstance(code, str) or len(ops) != 1 or ops[0] not in OPERATORS:
        problems.append((path, "schema", Text("单项条件为 `{fact: CODE, OP: VALUE}`，OP 只能有一个，取 " + "、".join(OPERATORS) + " 之一",
                                              "a leaf is `{fact: CODE, OP: VALUE}` with one OP of " + ", ".join(OPERATORS))))
        return None
    op = ops[0]
    value = raw[op]
    if isinstance(value, list):
        value = tuple(value)
    if names is not None and code not in facts:
        found, problem = names.resolve(FACT_KIND, code)
        if problem is not None:
            problems.append((path + ("fact",), *problem))
            return Leaf(code, op, value)
        code = found
    fact = facts.get(code)
    if fact is None:
        problems.append((path + ("fact",), "unknown-fact", unknown(FACT, code) + suggest(code, facts)))
    else:
        if names is not None and OPERATORS[op].operand != "truth":
            value, ambiguous = _written(names, fact, value)
            if ambiguous:
                problems.extend((path + (op,), *p) for p in ambiguous)
                return Leaf(code, op, value)
        bad = check_operand(fact, op, value)
        for message in bad:
            problems.append((path + (op,), "bad-value", message))
        if not bad:
            too_large = _too_large(_durable_forms(Leaf(code, op, value), str, str))
            if too_large:
                problems.append((path + (op,), "condition-too-large", Text(
                    f"事实 `{code}` 上含 {len(value)} 个值的 `{op}` 编译后{too_large.zh}：请减少所列的值"
                    f"（连续 {RANGE_RUN} 个及以上的整数可写作一个区间）",
                    f"`{op}` of {len(value)} values on fact `{code}` compiles to {too_large.en}: "
                    f"list fewer values (a run of {RANGE_RUN} or more consecutive integers can be one range)")))
    return Leaf(code, op, value)


def _written(names: Names, fact: Fact, value) -> tuple:
    """A leaf's value (one, or a tuple for `in`/`not_in`) as a list writes it, resolved to the
    fact's values (`Names.written_value`), and the problems of names that say two values."""
    if not isinstance(value, tuple):
        found, problem = names.written_value(fact, value)
        return found, [problem] if problem else []
    out, problems = [], []
    for v in value:
        found, problem = names.written_value(fact, v)
        out.append(found)
        if problem:
            problems.append(problem)
    return tuple(out), problems


def check_operand(fact: Fact, op: str, value) -> list[Text]:
    """Why `{fact: ..., op: value}` does not fit the fact, as messages (empty when it fits)."""
    operator = OPERATORS[op]
    if operator.operand == "truth":
        return [] if isinstance(value, bool) else [Text(f"`{op}` 只取 true 或 false，不能是 `{value}`",
                                                        f"`{op}` takes true or false, not `{value}`")]
    if operator.ordered and fact.type not in ORDERED_TYPES:
        return [Text(f"`{op}` 比较大小先后；事实 `{fact.code}` 的类型为 {fact.type}，没有大小先后",
                     f"`{op}` compares order; fact `{fact.code}` is a {fact.type}, which has none")]
    if operator.operand == "list":
        if not isinstance(value, tuple):
            return [Text(f"`{op}` 取一组值（列表）", f"`{op}` takes a list of values")]
        return [m for v in value for m in check_value(fact, v)]
    if isinstance(value, tuple):
        return [Text(f"`{op}` 只取一个值，不能是列表", f"`{op}` takes one value, not a list")]
    return check_value(fact, value)


def check_value(fact: Fact, value) -> list[Text]:
    """Why `value` is not a value of `fact` (type, enum, bounds), as messages."""
    t = fact.type
    if t == "boolean":
        return [] if isinstance(value, bool) else [_is_not(fact, Text("是或否", "true or false"), value)]
    if t == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            return [_is_not(fact, Text("整数", "an integer"), value)]
        if fact.min is not None and value < fact.min:
            return [_is_not(fact, Text(f"不小于 {fact.min}", f"at least {fact.min}"), value)]
        if fact.max is not None and value > fact.max:
            return [_is_not(fact, Text(f"不大于 {fact.max}", f"at most {fact.max}"), value)]
        return []
    if t == "enum":
        if value in fact.values:
            return []
        return [Text(f"`{_show(value)}` 不是事实 `{fact.code}` 的取值（{'、'.join(f'`{v}`' for v in fact.values)}）",
                     f"`{_show(value)}` is not a value of fact `{fact.code}` ({', '.join(fact.values)})")
                + _suggest_value(fact, value)]
    if t == "date":
        if dates.day(value) is not None:
            return []
        return [_is_not(fact, Text("日期（YYYY-MM-DD）", "a date (YYYY-MM-DD)"), value)]
    return [] if isinstance(value, str) else [_is_not(fact, Text("文本", "a text"), value)]


def _suggest_value(fact: Fact, value) -> Text:
    """"Did you mean" over an enum fact's values and their Chinese names (判快 → `judgment`（判决）)."""
    spellings = {v: v for v in fact.values}
    for v in fact.values:
        label = fact.value_labels.get(v)
        if label is not None:
            spellings.setdefault(label.zh, v)
    near = closest(str(value), spellings)
    if near is None:
        return Text("", "")
    found = spellings[near]
    label = fact.value_labels.get(found)
    if label is None or label.zh == found:
        return suggest(found, (found,))
    return Text(f"；是否应为 `{found}`（{label.zh}）？", f"; did you mean `{found}` (「{label.zh}」)?")


def _is_not(fact: Fact, what: Text, value) -> Text:
    """`fact `x` is an integer, not `y``."""
    return Text(f"事实 `{fact.code}` 应为{what.zh}，不能是 `{_show(value)}`",
                f"fact `{fact.code}` is {what.en}, not `{_show(value)}`")


def _show(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def facts_read(cond) -> list:
    """The fact codes a condition reads, in first-appearance order."""
    out: dict = {}
    _walk_facts(cond, out)
    return list(out)


def _walk_facts(cond, out):
    if isinstance(cond, Leaf):
        out.setdefault(cond.fact, None)
    elif isinstance(cond, (All, Any)):
        for t in cond.terms:
            _walk_facts(t, out)
    elif isinstance(cond, Not):
        _walk_facts(cond.term, out)


def leaves(cond):
    """Every leaf of a condition."""
    if isinstance(cond, Leaf):
        yield cond
    elif isinstance(cond, (All, Any)):
        for t in cond.terms:
            yield from leaves(t)
    elif isinstance(cond, Not):
        yield from leaves(cond.term)


def evaluate(cond, facts: dict):
    """Kleene evaluation: True, False, or None (unknown, a missing fact decides it). None cond is True."""
    if cond is None:
        return True
    if isinstance(cond, Leaf):
        return _leaf(cond, facts)
    if isinstance(cond, (All, Any)):
        # `all` stops at the first false term, `any` at the first true one; an unknown term makes the
        # result unknown unless a later term stops it
        result: bool | None
        stop, result = (False, True) if isinstance(cond, All) else (True, False)
        for t in cond.terms:
            v = evaluate(t, facts)
            if v is stop:
                return stop
            if v is None:
                result = None
        return result
    if isinstance(cond, Not):
        v = evaluate(cond.term, facts)
        return None if v is None else not v
    raise TypeError(f"not a condition: {cond!r}")


def _leaf(leaf: Leaf, facts: dict):
    operator = OPERATORS[leaf.op]
    v = facts.get(leaf.fact)
    if operator.presence:
        return operator.holds(v is not None, leaf.value)
    if v is None:
        return None
    try:
        return operator.holds(v, leaf.value)
    except TypeError:
        return False


def nnf(cond, negate: bool = False):
    """Negation normal form: `not` pushed onto the leaves and absorbed into their operators."""
    if cond is None:
        return None
    if isinstance(cond, Leaf):
        return Leaf(cond.fact, *negated(cond.op, cond.value)) if negate else cond
    if isinstance(cond, Not):
        return nnf(cond.term, not negate)
    terms = tuple(nnf(t, negate) for t in cond.terms)
    if isinstance(cond, All):
        return Any(terms) if negate else All(terms)
    return All(terms) if negate else Any(terms)


def durable(cond, field=str, presence=str):
    """A condition in durable-rules' JSON form (None for none), after negation normal form: the rules
    the backend builds, and what `parse` measures against the engine's bounds (`operators.RULE_TESTS`,
    `.RULE_JUNCTIONS`). One test per listed value where that fits; else runs of consecutive integers as
    ranges. `field(code)` and `presence(code)` name the fields a fact is asserted in."""
    if cond is None:
        return None
    forms = _durable_forms(nnf(cond), field, presence)
    return next((expr for expr in forms if _fits(expr)), forms[-1])


def _durable_forms(cond, field, presence) -> list:
    """The forms `durable` chooses from, in order of preference: a value per test, then with ranges
    (only where some list has a run to make one)."""
    plain = _durable(cond, field, presence, False)
    if _fits(plain):
        return [plain]
    ranged = _durable(cond, field, presence, True)
    return [plain] if ranged == plain else [plain, ranged]


def _durable(cond, field, presence, ranges: bool):
    if cond is None:
        return None
    if isinstance(cond, Leaf):
        operator = OPERATORS[cond.op]
        return operator.durable(presence(cond.fact) if operator.presence else field(cond.fact), cond.value, ranges)
    return junction("$and" if isinstance(cond, All) else "$or", [_durable(t, field, presence, ranges) for t in cond.terms])


def compiled(cond):
    """`evaluate` as a function of the facts alone: the same Kleene answers, without dispatching on
    the condition's shape at every call (the batch path classifies many requests per matter)."""
    if cond is None:
        return _always
    if isinstance(cond, Leaf):
        return OPERATORS[cond.op].compile(cond.fact, cond.value)
    if isinstance(cond, Not):
        term = compiled(cond.term)

        def not_(facts):
            v = term(facts)
            return None if v is None else not v
        return not_
    if not isinstance(cond, (All, Any)):
        raise TypeError(f"not a condition: {cond!r}")
    terms = tuple(compiled(t) for t in cond.terms)
    # `all` stops at the first false term, `any` at the first true one; an unknown term makes the
    # result unknown unless a later term stops it
    stop, empty = (False, True) if isinstance(cond, All) else (True, False)

    def junction(facts):
        result = empty
        for t in terms:
            v = t(facts)
            if v is stop:
                return stop
            if v is None:
                result = None
        return result
    return junction


def _always(facts):
    return True
