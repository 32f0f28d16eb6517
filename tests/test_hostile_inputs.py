"""Hostile inputs (issue 11): loading, validation and command-line arguments, as a careless or hostile
user gives them. Each row is an input or a command, the exit status it must give and the finding or
message code its output must name; a row that once let something through says what (`absent`).

Three tables: commands through click's runner (`CLI`), commands that need a real process (a closed
standard stream, a signal, a broken pipe: `PROCESS`), and calls of the library (`LIBRARY`). Files a
row needs are written under the test's tmp folder: `files` (text or bytes), `links` (a symbolic link
to a target; `{tmp}` and `{repo}` are replaced) and `fifos` (named pipes); `{tmp}` and `{repo}` are
replaced in the arguments too.
"""
from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import cli
from quanze import Library
from quanze.actions import parse_vote_cell
from quanze.audit import run_audit
from quanze.conditions import check_value
from quanze.model import Fact, Text
from quanze.requests import RequestError, coerce_fact, parse_date, vote_from_text
from quanze.validate import validate_paths

from .paths import LISTS, ROOT

QUANZE = os.path.join(os.path.dirname(sys.executable), "quanze")
XJ2021 = os.path.join(LISTS, "xj-2021")
INVALID = Path(__file__).resolve().parent / "fixtures" / "invalid"

HEAD = """\
id: fx
title: {zh: 测试清单, en: test list}
issuer: {zh: 测试检察院, en: test procuratorate}
level: provincial
effective_from: 2021-11-01
parts:
  prosecutor: prosecutor.yaml
"""
PART = """\
part: prosecutor
items:
  - id: P-1
    matter: sentencing_recommendation
    responsibility: {zh: 承办检察官对决定负责, en: the handling prosecutor answers for the decision}
    basis: ["《人民检察院刑事诉讼规则》第四条"]
"""
CASES = """\
cases:
  - name: 量刑建议由检察官决定
    request: {matter: sentencing_recommendation, actor: prosecutor, on: 2022-01-01}
    expect: {status: ok, authority: prosecutor}
"""


def a_list(head: str = HEAD, part: str = PART, **more: str | bytes) -> dict:
    """The files of a clean one-item list at `l/` (the shape of tests/fixtures/invalid), with changes."""
    return {"l/list.yaml": head, "l/prosecutor.yaml": part, **{f"l/{name}.yaml": text for name, text in more.items()}}


@dataclass
class Row:
    id: str
    argv: list
    exit: int
    code: str                      # the finding code or message the output names
    files: dict = field(default_factory=dict)
    links: dict = field(default_factory=dict)
    fifos: tuple = ()
    input: str | None = None       # standard input (CLI rows)
    absent: str | None = None      # text the output must not hold


def _place(row: Row, tmp: Path) -> list:
    def fill(text: str) -> str:
        return text.replace("{tmp}", str(tmp)).replace("{repo}", ROOT)
    for rel, content in row.files.items():
        path = tmp / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    for rel, target in row.links.items():
        (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(fill(target), tmp / rel)
    for rel in row.fifos:
        (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(tmp / rel)
    return [fill(a) for a in row.argv]


L = "{tmp}/l"
SELF_SUPERSEDING = HEAD + "supersedes: fx\n"

CLI = [
    # 11: nothing outside a list's folder is read
    Row("list.yaml links to /etc/passwd: validate", ["validate", L], 1, "outside-folder",
        files={"l/prosecutor.yaml": PART}, links={"l/list.yaml": "/etc/passwd"}, absent="root:"),
    Row("list.yaml links to /etc/passwd: decide", ["decide", L, "-m", "approve_arrest"], 2, "outside-folder",
        files={"l/prosecutor.yaml": PART}, links={"l/list.yaml": "/etc/passwd"}, absent="root:"),
    Row("list.yaml links to /etc/passwd: show", ["show", L], 2, "outside-folder",
        files={"l/prosecutor.yaml": PART}, links={"l/list.yaml": "/etc/passwd"}, absent="root:"),
    Row("list.yaml links out of the folder: audit", ["audit", L], 1, "outside-folder",
        files={"l/prosecutor.yaml": PART, "elsewhere.yaml": HEAD}, links={"l/list.yaml": "{tmp}/elsewhere.yaml"}),
    Row("cases.yaml links to /etc/passwd: validate", ["validate", L], 1, "outside-folder",
        files=a_list(), links={"l/cases.yaml": "/etc/passwd"}, absent="root:"),
    Row("cases.yaml links to /etc/passwd: test", ["test", L], 1, "outside-folder",
        files=a_list(), links={"l/cases.yaml": "/etc/passwd"}, absent="root:"),
    Row("cases.yaml links to /etc/passwd: audit", ["audit", L], 1, "outside-folder",
        files=a_list(), links={"l/cases.yaml": "/etc/passwd"}, absent="root:"),
    Row("a part linked out of the folder is still refused", ["validate", L], 1, "part-outside",
        files={"l/list.yaml": HEAD, "outside.yaml": PART}, links={"l/prosecutor.yaml": "{tmp}/outside.yaml"}),
    Row("a link inside the folder is read", ["validate", L, "--lang", "en"], 0, "0 errors",
        files={"l/list.yaml": HEAD, "l/real.yaml": PART}, links={"l/prosecutor.yaml": "real.yaml"}),
    # 13: a date that names no day
    Row("effective_from: 2021-13-45 (a YAML date)", ["validate", L], 1, "bad-dates",
        files=a_list(HEAD.replace("2021-11-01", "2021-13-45"))),
    Row("effective_from: '2021-02-30' (a quoted date)", ["validate", L], 1, "bad-dates",
        files=a_list(HEAD.replace("2021-11-01", "'2021-02-30'"))),
    Row("effective_to: 2022-02-29 (no leap year)", ["validate", L], 1, "bad-dates",
        files=a_list(HEAD + "effective_to: 2022-02-29\n")),
    Row("effective_from: 2021-13-45: audit is blocked", ["audit", L], 1, "bad-dates",
        files=a_list(HEAD.replace("2021-11-01", "2021-13-45"))),
    Row("a case's on: 2021-02-30", ["validate", L], 1, "bad-dates",
        files=a_list(cases=CASES.replace("2022-01-01", "2021-02-30"))),
    Row("a date with a trailing newline is not a date", ["validate", L], 1, "schema",
        files=a_list(HEAD.replace("2021-11-01", '"2021-11-01\\n"'))),
    # 14: audit never says fit where validate finds an error
    Row("a list that supersedes itself: validate", ["validate", L], 1, "supersedes-cycle",
        files=a_list(SELF_SUPERSEDING)),
    Row("a list that supersedes itself: audit", ["audit", L], 1, "supersedes-cycle",
        files=a_list(SELF_SUPERSEDING), absent="可以发布"),
    Row("a list that supersedes itself: audit --lang en", ["audit", L, "--lang", "en", "--format", "json"], 1,
        '"verdict": "blocked"', files=a_list(SELF_SUPERSEDING)),
    Row("supersedes a list that is nowhere: audit", ["audit", L], 1, "unknown-list",
        files=a_list(HEAD + "supersedes: fx-0\n")),
    # 15: bad dates exit 2 everywhere
    Row("show lists --on yesterday", ["show", LISTS, "--on", "yesterday"], 2, "bad-value"),
    Row("show lists --on 2021-13-45", ["show", LISTS, "--on", "2021-13-45"], 2, "bad-value"),
    Row("show one list --on yesterday", ["show", XJ2021, "--on", "yesterday"], 2, "bad-value"),
    Row("decide lists --on 2021-W44-1", ["decide", LISTS, "--on", "2021-W44-1", "-m", "approve_arrest"], 2,
        "bad-value"),
    Row("decide --on 20211101", ["decide", XJ2021, "--on", "20211101", "-m", "approve_arrest"], 2, "bad-value"),
    # 17: --ask with no answers is bad input, not "may not decide"
    Row("decide --ask with standard input at its end",
        ["decide", XJ2021, "-m", "extend_review_period", "-a", "prosecutor", "--ask"], 2, "--ask：事实 `case_is_major_or_complex` 尚未回答，标准输入已经结束",
        input=""),
    Row("an --ask answer in Arabic-Indic digits is asked again",
        ["decide", XJ2021, "-m", "return_for_supplementary_investigation", "-a", "prosecutor", "--ask"], 2,
        "应为整数，不能是 `٢`", input="٢\n"),
    # 18: one list is not its own duplicate; a pattern's `$` is the end of the text
    Row("validate lists lists", ["validate", LISTS, LISTS, "--lang", "en"], 0, "(3 lists and the rules checked)",
        absent="duplicate-list"),
    Row("validate lists lists/xj-2021", ["validate", LISTS, XJ2021, LISTS + "/../lists", "--lang", "en"], 0,
        "(3 lists and the rules checked)", absent="duplicate-list"),
    Row('an id "P-1\\n"', ["validate", L], 1, "P-1\\n` does not have the form",
        files=a_list(part=PART.replace("id: P-1", 'id: "P-1\\n"'))),
    Row('a list id "fx\\n"', ["validate", L], 1, "schema", files=a_list(HEAD.replace("id: fx", 'id: "fx\\n"'))),
    # clear messages
    Row("a part file that is not UTF-8 is placed at its line", ["validate", L], 1, "prosecutor.yaml:7: unreadable",
        files=a_list(part=PART.encode() + b"    note: \"\xff\xfe\"\n")),
    Row("a part that is a folder", ["validate", L], 1, "`prosecutor.yaml` is a folder",
        files={"l/list.yaml": HEAD, "l/prosecutor.yaml/x": "x"}),
    Row("a part that is a FIFO (not opened: it would block)", ["validate", L], 1, "is a named pipe (FIFO)",
        files={"l/list.yaml": HEAD}, fifos=("l/prosecutor.yaml",)),
    Row("list.yaml that is a FIFO", ["validate", L], 1, "is a named pipe (FIFO)",
        files={"l/prosecutor.yaml": PART}, fifos=("l/list.yaml",)),
    Row("list.yaml that is a folder", ["validate", L], 1, "is a folder, not a file",
        files={"l/prosecutor.yaml": PART, "l/list.yaml/x": "x"}),
    Row("cases.yaml that is a FIFO", ["test", L], 1, "is a named pipe (FIFO)", files=a_list(), fifos=("l/cases.yaml",)),
    Row("two YAML documents in one file", ["validate", L], 1, "a file holds one document",
        files=a_list(part=PART + "---\n" + PART), absent="but found another document"),
    Row("audit --replay FOLDER", ["audit", XJ2021, "--replay", "{tmp}"], 2, "是文件夹，不是文件",
        absent="没有这个文件"),
    Row("audit --replay MISSING", ["audit", XJ2021, "--replay", "{tmp}/nothing.jsonl"], 2, "没有这个文件"),
    Row("--pg-dissents without --vote", ["decide", XJ2021, "-m", "decide_recusal_of_procurator_general",
                                         "--pg-dissents"], 2, "--pg-dissents"),
    Row("a repeated --fact", ["decide", XJ2021, "-m", "extend_review_period", "-a", "prosecutor",
                              "-f", "case_is_major_or_complex=是", "-f", "case_is_major_or_complex=否"], 2,
        "--fact case_is_major_or_complex 给出了 2 次"),
    Row("--vote in full-width digits", ["decide", XJ2021, "-m", "decide_recusal_of_procurator_general",
                                        "--vote", "１１:７:６"], 2, "bad-vote"),
    Row("--fact in Arabic-Indic digits", ["decide", XJ2021, "-m", "return_for_supplementary_investigation",
                                          "-f", "prior_supplementary_returns=٢"], 2, "bad-value"),
    Row("--fact with an underscore in the number", ["decide", XJ2021, "-m", "return_for_supplementary_investigation",
                                                    "-f", "prior_supplementary_returns=1_0"], 2, "bad-value"),
    Row("a CSV cell in full-width digits is a bad line", ["check", XJ2021, "{tmp}/a.csv", "--format", "jsonl"], 1,
        '"error": {"code": "bad-value"',
        files={"a.csv": "case,matter,actor,prior_supplementary_returns\n1,return_for_supplementary_investigation,"
                        "prosecutor,２\n"}),
    Row("a CSV vote in full-width digits is a bad line", ["check", XJ2021, "{tmp}/a.csv", "--format", "jsonl"], 1,
        '"error": {"code": "bad-vote"', files={"a.csv": "case,matter,vote\n1,decide_recusal_of_procurator_general,１１:７:６\n"}),
]


@pytest.mark.parametrize("row", CLI, ids=[r.id for r in CLI])
def test_cli(row, tmp_path, runner):
    argv = _place(row, tmp_path)
    if argv[0] in ("validate", "test") and "--lang" not in argv:
        argv += ["--lang", "en"]  # the rows quote the English of the findings (the Chinese: test_messages.py)
    result = runner.invoke(cli.main, argv, input=row.input)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert row.code in result.output, result.output[-2000:]
    assert result.exit_code == row.exit, result.output[-2000:]
    if row.absent is not None:
        assert row.absent not in result.output


def test_quanze_test_runs_a_list_given_twice_once(runner):
    once = runner.invoke(cli.main, ["test", LISTS, "--format", "json"])
    twice = runner.invoke(cli.main, ["test", LISTS, XJ2021, XJ2021 + "/.", "--format", "json"])
    assert once.exit_code == twice.exit_code == 0
    assert twice.stdout == once.stdout and twice.stderr == once.stderr


# --- real processes: closed streams, signals, pipes -------------------------------------------------

INTERRUPT_WHILE_IMPORTING = """
import builtins, os, signal
real = builtins.__import__
def hooked(name, *args, **kwargs):
    if name == "jsonschema":
        os.kill(os.getpid(), signal.SIGINT)
    return real(name, *args, **kwargs)
builtins.__import__ = hooked
import cli
cli.run()
"""
INTERRUPT_WHILE_LOADING = """
import os, signal, sys
import cli
from quanze import Library
def load(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGINT)
    signal.pause()
Library.load = load
sys.argv = ["quanze", "decide", sys.argv[1], "-m", "approve_arrest", "-a", "prosecutor"]
cli.run()
"""


@dataclass
class Process:
    id: str
    shell: str        # a bash command; $Q is quanze, $PY python, $L the 2021 list
    exit: int
    stderr: str       # the one line on standard error


PROCESS = [
    Process("check with standard output closed", '$Q check $L "$ACTIONS" >&-', 2,
            "quanze: 错误: 无法读写：标准输出已关闭"),
    Process("validate with standard output closed", "$Q validate $L >&-", 2,
            "quanze: 错误: 无法读写：标准输出已关闭"),
    Process("decide with standard output closed", "$Q decide $L -m approve_arrest -a prosecutor --lang en >&-", 2,
            "quanze: error: cannot read or write: standard output is closed"),
    Process("check - with standard input closed", "$Q check $L - <&-", 2,
            "quanze: 错误: 无法读写：标准输入已关闭"),
    Process("decide --facts - with standard input closed",
            "$Q decide $L -m approve_arrest -a prosecutor --facts - --lang en <&-", 2,
            "quanze: error: cannot read or write: standard input is closed"),
    Process("Ctrl-C while quanze's modules load", '$PY -c "$INTERRUPT_WHILE_IMPORTING"', 130, "quanze: 已中断"),
    Process("Ctrl-C while a list loads", '$PY -c "$INTERRUPT_WHILE_LOADING" $L', 130, "quanze: 已中断"),
]


def _bash(command: str, tmp: Path, **env: str) -> subprocess.CompletedProcess:
    actions = tmp / "a.jsonl"
    actions.write_text('{"matter": "approve_arrest", "actor": "prosecutor"}\n', encoding="utf-8")
    variables = dict(os.environ, Q=QUANZE, PY=sys.executable, L=XJ2021, ACTIONS=str(actions),
                     INTERRUPT_WHILE_IMPORTING=INTERRUPT_WHILE_IMPORTING,
                     INTERRUPT_WHILE_LOADING=INTERRUPT_WHILE_LOADING, **env)
    return subprocess.run(["bash", "-c", command], cwd=tmp, env=variables, capture_output=True, timeout=120)


@pytest.mark.parametrize("row", PROCESS, ids=[p.id for p in PROCESS])
def test_process(row, tmp_path):
    done = _bash(row.shell, tmp_path)
    assert done.stderr.decode() == row.stderr + "\n"
    assert done.returncode == row.exit


def test_a_reader_that_goes_away_is_exit_2_not_a_silent_1():
    """`quanze show ... | head -1`: a broken pipe was exit 1 in silence (for decide: "may not decide")."""
    proc = subprocess.Popen([QUANZE, "show", XJ2021, "--format", "html"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdout.close()
    assert proc.wait(timeout=120) == 2
    assert proc.stderr.read().decode() == "quanze: 错误: 无法读写 `标准输出`：读取方已关闭\n"


# --- the library ---------------------------------------------------------------------------------

DATE_FACT = Fact("decided_on", "date", Text("何日？", "on which day?"))


def _library():
    return Library.load(LISTS)


LIBRARY = [
    ("Library.pick('yesterday')", lambda cat: _library().pick("yesterday"), "bad-value"),
    ("Library.pick('2021-13-45')", lambda cat: _library().pick("2021-13-45"), "bad-value"),
    ("Library.pick('')", lambda cat: _library().pick(""), "bad-value"),
    ("a request on 2021-W44-1 (fromisoformat reads it)",
     lambda cat: _library().decide({"matter": "approve_arrest", "on": "2021-W44-1"}), "bad-value"),
    ("a request on ２０２１-１１-０１", lambda cat: parse_date("２０２１-１１-０１", "on"), "bad-value"),
    ("a date fact 2021-W44-1", lambda cat: _raise_if(check_value(DATE_FACT, "2021-W44-1")), "bad-value"),
    ("a date fact 2021-02-30", lambda cat: _raise_if(check_value(DATE_FACT, "2021-02-30")), "bad-value"),
    ("a fact ٢", lambda cat: coerce_fact(cat, "prior_supplementary_returns", "٢"), "bad-value"),
    ("a fact ２", lambda cat: coerce_fact(cat, "prior_supplementary_returns", "２"), "bad-value"),
    ("a fact +2", lambda cat: coerce_fact(cat, "prior_supplementary_returns", "+2"), "bad-value"),
    ("a vote １１:７:６", lambda cat: vote_from_text("１１:７:６"), "bad-vote"),
    ("a vote 11:7:٦", lambda cat: vote_from_text("11:7:٦"), "bad-vote"),
    ("a CSV vote cell １１:７:６", lambda cat: parse_vote_cell("１１:７:６"), "bad-vote"),
]


def _raise_if(problems: list):
    if problems:
        raise RequestError("bad-value", problems[0])


@pytest.mark.parametrize("call,code", [(c, k) for _, c, k in LIBRARY], ids=[i for i, _, _ in LIBRARY])
def test_library(call, code, catalogue):
    with pytest.raises(RequestError) as info:
        call(catalogue)
    assert info.value.code == code


def test_ascii_numbers_and_days_still_read(catalogue):
    assert coerce_fact(catalogue, "prior_supplementary_returns", " 2 ") == 2
    assert vote_from_text("11:7:6").in_favour == 6
    assert parse_date("2024-02-29", "on") == "2024-02-29"
    assert check_value(DATE_FACT, "2024-02-29") == []
    assert _library().pick("2022-03-01").id == "xj-2021"


# --- 14, structurally: every error of validate blocks audit ---------------------------------------

def _list_fixtures():
    """The invalid fixtures that are one list folder, with the errors validate finds in each."""
    out = []
    for folder in sorted(p for p in INVALID.iterdir() if p.is_dir()):
        if (folder / "list.yaml").exists():
            out.append(folder.name)
    return out


@pytest.mark.parametrize("name", _list_fixtures())
def test_audit_blocks_every_list_validate_finds_an_error_in(name, catalogue):
    folder = str(INVALID / name)
    findings, _ = validate_paths([folder])
    audit = run_audit(folder, catalogue)
    if not findings.ok:
        assert not audit.fit
        blocked = {(f.file, f.line) for f in audit.blocking}
        assert {(f.file, f.line) for f in findings.errors} <= blocked


def test_audit_blocks_validation_errors_whatever_publication_yaml_declares(tmp_path, catalogue):
    """A rules folder whose publication.yaml makes PUB-VALID a warning, or leaves it out, cannot make
    audit call fit a list that does not validate."""
    _place(Row("", [], 0, "", files=a_list(SELF_SUPERSEDING)), tmp_path)
    folder = str(tmp_path / "l")
    lowered = tuple(dataclasses.replace(c, severity="warning") if c.id == "PUB-VALID" else c
                    for c in catalogue.publication)
    for publication in (lowered, tuple(c for c in catalogue.publication if c.id != "PUB-VALID")):
        audit = run_audit(folder, dataclasses.replace(catalogue, publication=publication))
        assert not audit.fit
        assert [f.detail.en for f in audit.blocking if "supersedes-cycle" in f.detail.en]
