"""An audit that agrees with itself (issue 15), on the small revision of tests/fixtures/revision (its
README says what each change shows) and on the sample revision xj-2019 → xj-2021:

- every tile of the page counts what the section it links to counts, under the same name (a matter newly
  listed at the authority it had by default too); the text and the Markdown count each section of the
  matters they list; the powers lowered have their section as the powers raised do;
- a matter newly listed at the authority the law already required says so (the authority unchanged,
  the list silent before), and one newly listed where the procurator-general decided by default is up;
- a change in every situation is said to be in all situations, and only pure rewording is counted as
  rewording;
- the replay counts as changed only decisions whose outcome changes, and says what changed.
"""
from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser

import pytest

import cli

from .paths import LISTS, RULES

HERE = os.path.dirname(os.path.abspath(__file__))
REVISION = os.path.join(HERE, "fixtures", "revision")
RV23, RV24 = os.path.join(REVISION, "rv-2023"), os.path.join(REVISION, "rv-2024")
ACTIONS = os.path.join(REVISION, "actions.jsonl")
XJ19, XJ21 = os.path.join(LISTS, "xj-2019"), os.path.join(LISTS, "xj-2021")


def run(runner, *args):
    r = runner.invoke(cli.main, [*args, "--rules", RULES])
    assert r.exit_code == 0, r.output
    return r.stdout


class Anchors(HTMLParser):
    """The page's tiles (href, number, label) and the text of every element with an id."""

    def __init__(self):
        super().__init__()
        self.tiles: list = []
        self.ids: dict = {}
        self._tile = None
        self._open: list = []  # (id, depth) of elements with an id being read
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._depth += 1
        if tag == "a" and "stat" in (a.get("class") or ""):
            self._tile = [a["href"][1:], ""]
        if "id" in a:
            self.ids[a["id"]] = ""
            self._open.append((a["id"], self._depth))

    def handle_endtag(self, tag):
        if self._tile is not None and tag == "a":
            m = re.match(r"(\d+)(.*)", self._tile[1])
            self.tiles.append((self._tile[0], int(m.group(1)), m.group(2)))
            self._tile = None
        if self._open and self._open[-1][1] == self._depth:
            self._open.pop()
        self._depth -= 1

    def handle_data(self, data):
        if self._tile is not None:
            self._tile[1] += data
        for ident, _ in self._open:
            self.ids[ident] += data


def tiles_and_sections(html: str) -> Anchors:
    p = Anchors()
    p.feed(html)
    return p


def sections_of(report: dict) -> dict:
    """How many matters of an audit's JSON each section of the review holds: up, mixed, down by the
    direction; `listed`, the authority unchanged but the list names the matter now (or no longer);
    `other`, the authority and the listing unchanged but some decision changes."""
    out = {"up": 0, "mixed": 0, "down": 0, "listed": 0, "other": 0}
    for m in report["diff"]["matters"]:
        if m["direction"] != "unchanged":
            out[m["direction"]] += 1
        elif m["coverage"] != "kept":
            out["listed"] += 1
        elif m["situations_changed"]:
            out["other"] += 1
    return out


@pytest.mark.parametrize("new,old", [(RV24, RV23), (XJ21, XJ19)], ids=["fixture", "xj"])
def test_each_tile_counts_what_its_section_counts(runner, new, old):
    page = tiles_and_sections(run(runner, "audit", new, "--against", old, "--format", "html"))
    named = [(href, n, label) for href, n, label in page.tiles if href.startswith("m-") or href in
             ("raised", "lowered", "added", "removed")]
    counts = sections_of(json.loads(run(runner, "audit", new, "--against", old, "--format", "json")))
    assert counts["listed"] and counts["other"]  # both revisions have matters of every kind but mixed
    assert {href for href, _, _ in named} == {"m-up", "m-down", "m-mixed", "m-listed", "m-other", "raised", "lowered",
                                              "added", "removed"}
    # every section of matters has its tile, and the tile counts its rows
    assert {i for i in page.ids if i.startswith("m-")} == {href for href, _, _ in named if href.startswith("m-")}
    for href, n, label in named:
        heading = page.ids[href]
        assert heading.startswith(label) and heading.endswith(f"({n})"), (href, n, label, heading)
        if href.startswith("m-"):
            assert n == counts[href[2:]], (href, n, counts)


def _revision_listing_at_the_default(tmp_path):
    """A revision that lists `submit_to_committee` at the procurator-general, who decided it by default
    before (the list was silent): newly listed, the same authority."""
    import yaml
    basis, resp = ["《人民检察院刑事诉讼规则》第四条"], {"zh": "对决定负责"}
    folders = []
    for list_id, general in (("t-old", []), ("t-new", [{"id": "G-1", "matter": "submit_to_committee",
                                                         "basis": basis, "responsibility": resp}])):
        folder = tmp_path / list_id
        folder.mkdir()
        head = {"id": list_id, "title": {"zh": "测试"}, "issuer": {"zh": "测试"}, "level": "provincial",
                "effective_from": "2022-01-01" if list_id == "t-old" else "2023-01-01", "effective_to": None,
                "parts": {"prosecutor": "prosecutor.yaml", "procurator_general": "procurator-general.yaml"}}
        parts = {"prosecutor": [{"id": "P-1", "matter": "sentencing_recommendation", "basis": basis,
                                 "responsibility": resp}], "procurator_general": general}
        (folder / "list.yaml").write_text(yaml.safe_dump(head, allow_unicode=True), encoding="utf-8")
        for part, items in parts.items():
            (folder / (part.replace("_", "-") + ".yaml")).write_text(
                yaml.safe_dump({"part": part, "items": items}, allow_unicode=True), encoding="utf-8")
        folders.append(str(folder))
    return folders


SECTION_LINE = {"zh": re.compile(r"^(?:- |  )((?:上收的事项 \d+；).*)$", re.M),
                "en": re.compile(r"^(?:- |  )(\d+ matters raised; .*)$", re.M)}


def _text_sections(text: str, lang: str) -> tuple:
    """(the count line under 事项变化 as {name: n}, the matters' rows by section) of a text or Markdown diff."""
    line = SECTION_LINE[lang].search(text).group(1)
    if lang == "zh":
        said = {name: int(n) for name, n in re.findall(r"(\S+?) (\d+)(?:；|$)", line)}
    else:
        said = {name: int(n) for n, name in re.findall(r"(\d+) (.+?)(?:; |$)", line)}
    rows = {"up": 0, "mixed": 0, "down": 0, "listed": 0, "other": 0}
    for row in re.findall(r"^(?:- |  )[↑↓↕=] .*$", text, re.M):
        arrow = row.lstrip("- ")[0]
        tagged = re.search(r"\[(新列入|不再列入|newly covered|no longer covered)\]", row)
        rows[{"↑": "up", "↓": "down", "↕": "mixed"}.get(arrow) or ("listed" if tagged else "other")] += 1
    return said, rows


@pytest.mark.parametrize("fmt", ["text", "markdown"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_text_counts_each_section_of_matters_it_lists(runner, tmp_path, fmt, lang):
    """The text and the Markdown name each section's count under 事项变化 (as the page's tiles), and
    list as many matters of each kind: a matter newly listed at the authority it had by default too."""
    old, new = _revision_listing_at_the_default(tmp_path)
    names = {"zh": {"up": "上收的事项", "mixed": "因情形而异的事项", "down": "下放的事项",
                    "listed": "主体未变、列入情况改变的事项"},
             "en": {"up": "matters raised", "mixed": "matters raised in some situations, lowered in others",
                    "down": "matters lowered", "listed": "matters newly listed or no longer listed, same authority"}}[lang]
    for args in ((new, "--against", old), (XJ21, "--against", XJ19)):
        text = run(runner, "audit", *args, "--format", fmt, "--lang", lang)
        counts = sections_of(json.loads(run(runner, "audit", *args, "--format", "json")))
        said, rows = _text_sections(text, lang)
        assert rows == counts, (rows, counts)
        for key, name in names.items():
            assert said[name] == counts[key], (key, said)
    said, rows = _text_sections(run(runner, "audit", new, "--against", old, "--lang", lang), lang)
    assert rows["listed"] == 1 and said[names["listed"]] == 1


def test_a_matter_listed_at_the_authority_it_had_by_default_has_its_tile(runner, tmp_path):
    old, new = _revision_listing_at_the_default(tmp_path)
    html = run(runner, "audit", new, "--against", old, "--format", "html")
    page = tiles_and_sections(html)
    tiles = {href: (n, label) for href, n, label in page.tiles}
    assert tiles["m-listed"] == (1, "主体未变、列入情况改变的事项")
    assert page.ids["m-listed"] == "主体未变、列入情况改变的事项 (1)"
    assert "检察长（未列明，默认） → 检察长" in html
    note = run(runner, "audit", new, "--against", old, "--revision-note")
    assert "新列入或者不再列入而决定主体未变的事项 1 项" in note and "新列入或者不再列入、决定主体未变的事项（1）" in note


def test_the_fixture_counts_matters_and_items_apart(runner):
    rep = json.loads(run(runner, "audit", RV24, "--format", "json"))
    s = rep["diff"]["summary"]
    assert s["directions"] == {"up": 3, "unchanged": 2, "down": 1}
    assert (s["raised"], s["lowered"]) == (1, 1)
    page = tiles_and_sections(run(runner, "audit", RV24, "--format", "html"))
    tiles = {href: (n, label) for href, n, label in page.tiles}
    assert tiles["m-up"] == (3, "上收的事项") and tiles["raised"] == (1, "上收的权力")
    assert tiles["lowered"] == (1, "下放的权力") and tiles["m-down"] == (1, "下放的事项")


def test_the_text_has_the_powers_lowered_beside_the_powers_raised(runner):
    text = run(runner, "audit", RV24)
    raised = text.index("上收的权力（条目决定主体提高）（1）：")
    lowered = text.index("下放的权力（条目决定主体降低）（1）：")
    assert "RV-P-2 → RV-G-2  提出量刑建议：检察官 → 检察长" in text[raised:lowered]
    assert "RV-G-1 → RV-P-4  公益诉讼案件立案：检察长 → 检察官" in text[lowered:]
    en = run(runner, "audit", RV24, "--lang", "en")
    assert "Powers lowered (an item's authority went down) (1):" in en


def _matter_line(text: str, code: str) -> list:
    lines = text.splitlines()
    i = next(k for k, line in enumerate(lines) if f"（{code}）" in line)
    return lines[i:i + 3]


def test_newly_listed_where_the_law_already_required_the_committee(runner):
    text = run(runner, "diff", RV23, RV24)
    head, _, detail = _matter_line(text, "request_approval_of_absentia_prosecution")
    assert "= 主体未变" in head and "[新列入]" in head
    assert "检察委员会（未列明，依法律规定） → 检察委员会" in head
    assert "全部情形（2）：检察委员会（未列明，依法律规定） → 检察委员会" in detail
    # where the procurator-general decided by default, the committee is a change up
    head, _, detail = _matter_line(text, "decide_on_victim_protest_request")
    assert "↑ 上收" in head and "检察长（未列明，默认） → 检察委员会" in head
    rep = json.loads(run(runner, "diff", RV23, RV24, "--format", "json"))
    m = next(m for m in rep["matters"] if m["matter"] == "request_approval_of_absentia_prosecution")
    assert m["old"]["fallback"] and m["old"]["required"] == ["procuratorial_committee"]
    assert m["direction"] == "unchanged" and m["coverage"] == "added"
    # the sample revision's own case, and on the page
    text = run(runner, "diff", XJ19, XJ21)
    head = _matter_line(text, "request_approval_of_absentia_prosecution")[0]
    assert "检察委员会（未列明，依法律规定） → 检察委员会" in head and "检察长（未列明" not in head
    page = run(runner, "audit", XJ21, "--format", "html")
    assert "检察长（未列明，默认） → 检察委员会</td><td class=\"small\">— → XJ-C-0012" not in page
    assert "检察委员会（未列明，依法律规定） → 检察委员会" in page


def test_a_change_in_every_situation_is_in_all_situations(runner):
    text = run(runner, "diff", RV23, RV24)
    assert "全部情形（2）：检察长（未列明，默认） → 检察委员会" in text
    assert "部分情形" not in text and "部分情形" not in run(runner, "diff", XJ19, XJ21)
    assert "in all situations (2): procurator-general (not listed: by default) → procuratorial committee" in \
        run(runner, "diff", RV23, RV24, "--lang", "en")


def test_only_pure_rewording_counts_as_rewording(runner):
    rep = json.loads(run(runner, "diff", RV23, RV24, "--format", "json"))
    s = rep["summary"]
    # RV-P-1: its responsibility only; RV-P-2 and RV-G-1 change authority (and words): not rewording
    assert (s["matched"], s["reworded"], s["changed_in_substance"], s["moved"]) == (4, 1, 2, 2)
    assert "匹配 4（实质修改 2，仅措辞修改 1，移动 2）" in run(runner, "diff", RV23, RV24)
    xj = json.loads(run(runner, "diff", XJ19, XJ21, "--format", "json"))
    changed = {c["new"]["id"]: c["changes"] for c in xj["items"]["changed"]}
    assert xj["summary"]["reworded"] == sum(1 for c in xj["items"]["changed"] if not c["moved"] and not
                                            {"authority", "condition", "matter", "report_to", "delegable_to"} & set(c["changes"]))
    assert all("authority" in changed[p["new"]["id"]] for p in xj["raised"])


def test_the_replay_counts_only_decisions_whose_outcome_changes(runner):
    rep = json.loads(run(runner, "audit", RV24, "--replay", ACTIONS, "--format", "json"))["replay"]
    by_case = {c["case"]: c for c in rep["changed_actions"]}
    assert set(by_case) == {"A-1", "A-2", "A-4", "A-6", "A-7", "A-8"}  # decide the same
    assert by_case["A-4"]["changes"] == ["reporting"] and by_case["A-7"]["changes"] == ["coverage"]
    assert by_case["A-1"]["changes"] == ["authority"] and by_case["A-1"]["direction"] == "up"
    text = run(runner, "audit", RV24, "--replay", ACTIONS)
    replay = text[text.index("回放："):]
    assert "决定改变的 6 项（上收或者下放 4 项，其他改变 2 项）" in replay
    assert "same" not in replay
    lines = [line for line in replay.splitlines() if line.startswith("    第")]
    assert len(lines) == 6
    for line in lines:  # what each line says changed is visible in it
        old, new = re.match(r".*?：\S+ (.*) → (.*) \[", line).groups()
        assert old != new, line
    assert "第 4 行（案件 A-4）：口头提出纠正意见 检察官 报告检察长 → 检察官 报告业务部门负责人、检察长 [报告义务改变]" in replay
    assert "第 7 行（案件 A-7）：报请最高人民检察院核准缺席审判公诉 检察委员会（未列明，依法律规定） → 检察委员会 [新列入]" in replay
    page = run(runner, "audit", RV24, "--replay", ACTIONS, "--format", "html")
    assert ">same<" not in page and "<td>报告义务改变</td>" in page


def test_a_replayed_decision_still_open_says_whom_it_changes_to(runner, tmp_path):
    """Undetermined only on whether the law forbids it, before and after: the authority that decides if
    it does not is what changed, and the line says so (not "undetermined → undetermined")."""
    actions = tmp_path / "a.jsonl"
    actions.write_text(json.dumps({"case": "U-1", "matter": "extend_review_period", "actor": "prosecutor", "facts": {
        "case_is_major_difficult_complex": False, "has_social_impact": False,
        "may_affect_national_security_or_stability": False, "major_disagreement_with_public_security": False}}) + "\n",
        encoding="utf-8")
    text = run(runner, "audit", XJ21, "--against", XJ19, "--replay", str(actions))
    assert ("第 1 行（案件 U-1）：延长审查起诉期限 尚不能确定（如法律不禁止，由检察官决定） → "
            "尚不能确定（如法律不禁止，由检察长决定） [决定主体改变]") in text
