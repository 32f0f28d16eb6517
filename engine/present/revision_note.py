"""The explanatory note of a revision (修订说明, `quanze audit NEW --revision-note`), in Markdown or as
a page: what the revision changes overall, then matter by matter — whom the decisions require before
and after, in which situations they change (in words), and the reason the items' `note` gives — then
the reporting rules changed, the items only reworded, and the publication review's verdict.

A pure renderer over the audit's JSON (`Audit.to_json`): it decides nothing and reads no file. The
note is built once as a short list of blocks in plain text and written out as Markdown (each text
escaped as one literal run) or HTML (each text escaped for the page).
"""
from __future__ import annotations

from typing import NamedTuple

from ..diff import SECTIONS, matter_section
from ..model import Catalogue
from .escape import md
from .page import esc, page, situation_html
from .words import EVERY_SITUATION, NOTE, change_words, cubes_lines, matter_name, outcome_words, sided_names, who

# a matter's entry: its heading, then label and value side by side
CSS = """.entry{margin:8px 0 14px;padding:6px 12px;border-left:3px solid var(--line)}.entry h4{margin:0 0 4px;font-size:15px}
dl.note{margin:0;display:grid;grid-template-columns:11em 1fr;gap:2px 10px}
dl.note dt{font-weight:600;color:var(--mute);font-size:12px;padding-top:2px}dl.note dd{margin:0}dl.note ul.tight{margin:0}
"""
GROUPS_SHOWN = 5   # most groups of changed situations told per matter (the rest counted)
NUMERALS = "一二三四五六七八九十"


class Group(NamedTuple):
    """One group of situations that change alike: where, the outcome before and after (the one shown
    strong), and what changed with how many situations."""

    where: str
    old: str
    new: str
    tail: str
    lines: tuple = ()  # the situations of `where` laid out one alternative a line (`words.cubes_lines`), for the page

    def __str__(self) -> str:
        return f"{self.where}{self.old} → {self.new}{self.tail}"


def _numeral(i: int, lang: str) -> str:
    """The i-th heading number (0-based): 一、二、 … in Chinese, 1. 2. … in English."""
    return f"{NUMERALS[i]}、" if lang == "zh" and i < len(NUMERALS) else f"{i + 1}. "


def _sub_numeral(i: int, lang: str) -> str:
    return f"（{NUMERALS[i]}）" if lang == "zh" and i < len(NUMERALS) else f"({chr(ord('a') + i)}) "


def note_blocks(report: dict, catalogue: Catalogue, lang: str = "zh") -> list:
    """The note as blocks `(kind, ...)` of plain text: ("title", t), ("meta", t), ("h2", t), ("h3", t),
    ("p", t), ("matter", heading, [(label, text or [texts])])."""
    w = NOTE[lang]
    d = report["diff"]
    old, new = d["old"], d["new"]

    def title(side):
        return (side["title"] or {}).get(lang) or (side["title"] or {}).get("zh") or side["id"]

    blocks: list = [("title", w["title"].format(title=title(new)))]
    issuer = (new["issuer"] or {}).get(lang) or (new["issuer"] or {}).get("zh") or ""
    blocks.append(("meta", w["meta"].format(issuer=issuer, id=new["id"], day=new["effective_from"] or "—",
                                            old=old["id"], old_title=title(old))))
    s = d["summary"]
    dirs = s["directions"]
    changed = [m for m in d["matters"] if matter_section(m) is not None]
    sections = [(key, [m for m in changed if matter_section(m) == key]) for key in SECTIONS]
    blocks.append(("h2", _numeral(0, lang) + w["overview"]))
    blocks.append(("p", w["overview_text"].format(
        added=s["added"], removed=s["removed"], substance=s["changed_in_substance"], reworded=s["reworded"],
        moved=s["moved"], up=dirs.get("up", 0), down=dirs.get("down", 0), mixed=dirs.get("mixed", 0),
        listed=len(sections[3][1]), other=len(sections[4][1]),
        situations=report["impact"]["situations_changed"], enumerated=report["impact"]["situations_enumerated"])))
    blocks.append(("p", (w["fit"] if report["verdict"] == "fit" else w["blocked"]).format(
        errors=len(report["blocking"]), warnings=sum(f["severity"] != "error" for f in report["findings"]))))

    blocks.append(("h2", _numeral(1, lang) + w["matters"]))
    if not changed:
        blocks.append(("p", w["none"]))
    shown = [(key, rows) for key, rows in sections if rows]
    for k, (key, rows) in enumerate(shown):
        blocks.append(("h3", f"{_sub_numeral(k, lang)}{w['section_' + key]}（{len(rows)}）" if lang == "zh"
                       else f"{_sub_numeral(k, lang)}{w['section_' + key]} ({len(rows)})"))
        for n, m in enumerate(rows, 1):
            blocks.append(_matter(n, m, catalogue, lang, w, bool(d["reporting"]["added"] or d["reporting"]["removed"]
                                                                  or d["reporting"]["changed"])))

    part = 2
    rep = d["reporting"]
    if rep["added"] or rep["removed"] or rep["changed"]:
        blocks.append(("h2", _numeral(part, lang) + w["reporting"]))
        part += 1

        def names(auths):
            return w["and"].join(who(catalogue, a, lang) for a in auths or ()) or "—"

        def rule_line(rule, what):
            title = (rule["title"] or {}).get(lang) or (rule["title"] or {}).get("zh") or ""
            return ("p", f"{rule['id']}{w['colon'] if title else ''}{title}{w['sep']}{what}")

        for r in rep["added"]:
            blocks.append(rule_line(r, w["rule_added"].format(new=names(r["report_to"]))))
        for r in rep["removed"]:
            blocks.append(rule_line(r, w["rule_removed"].format(old=names(r["report_to"]))))
        for c in rep["changed"]:
            what = w["rule_changed"].format(changes=w["and"].join(w.get("r_" + x, x) for x in c["changes"]))
            if "report_to" in c["changes"]:
                what += w["open"] + w["rule_to"].format(old=names(c["old"]["report_to"]),
                                                        new=names(c["new"]["report_to"])) + w["close"]
            blocks.append(rule_line(c["new"], what))
    reworded = [c for c in d["items"]["changed"] if not c["moved"] and not
                {"matter", "authority", "condition", "report_to", "delegable_to"} & set(c["changes"])]
    if reworded or d["items"]["removed"]:
        blocks.append(("h2", _numeral(part, lang) + w["other"]))
        if reworded:
            blocks.append(("p", w["reworded"].format(n=len(reworded)) + w["and"].join(
                f"{c['new']['id']}{w['open']}{w['and'].join(w['field_' + x] for x in c['changes'])}{w['close']}"
                for c in reworded)))
        if d["items"]["removed"]:
            blocks.append(("p", w["removed"].format(n=len(d["items"]["removed"])) + w["and"].join(
                f"{i['id']}{w['open']}{matter_name(catalogue, i['matter'], lang)}{w['close']}"
                for i in d["items"]["removed"])))
    return blocks


def _matter(n: int, m: dict, catalogue: Catalogue, lang: str, w: dict, reporting_changed: bool) -> tuple:
    """One changed matter: its authorities before and after, the situations that change, the reason."""
    lines: list = []
    said = w[m["direction"]] if m["direction"] in ("up", "down", "mixed") else w["same"]
    if m["coverage"] != "kept":
        said += w["sep"] + w["c_" + m["coverage"]]
    lines.append((w["authority"], f"{sided_names(catalogue, m['old'], lang, w)} → "
                                  f"{sided_names(catalogue, m['new'], lang, w)}{w['open']}{said}{w['close']}"))
    lines.append((w["items"], f"{' '.join(m['old']['items']) or '—'} → {' '.join(m['new']['items']) or '—'}"))
    if m["bounded"]:
        lines.append((w["situations"], w["bounded"]))
    elif m["situations_changed"]:
        told = []
        for g in m["groups"][:GROUPS_SHOWN]:
            more = g["cubes_more"] or 0
            layout = cubes_lines(g["cubes"], catalogue, lang) if g["cubes_more"] is not None else []
            where = (("".join("".join(f) for f in layout) or EVERY_SITUATION[lang])
                     + (w["more_cubes"].format(n=more) if more else "")) if g["cubes_more"] is not None else w["undescribed"]
            kind = change_words(g["direction"], g["changes"], g["old"], g["new"], lang)
            told.append(Group(where + w["colon"], outcome_words(g["old"], catalogue, lang, "page"),
                              outcome_words(g["new"], catalogue, lang, "page"),
                              w["group"].format(kind=kind, count=g["count"]), tuple(map(tuple, layout))))
        if len(m["groups"]) > GROUPS_SHOWN:
            told.append(w["more_groups"].format(n=len(m["groups"]) - GROUPS_SHOWN))
        lines.append((w["situations"].format(changed=m["situations_changed"], total=m["situations"]), told))
    reasons = [f"{x['note'].get(lang) or x['note']['zh']}{w['open']}{x['id']}{w['close']}" for x in m["notes"]]
    if not reasons and reporting_changed and m["groups"] and all(g["changes"] == ["reporting"] for g in m["groups"]):
        reasons = [w["see_reporting"]]  # only the duties to report change: the reporting rules say why
    lines.append((w["reason"], reasons if len(reasons) > 1 else reasons[0] if reasons else w["no_reason"]))
    name = f"{matter_name(catalogue, m['matter'], lang)}{w['open']}{m['matter']}{w['close']}"
    return ("matter", f"{n}. {name}", lines)


def revision_note_markdown(report: dict, catalogue: Catalogue, lang: str = "zh") -> str:
    out: list = []
    for block in note_blocks(report, catalogue, lang):
        kind = block[0]
        if kind == "title":
            out += [f"# {md(block[1])}", ""]
        elif kind == "meta":
            out += [md(block[1]), ""]
        elif kind == "h2":
            out += [f"## {md(block[1])}", ""]
        elif kind == "h3":
            out += [f"### {md(block[1])}", ""]
        elif kind == "p":
            out += [md(block[1]), ""]
        else:
            out.append(f"**{md(block[1])}**")
            out.append("")
            for label, value in block[2]:
                if isinstance(value, list):
                    out.append(f"- {md(label)}：" if lang == "zh" else f"- {md(label)}:")
                    out += [f"  - {_md_line(v)}" for v in value]
                else:
                    out.append(f"- {md(label)}{'：' if lang == 'zh' else ': '}{md(value)}")
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _md_line(v) -> str:
    if isinstance(v, Group):
        return f"{md(v.where)}{md(v.old)} → **{md(v.new)}**{md(v.tail)}"
    return md(v)


def _html_line(v) -> str:
    if isinstance(v, Group):
        said = "".join("".join(f) for f in v.lines)
        where = situation_html(v.lines, v.where[len(said):]) if said else esc(v.where)
        return f"{where}{esc(v.old)} → <b>{esc(v.new)}</b>{esc(v.tail)}"
    return esc(v)


def revision_note_html(report: dict, catalogue: Catalogue, lang: str = "zh") -> str:
    body: list = []
    title = ""
    for block in note_blocks(report, catalogue, lang):
        kind = block[0]
        if kind == "title":
            title = block[1]
            body.append(f"<h1>{esc(block[1])}</h1>")
        elif kind == "meta":
            body.append(f'<div class="meta">{esc(block[1])}</div>')
        elif kind in ("h2", "h3"):
            body.append(f"<{kind}>{esc(block[1])}</{kind}>")
        elif kind == "p":
            body.append(f"<p>{esc(block[1])}</p>")
        else:
            body.append(f'<div class="entry"><h4>{esc(block[1])}</h4><dl class="note">')
            for label, value in block[2]:
                if isinstance(value, list):
                    body.append(f"<dt>{esc(label)}</dt><dd><ul class=\"tight\">"
                                + "".join(f"<li>{_html_line(v)}</li>" for v in value) + "</ul></dd>")
                else:
                    body.append(f"<dt>{esc(label)}</dt><dd>{esc(value)}</dd>")
            body.append("</dl></div>")
    return page(title, "\n".join(body), lang, CSS)
