"""What changed between two versions of a list, item by item and matter by matter (`quanze diff`).

Items are matched by id; the items left over are matched by matter and *equivalent condition* (the
same truth in every situation, absence included — `situations.Space`), preferring the same part, so a
renumbered item is recognised as the same power. A matched pair reports what was reworded (title,
responsibility, duties, basis, note), what changed in substance (authority, condition, report_to,
delegation) and whether it moved between parts. Reporting rules are matched by id, and a change of
who they apply to, their condition, whom they inform or their scope (`matters:`, `lines:`) is a change.

Per matter, the direction of the required authority comes from the exact impact (`impact.py`): every
situation is decided under both lists (the procurator-general's fallback counting where no item
covers it, a statutory prohibition ranking above every authority, an undetermined decision unranked),
and the matter is `up`, `down`, `mixed` or `unchanged`.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .conditions import evaluate
from .decide import Decider
from .impact import Impact, exact_impact
from .model import PARTS, RANK, Catalogue, DoubleList, Item, ReportingRule
from .situations import Bounded, Space, reads

WORDED = ("title", "responsibility", "duties", "basis", "note")
SUBSTANCE = ("matter", "authority", "condition", "report_to", "delegable_to")
# The sections a review sorts the matters whose decisions change into, in the order it shows them
# (`matter_section`): the text, the page and the explanatory note count and list the same ones.
SECTIONS = ("up", "mixed", "down", "listed", "other")


def matter_section(m: dict) -> str | None:
    """The section of a review a matter of the diff (`Diff.matters`) stands in: `up`, `mixed` or `down`
    by its direction; `listed` where its authority stays but the list names it now, or no longer
    (the procurator-general by default before and by an item after is no change of authority);
    `other` where the authority stays and only the duties to report, the route or whether the list
    names some situations change (or the matter could not be checked whole); None where no decision
    changes (an item reworded only)."""
    if m["direction"] != "unchanged":
        return m["direction"]
    if m["coverage"] != "kept":
        return "listed"
    if m["situations_changed"] or m["bounded"]:
        return "other"
    return None


def equivalent(a, b, catalogue: Catalogue) -> bool:
    """Whether two conditions hold in exactly the same situations (absent facts included)."""
    if a == b:
        return True
    space = Space([a, b], catalogue.facts, absent=True)
    try:
        return all((evaluate(a, s) is True) == (evaluate(b, s) is True) for s in space.each(reads(a, b)))
    except Bounded:
        return False


def _text(t):
    return t.to_json() if t is not None else None


def item_json(item: Item) -> dict:
    return {"id": item.id, "matter": item.matter, "part": item.part, "authority": item.authority,
            "source": str(item.source), "title": _text(item.title)}


def item_changes(a: Item, b: Item, catalogue: Catalogue) -> list:
    out = []
    if a.matter != b.matter:
        out.append("matter")
    if a.authority != b.authority:
        out.append("authority")
    if a.matter == b.matter and not equivalent(a.when, b.when, catalogue):
        out.append("condition")
    for name in ("report_to", "delegable_to"):
        if set(getattr(a, name)) != set(getattr(b, name)):
            out.append(name)
    for name in WORDED:
        if getattr(a, name) != getattr(b, name):
            out.append(name)
    return out


def reporting_json(rule: ReportingRule) -> dict:
    return {"id": rule.id, "applies_to": list(rule.applies_to), "report_to": list(rule.report_to),
            "matters": list(rule.matters), "lines": list(rule.lines), "source": str(rule.source),
            "title": _text(rule.title)}


def reporting_changes(a: ReportingRule, b: ReportingRule, catalogue: Catalogue) -> list:
    """What changed in a reporting rule kept (by id): in substance (who it applies to, its condition,
    who is informed, its scope of matters and lines), and in wording (title, basis)."""
    out = []
    for name in ("applies_to", "report_to"):
        if set(getattr(a, name)) != set(getattr(b, name)):
            out.append(name)
    if not equivalent(a.when, b.when, catalogue):
        out.append("condition")
    if set(a.matters) != set(b.matters) or set(a.lines) != set(b.lines):
        out.append("scope")
    for name in ("title", "basis"):
        if getattr(a, name) != getattr(b, name):
            out.append(name)
    return out


@dataclass
class ReportingPair:
    old: ReportingRule
    new: ReportingRule
    changes: list

    def to_json(self) -> dict:
        return {"old": reporting_json(self.old), "new": reporting_json(self.new), "changes": self.changes}


def match_reporting(old: DoubleList, new: DoubleList, catalogue: Catalogue) -> tuple:
    """(pairs kept by id, removed, added) of the two lists' reporting rules."""
    by_id = {r.id: r for r in new.reporting}
    pairs = [ReportingPair(a, by_id[a.id], reporting_changes(a, by_id[a.id], catalogue))
             for a in old.reporting if a.id in by_id]
    kept = {a.id for a in old.reporting}
    return (pairs, [a for a in old.reporting if a.id not in by_id], [b for b in new.reporting if b.id not in kept])


@dataclass
class Pair:
    old: Item
    new: Item
    by: str  # id | condition
    changes: list

    @property
    def moved(self) -> bool:
        return self.old.part != self.new.part

    def to_json(self) -> dict:
        out: dict = {"old": item_json(self.old), "new": item_json(self.new), "matched_by": self.by,
               "moved": [self.old.part, self.new.part] if self.moved else None, "changes": self.changes}
        for name in ("responsibility", "duties", "basis", "note", "title"):
            if name in self.changes:
                a, b = getattr(self.old, name), getattr(self.new, name)
                out.setdefault("wording", {})[name] = {
                    "old": list(a) if isinstance(a, tuple) else _text(a) if hasattr(a, "zh") else a,
                    "new": list(b) if isinstance(b, tuple) else _text(b) if hasattr(b, "zh") else b}
        return out


def match_items(old: DoubleList, new: DoubleList, catalogue: Catalogue) -> tuple:
    """(pairs, removed, added)."""
    new_by_id = {i.id: i for i in new.items}
    pairs, left_old = [], []
    used = set()
    for a in old.items:
        b = new_by_id.get(a.id)
        if b is not None:
            pairs.append(Pair(a, b, "id", item_changes(a, b, catalogue)))
            used.add(b.id)
        else:
            left_old.append(a)
    left_new = [b for b in new.items if b.id not in used]
    removed = []
    for a in left_old:
        candidates = [b for b in left_new if b.matter == a.matter and (b.authority is None) == (a.authority is None)
                      and equivalent(a.when, b.when, catalogue)]
        candidates.sort(key=lambda b: (b.part != a.part, b.authority != a.authority))
        if candidates:
            b = candidates[0]
            left_new.remove(b)
            pairs.append(Pair(a, b, "condition", item_changes(a, b, catalogue)))
        else:
            removed.append(a)
    return pairs, removed, left_new


def counts(lst: DoubleList, catalogue: Catalogue) -> dict:
    by_part: Counter[str] = Counter()
    by_line: Counter[str] = Counter()
    by_function: Counter[str] = Counter()
    for item in lst.items:
        by_part[item.part] += 1
        m = catalogue.matters.get(item.matter)
        if m is not None:
            by_line[m.line] += 1
            by_function[m.function] += 1
    return {"part": dict(by_part), "line": dict(by_line), "function": dict(by_function), "total": len(lst.items)}


@dataclass
class Diff:
    old: DoubleList
    new: DoubleList
    pairs: list
    removed: list
    added: list
    matters: list  # dicts (the `matters` array of docs/commands.md, `quanze diff`)
    counts: dict
    impact: Impact
    catalogue: Catalogue = field(repr=False)
    reporting: tuple = ((), (), ())  # reporting rules: (ReportingPair kept by id, removed, added)

    @property
    def reporting_changed(self) -> list:
        return [p for p in self.reporting[0] if p.changes]

    @property
    def reworded(self) -> list:
        """Matched items changed in their words only (not moved, nothing of substance changed)."""
        return [p for p in self.pairs if p.changes and not p.moved and all(c in WORDED for c in p.changes)]

    @property
    def raised(self) -> list:
        """Matched items whose authority went up (the powers the revision raises)."""
        return [p for p in self.pairs if p.old.authority and p.new.authority
                and RANK[p.new.authority] > RANK[p.old.authority]]

    @property
    def lowered(self) -> list:
        return [p for p in self.pairs if p.old.authority and p.new.authority
                and RANK[p.new.authority] < RANK[p.old.authority]]

    @property
    def moved(self) -> list:
        return [p for p in self.pairs if p.moved]

    @property
    def changed_matters(self) -> list:
        return [m for m in self.matters if matter_section(m) is not None]

    def is_empty(self) -> bool:
        return not (self.removed or self.added or any(p.changes or p.moved for p in self.pairs)
                    or self.reporting_changed or self.reporting[1] or self.reporting[2]
                    or self.impact.changed or self.impact.bounded or any(m["coverage"] != "kept" for m in self.matters))

    def to_json(self) -> dict:
        return {
            "old": list_json(self.old), "new": list_json(self.new),
            "summary": {"added": len(self.added), "removed": len(self.removed),
                        "matched": len(self.pairs), "reworded": len(self.reworded), "moved": len(self.moved),
                        "raised": len(self.raised), "lowered": len(self.lowered),
                        "changed_in_substance": sum(any(c in SUBSTANCE for c in p.changes) for p in self.pairs),
                        "directions": dict(Counter(m["direction"] for m in self.matters)),
                        "coverage": dict(Counter(m["coverage"] for m in self.matters)),
                        "situations_enumerated": self.impact.enumerated,
                        "situations_changed": sum(m.changed for m in self.impact.matters.values())},
            "matters": self.matters,
            "raised": [{"old": item_json(p.old), "new": item_json(p.new)} for p in self.raised],
            "lowered": [{"old": item_json(p.old), "new": item_json(p.new)} for p in self.lowered],
            "items": {"added": [item_json(i) for i in self.added], "removed": [item_json(i) for i in self.removed],
                      "changed": [p.to_json() for p in self.pairs if p.changes or p.moved],
                      "unchanged": sum(1 for p in self.pairs if not p.changes and not p.moved)},
            "counts": self.counts,
            "reporting": {"added": [reporting_json(r) for r in self.reporting[2]],
                          "removed": [reporting_json(r) for r in self.reporting[1]],
                          "changed": [p.to_json() for p in self.reporting_changed],
                          "unchanged": len(self.reporting[0]) - len(self.reporting_changed)},
        }


def list_json(lst: DoubleList) -> dict:
    """A version as the diff names it: its id, digest and folder, and what a note on the revision
    says of it (title, issuer, the day it takes effect)."""
    return {"id": lst.id, "digest": lst.digest, "folder": lst.folder, "title": _text(lst.title),
            "issuer": _text(lst.issuer), "effective_from": lst.effective_from}


def diff_lists(old: DoubleList, new: DoubleList, catalogue: Catalogue, old_decider: Decider | None = None,
               new_decider: Decider | None = None, impact: Impact | None = None) -> Diff:
    old_decider = old_decider or Decider(old, catalogue)
    new_decider = new_decider or Decider(new, catalogue)
    pairs, removed, added = match_items(old, new, catalogue)
    if impact is None:
        impact = exact_impact(old_decider, new_decider, catalogue)
    matters = []
    order: dict = {}
    for lst in (old, new):
        for item in lst.items:
            order.setdefault(item.matter, None)
    for matter in order:
        o = [i for i in old.items if i.matter == matter]
        n = [i for i in new.items if i.matter == matter]
        mi = impact.matters.get(matter)
        mj = mi.to_json() if mi else None
        coverage = "kept" if o and n else "added" if n else "removed"
        cat = catalogue.matters.get(matter)

        def side(items, required):
            """The items, the authorities they name, whether none decides (the list is silent: the
            procurator-general by default, or whom the law requires), and whom the decisions require
            in some situation (every authority a statutory floor or the default brings in)."""
            auths = sorted({i.authority for i in items if i.authority}, key=RANK.get)
            return {"items": [i.id for i in items], "authorities": auths,
                    "fallback": not any(i.authority for i in items), "required": list(required)}

        matters.append({
            "matter": matter,
            "name": cat.name.to_json() if cat else None,
            "line": cat.line if cat else None,
            "function": cat.function if cat else None,
            "direction": mi.direction if mi else "unchanged",
            "coverage": coverage,
            "old": side(o, mi.required[0] if mi else ()), "new": side(n, mi.required[1] if mi else ()),
            "items": {
                "added": [i.id for i in added if i.matter == matter],
                "removed": [i.id for i in removed if i.matter == matter],
                "changed": [{"old": p.old.id, "new": p.new.id, "changes": p.changes,
                             "moved": [p.old.part, p.new.part] if p.moved else None}
                            for p in pairs if p.new.matter == matter and (p.changes or p.moved)],
                "kept": [p.new.id for p in pairs if p.new.matter == matter and not p.changes and not p.moved],
            },
            "notes": [{"id": i.id, "note": _text(i.note), "source": str(i.source)} for i in n if i.note],
            "situations": mi.enumerated if mi else 0,
            "bounded": mi.bounded if mi else False,
            "bounded_why": mj["bounded_why"] if mj is not None else None,
            "situations_changed": mi.changed if mi else 0,
            "groups": mj["groups"] if mj is not None else [],
            "changed": mj["changed"] if mj is not None else [],
            "changed_more": mj["changed_more"] if mj is not None else 0,
        })
    c_old, c_new = counts(old, catalogue), counts(new, catalogue)
    side_by_side = {}
    for dim in ("part", "line", "function"):
        keys = list(dict.fromkeys(list(PARTS if dim == "part" else []) + list(c_old[dim]) + list(c_new[dim])))
        side_by_side[dim] = {k: {"old": c_old[dim].get(k, 0), "new": c_new[dim].get(k, 0)} for k in keys
                             if c_old[dim].get(k, 0) or c_new[dim].get(k, 0)}
    side_by_side["total"] = {"old": c_old["total"], "new": c_new["total"]}
    return Diff(old, new, pairs, removed, added, matters, side_by_side, impact, catalogue,
                match_reporting(old, new, catalogue))
