"""The publication review as text and Markdown (`quanze audit`): the verdict first, the findings that
block publication, then every finding, the powers raised, the diff, the exact impact and the replay."""
from __future__ import annotations

from ..audit import Audit
from ..impact import command_line
from .escape import md, md_code
from .diff_text import diff_text
from .words import AUDIT


def audit_text(a: Audit, lang: str = "zh", markdown: bool = False) -> str:
    w = AUDIT[lang]
    e = md if markdown else str  # findings, ids, places and case ids stay literal text in Markdown
    bullet = "- " if markdown else "  "
    out = []
    title = f"{w['audit']}: {a.new.id if a.new else a.new_folder}" + (w["against"].format(id=a.old.id) if a.old else "")
    out.append(f"# {e(title)}" if markdown else title)
    verdict = w["fit"] if a.fit else w["blocked"]
    out.append("")
    out.append(f"**{verdict}**" if markdown else f"== {verdict} ==")
    bl = a.blocking
    if bl:
        out.append("")
        out.append(f"## {w['blocking']} ({len(bl)})" if markdown else f"{w['blocking']} ({len(bl)}):")
        for f in bl:
            out.append(bullet + e(f.format(lang)))
    warn = a.findings.warnings
    out.append("")
    out.append(f"## {w['findings']}" if markdown else f"{w['findings']}:")
    out.append(bullet + w["finding_counts"].format(errors=len(bl), warnings=len(warn)))
    for f in warn:
        out.append(bullet + e(f.format(lang)))
    if a.diff is None:
        out += ["", w["no_against"]]
    else:
        d = a.diff
        out.append("")
        out.append(f"## {w['raised']} ({len(d.raised)})" if markdown else f"{w['raised']} ({len(d.raised)}):")
        for p in d.raised:
            out.append(bullet + e(f"{p.old.id} → {p.new.id}  {p.new.matter}: {p.old.authority} → "
                                  f"{p.new.authority}  ({p.new.source})"))
        out.append("")
        text = diff_text(d, lang, markdown)
        out.append(text.replace("\n# ", "\n## ") if markdown else text)
        imp = d.impact.to_json()
        out.append("")
        out.append(f"## {w['impact']}" if markdown else f"{w['impact']}:")
        out.append(bullet + w["impact_summary"].format(
            enumerated=imp["situations_enumerated"], examined=imp["matters_examined"],
            identical=imp["matters_identical"], changed=imp["situations_changed"])
            + (e(w["impact_bounded"].format(matters=", ".join(imp["bounded"]))) if imp["bounded"] else ""))
        for m in imp["matters"]:
            g = m["groups"][0]
            example = command_line({'matter': m['matter'], 'actor': 'prosecutor', 'facts': g['example']}, a.new_folder)
            out.append(f"{bullet}{e(m['matter'])} [{m['direction']}]: {m['situations_changed']}/{m['situations']}; "
                       f"e.g. {md_code(example) if markdown else '`' + example + '`'}")
    if a.replay is not None:
        r = a.replay
        out.append("")
        out.append(f"## {w['replay']}" if markdown else f"{w['replay']}:")
        out.append(bullet + w["replay_summary"].format(total=r.total, changed=len(r.changed), errors=len(r.errors)))
        for c in r.changed[:200]:
            out.append(f"{'- ' if markdown else '    '}line {c['line']}"
                       + e((f" case {c['case']}" if c["case"] is not None else "")
                           + f": {c['matter']} {c['old']['status']}/{c['old']['authority']} → "
                             f"{c['new']['status']}/{c['new']['authority']}")
                       + f" [{c['direction']}]")
        if len(r.changed) > 200:
            out.append(f"    … +{len(r.changed) - 200}")
        for n, msg in r.errors[:20]:
            out.append(f"{'- ' if markdown else '    '}line {n}: {e(msg)}")
    return "\n".join(out) + "\n"
