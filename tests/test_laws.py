"""The register of legal documents (rules/laws.yaml, a list's own `laws:`) and the citation checks:
numerals read as statutes write them, each of `bad-citation`, `unknown-law`, `no-such-article` and
`basis-not-in-force` where it belongs (and nowhere else), the 2021 rules accepted, a list's own
documents, `audit` never blocking a citation `validate` accepted, and `quanze laws`."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cli
from quanze import citations, laws
from quanze.audit import run_audit
from quanze.catalogue import load_catalogue
from quanze.validate import validate_paths

from .paths import LISTS, RULES

XJ21 = os.path.join(LISTS, "xj-2021")
CIVIL_2013 = "人民检察院民事诉讼监督规则（试行）"
CIVIL_2021 = "人民检察院民事诉讼监督规则"
ADMIN_2021 = "人民检察院行政诉讼监督规则"
RESP = {"zh": "承办检察官对决定负责", "en": "the handling prosecutor answers for the decision"}


def write_list(folder: Path, basis: list, effective_from: str = "2022-03-01", matter: str = "change_compulsory_measure",
               extra: dict | None = None) -> Path:
    """A one-item list citing `basis`, in force from `effective_from`."""
    folder.mkdir(parents=True, exist_ok=True)
    head = {"id": "fx", "title": {"zh": "测试清单", "en": "test list"}, "issuer": {"zh": "测试", "en": "test"},
            "level": "provincial", "effective_from": effective_from, "parts": {"prosecutor": "prosecutor.yaml"}}
    head.update(extra or {})
    (folder / "list.yaml").write_text(yaml.safe_dump(head, allow_unicode=True), encoding="utf-8")
    part = {"part": "prosecutor", "items": [{"id": "P-1", "matter": matter, "responsibility": RESP, "basis": basis}]}
    (folder / "prosecutor.yaml").write_text(yaml.safe_dump(part, allow_unicode=True), encoding="utf-8")
    return folder


# The codes about legal documents and citations; the others (floors on the matter cited) are not these
# tests' concern.
REGISTER_CODES = {"bad-citation", "unknown-law", "no-such-article", "basis-not-in-force", "duplicate-id", "bad-dates",
                  "part-outside", "unreadable"}


def codes(folder: Path, rules: str = RULES) -> list:
    findings, _ = validate_paths([str(folder)], rules)
    return [(f.code, f.message.en) for f in findings if f.code in REGISTER_CODES]


# --- numerals and the form of a citation ----------------------------------------------------------

@given(st.integers(min_value=1, max_value=9999))
def test_a_numeral_reads_back_as_its_number(n):
    assert citations.number(citations.chinese(n)) == n
    assert citations.number(str(n)) == n


def test_numerals_as_the_statutes_print_them():
    assert [citations.chinese(n) for n in (10, 15, 20, 105, 110, 175, 308, 1005, 1050)] == \
        ["十", "十五", "二十", "一百零五", "一百一十", "一百七十五", "三百零八", "一千零五", "一千零五十"]
    assert citations.number("一百〇五") == 105


@pytest.mark.parametrize("bad", ["十十", "一十", "百", "零", "二百零零五", "三百八", "05", "0", "一百零十"])
def test_a_numeral_no_statute_writes_is_refused(bad):
    assert citations.number(bad) is None


def test_the_parts_of_a_citation():
    c = citations.parse("《人民检察院刑事诉讼规则》第二百八十七条之一第二款第三项")
    assert (c.title, c.article, c.sub, c.paragraph, c.item) == ("人民检察院刑事诉讼规则", 287, 1, 2, 3)
    assert c.words() == "《人民检察院刑事诉讼规则》第二百八十七条之一第二款第三项"
    assert citations.parse(" 《中华人民共和国刑事诉讼法》第175条 ").article == 175
    for bad in ("规则第四条", "《人民检察院刑事诉讼规则》第四条、第六条", "《人民检察院刑事诉讼规则》",
                "《人民检察院刑事诉讼规则》第四条（一）", "《 人民检察院刑事诉讼规则》第四条", "《》第四条"):
        assert citations.parse(bad) is None, bad


# --- the register shipped -------------------------------------------------------------------------

def test_every_document_the_rules_and_lists_cite_is_registered(catalogue):
    titles = set()
    for path in list(Path(RULES).glob("*.yaml")) + list(Path(LISTS).glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        stack = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                if isinstance(node.get("basis"), list):
                    titles.update(citations.parse(b).title for b in node["basis"])
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
    assert len(titles) >= 8
    local = {"新疆维吾尔自治区检察机关检察委员会和检察官权责清单（示例模型）"}  # xj-2021 registers itself
    assert titles - local <= set(catalogue.laws.by_title)


def test_the_2021_rules_are_registered_and_supersede_the_trial_rules(catalogue):
    reg = catalogue.laws
    civil, admin = reg.by_title[CIVIL_2021], reg.by_title[ADMIN_2021]
    assert (civil.effective_from, admin.effective_from) == ("2021-08-01", "2021-09-01")
    assert reg.by_title[CIVIL_2013].superseded_by == civil.id
    assert reg.by_title["人民检察院行政诉讼监督规则（试行）"].superseded_by == admin.id
    assert reg.by_title["人民检察院公益诉讼办案规则"].effective_from == "2021-07-01"
    assert reg.by_title["人民检察院检察建议工作规定"].effective_from == "2019-02-26"
    assert reg.by_title["人民检察院检察委员会工作规则"].effective_from == "2020-07-31"
    # the trial rules end the day their successors begin
    assert reg.lapse(reg.by_title[CIVIL_2013], "2021-07-31") is None
    assert reg.lapse(reg.by_title[CIVIL_2013], "2021-08-01").by is civil


# --- the four checks, each where it belongs -------------------------------------------------------

def test_article_995_of_the_criminal_procedure_law_does_not_exist(tmp_path):
    found = codes(write_list(tmp_path / "l", ["《中华人民共和国刑事诉讼法》第九百九十五条"]))
    assert found == [("no-such-article", "`P-1`: 《中华人民共和国刑事诉讼法》 has 308 articles; "
                                         "it has no 第九百九十五条 (995)")]


def test_the_repealed_civil_trial_rules_cited_by_a_2022_list_name_their_successor(tmp_path):
    found = codes(write_list(tmp_path / "l", [f"《{CIVIL_2013}》第二十三条"], "2022-01-01",
                             "accept_civil_supervision_application"))
    assert [c for c, _ in found] == ["basis-not-in-force"]
    assert f"《{CIVIL_2021}》 superseded 《{CIVIL_2013}》 from 2021-08-01" in found[0][1]
    assert f"cite the corresponding article of 《{CIVIL_2021}》" in found[0][1]
    # the same citation before the successor took effect is clean
    assert codes(write_list(tmp_path / "m", [f"《{CIVIL_2013}》第二十三条"], "2021-07-31",
                            "accept_civil_supervision_application")) == []


def test_the_2021_rules_are_accepted(tmp_path):
    # 第四十条 of the 2021 civil rules was read (research-laws.md §3); every rule has a 第一条
    basis = [f"《{CIVIL_2021}》第四十条", f"《{ADMIN_2021}》第一条", "《人民检察院公益诉讼办案规则》第一条",
             "《人民检察院检察建议工作规定》第一条", "《人民检察院检察委员会工作规则》第一条"]
    assert codes(write_list(tmp_path / "l", basis, "2022-01-01")) == []


def test_a_document_cited_before_it_takes_effect_is_not_in_force(tmp_path):
    found = codes(write_list(tmp_path / "l", [f"《{CIVIL_2021}》第四十条"], "2021-05-01"))
    assert found and found[0][0] == "basis-not-in-force" and "takes effect on 2021-08-01" in found[0][1]


def test_a_statutory_rule_resting_on_replaced_rules_is_reported_for_the_lists_it_binds(tmp_path):
    found, _ = validate_paths([XJ21], RULES)
    at_list = [f for f in found if f.file.endswith("list.yaml") and f.code == "basis-not-in-force"]
    assert at_list and all(f.line == 18 and "statutory rule `" in f.message.en for f in at_list)
    assert any("`CIV-88-RETRIAL-SUGGESTION`" in f.message.en for f in at_list)
    # a list on criminal matters only is bound by no such rule
    assert codes(write_list(tmp_path / "l", ["《人民检察院刑事诉讼规则》第四条"], "2022-01-01")) == []


def test_the_sample_lists_validate_without_errors():
    found, checked = validate_paths([LISTS], RULES)
    assert checked["lists"] >= 2 and [f.format() for f in found.errors] == []
    stale = [f for f in found if f.code == "basis-not-in-force"]
    # xj-2021's, and the same citations copied into the grassroots list that implements it
    assert len([f for f in stale if "xj-2021" in f.file]) >= 18
    assert all("xj-2021" in f.file or "xj-county-2022" in f.file for f in stale)


# --- a list's own documents -----------------------------------------------------------------------

LOCAL = {"id": "local-rule", "title": "某自治区人民检察院办案规定（测试）", "kind": "normative_document",
         "effective_from": "2021-01-01"}


def test_a_local_document_is_accepted_only_where_the_list_registers_it(tmp_path):
    basis = [f"《{LOCAL['title']}》第三条"]
    assert [c for c, _ in codes(write_list(tmp_path / "a", basis))] == ["unknown-law"]
    assert codes(write_list(tmp_path / "b", basis, extra={"laws": [LOCAL]})) == []
    late = dict(LOCAL, effective_from="2023-01-01")
    assert [c for c, _ in codes(write_list(tmp_path / "c", basis, extra={"laws": [late]}))] == ["basis-not-in-force"]
    short = dict(LOCAL, articles=2)
    assert [c for c, _ in codes(write_list(tmp_path / "d", basis, extra={"laws": [short]}))] == ["no-such-article"]


def test_the_sample_list_cites_its_own_articles_15_and_16():
    found, _ = validate_paths([XJ21], RULES)
    assert not [f for f in found if f.file.endswith("list.yaml") and f.line < 18]
    head = yaml.safe_load(Path(XJ21, "list.yaml").read_text(encoding="utf-8"))
    title = head["laws"][0]["title"]
    cited = {r["id"]: r["basis"][0] for r in head["reporting"]}
    assert cited == {"XJ-R-15": f"《{title}》第十五条", "XJ-R-16": f"《{title}》第十六条"}


@pytest.mark.parametrize("entry, code, message", [
    (dict(LOCAL, title="中华人民共和国刑事诉讼法"), "duplicate-id", "already registered"),
    (dict(LOCAL, id="cpl"), "duplicate-id", "`cpl` is already registered"),
    (dict(LOCAL, aliases=["刑诉法"]), "duplicate-id", "`刑诉法`"),
    (dict(LOCAL, superseded_by="civil-suprevision-2021"), "unknown-law", "did you mean `civil-supervision-2021`?"),
    (dict(LOCAL, effective_to="2020-12-31"), "bad-dates", "before `effective_from`"),
    (dict(LOCAL, text="../elsewhere.md"), "part-outside", "outside the list's folder"),
    (dict(LOCAL, text="texts/missing.md"), "unreadable", "no such file"),
])
def test_a_bad_local_document_is_placed_in_list_yaml(tmp_path, entry, code, message):
    (tmp_path / "elsewhere.md").write_text("第三条 测试。\n", encoding="utf-8")
    folder = write_list(tmp_path / "l", ["《人民检察院刑事诉讼规则》第四条"], extra={"laws": [entry]})
    found = [f for f in validate_paths([str(folder)], RULES)[0] if f.code in REGISTER_CODES]
    assert [(f.code, Path(f.file).name) for f in found] == [(code, "list.yaml")]
    assert message in found[0].message.en


def test_a_local_document_superseded_by_a_registered_one(tmp_path):
    old = dict(LOCAL, superseded_by="civil-supervision-2021", effective_from="2020-01-01")
    found = codes(write_list(tmp_path / "l", [f"《{LOCAL['title']}》第三条"], "2022-01-01", extra={"laws": [old]}))
    assert [c for c, _ in found] == ["basis-not-in-force"] and f"《{CIVIL_2021}》 superseded" in found[0][1]


# --- the rules' own bases, and a rules folder's register ------------------------------------------

def copy_rules(tmp_path: Path) -> Path:
    return Path(shutil.copytree(RULES, tmp_path / "rules", ignore=shutil.ignore_patterns("__*")))


def test_a_rules_folder_without_laws_yaml_uses_the_shipped_register(tmp_path):
    rules = copy_rules(tmp_path)
    (rules / "laws.yaml").unlink()
    cat, found = load_catalogue(str(rules))
    assert cat is not None and found.ok
    assert CIVIL_2021 in cat.laws.by_title


def test_a_rules_folder_checks_its_own_bases(tmp_path):
    rules = copy_rules(tmp_path)
    text = (rules / "statutory.yaml").read_text(encoding="utf-8")
    first = "《中华人民共和国刑事诉讼法》第一百七十五条"
    assert first in text
    (rules / "statutory.yaml").write_text(text.replace(first, "《中华人民共和国刑事诉讼法》第三百七十五条", 1),
                                          encoding="utf-8")
    cat, found = load_catalogue(str(rules))
    bad = found.errors
    assert [(f.code, Path(f.file).name) for f in bad] == [("no-such-article", "statutory.yaml")]
    assert bad[0].path.endswith("/basis/0")


def test_a_register_that_does_not_load_leaves_no_catalogue(tmp_path):
    rules = copy_rules(tmp_path)
    (rules / "laws.yaml").write_text("laws:\n  - id: x\n    title: 某法\n", encoding="utf-8")
    cat, found = load_catalogue(str(rules))
    assert cat is None and [f.code for f in found] == ["missing-key"]


# --- audit and validate agree ---------------------------------------------------------------------

TITLES = ["中华人民共和国刑事诉讼法", "人民检察院刑事诉讼规则", CIVIL_2013, CIVIL_2021, ADMIN_2021,
          "人民检察院公益诉讼办案规则", "中华人民共和国刑事诉讼发", "刑诉法"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.sampled_from(TITLES), article=st.integers(min_value=1, max_value=800),
       tail=st.sampled_from(["", "第二款", "第一款第三项", "、第六条"]),
       day=st.sampled_from(["2020-01-01", "2021-11-01", "2022-06-01"]))
def test_audit_never_blocks_a_citation_validate_accepts(tmp_path_factory, catalogue, title, article, tail, day):
    basis = f"《{title}》第{citations.chinese(article)}条{tail}"
    folder = write_list(tmp_path_factory.mktemp("l"), [basis], day, "accept_civil_supervision_application")
    findings, _ = validate_paths([str(folder)], RULES)
    refused = findings.errors
    a = run_audit(str(folder), catalogue)
    form = [f for f in a.findings if f.check == "PUB-BASIS-FORM"]
    assert bool(form) == bool(refused), (basis, [f.format() for f in refused], [f.format() for f in form])
    assert a.fit == (not refused)
    in_force = [f for f in a.findings if f.check == "PUB-BASIS-IN-FORCE"]
    assert len(in_force) == sum(f.code == "basis-not-in-force" for f in findings)


def test_the_rules_in_force_are_not_refused_by_audit(catalogue, tmp_path):
    """The fixed list of titles refused 《人民检察院民事诉讼监督规则》 as "not in the known range"."""
    folder = write_list(tmp_path / "l", [f"《{CIVIL_2021}》第四十条"], "2022-01-01", "accept_civil_supervision_application")
    a = run_audit(str(folder), catalogue)
    assert a.fit and not [f for f in a.findings if f.check.startswith("PUB-BASIS")]


# --- quanze laws ----------------------------------------------------------------------------------

def laws_cli(runner, *args):
    return runner.invoke(cli.main, ["laws", *args, "--rules", RULES])


def test_laws_prints_the_register_in_both_languages(runner, catalogue):
    zh, en = laws_cli(runner), laws_cli(runner, "--lang", "en")
    assert zh.exit_code == en.exit_code == 0
    for law in catalogue.laws.laws:
        assert f"{law.id}  《{law.title}》" in zh.stdout and f"《{law.title}》" in en.stdout
    assert f"2021-08-01 起由《{CIVIL_2021}》取代" in zh.stdout and "施行日期未载明" in zh.stdout
    assert f"superseded by 《{CIVIL_2021}》 from 2021-08-01; 124 articles" in en.stdout
    assert f"共 {len(catalogue.laws.laws)} 件法律文件" in zh.stdout


def test_laws_as_json(runner, catalogue):
    r = laws_cli(runner, "--format", "json")
    rows = json.loads(r.stdout)
    assert [row["id"] for row in rows] == [law.id for law in catalogue.laws.laws]
    civil = next(row for row in rows if row["id"] == "civil-supervision-2013")
    assert civil["superseded_by"] == "civil-supervision-2021" and civil["articles"] == 124
    assert civil["effective_to"] is None and civil["text"] is None and civil["local"] is False


def test_laws_checks_one_citation(runner):
    r = laws_cli(runner, "《中华人民共和国刑事诉讼法》第九百九十五条", "--lang", "en")
    assert r.exit_code == 1 and "no-such-article" in r.stdout and ": refused" in r.stdout
    r = laws_cli(runner, f"《{CIVIL_2013}》第五十三条", "--on", "2022-01-01", "--format", "json")
    out = json.loads(r.stdout)
    assert r.exit_code == 0 and out["valid"] and out["on"] == "2022-01-01"
    assert [f["code"] for f in out["findings"]] == ["basis-not-in-force"] and CIVIL_2021 in out["findings"][0]["message"]
    assert out["cited"] == {"title": CIVIL_2013, "article": 53, "sub": None, "paragraph": None, "item": None}
    r = laws_cli(runner, "《刑诉法》第一条", "--lang", "en")
    assert r.exit_code == 1 and "short name of 《中华人民共和国刑事诉讼法》" in r.stdout
    r = laws_cli(runner, "《刑诉法》第一条")  # the finding in Chinese, as the rest of the page
    assert r.exit_code == 1 and "“刑诉法”是《中华人民共和国刑事诉讼法》的简称，请使用全称引用" in r.stdout
    assert laws_cli(runner, "刑诉法第一条").exit_code == 1


def test_laws_with_a_list_knows_its_own_documents_and_its_day(runner):
    title = "新疆维吾尔自治区检察机关检察委员会和检察官权责清单（示例模型）"
    assert laws_cli(runner, f"《{title}》第十五条").exit_code == 1
    r = laws_cli(runner, f"《{title}》第十五条", "--list", XJ21, "--lang", "en")
    assert r.exit_code == 0 and "registered by the list" in r.stdout and "in force on 2021-11-01" in r.stdout
    r = laws_cli(runner, f"《{CIVIL_2013}》第五十三条", "--list", XJ21, "--lang", "en")
    assert r.exit_code == 0 and "the day list `xj-2021` takes effect" in r.stdout
    assert "xj-2021-list" in laws_cli(runner, "--list", XJ21).stdout


@pytest.mark.parametrize("args, message", [
    (["--on", "2022-01-01"], "--on needs a CITATION"),
    (["《中华人民共和国刑事诉讼法》第一条", "--on", "2022-02-30"], "--on: `2022-02-30` is not a date"),
    (["--list", LISTS], "is not a list folder"),
])
def test_laws_bad_usage_exits_2(runner, args, message):
    r = laws_cli(runner, *args, "--lang", "en")
    assert r.exit_code == 2 and message in r.stderr and "Traceback" not in r.output


# The organic law's article 30, as law/organic-law-of-peoples-procuratorates-2018.md prints it.
ORGANIC = """# 中华人民共和国人民检察院组织法

## 第三章 人民检察院的办案组织

第二十九条 检察官在检察长领导下开展工作，重大办案事项由检察长决定。检察长可以将部分职权委托检察官行使，可以授权检察官签发法律文书。

第三十条 各级人民检察院设检察委员会。检察委员会由检察长、副检察长和若干资深检察官组成，成员应当为单数。

第三十一条 检察委员会履行下列职能：
"""


def test_laws_prints_the_article_from_a_text_the_register_names(runner, tmp_path):
    rules = copy_rules(tmp_path)
    (rules / "texts").mkdir()
    (rules / "texts" / "organic.md").write_text(ORGANIC, encoding="utf-8")
    reg = yaml.safe_load((rules / "laws.yaml").read_text(encoding="utf-8"))
    for entry in reg["laws"]:
        if entry["id"] == "organic":
            entry["text"] = "texts/organic.md"
    (rules / "laws.yaml").write_text(yaml.safe_dump(reg, allow_unicode=True), encoding="utf-8")
    r = runner.invoke(cli.main, ["laws", "《中华人民共和国人民检察院组织法》第三十条", "--rules", str(rules)])
    assert r.exit_code == 0, r.output
    assert "  第三十条 各级人民检察院设检察委员会。检察委员会由检察长、副检察长和若干资深检察官组成，成员应当为单数。" in r.stdout
    assert "第二十九条" not in r.stdout and "第三十一条" not in r.stdout
    r = runner.invoke(cli.main, ["laws", "《中华人民共和国人民检察院组织法》第三十三条", "--rules", str(rules), "--lang", "en"])
    assert r.exit_code == 0 and "(the article is not in the text texts/organic.md)" in r.stdout
    assert "text: texts/organic.md" in runner.invoke(cli.main, ["laws", "--rules", str(rules), "--lang", "en"]).stdout


def test_a_bad_successor_is_placed_at_its_own_entry_after_an_entry_the_schema_refused(tmp_path):
    entries = [{"id": "half"}, dict(LOCAL, superseded_by="nowhere")]
    folder = write_list(tmp_path / "l", ["《人民检察院刑事诉讼规则》第四条"], extra={"laws": entries})
    found, _ = validate_paths([str(folder)], RULES)
    lines = (folder / "list.yaml").read_text(encoding="utf-8").splitlines()
    where = {f.code: lines[f.line - 1] for f in found if f.code in ("missing-key", "unknown-law")}
    assert "superseded_by: nowhere" in where["unknown-law"] and "half" in where["missing-key"]
