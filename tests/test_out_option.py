"""`-o`/`--out FILE` on every command that writes a document (decide, check, diff, audit, show, log,
laws), through click's CliRunner: the file holds exactly what standard output would have shown, it is
written through the one atomic writer (an existing file replaced whole, keeping its mode), and a file
the command reads — the list's own files, the actions, the facts file, the decision log — is never
written over.
"""
from __future__ import annotations

import os
import shutil
import socket
import stat

import pytest

import cli
from tests.paths import LISTS, RULES

XJ19 = os.path.join(LISTS, "xj-2019")
XJ21 = os.path.join(LISTS, "xj-2021")
ACTION = ('{"case": "A-1", "matter": "return_for_supplementary_investigation", "actor": "prosecutor", '
          '"decided_by": "prosecutor", "facts": {"prior_supplementary_returns": 2}}\n')

# Each command's arguments, with "{lists}" for a copy of the sample lists (so that a refusal that
# failed could only damage a copy) and "{dir}" for the test's folder.
COMMANDS = {
    "decide": ["decide", "{lists}/xj-2021", "-m", "return_for_supplementary_investigation", "-a", "prosecutor",
               "-f", "prior_supplementary_returns=2"],
    "decide json": ["decide", "{lists}/xj-2021", "-m", "approve_arrest", "-a", "prosecutor", "--format", "json"],
    "check": ["check", "{lists}/xj-2021", "{dir}/actions.jsonl", "--format", "jsonl"],
    "diff": ["diff", "{lists}/xj-2019", "{lists}/xj-2021", "--lang", "en"],
    "diff json": ["diff", "{lists}/xj-2019", "{lists}/xj-2021", "--format", "json"],
    "audit": ["audit", "{lists}/xj-2021", "--against", "{lists}/xj-2019", "--format", "markdown"],
    "show": ["show", "{lists}/xj-2021"],
    "show html": ["show", "{lists}/xj-2021", "--format", "html", "--lang", "en"],
    "laws": ["laws", "--lang", "en"],
    "laws citation": ["laws", "《中华人民共和国刑事诉讼法》第一百七十五条", "--format", "json"],
    "log": ["log", "{dir}/log.sqlite"],
    "log csv": ["log", "{dir}/log.sqlite", "--format", "csv"],
}


@pytest.fixture
def work(tmp_path, runner):
    """A folder with a copy of the sample lists, an actions file and a decision log of one entry."""
    shutil.copytree(LISTS, tmp_path / "lists")
    (tmp_path / "actions.jsonl").write_text(ACTION, encoding="utf-8")
    r = runner.invoke(cli.main, ["decide", str(tmp_path / "lists" / "xj-2021"), "-m", "approve_arrest",
                                 "-a", "prosecutor", "--log", str(tmp_path / "log.sqlite"), "--rules", RULES])
    assert r.exit_code in (0, 1) and (tmp_path / "log.sqlite").is_file(), r.output
    return tmp_path


def _args(name, work):
    args = [a.replace("{lists}", str(work / "lists")).replace("{dir}", str(work)) for a in COMMANDS[name]]
    return args + (["--rules", RULES] if args[0] not in ("log",) else [])


@pytest.mark.parametrize("name", sorted(COMMANDS))
@pytest.mark.parametrize("spelling", ["-o", "--out"])
def test_out_writes_what_standard_output_shows(runner, work, name, spelling):
    args = _args(name, work)
    shown = runner.invoke(cli.main, args)
    assert shown.exit_code in (0, 1), shown.output
    target = work / "report.out"
    written = runner.invoke(cli.main, args + [spelling, str(target)])
    assert written.exit_code == shown.exit_code, written.output
    assert target.read_bytes() == shown.stdout_bytes
    assert written.stdout == ""  # the document went to the file, not also to the terminal


@pytest.mark.parametrize("name", ["decide", "diff", "show", "laws", "log"])
def test_out_replaces_an_existing_file_whole_keeping_its_mode(runner, work, name):
    target = work / "report.out"
    target.write_text("an older report, much longer than the new one " * 2000, encoding="utf-8")
    os.chmod(target, 0o640)
    r = runner.invoke(cli.main, _args(name, work) + ["-o", str(target)])
    assert r.exit_code in (0, 1), r.output
    assert "older report" not in target.read_text(encoding="utf-8")
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    assert [p.name for p in work.iterdir() if p.name.startswith(".report.out")] == []  # no temporary file left


# A file each command reads, which --out must refuse to write over.
READ = {
    "decide": "{lists}/xj-2021/procurator-general.yaml",
    "check": "{dir}/actions.jsonl",
    "diff": "{lists}/xj-2019/list.yaml",
    "audit": "{lists}/xj-2021/cases.yaml",
    "show": "{lists}/xj-2021/prosecutor.yaml",
    "log": "{dir}/log.sqlite",
}


@pytest.mark.parametrize("name", sorted(READ))
def test_out_never_writes_over_a_file_the_command_reads(runner, work, name):
    victim = READ[name].replace("{lists}", str(work / "lists")).replace("{dir}", str(work))
    before = open(victim, "rb").read()
    r = runner.invoke(cli.main, _args(name, work) + ["--out", victim])
    assert r.exit_code == 2, r.output
    line = r.stderr.strip()
    said = ("quanze: error: --out: ", "is the file being read") if "en" in _args(name, work) \
        else ("quanze: 错误: --out：", "是正在读取的文件")
    assert line.startswith(said[0]) and said[1] in line and "\n" not in line, line
    assert open(victim, "rb").read() == before


def test_audit_never_writes_over_the_list_it_supersedes_found_beside_it(runner, work):
    victim = work / "lists" / "xj-2019" / "prosecutor.yaml"
    before = victim.read_bytes()
    r = runner.invoke(cli.main, ["audit", str(work / "lists" / "xj-2021"), "-o", str(victim), "--rules", RULES])
    assert r.exit_code == 2, r.output
    assert victim.read_bytes() == before


def test_laws_never_writes_over_the_list_it_reads(runner, work):
    victim = work / "lists" / "xj-2021" / "list.yaml"
    before = victim.read_bytes()
    r = runner.invoke(cli.main, ["laws", "--list", str(work / "lists" / "xj-2021"), "-o", str(victim), "--rules", RULES])
    assert r.exit_code == 2 and "是正在读取的文件" in r.stderr, r.output
    assert victim.read_bytes() == before


@pytest.mark.parametrize("name", ["decide", "show", "diff", "laws", "log"])
def test_out_refuses_what_is_not_a_regular_file(runner, work, name):
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(work / "sock"))  # a socket: nothing to replace, nothing to write through
        r = runner.invoke(cli.main, _args(name, work) + ["-o", str(work / "sock")])
        assert r.exit_code == 2, r.output
        said = "not a regular file" if "en" in _args(name, work) else "不是普通文件"
        assert said in r.stderr and r.stderr.count("\n") == 1
        assert stat.S_ISSOCK(os.lstat(work / "sock").st_mode)
    finally:
        server.close()
    r = runner.invoke(cli.main, _args(name, work) + ["-o", str(work)])  # a folder: click refuses it
    assert r.exit_code == 2 and ("is a directory" if "en" in _args(name, work) else "是文件夹，这里需要一个文件") in r.stderr
    r = runner.invoke(cli.main, _args(name, work) + ["-o", str(work), "--lang", "en"])
    assert r.exit_code == 2 and "is a directory" in r.stderr


def test_out_in_a_folder_that_does_not_exist_is_a_usage_error(runner, work):
    r = runner.invoke(cli.main, _args("show", work) + ["-o", str(work / "no-such" / "x.html")])
    assert r.exit_code == 2
    assert r.stderr.startswith("quanze: 错误: --out：文件夹 ") and "不存在" in r.stderr


def test_audit_output_is_still_accepted_and_writes_the_same(runner, work):
    args = _args("audit", work)
    r1 = runner.invoke(cli.main, args + ["--output", str(work / "a.md")])
    r2 = runner.invoke(cli.main, args + ["--out", str(work / "b.md")])
    assert r1.exit_code == r2.exit_code == 0, r1.output
    assert (work / "a.md").read_bytes() == (work / "b.md").read_bytes() != b""
    assert r2.stderr.strip().endswith(str(work / "b.md"))


def test_every_command_that_writes_a_document_has_the_same_out_option():
    for name in ("decide", "check", "diff", "audit", "show", "log", "laws"):
        command = cli.main.commands[name]
        opts = [p for p in command.params if "--out" in getattr(p, "opts", ())]
        assert len(opts) == 1 and "-o" in opts[0].opts, name


@pytest.mark.parametrize("lang, fit, blocked", [("zh", "可以发布；已写入：", "不得发布；已写入："),
                                               ("en", "fit to publish: ", "blocked: ")])
def test_audit_out_says_the_verdict_and_the_file_in_the_run_s_language(runner, tmp_path, lang, fit, blocked):
    out = tmp_path / "审查.md"
    r = runner.invoke(cli.main, ["audit", os.path.join(LISTS, "xj-2021"), "--against", os.path.join(LISTS, "xj-2019"),
                                 "-o", str(out), "--lang", lang, "--rules", RULES])
    assert r.exit_code == 0 and r.stderr == f"{fit}{out}\n" and out.exists()
    broken = tmp_path / "broken"
    shutil.copytree(os.path.join(LISTS, "xj-2021"), broken)
    cases = broken / "cases.yaml"
    cases.write_text(cases.read_text(encoding="utf-8").replace("status: forbidden", "status: ok", 1), encoding="utf-8")
    r = runner.invoke(cli.main, ["audit", str(broken), "-o", str(tmp_path / "b.md"), "--lang", lang, "--rules", RULES])
    assert r.exit_code == 1 and r.stderr == f"{blocked}{tmp_path / 'b.md'}\n"
