"""Validation, one fixture per finding code.

Each folder under `tests/fixtures/invalid/` is named after a finding code of `quanze.codes.CODES` and is a small
list folder (or folder of lists, or rules folder) that causes that finding. Its `expect.yaml`:

    findings:                  # every finding the folder must produce (and, unless `exact: false`, only these)
      - {code: unknown-key, file: prosecutor.yaml, line: 6, message: "did you mean `responsibility`?"}
    rules: rules               # optional: a subfolder passed as --rules (default: the repository's rules/)
    paths: [list]              # optional: subfolders to validate (default: the fixture folder itself)
    pad: prosecutor.yaml       # optional: pad this file past the size bound in a copy made at test time
    exact: false               # optional: other findings may appear too
    strict: true               # optional: found by `validate --strict` only (and clean without it)

`file` is relative to the fixture folder, `line` is 1-based (0: the file as a whole), `message` is a
substring the message must contain. Warnings-only fixtures must exit 0, and 1 with --strict.
"""
from __future__ import annotations

import collections
import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

import cli
from quanze.audit import load_for_audit
from quanze.catalogue import load_catalogue
from quanze.decide import Decider
from quanze.codes import ERROR, FINDING, codes_of
from quanze.lists import load_list
from quanze.requests import parse_request
from quanze.validate import validate_paths
from quanze.yamlload import MAX_BYTES

REPO = Path(__file__).resolve().parent.parent
RULES = REPO / "rules"
INVALID = Path(__file__).resolve().parent / "fixtures" / "invalid"
FIXTURES = sorted(p.name for p in INVALID.iterdir() if p.is_dir())

# Fixture name -> reason, for fixtures that fail because of a reported bug in engine/ (marked strict xfail).
NOT_EMITTED: dict = {}
CODES = codes_of(FINDING)


def _expect(name: str) -> dict:
    return yaml.safe_load((INVALID / name / "expect.yaml").read_text(encoding="utf-8"))


def _xfail(name: str, table: dict):
    return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=table[name])) if name in table else name


def _prepare(name: str, tmp_path: Path) -> tuple[Path, list[str], str, dict]:
    """The fixture's folder (a padded copy where asked), the paths to validate, the rules folder, expect."""
    expect = _expect(name)
    folder = INVALID / name
    if expect.get("pad"):
        folder = Path(shutil.copytree(folder, tmp_path / name))
        target = folder / expect["pad"]
        line = b"# " + b"x" * 1022 + b"\n"
        with open(target, "ab") as handle:
            for _ in range(MAX_BYTES // len(line) + 2):
                handle.write(line)
        assert target.stat().st_size > MAX_BYTES
    paths = [str(folder / p) for p in expect.get("paths", ["."])]
    paths = [p[:-2] if p.endswith(os.sep + ".") else p for p in paths]
    rules = str(folder / expect["rules"]) if expect.get("rules") else str(RULES)
    return folder, paths, rules, expect


def _relative(file: str, folder: Path) -> str:
    return Path(os.path.relpath(os.path.abspath(file), os.path.abspath(folder))).as_posix()


def _check(found: list[dict], folder: Path, expect: dict) -> None:
    """`found`: findings as JSON objects. Every expected finding is there (and only those, unless exact: false)."""
    def key(f):
        return f["code"], f["file"], f["line"]
    got = [dict(f, file=_relative(f["file"], folder)) for f in found]
    want = expect["findings"]
    for w in want:
        matching = [g for g in got if key(g) == key(w)]
        assert matching, f"expected {key(w)}, got {[key(g) for g in got]}"
        if w.get("message"):
            assert any(w["message"] in g["message"] for g in matching), (w["message"], [g["message"] for g in matching])
        for g in matching:
            assert g["severity"] == CODES[g["code"]].severity
            assert g["line"] >= 0
    if expect.get("exact", True):
        assert collections.Counter(map(key, got)) == collections.Counter(map(key, want)), got


def test_every_code_has_a_fixture():
    missing = sorted(set(CODES) - set(FIXTURES))
    assert not missing, f"finding codes without a fixture in {INVALID}: {missing}"


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_is_named_after_the_code_it_causes(name):
    expect = _expect(name)
    assert name in CODES, f"fixture folder {name} is not a finding code"
    codes = [f["code"] for f in expect["findings"]]
    assert name in codes
    assert set(codes) <= set(CODES)
    for f in expect["findings"]:
        assert (INVALID / name / f["file"]).is_file() or expect.get("pad"), f["file"]


@pytest.mark.parametrize("name", [_xfail(n, NOT_EMITTED) for n in FIXTURES])
def test_fixture_api(name, tmp_path):
    folder, paths, rules, expect = _prepare(name, tmp_path)
    findings, checked = validate_paths(paths, rules, english=expect.get("strict", False))
    assert checked["rules"] >= 1
    _check([f.to_json() for f in findings], folder, expect)
    if expect.get("strict"):
        assert validate_paths(paths, rules)[0] == ()


def _no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", [_xfail(n, NOT_EMITTED) for n in FIXTURES])
def test_fixture_cli(name, tmp_path, runner):
    folder, paths, rules, expect = _prepare(name, tmp_path)
    warnings_only = all(CODES[f["code"]].severity != ERROR for f in expect["findings"])

    strict_only = ["--strict"] if expect.get("strict") else []
    result = runner.invoke(cli.main, ["validate", *paths, "--format", "json", "--rules", rules, *strict_only])
    _no_traceback(result)
    found = json.loads(result.stdout)
    _check(found, folder, expect)
    assert result.exit_code == (0 if warnings_only and not strict_only else 1)

    strict = runner.invoke(cli.main, ["validate", *paths, "--strict", "--rules", rules])
    _no_traceback(strict)
    assert strict.exit_code == 1
    # text form: `file:line: code...` for every expected finding
    for f in expect["findings"]:
        assert f" {f['code']}" in strict.output


# --- beyond one code per fixture -------------------------------------------------------------------

LIST_YAML = """\
id: fx
title: {zh: 测试清单, en: test list}
issuer: {zh: 测试检察院, en: test procuratorate}
level: provincial
effective_from: 2021-11-01
"""
PART = """\
part: prosecutor
items:
  - id: P-1
    matter: sentencing_recommendation
    responsibility: {zh: 承办检察官对决定负责, en: the handling prosecutor answers for the decision}
    basis: ["《人民检察院刑事诉讼规则》第四条"]
"""


def _write_list(folder: Path, head: str = LIST_YAML, parts: str = "parts:\n  prosecutor: prosecutor.yaml\n",
                **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "list.yaml").write_text(head + parts, encoding="utf-8")
    for name, text in files.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return folder


def _codes(findings) -> list:
    return sorted((f.code, os.path.basename(f.file), f.line) for f in findings)


def test_clean_minimal_list_has_no_findings(tmp_path):
    """The fixtures' shared shape is itself clean, so each fixture's finding comes from its one change."""
    folder = _write_list(tmp_path / "ok", prosecutor=PART)
    findings, checked = validate_paths([str(folder)], str(RULES))
    assert findings == () and checked == {"rules": 1, "lists": 1}


def test_every_error_of_a_file_is_reported_at_once(tmp_path):
    part = """\
part: prosecutor
items:
  - id: P-1
    matter: aprove_arrest
    when: {fact: suspect_is_minr, is: true}
    responsibility: {zh: 负责, en: answers}
    basis: ["《人民检察院刑事诉讼规则》第四条"]
  - id: P-2
    matter: disapprove_arrest
    when: {fact: non_arrest_ground, eq: no_crim}
    respnsibility: {zh: 负责, en: answers}
    basis: ["《人民检察院刑事诉讼规则》第二百八十五条"]
  - id: P-1
    matter: sentencing_recommendation
    decides: procurator_generl
    responsibility: {zh: 负责, en: answers}
    basis: ["《人民检察院刑事诉讼规则》第四条"]
"""
    folder = _write_list(tmp_path / "many", prosecutor=part)
    findings, _ = validate_paths([str(folder)], str(RULES))
    assert _codes(findings) == sorted([
        ("unknown-matter", "prosecutor.yaml", 4), ("unknown-fact", "prosecutor.yaml", 5),
        ("bad-value", "prosecutor.yaml", 10), ("unknown-key", "prosecutor.yaml", 11),
        ("duplicate-id", "prosecutor.yaml", 13), ("unknown-authority", "prosecutor.yaml", 15)])


def test_lists_of_a_folder_are_all_checked(tmp_path):
    """One bad list does not stop the others from being checked."""
    _write_list(tmp_path / "lists" / "a", head=LIST_YAML + "effective_to: 2021-12-31\n",
                prosecutor=PART.replace("sentencing_recommendation", "aprove_arrest"))
    _write_list(tmp_path / "lists" / "b", head=LIST_YAML.replace("id: fx", "id: fy").replace("2021-11-01", "2022-01-01"),
                prosecutor=PART.replace("sentencing_recommendation", "withdraw_indictment"))
    findings, checked = validate_paths([str(tmp_path / "lists")], str(RULES))
    assert checked["lists"] == 2
    assert [(f.code, Path(f.file).parent.name) for f in findings] == [("unknown-matter", "a"), ("below-floor", "b")]


def test_part_path_absolute_is_refused(tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text(PART.replace("sentencing_recommendation", "not_a_matter"), encoding="utf-8")
    folder = _write_list(tmp_path / "l", parts=f"parts:\n  prosecutor: {outside}\n")
    findings, _ = validate_paths([str(folder)], str(RULES))
    assert _codes(findings) == [("part-outside", "list.yaml", 7)]


def test_part_path_through_a_symlink_out_of_the_folder_is_refused(tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text(PART.replace("sentencing_recommendation", "not_a_matter"), encoding="utf-8")
    folder = _write_list(tmp_path / "l")
    os.symlink(outside, folder / "prosecutor.yaml")
    findings, _ = validate_paths([str(folder)], str(RULES))
    assert _codes(findings) == [("part-outside", "list.yaml", 7)]


def test_missing_part_file_is_a_finding_naming_it(tmp_path):
    folder = _write_list(tmp_path / "l", parts="parts:\n  prosecutor: prosecutor.yaml\n  committee: nowhere.yaml\n",
                         prosecutor=PART)
    findings, _ = validate_paths([str(folder)], str(RULES))
    assert [(f.code, os.path.basename(f.file)) for f in findings] == [("unreadable", "list.yaml")]
    lines = (folder / "list.yaml").read_text(encoding="utf-8").splitlines()
    assert "nowhere.yaml" in findings[0].message.en and "committee: nowhere.yaml" in lines[findings[0].line - 1]


def test_a_list_superseding_itself_is_a_cycle(tmp_path):
    folder = _write_list(tmp_path / "l", head=LIST_YAML + "supersedes: fx\n", prosecutor=PART)
    findings, _ = validate_paths([str(folder)], str(RULES))
    assert [f.code for f in findings] == ["supersedes-cycle"]


def test_a_superseded_version_left_open_is_not_an_overlap(tmp_path):
    """`supersedes:` says which version wins while both are open (the engine picks the superseding one)."""
    _write_list(tmp_path / "lists" / "a", head=LIST_YAML.replace("2021-11-01", "2020-01-01"), prosecutor=PART)
    _write_list(tmp_path / "lists" / "b", head=LIST_YAML.replace("id: fx", "id: fx-2") + "supersedes: fx\n",
                prosecutor=PART)
    findings, _ = validate_paths([str(tmp_path / "lists")], str(RULES))
    assert findings == ()


def test_overlap_is_found_with_end_dates_too(tmp_path):
    _write_list(tmp_path / "lists" / "a", head=LIST_YAML.replace("2021-11-01", "2020-01-01\neffective_to: 2022-01-01"),
                prosecutor=PART)
    _write_list(tmp_path / "lists" / "b", head=LIST_YAML.replace("id: fx", "id: fy").replace("2021-11-01", "2022-01-01"),
                prosecutor=PART)
    findings, _ = validate_paths([str(tmp_path / "lists")], str(RULES))
    assert [(f.code, Path(f.file).parent.name, f.line) for f in findings] == [("overlapping-versions", "b", 5)]


def test_supersedes_chain_without_cycle_is_clean(tmp_path):
    _write_list(tmp_path / "lists" / "a", head=LIST_YAML.replace("2021-11-01", "2020-01-01\neffective_to: 2021-10-31"),
                prosecutor=PART)
    _write_list(tmp_path / "lists" / "b", head=LIST_YAML.replace("id: fx", "id: fx-2") + "supersedes: fx\n",
                prosecutor=PART)
    findings, checked = validate_paths([str(tmp_path / "lists")], str(RULES))
    assert findings == () and checked["lists"] == 2


def test_unknown_list_does_not_suggest_the_list_itself():
    findings, _ = validate_paths([str(INVALID / "unknown-list")], str(RULES))
    (found,) = [f for f in findings if f.code == "unknown-list"]
    assert "xj-2021" not in found.message.en


def test_floor_sometimes_names_every_situation_it_raises():
    findings, _ = validate_paths([str(INVALID / "floor-sometimes")], str(RULES))
    (found,) = findings
    assert "self_investigated" in found.message.en and "supervisory_commission" in found.message.en


def test_floor_sometimes_says_the_raised_situations_as_the_simplest_condition(tmp_path):
    """A prosecutor's unconditional approval of arrest is raised by 规则第二百九十四条 where the suspect is
    foreign and (the case is one of national security or touches foreign relations): three situations,
    one condition. The Chinese message says the shared fact once and the two alternatives once each,
    not the three situations one after the other."""
    folder = tmp_path / "fx"
    shutil.copytree(INVALID / "floor-sometimes", folder)
    (folder / "expect.yaml").unlink()
    (folder / "list.yaml").write_text((folder / "list.yaml").read_text(encoding="utf-8").replace(
        "procurator_general: procurator-general.yaml", "prosecutor: prosecutor.yaml"), encoding="utf-8")
    (folder / "prosecutor.yaml").write_text("""\
part: prosecutor
items:
  - id: P-1
    matter: approve_arrest
    responsibility: {zh: 对批准逮捕决定负责}
    basis: ["《人民检察院刑事诉讼规则》第四条"]
""", encoding="utf-8")
    findings, _ = validate_paths([str(folder)], str(RULES))
    (found,) = [f for f in findings if f.code == "floor-sometimes" and "R-294-" in f.message.zh]
    zh = found.message.zh
    assert zh.count("外国人或者无国籍人") == 1, zh
    assert zh.count("涉嫌危害国家安全犯罪") == 1 and zh.count("外交关系") == 1, zh
    assert "，并且（" in zh and "；或者" in zh, zh


def test_floor_sometimes_covered_by_a_higher_item_is_silent(tmp_path):
    """An exception item that gives the superior the raised situations answers the floor."""
    pg = """\
part: procurator_general
items:
  - id: G-1
    matter: decide_statutory_non_prosecution
    responsibility: {zh: 检察长对其决定负责, en: the procurator-general answers for the decision}
    basis: ["《人民检察院刑事诉讼规则》第三百六十五条"]
  - id: G-2
    matter: decide_statutory_non_prosecution
    responsibility: {zh: 检察长对其决定负责, en: the procurator-general answers for the decision}
    decides: superior_procuratorate
    when: {fact: case_source, in: [self_investigated, supervisory_commission]}
    basis: ["《人民检察院刑事诉讼规则》第三百七十一条"]
"""
    folder = _write_list(tmp_path / "l", parts="parts:\n  procurator_general: pg.yaml\n", pg=pg)
    findings, _ = validate_paths([str(folder)], str(RULES))
    assert findings == ()


def test_conditional_prosecutor_item_below_an_unconditional_floor_is_an_error(tmp_path):
    """below-floor does not depend on the item being unconditional: the floor holds wherever it matches."""
    part = PART.replace("matter: sentencing_recommendation", "matter: withdraw_indictment\n    when: {fact: suspect_is_minor, is: true}")
    folder = _write_list(tmp_path / "l", prosecutor=part)
    findings, _ = validate_paths([str(folder)], str(RULES))
    assert [f.code for f in findings] == ["below-floor"]


def test_an_item_outside_the_office_that_decides_nothing_is_an_error(tmp_path):
    """`decides: null` (there is no no-authority code: the schema refuses it, at its line)."""
    part = PART.replace("matter: sentencing_recommendation", "matter: sentencing_recommendation\n    decides: null")
    folder = _write_list(tmp_path / "l", prosecutor=part)
    findings, _ = validate_paths([str(folder)], str(RULES))
    assert [(f.code, f.line, f.path) for f in findings] == [("schema", 5, "/items/0/decides")]


def test_warnings_are_not_computed_for_a_list_with_errors(tmp_path):
    """Semantic checks run on a list that loaded cleanly; a list with errors reports its errors."""
    part = PART.replace("sentencing_recommendation", "withdraw_indictment") + "    delegable_to: [deputy_procurator_general]\n"
    folder = _write_list(tmp_path / "l", prosecutor=part)
    findings, _ = validate_paths([str(folder)], str(RULES))
    assert [f.code for f in findings] == ["bad-delegation"]



def test_a_typo_in_one_item_hides_no_finding_on_the_others(tmp_path):
    """Every finding in one round: P-1 misspells a fact (an error of its own, so nothing can be said of
    what it means), P-2 assigns a withdrawal of the indictment below the procurator-general's floor,
    and P-3 can never hold. The semantic checks run on P-2 and P-3 all the same."""
    part = """\
part: prosecutor
items:
  - id: P-1
    matter: approve_arrest
    when: {fact: suspect_is_minr, is: true}
    responsibility: {zh: 承办检察官对决定负责, en: the handling prosecutor answers for the decision}
    basis: ["《人民检察院刑事诉讼规则》第四条"]
  - id: P-2
    matter: withdraw_indictment
    responsibility: {zh: 承办检察官对决定负责, en: the handling prosecutor answers for the decision}
    basis: ["《人民检察院刑事诉讼规则》第四条"]
  - id: P-3
    matter: approve_arrest
    when: {all: [{fact: suspect_is_minor, is: true}, {fact: suspect_is_minor, is: false}]}
    responsibility: {zh: 承办检察官对决定负责, en: the handling prosecutor answers for the decision}
    basis: ["《人民检察院刑事诉讼规则》第四条"]
"""
    folder = _write_list(tmp_path / "l", prosecutor=part)
    findings, _ = validate_paths([str(folder)], str(RULES))
    assert _codes(findings) == [("below-floor", "prosecutor.yaml", 8), ("never-matches", "prosecutor.yaml", 12),
                                ("unknown-fact", "prosecutor.yaml", 5)]
    assert "suspect_is_minor" in next(f for f in findings if f.code == "unknown-fact").message.en  # did you mean
    # the CLI reports them all at once too, and the audit blocks on the below-floor item as well
    catalogue, _ = load_catalogue(str(RULES))
    _, found = load_for_audit(str(folder), catalogue)
    assert {f.code for f in found} == {"below-floor", "never-matches", "unknown-fact"}


def test_an_item_matching_only_where_a_fact_is_absent_matches(tmp_path):
    """`exists: false` holds where the fact is absent: that is a situation, validation sees it (no
    `never-matches`), and deciding matches the item there — the two agree."""
    part = PART.replace("matter: sentencing_recommendation", "matter: review_necessity_of_detention\n    decides: procurator_general\n"
                        "    when: {fact: suspect_is_minor, exists: false}")
    folder = _write_list(tmp_path / "l", prosecutor=part)
    findings, _ = validate_paths([str(folder)], str(RULES))
    assert findings == ()
    catalogue, _ = load_catalogue(str(RULES))
    lst, _ = load_list(str(folder), catalogue)
    decider = Decider(lst, catalogue)
    absent = decider.decide(parse_request({"matter": "review_necessity_of_detention", "facts": {}}, catalogue))
    given = decider.decide(parse_request({"matter": "review_necessity_of_detention", "facts": {"suspect_is_minor": True}}, catalogue))
    assert (absent.authority, [r.id for r in absent.because]) == ("procurator_general", ["P-1"])
    assert (given.authority, given.uncovered) == ("procurator_general", True)  # no item: the fallback
    # and an item that can hold only where the fact is given never matches where it is absent
    never = PART.replace("matter: sentencing_recommendation", "matter: review_necessity_of_detention\n    when: {all: [{fact: suspect_is_minor, "
                         "exists: false}, {fact: suspect_is_minor, is: true}]}")
    findings, _ = validate_paths([str(_write_list(tmp_path / "m", prosecutor=never))], str(RULES))
    assert [f.code for f in findings] == ["never-matches"]


@pytest.mark.parametrize("when, warned", [
    ("{fact: prior_supplementary_returns, gte: 2}", True),
    ("{fact: prior_supplementary_returns, gt: 3}", True),
    ("{fact: prior_supplementary_returns, gte: 1}", False),  # one return is lawful
    (None, False),
])
def test_an_item_granting_only_what_the_law_forbids_is_warned(tmp_path, when, warned):
    part = PART.replace("matter: sentencing_recommendation", "matter: return_for_supplementary_investigation"
                        + (f"\n    when: {when}" if when else ""))
    folder = _write_list(tmp_path / "l", prosecutor=part)
    findings, _ = validate_paths([str(folder)], str(RULES))
    assert [f.code for f in findings] == (["always-forbidden"] if warned else [])
