"""Hostile texts in a list, on their way out (issue 11, items 9 and 10): Markdown from `show`, `diff` and
`audit` keeps them literal text (no raw HTML, no link, no injected heading), and nothing printed to a
terminal carries a control character or a bidi override from them. Each row: a command, what must not
appear in its output, and what must (the text, defused)."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

import cli
from quanze.present.escape import json_for_terminal, md, md_code, terminal

from .paths import LISTS

ESC = "\x1b]0;pwned\x07\x1b[2J"  # set the window title, clear the screen
RLO = "\u202e"                   # right-to-left override: hides what follows
SCRIPT = "<script>alert(1)</script>"
LINK = "[点此](javascript:alert(1))"
HEADING = "\n# 伪造的标题\n"


def _yaml(text: str) -> str:
    return json.dumps(text, ensure_ascii=True)  # a YAML double-quoted scalar that makes the control characters


@pytest.fixture()
def hostile(tmp_path) -> Path:
    """xj-2021 with hostile texts in its title, an item's responsibility and note, and a case's name."""
    folder = tmp_path / "evil"
    shutil.copytree(Path(LISTS) / "xj-2021", folder)
    lst = (folder / "list.yaml").read_text(encoding="utf-8")
    title = _yaml("清单" + ESC + SCRIPT + LINK + HEADING + RLO)
    lst = re.sub(r"(?m)^title:\n  zh: .*$", lambda m: "title:\n  zh: " + title, lst, count=1)
    (folder / "list.yaml").write_text(lst, encoding="utf-8")
    part = (folder / "prosecutor.yaml").read_text(encoding="utf-8")
    duty = _yaml(SCRIPT + LINK + ESC)
    part = re.sub(r"(?m)^(  responsibility:\n    zh: ).*$", lambda m: m.group(1) + duty, part, count=1)
    (folder / "prosecutor.yaml").write_text(part, encoding="utf-8")
    cases = (folder / "cases.yaml").read_text(encoding="utf-8")
    name = _yaml("案例" + ESC + RLO)
    cases = re.sub(r"(?m)^- name: .*$", lambda m: "- name: " + name, cases, count=1)
    (folder / "cases.yaml").write_text(cases, encoding="utf-8")
    return folder


def _run(runner, args):
    result = runner.invoke(cli.main, args)
    assert "Traceback" not in result.output, result.output
    return result


CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("args", [
    ["show", "{list}"],
    ["show", "{list}", "--format", "markdown"],
    ["show", "{list}", "--format", "html"],
    ["validate", "{list}"],
    ["test", "{list}"],
    ["decide", "{list}", "-m", "approve_arrest", "-a", "prosecutor", "-f", "suspect_is_foreign_or_stateless=false",
     "-f", "crime_endangers_national_security=false"],
    ["diff", "lists/xj-2021", "{list}", "--format", "markdown"],
    ["audit", "{list}", "--against", "lists/xj-2021", "--format", "markdown"],
    ["decide", "{list}", "-m", "no" + ESC + "such"],
])
def test_nothing_a_terminal_acts_on_is_printed(runner, hostile, args):
    result = _run(runner, [a.replace("{list}", str(hostile)).replace("lists/xj-2021", str(Path(LISTS) / "xj-2021"))
                           for a in args])
    assert not CONTROL.search(result.output), repr(CONTROL.search(result.output))


@pytest.mark.parametrize("args", [
    ["show", "{list}", "--format", "markdown"],
    ["audit", "{list}", "--against", "lists/xj-2021", "--format", "markdown"],
])
def test_markdown_keeps_a_lists_texts_literal(runner, hostile, args):
    result = _run(runner, [a.replace("{list}", str(hostile)).replace("lists/xj-2021", str(Path(LISTS) / "xj-2021"))
                           for a in args])
    out = result.output
    assert "<script>" not in out and not re.search(r"(?<!\\)\]\(javascript:", out)
    assert not re.search(r"(?m)^# 伪造的标题", out)  # no heading of the author's choosing
    if args[0] == "show":  # where the texts are shown, they are there, defused
        assert "&lt;script&gt;" in out and "\\[点此\\](javascript:alert(1))" in out


def test_json_output_escapes_what_a_terminal_acts_on_and_keeps_the_value(runner, hostile):
    result = _run(runner, ["decide", str(hostile), "-m", "approve_arrest", "-a", "prosecutor", "--case", "案" + RLO + "\x9b",
                           "--format", "json"])
    assert not CONTROL.search(result.output)
    assert json.loads(result.output)["case"] == "案" + RLO + "\x9b"


@pytest.mark.parametrize("text,expected", [
    ("a<b>&c", "a&lt;b&gt;&amp;c"),
    ("[x](javascript:y)", "\\[x\\](javascript:y)"),
    ("line\n# head", "line # head"),
    ("a|b*c_d`e", "a\\|b\\*c\\_d\\`e"),
])
def test_md_makes_one_run_of_literal_text(text, expected):
    assert md(text) == expected


def test_md_code_fences_past_any_backticks():
    assert md_code("a``b") == "```a``b```" and md_code("`x`") == "`` `x` ``"


def test_terminal_keeps_newlines_and_tabs_and_replaces_the_rest():
    assert terminal("a\tb\nc" + ESC + RLO) == "a\tb\nc\ufffd]0;pwned\ufffd\ufffd[2J\ufffd"
    assert json.loads(json_for_terminal(json.dumps({"x": "\x9b\u202e"}, ensure_ascii=False))) == {"x": "\x9b\u202e"}
