"""The JSON Schemas in `schemas/` and the repository's YAML files against them.

The schemas are what an editor (yaml-language-server, through each file's first-line comment) and
quanze both check with, so they are tested here independently of quanze's own reporting: a registry
built from the files on disk, and plain jsonschema validation.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from quanze import schemas as quanze_schemas
from quanze.yamlload import load_file

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "schemas"
RULES = REPO / "rules"
LISTS = REPO / "lists"
SCHEMA_FILES = sorted(SCHEMAS.glob("*.schema.json"))
HEADER = re.compile(r"^# yaml-language-server: \$schema=(\S+)\s*$")


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


REGISTRY = Registry().with_resources((p.name, Resource.from_contents(_load(p))) for p in SCHEMA_FILES)


def _kind(path: Path) -> str:
    """The schema a repository YAML file must satisfy."""
    if path.parent == RULES:
        return path.stem
    return {"list.yaml": "list", "cases.yaml": "cases"}.get(path.name, "part")


def _rules_files() -> list[Path]:
    return sorted(RULES.glob("*.yaml"))


def _list_files() -> list[Path]:
    return sorted(LISTS.glob("*/*.yaml")) if LISTS.is_dir() else []


def _ids(paths):
    return [str(p.relative_to(REPO)) for p in paths]


def test_there_are_schemas_for_every_kind_quanze_checks():
    assert {p.name for p in SCHEMA_FILES} >= {f"{k}.schema.json" for k in quanze_schemas.KINDS} | {"common.schema.json"}


def test_the_package_ships_exactly_these_schemas():
    assert quanze_schemas.schema_files() == {p.name: _load(p) for p in SCHEMA_FILES}


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_is_valid_draft_2020_12(path):
    schema = _load(path)
    assert schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def _walk(schema, where: str, conditional: bool = False):
    """(subschema, place, conditional) for every subschema; `conditional` below if/then/else/not."""
    if not isinstance(schema, dict):
        return
    yield schema, where, conditional
    for key in ("properties", "$defs", "patternProperties", "dependentSchemas"):
        for name, sub in schema.get(key, {}).items():
            yield from _walk(sub, f"{where}/{key}/{name}", conditional or key == "dependentSchemas")
    for key in ("items", "additionalProperties", "contains", "propertyNames", "unevaluatedProperties"):
        yield from _walk(schema.get(key), f"{where}/{key}", conditional)
    for key in ("if", "then", "else", "not"):
        yield from _walk(schema.get(key), f"{where}/{key}", True)
    for key in ("prefixItems", "anyOf", "oneOf", "allOf"):
        for i, sub in enumerate(schema.get(key, [])):
            yield from _walk(sub, f"{where}/{key}/{i}", conditional or key != "prefixItems")


def _is_object(schema: dict) -> bool:
    kind = schema.get("type")
    return kind == "object" or (isinstance(kind, list) and "object" in kind)


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_every_object_schema_is_closed(path):
    """A record (an object schema with `properties`) refuses other keys, so a misspelt key is an error.
    An object schema without `properties` is a map (fact code -> value) and must type its values."""
    problems, objects = [], 0
    for schema, where, conditional in _walk(_load(path), "#"):
        if "properties" in schema and not conditional and not _is_object(schema):
            problems.append(f"{where}: has properties but is not `type: object`")
        if not _is_object(schema):
            continue
        objects += 1
        extra = schema.get("additionalProperties")
        if "properties" in schema:
            if extra is not False:
                problems.append(f"{where}: additionalProperties is {extra!r}, not false")
        elif not isinstance(extra, dict) or not extra:
            problems.append(f"{where}: a map without a schema for its values")
    assert not problems, problems
    if path.name != "common.schema.json":
        assert objects >= 1


def test_the_walk_finds_an_open_record():
    """The closedness check can fail."""
    schema = {"type": "object", "properties": {"a": {"type": "object", "properties": {"b": {}}}},
              "additionalProperties": False}
    open_ones = [w for s, w, _ in _walk(schema, "#") if _is_object(s) and s.get("additionalProperties") is not False]
    assert open_ones == ["#/properties/a"]


def _refs(schema):
    if isinstance(schema, dict):
        if "$ref" in schema:
            yield schema["$ref"]
        for value in schema.values():
            yield from _refs(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _refs(value)


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_every_ref_resolves(path):
    resolver = REGISTRY.resolver(base_uri=path.name)
    for ref in _refs(_load(path)):
        assert resolver.lookup(ref).contents is not None, ref
        target = ref.split("#")[0]
        assert not target or (SCHEMAS / target).is_file(), ref


def _errors(path: Path) -> list[str]:
    doc = load_file(str(path))
    assert doc.findings == [], [f.format() for f in doc.findings]
    schema = _load(SCHEMAS / f"{_kind(path)}.schema.json")
    validator = Draft202012Validator(schema, registry=REGISTRY)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc.data)]


@pytest.mark.parametrize("path", _rules_files(), ids=_ids(_rules_files()))
def test_rules_file_fits_its_schema(path):
    assert (SCHEMAS / f"{_kind(path)}.schema.json").is_file(), f"no schema for {path.name}"
    assert _errors(path) == []


def test_rules_has_the_required_files():
    assert {p.stem for p in _rules_files()} >= {"lines", "matters", "facts", "statutory"}


@pytest.mark.parametrize("path", _list_files() or [None], ids=_ids(_list_files()) or ["no-lists-yet"])
def test_list_file_fits_its_schema(path):
    if path is None:
        pytest.skip("lists/ holds no list yet")
    assert _errors(path) == []


def test_the_schema_check_can_fail(tmp_path):
    bad = tmp_path / "list.yaml"
    bad.write_text("id: x\ntitle: {zh: 甲, en: a}\nissuer: {zh: 甲, en: a}\nlevel: county\n"
                   "effective_from: 2021-11-01\nparts: {prosecutor: p.yaml}\nsupersded: y\n", encoding="utf-8")
    errors = _errors(bad)
    assert len(errors) == 2 and any("county" in e for e in errors) and any("supersded" in e for e in errors)


@pytest.mark.parametrize("path", _rules_files() + _list_files(), ids=_ids(_rules_files() + _list_files()))
def test_first_line_names_the_schema_for_editors(path):
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    match = HEADER.match(first)
    assert match, f"{path.name}: first line is {first!r}"
    target = (path.parent / match.group(1)).resolve()
    assert target.is_file(), f"{path.name}: {match.group(1)} does not exist"
    assert target.parent == SCHEMAS.resolve()
    assert target.name == f"{_kind(path)}.schema.json", f"{path.name} points at {target.name}"
