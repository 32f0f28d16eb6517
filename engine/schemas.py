"""JSON Schema checks of the YAML documents, reported as findings with lines.

The schemas (Draft 2020-12) are files in `schemas/`, shipped inside the package as `quanze.schemas`
so that an installed quanze checks with exactly the schemas an editor uses. They refer to each other
by relative file name (`common.schema.json#/$defs/...`), which both editors and the registry below
resolve.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators
from referencing import Registry, Resource

from . import dates
from .findings import Finding, closest, pointer, suggest
from .levels import LEVEL_CHOICES, SPELLINGS, nearest_level
from .model import Text
from .yamlload import Document

# Every spelling of a level (`level:` in list.yaml): the schema's enum of them is told as levels.
LEVEL_SPELLINGS = frozenset(w for code, names in SPELLINGS.items() for w in (code,) + names)
KINDS = ("list", "part", "cases", "matters", "facts", "lines", "authorities", "statutory", "publication", "laws")


def schema_files() -> dict:
    """Schema file name -> parsed schema, for every schema shipped."""
    folder = resources.files("quanze.schema_files")
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in folder.iterdir() if p.name.endswith(".schema.json")}


@lru_cache(maxsize=None)
def _registry() -> Registry:
    return Registry().with_resources((name, Resource.from_contents(s)) for name, s in schema_files().items())


@lru_cache(maxsize=None)
def ecma_regex(pattern: str) -> re.Pattern:
    r"""A schema's `pattern` compiled to mean what JSON Schema (ECMA-262) says it means: `$` ends the
    text. In Python `$` also matches before a final newline, so `^[A-Za-z0-9][A-Za-z0-9._-]*$` let
    the id `"XJ-P-0001\n"` through (python-jsonschema uses `re.search` as written). `$` outside a
    character class becomes `\Z`; `\d` and `\w` are ASCII, as in ECMA-262."""
    out, escaped, in_class = [], False, False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "$":
            ch = r"\Z"
        out.append(ch)
    return re.compile("".join(out), re.ASCII)


def _pattern(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not ecma_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


# Draft 2020-12 with `pattern` as ECMA-262 reads it, and the one format quanze's schemas use.
_Validator = validators.extend(Draft202012Validator, {"pattern": _pattern})
FORMATS = FormatChecker(formats=())


@FORMATS.checks("date")
def _day_exists(value) -> bool:
    """A `YYYY-MM-DD` that names no day (`2021-02-30`); other shapes are the `pattern`'s to report."""
    return not dates.has_day_form(value) or dates.day(value) is not None


@lru_cache(maxsize=None)
def validator(kind: str) -> Draft202012Validator:
    schema = schema_files()[f"{kind}.schema.json"]
    return _Validator(schema, registry=_registry(), format_checker=FORMATS)


def check(doc: Document, kind: str) -> list[Finding]:
    """Every way `doc` fails the `kind` schema, one finding per problem, each at its line."""
    out: dict = {}
    for error in validator(kind).iter_errors(doc.data):
        for found in _findings(doc, error):
            out.setdefault((found.line, found.path, found.message.en), found)
    return sorted(out.values(), key=lambda f: (f.line, f.path))


def _findings(doc: Document, error) -> list[Finding]:
    path = tuple(error.absolute_path)
    kind = error.validator
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        known = list(error.schema.get("properties", {}))
        code = "unknown-part" if path and path[-1] == "parts" else "unknown-key"
        what = Text("部分", "part") if code == "unknown-part" else Text("键", "key")
        return [doc.at(path + (key,), code, Text(f"未知的{what.zh} `{key}`", f"unknown {what.en} `{key}`")
                       + (suggest(key, known) if closest(key, known) is not None
                          else Text(f"（可用：{'、'.join(known)}）", f" (known: {', '.join(known)})")))
                for key in error.instance if key not in known]
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return [doc.at(path, "missing-key", Text(f"缺少键 `{missing}`", f"missing key `{missing}`") + _in_field(path))]
    if kind == "enum" and isinstance(error.instance, str) and set(error.validator_value) == LEVEL_SPELLINGS:
        near = nearest_level(error.instance)
        return [doc.at(path, "schema", Text(f"未知的层级 `{error.instance}`", f"unknown level `{error.instance}`")
                       + (Text(f"；是否应为 `{near}`？", f"; did you mean `{near}`?") if near else Text("", ""))
                       + Text(f"（{LEVEL_CHOICES}）", f" ({LEVEL_CHOICES})"))]
    if kind == "enum" and isinstance(error.instance, str):
        choices = [str(c) for c in error.validator_value]
        code = "unknown-authority" if "procurator_general" in choices and "prosecutor" in choices else "schema"
        return [doc.at(path, code, Text(f"`{error.instance}` 不是 {'、'.join(choices)} 之一",
                                        f"`{error.instance}` is not one of {', '.join(choices)}")
                       + suggest(error.instance, choices))]
    if kind in ("oneOf", "dependentSchemas", "minProperties", "maxProperties") and _in_condition(error):
        return [doc.at(path, "schema", Text(
            "条件须为 `all: [...]`、`any: [...]`、`not: {...}` 之一，或恰有一个运算符的单项 `{fact: CODE, OP: VALUE}`",
            "a condition is one of `all: [...]`, `any: [...]`, `not: {...}` "
            "or a leaf `{fact: CODE, OP: VALUE}` with exactly one operator"))]
    if kind == "oneOf" and isinstance(error.instance, dict) and {"forbid", "floor"} & set(error.instance):
        return [doc.at(path, "schema", Text("法定规则只能有一种效果：`forbid: true` 或 `floor: AUTHORITY`",
                                            "a statutory rule has exactly one effect: `forbid: true` or `floor: AUTHORITY`"))]
    if kind == "oneOf" and isinstance(error.instance, dict):
        return [doc.at(path, "schema", Text("法定规则须有一种效果：`forbid: true` 或 `floor: AUTHORITY`",
                                            "a statutory rule needs one effect: `forbid: true` or `floor: AUTHORITY`"))]
    if (kind == "format" and error.validator_value == "date") or (kind in ("anyOf", "oneOf") and any(
            e.validator == "format" and e.validator_value == "date" for e in error.context)):  # a date or null
        return [doc.at(path, "bad-dates", Text(f"`{error.instance}` 不是存在的日期（YYYY-MM-DD）",
                                               f"`{error.instance}` is not a day that exists (YYYY-MM-DD)"))]
    if kind == "pattern":
        form = error.schema.get('description', error.validator_value)
        return [doc.at(path, "schema", Text(f"`{_visible(error.instance)}` 不符合格式：{form}",
                                            f"`{_visible(error.instance)}` does not have the form {form}"))]
    if kind == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        return [doc.at(path, "schema", Text(f"`{_short(error.instance)}` 的类型不是 {expected}",
                                            f"`{_short(error.instance)}` is not of type {expected}"))]
    return [doc.at(path, "schema", Text(f"不符合模式：{_short(error.message, 200)}", _short(error.message, 200)))]


def _in_field(path: tuple) -> Text:
    """` in `responsibility` (/items/3/responsibility)`: which field of the document lacks the key, so a
    text without `zh` is found without counting items (the line alone names the item, not the field)."""
    if not path:
        return Text("", "")
    if isinstance(path[-1], str):
        return Text(f"（在 `{path[-1]}` 中，{pointer(path)}）", f" in `{path[-1]}` ({pointer(path)})")
    return Text(f"（在 {pointer(path)}）", f" at {pointer(path)}")


def _in_condition(error) -> bool:
    schema = error.schema if isinstance(error.schema, dict) else {}
    return "dependentSchemas" in schema or "fact" in schema.get("properties", {}) or (
        isinstance(error.instance, dict) and bool({"all", "any", "not", "fact"} & set(error.instance)))


def _visible(text: str) -> str:
    """`text` with its control characters written as escapes (`\\n`): a finding stays on one line and
    shows what the pattern refused."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _short(value, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[: limit - 1] + "…"
