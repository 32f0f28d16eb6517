"""A list written in Chinese names where codes go: matters, authorities, facts, enum values, booleans
as 是/否, business lines and the level, in items, conditions, reporting rules and cases.yaml.

tests/fixtures/chinese-names/names is such a list; tests/fixtures/chinese-names/codes is its twin,
the same list written in codes, line for line. Loading resolves the names, so the two must build the
same list, validate alike and decide every request alike — checked here against the twin, not
against the engine's own output. The unknown and ambiguous names are the fixtures of
tests/fixtures/invalid (unknown-matter, unknown-authority, unknown-fact, bad-value, ambiguous-name).
"""
from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

import cli
from quanze import Library
from quanze.cases import load_cases
from quanze.catalogue import load_catalogue
from quanze.levels import SPELLINGS
from quanze.lists import load_list
from quanze.schemas import schema_files
from quanze.validate import validate_paths

from .paths import RULES

HERE = Path(__file__).resolve().parent / "fixtures" / "chinese-names"
NAMES, CODES = str(HERE / "names"), str(HERE / "codes")
ACTORS = (None, "prosecutor", "department_head", "deputy_procurator_general", "procurator_general",
          "procuratorial_committee")


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(RULES)[0]


@pytest.fixture(scope="module")
def libraries(catalogue):
    return Library.load(NAMES, catalogue=catalogue), Library.load(CODES, catalogue=catalogue)


def _shape(the_list) -> dict:
    """What a list says, without where it was read from."""
    return {"level": the_list.level,
            "items": [(i.id, i.matter, i.part, i.authority, i.when, i.delegable_to, i.report_to, i.source.line)
                      for i in the_list.items],
            "reporting": [(r.id, r.applies_to, r.when, r.report_to, r.matters, r.lines) for r in the_list.reporting]}


def test_the_list_in_names_builds_the_list_in_codes(catalogue):
    named, found = load_list(NAMES, catalogue)
    coded, found_coded = load_list(CODES, catalogue)
    assert found.ok and found_coded.ok, list(found) + list(found_coded)
    assert named is not None and coded is not None
    assert _shape(named) == _shape(coded)
    assert named.level == "grassroots"  # 基层
    # the digest is of the files as written: the same list in names and in codes has two
    assert named.digest != coded.digest


def test_both_validate_alike_without_errors():
    def seen(folder):
        findings, _ = validate_paths([folder], RULES)
        return sorted((f.code, Path(f.place.file).name, f.place.line, f.message.en) for f in findings)
    named, coded = seen(NAMES), seen(CODES)
    assert named == coded
    assert not [f for f in named if f[0] not in ("floor-sometimes",)], named  # warnings of the law only


def _requests(catalogue, n: int = 400, seed: int = 7) -> list[dict]:
    """Requests on the list's matters (and one it leaves to the default), by each actor, with facts
    drawn at random over every boolean, enum and small integer of the catalogue, some left out."""
    rng = random.Random(seed)
    matters = ["approve_arrest", "disapprove_arrest", "return_for_supplementary_investigation",
               "initiate_public_prosecution", "extend_review_period", "decide_statutory_non_prosecution",
               "withdraw_indictment", "decide_evidentiary_non_prosecution"]
    facts = [f for f in catalogue.facts.values() if f.type in ("boolean", "enum", "integer")]
    out = []
    for _ in range(n):
        given: dict = {}
        for f in facts:
            if rng.random() < 0.4:
                continue
            given[f.code] = (rng.choice((True, False)) if f.type == "boolean" else rng.choice(f.values)
                             if f.type == "enum" else rng.randint(f.min or 0, min(f.max or 20, 20)))
        request = {"matter": rng.choice(matters), "facts": given}
        actor = rng.choice(ACTORS)
        if actor is not None:
            request["actor"] = actor
        out.append(request)
    return out


def _same(decision: dict) -> dict:
    """A decision without what names the folder or the files' digest."""
    out = dict(decision, list={"id": decision["list"]["id"]})
    out["because"] = [dict(b, source=Path(b["source"]).name) if b.get("source") else b for b in decision["because"]]
    return out


def test_the_two_decide_every_request_alike(libraries, catalogue):
    named, coded = libraries
    statuses = set()
    for request in _requests(catalogue):
        a, b = named.decide(request).to_json(), coded.decide(request).to_json()
        assert _same(a) == _same(b), request
        statuses.add((a["status"], a["authority"]))
    # the requests reach every kind of answer the list gives, not one answer many times
    assert {s for s, _ in statuses} == {"ok", "forbidden", "undetermined"}
    assert {"prosecutor", "procurator_general", "superior_procuratorate"} <= {a for _, a in statuses}


def test_the_cases_in_names_are_the_cases_in_codes(catalogue):
    named, found = load_cases(NAMES, catalogue)
    coded, found_coded = load_cases(CODES, catalogue)
    assert not found and not found_coded
    assert [(c.name, c.request, c.expect) for c in named] == [(c.name, c.request, c.expect) for c in coded]
    assert named[0].request["facts"]["case_is_major_difficult_complex"] is False  # 否
    assert named[1].expect["authority"] == "superior_procuratorate"  # 上级院, an alias
    assert named[2].expect["status"] == "forbidden"  # 法律禁止


def test_validate_test_and_decide_on_the_list_in_names(runner):
    v = runner.invoke(cli.main, ["validate", NAMES, "--rules", RULES])
    assert v.exit_code == 0, v.output
    assert v.stderr.startswith("错误 0，")
    t = runner.invoke(cli.main, ["test", NAMES, "--rules", RULES])
    assert t.exit_code == 0, t.output
    assert t.stdout.endswith("通过 4，失败 0\n")
    named = runner.invoke(cli.main, ["decide", NAMES, "-m", "提起公诉", "-a", "检察官", "-f", "案件来源=公安机关移送",
                                     "-f", "犯罪嫌疑人系未成年人=是", "--format", "json", "--rules", RULES])
    coded = runner.invoke(cli.main, ["decide", CODES, "-m", "initiate_public_prosecution", "-a", "prosecutor",
                                     "-f", "case_source=public_security", "-f", "suspect_is_minor=true",
                                     "--format", "json", "--rules", RULES])
    assert "Traceback" not in named.output + coded.output
    a, b = json.loads(named.stdout), json.loads(coded.stdout)
    assert _same(a) == _same(b)
    # the reporting rule scoped by Chinese matter names (批捕, 提起公诉) binds here, in codes
    assert {"report_to": ["department_head"], "by": "ZH-R-1"} in a["obligations"] or \
        any(o.get("by") == "ZH-R-1" or "ZH-R-1" in o.get("or_by", ()) for o in a["obligations"])
    assert a["because"][0]["id"] == "ZH-P-0004"


def test_diff_of_the_list_in_names_against_the_list_in_codes_finds_nothing(runner):
    """`diff` sees codes only: the twin in names changes no matter and no item."""
    r = runner.invoke(cli.main, ["diff", CODES, NAMES, "--format", "json", "--rules", RULES])
    assert r.exit_code == 0, r.output
    diff = json.loads(r.stdout)
    assert {m["direction"] for m in diff["matters"]} <= {"unchanged"}
    assert all(not m["items"].get("changed") for m in diff["matters"]), diff["matters"]


def test_the_schema_lists_every_spelling_of_a_level():
    """list.yaml's `level` takes the code or a Chinese name: the schema (which editors read) lists
    exactly the spellings the loader resolves."""
    enum = schema_files()["list.schema.json"]["properties"]["level"]["enum"]
    assert sorted(enum) == sorted(w for code, names in SPELLINGS.items() for w in (code,) + names)


@pytest.mark.parametrize("level,code", [("设区的市级", "municipal"), ("省院", "provincial"), ("provincial", "provincial")])
def test_a_level_written_in_chinese_is_its_code(tmp_path, catalogue, level, code):
    folder = tmp_path / "l"
    folder.mkdir()
    (folder / "list.yaml").write_text((HERE / "names" / "list.yaml").read_text(encoding="utf-8")
                                      .replace("level: 基层", f"level: {level}"), encoding="utf-8")
    for name in ("prosecutor", "procurator-general", "committee", "office"):
        (folder / f"{name}.yaml").write_text((HERE / "names" / f"{name}.yaml").read_text(encoding="utf-8"),
                                             encoding="utf-8")
    the_list, found = load_list(str(folder), catalogue)
    assert the_list is not None and not [f for f in found if f.code == "schema"], list(found)
    assert the_list.level == code


def test_a_bad_level_is_refused_with_a_suggestion(tmp_path, catalogue):
    folder = tmp_path / "l"
    folder.mkdir()
    (folder / "list.yaml").write_text((HERE / "names" / "list.yaml").read_text(encoding="utf-8")
                                      .replace("level: 基层", "level: 基曾"), encoding="utf-8")
    _, found = load_list(str(folder), catalogue)
    levels = [f for f in found if f.place.pointer == "/level"]
    assert [f.code for f in levels] == ["schema"]
    assert levels[0].message.en.startswith("unknown level `基曾`; did you mean `基层`? (基层 grassroots")


def test_init_from_the_list_in_names_starts_its_next_version(runner, tmp_path):
    """`init --from` keeps the drafter's names as written; the new version validates and, changed in
    nothing but its head, changes no decision (`diff` against the old sees codes only)."""
    library = tmp_path / "lists"
    shutil.copytree(NAMES, library / "zh-2024")
    r = runner.invoke(cli.main, ["init", str(library / "zh-2025"), "--from", str(library / "zh-2024"),
                                 "--effective-from", "2025-01-01", "--rules", RULES])
    assert r.exit_code == 0, r.output
    assert "matter: 批准逮捕" in (library / "zh-2025" / "prosecutor.yaml").read_text(encoding="utf-8")
    v = runner.invoke(cli.main, ["validate", str(library / "zh-2025"), "--rules", RULES])
    assert v.exit_code == 0, v.output
    d = runner.invoke(cli.main, ["diff", str(library / "zh-2024"), str(library / "zh-2025"), "--format", "json",
                                 "--rules", RULES])
    assert d.exit_code == 0, d.output
    assert {m["direction"] for m in json.loads(d.stdout)["matters"]} <= {"unchanged"}


@pytest.mark.parametrize("command", [["show"], ["show", "--format", "html"], ["audit"], ["audit", "--format", "json"]])
def test_show_and_audit_print_the_list_in_names_as_the_list_in_codes(runner, command):
    """What the drafter reads back is the same whichever was written (but for the folder's name)."""
    named = runner.invoke(cli.main, [command[0], NAMES, *command[1:], "--rules", RULES])
    coded = runner.invoke(cli.main, [command[0], CODES, *command[1:], "--rules", RULES])
    assert named.exit_code == coded.exit_code and "Traceback" not in named.output
    strip = [("chinese-names/names", "X"), ("chinese-names/codes", "X")]

    def same(text: str) -> str:
        for a, b in strip:
            text = text.replace(a, b)
        return "\n".join(l for l in text.splitlines() if "sha256:" not in l and "digest" not in l)
    assert same(named.stdout) == same(coded.stdout)
    assert "批准逮捕" in named.stdout


def test_an_authority_written_by_code_and_by_name_is_one_and_a_mapping_is_the_schemas(tmp_path, catalogue):
    folder = tmp_path / "l"
    shutil.copytree(NAMES, folder)
    part = folder / "committee.yaml"
    part.write_text(part.read_text(encoding="utf-8").replace("report_to: [上级院]",
                                                             "report_to: [上级院, superior_procuratorate]"),
                    encoding="utf-8")
    the_list, found = load_list(str(folder), catalogue)
    assert found.ok and the_list is not None
    assert next(i for i in the_list.items if i.id == "ZH-C-0002").report_to == ("superior_procuratorate",)
    part.write_text(part.read_text(encoding="utf-8").replace("report_to: [上级院, superior_procuratorate]",
                                                             "report_to: [{上级院: 1}, {上级院: 1}]"),
                    encoding="utf-8")
    _, found = load_list(str(folder), catalogue)
    assert {f.code for f in found.errors} == {"schema"}
