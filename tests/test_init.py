"""`quanze init`: a new list folder, and the next version of a list (`--from`), through click's
CliRunner; and the pieces under it (`newlist`, `outfile.write_folder`).

What matters to a drafter: the new folder validates and tests as it is; its examples, uncommented,
validate and pass at every level; Chinese is accepted for the level; nothing existing is ever
overwritten or followed; the next version keeps every item id, text and comment, and leaves the old
list as it was; dates that are not given are asked, and a day not after the old list's is refused.
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest

import cli
from quanze import levels, newlist, outfile
from quanze.outfile import OutputError, write_folder
from quanze.yamlload import load_file
from tests.paths import LISTS, RULES

XJ21 = os.path.join(LISTS, "xj-2021")
NEW = ["--level", "基层", "--issuer", "某某市某某区人民检察院", "--effective-from", "2024-03-01"]
SCHEMA = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.M)


def init(runner, *args, input=None):
    return runner.invoke(cli.main, ["init", *map(str, args), "--rules", RULES], input=input)


def run(runner, *args):
    return runner.invoke(cli.main, [*map(str, args), "--rules", RULES])


def digest(folder) -> str:
    """Every file under `folder`, names and bytes: to show that a folder was left as it was."""
    h = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        h.update(str(path.relative_to(folder)).encode() + b"\0")
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


def uncomment_examples(folder: Path) -> None:
    """What the drafter is told to do: `items: []` → `items:`, and the `# ` of the example lines off."""
    for f in folder.glob("*.yaml"):
        if f.name == "list.yaml":
            continue
        text = f.read_text(encoding="utf-8")
        head, sep, tail = text.partition(": []\n")
        assert sep, f
        tail = "\n".join(line[2:] if line.startswith("# ") else line for line in tail.split("\n"))
        f.write_text(head + ":\n" + tail, encoding="utf-8")


# --- a new list ---------------------------------------------------------------------------------------


def test_a_new_list_folder_validates_and_tests_as_it_is(runner, tmp_path):
    folder = tmp_path / "jd-2024"
    r = init(runner, folder, *NEW)
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith(f"已新建清单 jd-2024（基层，某某市某某区人民检察院，2024-03-01 起施行）：{folder}\n")
    assert f"quanze validate {folder}" in r.stdout and f"quanze test {folder}" in r.stdout
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["list.yaml", "prosecutor.yaml", "procurator-general.yaml", "committee.yaml", "office.yaml", "cases.yaml"])
    head = load_file(str(folder / "list.yaml")).data
    assert head["id"] == "jd-2024" and head["level"] == "grassroots"
    assert head["issuer"] == {"zh": "某某市某某区人民检察院"}
    assert head["title"] == {"zh": "某某市某某区人民检察院检察委员会和检察官权责清单"}
    assert (head["effective_from"], head["effective_to"]) == ("2024-03-01", None)
    assert "supersedes" not in head and set(head["parts"]) == {"prosecutor", "procurator_general", "committee", "office"}
    for part, name in head["parts"].items():
        data = load_file(str(folder / name)).data
        assert data == {"part": part, "items": []}
    assert load_file(str(folder / "cases.yaml")).data == {"cases": []}
    v = run(runner, "validate", folder, "--lang", "en")
    assert v.exit_code == 0 and v.output.strip() == "0 errors, 0 warnings (1 list and the rules checked)", v.output
    t = run(runner, "test", folder)
    assert t.exit_code == 0, t.output
    assert t.stdout == f"{folder}：cases.yaml 中还没有用例（在 cases 下写出请求和预期的决定）\n通过 0，失败 0\n"


def test_every_file_names_its_schema_for_the_editor(runner, tmp_path):
    for folder in (tmp_path / "jd-2024", Path(os.path.relpath(tmp_path / "nested" / "jd-2024"))):
        folder.parent.mkdir(exist_ok=True)
        assert init(runner, folder, *NEW).exit_code == 0
        for f in folder.glob("*.yaml"):
            m = SCHEMA.match(f.read_text(encoding="utf-8"))
            assert m, f
            kind = {"list.yaml": "list", "cases.yaml": "cases"}.get(f.name, "part")
            target = os.path.join(f.parent, m.group(1))  # as the editor resolves it: from the file's folder
            assert os.path.basename(target) == f"{kind}.schema.json" and os.path.isfile(target), m.group(1)
    shutil.rmtree(tmp_path / "nested")


@pytest.mark.parametrize("level", ["基层", "设区的市级", "省级", "最高", "grassroots", "municipal", "provincial", "supreme"])
def test_the_examples_uncommented_validate_and_their_case_passes(runner, tmp_path, level):
    folder = tmp_path / "x-2024"
    assert init(runner, folder, *NEW[:1], level, *NEW[2:]).exit_code == 0
    uncomment_examples(folder)
    v = run(runner, "validate", folder, "--lang", "en")
    assert v.exit_code == 0 and v.output.strip() == "0 errors, 0 warnings (1 list and the rules checked)", v.output
    parts = {p: load_file(str(folder / n)).data["items"] for p, n in newlist.PART_FILES.items()}
    assert [i["id"] for p in parts.values() for i in p] == ["X-P-0001", "X-G-0001", "X-C-0001", "X-O-0001"]
    t = run(runner, "test", folder, "--lang", "en")
    assert t.exit_code == 0 and t.stdout.endswith("1 passed, 0 failed\n"), t.output


def test_every_level_is_typed_as_its_code_or_a_chinese_name(runner, tmp_path):
    assert set(levels.SPELLINGS) == set(levels.LEVELS)
    for code, names in levels.SPELLINGS.items():
        for typed in (code,) + names:
            folder = tmp_path / f"l-{len(list(tmp_path.iterdir()))}"
            r = init(runner, folder, "--id", "l-2024", "--level", typed, "--issuer", "某某人民检察院", "--effective-from", "2024-03-01")
            assert r.exit_code == 0, r.output
            assert load_file(str(folder / "list.yaml")).data["level"] == code


def test_an_unknown_level_is_refused_with_a_suggestion(runner, tmp_path):
    r = init(runner, tmp_path / "jd-2024", "--level", "省极", "--issuer", "某某人民检察院", "--effective-from", "2024-03-01")
    assert r.exit_code == 2
    assert r.stderr == "quanze: 错误: --level：未知层级 `省极`；是否应为 `省级`？（基层、设区的市级、省级、最高）\n"
    r = init(runner, tmp_path / "jd-2024", "--level", "省极", "--issuer", "某某人民检察院", "--effective-from", "2024-03-01",
             "--lang", "en")
    assert r.stderr == "quanze: error: --level: unknown level `省极`; did you mean `省级`? " \
                       "(基层 grassroots, 设区的市级 municipal, 省级 provincial, 最高 supreme)\n"
    assert not (tmp_path / "jd-2024").exists()


def test_a_new_list_needs_its_level_and_issuer(runner, tmp_path):
    r = init(runner, tmp_path / "jd-2024", "--level", "基层", "--effective-from", "2024-03-01")
    assert r.exit_code == 2 and "--level 和 --issuer" in r.stderr and r.stderr.count("\n") == 1
    r = init(runner, tmp_path / "jd-2024", "--level", "基层", "--issuer", "  ", "--effective-from", "2024-03-01")
    assert r.exit_code == 2 and r.stderr.startswith("quanze: 错误: --issuer：")
    assert not (tmp_path / "jd-2024").exists()


def test_the_id_is_the_folder_name_or_asked_or_given(runner, tmp_path):
    r = init(runner, tmp_path / "新清单", *NEW, input="不是编号\njd-2024\n")
    assert r.exit_code == 0, r.output
    assert "清单编号（id，如 jd-2024）：" in r.stderr and "不是编号" in r.stderr
    assert load_file(str(tmp_path / "新清单" / "list.yaml")).data["id"] == "jd-2024"
    r = init(runner, tmp_path / "other", *NEW, "--id", "jd.2024_b")
    assert r.exit_code == 0 and load_file(str(tmp_path / "other" / "list.yaml")).data["id"] == "jd.2024_b"
    r = init(runner, tmp_path / "third", *NEW, "--id", "-bad")
    assert r.exit_code == 2 and r.stderr.startswith("quanze: 错误: --id：`-bad` 不是编号")


def test_a_numeric_id_stays_a_string(runner, tmp_path):
    assert init(runner, tmp_path / "2024", *NEW).exit_code == 0
    assert load_file(str(tmp_path / "2024" / "list.yaml")).data["id"] == "2024"
    assert run(runner, "validate", tmp_path / "2024").exit_code == 0


def test_the_day_it_takes_effect_is_asked_until_it_is_a_day(runner, tmp_path):
    args = NEW[:4]
    r = init(runner, tmp_path / "jd-2024", *args, input="2024-02-30\n2024-03-01\n")
    assert r.exit_code == 0, r.output
    assert r.stderr.count("施行日期（YYYY-MM-DD）：") == 2 and "`2024-02-30` 不是日期" in r.stderr
    assert load_file(str(tmp_path / "jd-2024" / "list.yaml")).data["effective_from"] == "2024-03-01"
    r = init(runner, tmp_path / "jd-2025", *args, input="")
    assert r.exit_code == 2
    assert r.stderr.endswith("quanze: 错误: --effective-from：没有给出，而标准输入在回答之前已经结束\n")
    assert not (tmp_path / "jd-2025").exists()


def test_bad_days_are_refused(runner, tmp_path):
    r = init(runner, tmp_path / "a", *NEW[:4], "--effective-from", "2024-3-1")
    assert r.exit_code == 2 and "--effective-from：`2024-3-1` 不是日期 YYYY-MM-DD" in r.stderr
    r = init(runner, tmp_path / "a", *NEW, "--effective-to", "2023-12-31")
    assert r.exit_code == 2 and "--effective-to：2023-12-31 早于 --effective-from 2024-03-01" in r.stderr
    r = init(runner, tmp_path / "a", *NEW, "--effective-to", "2025-12-31")
    assert r.exit_code == 0 and load_file(str(tmp_path / "a" / "list.yaml")).data["effective_to"] == "2025-12-31"


def test_a_title_with_yaml_punctuation_reads_back_as_written(runner, tmp_path):
    title = "某某区人民检察院权责清单: 试行 #1 'A'"
    assert init(runner, tmp_path / "t-2024", *NEW, "--title", title).exit_code == 0
    assert load_file(str(tmp_path / "t-2024" / "list.yaml")).data["title"] == {"zh": title}


# --- nothing is overwritten, nothing followed -----------------------------------------------------------


def test_an_existing_folder_with_anything_in_it_is_refused(runner, tmp_path):
    folder = tmp_path / "jd-2024"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    r = init(runner, folder, *NEW)
    assert r.exit_code == 2
    assert r.stderr == f"quanze: 错误: `{folder}` 已经存在且不是空文件夹；不覆盖任何内容\n"
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_an_empty_folder_is_filled(runner, tmp_path):
    folder = tmp_path / "jd-2024"
    folder.mkdir()
    os.chmod(folder, 0o750)
    assert init(runner, folder, *NEW).exit_code == 0
    assert (folder / "list.yaml").is_file() and (os.stat(folder).st_mode & 0o777) == 0o750


def test_a_symbolic_link_is_never_followed(runner, tmp_path):
    target = tmp_path / "elsewhere"
    target.mkdir()
    link = tmp_path / "jd-2024"
    link.symlink_to(target)
    r = init(runner, link, *NEW)
    assert r.exit_code == 2 and "是符号链接" in r.stderr and r.stderr.count("\n") == 1
    assert list(target.iterdir()) == [] and link.is_symlink()
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    assert init(runner, dangling, *NEW).exit_code == 2 and not (tmp_path / "nowhere").exists()


def test_a_file_in_the_way_is_refused(runner, tmp_path):
    (tmp_path / "jd-2024").write_text("x", encoding="utf-8")
    r = init(runner, tmp_path / "jd-2024", *NEW)
    assert r.exit_code == 2 and "已经存在且不是文件夹" in r.stderr
    r = init(runner, tmp_path / "no" / "such" / "jd-2024", *NEW)
    assert r.exit_code == 2 and "不存在" in r.stderr


def test_a_write_that_fails_leaves_nothing_behind(tmp_path, monkeypatch):
    calls = []

    def full_disk(target, data):
        calls.append(1)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        target.write(data)
    monkeypatch.setattr(outfile, "write_all", full_disk)
    with pytest.raises(OSError) as caught:
        write_folder(str(tmp_path / "jd-2024"), {f"f{i}.yaml": b"x: 1\n" for i in range(5)})
    assert caught.value.errno == errno.ENOSPC and caught.value.filename == str(tmp_path / "jd-2024" / "f2.yaml")
    assert list(tmp_path.iterdir()) == []  # neither the folder nor the temporary one


def test_a_folder_filled_while_it_is_written_is_not_overwritten(tmp_path):
    folder = tmp_path / "jd-2024"
    folder.mkdir()

    class Sneaky(dict):
        def items(self):
            (folder / "theirs.txt").write_text("theirs", encoding="utf-8")  # someone else, meanwhile
            return super().items()
    with pytest.raises(OutputError, match="filled or replaced while it was being written"):
        write_folder(str(folder), Sneaky({"list.yaml": b"id: x\n"}))
    assert [p.name for p in folder.iterdir()] == ["theirs.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["jd-2024"]


def test_write_folder_keeps_its_files_inside(tmp_path):
    with pytest.raises(OutputError, match="not a path inside the folder"):
        write_folder(str(tmp_path / "a"), {"../escape.yaml": b"x"})
    assert list(tmp_path.iterdir()) == []


# --- the next version ------------------------------------------------------------------------------------


@pytest.fixture
def library(tmp_path):
    shutil.copytree(LISTS, tmp_path / "lists")
    return tmp_path / "lists"


def _ids(folder: Path) -> list:
    head = load_file(str(folder / "list.yaml")).data
    return [i["id"] for n in head["parts"].values() for i in load_file(str(folder / n)).data["items"]]


def test_the_next_version_keeps_ids_texts_and_comments_and_leaves_the_old_list(runner, library):
    old, new = library / "xj-2021", library / "xj-2025"
    before = digest(old)
    r = init(runner, new, "--from", old, "--effective-from", "2025-01-01")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith(f"已新建清单 xj-2025，取代 xj-2021（2025-01-01 起施行）：{new}\n")
    assert f"quanze audit {new} --against {old}" in r.stdout
    assert digest(old) == before
    assert _ids(new) == _ids(old) and len(_ids(new)) == 62
    head, was = load_file(str(new / "list.yaml")).data, load_file(str(old / "list.yaml")).data
    assert (head["id"], head["supersedes"], head["effective_from"], head["effective_to"]) == ("xj-2025", "xj-2021", "2025-01-01", None)
    assert {k: v for k, v in head.items() if k not in ("id", "supersedes", "effective_from")} == \
        {k: v for k, v in was.items() if k not in ("id", "supersedes", "effective_from")}
    for f in old.iterdir():  # every other file as written: comments, quoting, order
        if f.name != "list.yaml":
            assert (new / f.name).read_bytes() == f.read_bytes(), f.name
    changed = [(a, b) for a, b in zip((old / "list.yaml").read_text().split("\n"), (new / "list.yaml").read_text().split("\n")) if a != b]
    assert changed == [("id: xj-2021", "id: xj-2025"), ("effective_from: '2021-11-01'", "effective_from: '2025-01-01'"),
                       ("supersedes: xj-2019", "supersedes: xj-2021")]
    a = run(runner, "audit", new, "--against", old, "--lang", "en")
    assert a.exit_code == 0 and a.stdout.startswith("Publication review: xj-2025 (against xj-2021)"), a.output
    t = run(runner, "test", new, "-q", "--lang", "en")
    assert t.exit_code == 0 and t.stdout.endswith(" passed, 0 failed\n"), t.output


def test_the_next_version_must_take_effect_after_the_old(runner, library):
    old = library / "xj-2021"
    r = init(runner, library / "xj-next", "--from", old, "--effective-from", "2021-11-01")
    assert r.exit_code == 2
    assert r.stderr == "quanze: 错误: --effective-from：2021-11-01 不晚于 2021-11-01（xj-2021 的施行日期）\n"
    r = init(runner, library / "xj-next", "--from", old, input="2020-01-01\n2026-07-01\n")
    assert r.exit_code == 0, r.output
    assert "不晚于 2021-11-01" in r.stderr
    assert load_file(str(library / "xj-next" / "list.yaml")).data["effective_from"] == "2026-07-01"


def test_the_next_version_needs_an_id_of_its_own(runner, library, tmp_path):
    r = init(runner, tmp_path / "xj-2021", "--from", library / "xj-2021", "--effective-from", "2025-01-01")
    assert r.exit_code == 2 and "新版本需要自己的编号" in r.stderr
    assert not (tmp_path / "xj-2021").exists()


def test_the_next_version_can_change_level_issuer_and_title(runner, library):
    new = library / "xj-2025"
    r = init(runner, new, "--from", library / "xj-2021", "--effective-from", "2025-01-01", "--effective-to", "2027-12-31",
             "--level", "设区的市级", "--issuer", "某某市人民检察院", "--title", "某某市人民检察院权责清单")
    assert r.exit_code == 0, r.output
    head = load_file(str(new / "list.yaml")).data
    assert (head["level"], head["issuer"], head["title"], head["effective_to"]) == \
        ("municipal", {"zh": "某某市人民检察院"}, {"zh": "某某市人民检察院权责清单"}, "2027-12-31")
    assert "description" in head and head["parts"] == load_file(str(library / "xj-2021" / "list.yaml")).data["parts"]


def test_the_next_version_elsewhere_points_at_the_same_schemas(runner, library, tmp_path):
    new = tmp_path / "drafts" / "2025" / "xj-2025"
    new.parent.mkdir(parents=True)
    assert init(runner, new, "--from", library / "xj-2021", "--effective-from", "2025-01-01").exit_code == 0
    for f in new.glob("*.yaml"):
        ref = SCHEMA.match(f.read_text(encoding="utf-8")).group(1)
        old_ref = SCHEMA.match((library / "xj-2021" / f.name).read_text(encoding="utf-8")).group(1)
        assert os.path.normpath(os.path.join(new, ref)) == os.path.normpath(os.path.join(library / "xj-2021", old_ref))


def test_from_what_is_not_a_list_is_refused(runner, tmp_path):
    r = init(runner, tmp_path / "x-2025", "--from", tmp_path, "--effective-from", "2025-01-01")
    assert r.exit_code == 2 and r.stderr == f"quanze: 错误: --from：`{tmp_path}` 不是清单文件夹（应有 list.yaml）\n"


def test_from_a_part_outside_the_old_folder_is_refused(runner, library, tmp_path):
    old = library / "xj-2021"
    text = (old / "list.yaml").read_text(encoding="utf-8").replace("office: office.yaml", "office: ../../secret.yaml")
    (old / "list.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "secret.yaml").write_text("part: office\nitems: []\n", encoding="utf-8")
    r = init(runner, tmp_path / "x-2025", "--from", old, "--effective-from", "2025-01-01")
    assert r.exit_code == 2 and "--from：" in r.stderr and "outside-folder" in r.stderr
    assert not (tmp_path / "x-2025").exists()


# --- rewriting list.yaml's head --------------------------------------------------------------------------


def test_set_top_keys_keeps_comments_and_adds_what_is_missing():
    text = ("# head\nid: a-1          # the id\ntitle:\n  zh: 标题\neffective_from: '2020-01-01'\n"
            "parts: {prosecutor: p.yaml}\nreporting:\n- id: R-1\n  applies_to: prosecutor\n")
    out = newlist.set_top_keys(text, {"id": "a-2", "supersedes": "a-1", "title": "\n  zh: 新标题"})
    assert out.split("\n")[:6] == ["# head", "id: a-2          # the id", "title:", "  zh: 新标题",
                                   "effective_from: '2020-01-01'", "supersedes: a-1"]
    assert out.endswith("reporting:\n- id: R-1\n  applies_to: prosecutor\n")


def test_a_head_written_as_one_flow_mapping_is_refused_not_rewritten_wrong():
    files = {"list.yaml": "{id: a-1, effective_from: '2020-01-01', parts: {prosecutor: p.yaml}}\n"}
    with pytest.raises(newlist.DraftError, match="one top-level key a line"):
        newlist.next_version_files(files, newlist.NextVersion("a-2", "a-1", "2021-01-01"), "/x/a-1", "/x/a-2")


@pytest.mark.parametrize("value", ["jd-2024", "2024", "true", "null", "a: b", "#x", "'q'", "某某院", "2024-03-01"])
def test_yaml_scalar_reads_back_as_the_string(value):
    from quanze.yamlload import load_text
    assert load_text(f"v: {newlist.yaml_scalar(value)}\n".encode(), "t").data == {"v": value}
