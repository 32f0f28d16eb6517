"""A list written in Chinese only: `en` is optional in every text, English output shows the Chinese.

The sample lists are copied with every `en` of their texts taken out, as a Chinese office writes
them; they must validate as cleanly as the originals, decide, show and diff in both languages, and
`validate --strict` must ask for each English text, at its line and pointer.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

import cli
from quanze.lists import load_list

from .paths import LISTS, RULES


def _drop_english(node):
    """`node` with the `en` of every `{zh, en}` text taken out."""
    if isinstance(node, dict):
        if "zh" in node and node.keys() <= {"zh", "en"}:
            return {"zh": node["zh"]}
        return {k: _drop_english(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_drop_english(v) for v in node]
    return node


@pytest.fixture(scope="module")
def chinese_lists(tmp_path_factory) -> Path:
    """lists/ copied with no English text left (dates written back as YAML dates)."""
    root = tmp_path_factory.mktemp("zh") / "lists"
    shutil.copytree(LISTS, root)
    for path in root.rglob("*.yaml"):
        if path.name == "cases.yaml":
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump(_drop_english(data), allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert "\n  en:" not in (root / "xj-2021" / "list.yaml").read_text(encoding="utf-8")
    return root


def _findings(runner, *args):
    r = runner.invoke(cli.main, ["validate", *args, "--format", "json", "--rules", RULES])
    assert "Traceback" not in r.output
    return r, json.loads(r.stdout)


def test_a_chinese_only_list_validates_as_cleanly_as_the_bilingual_one(runner, chinese_lists):
    r, found = _findings(runner, str(chinese_lists))
    assert r.exit_code == 0, r.output
    assert not [f for f in found if f["severity"] == "error"]
    _, original = _findings(runner, LISTS)
    assert sorted(f["code"] for f in found) == sorted(f["code"] for f in original)


def test_strict_asks_for_the_english_of_each_text_at_its_line_and_pointer(runner, chinese_lists):
    r, found = _findings(runner, str(chinese_lists / "xj-2021"), "--strict")
    assert r.exit_code == 1
    missing = [f for f in found if f["code"] == "missing-english"]
    assert missing and all(f["severity"] == "warning" for f in missing)
    title = [f for f in missing if f["path"] == "/title"]
    assert len(title) == 1 and title[0]["file"].endswith("list.yaml") and title[0]["line"] >= 1
    assert any(f["path"].startswith("/items/") and f["path"].endswith("/responsibility") for f in missing)
    text = runner.invoke(cli.main, ["validate", str(chinese_lists / "xj-2021"), "--strict", "--rules", RULES, "--lang", "en"])
    assert "list.yaml:" in text.output and "missing-english (warning): `title` has no English" in text.output
    text = runner.invoke(cli.main, ["validate", str(chinese_lists / "xj-2021"), "--strict", "--rules", RULES])
    assert "list.yaml:" in text.output and "missing-english（警告）: `title` 没有英文" in text.output
    # the bilingual original has every English text
    _, original = _findings(runner, str(Path(LISTS) / "xj-2021"), "--strict")
    assert not [f for f in original if f["code"] == "missing-english"]


def test_a_text_without_english_is_null_in_json_and_chinese_in_english(chinese_lists, catalogue):
    the_list, found = load_list(str(chinese_lists / "xj-2021"), catalogue)
    assert found.ok
    assert the_list.title.en is None and the_list.title.get("en") == the_list.title.zh
    assert the_list.title.to_json() == {"zh": the_list.title.zh, "en": None}


def test_a_text_without_zh_is_an_error_naming_the_field(runner, tmp_path, chinese_lists):
    folder = tmp_path / "list"
    shutil.copytree(chinese_lists / "xj-2021", folder)
    part = folder / "prosecutor.yaml"
    data = yaml.safe_load(part.read_text(encoding="utf-8"))
    data["items"][2]["responsibility"] = {"en": "the prosecutor answers for it"}
    part.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    r = runner.invoke(cli.main, ["validate", str(folder), "--rules", RULES, "--lang", "en"])
    assert r.exit_code == 1
    line = next(ln for ln in r.output.splitlines() if "missing-key" in ln)
    assert "prosecutor.yaml:" in line
    assert "missing key `zh` in `responsibility` (/items/2/responsibility)" in line
    r = runner.invoke(cli.main, ["validate", str(folder), "--rules", RULES])
    assert "缺少键 `zh`（在 `responsibility` 中，/items/2/responsibility）" in r.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_chinese_only_list_decides_shows_and_diffs(runner, chinese_lists, lang):
    new, old = str(chinese_lists / "xj-2021"), str(chinese_lists / "xj-2019")
    title = yaml.safe_load((chinese_lists / "xj-2021" / "list.yaml").read_text(encoding="utf-8"))["title"]["zh"]

    decided = runner.invoke(cli.main, ["decide", new, "-m", "approve_arrest", "-a", "prosecutor",
                                       "-f", "case_is_major_difficult_complex=是", "--lang", lang, "--rules", RULES])
    assert decided.exit_code == 1, decided.output  # the committee or the procurator-general decides it
    assert "None" not in decided.output and "Traceback" not in decided.output

    shown = runner.invoke(cli.main, ["show", new, "--lang", lang, "--rules", RULES])
    assert shown.exit_code == 0, shown.output
    assert title in shown.output  # the English page shows the Chinese title rather than nothing
    assert "None" not in shown.output

    html = runner.invoke(cli.main, ["show", new, "--format", "html", "--lang", lang, "--rules", RULES])
    assert html.exit_code == 0 and title in html.output and "None" not in html.output

    diffed = runner.invoke(cli.main, ["diff", old, new, "--lang", lang, "--rules", RULES])
    assert diffed.exit_code == 0, diffed.output
    assert "None" not in diffed.output and "Traceback" not in diffed.output
    original = runner.invoke(cli.main, ["diff", str(Path(LISTS) / "xj-2019"), str(Path(LISTS) / "xj-2021"),
                                        "--format", "json", "--rules", RULES])
    ours = runner.invoke(cli.main, ["diff", old, new, "--format", "json", "--rules", RULES])
    assert [m["direction"] for m in json.loads(ours.stdout)["matters"]] == \
           [m["direction"] for m in json.loads(original.stdout)["matters"]]


def test_a_note_is_a_text_or_plain_chinese(tmp_path, catalogue, chinese_lists):
    folder = tmp_path / "list"
    shutil.copytree(chinese_lists / "xj-2021", folder)
    part = folder / "prosecutor.yaml"
    data = yaml.safe_load(part.read_text(encoding="utf-8"))
    data["items"][0]["note"] = {"zh": "因案件量大下放", "en": "lowered for the caseload"}
    data["items"][1]["note"] = "因案件量大下放"
    part.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    the_list, found = load_list(str(folder), catalogue)
    assert found.ok, [f.format() for f in found]
    first, second = the_list.parts[0].items[0], the_list.parts[0].items[1]
    assert first.note.get("en") == "lowered for the caseload" and first.note.zh == "因案件量大下放"
    assert second.note.zh == "因案件量大下放" and second.note.get("en") == "因案件量大下放"
