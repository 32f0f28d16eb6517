"""Hostile input and output for the reader and writers of `check` and `audit` (issue 11): one table,
each case an input, a command, the exit status and the message code it must give.

A bad row or line is one error at its own line, and every other line is decided, on every path
(memoised, `--no-cache`, `--jobs`, CSV output, `audit --replay`). Output is written whole or the
command fails with exit 2 naming the file; `--out` and `-o` replace only a regular file (a device or a
FIFO is written through, a symbolic link followed, the input refused) and keep its mode; CSV cells
that a spreadsheet would run as formulas are guarded, and read back as they were.

Each case runs the console entry point (`cli.run`) in this process, its standard output a real file
written without a buffer (as `PYTHONUNBUFFERED` makes it), or /dev/full.
"""
from __future__ import annotations

import codecs
import csv
import errno
import io
import json
import os
import stat
import sys
import threading
from dataclasses import dataclass, field

import pytest

import cli
from quanze import Library

from .paths import LISTS, ROOT

sys.path.insert(0, ROOT)
from bench import generate as gen_mod  # noqa: E402

XJ19, XJ21 = os.path.join(LISTS, "xj-2019"), os.path.join(LISTS, "xj-2021")
ROWS = 3000  # more than 8 KiB of CSV before and after the damaged row
GOOD = {"case": "G-1", "matter": "return_for_supplementary_investigation", "actor": "prosecutor",
        "decided_by": "prosecutor", "facts": {"prior_supplementary_returns": 2}, "on": "2022-03-01"}


# ---- the inputs ------------------------------------------------------------------------------------

def _csv_rows(n: int) -> list:
    buf = io.BytesIO()
    gen_mod.write(gen_mod.Generator(Library.load(LISTS), seed=5, bad=0), n, buf, "csv")
    return buf.getvalue().split(b"\r\n")[:-1]  # the header, then n rows (no cell holds a line break)


def _jsonl_lines(n: int) -> list:
    buf = io.BytesIO()
    gen_mod.write(gen_mod.Generator(Library.load(LISTS), seed=9, bad=0), n, buf)
    return buf.getvalue().splitlines()


def _spoil(lines: list, at: int, prefix: bytes) -> list:
    """`lines` with `prefix` put at the start of physical line `at` (1-based)."""
    out = list(lines)
    out[at - 1] = prefix + out[at - 1]
    return out


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Every input file of the table, by name."""
    folder = tmp_path_factory.mktemp("hostile")
    rows, lines = _csv_rows(ROWS), _jsonl_lines(300)
    made = {
        "csv-bad-byte-middle.csv": b"\r\n".join(_spoil(rows, 1502, b"\xff")) + b"\r\n",
        "csv-bad-byte-early.csv": b"\r\n".join(_spoil(rows, 4, b"\xff")) + b"\r\n",
        "csv-stray-quote.csv": b"\r\n".join(_spoil(rows, 101, b'"')) + b"\r\n",
        "csv-stray-quote-near-end.csv": b"\r\n".join(_spoil(rows, ROWS - 5, b'"')) + b"\r\n",
        "deep.jsonl": b"\n".join(lines[:2] + [b"[" * 2000] + lines[2:]) + b"\n",
        "bom.jsonl": b"\n".join(lines[:1] + [codecs.BOM_UTF8 + lines[1]] + lines[2:]) + b"\n",
        "bad-lines.jsonl": b"\n".join([json.dumps(GOOD).encode(), b"{not json", b"", b'{"matter": "nonsense"}',
                                       b'{"matter": "approve_arrest", "facts": {"has_social_impact": "yes"}}',
                                       json.dumps(GOOD).encode()]) + b"\n",
        "formulas.jsonl": b"\n".join(json.dumps(dict(GOOD, case=c)).encode() for c in
                                     ['=HYPERLINK("http://example.invalid","x")', "+1", "-2", "@SUM(A1)", "\tT",
                                      "\rR", "'=already quoted", "plain"]) + b"\n",
        "surrogate.jsonl": b'{"case": "\\ud800", "matter": "extend_review_period", "actor": "prosecutor", '
                           b'"facts": {"case_is_major_or_complex": true, "case_is_major_difficult_complex": false, '
                           b'"has_social_impact": false, "may_affect_national_security_or_stability": false, '
                           b'"major_disagreement_with_public_security": false}}\n',
        "seed.jsonl": (json.dumps(GOOD) + "\n").encode(),
    }
    for name, data in made.items():
        (folder / name).write_bytes(data)
    return folder


# ---- running a case --------------------------------------------------------------------------------

@dataclass
class Case:
    name: str
    args: list            # `{dir}` stands for the folder of the inputs and outputs
    exit: int
    bad: dict = field(default_factory=dict)  # line -> the error code of the output line (every other line decided)
    lines: int | None = None                 # how many output lines (or replayed actions)
    stderr: tuple = ()                       # what the one-line message must say
    stdout: str | None = None                # a path for standard output (default: a file in the folder)
    before: list | None = None               # a command run first (its args), e.g. to make a file to read back
    then: object = None                      # more checks: a function of (folder, stdout bytes, stderr)


class _Filling(io.RawIOBase):
    """A file on a disk with `room` bytes left: a write takes what fits and says how much (a short
    write), the next one fails with ENOSPC."""

    def __init__(self, path, room: int):
        self.file, self.room = open(path, "wb", buffering=0), room

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self.room == 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        taken = bytes(data[:self.room])
        self.room -= len(taken)
        return self.file.write(taken)

    def fileno(self) -> int:
        return self.file.fileno()

    def close(self) -> None:
        self.file.close()
        super().close()


def _run(args, stdout_path, monkeypatch, capsys):
    """(exit status, standard output, standard error) of the console entry point on `args`; standard
    output goes to `stdout_path` (`filling:PATH`: a file on a disk that fills after 4 KiB)."""
    stdout_path = str(stdout_path)
    if stdout_path.startswith("filling:"):
        stdout_path = stdout_path[len("filling:"):]
        raw = _Filling(stdout_path, 4096)
    else:
        raw = open(stdout_path, "wb", buffering=0)
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding="utf-8", write_through=True))
    monkeypatch.setattr(sys, "argv", ["quanze", *args])
    capsys.readouterr()
    try:
        with pytest.raises(SystemExit) as exit_:
            cli.run()
    finally:
        raw.close()
        monkeypatch.undo()
    err = capsys.readouterr().err
    out = b"" if stdout_path == "/dev/full" else open(stdout_path, "rb").read()
    return exit_.value.code, out, err


def _outputs(out: bytes, args) -> list:
    """The output lines as dicts: JSON Lines, the CSV's rows, or the replayed actions of an audit."""
    if "audit" in args:
        replay = json.loads(out)["replay"]
        return [{"line": b["line"], "error": {"code": b["error"].split(":")[0]}} for b in replay["bad_lines"]], replay
    if "csv" in args:
        rows = list(csv.DictReader(io.StringIO(out.decode("utf-8-sig"))))
        return [dict(r, line=int(r["line"]), error={"code": r["error"].split(":")[0]} if r["error"] else None)
                for r in rows], None
    return [json.loads(x) for x in out.splitlines()], None


def _mode_kept(mode):
    def then(folder, out, err):
        assert stat.S_IMODE(os.stat(folder / f"kept-{mode:o}.jsonl").st_mode) == mode
        assert (folder / f"kept-{mode:o}.jsonl").read_bytes().count(b"\n") == 1
    return then


def _dev_null_stays(folder, out, err):
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def _link_followed(folder, out, err):
    assert os.path.islink(folder / "link.jsonl")
    assert (folder / "link-target.jsonl").read_bytes().count(b"\n") == 1


def _input_intact(folder, out, err):
    assert (folder / "seed.jsonl").read_bytes() == (json.dumps(GOOD) + "\n").encode()


def _formulas_guarded(folder, out, err):
    text = (folder / "formulas.csv").read_bytes().decode("utf-8-sig")  # written in Chinese (the default)
    cases = [r["案号"] for r in csv.DictReader(io.StringIO(text))]
    assert cases == ["'=HYPERLINK(\"http://example.invalid\",\"x\")", "'+1", "'-2", "'@SUM(A1)", "'\tT", "'\rR",
                     "''=already quoted", "plain"]
    # read back by `check`: the cases as given (cells are read stripped of spaces, tabs and line ends)
    again = [json.loads(x)["case"] for x in out.splitlines()]
    assert again == ['=HYPERLINK("http://example.invalid","x")', "+1", "-2", "@SUM(A1)", "T", "R",
                     "'=already quoted", "plain"]


def _surrogate_escaped(folder, out, err):
    report = json.loads(out)  # valid JSON: the lone surrogate written as its escape
    assert report["replay"]["changed_actions"][0]["case"] == "\ud800"


def _no_temporary_file(folder, out, err):
    assert (folder / "report.json").read_text() == "the report before\n"
    assert not [p for p in os.listdir(folder) if p.endswith(".tmp")]


CASES = [
    # 3: a bad byte, a stray quote: one error at its own line, every other row decided
    Case("csv bad byte in the middle", ["check", LISTS, "{dir}/csv-bad-byte-middle.csv"], 1,
         {1502: "bad-encoding"}, ROWS),
    Case("csv bad byte in the middle, replayed", ["audit", XJ21, "--against", XJ19, "--replay",
                                                  "{dir}/csv-bad-byte-middle.csv", "--format", "json"], 0,
         {1502: "bad-encoding"}, ROWS),
    Case("csv bad byte in the first 8 KiB", ["check", LISTS, "{dir}/csv-bad-byte-early.csv"], 1,
         {4: "bad-encoding"}, ROWS),
    Case("csv stray quote", ["check", LISTS, "{dir}/csv-stray-quote.csv"], 1, {101: "bad-row"}, ROWS),
    Case("csv stray quote, no cache", ["check", LISTS, "{dir}/csv-stray-quote.csv", "--no-cache"], 1,
         {101: "bad-row"}, ROWS),
    Case("csv stray quote near the end", ["check", LISTS, "{dir}/csv-stray-quote-near-end.csv"], 1,
         {ROWS - 5: "bad-row"}, ROWS),
    Case("csv stray quote, replayed", ["audit", XJ21, "--against", XJ19, "--replay", "{dir}/csv-stray-quote.csv",
                                       "--format", "json"], 0, {101: "bad-row"}, ROWS),
    # 5: nesting past the stack is a bad-json line, on every path
    Case("deep nesting", ["check", LISTS, "{dir}/deep.jsonl"], 1, {3: "bad-json"}, 301),
    Case("deep nesting, no cache", ["check", LISTS, "{dir}/deep.jsonl", "--no-cache"], 1, {3: "bad-json"}, 301),
    Case("deep nesting, jobs", ["check", LISTS, "{dir}/deep.jsonl", "--jobs", "2"], 1, {3: "bad-json"}, 301),
    Case("deep nesting, csv", ["check", LISTS, "{dir}/deep.jsonl", "--format", "csv", "--lang", "en"], 1, {3: "bad-json"}, 301),
    Case("deep nesting, replayed", ["audit", XJ21, "--against", XJ19, "--replay", "{dir}/deep.jsonl", "--format",
                                    "json"], 0, {3: "bad-json"}, 301),
    # 6: a byte order mark at the start of a line is dropped, on every path alike
    Case("bom mid-file", ["check", LISTS, "{dir}/bom.jsonl"], 1, {}, 300),
    Case("bom mid-file, no cache", ["check", LISTS, "{dir}/bom.jsonl", "--no-cache"], 1, {}, 300),
    Case("bom mid-file, csv", ["check", LISTS, "{dir}/bom.jsonl", "--format", "csv", "--lang", "en"], 1, {}, 300),
    Case("bom mid-file, replayed", ["audit", XJ21, "--against", XJ19, "--replay", "{dir}/bom.jsonl", "--format",
                                    "json"], 0, {}, 300),
    # 7: check's CSV read back by check: its bad lines stay bad lines, with their codes
    Case("csv output read back", ["check", XJ21, "{dir}/bad-lines.csv"], 1,
         {3: "bad-json", 4: "empty-line", 5: "unknown-matter", 6: "bad-value"}, 6,
         before=["check", XJ21, "{dir}/bad-lines.jsonl", "--out", "{dir}/bad-lines.csv"]),
    # 8: formulas guarded in the CSV, and read back as given
    Case("csv formulas", ["check", XJ21, "{dir}/formulas.csv"], 1, {}, 8,
         before=["check", XJ21, "{dir}/formulas.jsonl", "--out", "{dir}/formulas.csv"], then=_formulas_guarded),
    # 16: a lone surrogate in a case number
    Case("lone surrogate, replayed", ["audit", XJ21, "--against", XJ19, "--replay", "{dir}/surrogate.jsonl",
                                      "--format", "json"], 0, {}, 1, then=_surrogate_escaped),
    Case("lone surrogate, replayed as text", ["audit", XJ21, "--against", XJ19, "--replay",
                                              "{dir}/surrogate.jsonl"], 0),
    # 4: a full disk: exit 2 naming the file
    Case("check to a full stdout", ["check", XJ21, "{dir}/seed.jsonl"], 2,
         stderr=("标准输出 (/dev/full)", "磁盘空间已满"), stdout="/dev/full"),
    Case("diff json to a full stdout", ["diff", XJ19, XJ21, "--format", "json"], 2,
         stderr=("标准输出 (/dev/full)", "磁盘空间已满"), stdout="/dev/full"),
    Case("audit to a full stdout", ["audit", XJ21, "--format", "json"], 2,
         stderr=("标准输出 (/dev/full)", "磁盘空间已满"), stdout="/dev/full"),
    Case("check to a disk that fills", ["check", XJ21, "{dir}/bad-lines.jsonl"], 2,
         stderr=("标准输出 (", "stdout-filling)", "磁盘空间已满"),
         stdout="filling:{tmp}/stdout-filling"),
    Case("diff json to a disk that fills", ["diff", XJ19, XJ21, "--format", "json"], 2,
         stderr=("标准输出 (", "stdout-filling)", "磁盘空间已满"),
         stdout="filling:{tmp}/stdout-filling"),
    Case("check --out a full device", ["check", XJ21, "{dir}/seed.jsonl", "--out", "/dev/full"], 2,
         stderr=("`/dev/full`", "磁盘空间已满")),
    # 1, 2: --out replaces a regular file only, never the input; errors name the path given
    Case("--out /dev/null", ["check", XJ21, "{dir}/seed.jsonl", "--out", "/dev/null"], 1, then=_dev_null_stays),
    Case("--out a symbolic link", ["check", XJ21, "{dir}/seed.jsonl", "--out", "{dir}/link.jsonl"], 1,
         then=_link_followed),
    Case("--out the input", ["check", XJ21, "{dir}/seed.jsonl", "--out", "{dir}/seed.jsonl"], 2,
         stderr=("是正在读取的文件",), then=_input_intact),
    Case("--out in /proc", ["check", XJ21, "{dir}/seed.jsonl", "--out", "/proc/quanze-out"], 2,
         stderr=("`/proc/quanze-out`",)),
    Case("--out keeps 0644", ["check", XJ21, "{dir}/seed.jsonl", "--out", "{dir}/kept-644.jsonl"], 1,
         then=_mode_kept(0o644)),
    Case("--out keeps 0640", ["check", XJ21, "{dir}/seed.jsonl", "--out", "{dir}/kept-640.jsonl"], 1,
         then=_mode_kept(0o640)),
    Case("audit -o on a full disk", ["audit", XJ21, "--format", "json", "-o", "{dir}/report.json"], 2,
         stderr=("report.json`", "磁盘空间已满"), then=_no_temporary_file),
]


def _prepare(case: Case, folder, monkeypatch) -> None:
    """What a case needs besides its input files."""
    if case.name == "--out a symbolic link":
        (folder / "link-target.jsonl").write_text("old\n")
        if not os.path.islink(folder / "link.jsonl"):
            os.symlink(folder / "link-target.jsonl", folder / "link.jsonl")
    elif case.name.startswith("--out keeps"):
        path = folder / f"kept-{case.name[-3:]}.jsonl"
        path.write_text("old\n")
        os.chmod(path, int(case.name[-3:], 8))
    elif case.name == "audit -o on a full disk":
        (folder / "report.json").write_text("the report before\n")

        def full(fd):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        monkeypatch.setattr(os, "fsync", full)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_io(case, files, tmp_path, monkeypatch, capsys):
    def fill(args):
        return [a.replace("{dir}", str(files)) for a in args]

    if case.before is not None:
        status, _, err = _run(fill(case.before), tmp_path / "before", monkeypatch, capsys)
        assert status in (0, 1), err
    with monkeypatch.context() as m:
        _prepare(case, files, m)
        stdout = (case.stdout or str(tmp_path / "stdout")).replace("{tmp}", str(tmp_path))
        status, out, err = _run(fill(case.args), stdout, monkeypatch, capsys)
    assert status == case.exit, err
    assert "internal error" not in err and "Traceback" not in err
    for words in case.stderr:
        assert words in err, err
    if case.stderr:
        assert len(err.strip().splitlines()) == 1 and ".tmp" not in err, err
    if case.lines is not None:
        got, replay = _outputs(out, case.args)
        if replay is not None:
            assert replay["actions"] == case.lines
        else:
            numbers = [g["line"] for g in got]  # physical lines: a cell holding a line break takes two
            assert len(got) == case.lines and numbers == sorted(set(numbers))
        bad = {g["line"]: g["error"]["code"] for g in got if g.get("error")}
        assert bad == case.bad
    if case.then is not None:
        case.then(files, out, err)


def test_a_fifo_given_to_out_is_written_through(files, tmp_path, monkeypatch, capsys):
    """A FIFO is not replaced by a file: the output goes through it to the program reading it."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()), daemon=True)
    reader.start()
    status, _, err = _run(["check", XJ21, str(files / "seed.jsonl"), "--out", str(fifo)], tmp_path / "stdout",
                          monkeypatch, capsys)
    reader.join(timeout=30)  # (a daemon: were the FIFO replaced, it would wait for a writer forever)
    assert status == 1, err
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert json.loads(got[0])["case"] == "G-1"


def test_the_paths_agree_on_lines_with_a_byte_order_mark(files, tmp_path, monkeypatch, capsys):
    """The memoised path, `--no-cache` and `--jobs` give the same bytes on a file with a BOM mid-file."""
    outputs = []
    for extra in ([], ["--no-cache"], ["--jobs", "2"]):
        status, out, err = _run(["check", LISTS, str(files / "bom.jsonl"), *extra], tmp_path / "out", monkeypatch,
                                capsys)
        outputs.append(out)
    assert outputs[0] == outputs[1] == outputs[2]
