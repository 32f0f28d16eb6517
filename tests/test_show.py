"""`quanze show`: the list as the published document, conditions in plain words."""
from __future__ import annotations

import os
import re

import cli
from quanze.conditions import parse
from quanze.present.words import condition_words, when_words

from .paths import LISTS, RULES

XJ21 = os.path.join(LISTS, "xj-2021")


def words(catalogue, raw, lang="zh"):
    cond, problems = parse(raw, catalogue.facts, ())
    assert not problems
    return condition_words(cond, catalogue, lang)


def test_conditions_in_plain_words(catalogue):
    assert when_words(parse({"fact": "case_is_major_difficult_complex", "is": True}, catalogue.facts, ())[0],
                      catalogue, "zh") == "案件重大、疑难、复杂的"
    assert words(catalogue, {"fact": "prior_supplementary_returns", "gte": 2}) == "已退回补充侦查（调查）二次以上"
    assert "at least 2" in words(catalogue, {"fact": "prior_supplementary_returns", "gte": 2}, "en")
    assert words(catalogue, {"not": {"fact": "case_is_major_difficult_complex", "is": True}}) == "案件不属于重大、疑难、复杂案件"
    assert words(catalogue, {"fact": "non_arrest_ground", "eq": "no_social_danger"}) == "不批准逮捕的理由为无社会危险性、不需要逮捕"
    any_ = words(catalogue, {"any": [{"fact": "has_social_impact", "is": True},
                                     {"fact": "case_source", "in": ["self_investigated", "supervisory_commission"]}]})
    assert any_ == "案件有社会影响，或者案件来源为人民检察院直接受理侦查或者监察机关移送"
    # De Morgan: not(all(a, b)) reads as "not a, or not b"
    neg = words(catalogue, {"not": {"all": [{"fact": "has_social_impact", "is": True},
                                            {"fact": "suspect_is_minor", "is": True}]}}, "en")
    assert neg == "the case has no social impact, or the suspect is not a minor"
    assert words(catalogue, {"not": {"all": [{"fact": "has_social_impact", "is": True},
                                             {"fact": "suspect_is_minor", "is": True}]}}) == "案件没有社会影响，或者犯罪嫌疑人不是未成年人"
    # not(any(a, b)) reads as "not a, and not b"; a negated `ne: true` is the fact itself
    assert words(catalogue, {"not": {"any": [{"fact": "has_social_impact", "ne": True},
                                             {"fact": "suspect_is_minor", "is": True}]}}) == "案件有社会影响，且犯罪嫌疑人不是未成年人"


def test_show_markdown_zh(runner):
    r = runner.invoke(cli.main, ["show", XJ21, "--format", "markdown", "--rules", RULES])
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert out.startswith("# 新疆")
    for title in ("## 检察官权责清单", "## 检察长权责清单", "## 检察委员会权责清单", "## 检察委员会办事机构职责"):
        assert title in out
    assert "XJ-P-0001" in out and "《人民检察院刑事诉讼规则》第四条" in out
    assert "case_is_major_difficult_complex" not in out and "案件重大、疑难、复杂" in out


def test_show_html_en_is_self_contained(runner):
    r = runner.invoke(cli.main, ["show", XJ21, "--format", "html", "--lang", "en", "--rules", RULES])
    assert r.exit_code == 0
    page = r.stdout
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page) and "<script" not in page
    import html
    page = html.unescape(page)
    assert "Prosecutors' powers and responsibilities" in page and "the case is major, difficult and complicated" in page


def test_show_text(runner):
    r = runner.invoke(cli.main, ["show", XJ21, "--rules", RULES, "--lang", "en"])
    assert r.exit_code == 0 and "XJ-G-0002" in r.stdout and "Decided by" in r.stdout
