"""The publication review as text and Markdown (`quanze audit`): the verdict first, the findings that
block publication, then every finding, the powers raised, the diff, the exact impact and the replay."""
from __future__ import annotations

from ..audit import Audit
from .escape import md, md_code
from .command import command_words
from .diff_text import diff_text
from .words import AUDIT, CHANGE, change_words, matter_name, outcome_words, who


def audit_text(a: Audit, lang: str = "zh", markdown: bool = False) -> str:
    w = AUDIT[lang]
    e = md if markdown else str  # findings, ids, places and case ids stay literal text in Markdown
    bullet = "- " if markdown else "  "
    out = []
    title = f"{w['audit']}{w['colon']}{a.new.id if a.new else a.new_folder}" + (w["against"].format(id=a.old.id) if a.old else "")
    out.append(f"# {e(title)}" if markdown else title)
    verdict = w["fit"] if a.fit else w["blocked"]
    out.append("")
    out.append(f"**{verdict}**" if markdown else f"== {verdict} ==")
    bl = a.blocking
    if bl:
        out.append("")
        head = w["head_count"].format(h=w["blocking"], n=len(bl))
        out.append(f"## {head}" if markdown else w["head"].format(h=head))
        for f in bl:
            out.append(bullet + e(f.format(lang)))
    warn = a.findings.warnings
    out.append("")
    out.append(f"## {w['findings']}" if markdown else w["head"].format(h=w["findings"]))
    out.append(bullet + w["finding_counts"].format(errors=len(bl), warnings=len(warn)))
    for f in warn:
        out.append(bullet + e(f.format(lang)))
    cat = a.catalogue
    if a.diff is None:
        out += ["", w["no_against"]]
    else:
        d = a.diff
        for key, pairs in (("raised", d.raised), ("lowered", d.lowered)):
            out.append("")
            head = w["head_count"].format(h=w[key], n=len(pairs))
            out.append(f"## {head}" if markdown else w["head"].format(h=head))
            for p in pairs:
                out.append(bullet + e(f"{p.old.id} → {p.new.id}  {matter_name(cat, p.new.matter, lang)}{w['colon']}"
                                      f"{who(cat, p.old.authority, lang)} → {who(cat, p.new.authority, lang)}  "
                                      + w["aside"].format(x=p.new.source)))
        out.append("")
        text = diff_text(d, lang, markdown)
        out.append(text.replace("\n# ", "\n## ") if markdown else text)
        imp = d.impact.to_json()
        out.append("")
        out.append(f"## {w['impact']}" if markdown else w["head"].format(h=w["impact"]))
        out.append(bullet + w["impact_summary"].format(
            enumerated=imp["situations_enumerated"], examined=imp["matters_examined"],
            identical=imp["matters_identical"], changed=imp["situations_changed"])
            + (e(w["impact_bounded"].format(matters=", ".join(imp["bounded"]))) if imp["bounded"] else ""))
        for m in imp["matters"]:
            g = m["groups"][0]
            example = command_words({'matter': m['matter'], 'actor': 'prosecutor', 'facts': g['example']}, a.new_folder,
                                    cat, lang)
            said = w[m["direction"]] if m["direction"] in ("up", "down", "mixed") else CHANGE[lang]["sep"].join(
                dict.fromkeys(change_words(g["direction"], g["changes"], g["old"], g["new"], lang) for g in m["groups"]))
            code = md_code(m['matter']) if markdown else m['matter']
            out.append(f"{bullet}{e(matter_name(cat, m['matter'], lang))}{w['paren'].format(x=code)} "
                       f"[{e(said)}]{w['colon']}{m['situations_changed']}/{m['situations']}{w['semi']}"
                       f"{w['example']} {md_code(example) if markdown else '`' + example + '`'}")
    if a.replay is not None:
        r = a.replay
        out.append("")
        out.append(f"## {w['replay']}" if markdown else w["head"].format(h=w["replay"]))
        moved = sum(c["direction"] in ("up", "down") for c in r.changed)
        out.append(bullet + w["replay_summary"].format(total=r.total, changed=len(r.changed), moved=moved,
                                                       other=len(r.changed) - moved, errors=len(r.errors)))
        for c in r.changed[:200]:
            out.append(f"{'- ' if markdown else '    '}{w['line'].format(n=c['line'])}"
                       + e((w["case"].format(case=c["case"]) if c["case"] is not None else "")
                           + f"{w['colon']}{matter_name(cat, c['matter'], lang)} {outcome_words(c['old'], cat, lang)} → "
                             f"{outcome_words(c['new'], cat, lang)}"
                           + f" [{change_words(c['direction'], c['changes'], c['old'], c['new'], lang)}]"))
        if len(r.changed) > 200:
            out.append(f"    … +{len(r.changed) - 200}")
        for n, error in r.errors[:20]:
            out.append(f"{'- ' if markdown else '    '}{w['line'].format(n=n)}{w['colon']}{e(error.coded(lang))}")
    return "\n".join(out) + "\n"
