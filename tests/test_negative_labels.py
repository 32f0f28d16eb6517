"""A false boolean fact in words: its own negative label (`label_false`: 案件没有社会影响), or its label
quoted under 并非 (并非「案件有社会影响」) where it has none — so that in a situation of several facts
joined by "，" a reviewer can tell how far a negation reaches. Every path that words a false boolean
(`is: false`, `ne: true`, `not:`, `in`/`not_in`, a situation, a union of situations) says the same;
a negative label typed as the fact's name is refused, never read as the fact (it would invert it)."""
from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

import cli
from quanze.catalogue import load_catalogue
from quanze.conditions import parse
from quanze.model import Leaf, Text
from quanze.names import names_of
from quanze.present.words import (ALTERNATIVES, FACTORS, condition_words, cubes_words, leaf_words, situation_words,
                                  when_words)

from .paths import LISTS, RULES

XJ2019, XJ2021, COUNTY = (str(Path(LISTS) / n) for n in ("xj-2019", "xj-2021", "xj-county-2022"))
LANGS = ("zh", "en")


def _negated(catalogue):
    return [f for f in catalogue.facts.values() if f.type == "boolean" and f.label_false is not None]


def test_the_shipped_boolean_facts_say_false_in_their_own_words(catalogue):
    booleans = [f for f in catalogue.facts.values() if f.type == "boolean"]
    assert booleans and _negated(catalogue) == booleans  # every boolean fact shipped has its negative
    for f in booleans:
        for lang in LANGS:
            assert f.label_false.get(lang) != f.label.get(lang), f.code


def _false_paths(code: str) -> list:
    """Every way a condition says that boolean fact `code` is false, as raw conditions."""
    return [{"fact": code, "is": False}, {"fact": code, "eq": False}, {"fact": code, "ne": True},
            {"not": {"fact": code, "is": True}}, {"not": {"fact": code, "ne": False}},
            {"fact": code, "in": [False]}, {"fact": code, "not_in": [True]}, {"not": {"fact": code, "in": [True]}}]


@pytest.mark.parametrize("lang", LANGS)
def test_every_path_words_a_false_boolean_by_its_negative_label(catalogue, lang):
    for f in _negated(catalogue):
        negative, label = f.label_false.get(lang), f.label.get(lang)
        for raw in _false_paths(f.code):
            cond, problems = parse(raw, catalogue.facts, ())
            assert not problems
            said = condition_words(cond, catalogue, lang)
            assert said == negative, (raw, said)
            assert "并非" not in said and "not (" not in said
        assert when_words(parse({"fact": f.code, "is": False}, catalogue.facts, ())[0], catalogue, lang) \
            in (f"{negative}的", f"where {negative}")
        assert situation_words({f.code: False}, catalogue, lang) == negative
        assert situation_words({f.code: True}, catalogue, lang) == label
        # a union of situations, factored: the negative stands wherever the fact is false
        other = next(g for g in _negated(catalogue) if g.code != f.code)
        cubes = [{f.code: False, other.code: True}, {f.code: False, other.code: False}]
        said = cubes_words(cubes, catalogue, lang)
        assert said.startswith(negative + FACTORS[lang]) and other.label_false.get(lang) in said, said
        assert "并非" not in said and "not (" not in said


def test_no_fact_words_contain_what_joins_facts(catalogue):
    """A situation's facts are joined by "，" (English "; "), its alternatives by "；或者" and its factors
    by "，并且": a label or a negative label containing them would make the join unreadable."""
    joins = {"zh": ("，", "；"), "en": ("; ",)}
    for f in catalogue.facts.values():
        for words in (f.label, f.label_false):
            if words is None:
                continue
            for lang in LANGS:
                assert not any(j in words.get(lang) for j in joins[lang]), (f.code, words.get(lang))
    assert FACTORS["zh"].startswith("，") and ALTERNATIVES["zh"].startswith("；")


def test_a_fact_without_a_negative_label_is_quoted_under_the_negation(catalogue):
    facts = dict(catalogue.facts)
    facts["has_social_impact"] = dataclasses.replace(facts["has_social_impact"], label_false=None)
    bare = dataclasses.replace(catalogue, facts=facts)
    situation = {"has_social_impact": False, "may_affect_national_security_or_stability": True}
    assert situation_words(situation, bare, "zh") == "并非「案件有社会影响」，可能对国家安全、社会稳定产生重大影响"
    assert situation_words(situation, bare, "en") == \
        "not (the case has a social impact); the case may affect national security or social stability"
    # with its negative label, the same situation as shipped
    assert situation_words(situation, catalogue, "zh") == "案件没有社会影响，可能对国家安全、社会稳定产生重大影响"
    leaf = Leaf("has_social_impact", "ne", True)
    assert leaf_words(leaf, bare, "zh") == "并非「案件有社会影响」"
    assert leaf_words(leaf, bare, "zh", negate=True) == "案件有社会影响"


def test_a_negative_label_in_chinese_only_keeps_english_output_in_english(catalogue):
    facts = dict(catalogue.facts)
    facts["suspect_is_minor"] = dataclasses.replace(facts["suspect_is_minor"], label_false=Text("犯罪嫌疑人不是未成年人"))
    zh_only = dataclasses.replace(catalogue, facts=facts)
    assert situation_words({"suspect_is_minor": False}, zh_only, "en") == "not (the suspect is a minor)"
    assert situation_words({"suspect_is_minor": False}, zh_only, "zh") == "犯罪嫌疑人不是未成年人"


# --- the command line: what a reviewer reads ----------------------------------------------------------

def test_the_diff_of_the_sample_revision_reads_without_a_dangling_negation(runner):
    r = runner.invoke(cli.main, ["diff", XJ2019, XJ2021, "--rules", RULES])
    assert r.exit_code in (0, 1), r.output
    lines = r.stdout.splitlines()
    assert not [x for x in lines if "并非" in x]
    # the line that read 并非案件重大、疑难、复杂，并非案件有社会影响，可能对国家安全、社会稳定产生重大影响……
    assert any(x.strip().startswith("案件不属于重大、疑难、复杂案件，案件没有社会影响，可能对国家安全、社会稳定产生重大影响，"
                                    "犯罪嫌疑人既不是外国人也不是无国籍人，未涉嫌危害国家安全犯罪（8）：")
               for x in lines), r.stdout
    en = runner.invoke(cli.main, ["diff", XJ2019, XJ2021, "--rules", RULES, "--lang", "en"]).stdout
    assert "not (" not in en and "the case has no social impact; " in en


def test_the_validation_findings_name_the_situations_in_negative_labels(runner):
    r = runner.invoke(cli.main, ["validate", COUNTY, "--rules", RULES])
    found = [x for x in r.stdout.splitlines() if "upper-list-sometimes" in x and "XC-P-0001" in x]
    assert len(found) == 1 and "并非" not in found[0]
    assert "但上级清单在案件不属于重大、疑难、复杂案件，可能对国家安全、社会稳定产生重大影响时要求更高的决定主体" in found[0]


def test_the_revision_note_reads_without_a_dangling_negation(runner):
    r = runner.invoke(cli.main, ["audit", XJ2021, "--against", XJ2019, "--revision-note", "--rules", RULES])
    assert "决定改变的情形" in r.stdout and "并非" not in r.stdout
    assert "案件没有社会影响" in r.stdout


# --- names: a negative label is not the fact's name -----------------------------------------------------

def test_a_negative_label_is_not_a_name_of_its_fact(catalogue):
    table = names_of(catalogue).facts
    for f in _negated(catalogue):
        assert table.find(f.label_false.zh) == ()
        assert table.find(f.label.zh) == (f.code,)
        hint = table.hint(f.label_false.zh)
        assert f"`{f.code}`" in hint.en and f"give {f.label.zh} the value 否" in hint.en
        assert f"`{f.code}`" in hint.zh and f"请给 {f.label.zh} 取值 否" in hint.zh


@pytest.mark.parametrize("args", [["-f", "案件没有社会影响=是"], ["-f", "案件没有社会影响=否"]])
def test_decide_refuses_a_negative_label_and_says_what_to_write(runner, args):
    r = runner.invoke(cli.main, ["decide", XJ2021, "-m", "批准逮捕", "-a", "检察官", *args, "--rules", RULES])
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert "unknown-fact" in r.stderr and "请给 案件有社会影响 取值 否（`has_social_impact: false`）" in r.stderr
    r = runner.invoke(cli.main, ["decide", XJ2021, "-m", "批准逮捕", "-a", "检察官", *args, "--rules", RULES, "--lang", "en"])
    assert "unknown-fact" in r.stderr and "give 案件有社会影响 the value 否 (`has_social_impact: false`)" in r.stderr


def test_check_refuses_a_negative_label_as_a_csv_column(runner, tmp_path):
    csv = tmp_path / "neg.csv"
    csv.write_text("事项,案件没有社会影响\n批准逮捕,是\n", encoding="utf-8")
    r = runner.invoke(cli.main, ["check", XJ2021, str(csv), "--rules", RULES])
    assert r.exit_code == 2 and "请给 案件有社会影响 取值 否" in r.stderr


# --- the catalogue: the key's form ------------------------------------------------------------------------

def _rules_with(tmp_path, old: str, new: str) -> str:
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    facts = rules / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    assert text.count(old) == 1
    facts.write_text(text.replace(old, new), encoding="utf-8")
    return str(rules)


def _line_of(folder: str, needle: str) -> int:
    lines = (Path(folder) / "facts.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, x in enumerate(lines, 1) if needle in x)


@pytest.mark.parametrize("old, new, needle, says", [
    ("label_false: {zh: 案件没有社会影响, en: the case has no social impact}", "label_false: 案件没有社会影响",
     "label_false: 案件没有社会影响", "is not of type object"),
    ("label_false: {zh: 案件没有社会影响, en: the case has no social impact}", "label_false: {en: no social impact}",
     "label_false: {en: no social impact}", "missing key `zh`"),
    ("label_false: {zh: 案件没有社会影响, en: the case has no social impact}",
     "label_false: {zh: 案件有社会影响, en: the case has no social impact}", "label_false: {zh: 案件有社会影响",
     "`label_false` repeats `label` (zh)"),
    ("    label: {zh: 案件来源, en: the source of the case}\n",
     "    label: {zh: 案件来源, en: the source of the case}\n    label_false: {zh: 没有来源}\n",
     "label_false: {zh: 没有来源}", "`label_false` is for boolean facts only"),
])
def test_a_bad_label_false_is_a_schema_finding_at_its_line(tmp_path, old, new, needle, says):
    rules = _rules_with(tmp_path, old, new)
    catalogue, found = load_catalogue(rules)
    bad = [f for f in found if f.code == "schema" or f.code == "missing-key"]
    assert len(bad) == 1 and says in bad[0].message.en, [f.format() for f in found]
    assert bad[0].line == _line_of(rules, needle)
    assert bad[0].severity == "error"


def test_a_negative_label_that_is_another_facts_name_is_ambiguous(tmp_path, runner):
    rules = _rules_with(tmp_path, "label_false: {zh: 案件没有社会影响, en: the case has no social impact}",
                        "label_false: {zh: 犯罪嫌疑人系未成年人, en: the case has no social impact}")
    catalogue, found = load_catalogue(rules)
    clash = [f for f in found if f.code == "ambiguous-name"]
    assert len(clash) == 1 and "`has_social_impact`" in clash[0].message.en and "`suspect_is_minor`" in clash[0].message.en
    r = runner.invoke(cli.main, ["decide", XJ2021, "-m", "批准逮捕", "-f", "犯罪嫌疑人系未成年人=是", "--rules", rules])
    assert r.exit_code == 2 and "`suspect_is_minor`（犯罪嫌疑人系未成年人）和`has_social_impact`" in r.stderr
