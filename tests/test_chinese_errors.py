"""Every error a user can cause reads in Chinese under `--lang zh` (the default), and in English as
before under `--lang en`.

One table drives it, through click's CliRunner: per error family (a request that cannot be decided, a
usage error of a command, a refused `--out`, click's own parse errors), the arguments, the stable code
that stays in the line, and a fragment of its Chinese and of its English. Then one scan of every
Chinese message the table produces: outside the code, option names, file paths and what the user
typed (quoted in backticks), no English word may remain.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass

import pytest

import cli
from cli_usage import lang_of
from quanze.codes import REQUEST, codes_of
from quanze.present.words import BAD_LINE_CODES

from .paths import LISTS

XJ21 = os.path.join(LISTS, "xj-2021")
LEAD = {"zh": "quanze: 错误: ", "en": "quanze: error: "}


@dataclass(frozen=True)
class Case:
    id: str
    argv: list          # `{tmp}`: a fresh empty folder; `{xj21}`: the sample list
    code: str | None    # the stable code the line carries, where the error has one
    zh: str             # a fragment of the Chinese line
    en: str             # a fragment of the English line (as it was before Chinese errors)


def D(*args):  # `decide` on the sample list
    return ["decide", "{xj21}", *args]


CASES = [
    # request errors (decide)
    Case("unknown matter", D("-m", "不存在"), "unknown-matter", "未知事项 `不存在`", "unknown matter `不存在`"),
    Case("unknown authority", D("-m", "approve_arrest", "-a", "检查官"), "unknown-authority",
         "未知决定主体 `检查官`；是否应为 `prosecutor`（检察官）？", "did you mean `prosecutor` (检察官)?"),
    Case("unknown fact", D("-m", "approve_arrest", "-f", "无此事实=是"), "unknown-fact", "未知事实 `无此事实`",
         "unknown fact `无此事实`"),
    Case("bad boolean", D("-m", "approve_arrest", "-f", "case_is_major_difficult_complex=maybe"), "bad-value",
         "应为是或否", "is true or false"),
    Case("bad integer", D("-m", "return_for_supplementary_investigation", "-f", "prior_supplementary_returns=two"),
         "bad-value", "应为整数，不能是 `two`", "is an integer, not `two`"),
    Case("bad enum", D("-m", "approve_arrest", "-f", "case_source=police"), "bad-value", "不是事实 `case_source` 的取值",
         "is not a value of fact `case_source`"),
    Case("even committee", D("-m", "decide_recusal_of_police_head", "--vote", "10:7:6"), "bad-vote",
         "委员人数应为单数", "odd number of members"),
    Case("impossible vote", D("-m", "file_second_instance_protest", "--vote", "11:12:5"), "bad-vote",
         "不可能的表决", "impossible vote"),
    Case("vote form", D("-m", "file_second_instance_protest", "--vote", "eleven"), "bad-vote", "如 11:7:5，不能是 `eleven`",
         "--vote takes MEMBERS:PRESENT:IN_FAVOUR"),
    Case("--fact without =", D("-m", "approve_arrest", "-f", "novalue"), "bad-request", "--fact 的格式是 K=V",
         "--fact takes K=V"),
    Case("no list in force", ["decide", LISTS, "--on", "2015-01-01", "-m", "approve_arrest"], "no-list-in-force",
         "2015-01-01 没有施行中的清单", "no list is in force on 2015-01-01"),
    Case("--on not a day", D("-m", "approve_arrest", "--on", "yesterday"), "bad-value", "`on`：`yesterday` 不是日期",
         "`on`: `yesterday` is not a date"),
    Case("show --on before every list", ["show", LISTS, "--on", "2015-01-01"], "no-list-in-force", "没有施行中的清单",
         "no list is in force"),
    # usage errors of the commands
    Case("init unknown level", ["init", "{tmp}/jd", "--level", "county", "--issuer", "某院"], None, "--level：未知层级 `county`",
         "--level: unknown level `county`"),
    Case("init without its level", ["init", "{tmp}/jd"], None, "新建清单需要 --level 和 --issuer",
         "a new list needs --level and --issuer"),
    Case("init in no folder", ["init", "{tmp}/no/jd", "--level", "基层", "--issuer", "某院", "--effective-from",
                               "2024-03-01"], None, "不存在", "does not exist"),
    Case("init a bad day", ["init", "{tmp}/jd", "--level", "基层", "--issuer", "某院", "--effective-from", "2024-3-1"],
         None, "--effective-from：`2024-3-1` 不是日期", "--effective-from: `2024-3-1` is not a day"),
    Case("init --from no list", ["init", "{tmp}/jd", "--from", "{tmp}"], None, "不是清单文件夹", "is not a list folder"),
    Case("audit --against nothing", ["audit", "{xj21}", "--against", "/nope"], None, "--against：`/nope` 不是清单文件夹",
         "--against: `/nope` is not a list folder"),
    Case("audit --replay nothing", ["audit", "{xj21}", "--replay", "{tmp}/none.jsonl"], None, "没有这个文件", "no such file"),
    Case("revision note as JSON", ["audit", "{xj21}", "--revision-note", "--format", "json"], None,
         "--revision-note 写成 Markdown", "--revision-note is written as Markdown"),
    Case("show no list", ["show", "/nope"], None, "`/nope`：没有这个清单文件夹", "`/nope`: no such list folder"),
    Case("diff no list", ["diff", "{tmp}", "{xj21}"], None, "不是清单文件夹", "is not a list folder"),
    Case("laws --on alone", ["laws", "--on", "2022-01-01"], None, "--on 需要一个要核对的引用", "--on needs a CITATION"),
    Case("laws --on not a day", ["laws", "《中华人民共和国刑事诉讼法》第一条", "--on", "2022-02-30"], None,
         "--on：`2022-02-30` 不是日期", "--on: `2022-02-30` is not a date"),
    Case("log no log", ["log", "{tmp}/none.sqlite"], "no-log", "没有这个决定日志", "no such decision log"),
    Case("log no file", ["log"], None, "请给出 FILE", "give FILE"),
    Case("test no list", ["test", "{tmp}"], None, "没有找到清单文件夹", "no list folders found"),
    Case("validate --rules not a folder", ["validate", "--rules", "/nope"], None, "--rules：`/nope` 不是文件夹",
         "--rules: `/nope` is not a folder"),
    Case("matters of no line", ["matters", "--line", "civl"], None, "未知业务条线 `civl`；是否应为 `civil`？",
         "unknown business line `civl`; did you mean `civil`?"),
    Case("check unknown format", ["check", "{xj21}", "{tmp}/actions.txt"], None, "无法从扩展名判断格式",
         "cannot tell the format"),
    Case("check a folder", ["check", "{xj21}", "{tmp}/dir.jsonl"], None, "是文件夹，不是案件行为文件",
         "is a folder, not an action file"),
    Case("--pg-dissents alone", D("-m", "approve_arrest", "--pg-dissents"), None, "--pg-dissents 记录检察长",
         "--pg-dissents records a dissent"),
    # --out refused
    Case("--out over the input", ["show", "{xj21}", "--out", "{xj21}/list.yaml"], None, "是正在读取的文件：写入会毁掉它",
         "is the file being read: writing it would destroy it"),
    Case("--out in no folder", ["show", "{xj21}", "--out", "{tmp}/no/x.txt"], None, "文件夹", "the folder"),
    # click's own
    Case("no such option", D("-m", "approve_arrest", "--bogus"), None, "没有选项 `--bogus`", "No such option '--bogus'"),
    Case("no such command", ["bogus"], None, "没有命令 `bogus`", "No such command 'bogus'"),
    Case("missing argument", ["decide"], None, "缺少参数 LIST", "Missing argument 'LIST'"),
    Case("missing option", ["decide", "{xj21}"], None, "缺少选项 `--matter`/`-m`", "Missing option"),
    Case("invalid choice", D("-m", "approve_arrest", "--format", "xml"), None, "`--format` 的取值无效：`xml` 不是可选的值",
         "'xml' is not one of 'text', 'json'"),
    Case("not an integer", ["check", "{xj21}", "a.jsonl", "--jobs", "abc"], None, "`abc` 不是整数",
         "'abc' is not a valid integer range"),
    Case("out of range", ["check", "{xj21}", "a.jsonl", "--jobs", "99"], None, "`99` 不在 1 到 64 之间",
         "99 is not in the range"),
    Case("a folder for a file", D("-m", "approve_arrest", "--log", "{tmp}"), None, "是文件夹，这里需要一个文件",
         "is a directory"),
    Case("a flag given a value", ["validate", "--strict=1"], None, "选项 `--strict` 不带取值",
         "Option '--strict' does not take a value"),
    Case("an option without its value", D("-m"), None, "选项 `-m` 需要一个取值", "Option '-m' requires an argument"),
    Case("extra arguments", ["matters", "extra", "more"], None, "多余的参数：`extra` `more`",
         "Got unexpected extra arguments (extra more)"),
    Case("--lang not a language", ["validate", "--lang", "fr"], None, "`fr` 不是可选的值（zh、en）", "'fr' is not one of"),
]


def _run(runner, tmp_path, case: Case, lang: str | None):
    (tmp_path / "dir.jsonl").mkdir(exist_ok=True)
    (tmp_path / "actions.txt").write_text("", encoding="utf-8")
    argv = [a.replace("{tmp}", str(tmp_path)).replace("{xj21}", XJ21) for a in case.argv]
    if lang is not None:  # after the command's name: an option's value or an argument stays where the case has it
        argv[1:1] = ["--lang", lang]
    return runner.invoke(cli.main, argv)


def _line(result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_an_error_is_in_chinese_by_default_with_its_code(runner, tmp_path, case):
    line = _line(_run(runner, tmp_path, case, None))
    lead = LEAD["zh"] + (f"{case.code}: " if case.code else "")
    assert line.startswith(lead) and case.zh in line, line
    assert case.en not in line


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_an_error_is_in_english_as_before_under_lang_en(runner, tmp_path, case):
    line = _line(_run(runner, tmp_path, case, "en"))
    lead = LEAD["en"] + (f"{case.code}: " if case.code else "")
    assert line.startswith(lead) and case.en in line, line


# What a Chinese message may hold in Latin letters besides the code, option names, paths and the user's
# input: the metavariables of the usage (LIST, FILE …), formats and names of standards, and quanze.
ALLOWED = {"quanze", "LIST", "FILE", "OLD", "NEW", "CITATION", "MEMBERS", "PRESENT", "IN_FAVOUR", "YYYY", "MM", "DD",
           "HH", "SS", "JSON", "CSV", "UTF", "ASCII", "Markdown", "HTML", "SQLite", "Starlette", "uvicorn", "pip", "serve",
           "validate", "help", "verify", "jsonl", "csv", "json", "markdown", "html", "text", "zh", "en", "id",
           "K", "V", "N", "P", "Y", "T", "Z", "dissent", "Bearer", "TOKEN", "Authorization", "http", "bearer", "token"}
QUOTED = re.compile(r"`[^`]*`|'[^']*'")
OPTION = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*(=\S*)?")
PATH = re.compile(r"[^\s（）、，；：]*[./][^\s（）、，；：]*")  # a path, a file's name or extension
IDENTIFIER = re.compile(r"\b[A-Za-z]\w*(?:[-_]\w+)+\b")  # a code or an id: unknown-matter, case_source, xj-2019


def english_words(message: str, code: str | None) -> list[str]:
    """The Latin-letter words of a Chinese error line outside what it may hold (see ALLOWED)."""
    rest = message[len(LEAD["zh"]):]
    if code and rest.startswith(code + ": "):
        rest = rest[len(code) + 2:]
    for pattern in (QUOTED, OPTION, PATH, IDENTIFIER):
        rest = pattern.sub(" ", rest)
    return [w for w in re.findall(r"[A-Za-z][A-Za-z_]*", rest) if w not in ALLOWED]


def test_no_chinese_error_holds_an_english_word(runner, tmp_path):
    """Every Chinese line the table produces, scanned: outside the code, the options, the paths and the
    user's input, nothing is English. (The scan itself finds English where there is some.)"""
    assert english_words("quanze: 错误: unknown-matter: unknown matter `x`", "unknown-matter") == ["unknown", "matter"]
    found = {}
    for case in CASES:
        line = _line(_run(runner, tmp_path, case, None))
        words = english_words(line, case.code)
        if words:
            found[case.id] = (words, line)
    assert found == {}


def test_the_language_is_read_before_click_parses():
    assert lang_of(["decide", "x", "--lang", "en"]) == "en"
    assert lang_of(["decide", "x", "--lang=en", "--lang", "zh"]) == "zh"  # the last, as click takes it
    assert lang_of(["decide", "x", "--", "--lang", "en"]) == "zh"  # after `--`, no option
    assert lang_of(["decide", "--lang", "fr"]) == "zh"
    assert lang_of([]) == "zh"


# --- a batch's bad lines ----------------------------------------------------------------------------

BAD_LINES = ['{"matter": "不存在", "case": "A1"}', "not json", '{"matter": "approve_arrest", "vote": {"members": 2, '
             '"present": 1, "in_favour": 1}}']


def _actions(tmp_path) -> str:
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(BAD_LINES) + "\n", encoding="utf-8")
    return str(path)


def test_a_bad_line_in_json_lines_keeps_its_english_message_and_adds_message_zh(runner, tmp_path):
    for lang in ("zh", "en"):  # the JSON is the same in both
        r = runner.invoke(cli.main, ["check", XJ21, _actions(tmp_path), "--format", "jsonl", "--lang", lang])
        lines = [json.loads(l) for l in r.stdout.splitlines()]
        assert lines[0] == {"line": 1, "case": "A1", "error": {"code": "unknown-matter", "message": "unknown matter `不存在`",
                                                               "message_zh": "未知事项 `不存在`"}}
        assert [l["error"]["code"] for l in lines] == ["unknown-matter", "bad-json", "bad-vote"]
        assert all(set(l["error"]) == {"code", "message", "message_zh"} for l in lines)


def test_a_bad_line_in_the_csv_and_the_table_is_in_the_language_of_the_run(runner, tmp_path):
    zh = runner.invoke(cli.main, ["check", XJ21, _actions(tmp_path), "--format", "csv"])
    assert "unknown-matter: 未知事项 `不存在`" in zh.stdout and "bad-vote: 检察委员会委员人数应为单数" in zh.stdout
    en = runner.invoke(cli.main, ["check", XJ21, _actions(tmp_path), "--format", "csv", "--lang", "en"])
    assert "unknown-matter: unknown matter `不存在`" in en.stdout
    table = runner.invoke(cli.main, ["check", XJ21, _actions(tmp_path), "--format", "text"], env={"COLUMNS": "200"})
    assert "unknown-matter: 未知事项 `不存在`" in table.stdout
    # the summary names each bad line's code by what it means, and keeps the code
    assert "错误行：不是有效的 JSON（bad-json） 1，表决有误（bad-vote） 1，未知事项（unknown-matter） 1" in table.stdout
    english = runner.invoke(cli.main, ["check", XJ21, _actions(tmp_path), "--format", "text", "--lang", "en"])
    assert "bad lines by code: bad-json 1, bad-vote 1, unknown-matter 1" in english.stdout


def test_a_csv_check_wrote_in_chinese_reads_back_with_its_codes(runner, tmp_path):
    out = tmp_path / "out.csv"
    runner.invoke(cli.main, ["check", XJ21, _actions(tmp_path), "--out", str(out)])
    again = runner.invoke(cli.main, ["check", XJ21, str(out), "--format", "jsonl"])
    assert [json.loads(l)["error"]["code"] for l in again.stdout.splitlines()] == ["unknown-matter", "bad-json", "bad-vote"]


def test_every_request_code_has_its_chinese_meaning_for_the_summary():
    assert set(codes_of(REQUEST)) <= set(BAD_LINE_CODES)
