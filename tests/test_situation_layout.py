"""On the audit page and the explanatory note's page, situations that hold a choice are laid out one
alternative a line (the alternatives after the first indented, each factor on its own line), in the
very words of the text: the text output is not changed, only the page's lines. The case: approve_arrest's
first group in the sample revision, two bracketed choices of two alternatives each."""
from __future__ import annotations

import os
import re
from html.parser import HTMLParser

import pytest

import cli

from .paths import LISTS

XJ19, XJ21 = os.path.join(LISTS, "xj-2019"), os.path.join(LISTS, "xj-2021")


class Situations(HTMLParser):
    """Each laid-out situation of a page (`<span class="sit">`): its lines, and whether each is an
    alternative after the first (`class="or"`)."""

    def __init__(self):
        super().__init__()
        self.found: list = []
        self._depth = 0  # inside a .sit: the depth of open spans

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag != "span":
            return
        if self._depth:
            self._depth += 1
            self.found[-1].append(["", a.get("class") == "or"])
        elif a.get("class") == "sit":
            self._depth = 1
            self.found.append([])

    def handle_endtag(self, tag):
        if tag == "span" and self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._depth > 1:
            self.found[-1][-1][0] += data


def _laid_out(html: str) -> list:
    p = Situations()
    p.feed(html)
    return p.found


def _text_groups(text: str, matter: str) -> list:
    """The situations of `matter`'s groups in the text audit (the words before ` (count): `, in Chinese
    `（count）：`)."""
    lines = text.splitlines()
    i = next(k for k, line in enumerate(lines) if re.search(rf"[(（]{matter}[)）]", line) and line.startswith("  "))
    out = []
    for line in lines[i + 2:]:
        m = re.match(r"^ {6}(.+?)(?: \(\d+\): |（\d+）：)", line)
        if not m:
            break
        out.append(m.group(1))
    return out


@pytest.mark.parametrize("lang, alternative, factor", [("zh", "或者", "并且（"), ("en", "or ", "and [")])
@pytest.mark.parametrize("note", [False, True], ids=["audit page", "revision note"])
def test_a_choice_is_laid_out_one_alternative_a_line_in_the_words_of_the_text(runner, lang, alternative, factor, note):
    text = runner.invoke(cli.main, ["audit", XJ21, "--against", XJ19, "--lang", lang]).stdout
    first = _text_groups(text, "approve_arrest")[0]
    args = ["audit", XJ21, "--against", XJ19, "--format", "html", "--lang", lang] + (["--revision-note"] if note else [])
    html = runner.invoke(cli.main, args).stdout
    situations = _laid_out(html)
    assert situations, "no situation laid out"
    # the same words as the text, only in lines; the last line ends with the count or the colon after them
    said = {re.sub(r"( \(\d+\))?[：:] ?$", "", "".join(line for line, _ in s)): s for s in situations}
    assert first in said, (first, list(said)[:3])
    lines = said[first]
    assert len(lines) == 4 and [alt for _, alt in lines] == [False, True, False, True], lines
    assert all(line.strip().startswith(alternative) for line, alt in lines if alt)
    assert lines[2][0].strip().startswith(factor)  # the second choice on a line of its own
    # a situation with no choice stays one run of words
    for s in situations:
        assert any(alt for _, alt in s)


def test_the_text_and_markdown_keep_their_words(runner):
    """The text's situation is one line, as before; the page's lines join into it."""
    text = runner.invoke(cli.main, ["audit", XJ21, "--against", XJ19]).stdout
    first = _text_groups(text, "approve_arrest")[0]
    assert first.startswith("（案件重大、疑难、复杂；或者") and "），并且（" in first
    md = runner.invoke(cli.main, ["audit", XJ21, "--against", XJ19, "--format", "markdown"]).stdout
    assert "<span" not in md and "（案件重大、疑难、复杂；或者" in md


def test_a_change_in_every_situation_still_reads_all_situations_on_the_pages(runner):
    revision = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "revision")
    new, old = os.path.join(revision, "rv-2024"), os.path.join(revision, "rv-2023")
    page = runner.invoke(cli.main, ["audit", new, "--against", old, "--format", "html"]).stdout
    assert "<li>全部情形 (2)：检察长（未列明，默认） → <b>检察委员会</b></li>" in page
    note = runner.invoke(cli.main, ["audit", new, "--against", old, "--format", "html", "--revision-note"]).stdout
    assert "<li>全部情形：检察长（未列明，默认） → <b>检察委员会</b>" in note
