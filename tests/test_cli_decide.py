"""`quanze decide` and `quanze test` through click's runner, and the same answers from the API."""
from __future__ import annotations

import json
import os
import shutil

import pytest

import cli
from quanze import Library

from .paths import LISTS, TYPED_LIST, TYPED_RULES

XJ2019 = os.path.join(LISTS, "xj-2019")
XJ2021 = os.path.join(LISTS, "xj-2021")
KEYS = ["list", "case", "matter", "actor", "status", "authority", "uncovered", "actor_may_decide", "chain", "delegable_to",
        "obligations", "because", "missing_facts", "vote", "responsible", "violation"]
CASE6 = ["--matter", "return_for_supplementary_investigation", "--actor", "prosecutor",
         "--fact", "prior_supplementary_returns=2"]


@pytest.mark.parametrize("folder", [XJ2019, XJ2021])
def test_seed_case_6_is_forbidden_citing_article_175_from_the_cli(runner, folder):
    result = runner.invoke(cli.main, ["decide", folder, *CASE6, "--format", "json"])
    assert result.exit_code == 1
    decision = json.loads(result.output)
    assert list(decision) == KEYS
    assert decision["status"] == "forbidden" and decision["authority"] is None
    assert any("《中华人民共和国刑事诉讼法》第一百七十五条" in r["basis"] for r in decision["because"])
    text = runner.invoke(cli.main, ["decide", folder, *CASE6])
    assert text.output.startswith("法律禁止")
    assert "第一百七十五条" in text.output


@pytest.mark.parametrize("folder", [XJ2019, XJ2021])
def test_seed_case_6_from_the_api_with_the_violation(catalogue, folder):
    lib = Library.load(folder, catalogue=catalogue)
    d = lib.decide({"matter": "return_for_supplementary_investigation", "actor": "prosecutor",
                    "facts": {"prior_supplementary_returns": 2}, "decided_by": "prosecutor", "case": "豫-2020-1"})
    assert d.status == "forbidden"
    assert d.violation is not None and d.violation.decided_by == "prosecutor"
    assert d.responsible == "prosecutor" and d.case == "豫-2020-1"
    assert d.to_json()["violation"]["reason"]


def test_the_answer_comes_first_in_chinese_and_english(runner):
    args = ["decide", XJ2021, "--matter", "extend_review_period", "--actor", "prosecutor",
            "--fact", "case_is_major_or_complex=是", "--fact", "prior_review_extensions=0"]
    zh = runner.invoke(cli.main, args)
    assert zh.exit_code == 1 and zh.output.startswith("须报检察长决定")
    assert "检察官 → 业务部门负责人 → 检察长" in zh.output
    en = runner.invoke(cli.main, args + ["--lang", "en"])
    assert en.output.startswith("Must go to the procurator-general")


def test_the_same_request_under_the_2019_list_lets_the_prosecutor_decide(runner):
    result = runner.invoke(cli.main, ["decide", LISTS, "--on", "2021-06-01", "--matter", "extend_review_period",
                                      "--actor", "prosecutor", "--fact", "case_is_major_or_complex=true",
                                      "--fact", "prior_review_extensions=0"])
    assert result.exit_code == 0 and result.output.startswith("可以自行决定")


@pytest.mark.parametrize("args,needle", [
    (["--matter", "aprove_arrest"], "did you mean `approve_arrest`"),
    (["--matter", "approve_arrest", "--fact", "case_is_major_difficult_complx=true"], "did you mean"),
    (["--matter", "approve_arrest", "--fact", "case_is_major_difficult_complex=maybe"], "bad-value"),
    (["--matter", "return_for_supplementary_investigation", "--fact", "prior_supplementary_returns=two"], "integer"),
    (["--matter", "approve_arrest", "--fact", "case_source=police"], "not a value"),
    (["--matter", "approve_arrest", "--actor", "prosecuter"], "did you mean `prosecutor`"),
    (["--matter", "file_second_instance_protest", "--vote", "11:7:8"], "impossible vote"),
    (["--matter", "file_second_instance_protest", "--vote", "11:12:5"], "impossible vote"),
    (["--matter", "file_second_instance_protest", "--vote", "eleven"], "MEMBERS:PRESENT:IN_FAVOUR"),
    # 组织法第三十条: the committee's members are an odd number
    (["--matter", "decide_recusal_of_police_head", "--vote", "10:7:6"], "odd number of members"),
    (["--matter", "approve_arrest", "--fact", "novalue"], "K=V"),
])
def test_bad_input_is_one_line_and_exit_2(runner, args, needle):
    result = runner.invoke(cli.main, ["decide", XJ2021, *args, "--lang", "en"])  # Chinese: test_chinese_errors
    assert result.exit_code == 2, result.output
    assert needle in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_a_date_no_list_covers_is_exit_2(runner):
    result = runner.invoke(cli.main, ["decide", LISTS, "--on", "2015-01-01", "--matter", "approve_arrest"])
    assert result.exit_code == 2 and "2015-01-01 没有施行中的清单" in result.output
    result = runner.invoke(cli.main, ["decide", LISTS, "--on", "2015-01-01", "--matter", "approve_arrest", "--lang", "en"])
    assert result.exit_code == 2 and "no list is in force on 2015-01-01" in result.output


def test_ask_asks_the_missing_facts_and_then_decides(runner):
    result = runner.invoke(cli.main, ["decide", XJ2021, "--matter", "return_for_supplementary_investigation",
                                      "--actor", "prosecutor", "--ask", "--format", "json"], input="2\n")
    assert result.exit_code == 1
    assert "几次" in result.output  # the question, on the terminal
    decision = json.loads(result.output[result.output.index("{"):])
    assert decision["status"] == "forbidden"


def test_a_vote_through_the_cli(runner):
    result = runner.invoke(cli.main, ["decide", XJ2021, "--matter", "file_second_instance_protest",
                                      "--vote", "11:5:5", "--format", "json"])
    vote = json.loads(result.output)["vote"]
    assert vote["valid"] is False and vote["adopted"] is False


def test_quanze_test_passes_for_both_lists_and_reports_failures(runner, tmp_path):
    ok = runner.invoke(cli.main, ["test", XJ2019, XJ2021, "-q", "--lang", "en"])
    assert ok.exit_code == 0 and " 0 failed" in ok.output
    broken = tmp_path / "xj"
    shutil.copytree(XJ2021, broken)
    text = (broken / "cases.yaml").read_text(encoding="utf-8")
    (broken / "cases.yaml").write_text(text.replace("status: forbidden", "status: ok", 1), encoding="utf-8")
    bad = runner.invoke(cli.main, ["test", str(broken), "--lang", "en"])
    assert bad.exit_code == 1
    assert "FAIL" in bad.output and "/status: expected \"ok\", got \"forbidden\"" in bad.output
    assert bad.output.splitlines()[-1].endswith(" passed, 1 failed")


def test_quanze_test_speaks_chinese_by_default(runner, tmp_path):
    broken = tmp_path / "xj"
    shutil.copytree(XJ2021, broken)
    text = (broken / "cases.yaml").read_text(encoding="utf-8")
    (broken / "cases.yaml").write_text(text.replace("status: forbidden", "status: ok", 1), encoding="utf-8")
    en = runner.invoke(cli.main, ["test", str(broken), "-q", "--lang", "en"])
    zh = runner.invoke(cli.main, ["test", str(broken), "-q"])
    assert (en.exit_code, zh.exit_code) == (1, 1)
    passed = int(en.output.splitlines()[-1].split()[0])
    assert zh.output.splitlines() == [
        en.output.splitlines()[0].replace("FAIL  ", "失败  ", 1),
        "      /status：应为 \"ok\"，实为 \"forbidden\"",
        f"通过 {passed}，失败 1",
    ]


def test_a_case_the_list_cannot_decide_names_the_facts_its_request_lacks(runner, tmp_path):
    """A drafter's first case often leaves out a fact the law reads (here: whether the suspect is a
    foreigner, 规则第二百九十四条): the case is undetermined, and `test` and `audit` say which facts to add."""
    lst = tmp_path / "t"
    shutil.copytree(XJ2021, lst)
    (lst / "cases.yaml").write_text("""\
cases:
- name: 普通案件批准逮捕
  request: {matter: approve_arrest, actor: prosecutor, facts: {case_is_major_difficult_complex: false}}
  expect: {status: ok, authority: prosecutor}
""", encoding="utf-8")
    zh = runner.invoke(cli.main, ["test", str(lst)])
    assert zh.exit_code == 1
    assert "/status：应为 \"ok\"，实为 \"undetermined\"" in zh.output
    assert "尚不能确定：请求的 facts 缺少「" in zh.output and "「犯罪嫌疑人为外国人或者无国籍人」" in zh.output
    en = runner.invoke(cli.main, ["test", str(lst), "--lang", "en"])
    assert "undetermined: the request's facts lack `" in en.output and "`suspect_is_foreign_or_stateless`" in en.output
    (case,) = json.loads(runner.invoke(cli.main, ["test", str(lst), "--format", "json"]).stdout)
    assert "suspect_is_foreign_or_stateless" in case["lacking"]
    audit = runner.invoke(cli.main, ["audit", str(lst)])
    line = next(ln for ln in audit.output.splitlines() if "PUB-CASES" in ln)
    assert "应为 \"ok\"，实为 \"undetermined\"" in line and "实为 null" in line and "「犯罪嫌疑人为外国人或者无国籍人」" in line
    # a case that fails for another reason has no such line
    shutil.copy(os.path.join(XJ2021, "cases.yaml"), lst / "cases.yaml")
    text = (lst / "cases.yaml").read_text(encoding="utf-8")
    (lst / "cases.yaml").write_text(text.replace("status: forbidden", "status: ok", 1), encoding="utf-8")
    other = runner.invoke(cli.main, ["test", str(lst), "-q"])
    assert other.exit_code == 1 and "实为 \"forbidden\"" in other.output and "缺少" not in other.output


CLOSE = ["decide", TYPED_LIST, "--rules", TYPED_RULES, "--matter", "close_case", "--actor", "prosecutor",
         "--fact", "court_code=01", "--format", "json"]


def test_other_rules_validate_and_their_list_validates_against_them(runner):
    assert runner.invoke(cli.main, ["validate", TYPED_RULES]).exit_code == 0
    result = runner.invoke(cli.main, ["validate", TYPED_LIST, "--rules", TYPED_RULES, "--lang", "en"])
    assert result.exit_code == 0 and "0 errors" in result.output
    assert runner.invoke(cli.main, ["validate", TYPED_LIST]).exit_code == 1  # its matters are not the shipped ones


@pytest.mark.parametrize("filed_on,authority,code", [("2021-01-01", "procurator_general", 1), ("2021-01-02", "prosecutor", 0)])
def test_other_rules_decide_on_either_side_of_a_date(runner, filed_on, authority, code):
    # TL-G-1 holds before 2021-01-02, TL-P-1 from it; the statutory floor on old cases spares a branch office
    result = runner.invoke(cli.main, [*CLOSE, "--fact", f"filed_on={filed_on}", "--fact", "unit=branch_office",
                                      "--fact", "region=乙"])
    assert result.exit_code == code, result.output
    decision = json.loads(result.output)
    assert (decision["status"], decision["authority"]) == ("ok", authority)


def test_other_rules_ask_the_date_and_not_the_unit_that_cannot_change_the_answer(runner):
    # before 2021-01-02 the procurator-general decides, with or without the floor the unit turns on
    decision = json.loads(runner.invoke(cli.main, [*CLOSE, "--fact", "region=乙"]).output)
    assert decision["status"] == "undetermined"
    assert [m["fact"] for m in decision["missing_facts"]] == ["filed_on"]


def test_other_rules_raise_a_matter_on_a_text_with_a_space(runner):
    result = runner.invoke(cli.main, [*CLOSE, "--fact", "region=甲 乙", "--fact", "filed_on=2021-06-01"])
    decision = json.loads(result.output)
    assert (decision["authority"], decision["because"][0]["id"]) == ("procuratorial_committee", "T-FLOOR-TRANSFER-REGION")


def test_a_vote_is_shown_as_typed_members_present_in_favour(runner):
    """The vote reads back the way it was typed (`11:7:5`), not reversed."""
    result = runner.invoke(cli.main, ["decide", XJ2021, "--matter", "decide_recusal_of_police_head",
                                      "--vote", "11:7:6", "--lang", "en"])
    assert "11:7:6" in result.output and "6/7/11" not in result.output


def test_a_dissent_from_an_adopted_decision_may_be_referred_and_the_reason_says_may(runner):
    """组织法第三十二条: the dissenting procurator-general *may* refer it — to the superior procuratorate, or
    for a major matter also to the standing committee of the people's congress at the same level."""
    result = runner.invoke(cli.main, ["decide", XJ2021, "--matter", "decide_recusal_of_police_head",
                                      "--vote", "11:7:6", "--pg-dissents", "--format", "json"])
    vote = json.loads(result.output)["vote"]
    assert vote["refer_to"] == "superior_procuratorate"
    assert "may refer" in vote["reason"] and "people's congress" in vote["reason"]


# An uncovered matter: the fallback (the procurator-general, 规则第四条) where nothing raises it; where a
# statutory floor raises it, the line says the law's authority and article, never the fallback as well
UNCOVERED = [
    ("withdraw_protest", "zh", "清单未列明此事项；依照法律由上一级人民检察院决定（", "《人民检察院刑事诉讼规则》第五百八十九条"),
    ("withdraw_protest", "en", "The list has no item on this matter; by law the procuratorate at the next level up decides",
     "《人民检察院刑事诉讼规则》第五百八十九条"),
    ("withdraw_indictment", "zh", "清单未列明此事项，由检察长决定", "《人民检察院刑事诉讼规则》第四条"),
    ("withdraw_indictment", "en", "The list has no item on this matter: the procurator-general decides", "Rules art. 4"),
]


@pytest.mark.parametrize("matter,lang,line,basis", UNCOVERED)
def test_an_uncovered_matter_says_one_authority(runner, matter, lang, line, basis):
    result = runner.invoke(cli.main, ["decide", XJ2021, "-m", matter, "-a", "prosecutor", "--lang", lang])
    decision = json.loads(runner.invoke(cli.main, ["decide", XJ2021, "-m", matter, "-a", "prosecutor",
                                                   "--format", "json"]).output)
    assert decision["uncovered"] is True
    said = [ln.strip() for ln in result.output.splitlines() if ln.strip().startswith(line)]
    assert len(said) == 1 and basis in said[0], result.output
    # the authority it names is the one the decision requires, and no other authority is said to decide
    authority = {"zh": "决定主体：", "en": "Decided by: "}[lang]
    named = next(ln for ln in result.output.splitlines() if ln.strip().startswith(authority)).split(authority)[1]
    assert named in said[0] or decision["authority"] == "procurator_general"
    if decision["authority"] != "procurator_general":
        assert "由检察长决定" not in result.output and "the procurator-general decides" not in result.output


# Delegation (规则第四条: the procurator-general may delegate what no rule keeps): a matter every matched
# procurator-general item delegates says so in the JSON (`delegable_to`), the route and a line of its own;
# one that is not delegated (no item delegates it, or it is uncovered, or above the procurator-general) does not
MAJOR = ["-f", "case_is_major_or_complex=true", "-f", "prior_review_extensions=0"]
DELEGATION = [
    # (matter and facts, actor, delegated, the deputy may decide)
    (["-m", "extend_review_period", *MAJOR], "prosecutor", True, True),
    (["-m", "extend_review_period", *MAJOR], "deputy_procurator_general", True, True),
    # undetermined (a prohibition may apply), the authority named and delegated, but nobody may decide yet
    (["-m", "extend_review_period", "-f", "case_is_major_or_complex=false", "-f", "prior_review_extensions=0"],
     "prosecutor", True, False),
    (["-m", "return_for_supplementary_investigation", "-f", "prior_supplementary_returns=0"], "procurator_general",
     True, True),
    (["-m", "withdraw_indictment"], "prosecutor", False, False),              # uncovered: never delegated
    (["-m", "issue_civil_retrial_suggestion"], "prosecutor", False, False),  # the committee's
]


@pytest.mark.parametrize("args,actor,delegated,deputy", DELEGATION)
def test_a_delegated_matter_says_the_deputy_may_decide_it(runner, args, actor, delegated, deputy):
    decision = json.loads(runner.invoke(cli.main, ["decide", XJ2021, *args, "-a", actor, "--format", "json"]).output)
    assert decision["delegable_to"] == (["deputy_procurator_general"] if delegated else [])
    as_deputy = json.loads(runner.invoke(cli.main, ["decide", XJ2021, *args, "-a", "deputy_procurator_general",
                                                    "--format", "json"]).output)
    assert as_deputy["actor_may_decide"] is deputy
    for lang, line, route in (("zh", "授权：清单允许检察长授权副检察长决定此事项", "（或经授权由副检察长决定）"),
                              ("en", "Delegation: the list lets the procurator-general delegate this matter to the "
                                     "deputy procurator-general", " (or the deputy procurator-general, by delegation)")):
        text = runner.invoke(cli.main, ["decide", XJ2021, *args, "-a", actor, "--lang", lang]).output
        assert (line in text) is delegated, text
        routes = [ln for ln in text.splitlines() if ln.strip().startswith(("报批路径", "Route"))]
        assert any(ln.endswith(route) for ln in routes) is (delegated and len(decision["chain"]) > 1), text


def test_the_chinese_text_names_the_facts_to_answer_in_chinese(runner):
    """In Chinese, the facts still to answer and those a duty to report depends on are named by their
    Chinese names (which `--fact 名称=值` takes), never by their codes; English keeps the code to type."""
    args = ["decide", XJ2021, "-m", "approve_arrest", "-a", "prosecutor"]
    zh = runner.invoke(cli.main, args).stdout
    assert "[犯罪嫌疑人为外国人或者无国籍人]" in zh and "（视" in zh
    assert "suspect_is_foreign_or_stateless" not in zh and "crime_endangers_national_security" not in zh
    en = runner.invoke(cli.main, [*args, "--lang", "en"]).stdout
    assert "[suspect_is_foreign_or_stateless]" in en and "(depending on " in en
