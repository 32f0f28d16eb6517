"""Levels and the upper list (docs/deciding.md "Levels", docs/list-format.md "An upper list").

Levels: the bodies above a list's committee are read against its level, so one statutory rule binds a
grassroots, a municipal and a provincial list differently, and coverage checks ask each level only the
matters that arise there. The upper list: `conforms_to` finds it beside the list, the version in force
on the list's `effective_from`; it binds the list at validation, deciding and audit.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import cli
from quanze.audit import run_audit
from quanze.decide import Decider
from quanze.hierarchy import load_with_upper
from quanze.library import Library
from quanze.publication import gaps
from quanze.requests import parse_request
from quanze.validate import check_list, validate_paths

from .paths import LISTS, ROOT

REFUSED = Path(ROOT) / "tests" / "fixtures" / "hierarchy" / "refused" / "prosecutor-item.yaml"


RESPONSIBILITY = {"zh": "检察长对其决定负责", "en": "the procurator-general answers for the decision"}


def write_list(folder: Path, list_id: str, level: str, start: str, items: list, **head) -> Path:
    """A list folder with one procurator-general part holding `items` (YAML mappings)."""
    folder.mkdir(parents=True, exist_ok=True)
    data = {"id": list_id, "title": {"zh": "测试清单", "en": "test list"},
            "issuer": {"zh": f"{list_id} 检察院", "en": f"{list_id} procuratorate"}, "level": level,
            "effective_from": start, **head, "parts": {"procurator_general": "pg.yaml"}}
    (folder / "list.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    part = {"part": "procurator_general",
            "items": [{"basis": ["《人民检察院刑事诉讼规则》第四条"], "responsibility": RESPONSIBILITY, **item}
                      for item in items]}
    (folder / "pg.yaml").write_text(yaml.safe_dump(part, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def decide(folder, request: dict, catalogue) -> dict:
    return Library.load(str(folder), catalogue=catalogue).decide(request).to_json()


# --- levels ------------------------------------------------------------------------------------------

PLAIN_ITEM = {"id": "G-1", "matter": "sentencing_recommendation"}  # any item: the lists below differ by level only


@pytest.mark.parametrize("level,authority,chain", [
    ("grassroots", "provincial_procuratorate", ["procurator_general", "superior_procuratorate", "provincial_procuratorate"]),
    ("municipal", "superior_procuratorate", ["procurator_general", "superior_procuratorate"]),
    ("provincial", "procurator_general", ["procurator_general"]),
])
@pytest.mark.parametrize("matter,facts", [
    ("approve_detention_extension", {"detention_extension_article": "art_158"}),  # 刑诉法第一百五十八条
    ("approve_detention_extension", {"detention_extension_article": "art_159"}),  # 第一百五十九条
    ("decide_discretionary_investigation", {}),                                   # 第十九条
])
def test_the_provincial_level_is_two_levels_up_one_level_up_or_the_list_s_own(tmp_path, catalogue, level, authority,
                                                                               chain, matter, facts):
    folder = write_list(tmp_path / level, "l", level, "2022-01-01", [PLAIN_ITEM])
    d = decide(folder, {"matter": matter, "actor": "procurator_general", "facts": facts}, catalogue)
    assert (d["status"], d["authority"], d["chain"]) == ("ok", authority, chain)
    assert d["actor_may_decide"] is (level == "provincial")


def test_a_municipal_procuratorate_does_not_meet_a_provincial_requirement_of_a_grassroots_list(tmp_path, catalogue):
    folder = write_list(tmp_path / "g", "g", "grassroots", "2022-01-01", [PLAIN_ITEM])
    request = {"matter": "approve_detention_extension", "facts": {"detention_extension_article": "art_158"}}
    assert decide(folder, {**request, "decided_by": "superior_procuratorate"}, catalogue)["violation"]["required"] \
        == "provincial_procuratorate"
    assert decide(folder, {**request, "decided_by": "provincial_procuratorate"}, catalogue)["violation"] is None
    # the first extension (刑诉法第一百五十六条) is the next level's: the municipal procuratorate meets it
    first = {"matter": "approve_detention_extension", "facts": {"detention_extension_article": "art_156"},
             "decided_by": "superior_procuratorate"}
    assert decide(folder, first, catalogue)["violation"] is None


def test_for_a_municipal_list_the_provincial_procuratorate_is_its_superior(tmp_path, catalogue):
    folder = write_list(tmp_path / "m", "m", "municipal", "2022-01-01", [PLAIN_ITEM])
    d = decide(folder, {"matter": "approve_detention_extension", "actor": "provincial_procuratorate",
                        "decided_by": "provincial_procuratorate",
                        "facts": {"detention_extension_article": "art_158"}}, catalogue)
    assert (d["authority"], d["actor_may_decide"], d["violation"]) == ("superior_procuratorate", True, None)
    # the same rule at the first extension: one level up, the same body
    d = decide(folder, {"matter": "approve_detention_extension", "facts": {"detention_extension_article": "art_156"}},
               catalogue)
    assert d["authority"] == "superior_procuratorate"


def test_which_extension_is_asked_only_where_it_changes_who_decides(tmp_path, catalogue):
    """A municipal list: arts. 156 and 158 both reach the provincial procuratorate, so the article is not
    asked; a grassroots list: they reach different bodies, so it is."""
    request = {"matter": "approve_detention_extension", "actor": "prosecutor"}
    municipal = decide(write_list(tmp_path / "m", "m", "municipal", "2022-01-01", [PLAIN_ITEM]), request, catalogue)
    grassroots = decide(write_list(tmp_path / "g", "g", "grassroots", "2022-01-01", [PLAIN_ITEM]), request, catalogue)
    assert (municipal["status"], municipal["authority"]) == ("ok", "superior_procuratorate")
    assert grassroots["status"] == "undetermined"
    assert [m["fact"] for m in grassroots["missing_facts"]] == ["detention_extension_article"]


def test_a_statutory_rule_scoped_to_a_level_still_binds_only_that_level(tmp_path, catalogue):
    """规则第十四条 binds grassroots lists: their own crime clue is filed by the municipal procuratorate."""
    request = {"matter": "file_case_for_self_investigation", "facts": {"assigned_by_municipal_procuratorate": False}}
    assert decide(write_list(tmp_path / "g", "g", "grassroots", "2022-01-01", [PLAIN_ITEM]), request,
                  catalogue)["authority"] == "superior_procuratorate"
    assert decide(write_list(tmp_path / "m", "m", "municipal", "2022-01-01", [PLAIN_ITEM]), request,
                  catalogue)["authority"] == "procurator_general"


@pytest.mark.parametrize("level,named,not_named", [
    ("grassroots", set(), {"adopt_judicial_interpretation", "adopt_provincial_decision_rules"}),
    ("provincial", {"adopt_provincial_decision_rules"}, {"adopt_judicial_interpretation"}),
    ("supreme", {"adopt_judicial_interpretation"}, {"adopt_provincial_decision_rules"}),
])
def test_coverage_asks_a_list_only_the_matters_of_its_level(tmp_path, catalogue, level, named, not_named):
    folder = write_list(tmp_path / level, "l", level, "2022-01-01",
                        [{"id": "G-1", "matter": "request_instruction_from_superior"}])
    lst, found = load_with_upper(str(folder), catalogue)
    missing = set(gaps(lst, catalogue).get("legal_policy_research", ()))
    assert named <= missing and not (not_named & missing)


# --- the upper list -----------------------------------------------------------------------------------

def _library(tmp_path: Path, lower_start: str, lower_items: list, lower_level: str = "grassroots") -> Path:
    """Two versions of a provincial list (up-1 until 2021-10-31, keeping extensions of the review period
    at the committee; up-2 from 2021-11-01, at the procurator-general) and a lower list naming up-2."""
    lib = tmp_path / "lib"
    write_list(lib / "up-1", "up-1", "provincial", "2019-01-01",
               [{"id": "U1-C", "matter": "extend_review_period", "decides": "procuratorial_committee"}],
               effective_to="2021-10-31")
    write_list(lib / "up-2", "up-2", "provincial", "2021-11-01",
               [{"id": "U2-G", "matter": "extend_review_period"}], supersedes="up-1")
    write_list(lib / "low", "low", lower_level, lower_start, lower_items, conforms_to="up-2")
    return lib


EXTEND = {"matter": "extend_review_period", "actor": "procurator_general",
          "facts": {"case_is_major_or_complex": True, "prior_review_extensions": 0}}


@pytest.mark.parametrize("start,upper,authority", [("2020-06-01", "up-1", "procuratorial_committee"),
                                                   ("2022-06-01", "up-2", "procurator_general")])
def test_the_version_of_the_upper_list_in_force_on_effective_from_binds(tmp_path, catalogue, start, upper, authority):
    lib = _library(tmp_path, start, [PLAIN_ITEM])
    lst, found = load_with_upper(str(lib / "low"), catalogue)
    assert lst.upper.id == upper and found.ok
    d = decide(lib / "low", EXTEND, catalogue)
    assert d["authority"] == authority
    assert [(r["id"], r["kind"], r.get("list")) for r in d["because"]] == [
        ("U1-C" if upper == "up-1" else "U2-G", "upper", upper)]


def test_an_unknown_upper_list_is_an_error_with_a_suggestion(tmp_path):
    lib = _library(tmp_path, "2022-06-01", [PLAIN_ITEM])
    text = (lib / "low" / "list.yaml").read_text(encoding="utf-8").replace("conforms_to: up-2", "conforms_to: up-3")
    (lib / "low" / "list.yaml").write_text(text, encoding="utf-8")
    findings, _ = validate_paths([str(lib / "low")])
    (f,) = findings
    assert (f.code, os.path.basename(f.file)) == ("unknown-list", "list.yaml")
    assert "conforms_to: up-3" in text.splitlines()[f.line - 1] and "did you mean `up-2`" in f.message.en


def test_no_version_in_force_on_effective_from_is_an_error(tmp_path):
    lib = _library(tmp_path, "2018-06-01", [PLAIN_ITEM])
    findings, _ = validate_paths([str(lib / "low")])
    errors = findings.errors  # (the 2019 rules it cites were not yet in force)
    assert [(f.code, "2018-06-01" in f.message.en) for f in errors] == [("bad-upper-list", True)]


def test_lists_conforming_to_each_other_end_in_a_finding(tmp_path):
    lib = tmp_path / "lib"
    write_list(lib / "a", "a", "municipal", "2022-01-01", [PLAIN_ITEM], conforms_to="b")
    write_list(lib / "b", "b", "provincial", "2022-01-01", [PLAIN_ITEM], conforms_to="a")
    findings, _ = validate_paths([str(lib)])
    assert [(f.code, Path(f.file).parent.name) for f in findings] == [("bad-upper-list", "b")]


def test_a_list_never_validated_still_decides_no_less_than_its_upper_list(tmp_path, catalogue):
    """The lower list gives its prosecutor what the upper list keeps at the committee; deciding with it
    (through the API, without validation) applies the upper list as a floor."""
    lib = _library(tmp_path, "2020-06-01", [{"id": "L-1", "matter": "extend_review_period", "decides": "prosecutor"}])
    lst, _ = load_with_upper(str(lib / "low"), catalogue)
    assert [f.code for f in check_list(lst, catalogue)] == ["below-upper-list"]
    d = Decider(lst, catalogue).decide(parse_request({**EXTEND, "actor": "prosecutor"}, catalogue))
    assert (d.authority, d.actor_may_decide) == ("procuratorial_committee", False)
    assert [(r.id, r.kind) for r in d.because] == [("U1-C", "upper"), ("L-1", "item")]


def test_the_digest_of_a_lower_list_covers_its_upper_list(tmp_path, catalogue):
    lib = _library(tmp_path, "2022-06-01", [PLAIN_ITEM])
    before, _ = load_with_upper(str(lib / "low"), catalogue)
    pg = lib / "up-2" / "pg.yaml"
    pg.write_text(pg.read_text(encoding="utf-8").replace("matter: extend_review_period", "matter: withdraw_indictment"),
                  encoding="utf-8")
    after, _ = load_with_upper(str(lib / "low"), catalogue)
    assert before.digest != after.digest


# --- the sample lists ---------------------------------------------------------------------------------

def test_the_sample_library_validates_and_its_folder_answers_with_the_regional_list(catalogue):
    findings, checked = validate_paths([LISTS])
    assert checked["lists"] == 3 and findings.ok
    # every procurator-general item of the samples states its responsibility (谁决定谁负责)
    assert not [f for f in findings if f.code == "missing-pg-responsibility"]
    # besides the warnings it inherits with xj-2021's citations of the superseded trial rules, one: the gap
    # left on purpose, which the regional list fills
    county = [f.code for f in findings if "xj-county-2022" in f.file and f.code != "basis-not-in-force"]
    assert county == ["upper-list-sometimes"]
    lib = Library.load(LISTS, catalogue=catalogue)
    assert lib.pick("2023-01-01").id == "xj-2021"
    assert Library.load(os.path.join(LISTS, "xj-county-2022"), catalogue=catalogue).pick("2023-01-01").id \
        == "xj-county-2022"


@pytest.fixture
def refused_copy(tmp_path):
    """lists/ copied, with the refused item in the county list in place of its procurator-general item."""
    lib = Path(shutil.copytree(LISTS, tmp_path / "lists"))
    county = lib / "xj-county-2022"
    pg = yaml.safe_load((county / "procurator-general.yaml").read_text(encoding="utf-8"))
    pg["items"] = [i for i in pg["items"] if i["id"] != "XC-G-0001"]
    (county / "procurator-general.yaml").write_text(yaml.safe_dump(pg, allow_unicode=True, sort_keys=False),
                                                    encoding="utf-8")
    prosecutor = county / "prosecutor.yaml"
    prosecutor.write_text(prosecutor.read_text(encoding="utf-8").rstrip("\n") + "\n"
                          + REFUSED.read_text(encoding="utf-8"), encoding="utf-8")
    return county


def test_an_item_giving_the_prosecutor_what_the_regional_list_keeps_higher_is_refused(refused_copy):
    findings, _ = validate_paths([str(refused_copy)])
    (f,) = findings.errors
    lines = (refused_copy / "prosecutor.yaml").read_text(encoding="utf-8").splitlines()
    assert f.code == "below-upper-list" and os.path.basename(f.file) == "prosecutor.yaml"
    assert lines[f.line - 1] == "- id: XC-P-0099"
    assert "`XJ-G-0001` of `xj-2021`" in f.message.en and "procurator-general.yaml:" in f.message.en


def test_audit_of_a_lower_list_runs_the_checks_against_the_upper_list(refused_copy, catalogue):
    fit = run_audit(os.path.join(LISTS, "xj-county-2022"), catalogue)
    assert fit.fit and [f.check for f in fit.findings if f.check.startswith("PUB-UPPER")] == ["PUB-UPPER-SOMETIMES"]
    blocked = run_audit(str(refused_copy), catalogue)
    (upper,) = [f for f in blocked.blocking if f.check == "PUB-UPPER"]
    assert not blocked.fit and "XC-P-0099" in upper.detail.en and upper.file.endswith("prosecutor.yaml")


@pytest.mark.parametrize("lang,line", [
    ("zh", "清单未列明此事项；依照上级清单 up-1 由检察委员会决定（U1-C）"),
    ("en", "The list has no item on this matter; the upper list up-1 puts it at the procuratorial committee (U1-C)")])
def test_an_uncovered_matter_the_upper_list_raises_says_the_upper_list(tmp_path, lang, line):
    """The lower list is silent on the matter and its upper list keeps it at the committee: the text
    names the upper list and its item, neither the law nor the procurator-general's fallback."""
    lib = _library(tmp_path, "2020-06-01", [PLAIN_ITEM])
    result = CliRunner().invoke(cli.main, ["decide", str(lib / "low"), "-m", "extend_review_period", "-a",
                                           "procurator_general", "-f", "case_is_major_or_complex=true",
                                           "-f", "prior_review_extensions=0", "--lang", lang])
    assert result.exit_code == 1, result.output
    assert f"  {line}" in result.output.splitlines(), result.output
    assert "由检察长决定" not in result.output and "the procurator-general decides" not in result.output
