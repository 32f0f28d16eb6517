"""`quanze audit`: the sample revision is fit to publish; revisions that lower a floor-protected
matter, drop a basis or introduce an ambiguity are blocked at the right file and line; the HTML page
is self-contained and names every changed matter."""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
from html.parser import HTMLParser

import pytest

import cli
from quanze.audit import run_audit

from .paths import LISTS, RULES

XJ19, XJ21 = os.path.join(LISTS, "xj-2019"), os.path.join(LISTS, "xj-2021")


def audit(runner, *args):
    return runner.invoke(cli.main, ["audit", *args, "--rules", RULES])


def test_sample_revision_is_fit_and_reports_the_thirteen(runner):
    r = audit(runner, XJ21, "--against", XJ19, "--format", "json")
    assert r.exit_code == 0, r.output
    rep = json.loads(r.stdout)
    assert rep["verdict"] == "fit" and not rep["blocking"]
    assert rep["diff"]["summary"]["raised"] == 13
    up = {m["matter"] for m in rep["diff"]["matters"] if m["direction"] == "up"}
    assert {p["new"]["matter"] for p in rep["diff"]["raised"]} <= up
    assert any(i["part"] == "committee" for i in rep["diff"]["items"]["added"])
    assert rep["impact"]["situations_enumerated"] > 0 and rep["impact"]["matters"]
    for m in rep["impact"]["matters"]:
        for c in m["changed"]:
            assert c["command"].startswith("quanze decide") and c["request"]["matter"] == m["matter"]


def test_against_defaults_to_the_superseded_list(runner, catalogue):
    a = run_audit(XJ21, catalogue)
    assert a.old is not None and a.old.id == "xj-2019"
    r = audit(runner, XJ21, "--lang", "en")
    assert r.exit_code == 0 and r.stdout.splitlines()[2].startswith("== FIT TO PUBLISH")


def test_the_2019_list_is_blocked_for_want_of_responsibilities(runner):
    r = audit(runner, XJ19, "--format", "json")
    assert r.exit_code == 1
    rep = json.loads(r.stdout)
    assert rep["verdict"] == "blocked"
    assert {f["check"] for f in rep["blocking"]} == {"PUB-RESPONSIBILITY"}
    assert all(re.match(r"lists/xj-2019/prosecutor\.yaml:\d+$", f["place"]) or f["place"].endswith(f":{f['line']}")
               for f in rep["blocking"])


def test_bad_usage_exits_2(runner, tmp_path):
    assert audit(runner, str(tmp_path)).exit_code == 2
    assert audit(runner, XJ21, "--against", str(tmp_path)).exit_code == 2
    assert audit(runner, XJ21, "--replay", str(tmp_path / "none.jsonl")).exit_code == 2


@pytest.fixture
def revision(tmp_path):
    """Copies of both sample lists, side by side, to break the 2021 one."""
    shutil.copytree(XJ19, tmp_path / "xj-2019")
    shutil.copytree(XJ21, tmp_path / "xj-2021")
    return tmp_path / "xj-2021"


def _append_item(path, text):
    with open(path, encoding="utf-8") as f:
        n = len(f.read().splitlines())
    with open(path, "a", encoding="utf-8") as f:
        f.write(text)
    return n + 1  # the line of the appended `- id:`


def _blocked(runner, folder, check):
    r = audit(runner, str(folder), "--format", "json")
    assert r.exit_code == 1, r.output
    rep = json.loads(r.stdout)
    assert rep["verdict"] == "blocked"
    return [f for f in rep["blocking"] if f["check"] == check]


def test_lowering_a_floor_protected_matter_is_blocked(runner, revision):
    path = revision / "prosecutor.yaml"
    line = _append_item(path, "- id: XJ-P-9001\n  matter: decide_statutory_non_prosecution\n  decides: prosecutor\n"
                              "  responsibility: {zh: 负责, en: answers}\n  basis: ['《人民检察院刑事诉讼规则》第四条']\n")
    found = _blocked(runner, revision, "PUB-FLOOR")
    assert found and found[0]["file"].endswith("xj-2021/prosecutor.yaml") and found[0]["line"] == line


def test_dropping_a_basis_is_blocked(runner, revision):
    path = revision / "procurator-general.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- id: XJ-G-0002")
    block_start = text.index("  basis:\n", start)
    block_end = text.index("  note:", block_start)
    path.write_text(text[:block_start] + text[block_end:], encoding="utf-8")
    line = text[:start].count("\n") + 1
    found = _blocked(runner, revision, "PUB-BASIS")
    assert [(f["file"].endswith("xj-2021/procurator-general.yaml"), f["line"]) for f in found] == [(True, line)]


def test_an_ambiguity_is_blocked(runner, revision):
    path = revision / "procurator-general.yaml"
    line = _append_item(path, "- id: XJ-G-9001\n  matter: review_necessity_of_detention\n"
                              "  basis: ['《人民检察院刑事诉讼规则》第四条']\n")
    found = _blocked(runner, revision, "PUB-AMBIGUITY")
    assert found and found[0]["line"] == line and found[0]["file"].endswith("procurator-general.yaml")


def test_lowering_without_a_note_is_blocked(runner, revision):
    """Against the 2021 list in force, a draft that gives a return for supplementary investigation back
    to the prosecutor, with no note saying why, is blocked at the lowered item."""
    path = revision / "procurator-general.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- id: XJ-G-0002")
    end = text.index("- id: XJ-G-0003")
    block = text[start:end].replace("decides: procurator_general", "decides: prosecutor")
    block = re.sub(r"  note: .*\n", "", block).replace("  delegable_to: [deputy_procurator_general]\n", "")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    line = _append_item(revision / "prosecutor.yaml", block + "  responsibility: {zh: 负责, en: answers}\n")
    r = audit(runner, str(revision), "--against", XJ21, "--format", "json")
    assert r.exit_code == 1, r.output
    found = [f for f in json.loads(r.stdout)["blocking"] if f["check"] == "PUB-LOWERED"]
    assert found and found[0]["line"] == line and found[0]["file"].endswith("xj-2021/prosecutor.yaml")
    assert "return_for_supplementary_investigation" in found[0]["detail"]["en"]


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.external, self.text, self.style = [], [], []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self._in_style = tag == "style"
        for k, v in attrs:
            if k in ("src", "href", "srcset", "action", "data", "poster") and v and re.match(r"\s*(https?:)?//", v):
                self.external.append((tag, k, v))
        if tag in ("script", "link", "iframe", "img", "object", "embed"):
            self.external.append((tag, "tag", ""))

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        (self.style if self._in_style else self.text).append(data)


def test_html_is_self_contained_and_names_every_changed_matter(runner, catalogue, tmp_path):
    out = tmp_path / "audit.html"
    r = audit(runner, XJ21, "--against", XJ19, "--format", "html", "-o", str(out), "--lang", "zh")
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    p = _Refs()
    p.feed(page)
    assert not p.external
    css = "".join(p.style)
    assert "@import" not in css and not re.search(r"url\(", css)
    text = "".join(p.text)
    rep = run_audit(XJ21, catalogue, XJ19).to_json()
    changed = {m["matter"] for m in rep["impact"]["matters"]}
    changed |= {m["matter"] for m in rep["diff"]["matters"] if m["direction"] != "unchanged" or m["coverage"] != "kept"}
    assert changed
    for matter in changed:
        assert matter in text, matter
        assert catalogue.matters[matter].name.zh in text
    assert "可以发布" in text.split("决定发生变化的事项")[0]
    assert "@media print" in css


def test_replay_counts_changed_actions(runner, tmp_path):
    actions = tmp_path / "a.jsonl"
    rows = [{"case": "c1", "matter": "extend_review_period", "actor": "prosecutor",
             "facts": {"case_is_major_or_complex": True, "prior_review_extensions": 0,
                       "case_is_major_difficult_complex": False,
                       "has_social_impact": False, "may_affect_national_security_or_stability": False,
                       "major_disagreement_with_public_security": False}},
            {"case": "c2", "matter": "approve_arrest", "actor": "prosecutor",
             "facts": {"case_is_major_difficult_complex": False, "has_social_impact": False,
                       "suspect_is_foreign_or_stateless": False, "crime_endangers_national_security": False,
                       "may_affect_national_security_or_stability": False,
                       "major_disagreement_with_public_security": False}}]
    actions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\nnot json\n", encoding="utf-8")
    r = audit(runner, XJ21, "--against", XJ19, "--replay", str(actions), "--format", "json")
    assert r.exit_code == 0, r.output
    rp = json.loads(r.stdout)["replay"]
    assert rp["actions"] == 3 and rp["errors"] == 1 and rp["changed"] == 1 and rp["not_in_impact"] == 0
    assert rp["changed_actions"][0]["case"] == "c1" and rp["changed_actions"][0]["direction"] == "up"


def test_replay_and_check_read_bad_lines_alike(runner, tmp_path):
    """`audit --replay` reads an action file through the reader `check` uses: every bad line has the
    same code and message in both (the replay once said "not JSON" and knew no `bad-encoding`)."""
    good = {"case": "c1", "matter": "approve_arrest", "actor": "prosecutor"}
    lines = [json.dumps(good).encode(), b"not json", b"", b'["approve_arrest"]', b'{"matter": "approve_arest"}',
             b'{"matter": "approve_arrest", "case": "\xff"}', b'{"matter": "approve_arrest", "facts": 3}',
             b'{"matter": "approve_arrest"}} ']
    actions = tmp_path / "a.jsonl"
    actions.write_bytes(b"\n".join(lines) + b"\n")
    checked = [json.loads(x) for x in runner.invoke(cli.main, ["check", XJ21, str(actions)]).stdout.splitlines()]
    from_check = {d["line"]: f"{d['error']['code']}: {d['error']['message']}" for d in checked if "error" in d}
    r = audit(runner, XJ21, "--against", XJ19, "--replay", str(actions), "--format", "json")
    from_replay = {e["line"]: e["error"] for e in json.loads(r.stdout)["replay"]["bad_lines"]}
    assert len(from_check) == len(lines) - 1
    assert from_replay == from_check
    assert from_replay[6].startswith("bad-encoding: ")


def test_a_reporting_rule_that_never_applies_to_a_matter_it_names_is_a_dead_entry(catalogue):
    """The scope's `matters:` names a public-interest matter its `lines:` (juvenile work) leaves out:
    validate warns `never-matches`, and the audit reports it under PUB-DEAD-ITEM at that entry."""
    folder = os.path.join(os.path.dirname(__file__), "fixtures", "invalid", "never-matches")
    found = [f for f in run_audit(folder, catalogue).to_json()["findings"]
             if f["check"] == "PUB-DEAD-ITEM" and f["place"].endswith("list.yaml:14")]
    assert len(found) == 1 and "file_public_interest_case" in found[0]["detail"]["en"], found


def test_the_chinese_examples_are_commands_that_decide_as_the_codes_do(runner):
    """Each group's example in the Chinese review is a `quanze decide` line in Chinese names; pasted,
    it gives the decision the English review's example (in codes) gives, and it needs no quoting."""
    def examples(lang):
        r = runner.invoke(cli.main, ["audit", XJ21, "--against", XJ19, "--lang", lang, "--rules", RULES])
        return re.findall(r"`(quanze decide [^`]+)`", r.output)

    zh, en = examples("zh"), examples("en")
    assert len(zh) == len(en) > 10
    assert all("'" not in z and "approve_arrest" not in z for z in zh)
    for z, e in zip(zh, en):
        got = [json.loads(runner.invoke(cli.main, shlex.split(c)[1:] + ["--format", "json", "--rules", RULES]).stdout)
               for c in (z, e)]
        assert got[0] == got[1], (z, e)
