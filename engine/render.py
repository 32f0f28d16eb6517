"""Documents: a list as the text that gets published (`quanze show`), and the audit as a page a
reviewer opens (`quanze audit --format html`). Conditions are put in plain words from the facts'
`label` and `value_labels` (rules/facts.yaml), in Chinese or English. HTML is self-contained: inline
CSS, no script, no external resource, readable printed.
"""
from __future__ import annotations

import html

from .model import FALLBACK, PARTS, All, Any, Catalogue, DoubleList, Leaf, Not
from .operators import OPERATORS, negated

# --- conditions in words ---------------------------------------------------------------------------


def _label(catalogue: Catalogue, code: str, lang: str) -> str:
    f = catalogue.facts.get(code)
    if f is None:
        return code
    if f.label is not None:
        return f.label.get(lang)
    q = f.question.get(lang)
    return q.rstrip("？?")


def _value(catalogue: Catalogue, code: str, value, lang: str) -> str:
    f = catalogue.facts.get(code)
    if f is not None and f.value_labels.get(value) is not None:
        return f.value_labels[value].get(lang)
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    return str(value)


ZH_NUM = "零一二三四五六七八九十"


def _num(v, lang):
    if lang == "zh" and isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 10:
        return ZH_NUM[v]
    return str(v)


def leaf_words(leaf: Leaf, catalogue: Catalogue, lang: str, negate: bool = False) -> str:
    """A leaf in words: the operator's template (`operators.OPERATORS`) for the fact's kind of value."""
    f = catalogue.facts.get(leaf.fact)
    label = _label(catalogue, leaf.fact, lang)
    op, v = negated(leaf.op, leaf.value) if negate else (leaf.op, leaf.value)
    operator = OPERATORS[op]
    lang = "zh" if lang == "zh" else "en"
    words = operator.words[lang]
    kind = f.type if f is not None else None
    if operator.presence:
        return words["presence"][bool(v)].format(label=label)
    if kind == "boolean" and "truth" in words:
        return words["truth"][bool(v)].format(label=label)
    if isinstance(v, tuple):
        vals = [_value(catalogue, leaf.fact, x, lang) for x in v]
        return words["list"][len(vals) > 1].format(label=label, value=operator.joiner[lang].join(vals))
    if kind in ("integer", "date"):
        n = _num(v, lang) if kind == "integer" else _value(catalogue, leaf.fact, v, lang)
        if kind == "integer" and "count" in words and "次数" in label:
            return words["count"].format(label=label, stem=label.replace("的次数", "").replace("次数", ""), value=n)
        return words[kind].format(label=label, value=n)
    return words["plain"].format(label=label, value=_value(catalogue, leaf.fact, v, lang))


def condition_words(cond, catalogue: Catalogue, lang: str = "zh", negate: bool = False, top: bool = True) -> str:
    """A condition in plain words: `{fact: case_is_major_difficult_complex, is: true}` → 案件重大、疑难、复杂."""
    if cond is None:
        return ""
    zh = lang == "zh"
    if isinstance(cond, Leaf):
        return leaf_words(cond, catalogue, lang, negate)
    if isinstance(cond, Not):
        return condition_words(cond.term, catalogue, lang, not negate, top)
    terms = [condition_words(t, catalogue, lang, negate, False) for t in cond.terms]
    conj = isinstance(cond, All) != negate  # De Morgan under negation
    if len(terms) == 1:
        return terms[0]
    if zh:
        text = ("，且" if conj else "，或者").join(terms)
        return text if top else f"（{text}）"
    text = (" and " if conj else ", or ").join(terms)
    return text if top else f"({text})"


def when_words(cond, catalogue: Catalogue, lang: str) -> str:
    """An item's condition as a clause: zh `……的`, en `where ……`; unconditional → 一律 / always."""
    if cond is None:
        return "一律" if lang == "zh" else "in every case"
    text = condition_words(cond, catalogue, lang)
    return f"{text}的" if lang == "zh" else f"where {text}"


def situation_words(situation: dict, catalogue: Catalogue, lang: str) -> str:
    """A situation (fact → value) in plain words."""
    parts = []
    for code, v in situation.items():
        f = catalogue.facts.get(code)
        if f is not None and f.type == "boolean":
            parts.append(leaf_words(Leaf(code, "is", bool(v)), catalogue, lang))
        else:
            parts.append(leaf_words(Leaf(code, "eq", v), catalogue, lang))
    return ("，" if lang == "zh" else "; ").join(parts)


# --- names -----------------------------------------------------------------------------------------

PART_TITLES = {
    "prosecutor": ("检察官权责清单", "Prosecutors' powers and responsibilities"),
    "procurator_general": ("检察长权责清单", "The procurator-general's powers and responsibilities"),
    "committee": ("检察委员会权责清单", "The procuratorial committee's powers and responsibilities"),
    "office": ("检察委员会办事机构职责", "Duties of the committee's office"),
}
HEAD = {
    "zh": ("编号", "事项", "决定主体", "情形", "报告义务", "责任", "依据", "职责"),
    "en": ("No.", "Matter", "Decided by", "When", "Report to", "Responsibility", "Basis", "Duties"),
}


def who(catalogue: Catalogue, code, lang: str) -> str:
    if code is None:
        return ""
    t = catalogue.authority_names.get(code)
    return t.get(lang) if t else str(code)


def _t(text, lang):
    return text.get(lang) if text is not None else ""


def list_rows(lst: DoubleList, catalogue: Catalogue, lang: str) -> list:
    """(part, [(line code, line name, [row dict])]) in part order, lines in catalogue order."""
    out = []
    line_order = {code: i for i, code in enumerate(catalogue.lines)}
    for part in sorted(lst.parts, key=lambda p: PARTS.index(p.name) if p.name in PARTS else 99):
        groups: dict = {}
        for item in part.items:
            m = catalogue.matters.get(item.matter)
            line = m.line if m else ""
            decides = who(catalogue, item.authority, lang)
            if item.delegable_to:
                decides += ("（可授权" if lang == "zh" else " (may delegate to ") + "、".join(
                    who(catalogue, a, lang) for a in item.delegable_to) + ("）" if lang == "zh" else ")")
            groups.setdefault(line, []).append({
                "id": item.id, "matter": (m.name.get(lang) if m else item.matter),
                "title": _t(item.title, lang), "decides": decides,
                "when": when_words(item.when, catalogue, lang),
                "report": "、".join(who(catalogue, a, lang) for a in item.report_to),
                "responsibility": _t(item.responsibility, lang) if item.part != "office" else _t(item.duties, lang),
                "basis": list(item.basis), "source": item.source, "note": item.note})
        lines = [(code, catalogue.lines[code].name.get(lang) if code in catalogue.lines else code, rows)
                 for code, rows in sorted(groups.items(), key=lambda kv: line_order.get(kv[0], 999))]
        out.append((part.name, lines))
    return out


def render_list(lst: DoubleList, catalogue: Catalogue, lang: str = "zh", fmt: str = "markdown") -> str:
    if fmt == "html":
        return _list_html(lst, catalogue, lang)
    zh = lang == "zh"
    md = fmt == "markdown"
    out = []
    out.append(f"# {_t(lst.title, lang)}" if md else _t(lst.title, lang))
    meta = (f"{_t(lst.issuer, lang)}　{lst.effective_from} 起施行" if zh else
            f"{_t(lst.issuer, lang)} — in force from {lst.effective_from}")
    if lst.effective_to:
        meta += f"，至 {lst.effective_to}" if zh else f" to {lst.effective_to}"
    if lst.supersedes:
        meta += f"（取代 {lst.supersedes}）" if zh else f" (supersedes {lst.supersedes})"
    out += ["", meta + f"　[{lst.id}]"]
    if lst.description:
        out += ["", _t(lst.description, lang)]
    num = 0
    head = HEAD[lang]
    for part, lines in list_rows(lst, catalogue, lang):
        num += 1
        title = PART_TITLES[part][0 if zh else 1]
        out += ["", f"## {title}" if md else f"{title}\n{'=' * 40}"]
        for _, line_name, rows in lines:
            out += ["", f"### {line_name}" if md else f"【{line_name}】" if zh else f"[{line_name}]"]
            if md:
                if part == "office":
                    out.append(f"| {head[0]} | {head[1]} | {head[7]} | {head[6]} |\n|---|---|---|---|")
                else:
                    out.append("| " + " | ".join(head[:7]) + " |\n|" + "---|" * 7)
                for r in rows:
                    matter = r["title"] or r["matter"]
                    cells = ([r["id"], matter, r["responsibility"], "<br>".join(r["basis"])] if part == "office" else
                             [r["id"], matter, r["decides"], r["when"], r["report"], r["responsibility"],
                              "<br>".join(r["basis"])])
                    out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
            else:
                for r in rows:
                    out.append(f"{r['id']}  {r['title'] or r['matter']}")
                    if part != "office":
                        out.append(f"    {head[2]}：{r['decides']}；{head[3]}：{r['when']}" if zh else
                                   f"    {head[2]}: {r['decides']}; {head[3]}: {r['when']}")
                        if r["report"]:
                            out.append(f"    {head[4]}{'：' if zh else ': '}{r['report']}")
                    if r["responsibility"]:
                        out.append(f"    {head[7] if part == 'office' else head[5]}{'：' if zh else ': '}{r['responsibility']}")
                    out.append(f"    {head[6]}{'：' if zh else ': '}{'；'.join(r['basis'])}")
    if lst.reporting:
        out += ["", ("## " if md else "") + ("报告义务" if zh else "Duties to report")]
        for r in lst.reporting:
            applies = "、".join(who(catalogue, a, lang) for a in r.applies_to)
            to = "、".join(who(catalogue, a, lang) for a in r.report_to)
            text = (f"{_t(r.title, lang) or r.id}：{applies}决定的事项，{condition_words(r.when, catalogue, lang)}的，"
                    f"应当及时报告{to}。（{'；'.join(r.basis)}）" if zh else
                    f"{_t(r.title, lang) or r.id}: on matters the {applies} decides, where {condition_words(r.when, catalogue, lang)}, "
                    f"report promptly to the {to}. ({'; '.join(r.basis)})")
            out.append(("- " if md else "  ") + text)
    fallback = who(catalogue, FALLBACK, lang)
    out += ["", (f"本清单未列明的事项，由{fallback}决定（《人民检察院刑事诉讼规则》第四条）。" if zh else
                 f"Matters this list does not name are decided by the {fallback} (Criminal Procedure Rules art. 4).")]
    return "\n".join(out) + "\n"


CSS = """
:root{--ink:#1b1f24;--mute:#5b6470;--line:#d8dde3;--up:#b42318;--upbg:#fef3f2;--down:#175cd3;--downbg:#eff8ff;
--mix:#9a3412;--mixbg:#fff7ed;--ok:#067647;--okbg:#ecfdf3;--warnbg:#fffaeb;--warn:#b54708}
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;
color:var(--ink);margin:0 auto;max-width:1180px;padding:24px 32px;line-height:1.5;font-size:14px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:2px solid var(--ink);padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}
.meta{color:var(--mute);margin-bottom:12px}
table{border-collapse:collapse;width:100%;margin:6px 0 14px}
th,td{border:1px solid var(--line);padding:4px 6px;vertical-align:top;text-align:left}
th{background:#f2f4f7;font-weight:600}
td.id,td.num{white-space:nowrap}td.num{text-align:right}
table.mt td.small{font-size:11px;word-break:keep-all}table.mt code{word-break:break-all}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;color:var(--mute)}
.verdict{border-radius:8px;padding:14px 18px;margin:12px 0 18px;border:2px solid}
.verdict.fit{background:var(--okbg);border-color:var(--ok)}.verdict.blocked{background:var(--upbg);border-color:var(--up)}
.verdict .big{font-size:24px;font-weight:700}
.verdict.fit .big{color:var(--ok)}.verdict.blocked .big{color:var(--up)}
.stats{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}
.stat{border:1px solid var(--line);border-radius:6px;padding:6px 12px;min-width:120px}
.stat b{display:block;font-size:20px}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;white-space:nowrap}
.b-up{background:var(--upbg);color:var(--up);border:1px solid var(--up)}
.b-down{background:var(--downbg);color:var(--down);border:1px solid var(--down)}
.b-mixed{background:var(--mixbg);color:var(--mix);border:1px solid var(--mix)}
.b-unchanged{background:#f2f4f7;color:var(--mute);border:1px solid var(--line)}
.b-error{background:var(--upbg);color:var(--up);border:1px solid var(--up)}
.b-warning{background:var(--warnbg);color:var(--warn);border:1px solid var(--warn)}
.b-added{background:var(--okbg);color:var(--ok);border:1px solid var(--ok)}
.b-removed{background:#f2f4f7;color:var(--mute);border:1px solid var(--mute)}
tr.up td{background:var(--upbg)}tr.down td{background:var(--downbg)}tr.mixed td{background:var(--mixbg)}
tr.error td{background:var(--upbg)}
ul.tight{margin:4px 0;padding-left:20px}
.small{font-size:12px;color:var(--mute)}
details{margin:4px 0}summary{cursor:pointer}
@media print{body{max-width:none;padding:0;font-size:11px}h2{break-after:avoid}tr,.verdict{break-inside:avoid}
details{display:block}details>summary{display:none}details:not([open])>*{display:block}
a{color:inherit;text-decoration:none}.noprint{display:none}@page{size:A4;margin:14mm}}
"""


def esc(x) -> str:
    return html.escape("" if x is None else str(x), quote=True)


def page(title: str, body: str, lang: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{esc(title)}</title>'
            f"<style>{CSS}</style></head><body>\n{body}\n</body></html>\n")


def _list_html(lst: DoubleList, catalogue: Catalogue, lang: str) -> str:
    zh = lang == "zh"
    head = HEAD[lang]
    b = [f"<h1>{esc(_t(lst.title, lang))}</h1>",
         f'<div class="meta">{esc(_t(lst.issuer, lang))} · {esc(lst.effective_from)}'
         f'{" – " + esc(lst.effective_to) if lst.effective_to else ""} · <code>{esc(lst.id)}</code></div>']
    if lst.description:
        b.append(f"<p>{esc(_t(lst.description, lang))}</p>")
    for part, lines in list_rows(lst, catalogue, lang):
        b.append(f"<h2>{esc(PART_TITLES[part][0 if zh else 1])}</h2>")
        for _, line_name, rows in lines:
            b.append(f"<h3>{esc(line_name)}</h3><table><thead><tr>")
            cols = [head[0], head[1], head[7], head[6]] if part == "office" else list(head[:7])
            b.append("".join(f"<th>{esc(c)}</th>" for c in cols) + "</tr></thead><tbody>")
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
        b.append(f"<h2>{'报告义务' if zh else 'Duties to report'}</h2><ul>")
        for r in lst.reporting:
            to = "、".join(who(catalogue, a, lang) for a in r.report_to)
            b.append(f"<li><b>{esc(_t(r.title, lang) or r.id)}</b>：{esc(condition_words(r.when, catalogue, lang))} → "
                     f"{esc(to)} <span class='small'>{esc('；'.join(r.basis))}</span></li>")
        b.append("</ul>")
    fallback = who(catalogue, FALLBACK, lang)
    b.append(f"<p class='small'>{esc(f'本清单未列明的事项，由{fallback}决定（《人民检察院刑事诉讼规则》第四条）。' if zh else f'Matters this list does not name are decided by the {fallback} (Criminal Procedure Rules art. 4).')}</p>")
    return page(_t(lst.title, lang), "\n".join(b), lang)


# --- the audit as a page ---------------------------------------------------------------------------

AW = {
    "zh": {"title": "发布审查", "fit": "可以发布", "blocked": "不得发布", "fit_sub": "未发现阻止发布的问题",
           "blocked_sub": "下列问题阻止发布，须先修改", "against": "对照现行清单", "none_against": "没有对照清单，未作比较",
           "changed": "决定发生变化的事项", "matter": "事项", "direction": "方向", "coverage": "覆盖", "old": "原",
           "new": "新", "items": "条目", "situations": "改变的情形", "where": "主要变化（情形：原 → 新）",
           "findings": "审查发现", "check": "检查", "place": "位置", "detail": "说明", "severity": "级别",
           "raised": "上收的权力（条目决定主体提高）", "added": "新增条目", "removed": "删除条目",
           "reworded": "修改的条目", "counts": "条目数量", "impact": "精确影响", "replay": "回放",
           "example": "示例", "enumerated": "枚举情形", "changed_sit": "决定改变的情形", "up": "上收", "down": "下放",
           "mixed": "因情形而异", "unchanged": "主体未变", "c_added": "新列入", "c_removed": "不再列入", "c_kept": "保留",
           "error": "错误", "warning": "警告", "part": "部分", "line": "业务条线", "function": "职能", "total": "合计",
           "actions": "回放行为", "act_changed": "决定改变", "what": "变化", "fallback": "检察长（默认）",
           "obligations_only": "仅报告义务改变的事项", "bounded": "仅部分枚举", "decide": "在 quanze decide 中复现"},
    "en": {"title": "Publication review", "fit": "Fit to publish", "blocked": "Blocked", "fit_sub": "no finding blocks publication",
           "blocked_sub": "these findings block publication and must be fixed first", "against": "against the list in force",
           "none_against": "no list to compare with: no diff", "changed": "Matters whose decisions change",
           "matter": "Matter", "direction": "Direction", "coverage": "Coverage", "old": "old", "new": "new",
           "items": "Items", "situations": "Situations changed", "where": "Main changes (situation: old → new)",
           "findings": "Findings", "check": "Check", "place": "Place", "detail": "Detail", "severity": "Severity",
           "raised": "Powers raised (item authority went up)", "added": "Items added", "removed": "Items removed",
           "reworded": "Items changed", "counts": "Counts", "impact": "Exact impact", "replay": "Replay",
           "example": "example", "enumerated": "situations enumerated", "changed_sit": "situations changed", "up": "up",
           "down": "down", "mixed": "mixed", "unchanged": "same authority", "c_added": "newly covered",
           "c_removed": "no longer covered", "c_kept": "kept", "error": "error", "warning": "warning", "part": "part",
           "line": "business line", "function": "function", "total": "total", "actions": "actions replayed",
           "act_changed": "decisions changed", "what": "Changes", "fallback": "procurator-general (default)",
           "obligations_only": "Matters where only the duties to report change", "bounded": "enumerated in part",
           "decide": "reproduce with quanze decide"},
}


def _outcome(brief, catalogue, lang):
    zh = lang == "zh"
    if brief["status"] == "forbidden":
        s = "法律禁止" if zh else "forbidden"
    elif brief["status"] == "undetermined":
        s = "不确定" if zh else "undetermined"
    else:
        s = who(catalogue, brief["authority"], lang)
        if brief["uncovered"]:
            s += "（默认）" if zh else " (default)"
    if brief["obligations"]:
        s += ("，报告" if zh else "; report to ") + "、".join(who(catalogue, a, lang) for a in brief["obligations"])
    return s


def audit_html(report: dict, catalogue: Catalogue, lang: str = "zh", new_path: str = "NEW") -> str:
    from .impact import command_line
    w = AW[lang]
    zh = lang == "zh"
    fit = report["verdict"] == "fit"
    L = report["list"]
    b = [f"<h1>{esc(w['title'])}：{esc(L['id'] or L['folder'])}</h1>" if zh else
         f"<h1>{esc(w['title'])}: {esc(L['id'] or L['folder'])}</h1>"]
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
    stats = [(len(bl), w["error"]), (len(warn), w["warning"])]
    if d:
        s = d["summary"]
        dirs = s["directions"]
        stats += [(dirs.get("up", 0), w["up"]), (dirs.get("down", 0), w["down"]), (dirs.get("mixed", 0), w["mixed"]),
                  (s["added"], w["added"]), (s["removed"], w["removed"]), (s["raised"], w["raised"].split("（")[0].split(" (")[0]),
                  (imp["situations_enumerated"], w["enumerated"]), (imp["situations_changed"], w["changed_sit"])]
    if rp:
        stats += [(rp["actions"], w["actions"]), (rp["changed"], w["act_changed"])]
    b.append('<div class="stats">' + "".join(f'<div class="stat"><b>{n}</b>{esc(t)}</div>' for n, t in stats) + "</div>")
    if d:
        _audit_matters(b, d, imp, catalogue, lang, w, new_path)
    # findings
    b.append(f"<h2>{esc(w['findings'])} ({len(report['findings'])})</h2>")
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
        _audit_impact(b, imp, catalogue, lang, w, new_path)
    if rp:
        b.append(f"<h2>{esc(w['replay'])}</h2><p>{rp['actions']} {esc(w['actions'])} · {rp['changed']} {esc(w['act_changed'])}"
                 f" · {rp['errors']} ✖</p>")
        if rp["changed_actions"]:
            b.append("<table><thead><tr><th>#</th><th>case</th><th>" + esc(w["matter"]) + "</th><th>" + esc(w["direction"])
                     + "</th><th>" + esc(w["old"]) + "</th><th>" + esc(w["new"]) + "</th></tr></thead><tbody>")
            for c in rp["changed_actions"][:500]:
                b.append(f'<tr class="{esc(c["direction"]) if c["direction"] in ("up", "down") else ""}"><td class="num">{c["line"]}</td>'
                         f'<td>{esc(c["case"])}</td><td>{esc(_mname(catalogue, c["matter"], lang))}</td>'
                         f'<td>{esc(w.get(c["direction"], c["direction"]))}</td><td>{esc(_outcome(c["old"], catalogue, lang))}</td>'
                         f'<td>{esc(_outcome(c["new"], catalogue, lang))}</td></tr>')
            b.append("</tbody></table>")
    title = f"{w['title']} {L['id'] or ''}"
    return page(title, "\n".join(b), lang)


def _mname(catalogue, code, lang):
    m = catalogue.matters.get(code)
    return m.name.get(lang) if m else code


def _auths(side, catalogue, lang, w):
    return "、".join(who(catalogue, a, lang) for a in side["authorities"]) or w["fallback"]


def _audit_matters(b, d, imp, catalogue, lang, w, new_path):
    rank = {"up": 0, "mixed": 1, "down": 2, "unchanged": 3}
    moving = [m for m in d["matters"] if m["direction"] != "unchanged" or m["coverage"] != "kept"]
    moving.sort(key=lambda m: rank[m["direction"]])
    b.append(f"<h2>{esc(w['changed'])} ({len(moving)})</h2>")
    b.append('<table class="mt"><colgroup><col style="width:17%"><col style="width:7%"><col style="width:7%">'
             '<col style="width:12%"><col style="width:11%"><col style="width:6%"><col></colgroup><thead><tr>' + "".join(f"<th>{esc(x)}</th>" for x in (
        w["matter"], w["direction"], w["coverage"], f"{w['old']} → {w['new']}", w["items"], w["situations"], w["where"]))
        + "</tr></thead><tbody>")
    for m in moving:
        groups = [g for g in m["groups"] if g["direction"] != "same"][:3] or m["groups"][:2]
        where = "".join(f"<li>{esc(' | '.join(situation_words(c, catalogue, lang) for c in g['cubes']) or ('一律' if lang == 'zh' else 'always'))}"
                        f" ({g['count']})：{esc(_outcome(g['old'], catalogue, lang))} → <b>{esc(_outcome(g['new'], catalogue, lang))}</b></li>"
                        for g in groups)
        items = esc(" ".join(m["old"]["items"]) or "—") + " → " + esc(" ".join(m["new"]["items"]) or "—")
        b.append(f'<tr class="{m["direction"]}"><td><b>{esc(_mname(catalogue, m["matter"], lang))}</b><br>'
                 f'<code>{esc(m["matter"])}</code></td>'
                 f'<td><span class="badge b-{m["direction"]}">{esc(w[m["direction"]])}</span></td>'
                 f'<td><span class="badge b-{m["coverage"]}">{esc(w["c_" + m["coverage"]])}</span></td>'
                 f'<td>{esc(_auths(m["old"], catalogue, lang, w))} → {esc(_auths(m["new"], catalogue, lang, w))}</td>'
                 f'<td class="small">{items}</td><td class="num">{m["situations_changed"]}/{m["situations"]}</td>'
                 f'<td><ul class="tight">{where}</ul></td></tr>')
    b.append("</tbody></table>")
    others = [m for m in d["matters"] if m not in moving and m["situations_changed"]]
    if others:
        b.append(f"<h3>{esc(w['obligations_only'])} ({len(others)})</h3><p class='small'>"
                 + "、".join(f"{esc(_mname(catalogue, m['matter'], lang))} <code>{esc(m['matter'])}</code>" for m in others)
                 + "</p>")
    if d["raised"]:
        b.append(f"<h2>{esc(w['raised'])} ({len(d['raised'])})</h2><table><thead><tr>"
                 + "".join(f"<th>{esc(x)}</th>" for x in (w["matter"], w["old"], w["new"], w["place"])) + "</tr></thead><tbody>")
        for p in d["raised"]:
            o, n = p["old"], p["new"]
            b.append(f'<tr class="up"><td>{esc(_mname(catalogue, n["matter"], lang))} <code>{esc(n["matter"])}</code></td>'
                     f'<td>{esc(o["id"])} · {esc(who(catalogue, o["authority"], lang))}</td>'
                     f'<td>{esc(n["id"])} · <b>{esc(who(catalogue, n["authority"], lang))}</b></td>'
                     f'<td><code>{esc(n["source"])}</code></td></tr>')
        b.append("</tbody></table>")


def _audit_items(b, d, catalogue, lang, w):
    from .diff import part_name
    for key, title in (("added", w["added"]), ("removed", w["removed"])):
        rows = d["items"][key]
        if not rows:
            continue
        b.append(f"<h2>{esc(title)} ({len(rows)})</h2><table><thead><tr>"
                 + "".join(f"<th>{esc(x)}</th>" for x in (w["items"], w["part"], w["matter"], w["new"] if key == "added" else w["old"], w["place"]))
                 + "</tr></thead><tbody>")
        for i in rows:
            b.append(f'<tr><td class="id">{esc(i["id"])}</td><td>{esc(part_name(i["part"], lang))}</td>'
                     f'<td>{esc(_mname(catalogue, i["matter"], lang))}</td><td>{esc(who(catalogue, i["authority"], lang))}</td>'
                     f'<td><code>{esc(i["source"])}</code></td></tr>')
        b.append("</tbody></table>")
    ch = d["items"]["changed"]
    if ch:
        b.append(f"<details><summary><b>{esc(w['reworded'])} ({len(ch)})</b></summary><table><thead><tr>"
                 + "".join(f"<th>{esc(x)}</th>" for x in (w["items"], w["matter"], w["what"], w["place"])) + "</tr></thead><tbody>")
        for c in ch:
            ident = c["old"]["id"] if c["old"]["id"] == c["new"]["id"] else f'{c["old"]["id"]} → {c["new"]["id"]}'
            what = ", ".join(c["changes"]) + (f' ({part_name(c["moved"][0], lang)} → {part_name(c["moved"][1], lang)})' if c["moved"] else "")
            b.append(f'<tr><td class="id">{esc(ident)}</td><td>{esc(_mname(catalogue, c["new"]["matter"], lang))}</td>'
                     f'<td>{esc(what)}</td><td><code>{esc(c["new"]["source"])}</code></td></tr>')
        b.append("</tbody></table></details>")
    b.append(f"<h2>{esc(w['counts'])}</h2><table><thead><tr><th></th><th></th><th>{esc(d['old']['id'])}</th>"
             f"<th>{esc(d['new']['id'])}</th></tr></thead><tbody>")
    for dim in ("part", "line", "function"):
        for k, v in d["counts"][dim].items():
            name = part_name(k, lang) if dim == "part" else catalogue.lines[k].name.get(lang) if dim == "line" and k in catalogue.lines else k
            cls = ' class="up"' if v["new"] != v["old"] else ""
            b.append(f'<tr{cls}><td>{esc(w[dim])}</td><td>{esc(name)}</td><td class="num">{v["old"]}</td><td class="num">{v["new"]}</td></tr>')
    t = d["counts"]["total"]
    b.append(f'<tr><td><b>{esc(w["total"])}</b></td><td></td><td class="num"><b>{t["old"]}</b></td><td class="num"><b>{t["new"]}</b></td></tr>')
    b.append("</tbody></table>")


def _audit_impact(b, imp, catalogue, lang, w, new_path):
    from .impact import command_line
    b.append(f"<h2>{esc(w['impact'])}</h2>")
    b.append(f"<p>{imp['situations_enumerated']} {esc(w['enumerated'])} · {imp['matters_examined']} "
             f"{'个事项' if lang == 'zh' else 'matters'} · {imp['situations_changed']} {esc(w['changed_sit'])}"
             + (f" · {esc(w['bounded'])}: {esc(', '.join(imp['bounded']))}" if imp["bounded"] else "") + "</p>")
    for m in imp["matters"]:
        b.append(f'<details><summary><b>{esc(_mname(catalogue, m["matter"], lang))}</b> <code>{esc(m["matter"])}</code> '
                 f'<span class="badge b-{m["direction"]}">{esc(w[m["direction"]])}</span> '
                 f'{len(m["changed"])}/{m["situations"]}</summary><table><thead><tr><th>{esc(w["where"])}</th>'
                 f'<th>#</th><th>{esc(w["decide"])}</th></tr></thead><tbody>')
        for g in m["groups"]:
            ex = {"matter": m["matter"], "actor": "prosecutor", "facts": g["example"]}
            b.append(f'<tr class="{g["direction"] if g["direction"] in ("up", "down") else ""}">'
                     f'<td>{esc(" | ".join(situation_words(c, catalogue, lang) for c in g["cubes"]) or "—")}：{esc(_outcome(g["old"], catalogue, lang))} → '
                     f'<b>{esc(_outcome(g["new"], catalogue, lang))}</b></td><td class="num">{g["count"]}</td>'
                     f'<td><code>{esc(command_line(ex, new_path))}</code></td></tr>')
        b.append("</tbody></table></details>")
