"""The publication review (`quanze audit NEW [--against OLD] [--replay ACTIONS]`): one report, verdict
first — fit to publish, or blocked with the findings that block it (each at file:line) — then the
publication findings, the diff against the list in force, the exact impact and the replay.

NEW is loaded even when it does not validate (its errors are the findings that block it); the list
in force defaults to the sibling folder whose list.yaml `id` is NEW's `supersedes`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from .actions import read_actions
from .decide import Decider
from .diff import Diff, diff_lists
from .errors import QuanzeError
from .findings import ERROR, Findings
from .impact import Impact, Replay, exact_impact, replay
from .library import Library
from .lists import find_list_folders, is_list_folder
from .model import Catalogue, DoubleList, Text
from .publication import AuditFinding, run_checks
from .validate import validate_lists
from .yamlload import MISSING, LoadError, file_kind, load_file


class AuditUsage(QuanzeError):
    """Bad usage (no such list, no list to compare with): exit 2."""


def load_for_audit(folder: str, catalogue: Catalogue) -> tuple:
    """(list or None, findings): every finding `quanze validate FOLDER` reports about the list (the
    same function computes them: nothing validate calls an error can be missed here)."""
    (lst,), found = validate_lists([folder], catalogue)
    return lst, found.ordered()


def superseded_folder(folder: str) -> str | None:
    """The sibling list folder whose id is the `supersedes` of the list at `folder`."""
    try:
        data = load_file(os.path.join(folder, "list.yaml"), inside=folder).data
    except LoadError:
        return None
    target = data.get("supersedes") if isinstance(data, dict) else None
    if not isinstance(target, str):
        return None
    parent = os.path.dirname(os.path.abspath(folder))
    for sib in find_list_folders(parent):
        if os.path.realpath(sib) == os.path.realpath(folder):
            continue
        try:
            d = load_file(os.path.join(sib, "list.yaml"), inside=sib).data
        except LoadError:
            continue
        if isinstance(d, dict) and d.get("id") == target:
            rel = os.path.relpath(sib)
            return rel if not rel.startswith("..") else sib
    return None


@dataclass
class Audit:
    new: DoubleList | None
    old: DoubleList | None
    new_folder: str
    old_folder: str | None
    findings: Findings       # AuditFinding, blocking ones first
    validation: Findings     # Finding (NEW)
    diff: Diff | None
    replay: Replay | None
    catalogue: Catalogue = field(repr=False)

    @property
    def blocking(self) -> Findings:
        return self.findings.errors

    @property
    def fit(self) -> bool:
        """No blocking finding, no error of validation whatever publication.yaml declares, and the impact
        checked whole on every matter (a matter past the bounds of the exact impact blocks publication
        whatever severity publication.yaml gives PUB-BOUNDED: the audit cannot call fit a revision whose
        effect on a matter it could not check)."""
        return (self.new is not None and not self.blocking and self.validation.ok
                and not (self.diff is not None and self.diff.impact.bounded))

    def to_json(self) -> dict:
        return {
            "verdict": "fit" if self.fit else "blocked",
            "list": {"id": self.new.id if self.new else None, "folder": self.new_folder,
                     "digest": self.new.digest if self.new else None},
            "against": {"id": self.old.id, "folder": self.old_folder, "digest": self.old.digest} if self.old else None,
            "blocking": [f.to_json() for f in self.blocking],
            "findings": [f.to_json() for f in self.findings],
            "diff": self.diff.to_json() if self.diff else None,
            "impact": self.diff.impact.to_json() if self.diff else None,
            "replay": self.replay.to_json() if self.replay else None,
        }


def run_audit(new_folder: str, catalogue: Catalogue, against: str | None = None, actions: str | None = None) -> Audit:
    if not os.path.isdir(new_folder) or not is_list_folder(new_folder):
        raise AuditUsage(Text(f"`{new_folder}` 不是清单文件夹（应有 list.yaml）",
                              f"`{new_folder}` is not a list folder (with list.yaml)"))
    if against is not None and (not os.path.isdir(against) or not is_list_folder(against)):
        raise AuditUsage(Text(f"--against：`{against}` 不是清单文件夹（应有 list.yaml）",
                              f"--against: `{against}` is not a list folder (with list.yaml)"))
    kind = file_kind(actions) if actions is not None else None
    if kind is not None:
        said = Text("没有这个文件", "no such file") if kind == MISSING else kind
        raise AuditUsage(Text(f"--replay：`{actions}`：", f"--replay: `{actions}`: ") + said)
    new, validation = load_for_audit(new_folder, catalogue)
    old_folder = against or superseded_folder(new_folder)
    if actions is not None and old_folder is None:
        raise AuditUsage(Text("--replay 需要一份用来比较的清单：请给出 --against OLD（NEW 没有写明它取代的清单）",
                              "--replay needs a list to compare with: give --against OLD (NEW names no list it supersedes)"))
    old = None
    if old_folder is not None:
        old, old_found = load_for_audit(old_folder, catalogue)
        if old is None:
            first = Text(old_found[0].format("zh"), old_found[0].format("en")) if old_found \
                else Text("原因不明", "unknown error")
            raise AuditUsage(Text(f"--against：`{old_folder}` 无法载入：", f"--against: `{old_folder}` cannot be loaded: ")
                             + first)
    d = rp = None
    library = Library([new], catalogue) if new is not None else None
    if new is not None and old is not None:
        od, nd = Decider(old, catalogue), Decider(new, catalogue)
        impact = exact_impact(od, nd, catalogue)
        d = diff_lists(old, new, catalogue, od, nd, impact)
        if actions is not None:
            rp = replay(read_actions(actions, catalogue), od, nd, catalogue, impact)
    findings = Findings(sorted(run_checks(new, catalogue, validation, d, library, new_folder),
                               key=lambda f: (f.severity != ERROR, f.check, f.file, f.line)))
    return Audit(new, old, new_folder, old_folder, findings, validation, d, rp, catalogue)
