"""Chinese names typed where a code is: matters, authorities, facts and enum values, by their
catalogue name (`name.zh`, `label.zh`, a value's label) or an alias, everywhere a person types one —
options, `--facts` files, CSV headers and cells, JSON Lines, `--ask` answers, the library — with the
same decision (and the same JSON, in codes) as the codes give; "did you mean" over both; and a name
two codes share refused, never guessed."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import cli
from quanze import Library
from quanze.catalogue import load_catalogue
from quanze.requests import RequestError

from .paths import LISTS, RULES

XJ2021 = str(Path(LISTS) / "xj-2021")


def _decide(runner, *args, input=None):
    result = runner.invoke(cli.main, ["decide", XJ2021, *args, "--format", "json", "--rules", RULES], input=input)
    assert "Traceback" not in result.output
    return result


def _body(result) -> dict:
    return json.loads(result.stdout[result.stdout.index("{"):])


@pytest.mark.parametrize("coded,named", [
    (["-m", "approve_arrest", "-a", "prosecutor", "-f", "case_is_major_difficult_complex=true"],
     ["-m", "批准逮捕", "-a", "检察官", "-f", "案件重大、疑难、复杂=是"]),
    (["-m", "file_second_instance_protest", "-a", "prosecutor", "-f", "judgment_kind=judgment",
      "-f", "days_since_judgment_received=12"],
     ["-m", "按照第二审程序提出抗诉", "-a", "检察官", "-f", "第一审裁判的种类=判决",
      "-f", "自接到判决书、裁定书次日起经过的日数=12"]),
    (["-m", "approve_arrest", "--decided-by", "department_head"], ["-m", "批捕", "--decided-by", "部门负责人"]),
])
def test_decide_takes_chinese_names_and_aliases_and_answers_in_codes(runner, coded, named):
    by_code, by_name = _decide(runner, *coded), _decide(runner, *named)
    assert by_name.exit_code == by_code.exit_code
    assert by_name.stdout == by_code.stdout  # the same decision JSON: codes, whatever was typed
    assert _body(by_name)["matter"] in ("approve_arrest", "file_second_instance_protest")


def test_facts_file_takes_names_and_chinese_values(runner, tmp_path):
    named = tmp_path / "facts.yaml"
    named.write_text("第一审裁判的种类: 判决\n自接到判决书、裁定书次日起经过的日数: 12\n", encoding="utf-8")
    coded = tmp_path / "coded.json"
    coded.write_text(json.dumps({"judgment_kind": "judgment", "days_since_judgment_received": 12}), encoding="utf-8")
    a = _decide(runner, "-m", "file_second_instance_protest", "--facts", str(named))
    b = _decide(runner, "-m", "file_second_instance_protest", "--facts", str(coded))
    assert a.exit_code == b.exit_code and a.stdout == b.stdout
    assert _body(a)["matter"] == "file_second_instance_protest" and "judgment_kind" not in str(_body(a)["missing_facts"])


def test_a_fact_given_by_code_and_by_name_is_given_twice(runner):
    r = runner.invoke(cli.main, ["decide", XJ2021, "-m", "file_second_instance_protest", "--rules", RULES,
                                 "-f", "judgment_kind=judgment", "-f", "第一审裁判的种类=裁定"])
    assert r.exit_code == 2 and "judgment_kind" in r.output and "给出了 2 次" in r.output


@pytest.mark.parametrize("args,needle", [
    (["-m", "批准逮补"], "did you mean `approve_arrest` (批准逮捕)?"),
    (["-m", "aprove_arrest"], "did you mean `approve_arrest` (批准逮捕)?"),
    (["-m", "approve_arrest", "-a", "检查官"], "did you mean `prosecutor` (检察官)?"),
    (["-m", "approve_arrest", "-f", "案件重大疑难复杂=是"], "did you mean `case_is_major_difficult_complex`"),
    (["-m", "file_second_instance_protest", "-f", "第一审裁判的种类=判定"], "bad-value"),
])
def test_did_you_mean_searches_codes_and_chinese_names(runner, args, needle):
    r = runner.invoke(cli.main, ["decide", XJ2021, *args, "--rules", RULES, "--lang", "en"])
    assert r.exit_code == 2, r.output
    assert needle in r.stderr and len(r.stderr.strip().splitlines()) == 1
    zh = runner.invoke(cli.main, ["decide", XJ2021, *args, "--rules", RULES])  # in Chinese: 是否应为 …？
    assert zh.exit_code == 2 and ("是否应为" in zh.stderr or "bad-value" in zh.stderr), zh.stderr


def test_ask_takes_a_chinese_value_and_leaves_an_unknown_fact_open(runner):
    # 判决 answers `judgment_kind`; 不知道 and an empty answer leave the other facts open, each asked once
    r = _decide(runner, "-m", "file_second_instance_protest", "-a", "检察官", "--ask", input="判决\n不知道\n\n\n\n")
    assert r.exit_code == 1, r.output
    assert "[判决|裁定|不知道]" in r.stderr
    body = _body(r)
    assert body["status"] == "undetermined"
    asked = [m["fact"] for m in body["missing_facts"]]
    assert "judgment_kind" not in asked and asked  # answered; the others left open, not failed
    en = _decide(runner, "-m", "file_second_instance_protest", "--ask", "--lang", "en", input="ruling\nunknown\n\n\n\n")
    assert "[judgment|ruling|unknown]" in en.stderr and _body(en)["status"] == "undetermined"


def test_ask_says_what_is_wrong_and_asks_again(runner):
    r = _decide(runner, "-m", "file_second_instance_protest", "--ask", input="判定\n裁定\n\n\n\n")
    assert "判定" in r.stderr and r.stderr.count("拟抗诉的第一审裁判是判决还是裁定") == 2


CSV_CODES = ("case,matter,actor,decided_by,judgment_kind,days_since_judgment_received,case_is_major_difficult_complex\n"
             "a1,file_second_instance_protest,prosecutor,,judgment,12,\n"
             "a2,approve_arrest,prosecutor,prosecutor,,,true\n"
             "a3,approve_arrest,department_head,,,,false\n"
             "a4,file_second_instance_protest,procurator_general,,ruling,3,\n")
CSV_NAMES = ("案号,事项,提出人,决定人,第一审裁判的种类,自接到判决书、裁定书次日起经过的日数,案件重大、疑难、复杂\n"
             "a1,按照第二审程序提出抗诉,检察官,,判决,12,\n"
             "a2,批准逮捕,检察官,检察官,,,是\n"
             "a3,批捕,部门负责人,,,,否\n"
             "a4,按照第二审程序提出抗诉,检察长,,裁定,3,\n")


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_a_csv_in_chinese_gives_the_decisions_of_the_csv_in_codes(runner, tmp_path, fmt, cache):
    coded, named = tmp_path / "codes.csv", tmp_path / "names.csv"
    coded.write_text(CSV_CODES, encoding="utf-8")
    named.write_text(CSV_NAMES, encoding="utf-8")
    a = runner.invoke(cli.main, ["check", XJ2021, str(coded), "--format", fmt, "--rules", RULES, *cache])
    b = runner.invoke(cli.main, ["check", XJ2021, str(named), "--format", fmt, "--rules", RULES, *cache])
    assert a.exit_code == b.exit_code == 1, b.output
    assert b.stdout == a.stdout
    if fmt == "jsonl":
        lines = [json.loads(x) for x in b.stdout.splitlines()]
        assert [x.get("error") for x in lines] == [None] * 4
        assert [x["matter"] for x in lines] == ["file_second_instance_protest", "approve_arrest", "approve_arrest",
                                                "file_second_instance_protest"]


def test_a_csv_header_that_names_nothing_is_refused_with_a_suggestion(runner, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("事项,第一审裁判种类\n批准逮捕,判决\n", encoding="utf-8")
    r = runner.invoke(cli.main, ["check", XJ2021, str(bad), "--rules", RULES, "--lang", "en"])
    assert r.exit_code == 2 and "did you mean `judgment_kind` (第一审裁判的种类)?" in r.stderr
    r = runner.invoke(cli.main, ["check", XJ2021, str(bad), "--rules", RULES])
    assert r.exit_code == 2 and "是否应为 `judgment_kind`（第一审裁判的种类）？" in r.stderr
    twice = tmp_path / "twice.csv"
    twice.write_text("matter,judgment_kind,第一审裁判的种类\napprove_arrest,judgment,判决\n", encoding="utf-8")
    r = runner.invoke(cli.main, ["check", XJ2021, str(twice), "--rules", RULES])
    assert r.exit_code == 2 and "出现了两次" in r.stderr


def test_json_lines_in_chinese_decide_as_the_codes_do(runner, tmp_path):
    coded = tmp_path / "codes.jsonl"
    named = tmp_path / "names.jsonl"
    coded.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"matter": "file_second_instance_protest", "actor": "prosecutor",
         "facts": {"judgment_kind": "judgment", "days_since_judgment_received": 12}},
        {"matter": "approve_arrest", "actor": "prosecutor", "decided_by": "prosecutor"}]) + "\n", encoding="utf-8")
    named.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"matter": "按照第二审程序提出抗诉", "actor": "检察官",
         "facts": {"第一审裁判的种类": "判决", "days_since_judgment_received": 12}},
        {"matter": "批准逮捕", "actor": "检察官", "decided_by": "检察官"}]) + "\n", encoding="utf-8")
    a = runner.invoke(cli.main, ["check", XJ2021, str(coded), "--format", "jsonl", "--rules", RULES])
    b = runner.invoke(cli.main, ["check", XJ2021, str(named), "--format", "jsonl", "--rules", RULES])
    assert b.stdout == a.stdout and '"error"' not in b.stdout


def test_the_library_and_so_the_server_take_names():
    lib = Library.load(XJ2021, RULES)
    by_name = lib.decide({"matter": "批准逮捕", "actor": "检察官", "facts": {"案件来源": "人民检察院直接受理侦查"}})
    by_code = lib.decide({"matter": "approve_arrest", "actor": "prosecutor", "facts": {"case_source": "self_investigated"}})
    assert by_name.to_json() == by_code.to_json()
    with pytest.raises(RequestError) as exc:
        lib.decide({"matter": "approve_arrest", "facts": {"case_source": "self_investigated", "案件来源": "其他"}})
    assert exc.value.code == "bad-request" and "twice" in exc.value.message


def test_a_name_two_codes_share_is_reported_and_refused(runner, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    matters = rules / "matters.yaml"
    matters.write_text(matters.read_text(encoding="utf-8").replace("aliases: [不批捕]", "aliases: [批捕]"),
                       encoding="utf-8")
    catalogue, found = load_catalogue(str(rules))
    clash = [f for f in found if f.code == "ambiguous-name"]
    assert len(clash) == 1 and "`approve_arrest` and `disapprove_arrest`" in clash[0].message.en
    r = runner.invoke(cli.main, ["decide", XJ2021, "-m", "批捕", "--rules", str(rules), "--lang", "en"])
    assert r.exit_code == 2
    assert "`批捕` names `approve_arrest` (批准逮捕) and `disapprove_arrest` (不批准逮捕)" in r.stderr
    r = runner.invoke(cli.main, ["decide", XJ2021, "-m", "批捕", "--rules", str(rules)])
    assert "`批捕` 是`approve_arrest`（批准逮捕）和`disapprove_arrest`（不批准逮捕）共用的名称" in r.stderr
    ok = runner.invoke(cli.main, ["decide", XJ2021, "-m", "批准逮捕", "--rules", str(rules), "--format", "json"])
    assert json.loads(ok.stdout)["matter"] == "approve_arrest"  # the names that are not shared still work


def test_the_server_decides_a_request_in_chinese_and_names_the_field_at_fault(tmp_path):
    from starlette.testclient import TestClient  # deferred: the serving stack is the optional extra quanze[serve]
    from quanze.decisionlog import GroupCommitter, SqliteStore
    from quanze.server.app import create_app
    from quanze.server.versions import Served
    served = Served(LISTS)
    log = GroupCommitter(SqliteStore(str(tmp_path / "log.sqlite")))
    try:
        with TestClient(create_app(served, log, on_error=lambda line: None)) as client:
            named = client.post("/v1/decide", json={"matter": "批准逮捕", "actor": "检察官",
                                                    "facts": {"案件来源": "监察机关移送"}}).json()
            coded = client.post("/v1/decide", json={"matter": "approve_arrest", "actor": "prosecutor",
                                                    "facts": {"case_source": "supervisory_commission"}}).json()
            named.pop("log_id"), coded.pop("log_id")
            assert named == coded and named["matter"] == "approve_arrest"
            bad = client.post("/v1/decide", json={"matter": "批准逮捕", "actor": "检察官", "decided_by": "检查长"})
            assert bad.status_code == 400
            assert bad.json()["error"]["field"] == "decided_by" and "(检察长)" in bad.json()["error"]["message"]
            value = client.post("/v1/decide", json={"matter": "批准逮捕", "facts": {"案件来源": "公安"}})
            assert value.json()["error"]["code"] == "bad-value" and value.json()["error"]["field"] == "facts.案件来源"
    finally:
        log.close()


@pytest.mark.parametrize("said", ["无社会危险性", "不需要逮捕", "无社会危险性、不需要逮捕", "no_social_danger"])
def test_a_value_is_typed_by_an_alias_of_its_label(runner, said):
    """A value whose label says two things (无社会危险性、不需要逮捕) is typed as either, as its whole
    label, or as its code: `value_aliases` in the catalogue."""
    r = _decide(runner, "-m", "不批准逮捕", "-a", "检察官", "-f", f"不批准逮捕的理由={said}")
    assert r.exit_code == 0, r.output
    assert _body(r)["status"] == "ok"


def test_an_alias_of_a_value_the_fact_does_not_have_is_a_finding(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    facts = rules / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace("      no_social_danger: [无社会危险性", "      no_social_dangr: [无社会危险性", 1),
                     encoding="utf-8")
    _, found = load_catalogue(str(rules))
    (bad,) = [f for f in found if f.code == "bad-value"]
    assert "no_social_dangr" in bad.message.en and "no_social_danger" in bad.message.en  # did you mean
    assert bad.place.line == text[:text.index("      no_social_danger: [无社会危险性")].count("\n") + 1


def test_two_values_sharing_an_alias_is_a_clash(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    facts = rules / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace(
        "statutory_exemption: [刑事诉讼法第十六条规定的情形]", "statutory_exemption: [无社会危险性]", 1), encoding="utf-8")
    _, found = load_catalogue(str(rules))
    assert [f.code for f in found if "无社会危险性" in f.message.en] == ["ambiguous-name"]
