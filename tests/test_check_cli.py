"""`quanze check` through click's CliRunner: formats, stdin, --only-flagged, --out, exit codes,
versions picked by date, the seed case 6 audit, interruption and --jobs."""
from __future__ import annotations

import codecs
import csv
import io
import re
import json
import os
import sys

import pytest

import cli
from quanze import Library
from quanze import batch as batch_mod
from quanze.batch import parallel
from quanze.present.textwidth import display_width
from bench import generate

from .paths import LISTS

XJ21 = os.path.join(LISTS, "xj-2021")
SEED_CASE_6 = {"case": "（2021）检6号", "matter": "return_for_supplementary_investigation", "actor": "prosecutor",
               "decided_by": "prosecutor", "facts": {"prior_supplementary_returns": 2}}


def _jsonl(path, rows):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows),
                    encoding="utf-8")
    return str(path)


def _out(result):
    return [json.loads(x) for x in result.stdout.splitlines()]


def _unflagged_request():
    lib = Library.load(XJ21)
    for matter in lib.catalogue.matters:
        for actor in ("procurator_general", "procuratorial_committee", "supreme_procuratorate"):
            raw = {"matter": matter, "actor": actor, "facts": {}}
            if not lib.decide(raw).flags:
                return raw
    pytest.skip("no unflagged request in xj-2021")


def test_jsonl_one_line_per_input_line_and_exit_1_when_flagged(runner, tmp_path):
    actions = _jsonl(tmp_path / "a.jsonl", [SEED_CASE_6, "not json", {"matter": "nonsense"}, _unflagged_request()])
    result = runner.invoke(cli.main, ["check", XJ21, actions])
    assert result.exit_code == 1, result.output
    lines = _out(result)
    assert [l["line"] for l in lines] == [1, 2, 3, 4]
    assert "forbidden" in lines[0]["flags"] and "violation" in lines[0]["flags"]
    assert lines[0]["case"] == "（2021）检6号" and lines[0]["violation"]["decided_by"] == "prosecutor"
    assert lines[1]["error"]["code"] == "bad-json"
    assert lines[2]["error"]["code"] == "unknown-matter"
    assert lines[3]["flags"] == []
    assert "4 lines" in result.stderr or "共 4 行" in result.stderr  # the summary on stderr


def test_exit_0_when_nothing_flagged(runner, tmp_path):
    actions = _jsonl(tmp_path / "a.jsonl", [_unflagged_request()] * 3)
    result = runner.invoke(cli.main, ["check", XJ21, actions, "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert len(_out(result)) == 3 and "0 flagged" in result.stderr


def test_stdin_and_only_flagged(runner):
    text = json.dumps(SEED_CASE_6) + "\n" + json.dumps(_unflagged_request()) + "\n"
    result = runner.invoke(cli.main, ["check", XJ21, "-", "--only-flagged"], input=text)
    assert result.exit_code == 1
    lines = _out(result)
    assert len(lines) == 1 and lines[0]["line"] == 1


def test_usage_errors_exit_2(runner, tmp_path):
    good = _jsonl(tmp_path / "a.jsonl", [SEED_CASE_6])
    assert runner.invoke(cli.main, ["check", str(tmp_path / "nolist"), good]).exit_code == 2
    assert runner.invoke(cli.main, ["check", XJ21, str(tmp_path / "missing.jsonl")]).exit_code == 2
    odd = tmp_path / "a.txt"
    odd.write_text("{}\n")
    assert runner.invoke(cli.main, ["check", XJ21, str(odd)]).exit_code == 2
    bad_csv = tmp_path / "a.csv"
    bad_csv.write_text("case,matter,has_social_impct\n1,approve_arrest,是\n", encoding="utf-8")
    result = runner.invoke(cli.main, ["check", XJ21, str(bad_csv)])
    assert result.exit_code == 2 and "has_social_impact" in result.stderr
    assert runner.invoke(cli.main, ["check", XJ21, good, "--format", "xml"]).exit_code == 2


def test_versions_picked_per_line_by_on(runner, tmp_path):
    rows = [dict(SEED_CASE_6, on="2021-06-01"), dict(SEED_CASE_6, on="2022-01-01"), dict(SEED_CASE_6, on="2019-01-01"),
            dict(SEED_CASE_6, on="2021-02-30")]
    result = runner.invoke(cli.main, ["check", LISTS, _jsonl(tmp_path / "a.jsonl", rows)])
    lines = _out(result)
    assert lines[0]["list"]["id"] == "xj-2019" and lines[1]["list"]["id"] == "xj-2021"
    assert lines[2]["error"]["code"] == "no-list-in-force" and lines[2]["line"] == 3
    assert lines[3]["error"]["code"] == "bad-value"


def test_csv_output_has_bom_and_reads_back_to_the_same_decisions(runner, tmp_path):
    src = tmp_path / "in.csv"
    src.write_bytes(codecs.BOM_UTF8 + (
        "case,matter,actor,decided_by,on,prior_supplementary_returns,case_is_major_difficult_complex\r\n"
        "（2021）检6号,return_for_supplementary_investigation,prosecutor,prosecutor,2022-01-01,2,\r\n"
        "甲-2,approve_arrest,prosecutor,,2022-01-01,,否\r\n"
        "甲-3,approve_arrest,prosecutor,,2022-01-01,,也许\r\n"
        "甲-4,initiate_public_prosecution,department_head,procurator_general,2021-06-01,,是\r\n").encode())
    first = tmp_path / "first.csv"
    r1 = runner.invoke(cli.main, ["check", LISTS, str(src), "--format", "csv", "--out", str(first), "--lang", "en"])
    assert r1.exit_code == 1, r1.output
    raw = first.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8) and "（2021）检6号".encode() in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["line"] for r in rows] == ["2", "3", "4", "5"]  # physical lines; the header is line 1
    assert "forbidden" in rows[0]["flags"].split() and "violation" in rows[0]["flags"].split()
    assert rows[2]["error"].startswith("bad-value")
    second = tmp_path / "second.csv"
    runner.invoke(cli.main, ["check", LISTS, str(first), "--format", "csv", "--out", str(second), "--lang", "en"])
    again = list(csv.DictReader(io.StringIO(second.read_bytes().decode("utf-8-sig"))))
    assert again == rows


def test_csv_and_jsonl_inputs_agree(runner, tmp_path):
    import sys
    sys.path.insert(0, os.path.dirname(LISTS))
    from bench import generate as g
    lib = Library.load(LISTS)
    buf_j, buf_c = io.BytesIO(), io.BytesIO()
    g.write(g.Generator(lib, seed=5, bad=0), 400, buf_j)
    g.write(g.Generator(lib, seed=5, bad=0), 400, buf_c, "csv")
    (tmp_path / "a.jsonl").write_bytes(buf_j.getvalue())
    (tmp_path / "a.csv").write_bytes(buf_c.getvalue())
    a = _out(runner.invoke(cli.main, ["check", LISTS, str(tmp_path / "a.jsonl")]))
    b = _out(runner.invoke(cli.main, ["check", LISTS, str(tmp_path / "a.csv")]))
    assert len(a) == len(b) == 400
    for x, y in zip(a, b):
        assert y["line"] == x["line"] + 1  # the CSV header is line 1
        x.pop("line"), y.pop("line")
        assert x == y


def test_out_is_atomic(runner, tmp_path, monkeypatch):
    actions = _jsonl(tmp_path / "a.jsonl", [SEED_CASE_6] * 10)
    target = tmp_path / "out.jsonl"
    ok = runner.invoke(cli.main, ["check", XJ21, actions, "--out", str(target)])
    assert ok.exit_code == 1 and len(target.read_text().splitlines()) == 10 and ok.stdout == ""
    before = target.read_bytes()

    calls = {"n": 0}
    real = batch_mod.Checker.run

    def failing(self, *a, **k):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return real(self, *a, **k)

    monkeypatch.setattr(batch_mod.Checker, "run", failing)
    monkeypatch.setattr(parallel, "check_stream", _small_chunks(parallel.check_stream))
    bad = runner.invoke(cli.main, ["check", XJ21, actions, "--out", str(target)])
    assert bad.exit_code != 0
    assert target.read_bytes() == before  # the old file stands; no partial file replaced it
    assert sorted(os.listdir(tmp_path)) == ["a.jsonl", "out.jsonl"]  # no temporary file left


def _small_chunks(real):
    def check_stream(*a, **k):
        k["chunk_size"] = 3
        return real(*a, **k)
    return check_stream


def test_interrupt_leaves_whole_lines_and_exits_130(runner, tmp_path, monkeypatch):
    actions = _jsonl(tmp_path / "a.jsonl", [SEED_CASE_6] * 10)
    calls = {"n": 0}
    real = batch_mod.Checker.run

    def interrupted(self, *a, **k):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(self, *a, **k)

    monkeypatch.setattr(batch_mod.Checker, "run", interrupted)
    monkeypatch.setattr(parallel, "check_stream", _small_chunks(parallel.check_stream))
    result = runner.invoke(cli.main, ["check", XJ21, actions, "--lang", "en"])
    assert result.exit_code == 130
    lines = _out(result)  # every line is whole JSON
    assert [l["line"] for l in lines] == [1, 2, 3, 4, 5, 6]
    assert "interrupted" in result.stderr and "6 lines" in result.stderr


def test_jobs_keep_the_order(runner, tmp_path, monkeypatch):
    import sys
    sys.path.insert(0, os.path.dirname(LISTS))
    from bench import generate as g
    buf = io.BytesIO()
    g.write(g.Generator(Library.load(LISTS), seed=11), 900, buf)
    (tmp_path / "a.jsonl").write_bytes(buf.getvalue())
    one = runner.invoke(cli.main, ["check", LISTS, str(tmp_path / "a.jsonl")])
    monkeypatch.setattr(parallel, "check_stream", _small_chunks(parallel.check_stream))
    two = runner.invoke(cli.main, ["check", LISTS, str(tmp_path / "a.jsonl"), "--jobs", "2"])
    assert one.exit_code == two.exit_code == 1
    assert one.stdout == two.stdout and len(one.stdout.splitlines()) == 900
    assert one.stderr == two.stderr


def test_text_table(runner, tmp_path):
    actions = _jsonl(tmp_path / "a.jsonl", [SEED_CASE_6, "{"])
    result = runner.invoke(cli.main, ["check", XJ21, actions, "--format", "text", "--lang", "en"])
    assert result.exit_code == 1
    out = result.stdout.splitlines()
    assert out[0].startswith("line") and "forbidden" in out[1] and "violation" in out[1]
    assert "bad-json" in out[2] and any("2 lines" in l for l in out)


def _columns(text):
    """Terminal columns of `text`, counted here independently of quanze.present.textwidth."""
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def test_text_table_columns_line_up_with_chinese_case_numbers(runner, tmp_path):
    rows = [dict(SEED_CASE_6, case="（2021）检刑诉12号"),
            dict(SEED_CASE_6, case="A-1"),
            dict(SEED_CASE_6, case="（2022）新检一部刑诉〔2022〕12345号"),  # wider than its column
            dict(_unflagged_request(), case="（2021）检民监3号"),
            {"case": "（2021）检刑诉7号", "matter": "nonsense"},
            dict(SEED_CASE_6, case="乙\x1b[2J\n丙"),                        # control characters in a cell
            dict(SEED_CASE_6, case=None, matter="conduct_administrative_investigation_and_verification")]
    actions = _jsonl(tmp_path / "a.jsonl", rows)
    table = runner.invoke(cli.main, ["check", XJ21, actions, "--format", "text", "--lang", "en"],
                          env={"COLUMNS": "250"})  # wide enough for every column and every row on one line
    decisions = _out(runner.invoke(cli.main, ["check", XJ21, actions]))
    assert table.exit_code == 1
    out = table.stdout.splitlines()
    head, body = out[0], out[1:1 + len(rows)]
    assert "\x1b" not in table.stdout and len(body) == len(rows) and body[-1].startswith("7 ")
    # the last column (flags, or the error) starts at the same terminal column in every row
    starts = [_columns(head[:head.index("flags / error")])]
    for row, d in zip(body, decisions):
        # the flags, and the mark `delegable` where the deputy may decide by delegation
        marks = d.get("flags", []) + (["delegable"] if d.get("delegable_to") else [])
        tail = " ".join(marks) if "flags" in d else f"{d['error']['code']}: {d['error']['message']}"
        assert row.endswith(tail), (row, tail)  # an unflagged row ends where the flags would start
        starts.append(_columns(row[:len(row) - len(tail)]))
    assert len(set(starts)) == 1, starts
    assert "（2021）检刑诉12号" in body[0] and "（2021）检民监3号" in body[3] and "（2021）检刑诉7号" in body[4]
    long_case = "（2022）新检一部刑诉〔2022〕12345号"
    cut = body[2].split()[1]
    assert long_case not in body[2] and cut.endswith("…") and len(cut) > 6 and long_case.startswith(cut[:-1])
    assert "conduct_administrative_investigation_and_verification" not in body[6] and "…" in body[6]


def test_progress_bar_on_stderr_only_when_asked(runner, tmp_path, monkeypatch):
    actions = _jsonl(tmp_path / "a.jsonl", [SEED_CASE_6] * 5200)
    args = ["check", XJ21, actions, "--lang", "en"]
    plain = runner.invoke(cli.main, args + ["--no-progress"])
    default = runner.invoke(cli.main, args)                  # the runner's stderr is not a terminal: no bar
    shown = runner.invoke(cli.main, args + ["--progress"])   # --progress forces it
    assert plain.exit_code == default.exit_code == shown.exit_code == 1
    assert len(plain.stdout.splitlines()) == 5200
    assert shown.stdout == plain.stdout == default.stdout
    assert "checking" not in plain.stderr and "checking" not in default.stderr
    assert shown.stderr.startswith("checking") and shown.stderr.endswith(plain.stderr)
    # drawn as on a terminal: click draws the bar itself, not only its label
    import click._termui_impl as termui
    monkeypatch.setattr(termui, "isatty", lambda stream: True)
    drawn = runner.invoke(cli.main, args + ["--progress"])
    bar = drawn.stderr[:len(drawn.stderr) - len(plain.stderr)]
    assert drawn.stdout == plain.stdout and drawn.stderr.endswith(plain.stderr)
    assert bar.startswith("\rchecking  [") and "#" * 10 in bar and "100%" in bar
    assert "checking" not in runner.invoke(cli.main, args + ["--no-progress"]).stderr


def test_a_full_disk_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys):
    """An error of the machine (the disk is full when the output file is made) reaches the user as
    one line naming the file, not as a traceback or an "internal error"."""
    import tempfile
    actions = _jsonl(tmp_path / "a.jsonl", [SEED_CASE_6])
    target = str(tmp_path / "out.jsonl")

    def full(*a, **k):
        raise OSError(28, "No space left on device", target)

    monkeypatch.setattr(tempfile, "mkstemp", full)
    _full_disk_ends_the_run(["check", XJ21, actions, "--out", target], target, monkeypatch, capsys)


def _full_disk_ends_the_run(args, target, monkeypatch, capsys):
    """The console entry point on `args` exits 2 with one line naming `target`: its disk is full."""
    monkeypatch.setattr(sys, "argv", ["quanze"] + args)
    with pytest.raises(SystemExit) as exit_:
        cli.run()
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert err.strip() == f"quanze: 错误: 无法读写 `{target}`：磁盘空间已满"  # in Chinese by default


def test_a_disk_that_fills_while_writing_is_one_line_exit_2_and_no_file(tmp_path, monkeypatch, capsys):
    """The output is written by the sink's thread; its error still ends the run in one line naming
    the file, and the temporary file is removed."""
    from quanze.batch import run as run_mod, sink as sink_mod
    actions = _jsonl(tmp_path / "a.jsonl", [SEED_CASE_6] * 10)
    target = str(tmp_path / "out.jsonl")

    class Filling:
        def __init__(self, f):
            self.f, self.room = f, 1

        def write(self, data):
            if self.room == 0:
                raise OSError(28, "No space left on device")
            self.room -= 1
            return self.f.write(data)

        def fileno(self):  # no descriptor: the sink writes every chunk through `write`
            raise io.UnsupportedOperation("fileno")

        def __getattr__(self, name):
            return getattr(self.f, name)

    class FillingSink(sink_mod.Sink):
        def __init__(self, f, **k):
            super().__init__(Filling(f), **k)

    monkeypatch.setattr(run_mod, "Sink", FillingSink)
    monkeypatch.setattr(parallel, "check_stream", _small_chunks(parallel.check_stream))
    _full_disk_ends_the_run(["check", XJ21, actions, "--out", target], target, monkeypatch, capsys)
    assert sorted(os.listdir(tmp_path)) == ["a.jsonl"]


# --- the table and the CSV in the language of the run -------------------------------------------------

LATIN_WORD = re.compile(r"[A-Za-z_]{3,}")
TWO_LISTS = [dict(SEED_CASE_6, case="（2021）检刑诉12号", on="2022-03-01"),
             {"case": "A-2", "matter": "extend_review_period", "actor": "prosecutor", "on": "2022-03-01",
              "facts": {"case_is_major_or_complex": True, "prior_review_extensions": 0}},
             {"case": "A-3", "matter": "extend_review_period", "actor": "prosecutor", "on": "2020-06-01",
              "facts": {"case_is_major_or_complex": True, "prior_review_extensions": 0}},
             {"case": "A-4", "matter": "approve_arrest", "actor": "prosecutor", "on": "2022-03-01",
              "facts": {"case_is_major_difficult_complex": False, "suspect_is_foreign_or_stateless": True}},
             {"case": "A-5", "matter": "nonsense"}]


def _table_lines(stdout):
    """The table's lines (header, rows and their wrapped lines), without the summary after them."""
    lines = stdout.splitlines()
    return lines[:next(i for i, line in enumerate(lines) if re.match(r"共 \d+ 行|\d+ lines?:", line))]


def test_the_chinese_table_says_everything_in_words(runner, tmp_path):
    """--lang zh (the default): the headers, matters, authorities, statuses and flags in Chinese; the
    only Latin words left are the input's own (case numbers) and a bad line's error."""
    actions = _jsonl(tmp_path / "a.jsonl", TWO_LISTS)
    r = runner.invoke(cli.main, ["check", LISTS, actions, "--format", "text"], env={"COLUMNS": "200"})
    assert r.exit_code == 1, r.output
    table = _table_lines(r.stdout)
    assert table[0].split() == ["行号", "案号", "事项", "提出人", "决定人", "状态", "决定主体", "标记", "/", "错误"]
    assert "退回补充侦查" in table[1] and "法律禁止、越权" in table[1] and "检察官" in table[1]
    assert "延长审查起诉期限" in table[2] and "检察长" in table[2] and "须报批" in table[2]
    for row in table[1:5]:
        assert not LATIN_WORD.search(row.replace("A-", "")), row
    assert "unknown-matter" in table[5]  # a bad line's error stays as its code and message (read back)
    summary = r.stdout[r.stdout.index("共 5 行"):]
    assert "状态：法律禁止 1" in summary and "检察长" in summary and "越权 1" in summary
    assert not LATIN_WORD.search(summary.split("错误行：")[0].replace("unknown-matter", ""))
    en = runner.invoke(cli.main, ["check", LISTS, actions, "--format", "text", "--lang", "en"], env={"COLUMNS": "200"})
    assert _table_lines(en.stdout)[0].split()[:3] == ["line", "case", "matter"]
    assert "extend_review_period" in en.stdout and "procurator_general" in en.stdout and "escalate" in en.stdout


def test_the_chinese_csv_is_in_words_and_names_the_list_that_decided_each_line(runner, tmp_path):
    actions = _jsonl(tmp_path / "a.jsonl", TWO_LISTS)
    zh, en = tmp_path / "zh.csv", tmp_path / "en.csv"
    assert runner.invoke(cli.main, ["check", LISTS, actions, "--out", str(zh)]).exit_code == 1
    assert runner.invoke(cli.main, ["check", LISTS, actions, "--out", str(en), "--lang", "en"]).exit_code == 1
    decisions = _out(runner.invoke(cli.main, ["check", LISTS, actions]))
    rows = list(csv.DictReader(io.StringIO(zh.read_bytes().decode("utf-8-sig"))))
    codes = list(csv.DictReader(io.StringIO(en.read_bytes().decode("utf-8-sig"))))
    assert list(rows[0])[:17] == ["行号", "案号", "事项", "提出人", "决定人", "状态", "决定主体", "可否自行决定", "标记",
                                  "报批路径", "可授权", "报告义务", "待补事实", "越权", "错误", "清单", "清单摘要"]
    assert "已退回补充侦查（调查）的次数" in rows[0]  # a fact's column by its name
    assert rows[0]["状态"] == "法律禁止" and rows[0]["标记"] == "法律禁止、越权" and rows[0]["越权"] == "作出了法律禁止的决定"
    assert rows[1]["决定主体"] == "检察长" and rows[1]["报批路径"] == "检察官 → 业务部门负责人 → 检察长"
    assert rows[1]["可否自行决定"] == "否" and rows[1]["案件重大、复杂"] == "是"
    assert codes[1]["authority"] == "procurator_general" and codes[1]["chain"] == "prosecutor > department_head > procurator_general"
    # the list version that decided each line: its id and digest, as in the decision JSON
    for zh_row, en_row, d in zip(rows, codes, decisions):
        if "error" in d:
            assert zh_row["清单"] == en_row["list"] == "" and zh_row["错误"].startswith("unknown-matter: ")
        else:
            assert (zh_row["清单"], zh_row["清单摘要"]) == (en_row["list"], en_row["digest"]) == (d["list"]["id"], d["list"]["digest"])
    assert [r["清单"] for r in rows[:4]] == ["xj-2021", "xj-2021", "xj-2019", "xj-2021"]


def test_the_chinese_csv_reads_back_into_check_as_the_decisions_it_was_made_of(runner, tmp_path):
    """`check`'s Chinese CSV is an action file: its Chinese columns, matters, authorities and values
    read back as their codes, and give the same decisions (and the same CSV again)."""
    source = tmp_path / "in.jsonl"
    with open(source, "wb") as fh:
        generate.write(generate.Generator(Library.load(LISTS), seed=9, bad=0.05), 600, fh, "jsonl")
    first, second, third = (tmp_path / f"{n}.csv" for n in ("first", "second", "third"))
    runner.invoke(cli.main, ["check", LISTS, str(source), "--out", str(first)])
    header = first.read_bytes().decode("utf-8-sig").splitlines()[0]
    assert header.startswith("行号,案号,事项,") and not LATIN_WORD.search(header)
    runner.invoke(cli.main, ["check", LISTS, str(first), "--out", str(second)])
    runner.invoke(cli.main, ["check", LISTS, str(second), "--out", str(third)])
    assert third.read_bytes() == second.read_bytes()  # (the first's lines are the JSON Lines': one less)
    original = _out(runner.invoke(cli.main, ["check", LISTS, str(source)]))
    again = _out(runner.invoke(cli.main, ["check", LISTS, str(first)]))
    decided = [(a, b) for a, b in zip(original, again) if "error" not in a]
    assert len(decided) > 500 and len(again) == len(original)
    for a, b in decided:
        assert {**a, "line": 0} == {**b, "line": 0}  # the CSV's lines are physical lines: one more


def test_the_chinese_csv_replays_in_the_audit_as_its_json_lines(runner, tmp_path):
    """`audit --replay` reads check's Chinese CSV as `check` does: the same actions change."""
    source = tmp_path / "in.jsonl"
    with open(source, "wb") as fh:
        generate.write(generate.Generator(Library.load(LISTS), seed=4, bad=0.05), 300, fh, "jsonl")
    zh = tmp_path / "zh.csv"
    runner.invoke(cli.main, ["check", LISTS, str(source), "--out", str(zh)])
    replays = []
    for actions in (source, zh):
        r = runner.invoke(cli.main, ["audit", XJ21, "--against", os.path.join(LISTS, "xj-2019"),
                                     "--replay", str(actions), "--format", "json"])
        replay = json.loads(r.stdout)["replay"]
        replays.append([(c["case"], c["matter"], c["old"], c["new"]) for c in replay["changed_actions"]])
        replays.append(replay["actions"])
    assert replays[0] == replays[2] and len(replays[0]) > 20 and replays[1] == replays[3] == 300


def _fits(lines, width):
    return max(display_width(line) for line in lines) <= width


def _split_at(line, column):
    """`line` cut at a terminal column: (what comes before it, the rest)."""
    used = 0
    for i, ch in enumerate(line):
        if used >= column:
            return line[:i], line[i:]
        used += display_width(ch)
    return line, ""


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [80, 120])
def test_the_table_fits_the_terminal(runner, tmp_path, lang, width):
    """At 80 and 120 columns every line of the table fits; the last column starts at one terminal
    column in every row; a long error wraps under it; a case number is whole."""
    rows = TWO_LISTS + [{"case": "（2021）检刑诉99号", "matter": "nonsense_matter_with_a_long_name" * 3}]
    actions = _jsonl(tmp_path / "a.jsonl", rows)
    r = runner.invoke(cli.main, ["check", LISTS, actions, "--format", "text", "--lang", lang],
                      env={"COLUMNS": str(width)})
    table = _table_lines(r.stdout)
    assert _fits(table, width), "\n".join(table)
    start = display_width(table[0][:table[0].index("标记" if lang == "zh" else "flags")])
    rows_at = [n for n, line in enumerate(table) if line[:1].isdigit()]
    assert len(rows_at) == len(rows) and len(table) > len(rows) + 1  # the long error wrapped
    for n, line in enumerate(table[1:], 1):
        before, last = _split_at(line, start)
        assert before.endswith("  ") and last and not last.startswith(" "), (line, start)
        if n not in rows_at:
            assert not before.strip(), line  # a wrapped line: under the last column only
    assert "（2021）检刑诉12号" in table[1] and "（2021）检刑诉99号" in table[rows_at[-1]]
    error = " ".join(_split_at(line, start)[1] for line in table[rows_at[-1]:])
    assert error.startswith("unknown-matter: 未知事项" if lang == "zh" else "unknown-matter: unknown matter")
    assert "nonsense_matter" in error


def test_piped_the_table_is_120_columns_wide(runner, tmp_path):
    actions = _jsonl(tmp_path / "a.jsonl", TWO_LISTS)
    r = runner.invoke(cli.main, ["check", LISTS, actions, "--format", "text"], env={"COLUMNS": None})
    table = _table_lines(r.stdout)
    assert _fits(table, 120) and not _fits(table, 100)
    wide = runner.invoke(cli.main, ["check", LISTS, actions, "--format", "text"], env={"COLUMNS": "250"})
    assert not _fits(_table_lines(wide.stdout), 120)  # COLUMNS chooses, piped or not
