"""English pages in English punctuation, Chinese pages in Chinese punctuation.

Every command that prints words is run on the sample lists with `--lang en`, and what it prints is
scanned for Chinese punctuation (、，：；（）。【】 ...) outside the texts it quotes: a list's and the
law's own Chinese (titles, responsibilities, citations such as 《人民检察院刑事诉讼规则》第四条),
which stay as written. The Chinese pages keep the enumeration comma and the full-width colon.
"""
from __future__ import annotations

import glob
import json
import os
import re

import pytest
import yaml

import cli

from .paths import LISTS, RULES

XJ19, XJ21 = os.path.join(LISTS, "xj-2019"), os.path.join(LISTS, "xj-2021")
COUNTY = os.path.join(LISTS, "xj-county-2022")  # a county list implementing xj-2021
CHINESE_PUNCTUATION = re.compile(r"[、，：；（）。【】！？“”‘’「」《》〔〕　]")
CITATION = re.compile(r"《[^》\n]*》(第[零一二三四五六七八九十百千]+[条款项])*")
IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")


def _chinese_texts() -> list[str]:
    """Every Chinese text of the sample lists and the rules (the `zh` of a text, a basis, a title):
    what a page quotes as written. Longest first, so that a text is taken out before a part of it."""
    texts: set[str] = set()

    def walk(value, key=None):
        if isinstance(value, dict):
            for k, v in value.items():
                if k != "en":
                    walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and IDEOGRAPH.search(value):
            texts.add(value)

    for path in glob.glob(os.path.join(LISTS, "*", "*.yaml")) + glob.glob(os.path.join(RULES, "*.yaml")):
        with open(path, encoding="utf-8") as fh:
            walk(yaml.safe_load(fh))
    return sorted(texts, key=len, reverse=True)


QUOTED = _chinese_texts()


def unquoted(page: str) -> str:
    """`page` without the Chinese texts it quotes (HTML pages escape nothing these texts hold)."""
    page = CITATION.sub("", page)
    for t in QUOTED:
        if t in page:
            page = page.replace(t, "")
    return page


@pytest.fixture(scope="module")
def actions(tmp_path_factory):
    """A replay file with ASCII case numbers (a case number is the caller's text, quoted as given)."""
    path = tmp_path_factory.mktemp("punct") / "actions.jsonl"
    lines = [{"case": f"A-{i}", "matter": m, "actor": "prosecutor", "decided_by": "prosecutor", "on": "2022-03-01",
              "facts": f} for i, (m, f) in enumerate([
                  ("approve_arrest", {"case_is_major_difficult_complex": True}),
                  ("extend_review_period", {"case_is_major_or_complex": True, "prior_review_extensions": 0}),
                  ("return_for_supplementary_investigation", {"prior_supplementary_returns": 2}),
                  ("withdraw_protest", {}), ("nosuchmatter", {})])]
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return str(path)


def commands(actions):
    """Every command that prints words for a reader, on the sample lists."""
    return [
        ["validate"], ["validate", XJ19], ["test"],
        ["decide", XJ21, "-m", "return_for_supplementary_investigation", "-a", "prosecutor",
         "-f", "prior_supplementary_returns=2", "--decided-by", "prosecutor"],
        ["decide", XJ21, "-m", "approve_arrest", "-a", "prosecutor"],
        ["decide", XJ21, "-m", "withdraw_protest", "-a", "prosecutor"],
        ["decide", XJ21, "-m", "decide_recusal_of_procurator_general", "--vote", "11:7:6", "--pg-dissents"],
        ["decide", LISTS, "--on", "2022-03-01", "-m", "extend_review_period", "-a", "prosecutor"],
        ["diff", XJ19, XJ21], ["diff", XJ19, XJ21, "--format", "markdown"],
        ["audit", XJ21, "--against", XJ19, "--replay", actions],
        ["audit", XJ21, "--against", XJ19, "--format", "markdown"],
        ["audit", XJ21, "--against", XJ19, "--format", "html"], ["audit", XJ19],
        ["show", XJ21], ["show", XJ21, "--format", "markdown"], ["show", XJ21, "--format", "html"],
        ["show", LISTS, "--on", "2020-06-01"], ["show", COUNTY], ["show", COUNTY, "--format", "html"],
        ["audit", COUNTY], ["decide", COUNTY, "-m", "file_case_for_self_investigation", "-a", "prosecutor"],
        ["matters"], ["facts"], ["laws"], ["laws", "《中华人民共和国刑事诉讼法》第九百九十五条"],
        ["check", LISTS, actions, "--format", "text"],
    ]


def test_english_pages_use_english_punctuation(runner, actions):
    seen = []
    for args in commands(actions):
        r = runner.invoke(cli.main, args + ["--lang", "en", "--rules", RULES])
        assert r.exit_code in (0, 1), (args, r.output)
        for n, line in enumerate(unquoted(r.output).splitlines(), 1):
            if CHINESE_PUNCTUATION.search(line):
                seen.append(f"{' '.join(args[:2])} line {n}: {line.strip()[:160]}")
    assert not seen, "\n".join(seen)


def test_the_scan_finds_chinese_punctuation_outside_quoted_texts():
    """The scan is not blind: a quoted text goes, the punctuation around it stays."""
    page = "prosecutor、procurator-general (1)：《人民检察院刑事诉讼规则》第四条；" + QUOTED[0]
    assert CHINESE_PUNCTUATION.findall(unquoted(page)) == ["、", "：", "；"]


def test_english_names_are_joined_with_commas_and_chinese_with_the_enumeration_comma(runner):
    en = runner.invoke(cli.main, ["diff", XJ19, XJ21, "--lang", "en", "--rules", RULES]).output
    zh = runner.invoke(cli.main, ["diff", XJ19, XJ21, "--rules", RULES]).output
    assert "prosecutor → prosecutor, procurator-general" in en
    assert "检察官 → 检察官、检察长" in zh


def test_english_bases_are_joined_with_semicolons_and_chinese_with_the_full_width_one(runner):
    en = runner.invoke(cli.main, ["show", XJ21, "--lang", "en", "--rules", RULES]).output
    zh = runner.invoke(cli.main, ["show", XJ21, "--rules", RULES]).output
    assert "Basis: 《人民检察院刑事诉讼规则》第二百八十四条; 《人民检察院刑事诉讼规则》第四条" in en
    assert "依据：《人民检察院刑事诉讼规则》第二百八十四条；《人民检察院刑事诉讼规则》第四条" in zh
    assert "(supersedes xj-2019) [xj-2021]" in en and "　[xj-2021]" in zh


def test_the_page_puts_an_english_colon_after_a_situation(runner):
    en = runner.invoke(cli.main, ["audit", XJ21, "--against", XJ19, "--format", "html", "--lang", "en",
                                  "--rules", RULES]).output
    zh = runner.invoke(cli.main, ["audit", XJ21, "--against", XJ19, "--format", "html", "--rules", RULES]).output
    assert re.search(r"\(\d+\): ", en) and not re.search(r"\(\d+\)：", en)
    assert re.search(r"\(\d+\)：", zh)


# An ASCII colon or a bracketed count right after Chinese words (`比较: `, `新增条目 (23)`) in a Chinese page;
# the place and code that open a finding (`file:line: code（警告）: `) are the documented format, kept.
ASCII_AFTER_CHINESE = re.compile(r"[\u4e00-\u9fff）》」]\s?(?::|\(\d+\))")
FINDING_HEAD = re.compile(r"^\s*(?:- )?(?:\S+:\d+: )?[A-Za-z][A-Za-z0-9-]*(?:（[^）]*）)?: ")


def _list_texts() -> list[str]:
    """Every string of the sample lists (a case's name, an item's title): the drafter's own words,
    which a page quotes as written, in whatever punctuation they were written. Longest first."""
    texts: set[str] = set()

    def walk(value):
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str) and len(value) > 3:
            texts.add(value)

    for path in glob.glob(os.path.join(LISTS, "*", "*.yaml")):
        with open(path, encoding="utf-8") as fh:
            walk(yaml.safe_load(fh))
    return sorted(texts, key=len, reverse=True)


LIST_TEXTS = _list_texts()


def without_list_texts(line: str) -> str:
    for t in LIST_TEXTS:
        if t in line:
            line = line.replace(t, "")
    return line


def test_chinese_pages_use_chinese_punctuation(runner, actions):
    seen = []
    for args in commands(actions):
        if "html" in args:
            continue
        r = runner.invoke(cli.main, args + ["--rules", RULES])
        assert r.exit_code in (0, 1), (args, r.output)
        for n, line in enumerate(r.output.splitlines(), 1):
            if ASCII_AFTER_CHINESE.search(without_list_texts(FINDING_HEAD.sub("", line))):
                seen.append(f"{' '.join(args[:2])} line {n}: {line.strip()[:160]}")
    assert not seen, "\n".join(seen)


def test_the_chinese_scan_finds_an_english_colon_and_count_but_not_a_finding_head():
    assert ASCII_AFTER_CHINESE.search("比较: xj-2019") and ASCII_AFTER_CHINESE.search("新增条目 (23)")
    line = "lists/a/b.yaml:9: floor-sometimes（警告）: 条目 P-1 将「批准逮捕」交由检察官决定"
    assert not ASCII_AFTER_CHINESE.search(FINDING_HEAD.sub("", line))
