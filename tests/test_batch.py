"""The batch path (`quanze.batch.Checker`): the memo agrees with durable-rules line by line, bad lines
are reported with their line numbers and nothing is lost, and the audit finds seed case 6."""
from __future__ import annotations

import io
import json
import os
import sys

import pytest

from quanze import Library
from quanze.actions import jsonl_records
from quanze import batch as batch_mod
from quanze.batch import Checker, case_json, memo as memo_mod, parallel, render_line

from .paths import LISTS, ROOT

sys.path.insert(0, ROOT)
from bench import generate as gen_mod  # noqa: E402
from bench.genlist import generate as genlist  # noqa: E402

SEED_CASE_6 = {"case": "seed-6", "matter": "return_for_supplementary_investigation", "actor": "prosecutor",
               "decided_by": "prosecutor", "facts": {"prior_supplementary_returns": 2}, "on": "2022-03-01"}


@pytest.fixture(scope="module")
def gen_list(tmp_path_factory):
    return genlist(str(tmp_path_factory.mktemp("lists") / "gen-274"))


def _lines(library, n, seed, bad=0.05):
    g = gen_mod.Generator(library, seed=seed, bad=bad, violations=0.2)
    buf = io.BytesIO()
    kinds = gen_mod.write(g, n, buf)
    return buf.getvalue(), kinds


def _memo_against_uncached(lib, n, seed):
    """Check n generated lines both ways; every line and the stats must be the same bytes.
    Returns (the memoised Checker, the records, its output)."""
    data, _ = _lines(lib, n, seed=seed)
    records = list(jsonl_records(io.BytesIO(data)))
    memo = Checker(lib)
    fast, fast_stats = memo.run(records)
    slow, slow_stats = Checker(lib, cache=False).run(records)
    assert fast.count(b"\n") == slow.count(b"\n") == len(records) == n
    for a, b in zip(fast.splitlines(), slow.splitlines()):
        assert json.loads(a) == json.loads(b)
        assert a == b  # the spliced bytes are exactly json.dumps of the uncached decision
    assert fast_stats == slow_stats
    return memo, records, fast


def _both_paths(lib, lines) -> list:
    """Check JSON lines (bytes, each ending in a newline) memoised and uncached: the outputs must be the
    same bytes; returns the output lines, parsed."""
    records = list(jsonl_records(io.BytesIO(b"".join(lines))))
    fast, _ = Checker(lib).run(records)
    slow, _ = Checker(lib, cache=False).run(records)
    assert fast == slow
    return [json.loads(x) for x in fast.splitlines()]


@pytest.mark.parametrize("which", ["xj-2019", "xj-2021", "versions", "generated"])
def test_memo_and_uncached_paths_agree_on_every_line(which, gen_list):
    path = {"xj-2019": os.path.join(LISTS, "xj-2019"), "xj-2021": os.path.join(LISTS, "xj-2021"),
            "versions": LISTS, "generated": gen_list}[which]
    lib = Library.load(path)
    memo, records, fast = _memo_against_uncached(lib, 3000, seed=7)
    assert 0 < memo.memo.misses < 3000  # requests shared decisions
    if which == "generated":  # classes durable-rules decides alike share one core (and its bytes)
        assert len({id(core) for core in memo.memo.cores.new.values()}) < len(memo.memo.cores.new)
    # a second pass is all memo hits and gives the same bytes
    again, _ = memo.run(records)
    assert again == fast


def test_a_memo_too_small_for_the_batch_still_gives_every_line_right(gen_list, monkeypatch):
    """Evicted fast keys and cores are decided again, not confused: tiny generations, same bytes."""
    monkeypatch.setattr(memo_mod, "FAST_LIMIT", 16)
    monkeypatch.setattr(memo_mod, "CORE_LIMIT", 4)
    small, _, _ = _memo_against_uncached(Library.load(gen_list), 1500, seed=19)
    assert len(small.memo.fast) <= 32 and len(small.memo.cores) <= 8
    assert small.memo.misses > 8  # classes were evicted and decided again


def test_generations_hold_at_most_two_limits_and_keep_what_is_used():
    memo = memo_mod.Generations(3)
    for k in range(3):
        memo.put(k, str(k))
    memo.put(3, "3")  # the first generation is full: it becomes the older one
    assert memo.get(0) == "0"  # found in the older generation, moved to the newer
    for k in range(4, 9):
        memo.put(k, str(k))
    assert len(memo) <= 6
    assert memo.get(1) is None and memo.get(8) == "8"


def test_same_region_shares_one_engine_decision():
    lib = Library.load(os.path.join(LISTS, "xj-2021"))
    c = Checker(lib)
    base = {"matter": "return_for_supplementary_investigation", "actor": "prosecutor"}
    for returns in (3, 7, 40):  # all above the highest constant (2)
        c.decide(dict(base, facts={"prior_supplementary_returns": returns}))
    assert len(c.memo.cores) == 1
    assert len(c.memo.fast) == 1  # the fast key holds the region, not the number
    d = c.decide(dict(base, facts={"prior_supplementary_returns": 0}, case="A-1"))
    assert len(c.memo.cores) == 2
    assert d == lib.decide(dict(base, facts={"prior_supplementary_returns": 0}, case="A-1"))


def test_a_region_in_the_fast_key_never_lets_an_invalid_value_through():
    """The fast key holds an integer's region; a value in the same region that is not valid (below the
    fact's minimum), or equal to a valid one but of another type (`True` for `1`, `1.0`; `1` for
    `true`), is still a bad line, on both paths alike."""
    lib = Library.load(os.path.join(LISTS, "xj-2021"))
    base = {"matter": "return_for_supplementary_investigation", "actor": "prosecutor"}
    good = [{"prior_supplementary_returns": 0}, {"prior_supplementary_returns": 1},
            {"prior_supplementary_returns": 1, "has_social_impact": True}]
    bad = [{"prior_supplementary_returns": -1}, {"prior_supplementary_returns": True},
           {"prior_supplementary_returns": 1.0}, {"prior_supplementary_returns": 1, "has_social_impact": 1}]
    got = _both_paths(lib, [json.dumps(dict(base, facts=f)).encode() + b"\n" for f in good + bad + good])
    assert [("error" in g) for g in got] == [False] * 3 + [True] * 4 + [False] * 3
    assert {g["error"]["code"] for g in got[3:7]} == {"bad-value"}


def test_a_memoised_vote_never_stands_for_an_invalid_one():
    """Votes are memoised as given; a vote equal to a valid one but with another type (`1.0`, `true`
    for `1`, `1` for `true`) is still a bad line, on both paths alike."""
    lib = Library.load(os.path.join(LISTS, "xj-2021"))
    base = {"matter": "approve_arrest", "actor": "procuratorial_committee"}
    good = [{"members": 9, "present": 7, "in_favour": 5},
            {"members": 9, "present": 7, "in_favour": 1, "procurator_general_dissents": True}]
    bad = [{"members": 9, "present": 7, "in_favour": 5.0}, {"members": 9, "present": 7, "in_favour": True},
           {"members": 9, "present": 7, "in_favour": 1, "procurator_general_dissents": 1},
           {"members": 9, "present": 7, "in_favour": [5]}, [9, 7, 5]]
    got = _both_paths(lib, [json.dumps(dict(base, vote=v)).encode() + b"\n" for v in good + bad + good])
    assert [("error" in g) for g in got] == [False] * 2 + [True] * 5 + [False] * 2
    assert {g["error"]["code"] for g in got[2:7]} == {"bad-vote"}
    assert got[0]["vote"] == got[7]["vote"] and got[0]["vote"]["adopted"] is True


def test_decide_api_matches_library_with_case_and_date():
    lib = Library.load(LISTS)
    c = Checker(lib)
    for on, list_id in (("2021-06-01", "xj-2019"), ("2022-01-01", "xj-2021")):
        for case in ("甲-1", "甲-2", 3):
            raw = dict(SEED_CASE_6, on=on, case=case)
            got = c.decide(raw)
            assert got == lib.decide(raw)
            assert got.list_id == list_id and got.case == case and got.on == on


def test_seed_case_6_third_return_is_forbidden_and_a_violation():
    c = Checker(Library.load(os.path.join(LISTS, "xj-2021")))
    d = c.decide(SEED_CASE_6)
    assert d.status == "forbidden"
    assert "forbidden" in d.flags and "violation" in d.flags
    assert d.violation.decided_by == "prosecutor"


def test_bad_lines_of_every_kind_keep_their_line_numbers(gen_list):
    lib = Library.load(gen_list)
    data, kinds = _lines(lib, 2000, seed=3, bad=0.05)
    assert sum(k is not None for k in kinds) == 100 and set(kinds) - {None} == set(gen_mod.BAD_KINDS)
    for cache in (True, False):
        out, stats = Checker(lib, cache=cache).run(list(jsonl_records(io.BytesIO(data))))
        lines = [json.loads(x) for x in out.splitlines()]
        assert len(lines) == 2000
        for n, (kind, line) in enumerate(zip(kinds, lines), 1):
            assert line["line"] == n
            if kind is None:
                assert "error" not in line and "status" in line
            else:
                assert line["error"]["code"] == gen_mod.EXPECTED_CODE[kind], (kind, line)
                assert line["error"]["message"]
        assert sum(v for k, v in stats.items() if k[0] == "bad") == 100


def test_unknown_names_say_did_you_mean_on_both_paths():
    lib = Library.load(os.path.join(LISTS, "xj-2021"))
    lines = [b'{"matter": "approve_arest", "case": "x"}\n', b'{"matter": "approve_arrest", "facts": {"has_social_impct": true}}\n',
             b'{"matter": "approve_arrest", "facts": {"has_social_impact": "yes"}}\n', b'\n', b'{"matter": "approve_arrest"}} \n']
    got = _both_paths(lib, lines)
    assert "did you mean `approve_arrest`" in got[0]["error"]["message"] and got[0]["case"] == "x"
    assert got[1]["error"]["code"] == "unknown-fact"
    assert got[2]["error"]["code"] == "bad-value"
    assert got[3]["error"]["code"] == "empty-line"
    assert got[4]["error"]["code"] == "bad-json"


def test_splice_is_json_dumps():
    """A memoised line, assembled as the hot loop assembles it, is json.dumps of the decision."""
    lib = Library.load(os.path.join(LISTS, "xj-2021"))
    raw = dict(SEED_CASE_6, case='引号"与\\反斜杠', vote={"members": 9, "present": 7, "in_favour": 5})
    core, variant, votes = Checker(lib).memo.lookup(raw)
    line = b'{"line": 5, ' + core.head + case_json(raw["case"]) + variant.start + core.mid + votes + variant.tail
    assert line == render_line(5, lib.decide(raw))


def test_lines_json_reads_differently_from_orjson_are_read_as_json_reads_them():
    """The hot loop parses with orjson; where orjson refuses or differs (NaN, a lone surrogate, an
    integer past 64 bits, which it reads as a float), the line is read by `json`, as uncached."""
    lib = Library.load(os.path.join(LISTS, "xj-2021"))
    lines = [b'{"matter": "return_for_supplementary_investigation", "facts": {"prior_supplementary_returns": '
             b'123456789012345678901234567890}}\n',
             b'{"matter": "return_for_supplementary_investigation", "case": 123456789012345678901234567890}\n',
             b'{"matter": "return_for_supplementary_investigation", "facts": {"prior_supplementary_returns": NaN}}\n',
             b'{"matter": "return_for_supplementary_investigation", "case": "\\ud800"}\n',
             b'{"matter": "return_for_supplementary_investigation", "case": 1.5}\n']
    got = _both_paths(lib, lines)
    assert got[0]["status"] == "forbidden"  # an integer as json reads it (orjson: a float, a bad value)
    assert got[1]["case"] == 123456789012345678901234567890
    assert got[2]["error"]["code"] == "bad-value" and got[3]["case"] == "\ud800"


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_jobs_read_whole_chunks_and_give_the_single_process_output(gen_list, fmt, tmp_path, monkeypatch):
    """`--jobs 2` over `JsonLines` chunks (pickled to the workers; jsonl output spooled back through
    files): the same output, in order, as one process, and no spooled file left behind."""
    from collections import Counter
    from quanze.actions import JsonLines
    folders = []

    def spool_folder():
        folders.append(str(tmp_path / f"spool-{len(folders)}"))
        os.mkdir(folders[-1])
        return folders[-1]

    monkeypatch.setattr(parallel, "spool_folder", spool_folder)
    lib = Library.load(gen_list)
    data, _ = _lines(lib, 2500, seed=23)
    outputs = []
    for jobs in (1, 2):
        got: list = []
        stats = batch_mod.check_stream(Checker(lib), JsonLines(io.BytesIO(data), size=20_000),
                                       got.append if fmt == "jsonl" else got.extend, Counter(), fmt, jobs=jobs)
        outputs.append((got, stats))
    (one, one_stats), (two, two_stats) = outputs
    if fmt == "jsonl":
        one, two = b"".join(one), b"".join(two)
        assert one.count(b"\n") == 2500 and len(outputs[1][0]) > 10  # many chunks, spread over the workers
        assert len(folders) == 1  # the jsonl output of the workers was spooled
    assert one == two and one_stats == two_stats
    assert not any(os.path.exists(f) for f in folders)  # and the spool is gone


def test_the_memo_takes_only_what_the_request_parser_takes(monkeypatch):
    """The memo has no checks of its own: make `RequestParser.fact` refuse a value it took, and the
    memoised path refuses it too, with the parser's message (the two cannot drift apart)."""
    from quanze.requests import RequestError, RequestParser
    real = RequestParser.fact

    def stricter(self, code, value):
        if code == "prior_supplementary_returns" and value == 7:
            raise RequestError("bad-value", "seven returns: refused by a stricter rule")
        return real(self, code, value)

    monkeypatch.setattr(RequestParser, "fact", stricter)
    lib = Library.load(os.path.join(LISTS, "xj-2021"))
    base = {"matter": "return_for_supplementary_investigation", "actor": "prosecutor"}
    values = [3, 7, 40, 7, 3]  # 3, 7 and 40 share a region: a memoised 3 must not let 7 through
    got = _both_paths(lib, [json.dumps(dict(base, facts={"prior_supplementary_returns": v})).encode() + b"\n"
                            for v in values])
    assert [g.get("error", {}).get("message") for g in got] == [
        None, "seven returns: refused by a stricter rule", None, "seven returns: refused by a stricter rule", None]


def test_values_seen_are_bounded_over_all_matters(gen_list, monkeypatch):
    """Lines that each bring new numbers (`generate.py --fresh`) keep the memo's table of values seen
    within one bound over every matter together, and every line is still decided as uncached."""
    monkeypatch.setattr(memo_mod, "SEEN_LIMIT", 100)
    lib = Library.load(gen_list)
    buf = io.BytesIO()
    gen_mod.write(gen_mod.Generator(lib, seed=5, fresh=True), 1500, buf)
    records = list(jsonl_records(io.BytesIO(buf.getvalue())))
    checker = Checker(lib)
    counts = []
    for start in range(0, len(records), 100):
        checker.run(records[start:start + 100])
        counts.append(sum(len(t) for t in checker.memo.seen))
    assert len(checker.memo.seen) > 10 and max(counts) <= 100  # many matters' tables, one bound
    fast, _ = Checker(lib).run(records)
    slow, _ = Checker(lib, cache=False).run(records)
    assert fast == slow


def test_outcomes_alike_but_for_their_completions_share_no_standing():
    """A violation while undetermined reads every completion (`Outcome.completed`): two outcomes equal in
    all else — approve an arrest, the suspect's nationality unknown, the case major or not — give the
    prosecutor who decided it no violation where some completion is theirs (not major), and one where
    none is (major: the procurator-general's, or the Supreme People's Procuratorate's). The memo shares
    standings between outcomes; it must not share these."""
    lib = Library.load(os.path.join(LISTS, "xj-2021"))
    base = {"matter": "approve_arrest", "actor": "prosecutor", "decided_by": "prosecutor"}
    lines = [json.dumps({**base, "facts": {"case_is_major_difficult_complex": major}}).encode() + b"\n"
             for major in (False, True, False, True)]
    got = _both_paths(lib, lines)
    assert [g["status"] for g in got] == ["undetermined"] * 4
    assert [g["violation"] is not None for g in got] == [False, True, False, True]
