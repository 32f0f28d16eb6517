"""The YAML loader (`quanze.yamlload`): bounds, duplicate keys, dates, lines.

Lines are checked against PyYAML's own composer (`yaml.compose`), which is independent of quanze's
conversion of nodes into data.
"""
from __future__ import annotations

import json
import os
import re
import time
import tracemalloc
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from quanze import schemas
from quanze.findings import pointer
from quanze.model import Text
from quanze.yamlload import MAX_ALIASES, MAX_BYTES, MAX_DEPTH, LoadError, load_file, load_text

MiB = 1024 * 1024


def _refused(raw, name="doc.yaml") -> LoadError:
    with pytest.raises(LoadError) as info:
        load_text(raw, name)
    return info.value


def _measured(call):
    """(result or exception, seconds, peak bytes allocated while running `call`). The bound a test holds
    is the memory: time is measured by the benchmarks, never asserted (a loaded machine makes it flaky)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    start = time.perf_counter()
    try:
        try:
            out = call()
        except LoadError as exc:
            out = exc
        return out, time.perf_counter() - start, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# --- bombs and sizes -------------------------------------------------------------------------------

BILLION_LAUGHS = "\n".join(
    ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    + ["items: [*a8]"]) + "\n"


def test_billion_laughs_is_refused_fast_and_small():
    out, _, peak = _measured(lambda: load_text(BILLION_LAUGHS.encode(), "bomb.yaml"))
    assert isinstance(out, LoadError)
    assert out.finding.code == "alias-limit" and out.finding.file == "bomb.yaml"
    # nine aliases a line from line 2: 63 by the end of line 8, the 65th on line 9
    assert out.finding.line == 9
    assert peak < 20 * MiB


def test_alias_bomb_within_the_alias_count_is_stopped_by_the_node_bound():
    """64 aliases (the bound), 8 per level: 8**8 = 16.7 million nodes if expanded."""
    text = "\n".join(["a0: &a0 [x, x, x, x, x, x, x, x]"]
                     + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 8) + "]" for i in range(1, 9)]) + "\n"
    assert text.count("*") == MAX_ALIASES
    out, _, peak = _measured(lambda: load_text(text.encode(), "bomb.yaml"))
    assert isinstance(out, LoadError) and out.finding.code == "alias-limit"
    # Bounded, not small: the node bound (250,000) lets a 300-byte file cost ~36 MiB before it is refused.
    assert peak < 64 * MiB


def test_a_few_aliases_are_fine():
    doc = load_text("base: &b {zh: 甲, en: A}\nother: *b\n", "t")
    assert doc.data == {"base": {"zh": "甲", "en": "A"}, "other": {"zh": "甲", "en": "A"}}


def test_a_50_mib_file_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as handle:
        handle.write(b"items:\n")
        handle.truncate(50 * MiB)
    out, _, peak = _measured(lambda: load_file(str(big), "big.yaml"))
    assert isinstance(out, LoadError)
    assert (out.finding.code, out.finding.file, out.finding.line) == ("too-large", "big.yaml", 0)
    assert "50.0 MiB" in out.finding.message.en
    assert peak < 20 * MiB


def test_50_mib_of_text_is_refused_without_parsing():
    raw = b"- x\n" * (50 * MiB // 4)
    out, _, peak = _measured(lambda: load_text(raw, "big.yaml"))
    assert isinstance(out, LoadError) and out.finding.code == "too-large"
    assert peak < 20 * MiB


def test_just_under_the_size_bound_is_read(tmp_path):
    path = tmp_path / "ok.yaml"
    line = b"# " + b"x" * 1020 + b"\n"
    path.write_bytes(b"a: 1\n" + line * ((MAX_BYTES - 10) // len(line)))
    assert path.stat().st_size <= MAX_BYTES
    assert load_file(str(path)).data == {"a": 1}


def test_deep_nesting_is_refused_with_its_line():
    text = "a: 1\nb: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    err = _refused(text)
    assert (err.finding.code, err.finding.line) == ("too-deep", 2)


def test_nesting_at_the_bound_is_read():
    depth = MAX_DEPTH - 1  # the root mapping is level 0
    doc = load_text("a: " + "[" * depth + "1" + "]" * depth + "\n", "t")
    value = doc.data["a"]
    for _ in range(depth - 1):
        value = value[0]
    assert value == [1]


def test_very_deep_nesting_is_a_finding_not_a_crash():
    """Deep enough to exhaust Python's recursion in PyYAML's composer."""
    err = _refused("[" * 100_000 + "]" * 100_000)
    assert err.finding.code == "too-deep"


def test_deep_block_nesting_is_refused():
    text = "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 3)) + "  " * (MAX_DEPTH + 3) + "v\n"
    err = _refused(text)
    assert err.finding.code == "too-deep"
    assert err.finding.line == MAX_DEPTH + 2  # the first node past the bound


# --- duplicate keys, dates, tags, encodings ---------------------------------------------------------

def test_duplicate_key_is_reported_with_both_lines_and_the_first_is_kept():
    doc = load_text("id: P-1\nmatter: approve_arrest\nbasis: [x]\nmatter: withdraw_indictment\n", "p.yaml")
    (found,) = doc.findings
    assert (found.code, found.file, found.line, found.path) == ("duplicate-key", "p.yaml", 4, "/matter")
    assert "first at line 2" in found.message.en
    assert doc.data["matter"] == "approve_arrest"


def test_duplicate_keys_are_all_reported_at_every_depth():
    text = "a: 1\na: 2\nb:\n  c: 1\n  d: 2\n  c: 3\nl:\n  - {x: 1, x: 2}\n"
    doc = load_text(text, "t")
    assert [(f.line, f.path) for f in doc.findings] == [(2, "/a"), (6, "/b/c"), (8, "/l/0/x")]
    assert all(f.code == "duplicate-key" for f in doc.findings)


@pytest.mark.parametrize("text,value", [
    ("d: 2021-11-01\n", "2021-11-01"),
    ("d: 2021-11-01 10:30:00\n", "2021-11-01 10:30:00"),
    ("d: 2021-11-01T10:30:00Z\n", "2021-11-01T10:30:00Z"),
    ("d: '2021-11-01'\n", "2021-11-01"),
])
def test_dates_are_kept_as_the_strings_written(text, value):
    assert load_text(text, "t").data == {"d": value}


def test_plain_scalars_keep_their_safe_types():
    doc = load_text("i: 2\nf: 1.5\nb: true\nn: null\ns: text\nq: '2'\n", "t")
    assert doc.data == {"i": 2, "f": 1.5, "b": True, "n": None, "s": "text", "q": "2"}
    assert type(doc.data["i"]) is int and type(doc.data["b"]) is bool


def test_keys_are_kept_as_written():
    doc = load_text("on: 2021-06-01\nyes: 1\nno: 2\nnull: 3\n", "t")
    assert doc.data == {"on": "2021-06-01", "yes": 1, "no": 2, "null": 3}
    assert doc.findings == []


def test_numeric_and_boolean_keys_become_strings():
    doc = load_text("1: a\ntrue: b\n", "t")
    assert doc.data == {"1": "a", "true": "b"}


@pytest.mark.parametrize("text", [
    "x: !!python/name:os.system\n",
    "x: !!python/object/apply:os.system ['echo pwned']\n",
    "x: !!python/object:os.system {}\n",
    "x: !custom value\n",
])
def test_no_tag_constructs_python_objects(text):
    try:
        data = load_text(text, "t").data
    except LoadError as exc:
        assert exc.finding.code == "yaml-syntax"
        return
    json.dumps(data)  # plain data only


def test_binary_tag_gives_plain_data_or_a_finding():
    try:
        data = load_text("note: !!binary aGVsbG8=\n", "t").data
    except LoadError as exc:
        assert exc.finding.code == "yaml-syntax"
        return
    json.dumps(data)


def test_complex_key_is_a_finding():
    err = _refused("a: 1\n? [x, y]\n: z\n")
    assert (err.finding.code, err.finding.line) == ("yaml-syntax", 2)


def test_syntax_error_has_its_line():
    err = _refused("a: 1\nb: [1, 2\nc: 3\n")
    assert err.finding.code == "yaml-syntax" and err.finding.line == 3
    assert "\n" not in err.finding.message.en


def test_tab_indentation_is_a_syntax_error_with_its_line():
    err = _refused("a:\n  b: 1\n\tc: 2\n")
    assert err.finding.code == "yaml-syntax" and err.finding.line == 3


def test_two_documents_are_refused():
    err = _refused("a: 1\n---\nb: 2\n")
    assert err.finding.code == "yaml-syntax"


def test_not_utf8_is_unreadable_at_its_line():
    err = _refused(b"a: 1\nb: \xff\xfe\n")
    assert (err.finding.code, err.finding.line) == ("unreadable", 2)
    assert "byte 0xff at line 2, column 4" in err.finding.message.en


def test_bom_is_allowed():
    assert load_text("\ufeffa: 检察官\n".encode("utf-8"), "t").data == {"a": "检察官"}


def test_missing_file_is_unreadable(tmp_path):
    with pytest.raises(LoadError) as info:
        load_file(str(tmp_path / "nope.yaml"), "nope.yaml")
    assert (info.value.finding.code, info.value.finding.file) == ("unreadable", "nope.yaml")


def test_a_folder_is_unreadable(tmp_path):
    with pytest.raises(LoadError) as info:
        load_file(str(tmp_path), "dir")
    assert info.value.finding.code == "unreadable"


def test_empty_document_is_none():
    assert load_text("", "t").data is None
    assert load_text("# only a comment\n", "t").data is None


# --- lines -----------------------------------------------------------------------------------------

PART = """\
# yaml-language-server: $schema=../schemas/part.schema.json
part: prosecutor
items:
  - id: P-1
    matter: approve_arrest

    when:
      all:
        - {fact: suspect_is_minor, is: true}
        - fact: case_source
          in: [public_security,
               state_security]
    basis:
      - 《人民检察院刑事诉讼规则》第四条
      - >-
        folded
        text
  - id: P-2
    matter: withdraw_indictment
"""


@pytest.mark.parametrize("path,line", [
    ((), 2),
    (("part",), 2),
    (("items",), 3),
    (("items", 0), 4),
    (("items", 0, "id"), 4),
    (("items", 0, "matter"), 5),
    (("items", 0, "when"), 7),
    (("items", 0, "when", "all"), 8),
    (("items", 0, "when", "all", 0), 9),
    (("items", 0, "when", "all", 0, "is"), 9),
    (("items", 0, "when", "all", 1), 10),
    (("items", 0, "when", "all", 1, "in"), 11),
    (("items", 0, "when", "all", 1, "in", 0), 11),
    (("items", 0, "when", "all", 1, "in", 1), 12),
    (("items", 0, "basis", 0), 14),
    (("items", 0, "basis", 1), 15),
    (("items", 1), 18),
    (("items", 1, "matter"), 19),
    (("items", 1, "nothing", "here"), 18),  # the nearest ancestor
])
def test_lines_of_keys_and_items(path, line):
    doc = load_text(PART, "p.yaml")
    assert doc.line(path) == line
    finding = doc.at(path, "schema", Text("某", "x"))
    assert (finding.file, finding.line, finding.path) == ("p.yaml", line, pointer(path))


def test_schema_findings_point_at_the_line(tmp_path):
    text = PART.replace("    matter: withdraw_indictment\n", "    matter: withdraw_indictment\n    respnsibility: x\n")
    doc = load_text(text, "p.yaml")
    found = schemas.check(doc, "part")
    assert [(f.code, f.line) for f in found] == [("unknown-key", 20)]


# --- property: every finding has a line that shows the offence ---------------------------------------

# Keys YAML 1.1 reads as booleans or null are left out here (see test_keys_are_kept_as_written).
SPECIAL = {"yes", "no", "on", "off", "true", "false", "null", "y", "n"}
KEYS = st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8).filter(lambda k: k.lower() not in SPECIAL)
SCALARS = st.one_of(st.integers(-10**6, 10**6), st.booleans(), st.none(),
                    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30),
                    st.text("abc 检察官:#-'\"", max_size=12))
TREES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(KEYS, inner, max_size=4)), max_leaves=25)
DOCS = st.dictionaries(KEYS, TREES, min_size=1, max_size=5)
BREAKS = re.compile("\r\n|[\n\r\x85\u2028\u2029]")  # what PyYAML's reader counts as a line break


def _schema_of(value) -> dict:
    """The strictest schema `value` fits: every key required, no other key, each leaf of its type."""
    if isinstance(value, dict):
        return {"type": "object", "properties": {k: _schema_of(v) for k, v in value.items()},
                "required": list(value), "additionalProperties": False}
    if isinstance(value, list):
        return {"type": "array", "prefixItems": [_schema_of(v) for v in value], "items": False}
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, int):
        return {"type": "integer"}
    if value is None:
        return {"type": "null"}
    return {"type": "string"}


def _places(value, path=()):
    """(path, kind) for every key ("key") and every scalar ("value") of a tree."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield path + (k,), "key"
            yield from _places(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _places(v, path + (i,))
    else:
        yield path, "value"


def _get(value, path):
    for p in path:
        value = value[p]
    return value


def _mutate(data, path, kind):
    """A deep copy of data with the key at `path` misspelt, or the scalar at `path` of a wrong type."""
    data = json.loads(json.dumps(data))
    parent = _get(data, path[:-1])
    last = path[-1]
    if kind == "key":
        wrong = last + "qz"
        while wrong in parent:
            wrong += "z"
        items = [(wrong if k == last else k, v) for k, v in parent.items()]
        parent.clear()
        parent.update(items)
        return data, wrong
    old = parent[last]
    parent[last] = 987654321 if isinstance(old, str) else "zzwrongzz"
    return data, parent[last]


def _truth_line(text, path) -> int:
    """The line PyYAML's composer gives the node at `path`: a key's own line for a mapping entry."""
    node = yaml.compose(text)
    line = node.start_mark.line + 1
    for p in path:
        if isinstance(p, int):
            node = node.value[p]
            line = node.start_mark.line + 1
        else:
            key, node = next((k, v) for k, v in node.value if k.value == p)
            line = key.start_mark.line + 1
    return line


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=DOCS, pick=st.integers(0, 10**6), flow=st.sampled_from([False, None, True]), width=st.sampled_from([30, 80]))
def test_every_finding_has_a_line_showing_the_offence(data, pick, flow, width):
    places = list(_places(data))
    assume(places)
    path, kind = places[pick % len(places)]
    mutated, offending = _mutate(data, path, kind)
    text = yaml.safe_dump(mutated, allow_unicode=True, sort_keys=False, default_flow_style=flow, width=width)
    assume(yaml.safe_load(text) == mutated)  # PyYAML's own round trip (it loses e.g. a lone "\x85")
    lines = BREAKS.split(text)
    doc = load_text(text.encode("utf-8"), "doc.yaml")
    assert doc.data == mutated and doc.findings == []

    with mock.patch.object(schemas, "validator", lambda kind: Draft202012Validator(_schema_of(data))):
        found = schemas.check(doc, "generated")
    assert found, text

    if kind == "key":
        bad_path, parent = path[:-1] + (offending,), path[:-1]
        token = offending
        expected = {("unknown-key", pointer(bad_path)), ("missing-key", pointer(parent))}
    else:
        bad_path, parent, token = path, None, str(offending)
        expected = {("schema", pointer(bad_path))}
    assert {(f.code, f.path) for f in found} == expected, (text, found)

    for f in found:
        assert 1 <= f.line <= len(lines), (text, f)
        if f.code == "missing-key":  # the key is absent: the finding is at the mapping that lacks it
            assert f.line == _truth_line(text, parent), (text, f)
            continue
        assert f.line == _truth_line(text, bad_path), (text, f)
        shown = lines[f.line - 1]
        last = bad_path[-1] if bad_path else None
        assert token in shown or (isinstance(last, str) and last in shown), (text, f, shown)


def _load_both(path, monkeypatch):
    import yaml as yaml_mod
    from quanze.yamlload import LoadError, load_file
    out = []
    for with_c in (True, False):
        monkeypatch.setattr(yaml_mod, "__with_libyaml__", with_c)
        try:
            doc = load_file(str(path))
            out.append((doc.data, doc.lines, [f.format() for f in doc.findings]))
        except LoadError as exc:
            out.append(exc.finding.format())
    return out


def test_libyaml_and_the_python_loader_read_every_file_alike(monkeypatch):
    """`load_text` reads with libyaml where it safely can: every YAML file of the project (lists,
    rules, the invalid fixtures) gives the same data, lines and findings as the pure-Python loader."""
    from .paths import ROOT
    import glob
    files = [f for pattern in ("lists/**/*.yaml", "rules/*.yaml", "tests/fixtures/**/*.yaml")
             for f in glob.glob(os.path.join(ROOT, pattern), recursive=True)]
    assert len(files) > 50
    for path in files:
        fast, slow = _load_both(path, monkeypatch)
        assert fast == slow, path


@pytest.mark.parametrize("text", ["a: [1, 2\n", "a: 1\n  b: 2\n", "a: !!python/object:os.system x\n",
                                  "a: 1\na: 2\n", "on: yes\nwhen: 2021-01-01\n", "- &x {a: 1}\n- *x\n",
                                  "[" * 2000 + "]" * 2000 + "\n", "k: \"\\x\"\n", "",
                                  pytest.param("q: {en: Is it?}\n", marks=pytest.mark.xfail(strict=True, reason=(
                                      "engine defect: libyaml reads a flow-mapping value ending in `?` ({en: Is it?}) "
                                      "but the pure-Python loader says yaml-syntax, so the same text loads or not "
                                      "depending on whether the document has an alias or over 1000 brackets")))])
def test_libyaml_and_the_python_loader_agree_on_odd_documents(tmp_path, monkeypatch, text):
    path = tmp_path / "odd.yaml"
    path.write_text(text, encoding="utf-8")
    fast, slow = _load_both(path, monkeypatch)
    assert fast == slow
