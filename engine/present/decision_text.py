"""A decision as text a prosecutor reads in ten seconds: the answer first, then the route, the duties
to report, and the items and articles behind it. Chinese or English."""
from __future__ import annotations

from ..decision import Decision
from ..model import FALLBACK, Catalogue
from .words import DECISION, NAMES_SEP, fact_label, matter_name, who


def decision_text(decision: Decision, catalogue: Catalogue, lang: str = "zh") -> str:
    w = DECISION[lang]

    def name(code):
        return who(catalogue, code, lang)

    d = decision
    lines = []
    if d.status == "forbidden":
        head = w["forbidden"]
        rule = next((r for r in d.because if r.effect == "forbid"), None)
        if rule and rule.message:
            head += w["colon"] + rule.message.get(lang)
    elif d.status == "undetermined" and d.authority is not None:
        head = w["unless"].format(a=name(d.authority))
    elif d.status == "undetermined":
        head = w["undetermined"]
    elif d.actor is None:
        head = w["by"].format(a=name(d.authority))
    elif d.actor_may_decide:
        head = w["may"]
    else:
        head = w["must"].format(a=name(d.authority))
    lines.append(head)
    lines.append(f"  {w['matter']}{w['colon']}{matter_name(catalogue, d.matter, lang)} ({d.matter})")
    if d.authority is not None:
        lines.append(f"  {w['authority']}{w['colon']}{name(d.authority)}")
        if len(d.chain) > 1:
            lines.append(f"  {w['chain']}{w['colon']}" + " → ".join(name(a) for a in d.chain)
                         + (w["chain_delegated"] if d.delegated and d.chain[-1] == d.authority else ""))
        if d.delegated:
            lines.append(f"  {w['delegation']}{w['colon']}{w['delegated']}")
    for m in d.missing_facts:
        # in Chinese the fact's name, which `--fact 名称=值` takes as well as the code; in English the code
        typed = fact_label(catalogue, m.fact, lang) if lang == "zh" else m.fact
        lines.append(f"  {w['ask']}{w['colon']}{m.question.get(lang)} [{typed}]")
    for o in d.obligations:
        cond = (w["report_if"].format(f=NAMES_SEP[lang].join(fact_label(catalogue, f, lang) for f in o.if_facts))
                if o.if_facts else "")
        lines.append(f"  {w['report']}{w['colon']}" + w["and"].join(name(a) for a in o.report_to) + f"{cond} [{' / '.join((o.by,) + o.or_by)}]")
    if d.vote:
        v = d.vote
        parts = [w["valid"] if v.valid else w["invalid"]]
        if v.valid:
            parts.append(w["adopted"] if v.adopted else w["rejected"])
        if v.refer_to:
            parts.append(w["refer"].format(a=name(v.refer_to)))
        lines.append(f"  {w['vote']}{w['colon']}{v.members}:{v.present}:{v.in_favour} " + w["sep"].join(parts))
    if d.uncovered:
        lines.append(f"  {_uncovered(d, w, name)}")
    if d.violation:
        breach = d.violation
        why = w["v_power"].format(a=name(breach.required)) if breach.required else w["v_forbidden"]
        lines.append(f"  {w['violation']}{w['colon']}{name(breach.decided_by)}{w['sep']}{why}")
    if d.responsible and d.status == "ok":
        lines.append(f"  {w['responsible']}{w['colon']}{name(d.responsible)}")
    if d.because:
        lines.append(f"  {w['because']}{w['colon']}")
        for r in d.because:
            what = name(r.authority) if r.authority else w.get(f"{r.effect}_tag", r.effect)
            if r.kind == "upper":
                what += w["sep"] + w["upper_tag"].format(l=r.list_id)
            basis = w["sep"].join(r.basis)
            lines.append(f"    {r.id} [{what}] {basis}  ({r.source})")
    lines.append(f"  {w['list']}{w['colon']}{d.list_id} {d.digest[:19]}")
    return "\n".join(lines)


def _uncovered(d: Decision, w: dict, name) -> str:
    """Why an uncovered matter goes where it goes: the list's fallback (the procurator-general, 规则第四条)
    where nothing raises it, else the statutory floors that do (or, failing those, the upper list's
    items) — the law above the list, not the fallback, names the authority then, and saying both would
    contradict the line above."""
    if d.authority == FALLBACK:
        return w["uncovered"]
    raising = [r for r in d.because if r.effect == "floor" and r.authority == d.authority]
    statutes = [r for r in raising if r.kind == "statute"]
    if statutes or not raising:
        basis = dict.fromkeys(b for r in statutes for b in r.basis)
        return w["uncovered_floor"].format(a=name(d.authority), basis=w["sep"].join(basis))
    return w["uncovered_upper"].format(a=name(d.authority), l=raising[0].list_id,
                                       ids=w["sep"].join(r.id for r in raising))
