"""Benchmark: `audit` of two generated 274-item lists (the second a revision of the first touching 30
matters), timed beside `validate` of the same two lists in the same run.

    .venv/bin/python bench/audit_bench.py [--matters 30] [--items 274] [--keep DIR]

The base list comes from bench/genlist.py. The revision, for 30 distinct matters in turn: raises a
prosecutor item to the procurator-general (with a note), narrows an item's condition, or adds a duty
to report. Times are wall-clock, in-process (catalogue loaded once, as the CLI loads it once) and
end to end through the `quanze` command.
"""
from __future__ import annotations

import argparse
import copy
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import genlist  # noqa: E402

from quanze.audit import run_audit  # noqa: E402
from quanze.catalogue import load_catalogue  # noqa: E402
from quanze.validate import validate_paths  # noqa: E402


def revise(head: dict, parts: dict, n_matters: int) -> tuple:
    head, parts = copy.deepcopy(head), copy.deepcopy(parts)
    head["id"] = head["id"] + "-rev"
    head["supersedes"] = head["id"][:-4]
    pros = parts["prosecutor.yaml"]["items"]
    general = parts["procurator-general.yaml"]["items"]
    matters = list(dict.fromkeys(i["matter"] for i in pros))[:n_matters]
    for k, matter in enumerate(matters):
        on = [i for i in pros if i["matter"] == matter]
        kind = k % 3
        if kind == 0:      # raise: the prosecutor's plainest item goes to the procurator-general
            item = on[0]
            pros.remove(item)
            item = {key: v for key, v in item.items() if key != "responsibility"}
            item["id"] = item["id"].replace("-P-", "-G9-")
            item["note"] = "raised by the revision (benchmark)"
            general.append(item)
        elif kind == 1:    # narrow a condition
            item = on[-1]
            extra = {"fact": "may_affect_national_security_or_stability", "is": False}
            item["when"] = {"all": [item["when"], extra]} if item.get("when") else extra
        else:              # a new duty to report
            on[0]["report_to"] = ["department_head"]
    return head, parts, matters


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=274)
    ap.add_argument("--matters", type=int, default=30)
    ap.add_argument("--keep", default=None, help="Write the lists here (default: a temporary folder).")
    a = ap.parse_args(argv)
    root = a.keep or tempfile.mkdtemp(prefix="quanze-bench-")
    catalogue, _ = load_catalogue(None)
    head, parts = genlist.build(catalogue, "gen-274", a.items, "2022-01-01", "2022-12-31")
    new_head, new_parts, touched = revise(head, parts, a.matters)
    new_head["effective_from"], new_head["effective_to"] = "2023-01-01", None
    old_dir, new_dir = os.path.join(root, "gen-274"), os.path.join(root, "gen-274-rev")
    genlist.write(old_dir, head, parts)
    genlist.write(new_dir, new_head, new_parts)
    n_old = sum(len(p["items"]) for p in parts.values())
    n_new = sum(len(p["items"]) for p in new_parts.values())
    print(f"lists: {old_dir} ({n_old} items, {len(parts['prosecutor.yaml']['items'])} prosecutor), "
          f"{new_dir} ({n_new} items); revision touches {len(touched)} matters")

    t_val, (findings, _) = timed(lambda: validate_paths([old_dir, new_dir]))
    errors = findings.errors
    t_aud, audit = timed(lambda: run_audit(new_dir, catalogue, old_dir))
    d = audit.diff
    imp = d.impact.to_json()
    print(f"in-process  validate (both lists): {t_val:7.3f} s   ({len(errors)} errors, {len(findings.warnings)} warnings)")
    print(f"in-process  audit NEW --against OLD: {t_aud:7.3f} s   (verdict {('fit' if audit.fit else 'blocked')}, "
          f"{len(audit.blocking)} blocking; {imp['situations_enumerated']} situations enumerated over "
          f"{imp['matters_examined']} matters, {imp['matters_identical']} identical; "
          f"{imp['situations_changed']} changed in {len(imp['matters'])} matters; "
          f"directions {d.to_json()['summary']['directions']})")
    changed = {m["matter"] for m in imp["matters"]}
    assert set(touched) <= changed | {m["matter"] for m in d.matters if m["items"]["changed"]}, "a touched matter went unreported"

    quanze = os.path.join(os.path.dirname(sys.executable), "quanze")
    for name, cmd in (("validate", [quanze, "validate", old_dir, new_dir]),
                      ("audit", [quanze, "audit", new_dir, "--against", old_dir, "--format", "json"])):
        t, proc = timed(lambda: subprocess.run(cmd, capture_output=True))
        print(f"end to end  quanze {name:<8}: {t:7.3f} s   (exit {proc.returncode})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
