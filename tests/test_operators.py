"""The operator table (`quanze.operators`): each operator is one entry that every module reads, so these
tests hold each entry's parts to each other — its negation to its meaning, its words to the wording
the documents have always used, and the table to the JSON Schema that editors check lists with."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from quanze.present.words import leaf_words
from quanze.conditions import evaluate, nnf
from quanze.model import Fact, Leaf, Not, Text
from quanze.operators import OPERATORS, negated

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"

# values of every type a fact may be given, and some no fact has (`compiled`/`evaluate` must not care)
VALUES = [True, False, 0, 1, 2, 3, -1, "a", "b", "2021-01-01", "2021-06-30", 2.5, None]
CONSTANTS = {"one": [True, False, 0, 2, "a", "2021-01-01"], "list": [(0,), (0, 2), ("a", "b"), (True,), (False, 1)],
             "truth": [True, False]}


def test_the_schema_offers_exactly_the_operators_of_the_table():
    schema = json.loads((SCHEMAS / "common.schema.json").read_text(encoding="utf-8"))
    leaf_keys = set(schema["$defs"]["condition"]["properties"]) - {"all", "any", "not", "fact"}
    assert leaf_keys == set(OPERATORS)


@pytest.mark.parametrize("op", list(OPERATORS))
def test_the_negation_of_each_operator_is_its_kleene_complement(op):
    """`not (fact OP c)` pushed onto the leaf (`nnf`, the backend's form) answers what `not` does, for
    every value of the constant's type (facts are type-checked before they meet a condition; a value
    that does not compare with the constant, `"a" < 2`, makes an order comparison and its negation both
    false)."""
    operator = OPERATORS[op]
    for constant in CONSTANTS[operator.operand]:
        leaf = Leaf("x", op, constant)
        flipped = Leaf("x", *negated(op, constant))
        assert nnf(Not(leaf)) == flipped
        for value in VALUES:
            facts = {} if value is None else {"x": value}
            v = evaluate(leaf, facts)
            assert operator.compile("x", constant)(facts) is v, (leaf, facts)
            if operator.ordered and value is not None and type(value) is not type(constant):
                continue
            assert evaluate(flipped, facts) is (None if v is None else not v), (leaf, flipped, facts)


@pytest.mark.parametrize("op", list(OPERATORS))
def test_every_operator_has_words_in_both_languages(op):
    words = OPERATORS[op].words
    assert set(words) == {"zh", "en"}
    assert words["zh"].keys() - {"count"} == words["en"].keys()  # `count` (…次) is Chinese only
    if OPERATORS[op].operand == "list":
        assert set(OPERATORS[op].joiner) == {"zh", "en"}


@pytest.fixture(scope="module")
def wide_catalogue(catalogue):
    """The catalogue with a date, a text and a plain integer fact beside its own."""
    facts = dict(catalogue.facts)
    facts["received_on"] = Fact("received_on", "date", Text("收案日期？", "received?"), Text("收案日期", "the date received"))
    facts["party_name"] = Fact("party_name", "string", Text("当事人？", "party?"), Text("当事人", "the party"))
    facts["people"] = Fact("people", "integer", Text("人数？", "people?"), Text("人数", "the number of people"))
    facts["sealed"] = Fact("sealed", "boolean", Text("案卷是否已封存？", "sealed?"), Text("案卷已封存", "the file is sealed"))
    facts["heard"] = Fact("heard", "boolean", Text("是否已经听证？", "heard?"), Text("已经听证", "a hearing was held"),
                          label_false=Text("未经听证"))
    return dataclasses.replace(catalogue, facts=facts)


# The wording of every operator in every style, as the documents have printed it (pinned: a change to
# the table that changes what a published list says must be deliberate).
WORDS = [
    ("case_is_major_or_complex", "is", True, False, "案件重大、复杂", "the case is major or complex"),
    ("case_is_major_or_complex", "is", False, False, "案件不属于重大、复杂案件", "the case is neither major nor complex"),
    ("case_is_major_or_complex", "ne", True, False, "案件不属于重大、复杂案件", "the case is neither major nor complex"),
    ("case_is_major_or_complex", "eq", True, True, "案件不属于重大、复杂案件", "the case is neither major nor complex"),
    ("case_is_major_or_complex", "ne", False, True, "案件不属于重大、复杂案件", "the case is neither major nor complex"),
    ("case_is_major_or_complex", "in", (False,), False, "案件不属于重大、复杂案件", "the case is neither major nor complex"),
    ("case_is_major_or_complex", "not_in", (True,), False, "案件不属于重大、复杂案件",
     "the case is neither major nor complex"),
    ("case_is_major_or_complex", "in", (True,), True, "案件不属于重大、复杂案件", "the case is neither major nor complex"),
    ("case_is_major_or_complex", "not_in", (False,), False, "案件重大、复杂", "the case is major or complex"),
    ("case_is_major_or_complex", "in", (True, False), False, "案件重大、复杂已查明", "the case is major or complex is known"),
    # a boolean fact without `label_false`: its label quoted, so that the negation's reach shows
    ("sealed", "is", False, False, "并非「案卷已封存」", "not (the file is sealed)"),
    ("sealed", "ne", True, False, "并非「案卷已封存」", "not (the file is sealed)"),
    ("sealed", "is", True, True, "并非「案卷已封存」", "not (the file is sealed)"),
    ("sealed", "is", False, True, "案卷已封存", "the file is sealed"),
    # `label_false` in Chinese only, the label in both: English negates the English label
    ("heard", "is", False, False, "未经听证", "not (a hearing was held)"),
    ("heard", "is", True, False, "已经听证", "a hearing was held"),
    ("case_is_major_or_complex", "exists", True, False, "案件重大、复杂已查明", "the case is major or complex is known"),
    ("case_is_major_or_complex", "exists", True, True, "案件重大、复杂不明", "the case is major or complex is not known"),
    ("prior_supplementary_returns", "eq", 2, False, "已退回补充侦查（调查）二次",
     "the number of prior returns for supplementary investigation is 2"),
    ("prior_supplementary_returns", "ne", 12, False, "已退回补充侦查（调查）的次数不是12次",
     "the number of prior returns for supplementary investigation is not 12"),
    ("prior_supplementary_returns", "lt", 2, False, "已退回补充侦查（调查）不足二次",
     "the number of prior returns for supplementary investigation is less than 2"),
    ("prior_supplementary_returns", "lt", 2, True, "已退回补充侦查（调查）二次以上",
     "the number of prior returns for supplementary investigation is at least 2"),
    ("prior_supplementary_returns", "lte", 1, False, "已退回补充侦查（调查）一次以下",
     "the number of prior returns for supplementary investigation is at most 1"),
    ("prior_supplementary_returns", "gt", 1, False, "已退回补充侦查（调查）超过一次",
     "the number of prior returns for supplementary investigation is more than 1"),
    ("prior_supplementary_returns", "in", (0, 3), False, "已退回补充侦查（调查）的次数为0或者3",
     "the number of prior returns for supplementary investigation is 0 or 3"),
    ("people", "gte", 3, False, "人数为三以上", "the number of people is at least 3"),
    ("people", "lte", 12, False, "人数为12以下", "the number of people is at most 12"),
    ("people", "gt", 0, True, "人数为零以下", "the number of people is at most 0"),
    ("received_on", "lt", "2021-01-01", False, "收案日期早于2021-01-01", "the date received is before 2021-01-01"),
    ("received_on", "lte", "2021-01-01", False, "收案日期在2021-01-01或之前", "the date received is on or before 2021-01-01"),
    ("received_on", "gt", "2021-01-01", False, "收案日期晚于2021-01-01", "the date received is after 2021-01-01"),
    ("received_on", "gte", "2021-01-01", False, "收案日期在2021-01-01或之后", "the date received is on or after 2021-01-01"),
    ("received_on", "ne", "2021-01-01", False, "收案日期不是2021-01-01", "the date received is not 2021-01-01"),
    ("case_source", "eq", "other", False, "案件来源为其他机关移送", "the source of the case is transferred by another body"),
    ("case_source", "in", ("other",), True, "案件来源不是其他机关移送",
     "the source of the case is not transferred by another body"),
    ("case_source", "not_in", ("other", "public_security"), False, "案件来源不是其他机关移送、公安机关移送",
     "the source of the case is neither transferred by another body nor transferred by a public security organ"),
    ("party_name", "ne", "x", True, "当事人为x", "the party is x"),
]


@pytest.mark.parametrize("code, op, value, negate, zh, en", WORDS)
def test_leaf_words_read_the_table(wide_catalogue, code, op, value, negate, zh, en):
    leaf = Leaf(code, op, value)
    assert leaf_words(leaf, wide_catalogue, "zh", negate) == zh
    assert leaf_words(leaf, wide_catalogue, "en", negate) == en


def test_the_words_cover_every_operator():
    assert {op for _, op, *_ in WORDS} == set(OPERATORS)
