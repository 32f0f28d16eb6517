"""The publication review as a page a reviewer opens (`quanze audit --format html`): the verdict and
what blocks publication first, counts at a glance, then the matters whose decisions change (worst
first), the findings, the items added, removed and changed, the counts and the exact impact with a
`quanze decide` command line for every change, and the replay. Renders the audit's JSON (`Audit.to_json`)."""
from __future__ import annotations

from ..diff import SECTIONS, matter_section
from ..model import Catalogue
from .command import command_words
from .page import esc, page, situation_html
from .words import AUDIT_PAGE, CHANGE, EVERY_SITUATION, NAMES_SEP, change_words, function_name, line_name, matter_name, \
    outcome_words, part_name, cubes_lines, scope_words, sided_names, situation_words, who


# the figures at the top are links to their sections
CSS = "a.stat{color:inherit;text-decoration:none}a.stat:hover{border-color:var(--ink)}\n"


def audit_html(report: dict, catalogue: Catalogue, lang: str = "zh", new_path: str = "NEW") -> str:
    w = AUDIT_PAGE[lang]
    fit = report["verdict"] == "fit"
    L = report["list"]
    b = [f"<h1>{w['heading'].format(title=esc(w['title']), list=esc(L['id'] or L['folder']))}</h1>"]
    ag = report["against"]
    b.append(f'<div class="meta">{esc(L["folder"])} <code>{esc((L["digest"] or "")[:19])}</code> · '
             + (f'{esc(w["against"])} {esc(ag["id"])} ({esc(ag["folder"])})' if ag else esc(w["none_against"])) + "</div>")
    # verdict first
    bl = report["blocking"]
    b.append(f'<div class="verdict {"fit" if fit else "blocked"}"><div class="big">{"✔ " if fit else "✖ "}'
             f'{esc(w["fit"] if fit else w["blocked"])}</div><div>{esc(w["fit_sub"] if fit else w["blocked_sub"])}</div>')
    if bl:
        b.append('<table><thead><tr>' + "".join(f"<th>{esc(x)}</th>" for x in (w["place"], w["check"], w["detail"]))
                 + "</tr></thead><tbody>")
        for f in bl:
            b.append(f'<tr class="error"><td class="id"><code>{esc(f["place"])}</code></td><td>{esc(f["check"])}</td>'
                     f'<td>{esc(f["detail"][lang])}</td></tr>')
        b.append("</tbody></table>")
    b.append("</div>")
    d, imp, rp = report["diff"], report["impact"], report["replay"]
    warn = [f for f in report["findings"] if f["severity"] != "error"]
    # every tile counts what the section it links to counts, under the same name
    stats = [(len(bl), w["error"], "findings"), (len(warn), w["warning"], "findings")]
    if d:
        s = d["summary"]
        dirs = s["directions"]
        sections = _sections(d)
        stats += [(len(sections[k]), w[f"{k}_matters"], f"m-{k}") for k in ("up", "down", "mixed")]
        # the matters whose authority stays, where the page has a section for them
        stats += [(len(sections[k]), w[f"{k}_matters"], f"m-{k}") for k in ("listed", "other") if sections[k]]
        stats += [(s["raised"], w["raised_short"], "raised"), (s["lowered"], w["lowered_short"], "lowered"),
                  (s["added"], w["added"], "added"), (s["removed"], w["removed"], "removed"),
                  (imp["situations_enumerated"], w["enumerated"], "impact"),
                  (imp["situations_changed"], w["changed_sit"], "impact")]
    if rp:
        stats += [(rp["actions"], w["actions"], "replay"), (rp["changed"], w["act_changed"], "replay")]
    b.append('<div class="stats">' + "".join(f'<a class="stat" href="#{a}"><b>{n}</b>{esc(t)}</a>' for n, t, a in stats)
             + "</div>")
    if d:
        _audit_matters(b, d, imp, catalogue, lang, w, new_path)
    # findings
    b.append(f"<h2 id=\"findings\">{esc(w['findings'])} ({len(report['findings'])})</h2>")
    if report["findings"]:
        b.append('<table><thead><tr>' + "".join(f"<th>{esc(x)}</th>" for x in (w["severity"], w["check"], w["place"], w["detail"]))
                 + "</tr></thead><tbody>")
        for f in report["findings"]:
            b.append(f'<tr><td><span class="badge b-{f["severity"]}">{esc(w[f["severity"]])}</span></td>'
                     f'<td title="{esc(f["message"][lang])}">{esc(f["check"])}</td><td class="id"><code>{esc(f["place"])}</code></td>'
                     f'<td>{esc(f["detail"][lang])}</td></tr>')
        b.append("</tbody></table>")
    if d:
        _audit_items(b, d, catalogue, lang, w)
        _audit_reporting(b, d, catalogue, lang, w)
        _audit_impact(b, imp, catalogue, lang, w, new_path)
    if rp:
        b.append(f"<h2 id=\"replay\">{esc(w['replay'])}</h2><p>{rp['actions']} {esc(w['actions'])} · {rp['changed']} "
                 f"{esc(w['act_changed'])} · {rp['errors']} {esc(w['bad_lines'])}</p>")
        if rp["changed_actions"]:
            b.append("<table><thead><tr><th>#</th><th>" + esc(w["case"]) + "</th><th>" + esc(w["matter"]) + "</th><th>" + esc(w["what"])
                     + "</th><th>" + esc(w["old"]) + "</th><th>" + esc(w["new"]) + "</th></tr></thead><tbody>")
            for c in rp["changed_actions"][:500]:
                b.append(f'<tr class="{esc(c["direction"]) if c["direction"] in ("up", "down") else ""}"><td class="num">{c["line"]}</td>'
                         f'<td>{esc(c["case"])}</td><td>{esc(matter_name(catalogue, c["matter"], lang))}</td>'
                         f'<td>{esc(change_words(c["direction"], c["changes"], c["old"], c["new"], lang))}</td>'
                         f'<td>{esc(_outcome(c["old"], catalogue, lang))}</td>'
                         f'<td>{esc(_outcome(c["new"], catalogue, lang))}</td></tr>')
            b.append("</tbody></table>")
    title = f"{w['title']} {L['id'] or ''}"
    return page(title, "\n".join(b), lang, CSS)


def _outcome(brief, catalogue, lang):
    return outcome_words(brief, catalogue, lang, "page")


def _situations(group, catalogue, lang, end: str = "") -> str:
    """A group's situations in words as HTML, one alternative a line where there is a choice (all
    situations where none is left to say), how many cubes are not given, and `end` after them."""
    more = (f" | … +{group['cubes_more']}" if group.get("cubes_more")
            else " | …" if group.get("cubes_more", 0) is None else "")  # … : too many to describe one by one
    lines = cubes_lines(group["cubes"], catalogue, lang) if group["cubes"] else []
    if any(line for factor in lines for line in factor):
        return situation_html(lines, more + end)
    return esc((more[3:] or EVERY_SITUATION[lang]) + end)


def _audit_matters(b, d, imp, catalogue, lang, w, new_path):
    """The matters whose decisions change, a section per direction (up, mixed, down, then those whose
    authority stays but whose coverage changes), each titled and counted as its tile; then the matters
    where only the duties to report or the route change; then the items raised and lowered."""
    sections = _sections(d)
    b.append(f"<h2>{esc(w['changed'])} ({sum(len(sections[k]) for k in SECTIONS if k != 'other')})</h2>")
    for section in ("up", "mixed", "down", "listed"):
        rows = sections[section]
        if section == "listed" and not rows:
            continue
        b.append(f'<h3 id="m-{section}">{esc(w[section + "_matters"])} ({len(rows)})</h3>')
        if not rows:
            continue
        b.append('<table class="mt"><colgroup><col style="width:17%"><col style="width:7%"><col style="width:7%">'
                 '<col style="width:12%"><col style="width:11%"><col style="width:6%"><col></colgroup><thead><tr>'
                 + "".join(f"<th>{esc(x)}</th>" for x in (w["matter"], w["direction"], w["coverage"],
                                                          f"{w['old']} → {w['new']}", w["items"], w["situations"], w["where"]))
                 + "</tr></thead><tbody>")
        for m in rows:
            groups = [g for g in m["groups"] if g["direction"] != "same"][:3] or m["groups"][:2]
            where = "".join("<li>" + _situations(g, catalogue, lang, f" ({g['count']}){w['colon']}")
                            + f"{esc(_outcome(g['old'], catalogue, lang))} → <b>{esc(_outcome(g['new'], catalogue, lang))}</b></li>"
                            for g in groups)
            items = esc(" ".join(m["old"]["items"]) or "—") + " → " + esc(" ".join(m["new"]["items"]) or "—")
            b.append(f'<tr class="{m["direction"]}"><td><b>{esc(matter_name(catalogue, m["matter"], lang))}</b><br>'
                     f'<code>{esc(m["matter"])}</code></td>'
                     f'<td><span class="badge b-{m["direction"]}">{esc(w[m["direction"]])}</span></td>'
                     f'<td><span class="badge b-{m["coverage"]}">{esc(w["c_" + m["coverage"]])}</span></td>'
                     f'<td>{esc(sided_names(catalogue, m["old"], lang, w))} → {esc(sided_names(catalogue, m["new"], lang, w))}</td>'
                     f'<td class="small">{items}</td><td class="num">{m["situations_changed"]}/{m["situations"]}</td>'
                     f'<td><ul class="tight">{where}</ul></td></tr>')
        b.append("</tbody></table>")
    others = sections["other"]
    if others:
        b.append(f"<h3 id=\"m-other\">{esc(w['other_matters'])} ({len(others)})</h3><p class='small'>"
                 + NAMES_SEP[lang].join(f"{esc(matter_name(catalogue, m['matter'], lang))} <code>{esc(m['matter'])}</code>"
                            f"{w['open']}{esc(_changes(m, lang))}{w['close']}" for m in others)
                 + "</p>")
    for key, cls in (("raised", "up"), ("lowered", "down")):
        pairs = d[key]
        b.append(f'<h2 id="{key}">{esc(w[key])} ({len(pairs)})</h2>')
        if not pairs:
            continue
        b.append("<table><thead><tr>" + "".join(f"<th>{esc(x)}</th>" for x in (w["matter"], w["old"], w["new"], w["place"]))
                 + "</tr></thead><tbody>")
        for p in pairs:
            o, n = p["old"], p["new"]
            b.append(f'<tr class="{cls}"><td>{esc(matter_name(catalogue, n["matter"], lang))} <code>{esc(n["matter"])}</code></td>'
                     f'<td class="id">{esc(o["id"])} · {esc(who(catalogue, o["authority"], lang))}</td>'
                     f'<td class="id">{esc(n["id"])} · <b>{esc(who(catalogue, n["authority"], lang))}</b></td>'
                     f'<td><code>{esc(n["source"])}</code></td></tr>')
        b.append("</tbody></table>")


def _sections(d) -> dict:
    """The diff's matters by the section of the page they stand in (`diff.matter_section`): each
    tile counts one section's rows."""
    out: dict = {k: [] for k in SECTIONS}
    for m in d["matters"]:
        section = matter_section(m)
        if section is not None:
            out[section].append(m)
    return out


def _changes(m, lang):
    """What changes in a matter's decisions whose authority stays, in words (reporting, route, ...)."""
    return CHANGE[lang]["sep"].join(dict.fromkeys(
        change_words(g["direction"], g["changes"], g["old"], g["new"], lang) for g in m["groups"]))


def _audit_items(b, d, catalogue, lang, w):
    for key, title in (("added", w["added"]), ("removed", w["removed"])):
        rows = d["items"][key]
        b.append(f'<h2 id="{key}">{esc(title)} ({len(rows)})</h2>')
        if not rows:
            continue
        b.append("<table><thead><tr>"
                 + "".join(f"<th>{esc(x)}</th>" for x in (w["items"], w["part"], w["matter"], w["new"] if key == "added" else w["old"], w["place"]))
                 + "</tr></thead><tbody>")
        for i in rows:
            b.append(f'<tr><td class="id">{esc(i["id"])}</td><td>{esc(part_name(i["part"], lang))}</td>'
                     f'<td>{esc(matter_name(catalogue, i["matter"], lang))}</td><td>{esc(who(catalogue, i["authority"], lang))}</td>'
                     f'<td><code>{esc(i["source"])}</code></td></tr>')
        b.append("</tbody></table>")
    ch = d["items"]["changed"]
    if ch:
        b.append(f"<details><summary><b>{esc(w['reworded'])} ({len(ch)})</b></summary><table><thead><tr>"
                 + "".join(f"<th>{esc(x)}</th>" for x in (w["items"], w["matter"], w["what"], w["place"])) + "</tr></thead><tbody>")
        for c in ch:
            ident = c["old"]["id"] if c["old"]["id"] == c["new"]["id"] else f'{c["old"]["id"]} → {c["new"]["id"]}'
            what = ", ".join(c["changes"]) + (f' ({part_name(c["moved"][0], lang)} → {part_name(c["moved"][1], lang)})' if c["moved"] else "")
            b.append(f'<tr><td class="id">{esc(ident)}</td><td>{esc(matter_name(catalogue, c["new"]["matter"], lang))}</td>'
                     f'<td>{esc(what)}</td><td><code>{esc(c["new"]["source"])}</code></td></tr>')
        b.append("</tbody></table></details>")
    b.append(f"<h2>{esc(w['counts'])}</h2><table><thead><tr><th></th><th></th><th>{esc(d['old']['id'])}</th>"
             f"<th>{esc(d['new']['id'])}</th></tr></thead><tbody>")
    for dim in ("part", "line", "function"):
        for k, v in d["counts"][dim].items():
            name = part_name(k, lang) if dim == "part" else line_name(catalogue, k, lang) if dim == "line" else function_name(k, lang)
            cls = ' class="up"' if v["new"] != v["old"] else ""
            b.append(f'<tr{cls}><td>{esc(w[dim])}</td><td>{esc(name)}</td><td class="num">{v["old"]}</td><td class="num">{v["new"]}</td></tr>')
    t = d["counts"]["total"]
    b.append(f'<tr><td><b>{esc(w["total"])}</b></td><td></td><td class="num"><b>{t["old"]}</b></td><td class="num"><b>{t["new"]}</b></td></tr>')
    b.append("</tbody></table>")


def _audit_reporting(b, d, catalogue, lang, w):
    """The reporting rules added, removed and changed, with their scope (a change of scope, old → new)."""
    r = d["reporting"]

    def scope(rule):
        return scope_words(rule["matters"], rule["lines"], catalogue, lang)

    rows = [(x, w["reporting_added"], scope(x)) for x in r["added"]]
    rows += [(x, w["reporting_removed"], scope(x)) for x in r["removed"]]
    rows += [(c["new"], ", ".join(c["changes"]),
              w["scope_change"].format(old=scope(c["old"]), new=scope(c["new"])) if "scope" in c["changes"]
              else scope(c["new"])) for c in r["changed"]]
    if not rows:
        return
    b.append(f"<h2>{esc(w['reporting'])} ({len(rows)})</h2><table><thead><tr>"
             + "".join(f"<th>{esc(x)}</th>" for x in (w["items"], w["what"], w["scope"], w["place"]))
             + "</tr></thead><tbody>")
    for rule, what, where in rows:
        b.append(f'<tr><td class="id">{esc(rule["id"])}</td><td>{esc(what)}</td><td>{esc(where)}</td>'
                 f'<td><code>{esc(rule["source"])}</code></td></tr>')
    b.append("</tbody></table>")


def _audit_impact(b, imp, catalogue, lang, w, new_path):
    b.append(f"<h2 id=\"impact\">{esc(w['impact'])}</h2>")
    b.append(f"<p>{imp['situations_enumerated']} {esc(w['enumerated'])} · {imp['matters_examined']} "
             f"{w['matters_examined']} · {imp['situations_changed']} {esc(w['changed_sit'])}"
             + (f" · {esc(w['bounded'])}: {esc(', '.join(imp['bounded']))}" if imp["bounded"] else "") + "</p>")
    for m in imp["matters"]:
        b.append(f'<details><summary><b>{esc(matter_name(catalogue, m["matter"], lang))}</b> <code>{esc(m["matter"])}</code> '
                 f'<span class="badge b-{m["direction"]}">{esc(w[m["direction"]])}</span> '
                 f'{m["situations_changed"]}/{m["situations"]}</summary><table><thead><tr><th>{esc(w["where"])}</th>'
                 f'<th>#</th><th>{esc(w["decide"])}</th></tr></thead><tbody>')
        for g in m["groups"]:
            ex = {"matter": m["matter"], "actor": "prosecutor", "facts": g["example"]}
            b.append(f'<tr class="{g["direction"] if g["direction"] in ("up", "down") else ""}">'
                     f'<td>{_situations(g, catalogue, lang, w["colon"])}{esc(_outcome(g["old"], catalogue, lang))} → '
                     f'<b>{esc(_outcome(g["new"], catalogue, lang))}</b></td><td class="num">{g["count"]}</td>'
                     f'<td><code>{esc(command_words(ex, new_path, catalogue, lang))}</code></td></tr>')
        b.append("</tbody></table></details>")
