"""A Chinese office's drafter, from an empty folder to a published revision, in Chinese only.

The journey of issue 15, as a research office walks it with nothing but the README: start a list
(`init`), write its items in Chinese (names, not codes; no English text), validate it, run its own
cases, consult it as a prosecutor would (`decide` by Chinese names, a typo answered with a "did you
mean"), start the next version (`init --from`), change it and give the reason in `note`, review the
revision (`audit --against`), write its explanatory note (`--revision-note`), and print it (`show`).

At every step, what the drafter reads is Chinese: `english_words` finds any English word in it that
is not an identifier (a list's or an item's id, a path, a code the format documents, such as a
finding's code after its place). Each step also checks what the step is for — the decision, the
verdict, the reason quoted — so that a step that says nothing in Chinese does not pass for one that
says the right thing.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import cli

from .paths import RULES

ISSUER = "某某市某某区人民检察院"

# What the drafter writes: Chinese names where codes go, and only `zh` in every text.
PROSECUTOR = """\
part: prosecutor
items:
- id: JD-P-0001
  matter: 不批准逮捕
  title: {zh: 以无社会危险性为由不批准逮捕}
  when: {fact: 不批准逮捕的理由, eq: 无社会危险性}
  responsibility: {zh: 对决定的事实认定、证据采信和法律适用负责}
  basis: [《人民检察院刑事诉讼规则》第二百八十五条]
- id: JD-P-0002
  matter: 批准逮捕
  title: {zh: 批准逮捕（重大、疑难、复杂案件除外）}
  when: {fact: 案件重大、疑难、复杂, is: false}
  report_to: [业务部门负责人]
  responsibility: {zh: 对批准逮捕决定负责}
  basis: [《人民检察院刑事诉讼规则》第四条]
"""

PROCURATOR_GENERAL = """\
part: procurator_general
items:
- id: JD-G-0001
  matter: 延长审查起诉期限
  title: {zh: 延长审查起诉期限}
  delegable_to: [副检察长]
  responsibility: {zh: 对延长审查起诉期限的决定承担相应责任}
  basis: [《中华人民共和国刑事诉讼法》第一百七十二条]
"""

CASES = """\
cases:
- name: 以无社会危险性为由不批准逮捕，检察官可以自行决定
  request:
    matter: 不批准逮捕
    actor: 检察官
    facts: {不批准逮捕的理由: 无社会危险性}
  expect: {status: ok, authority: prosecutor, actor_may_decide: true}
"""

# The revision: arrest in a case with a social impact goes up to the procurator-general, with its reason.
RAISED = """\
- id: JD-G-0002
  matter: 批准逮捕
  title: {zh: 有社会影响案件的批准逮捕}
  when: {fact: 案件有社会影响, is: true}
  responsibility: {zh: 对批准逮捕决定承担相应责任}
  basis: [《人民检察院刑事诉讼规则》第四条]
  note: 本院近年有社会影响的逮捕案件舆情风险较高，改由检察长决定
"""

# An identifier is not English: options (--against), ids (JD-P-0001, jd-2024), codes (floor-sometimes, PUB-GAPS,
# approve_arrest), paths and file names, digests, dates. What is left of ASCII letters is a word.
IDENT = re.compile(r"sha256:[0-9a-f]+|--?[a-z][a-z-]*|[A-Za-z0-9_]+(?:[-_./][A-Za-z0-9_]+)+|[A-Za-z]*[0-9][A-Za-z0-9]*")
WORD = re.compile(r"[A-Za-z]{2,}")
# Words that are names, not English: the program and its commands (a next step says what to type), and
# the YAML keys a drafter writes (a message that says `note` or `facts` points at the key by its name).
NAMES = {"quanze", "validate", "test", "decide", "check", "diff", "audit", "show", "laws", "init", "matters",
         "facts", "yaml", "note", "request", "matter", "when", "items", "cases", "supersedes", "html", "md"}


def english_words(text: str) -> list[str]:
    """The English words of `text` outside identifiers and names (see above); Markdown's escaped
    underscore (approve\\_arrest) is an underscore."""
    words = WORD.findall(IDENT.sub(" ", text.replace("\\_", "_")))
    return [w for w in words if w.lower() not in NAMES]


def test_english_words_finds_english_and_passes_identifiers():
    assert english_words("quanze: error: unknown-matter: unknown matter `x`") == ["error", "unknown"]
    assert english_words("lists/jd-2024/prosecutor.yaml:9: floor-sometimes（警告）: 条目 JD-P-0002") == []
    assert english_words("清单：jd-2024 sha256:f872a1b11e73") == []


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("office")


def chinese_only(r) -> str:
    text = r.output
    assert english_words(text) == [], text
    return text


def test_the_journey(runner, office, monkeypatch):
    monkeypatch.chdir(office)
    lists = office / "lists"
    lists.mkdir()

    # 1. start the list
    r = runner.invoke(cli.main, ["init", "lists/jd-2024", "--level", "基层", "--issuer", ISSUER,
                                 "--effective-from", "2024-03-01", "--rules", RULES])
    assert r.exit_code == 0, r.output
    assert "已新建清单 jd-2024" in chinese_only(r)

    # 2. write it, in Chinese names and Chinese texts only
    jd24 = lists / "jd-2024"
    (jd24 / "prosecutor.yaml").write_text(PROSECUTOR, encoding="utf-8")
    (jd24 / "procurator-general.yaml").write_text(PROCURATOR_GENERAL, encoding="utf-8")
    (jd24 / "cases.yaml").write_text(CASES, encoding="utf-8")

    # 3. validate: no error; the warning about article 294's foreign suspects, in Chinese
    r = runner.invoke(cli.main, ["validate", "lists/jd-2024", "--rules", RULES])
    assert r.exit_code == 0, r.output
    text = chinese_only(r)
    assert "错误 0" in text and "外国人或者无国籍人" in text

    # 4. its own cases pass
    r = runner.invoke(cli.main, ["test", "lists/jd-2024", "--rules", RULES])
    assert r.exit_code == 0, r.output
    assert "通过 1，失败 0" in chinese_only(r)

    # 5. consult it as a prosecutor: by Chinese names
    r = runner.invoke(cli.main, ["decide", "lists/jd-2024", "-m", "不批准逮捕", "-a", "检察官",
                                 "-f", "不批准逮捕的理由=无社会危险性", "--rules", RULES])
    assert r.exit_code == 0, r.output
    assert chinese_only(r).startswith("可以自行决定") and "决定主体：检察官" in r.output
    r = runner.invoke(cli.main, ["decide", "lists/jd-2024", "-m", "延长审查起诉期限", "-a", "副检察长",
                                 "-f", "案件重大、复杂=是", "-f", "本次审查起诉期限已经延长的次数=0",
                                 "--rules", RULES])
    assert "副检察长" in r.output, r.output

    # 6. a typo: a Chinese "did you mean", exit 2
    r = runner.invoke(cli.main, ["decide", "lists/jd-2024", "-m", "批准逮補", "-a", "检察官", "--rules", RULES])
    assert r.exit_code == 2, r.output
    assert "批准逮捕" in chinese_only(r)

    # 7. the next version, changed, with the reason in `note`
    r = runner.invoke(cli.main, ["init", "lists/jd-2025", "--from", "lists/jd-2024",
                                 "--effective-from", "2025-01-01", "--rules", RULES])
    assert r.exit_code == 0, r.output
    chinese_only(r)
    jd25 = lists / "jd-2025"
    pg = (jd25 / "procurator-general.yaml").read_text(encoding="utf-8")
    (jd25 / "procurator-general.yaml").write_text(pg.rstrip("\n") + "\n" + RAISED, encoding="utf-8")
    r = runner.invoke(cli.main, ["validate", "lists", "--rules", RULES])
    assert r.exit_code == 0, r.output
    chinese_only(r)

    # 8. the publication review against the list in force: fit, and arrest raised
    r = runner.invoke(cli.main, ["audit", "lists/jd-2025", "--against", "lists/jd-2024", "--rules", RULES])
    assert r.exit_code == 0, r.output
    text = chinese_only(r)
    assert "可以发布" in text and "批准逮捕" in text and "上收" in text

    # 9. the explanatory note quotes the reason
    r = runner.invoke(cli.main, ["audit", "lists/jd-2025", "--against", "lists/jd-2024", "--revision-note",
                                 "--rules", RULES])
    assert r.exit_code == 0, r.output
    text = chinese_only(r)
    assert "修订说明" in text and "舆情风险较高" in text

    # 10. the list as published
    r = runner.invoke(cli.main, ["show", "lists/jd-2025", "--rules", RULES])
    assert r.exit_code == 0, r.output
    text = chinese_only(r)
    assert "有社会影响案件的批准逮捕" in text
