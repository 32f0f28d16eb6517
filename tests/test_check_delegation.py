"""`quanze check` says, as `decide` does, where the deputy procurator-general may decide a matter by
delegation (`delegable_to` of the decision JSON): in the JSON Lines, in a CSV column (可授权 under
Chinese, `delegable_to` under English) and as a mark after the flags of the text table; the same
whether a line is decided afresh or found in the memo (a batch repeats its decision classes)."""
from __future__ import annotations

import codecs
import csv
import io
import json
import os

import pytest

import cli
from quanze.present.textwidth import display_width

from .paths import LISTS

XJ21 = os.path.join(LISTS, "xj-2021")
# XJ-G-0001 (延长审查起诉期限) delegates to the deputy; approve_arrest's items do not.
DELEGATED = {"matter": "extend_review_period", "actor": "prosecutor",
             "facts": {"case_is_major_or_complex": True, "prior_review_extensions": 0}}
NOT_DELEGATED = {"matter": "return_for_supplementary_investigation", "actor": "prosecutor",
                 "facts": {"prior_supplementary_returns": 2}}
# the same decision classes again and again, an actor who may decide by delegation, a bad line
BATCH = ([dict(DELEGATED, case=f"D-{n}") for n in range(4)] + [dict(NOT_DELEGATED, case=f"N-{n}") for n in range(3)]
         + [dict(DELEGATED, case="D-deputy", actor="deputy_procurator_general"), {"case": "X", "matter": "nonsense"}]
         + [dict(DELEGATED, case=f"D-{n}") for n in range(4, 7)])
EXPECTED = [c["case"].startswith("D-") for c in BATCH]


@pytest.fixture
def actions(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in BATCH), encoding="utf-8")
    return str(path)


def _csv(result) -> list[dict]:
    assert codecs.BOM_UTF8.decode() == result.stdout[:1]
    return list(csv.DictReader(io.StringIO(result.stdout[1:])))


@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_the_json_lines_carry_the_delegation_as_decide_does(runner, actions, cache):
    out = [json.loads(x) for x in runner.invoke(cli.main, ["check", XJ21, actions, *cache]).stdout.splitlines()]
    assert [d.get("delegable_to") == ["deputy_procurator_general"] for d in out] == EXPECTED
    assert [d.get("delegable_to") for d in out if not d["case"].startswith("D-")] == [[], [], [], None]
    one = json.loads(runner.invoke(cli.main, ["decide", XJ21, "-m", DELEGATED["matter"], "-a", "prosecutor",
                                              "-f", "case_is_major_or_complex=true", "-f", "prior_review_extensions=0",
                                              "--format", "json"]).stdout)
    assert one["delegable_to"] == out[0]["delegable_to"]


@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_the_csv_has_a_delegation_column_in_the_language_of_the_run(runner, actions, cache):
    zh = _csv(runner.invoke(cli.main, ["check", XJ21, actions, "--format", "csv", *cache]))
    en = _csv(runner.invoke(cli.main, ["check", XJ21, actions, "--format", "csv", "--lang", "en", *cache]))
    assert list(zh[0])[9:11] == ["报批路径", "可授权"] and list(en[0])[9:11] == ["chain", "delegable_to"]
    assert [r["可授权"] for r in zh] == ["副检察长" if d else "" for d in EXPECTED]
    assert [r["delegable_to"] for r in en] == ["deputy_procurator_general" if d else "" for d in EXPECTED]
    # the deputy who asks may decide, by the delegation the column names
    deputy = next(r for r in zh if r["案号"] == "D-deputy")
    assert deputy["可否自行决定"] == "是" and deputy["可授权"] == "副检察长"


def test_the_memo_and_durable_rules_write_the_same_csv(runner, actions):
    for lang in ("zh", "en"):
        cached, fresh = (runner.invoke(cli.main, ["check", XJ21, actions, "--format", "csv", "--lang", lang, *flag]).stdout
                         for flag in ([], ["--no-cache"]))
        assert cached == fresh


def test_the_csv_with_its_delegation_column_reads_back_into_check(runner, actions, tmp_path):
    first = tmp_path / "first.csv"
    runner.invoke(cli.main, ["check", XJ21, actions, "--out", str(first)])
    again = [json.loads(x) for x in runner.invoke(cli.main, ["check", XJ21, str(first)]).stdout.splitlines()]
    original = [json.loads(x) for x in runner.invoke(cli.main, ["check", XJ21, actions]).stdout.splitlines()]
    assert len(again) == len(original)
    for a, b in zip(original, again):
        if "error" not in a:
            assert {**a, "line": 0} == {**b, "line": 0}


@pytest.mark.parametrize("lang, mark", [("zh", "可授权"), ("en", "delegable")])
@pytest.mark.parametrize("width", [80, 120])
def test_the_table_marks_a_delegated_line_within_the_width(runner, actions, lang, mark, width):
    r = runner.invoke(cli.main, ["check", XJ21, actions, "--format", "text", "--lang", lang],
                      env={"COLUMNS": str(width)})
    lines = r.stdout.splitlines()
    table = lines[:next(i for i, line in enumerate(lines) if line.startswith(("共 ", "12 lines")))]
    assert max(display_width(line) for line in table) <= width, "\n".join(table)
    starts = [n for n, line in enumerate(table) if line[:1].isdigit()] + [len(table)]
    # each row with the lines wrapped under its last column, by its case number
    rows = {table[a].split()[1]: " ".join(table[a:b]) for a, b in zip(starts, starts[1:])}
    assert [mark in rows[c["case"]] for c in BATCH] == EXPECTED
    summary = r.stdout[r.stdout.index("共 " if lang == "zh" else "12 lines"):]
    assert mark not in summary  # a mark, not a flag: the summary counts flags only
