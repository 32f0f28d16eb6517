"""A decision as text a prosecutor reads in ten seconds: the answer first, then the route, the duties
to report, and the items and articles behind it. Chinese or English."""
from __future__ import annotations

from .decision import Decision
from .model import Catalogue

WORDS = {
    "zh": {"may": "可以自行决定", "must": "须报{a}决定", "by": "由{a}决定", "forbidden": "法律禁止",
           "undetermined": "尚不能确定：请先回答下列问题", "matter": "事项", "authority": "决定主体",
           "chain": "报批路径", "report": "报告义务", "report_if": "（如{f}）", "because": "依据",
           "ask": "需要回答", "vote": "检察委员会表决", "violation": "越权", "uncovered": "清单未列明此事项，由检察长决定（《人民检察院刑事诉讼规则》第四条）",
           "responsible": "责任主体", "list": "清单", "valid": "有效", "invalid": "无效（出席未过半数）",
           "adopted": "通过", "rejected": "未通过（赞成未过全体委员半数）", "refer": "检察长不同意多数意见，报请{a}决定",
           "sep": "；", "colon": "：", "and": "、", "forbid_tag": "禁止",
           "v_forbidden": "作出了法律禁止的决定", "v_power": "无权决定，应由{a}决定"},
    "en": {"may": "You may decide this yourself", "must": "Must go to the {a} to decide", "by": "Decided by the {a}",
           "forbidden": "Forbidden by law", "undetermined": "Cannot tell yet: answer these first",
           "matter": "Matter", "authority": "Decided by", "chain": "Route", "report": "Report to",
           "report_if": " (if {f})", "because": "Because", "ask": "To answer", "vote": "Committee vote",
           "violation": "Violation", "uncovered": "The list has no item on this matter: the procurator-general decides (Rules art. 4)",
           "responsible": "Responsible", "list": "List", "valid": "valid", "invalid": "invalid (no quorum)",
           "adopted": "adopted", "rejected": "not adopted (no majority of all members)",
           "refer": "the procurator-general dissents: referred to the {a}", "sep": "; ", "colon": ": ", "and": ", ", "forbid_tag": "prohibition",
           "v_forbidden": "took a decision the law forbids", "v_power": "lacked the power: the {a} decides"},
}


def render(decision: Decision, catalogue: Catalogue, lang: str = "zh") -> str:
    w = WORDS[lang]

    def who(code):
        return catalogue.authority_names[code].get(lang) if code in catalogue.authority_names else str(code)

    d = decision
    lines = []
    if d.status == "forbidden":
        head = w["forbidden"]
        rule = next((r for r in d.because if r.effect == "forbid"), None)
        if rule and rule.message:
            head += w["colon"] + rule.message.get(lang)
    elif d.status == "undetermined":
        head = w["undetermined"]
    elif d.actor is None:
        head = w["by"].format(a=who(d.authority))
    elif d.actor_may_decide:
        head = w["may"]
    else:
        head = w["must"].format(a=who(d.authority))
    lines.append(head)
    matter = catalogue.matters.get(d.matter)
    lines.append(f"  {w['matter']}{w['colon']}{matter.name.get(lang) if matter else d.matter} ({d.matter})")
    if d.status == "ok":
        lines.append(f"  {w['authority']}{w['colon']}{who(d.authority)}")
        if len(d.chain) > 1:
            lines.append(f"  {w['chain']}{w['colon']}" + " → ".join(who(a) for a in d.chain))
    for m in d.missing_facts:
        lines.append(f"  {w['ask']}{w['colon']}{m.question.get(lang)} [{m.fact}]")
    for o in d.obligations:
        cond = w["report_if"].format(f=", ".join(o.if_facts)) if o.if_facts else ""
        lines.append(f"  {w['report']}{w['colon']}" + w["and"].join(who(a) for a in o.report_to) + f"{cond} [{' / '.join((o.by,) + o.or_by)}]")
    if d.vote:
        v = d.vote
        parts = [w["valid"] if v.valid else w["invalid"]]
        if v.valid:
            parts.append(w["adopted"] if v.adopted else w["rejected"])
        if v.refer_to:
            parts.append(w["refer"].format(a=who(v.refer_to)))
        lines.append(f"  {w['vote']}{w['colon']}{v.in_favour}/{v.present}/{v.members} " + w["sep"].join(parts))
    if d.uncovered:
        lines.append(f"  {w['uncovered']}")
    if d.violation:
        v = d.violation
        why = w["v_power"].format(a=who(v.required)) if v.required else w["v_forbidden"]
        lines.append(f"  {w['violation']}{w['colon']}{who(v.decided_by)}{w['sep']}{why}")
    if d.responsible and d.status == "ok":
        lines.append(f"  {w['responsible']}{w['colon']}{who(d.responsible)}")
    if d.because:
        lines.append(f"  {w['because']}{w['colon']}")
        for r in d.because:
            what = who(r.authority) if r.authority else (w["forbid_tag"] if r.effect == "forbid" else r.effect)
            basis = w["sep"].join(r.basis)
            lines.append(f"    {r.id} [{what}] {basis}  ({r.source})")
    lines.append(f"  {w['list']}{w['colon']}{d.list_id} {d.digest[:19]}")
    return "\n".join(lines)
