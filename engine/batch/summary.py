"""The summary of a run of `quanze check`, as data: what `present.batch.summary_text` words.

A chunk's stats count `(status, authority, flags)` per decided line and `("bad", code)` per bad line
(`Checker.run`); `summarise` turns the stats of a whole run into the counts the summary reports.
"""
from __future__ import annotations

from collections import Counter

from ..model import AUTHORITIES


def summarise(stats: Counter) -> dict:
    """The summary of a run from its stats: counts by status, authority and flag; bad lines by code."""
    by_status: Counter = Counter()
    by_authority: Counter = Counter()
    by_flag: Counter = Counter()
    bad: Counter = Counter()
    flagged = decided = 0
    for key, count in stats.items():
        if key[0] == "bad":
            bad[key[1]] += count
            continue
        status, authority, flags = key
        decided += count
        by_status[status] += count
        if authority:
            by_authority[authority] += count
        for f in flags:
            by_flag[f] += count
        if flags:
            flagged += count
    rank = {a: i for i, a in enumerate(AUTHORITIES)}
    return {
        "lines": decided + sum(bad.values()),
        "decided": decided,
        "flagged": flagged,
        "by_status": dict(sorted(by_status.items())),
        "by_authority": dict(sorted(by_authority.items(), key=lambda kv: rank.get(kv[0], 99))),
        "by_flag": dict(sorted(by_flag.items())),
        "violations": by_flag.get("violation", 0),
        "uncovered": by_flag.get("uncovered", 0),
        "undetermined": by_flag.get("undetermined", 0),
        "bad_lines": sum(bad.values()),
        "bad_by_code": dict(sorted(bad.items())),
    }
