"""`quanze audit NEW --revision-note`: the revision's explanatory note (修订说明), generated from the
audit, on the small revision of tests/fixtures/revision and on xj-2019 → xj-2021: per changed matter,
what changed, in which situations in words, and the items' `note` giving the reason; Markdown and
HTML, Chinese first, English on request; a list's own texts stay text."""
from __future__ import annotations

import os
import shutil

import cli

from .paths import LISTS, RULES

HERE = os.path.dirname(os.path.abspath(__file__))
REVISION = os.path.join(HERE, "fixtures", "revision")
RV23, RV24 = os.path.join(REVISION, "rv-2023"), os.path.join(REVISION, "rv-2024")
XJ21 = os.path.join(LISTS, "xj-2021")


def note(runner, *args, code=0):
    r = runner.invoke(cli.main, ["audit", *args, "--revision-note", "--rules", RULES])
    assert r.exit_code == code, r.output
    return r


def _entry(text: str, code: str) -> str:
    """The part of a Markdown note about one matter (its code in the heading, up to the next heading)."""
    start = text.index(code.replace("_", "\\_") + "）**")
    end = min(i for i in (text.find("\n**", start), text.find("\n#", start), len(text)) if i != -1)
    return text[start:end]


def test_the_note_says_per_matter_what_changed_where_and_why(runner):
    text = note(runner, RV24).stdout
    assert text.startswith("# 《测试权责清单（2024年）》修订说明\n")
    assert "## 一、修订概况" in text and "## 二、主要修改内容" in text
    assert "新增条目 3 条，删除条目 0 条，实质修改条目 2 条，仅措辞修改条目 1 条" in text
    assert "发布审查结论：可以发布（错误 0 项，警告 3 项）。" in text
    # the sections in order, each counted
    order = [text.index(h) for h in ("### （一）决定主体上收的事项（3）", "### （二）决定主体下放的事项（1）",
                                     "### （三）新列入或者不再列入、决定主体未变的事项（1）",
                                     "### （四）决定主体未变，列明情况、报告义务或者报批路径改变的事项（1）", "## 三、报告义务规则的修改",
                                     "## 四、其他修改")]
    assert order == sorted(order)
    raised = _entry(text, "sentencing_recommendation")
    assert "- 决定主体：检察官 → 检察长（上收）" in raised
    assert "- 条目：RV-P-2 → RV-G-2" in raised
    assert "  - 案件不属于重大、疑难、复杂案件：检察官 → **检察长**（上收，1 种情形）" in raised
    assert "- 修改理由：量刑建议关系被告人权益，统一由检察长决定。（RV-G-2）" in raised
    lowered = _entry(text, "file_public_interest_case")
    assert "检察长 → 检察官（下放）" in lowered and "立案由承办检察官决定" in lowered
    victim = _entry(text, "decide_on_victim_protest_request")
    assert "检察长（未列明，默认） → 检察委员会（上收，新列入）" in victim
    assert "  - 全部情形：检察长（未列明，默认） → **检察委员会**（上收，2 种情形）" in victim
    absentia = _entry(text, "request_approval_of_absentia_prosecution")
    assert "检察委员会（未列明，依法律规定） → 检察委员会（决定主体未变，新列入）" in absentia
    assert "- 修改理由：条目未载明（未填写 note）" in absentia  # RV-C-2 has no note: said, not invented
    oral = _entry(text, "issue_oral_correction")
    assert "（报告义务改变，1 种情形）" in oral and "- 修改理由：见报告义务规则的修改" in oral
    assert "RV-R-1：重大、疑难、复杂案件应当报告，修改报告对象、依据（报告对象：检察长 → 业务部门负责人、检察长）" in text
    assert "仅措辞修改的条目 1 条：RV-P-1（责任）" in text


def test_the_note_in_english(runner):
    text = note(runner, RV24, "--lang", "en").stdout
    assert text.startswith("# Explanatory note on the revision: Test list (2024)\n")
    assert "- Decided by: prosecutor → procurator-general (up)\n- Items: RV-P-2 → RV-G-2" in text
    assert "Items: 3 added, 0 removed, 2 changed in substance, 1 reworded only" in text
    assert "in all situations: procurator-general (not listed: by default) → **procuratorial committee**" in text


def test_the_note_as_a_page(runner, tmp_path):
    out = tmp_path / "修订说明.html"
    r = note(runner, RV24, "--format", "html", "-o", str(out))
    assert r.stdout == "" and "可以发布；已写入：" in r.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert "<h1>《测试权责清单（2024年）》修订说明</h1>" in page
    assert "<h3>（一）决定主体上收的事项（3）</h3>" in page
    assert "检察官 → <b>检察长</b>（上收，1 种情形）" in page
    assert "http://" not in page and "https://" not in page and "<script" not in page


def test_the_sample_revision_gives_the_reasons_of_its_items(runner):
    text = note(runner, XJ21).stdout
    entry = _entry(text, "extend_review_period")
    assert "- 决定主体：检察官 → 检察长（上收）" in entry
    assert "十三项上收权力之一" in entry and "（XJ-G-0001）" in entry
    assert "部分情形" not in text and "same" not in text


def test_a_list_text_stays_text_in_the_note(runner, tmp_path):
    for name in ("rv-2023", "rv-2024"):
        shutil.copytree(os.path.join(REVISION, name), tmp_path / name)
    part = tmp_path / "rv-2024" / "procurator-general.yaml"
    part.write_text(part.read_text(encoding="utf-8").replace(
        "note: 量刑建议关系被告人权益，统一由检察长决定。", 'note: "<script>alert(1)</script> [x](javascript:1) **b**"'),
        encoding="utf-8")
    md = note(runner, str(tmp_path / "rv-2024")).stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \\[x\\](javascript:1) \\*\\*b\\*\\*" in md
    page = note(runner, str(tmp_path / "rv-2024"), "--format", "html").stdout
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_usage_errors(runner, tmp_path):
    r = note(runner, RV24, "--format", "json", code=2)
    assert "--revision-note" in r.output and "Markdown" in r.output and "Traceback" not in r.output
    shutil.copytree(RV23, tmp_path / "alone")  # a list that supersedes nothing: nothing to compare with
    r = note(runner, str(tmp_path / "alone"), code=2)
    assert "--revision-note 需要一份用来比较的清单" in r.output
    r = note(runner, str(tmp_path / "alone"), "--lang", "en", code=2)
    assert "--revision-note needs a list to compare with" in r.output


def test_a_blocked_revision_says_so_and_exits_1(runner, tmp_path):
    for name in ("rv-2023", "rv-2024"):
        shutil.copytree(os.path.join(REVISION, name), tmp_path / name)
    part = tmp_path / "rv-2024" / "prosecutor.yaml"
    part.write_text(part.read_text(encoding="utf-8").replace("matter: issue_oral_correction", "matter: issue_oral_corection"),
                    encoding="utf-8")
    text = note(runner, str(tmp_path / "rv-2024"), code=1).stdout
    assert "发布审查结论：不得发布" in text
