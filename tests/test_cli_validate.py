"""`quanze validate`, `quanze matters` and `quanze facts` through click's CliRunner on `cli.main`."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import cli

REPO = Path(__file__).resolve().parent.parent
RULES = REPO / "rules"
LISTS = REPO / "lists"
INVALID = Path(__file__).resolve().parent / "fixtures" / "invalid"
KEYS = {"file", "line", "code", "severity", "message", "message_zh", "path"}


def _no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


def _has_lists() -> bool:
    return LISTS.is_dir() and any((p / "list.yaml").is_file() for p in LISTS.iterdir())


def test_validate_the_repository_is_clean(runner, monkeypatch):
    if not _has_lists():
        pytest.skip("lists/ holds no list yet")
    monkeypatch.chdir(REPO)
    result = runner.invoke(cli.main, ["validate", "--lang", "en"])
    _no_traceback(result)
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("0 errors, ")
    assert f"({sum(1 for p in LISTS.iterdir() if (p / 'list.yaml').is_file())} lists and the rules checked)" in last
    assert ": error" not in result.output and not any(": " + c + ":" in result.output for c in ("schema", "unreadable"))


def test_validate_the_rules_folder_is_clean(runner):
    result = runner.invoke(cli.main, ["validate", str(RULES), "--lang", "en"])
    _no_traceback(result)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "0 errors, 0 warnings (0 lists and the rules checked)"


def test_validate_counts_in_chinese_by_default(runner):
    path = str(INVALID / "unknown-matter")
    zh = runner.invoke(cli.main, ["validate", path, "--rules", str(RULES)])
    en = runner.invoke(cli.main, ["validate", path, "--rules", str(RULES), "--lang", "en"])
    assert (zh.exit_code, en.exit_code) == (1, 1)
    place = "tests/fixtures/invalid/unknown-matter/prosecutor.yaml:5: unknown-matter: "
    zh_line = next(l for l in zh.stdout.splitlines() if l.startswith(place))  # the same place and code
    en_line = next(l for l in en.stdout.splitlines() if l.startswith(place))
    assert zh_line[len(place):] == "未知事项 `aprove_arrest`；是否应为 `approve_arrest`（批准逮捕）？"
    assert en_line[len(place):] == "unknown matter `aprove_arrest`; did you mean `approve_arrest` (「批准逮捕」)?"
    assert zh.stderr.strip() == "错误 3，警告 0（已检查 1 份清单和规则）"
    assert en.stderr.strip() == "3 errors, 0 warnings (1 list and the rules checked)"


def test_validate_json_on_the_repository_is_an_array(runner, monkeypatch):
    if not _has_lists():
        pytest.skip("lists/ holds no list yet")
    monkeypatch.chdir(REPO)
    result = runner.invoke(cli.main, ["validate", "--format", "json"])
    _no_traceback(result)
    found = json.loads(result.stdout)
    assert isinstance(found, list)
    assert all(f["severity"] == "warning" for f in found)
    assert result.exit_code == 0
    for f in found:
        assert set(f) == KEYS


def test_validate_json_objects_have_exactly_the_contract_keys(runner):
    paths = [str(INVALID / n) for n in ("unknown-key", "duplicate-key", "contradiction", "too-deep", "unreadable")]
    result = runner.invoke(cli.main, ["validate", *paths, "--format", "json", "--rules", str(RULES)])
    _no_traceback(result)
    assert result.exit_code == 1
    found = json.loads(result.stdout)  # stdout is the JSON alone; the count goes elsewhere
    assert isinstance(found, list) and len(found) >= 6
    for f in found:
        assert set(f) == KEYS, f
        assert isinstance(f["file"], str) and f["file"]
        assert isinstance(f["line"], int) and f["line"] >= 0
        assert f["severity"] in ("error", "warning")
        assert isinstance(f["message"], str) and "\n" not in f["message"]
        assert isinstance(f["path"], str) and (f["path"] == "" or f["path"].startswith("/"))
    assert {f["code"] for f in found} >= {"unknown-key", "duplicate-key", "contradiction", "shadowed", "too-deep",
                                         "unreadable"}
    assert found == sorted(found, key=lambda f: (f["file"], f["line"], f["code"], f["message"]))


def test_validate_text_is_file_line_code_message(runner):
    result = runner.invoke(cli.main, ["validate", str(INVALID / "unknown-matter"), "--rules", str(RULES),
                                      "--lang", "en"])
    _no_traceback(result)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[1].endswith("unknown-matter/prosecutor.yaml:5: unknown-matter: unknown matter `aprove_arrest`; "
                             "did you mean `approve_arrest` (「批准逮捕」)?")
    assert lines[0].endswith("unknown-matter/cases.yaml:4: unknown-matter: unknown matter `提起公述`; "
                             "did you mean `initiate_public_prosecution` (「提起公诉」)?")
    assert result.stderr.strip() == "3 errors, 0 warnings (1 list and the rules checked)"


def test_warnings_exit_0_unless_strict(runner):
    path = str(INVALID / "shadowed")
    plain = runner.invoke(cli.main, ["validate", path, "--rules", str(RULES), "--lang", "en"])
    strict = runner.invoke(cli.main, ["validate", path, "--strict", "--rules", str(RULES)])
    assert (plain.exit_code, strict.exit_code) == (0, 1)
    assert "shadowed (warning)" in plain.output and "0 errors, 1 warning " in plain.output


def test_a_path_that_does_not_exist_is_a_finding(runner, tmp_path):
    missing = str(tmp_path / "no-such-list")
    result = runner.invoke(cli.main, ["validate", missing, "--format", "json", "--rules", str(RULES)])
    _no_traceback(result)
    assert result.exit_code == 1
    (found,) = json.loads(result.stdout)
    assert (found["file"], found["code"], found["severity"]) == (missing, "unreadable", "error")


def test_a_folder_without_lists_is_a_finding(runner, tmp_path):
    result = runner.invoke(cli.main, ["validate", str(tmp_path), "--format", "json", "--rules", str(RULES)])
    _no_traceback(result)
    assert result.exit_code == 1
    assert [f["code"] for f in json.loads(result.stdout)] == ["unreadable"]


def test_missing_and_good_paths_together_report_all(runner, tmp_path):
    result = runner.invoke(cli.main, ["validate", str(tmp_path / "nope"), str(INVALID / "unknown-fact"),
                                      "--format", "json", "--rules", str(RULES)])
    _no_traceback(result)
    assert sorted(f["code"] for f in json.loads(result.stdout)) == ["unknown-fact"] * 3 + ["unreadable"]


def test_a_binary_tag_is_a_finding_not_a_crash(runner, tmp_path):
    folder = tmp_path / "l"
    folder.mkdir()
    (folder / "list.yaml").write_text((INVALID / "unknown-key" / "list.yaml").read_text(encoding="utf-8"),
                                      encoding="utf-8")
    (folder / "prosecutor.yaml").write_text(
        "part: prosecutor\nitems:\n  - id: P-1\n    matter: approve_arrest\n    note: !!binary aGVsbG8=\n"
        "    responsibility: {zh: 负责, en: answers}\n    basis: [x]\n", encoding="utf-8")
    result = runner.invoke(cli.main, ["validate", str(folder), "--format", "json", "--rules", str(RULES)])
    _no_traceback(result)
    assert result.exit_code == 1
    assert [f["line"] for f in json.loads(result.stdout)] == [5]


# --- usage errors: exit 2, one line, no traceback ---------------------------------------------------

def test_rules_that_is_not_a_folder_exits_2_with_one_line(runner, tmp_path):
    result = runner.invoke(cli.main, ["validate", "--rules", str(tmp_path / "nowhere")])
    _no_traceback(result)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [f"quanze: 错误: --rules：`{tmp_path / 'nowhere'}` 不是文件夹"]
    english = runner.invoke(cli.main, ["validate", "--rules", str(tmp_path / "nowhere"), "--lang", "en"])
    assert english.stderr.strip().splitlines() == [f"quanze: error: --rules: `{tmp_path / 'nowhere'}` is not a folder"]


def test_rules_folder_without_rules_exits_1_with_findings(runner, tmp_path):
    """An existing folder that is not a rules folder: its missing files are findings."""
    result = runner.invoke(cli.main, ["validate", str(INVALID / "unknown-key"), "--format", "json",
                                      "--rules", str(tmp_path)])
    _no_traceback(result)
    assert result.exit_code == 1
    found = json.loads(result.stdout)
    assert {Path(f["file"]).name for f in found} >= {"lines.yaml", "matters.yaml", "facts.yaml", "statutory.yaml"}
    assert {f["code"] for f in found} == {"unreadable"}


BAD_USAGE = {
    "unknown-option": ["validate", "--bogus"],
    "bad-format": ["validate", "--format", "xml"],
    "rules-is-a-file": ["validate", "--rules", str(REPO / "pyproject.toml")],
}


@pytest.mark.parametrize("args", BAD_USAGE.values(), ids=BAD_USAGE.keys())
def test_bad_usage_exits_2_without_traceback(runner, args):
    result = runner.invoke(cli.main, args)
    _no_traceback(result)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert any(word in result.stderr for word in ("--bogus", "xml", "pyproject.toml"))


@pytest.mark.parametrize("args", BAD_USAGE.values(), ids=BAD_USAGE.keys())
def test_bad_usage_is_one_line(runner, args):
    result = runner.invoke(cli.main, args)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


# --- the catalogue commands -------------------------------------------------------------------------

def test_matters_json_lists_every_matter(runner, catalogue):
    result = runner.invoke(cli.main, ["matters", "--format", "json"])
    _no_traceback(result)
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [r["code"] for r in rows] == list(catalogue.matters)
    for row in rows:
        matter = catalogue.matters[row["code"]]
        assert row["name"] == {"zh": matter.name.zh, "en": matter.name.en}
        assert (row["line"], row["function"]) == (matter.line, matter.function)
        assert row["line"] in catalogue.lines
    assert {"approve_arrest", "withdraw_indictment", "submit_to_committee"} <= {r["code"] for r in rows}


def test_matters_of_one_line(runner, catalogue):
    result = runner.invoke(cli.main, ["matters", "--line", "civil", "--format", "json"])
    assert result.exit_code == 0
    codes = [r["code"] for r in json.loads(result.stdout)]
    assert codes == [m.code for m in catalogue.matters.values() if m.line == "civil"] and codes


def test_matters_of_an_unknown_line_exits_2(runner):
    result = runner.invoke(cli.main, ["matters", "--line", "civl"])
    _no_traceback(result)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == ["quanze: 错误: --line：未知业务条线 `civl`；是否应为 `civil`？"]
    english = runner.invoke(cli.main, ["matters", "--line", "civl", "--lang", "en"])
    assert english.stderr.strip().splitlines() == ["quanze: error: --line: unknown business line `civl`; did you mean `civil`?"]


def test_facts_json_lists_every_fact(runner, catalogue):
    result = runner.invoke(cli.main, ["facts", "--format", "json"])
    _no_traceback(result)
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [r["code"] for r in rows] == list(catalogue.facts)
    for row in rows:
        fact = catalogue.facts[row["code"]]
        assert (row["type"], row["values"], row["min"], row["max"]) == (fact.type, list(fact.values), fact.min, fact.max)
        assert row["question"] == {"zh": fact.question.zh, "en": fact.question.en}
    by_code = {r["code"]: r for r in rows}
    assert by_code["case_source"]["values"] == ["public_security", "state_security", "supervisory_commission",
                                                "self_investigated", "other"]
    assert by_code["prior_supplementary_returns"]["type"] == "integer"


def test_catalogue_commands_use_rules_option(runner):
    result = runner.invoke(cli.main, ["matters", "--format", "json", "--rules", str(INVALID / "unknown-line" / "rules")])
    _no_traceback(result)
    assert result.exit_code == 2  # those rules do not validate
    assert "unknown-line" in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("lang, words", [("zh", "没有清单或规则可供校验"), ("en", "nothing to check here")])
def test_validate_with_nothing_to_check_is_a_usage_error(runner, tmp_path, monkeypatch, lang, words):
    monkeypatch.chdir(tmp_path)  # no rules/, no lists/, not a list folder
    result = runner.invoke(cli.main, ["validate", "--lang", lang])
    _no_traceback(result)
    assert result.exit_code == 2 and result.stdout == ""
    lead = "quanze: 错误: " if lang == "zh" else "quanze: error: "
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(lead) and words in result.stderr


def test_validate_inside_a_list_folder_checks_that_list(runner, monkeypatch):
    monkeypatch.chdir(LISTS / "xj-2021")
    result = runner.invoke(cli.main, ["validate", "--lang", "en"])
    _no_traceback(result)
    assert result.exit_code == 0, result.output
    assert result.stderr.strip().endswith("(1 list and the rules checked)")
