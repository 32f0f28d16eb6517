"""The list as the text that gets published (`quanze show`): per part and business line, its items
with who decides, when (the condition in plain words, from the facts' `label` and `value_labels`),
whom to report to, the responsibility and the basis; then the duties to report and the fallback.
Text, Markdown, or a self-contained HTML page."""
from __future__ import annotations

from ..model import FALLBACK, PARTS, Catalogue, DoubleList
from . import escape
from .page import esc, page
from .words import (LIST, NAMES_SEP, condition_words, level_name, line_name, matter_name, part_title, scope_words, text,
                    when_words, who)

# the columns of a deciding part's table, and of the office's (which decides nothing)
COLUMNS = ("id", "matter", "decides", "when", "report", "responsibility", "basis")
OFFICE_COLUMNS = ("id", "matter", "duties", "basis")


def list_rows(lst: DoubleList, catalogue: Catalogue, lang: str) -> list:
    """(part, [(line code, line name, [row dict])]) in part order, lines in catalogue order."""
    w = LIST[lang]
    names = NAMES_SEP[lang].join
    out = []
    line_order = {code: i for i, code in enumerate(catalogue.lines)}
    for part in sorted(lst.parts, key=lambda p: PARTS.index(p.name) if p.name in PARTS else 99):
        groups: dict = {}
        for item in part.items:
            m = catalogue.matters.get(item.matter)
            line = m.line if m else ""
            decides = who(catalogue, item.authority, lang)
            if item.delegable_to:
                decides += w["delegable"].format(names(who(catalogue, a, lang) for a in item.delegable_to))
            groups.setdefault(line, []).append({
                "id": item.id, "matter": matter_name(catalogue, item.matter, lang),
                "title": text(item.title, lang), "decides": decides,
                "when": when_words(item.when, catalogue, lang),
                "report": names(who(catalogue, a, lang) for a in item.report_to),
                "responsibility": text(item.responsibility, lang) if item.part != "office" else text(item.duties, lang),
                "basis": list(item.basis), "source": str(item.source), "note": text(item.note, lang)})
        lines = [(code, line_name(catalogue, code, lang), rows)
                 for code, rows in sorted(groups.items(), key=lambda kv: line_order.get(kv[0], 999))]
        out.append((part.name, lines))
    return out


def _reporting_text(r, catalogue: Catalogue, lang: str) -> str:
    w = LIST[lang]
    names = NAMES_SEP[lang].join
    return w["reporting_rule"].format(
        title=text(r.title, lang) or r.id, applies=names(who(catalogue, a, lang) for a in r.applies_to),
        scope=w["reporting_scope"].format(scope_words(r.matters, r.lines, catalogue, lang)) if r.scoped else "",
        when=condition_words(r.when, catalogue, lang), to=names(who(catalogue, a, lang) for a in r.report_to),
        basis=w["reporting_basis_sep"].join(r.basis))


def render_list(lst: DoubleList, catalogue: Catalogue, lang: str = "zh", fmt: str = "markdown") -> str:
    if fmt == "html":
        return _list_html(lst, catalogue, lang)
    w = LIST[lang]
    md = fmt == "markdown"
    e = escape.md if md else str  # a list's texts stay literal text in Markdown
    out = []
    out.append(f"# {e(text(lst.title, lang))}" if md else text(lst.title, lang))
    meta = w["in_force"].format(issuer=text(lst.issuer, lang), start=lst.effective_from)
    if lst.effective_to:
        meta += w["until"].format(lst.effective_to)
    if lst.supersedes:
        meta += w["supersedes"].format(lst.supersedes)
    if lst.conforms_to:
        meta += w["conforms"].format(level=level_name(lst.level, lang), upper=lst.conforms_to)
    out += ["", e(meta + w["list_id"].format(lst.id))]
    if lst.description:
        out += ["", e(text(lst.description, lang))]
    for part, lines in list_rows(lst, catalogue, lang):
        title = part_title(part, lang)
        out += ["", f"## {e(title)}" if md else f"{title}\n{'=' * 40}"]
        for _, name, rows in lines:
            out += ["", f"### {e(name)}" if md else w["line"].format(name)]
            if md:
                cols = OFFICE_COLUMNS if part == "office" else COLUMNS
                out.append("| " + " | ".join(w[c] for c in cols) + " |\n|" + "---|" * len(cols))
                for r in rows:
                    matter = r["title"] or r["matter"]
                    basis = "<br>".join(e(b) for b in r["basis"])
                    cells = ([e(r["id"]), e(matter), e(r["responsibility"]), basis] if part == "office" else
                             [e(r["id"]), e(matter), e(r["decides"]), e(r["when"]), e(r["report"]),
                              e(r["responsibility"]), basis])
                    out.append("| " + " | ".join(cells) + " |")
            else:
                for r in rows:
                    out.append(f"{r['id']}  {r['title'] or r['matter']}")
                    if part != "office":
                        out.append(f"    {w['decides']}{w['colon']}{r['decides']}{w['field_sep']}"
                                   f"{w['when']}{w['colon']}{r['when']}")
                        if r["report"]:
                            out.append(f"    {w['report']}{w['colon']}{r['report']}")
                    if r["responsibility"]:
                        label = w["duties"] if part == "office" else w["responsibility"]
                        out.append(f"    {label}{w['colon']}{r['responsibility']}")
                    out.append(f"    {w['basis']}{w['colon']}{w['field_sep'].join(r['basis'])}")
    if lst.reporting:
        out += ["", ("## " if md else "") + w["reporting"]]
        for r in lst.reporting:
            out.append(("- " if md else "  ") + e(_reporting_text(r, catalogue, lang)))
    out += ["", w["fallback"].format(who(catalogue, FALLBACK, lang))]
    return "\n".join(out) + "\n"


def _list_html(lst: DoubleList, catalogue: Catalogue, lang: str) -> str:
    w = LIST[lang]
    b = [f"<h1>{esc(text(lst.title, lang))}</h1>",
         f'<div class="meta">{esc(text(lst.issuer, lang))} · {esc(lst.effective_from)}'
         f'{" – " + esc(lst.effective_to) if lst.effective_to else ""}'
         f'{esc(w["conforms"].format(level=level_name(lst.level, lang), upper=lst.conforms_to)) if lst.conforms_to else ""}'
         f' · <code>{esc(lst.id)}</code></div>']
    if lst.description:
        b.append(f"<p>{esc(text(lst.description, lang))}</p>")
    for part, lines in list_rows(lst, catalogue, lang):
        b.append(f"<h2>{esc(part_title(part, lang))}</h2>")
        for _, name, rows in lines:
            b.append(f"<h3>{esc(name)}</h3><table><thead><tr>")
            cols = OFFICE_COLUMNS if part == "office" else COLUMNS
            b.append("".join(f"<th>{esc(w[c])}</th>" for c in cols) + "</tr></thead><tbody>")
            for r in rows:
                matter = esc(r["title"] or r["matter"])
                basis = "<br>".join(esc(x) for x in r["basis"])
                if part == "office":
                    cells = [f'<td class="id">{esc(r["id"])}</td>', f"<td>{matter}</td>",
                             f"<td>{esc(r['responsibility'])}</td>", f"<td>{basis}</td>"]
                else:
                    cells = [f'<td class="id">{esc(r["id"])}</td>', f"<td>{matter}</td>", f"<td>{esc(r['decides'])}</td>",
                             f"<td>{esc(r['when'])}</td>", f"<td>{esc(r['report'])}</td>",
                             f"<td>{esc(r['responsibility'])}</td>", f"<td>{basis}</td>"]
                b.append("<tr>" + "".join(cells) + "</tr>")
            b.append("</tbody></table>")
    if lst.reporting:
        b.append(f"<h2>{esc(w['reporting'])}</h2><ul>")
        for r in lst.reporting:
            to = NAMES_SEP[lang].join(who(catalogue, a, lang) for a in r.report_to)
            scope = w["reporting_scope"].format(scope_words(r.matters, r.lines, catalogue, lang)) if r.scoped else ""
            b.append(f"<li><b>{esc(text(r.title, lang) or r.id)}</b>{esc(scope)}{w['colon']}{esc(condition_words(r.when, catalogue, lang))} → "
                     f"{esc(to)} <span class='small'>{esc(w['field_sep'].join(r.basis))}</span></li>")
        b.append("</ul>")
    b.append(f"<p class='small'>{esc(w['fallback'].format(who(catalogue, FALLBACK, lang)))}</p>")
    return page(text(lst.title, lang), "\n".join(b), lang)
