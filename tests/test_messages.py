"""Every message a finding carries is written in Chinese and in English.

`Finding` refuses a message that is not a `Text` with both languages (tests/test_codes.py); here every
finding that validating the fixtures constructs — one fixture per finding code, under
tests/fixtures/invalid, and the sample lists — is read, and its Chinese must say something in Chinese
(not the English copied, not only codes) while its English says it in English. The audit page's
findings are checked the same way.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from quanze.audit import run_audit
from quanze.catalogue import load_catalogue
from quanze.findings import Finding
from quanze.validate import validate_paths
from tests.test_validation import FIXTURES, _prepare

REPO = Path(__file__).resolve().parent.parent
# what a message may quote in any language: a code or value in backticks, a title in 《》, a name in 「」
QUOTED = re.compile(r"`[^`]*`|《[^》]*》|「[^」]*」|(?:规则)?第[一二三四五六七八九十百千零〇NMK]+[条款项]")
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"\b[a-z]{3,}\b")


def said(text: str) -> str:
    """`text` without what it quotes: the words the message itself says."""
    return QUOTED.sub("", text)


def check_text(zh: str, en: str) -> None:
    assert zh and en and zh != en, (zh, en)
    assert CJK.search(said(zh)), f"the Chinese says nothing in Chinese: {zh!r}"
    assert not CJK.search(said(en)), f"the English says something in Chinese: {en!r}"
    assert LATIN_WORD.search(said(en)), f"the English says nothing in English: {en!r}"


@pytest.fixture
def constructed(monkeypatch):
    """Every Finding constructed while the test runs."""
    seen: list[Finding] = []
    original = Finding.__post_init__

    def record(self):
        original(self)
        seen.append(self)

    monkeypatch.setattr(Finding, "__post_init__", record)
    return seen


@pytest.mark.parametrize("name", FIXTURES)
def test_every_finding_of_a_fixture_is_in_chinese_and_english(name, tmp_path, constructed):
    _, paths, rules, _ = _prepare(name, tmp_path)
    validate_paths(paths, rules, english=True)
    assert any(f.code == name for f in constructed), name
    for f in constructed:
        check_text(f.message.zh, f.message.en)


def test_the_sample_lists_findings_are_in_chinese_and_english(constructed):
    validate_paths([str(REPO / "rules"), str(REPO / "lists")], english=True)
    for f in constructed:
        check_text(f.message.zh, f.message.en)


@pytest.mark.parametrize("name", ["floor-sometimes", "below-floor", "missing-basis", "contradiction"])
def test_audit_findings_are_in_chinese_and_english(name):
    catalogue, _ = load_catalogue(str(REPO / "rules"))
    audit = run_audit(str(REPO / "tests" / "fixtures" / "invalid" / name), catalogue)
    assert audit.findings
    for f in audit.findings:
        check_text(f.detail.zh, f.detail.en)
