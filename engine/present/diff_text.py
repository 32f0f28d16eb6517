"""The diff as text and Markdown (`quanze diff`, and within the audit): the summary line, the matters
whose decisions change with the situations that change them, the items added, removed and changed,
and the counts side by side."""
from __future__ import annotations

from collections import Counter

from ..diff import SECTIONS, Diff, matter_section
from .escape import md, md_code
from .textwidth import display_width, fit
from .words import ARROW, DIFF, EVERY_SITUATION, NAMES_SEP, function_name, line_name, matter_name, outcome_words, \
    part_name, cubes_words, scope_words, sided_names, situation_words, who


def where_words(where: dict, catalogue, lang: str) -> str:
    """The shared facts of a group of situations in plain words."""
    return situation_words(where, catalogue, lang) or EVERY_SITUATION[lang]


def diff_text(d: Diff, lang: str = "zh", markdown: bool = False, max_situations: int = 5) -> str:
    w, cat = DIFF[lang], d.catalogue
    e = md if markdown else str  # names, ids, places and situations stay literal text in Markdown
    out = []
    h = (lambda n, t: out.append(f"{'#' * n} {t}\n")) if markdown else (lambda n, t: out.append(t))
    bullet = "- " if markdown else "  "
    h(1 if markdown else 0, f"{w['diff']}{w['colon']}{e(d.old.id)} → {e(d.new.id)}")
    s = d.to_json()["summary"]
    count = w["count"].format
    out.append(bullet + w["summary"].format(
        added=s["added"], removed=s["removed"], matched=s["matched"], substance=s["changed_in_substance"],
        reworded=s["reworded"], moved=s["moved"],
        directions=w["list_sep"].join(count(what=w[k], n=v) for k, v in s["directions"].items()),
        enumerated=count(what=w["enumerated"], n=s["situations_enumerated"]),
        changed=count(what=w["changed_situations"], n=s["situations_changed"])))
    if d.is_empty():
        out.append(f"{bullet}{w['none']}")
    changed = d.changed_matters
    dir_width = max(display_width(w[k]) for k in ("up", "down", "mixed", "unchanged"))  # terminal columns
    if changed:
        out.append("")
        h(2, w["matters"])
        # how many matters each section of the review holds (`matter_section`), as the page's tiles say
        sections = Counter(matter_section(m) for m in changed)
        out.append(bullet + w["section_sep"].join(
            count(what=_mid_sentence(w[f"{k}_matters"], lang), n=sections[k]) for k in SECTIONS
            if sections[k] or k in ("up", "mixed", "down")))
        for m in changed:
            cov = w[f"coverage_{m['coverage']}"]
            old_a, new_a = e(sided_names(cat, m["old"], lang, w)), e(sided_names(cat, m["new"], lang, w))
            line = (f"{bullet}{ARROW[m['direction']]} {w[m['direction']]}  {e(matter_name(cat, m['matter'], lang))}"
                    + w["paren"].format(x=md_code(m['matter'])) if markdown else
                    f"{bullet}{ARROW[m['direction']]} {fit(w[m['direction']], dir_width)} {matter_name(cat, m['matter'], lang)}"
                    + w["paren"].format(x=m['matter']))
            line += f"  {old_a} → {new_a}"
            if cov:
                line += f"  [{cov}]"
            ids = m["old"]["items"] + ["→"] + m["new"]["items"]
            line += "  " + " ".join(e(i) for i in ids)
            out.append(line)
            if m["bounded"]:
                out.append(f"{'  ' if markdown else '      '}{e(w['bounded'].format(why=m['bounded_why']).strip())}")
            if m["situations_changed"]:
                note = f"{m['situations_changed']}/{m['situations']} {w['situations']}"
                out.append(f"{'  ' if markdown else '      '}{note}")
                for g in m["groups"][:max_situations]:
                    more = ([w["undescribed"]] if g["cubes_more"] is None else
                            [w["more_cubes"].format(n=g["cubes_more"])] if g["cubes_more"] else [])
                    said = (' | ').join([e(cubes_words(g['cubes'], cat, lang) or EVERY_SITUATION[lang])] + more)
                    out.append(f"{'  - ' if markdown else '      '}{said}{w['paren'].format(x=g['count'])}{w['colon']}"
                               f"{e(outcome_words(g['old'], cat, lang))} → {e(outcome_words(g['new'], cat, lang))}")
                if len(m["groups"]) > max_situations:
                    out.append(f"{'  - ' if markdown else '      '}… +{len(m['groups']) - max_situations}")
    for title, items in ((w["added"], d.added), (w["removed"], d.removed)):
        if items:
            out.append("")
            h(2, w["head_count"].format(h=title, n=len(items)))
            for i in items:
                decides = who(cat, i.authority, lang) if i.authority is not None else w["no_authority"]
                out.append(f"{bullet}{e(i.id)}  {e(part_name(i.part, lang))}  {e(matter_name(cat, i.matter, lang))}  "
                           f"{e(decides)}  " + w["aside"].format(x=e(i.source)))
    ch = [p for p in d.pairs if p.changes or p.moved]
    if ch:
        out.append("")
        h(2, w["head_count"].format(h=w["changed"], n=len(ch)))
        for p in ch:
            what = _fields(p.changes, w)
            mv = f"{w['semi']}{w['moved']} {part_name(p.new.part, lang)}" if p.moved else ""
            ident = p.old.id if p.old.id == p.new.id else f"{p.old.id} → {p.new.id}"
            out.append(f"{bullet}{e(ident)}  {e(matter_name(cat, p.new.matter, lang))}{w['colon']}{e(what)}{e(mv)}  "
                       + w["aside"].format(x=e(p.new.source)))
    _reporting(d, out, h, bullet, e, w, lang)
    out.append("")
    h(2, w["counts"])
    rows = [(w["part"], part_name(k, lang), v) for k, v in d.counts["part"].items()]
    rows += [(w["line"], line_name(cat, k, lang), v) for k, v in d.counts["line"].items()]
    rows += [(w["function"], function_name(k, lang), v) for k, v in d.counts["function"].items()]
    rows.append((w["total"], "", d.counts["total"]))
    if markdown:
        out.append(f"| | | {e(d.old.id)} | {e(d.new.id)} |\n|---|---|---:|---:|")
        for a, b, v in rows:
            out.append(f"| {e(a)} | {e(b)} | {v['old']} | {v['new']} |")
    else:  # columns as wide as their widest cell, in terminal columns (a Chinese character takes two)
        wa, wb = (max(display_width(r[i]) for r in rows) for i in (0, 1))
        for a, b, v in rows:
            mark = "" if v["old"] == v["new"] else "  *"
            out.append(f"  {fit(a, wa)} {fit(b, wb)} {v['old']:>4} → {v['new']:<4}{mark}")
    return "\n".join(out)


def _mid_sentence(name: str, lang: str) -> str:
    """A heading's name inside a sentence (English: "18 matters raised")."""
    return name[:1].lower() + name[1:] if lang == "en" else name


def _reporting(d: Diff, out: list, h, bullet: str, e, w: dict, lang: str) -> None:
    """The reporting rules added, removed and changed, each with its scope (every matter, or the matters
    and business lines it names): a change of scope is a change, said old → new."""
    _, removed, added = d.reporting
    changed = d.reporting_changed
    if not (changed or removed or added):
        return
    cat = d.catalogue
    out.append("")
    h(2, w["head_count"].format(h=w["reporting"], n=len(changed) + len(removed) + len(added)))
    for key, rules in (("reporting_added", added), ("reporting_removed", removed)):
        for r in rules:
            out.append(f"{bullet}{e(r.id)}  {w[key]}  {e(scope_words(r.matters, r.lines, cat, lang))}  "
                       + w["aside"].format(x=e(r.source)))
    for p in changed:
        said = [_fields([c for c in p.changes if c != "scope"], w)] if p.changes != ["scope"] else []
        if "scope" in p.changes:
            said.append(w["scope_change"].format(old=scope_words(p.old.matters, p.old.lines, cat, lang),
                                                 new=scope_words(p.new.matters, p.new.lines, cat, lang)))
        what = w["semi"].join(said)
        out.append(f"{bullet}{e(p.new.id)}{w['colon']}{e(what)}  " + w["aside"].format(x=e(p.new.source)))


def _fields(changes: list, w: dict) -> str:
    """What changed in an item or a rule: 责任、依据 in Chinese; the JSON's names (`responsibility, basis`) in English."""
    return w["fields_sep"].join(w.get(f"field_{c}", c) for c in changes)
