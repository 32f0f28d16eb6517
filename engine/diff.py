"""What changed between two versions of a list, item by item and matter by matter (`quanze diff`).

Items are matched by id; the items left over are matched by matter and *equivalent condition* (the
same truth in every situation, absence included — `situations.Space`), preferring the same part, so a
renumbered item is recognised as the same power. A matched pair reports what was reworded (title,
responsibility, duties, basis, note), what changed in substance (authority, condition, report_to,
delegation) and whether it moved between parts.

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
from .model import PARTS, RANK, Catalogue, DoubleList, Item
from .situations import Bounded, Space, reads

WORDED = ("title", "responsibility", "duties", "basis", "note")
SUBSTANCE = ("matter", "authority", "condition", "report_to", "delegable_to")


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
            "source": item.source, "title": _text(item.title)}


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
        out = {"old": item_json(self.old), "new": item_json(self.new), "matched_by": self.by,
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
    by_part, by_line, by_function = Counter(), Counter(), Counter()
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
    catalogue: Catalogue = field(repr=False, default=None)

    @property
    def reworded(self) -> list:
        return [p for p in self.pairs if any(c in WORDED for c in p.changes)]

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
        return [m for m in self.matters if m["direction"] != "unchanged" or m["situations_changed"]
                or m["coverage"] != "kept"]

    def is_empty(self) -> bool:
        return not (self.removed or self.added or any(p.changes or p.moved for p in self.pairs)
                    or self.impact.changed or any(m["coverage"] != "kept" for m in self.matters))

    def to_json(self) -> dict:
        return {
            "old": {"id": self.old.id, "digest": self.old.digest, "folder": self.old.folder},
            "new": {"id": self.new.id, "digest": self.new.digest, "folder": self.new.folder},
            "summary": {"added": len(self.added), "removed": len(self.removed),
                        "matched": len(self.pairs), "reworded": len(self.reworded), "moved": len(self.moved),
                        "raised": len(self.raised), "lowered": len(self.lowered),
                        "changed_in_substance": sum(any(c in SUBSTANCE for c in p.changes) for p in self.pairs),
                        "directions": dict(Counter(m["direction"] for m in self.matters)),
                        "coverage": dict(Counter(m["coverage"] for m in self.matters)),
                        "situations_enumerated": self.impact.enumerated,
                        "situations_changed": sum(len(m.changes) for m in self.impact.matters.values())},
            "matters": self.matters,
            "raised": [{"old": item_json(p.old), "new": item_json(p.new)} for p in self.raised],
            "lowered": [{"old": item_json(p.old), "new": item_json(p.new)} for p in self.lowered],
            "items": {"added": [item_json(i) for i in self.added], "removed": [item_json(i) for i in self.removed],
                      "changed": [p.to_json() for p in self.pairs if p.changes or p.moved],
                      "unchanged": sum(1 for p in self.pairs if not p.changes and not p.moved)},
            "counts": self.counts,
        }


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

        def side(items):
            auths = sorted({i.authority for i in items if i.authority}, key=RANK.get)
            return {"items": [i.id for i in items], "authorities": auths,
                    "fallback": not any(i.authority for i in items)}

        matters.append({
            "matter": matter,
            "name": cat.name.to_json() if cat else None,
            "line": cat.line if cat else None,
            "function": cat.function if cat else None,
            "direction": mi.direction if mi else "unchanged",
            "coverage": coverage,
            "old": side(o), "new": side(n),
            "items": {
                "added": [i.id for i in added if i.matter == matter],
                "removed": [i.id for i in removed if i.matter == matter],
                "changed": [{"old": p.old.id, "new": p.new.id, "changes": p.changes,
                             "moved": [p.old.part, p.new.part] if p.moved else None}
                            for p in pairs if p.new.matter == matter and (p.changes or p.moved)],
                "kept": [p.new.id for p in pairs if p.new.matter == matter and not p.changes and not p.moved],
            },
            "situations": mi.enumerated if mi else 0,
            "bounded": mi.bounded if mi else False,
            "situations_changed": len(mi.changes) if mi else 0,
            "groups": mj["groups"] if mi else [],
            "changed": mj["changed"] if mi else [],
        })
    c_old, c_new = counts(old, catalogue), counts(new, catalogue)
    side_by_side = {}
    for dim in ("part", "line", "function"):
        keys = list(dict.fromkeys(list(PARTS if dim == "part" else []) + list(c_old[dim]) + list(c_new[dim])))
        side_by_side[dim] = {k: {"old": c_old[dim].get(k, 0), "new": c_new[dim].get(k, 0)} for k in keys
                             if c_old[dim].get(k, 0) or c_new[dim].get(k, 0)}
    side_by_side["total"] = {"old": c_old["total"], "new": c_new["total"]}
    return Diff(old, new, pairs, removed, added, matters, side_by_side, impact, catalogue)


# --- rendering ------------------------------------------------------------------------------------

WORDS = {
    "zh": {"diff": "比较", "added": "新增条目", "removed": "删除条目", "changed": "修改条目", "matters": "事项变化",
           "up": "上收", "down": "下放", "mixed": "因情形而异", "unchanged": "未变", "counts": "条目数量（原 → 新）",
           "part": "部分", "line": "业务条线", "function": "职能", "total": "合计", "none": "无变化",
           "situations": "情形", "enumerated": "共枚举情形", "changed_situations": "决定改变的情形",
           "coverage_added": "新列入", "coverage_removed": "不再列入", "coverage_kept": "", "moved": "移至",
           "reworded": "措辞修改", "bounded": "（情形过多，仅枚举前{n}个，共{t}个）", "example": "示例",
           "fallback": "检察长（未列明，默认）"},
    "en": {"diff": "Diff", "added": "Items added", "removed": "Items removed", "changed": "Items changed",
           "matters": "Matters", "up": "up", "down": "down", "mixed": "mixed", "unchanged": "unchanged",
           "counts": "Counts (old → new)", "part": "part", "line": "business line", "function": "function",
           "total": "total", "none": "no change", "situations": "situations", "enumerated": "situations enumerated",
           "changed_situations": "situations whose decision changes", "coverage_added": "newly covered",
           "coverage_removed": "no longer covered", "coverage_kept": "", "moved": "moved to",
           "reworded": "reworded", "bounded": " (too many situations: first {n} of {t} enumerated)",
           "example": "example", "fallback": "procurator-general (no item: default)"},
}
ARROW = {"up": "↑", "down": "↓", "mixed": "↕", "unchanged": "="}


def who(catalogue: Catalogue, code, lang: str) -> str:
    if code is None:
        return "—"
    t = catalogue.authority_names.get(code)
    return t.get(lang) if t else str(code)


def part_name(part: str, lang: str) -> str:
    names = {"prosecutor": ("检察官权责清单", "prosecutors"), "procurator_general": ("检察长权责清单", "procurator-general"),
             "committee": ("检察委员会权责清单", "procuratorial committee"), "office": ("检察委员会办事机构职责", "committee office")}
    zh, en = names.get(part, (part, part))
    return zh if lang == "zh" else en


def matter_name(catalogue: Catalogue, code: str, lang: str) -> str:
    m = catalogue.matters.get(code)
    return m.name.get(lang) if m else code


def situation_text(situation: dict) -> str:
    if not situation:
        return "—"
    return ", ".join(f"{k}={'true' if v is True else 'false' if v is False else v}" for k, v in situation.items())


def where_text(where: dict, catalogue: Catalogue, lang: str) -> str:
    """The shared facts of a group of situations in plain words."""
    from .render import situation_words
    return situation_words(where, catalogue, lang) or ("部分情形" if lang == "zh" else "in some situations")


def outcome_text(brief: dict, catalogue: Catalogue, lang: str) -> str:
    if brief["status"] == "forbidden":
        s = "法律禁止" if lang == "zh" else "forbidden"
    elif brief["status"] == "undetermined":
        s = "尚不能确定" if lang == "zh" else "undetermined"
    else:
        s = who(catalogue, brief["authority"], lang)
        if brief["uncovered"]:
            s += "（未列明）" if lang == "zh" else " (uncovered)"
    if brief["obligations"]:
        s += (" 报告" if lang == "zh" else " report to ") + "、".join(who(catalogue, a, lang) for a in brief["obligations"])
    return s


def render_text(d: Diff, lang: str = "zh", markdown: bool = False, max_situations: int = 5) -> str:
    w, cat = WORDS[lang], d.catalogue
    out = []
    h = (lambda n, t: out.append(f"{'#' * n} {t}\n")) if markdown else (lambda n, t: out.append(t))
    bullet = "- " if markdown else "  "
    h(1 if markdown else 0, f"{w['diff']}: {d.old.id} → {d.new.id}")
    s = d.to_json()["summary"]
    if lang == "zh":
        out.append(f"{bullet}新增 {s['added']}，删除 {s['removed']}，匹配 {s['matched']}（措辞修改 {s['reworded']}，"
                   f"移动 {s['moved']}）；事项：" + "，".join(f"{w[k]} {v}" for k, v in s["directions"].items())
                   + f"；{w['enumerated']} {s['situations_enumerated']}，{w['changed_situations']} {s['situations_changed']}")
    else:
        out.append(f"{bullet}{s['added']} added, {s['removed']} removed, {s['matched']} matched "
                   f"({s['reworded']} reworded, {s['moved']} moved); matters: "
                   + ", ".join(f"{v} {w[k]}" for k, v in s["directions"].items())
                   + f"; {s['situations_enumerated']} {w['enumerated']}, {s['situations_changed']} {w['changed_situations']}")
    if d.is_empty():
        out.append(f"{bullet}{w['none']}")
    changed = d.changed_matters
    if changed:
        out.append("")
        h(2, w["matters"])
        for m in changed:
            cov = w[f"coverage_{m['coverage']}"]
            old_a = "、".join(who(cat, a, lang) for a in m["old"]["authorities"]) or (w["fallback"] if m["coverage"] != "kept" or m["old"]["fallback"] else "—")
            new_a = "、".join(who(cat, a, lang) for a in m["new"]["authorities"]) or w["fallback"]
            line = (f"{bullet}{ARROW[m['direction']]} {w[m['direction']]}  {matter_name(cat, m['matter'], lang)} "
                    f"(`{m['matter']}`)" if markdown else
                    f"{bullet}{ARROW[m['direction']]} {w[m['direction']]:<9} {matter_name(cat, m['matter'], lang)} ({m['matter']})")
            line += f"  {old_a} → {new_a}"
            if cov:
                line += f"  [{cov}]"
            ids = m["old"]["items"] + ["→"] + m["new"]["items"]
            line += "  " + " ".join(ids)
            out.append(line)
            if m["situations_changed"]:
                note = f"{m['situations_changed']}/{m['situations']} {w['situations']}"
                if m["bounded"]:
                    note += w["bounded"].format(n=m["situations"], t="?")
                out.append(f"{'  ' if markdown else '      '}{note}")
                for g in m["groups"][:max_situations]:
                    out.append(f"{'  - ' if markdown else '      '}{(' | ').join(where_text(c, cat, lang) for c in g['cubes'])} ({g['count']}): "
                               f"{outcome_text(g['old'], cat, lang)} → {outcome_text(g['new'], cat, lang)}")
                if len(m["groups"]) > max_situations:
                    out.append(f"{'  - ' if markdown else '      '}… +{len(m['groups']) - max_situations}")
    for title, items in ((w["added"], d.added), (w["removed"], d.removed)):
        if items:
            out.append("")
            h(2, f"{title} ({len(items)})")
            for i in items:
                out.append(f"{bullet}{i.id}  {part_name(i.part, lang)}  {matter_name(cat, i.matter, lang)}  "
                           f"{who(cat, i.authority, lang)}  ({i.source})")
    ch = [p for p in d.pairs if p.changes or p.moved]
    if ch:
        out.append("")
        h(2, f"{w['changed']} ({len(ch)})")
        for p in ch:
            what = ", ".join(p.changes)
            mv = f"; {w['moved']} {part_name(p.new.part, lang)}" if p.moved else ""
            ident = p.old.id if p.old.id == p.new.id else f"{p.old.id} → {p.new.id}"
            out.append(f"{bullet}{ident}  {matter_name(cat, p.new.matter, lang)}: {what}{mv}  ({p.new.source})")
    out.append("")
    h(2, w["counts"])
    rows = [(w["part"], part_name(k, lang), v) for k, v in d.counts["part"].items()]
    rows += [(w["line"], cat.lines[k].name.get(lang) if k in cat.lines else k, v) for k, v in d.counts["line"].items()]
    rows += [(w["function"], k, v) for k, v in d.counts["function"].items()]
    rows.append((w["total"], "", d.counts["total"]))
    if markdown:
        out.append(f"| | | {d.old.id} | {d.new.id} |\n|---|---|---:|---:|")
        for a, b, v in rows:
            out.append(f"| {a} | {b} | {v['old']} | {v['new']} |")
    else:
        for a, b, v in rows:
            mark = "" if v["old"] == v["new"] else "  *"
            out.append(f"  {a:<8} {b:<24} {v['old']:>4} → {v['new']:<4}{mark}")
    return "\n".join(out)
