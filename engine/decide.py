"""Deciding a request against one list: DESIGN.md "Deciding", steps 1-8.

durable-rules decides which items, statutory rules and reporting rules a set of facts satisfies
(`backend.py`); this module turns the rules that fired into the decision. Where the request lacks a
fact that a rule reads, the situation space supplies the values that fact can take, each completion
is decided by the engine, and the fact is asked only if the completions disagree on the status or the
required authority — a missing fact that cannot change the answer is never asked.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

from . import backend
from .conditions import evaluate
from .decision import Decision, MissingFact, Obligation, Reason, Violation, VoteResult
from .model import FALLBACK, RANK, Catalogue, DoubleList, Item, ReportingRule, StatutoryRule, highest
from .requests import Request
from .situations import Bounded, Space, reads

COMPLETION_LIMIT = 512
LADDER = ("prosecutor", "department_head", "procurator_general", "procuratorial_committee",
          "superior_procuratorate", "supreme_procuratorate")
KIND_ORDER = {"forbid": 0, "floor": 1, "decides": 2, "report": 3}


@dataclass(frozen=True)
class MatterRules:
    """Everything that bears on one matter under one list, compiled for the engine."""

    matter: str
    rules: tuple  # Item | StatutoryRule | ReportingRule, indexed by the engine's keys
    reads: tuple  # the facts they read
    space: Space
    compiled: backend.Compiled
    covered: bool  # whether the list has any item on the matter

    def outcome(self, fired) -> tuple:
        """(status, authority, uncovered) from the indexes of the rules that fired."""
        items = [self.rules[k] for k in fired if isinstance(self.rules[k], Item)]
        statutes = [self.rules[k] for k in fired if isinstance(self.rules[k], StatutoryRule)]
        uncovered = not items
        if any(s.forbid for s in statutes):
            return ("forbidden", None, uncovered)
        base = highest(i.authority for i in items) if items else FALLBACK
        return ("ok", highest([base] + [s.floor for s in statutes if s.floor]), uncovered)

    def obligations(self, fired, authority) -> set:
        out = set()
        for k in fired:
            rule = self.rules[k]
            if isinstance(rule, Item) and rule.report_to:
                out.add((rule.id, rule.report_to, k))
            elif isinstance(rule, ReportingRule) and authority in rule.applies_to:
                out.add((rule.id, rule.report_to, k))
        return out


class Decider:
    """Decides requests under one list. Thread-safe: compile once per matter, decide many times."""

    def __init__(self, the_list: DoubleList, catalogue: Catalogue):
        self.list = the_list
        self.catalogue = catalogue
        self._matters: dict[str, MatterRules] = {}
        self._lock = threading.Lock()
        self._fact_order = list(catalogue.facts)
        self._label = f"{the_list.id}.{the_list.digest[7:19]}.{catalogue.digest[7:15]}"

    def rules(self, matter: str) -> MatterRules:
        found = self._matters.get(matter)
        if found is None:
            with self._lock:
                found = self._matters.get(matter)
                if found is None:
                    found = self._compile(matter)
                    self._matters[matter] = found
        return found

    def _compile(self, matter: str) -> MatterRules:
        items = self.list.deciding_items(matter)
        rules = tuple(items) + self.catalogue.rules_for(matter) + tuple(self.list.reporting)
        compiled = backend.compile_rules(f"{self._label}.{matter}", [(k, r.when) for k, r in enumerate(rules)])
        space = Space([r.when for r in rules], self.catalogue.facts)
        return MatterRules(matter, rules, tuple(reads(*[r.when for r in rules])), space, compiled, bool(items))

    def compile_all(self) -> None:
        for matter in self.catalogue.matters:
            self.rules(matter)

    def decide(self, request: Request) -> Decision:
        mr = self.rules(request.matter)
        facts = request.fact_dict
        missing = [f for f in mr.reads if f not in facts]
        relevant: list = []
        if missing:
            open_rules = [r.when for r in mr.rules if evaluate(r.when, facts) is None]
            wanted = set(reads(*open_rules)) & set(missing)
            relevant = [f for f in self._fact_order if f in wanted]  # catalogue order: independent of item order
        bounded = False
        if relevant:
            try:
                completions = list(mr.space.each(relevant, COMPLETION_LIMIT, base=facts))
            except Bounded:
                completions, bounded = [facts], True
        else:
            completions = [facts]
        fired = [mr.compiled.fire(c) for c in completions]
        outcomes = [mr.outcome(f) for f in fired]
        keys = {(o[0], o[1]) for o in outcomes}
        common = frozenset.intersection(*fired)
        if bounded or len(keys) > 1:
            status, authority, uncovered = "undetermined", None, False
            asked = relevant if bounded else _deciding_facts(relevant, completions, outcomes)
        else:
            status, authority, uncovered = outcomes[0]
            uncovered = all(o[2] for o in outcomes)
            asked = []
        obligations = _obligations(mr, fired, outcomes, relevant)
        because = _because(mr, common, outcomes[0][1] if status == "ok" else None)
        return self._finish(request, mr, status, authority, uncovered, common, obligations, because, asked)

    def _finish(self, request, mr, status, authority, uncovered, common, obligations, because, asked) -> Decision:
        actor = request.actor
        delegated = status == "ok" and authority == "procurator_general" and not uncovered and all(
            "deputy_procurator_general" in getattr(mr.rules[k], "delegable_to", ())
            for k in common if _authority_of(mr.rules[k]) == "procurator_general")
        may = None if actor is None else may_decide(actor, status, authority, delegated)
        vote = vote_result(request.vote) if request.vote else None
        violation = None
        if request.decided_by is not None:
            if status == "forbidden":
                rule = next((mr.rules[k] for k in sorted(common) if getattr(mr.rules[k], "forbid", False)), None)
                violation = Violation(request.decided_by, None,
                                      f"the action is forbidden by law ({rule.id}: {'; '.join(rule.basis)})" if rule
                                      else "the action is forbidden by law")
            elif status == "ok" and not may_decide(request.decided_by, status, authority, delegated):
                violation = Violation(request.decided_by, authority,
                                      f"`{request.decided_by}` lacks the power: `{request.matter}` needs `{authority}`")
        missing = tuple(MissingFact(f, self.catalogue.facts[f].question) for f in asked)
        return Decision(
            list_id=self.list.id, digest=self.list.digest, case=request.case, matter=request.matter, actor=actor,
            status=status, authority=authority, uncovered=uncovered if status == "ok" else False,
            actor_may_decide=may,
            chain=chain(actor, authority, delegated, any(_authority_of(mr.rules[k]) == "procuratorial_committee"
                                                         for k in common)) if status == "ok" else (),
            obligations=obligations, because=because, missing_facts=missing, vote=vote,
            responsible=request.decided_by or ((actor if may else authority) if status == "ok" else None),
            violation=violation, on=request.on)


def _authority_of(rule):
    if isinstance(rule, Item):
        return rule.authority
    if isinstance(rule, StatutoryRule):
        return rule.floor
    return None


def _deciding_facts(relevant, completions, outcomes) -> list:
    """The missing facts that change the status or authority when they alone change."""
    asked = []
    for f in relevant:
        groups: dict = {}
        for c, o in zip(completions, outcomes):
            rest = tuple(c[g] for g in relevant if g != f)
            groups.setdefault(rest, set()).add((o[0], o[1]))
        if any(len(v) > 1 for v in groups.values()):
            asked.append(f)
    return asked or list(relevant)


def _obligations(mr: MatterRules, fired, outcomes, relevant) -> tuple:
    sets = [mr.obligations(f, o[1]) if o[0] == "ok" else set() for f, o in zip(fired, outcomes)]
    everywhere = set.intersection(*sets) if sets else set()
    somewhere = set.union(*sets) if sets else set()
    out = []
    for by, to, k in sorted(somewhere):
        if (by, to, k) in everywhere:
            out.append(Obligation(to, by))
        else:
            # conditional on the rule's own missing facts, or else on those that decide whether it applies
            own = tuple(f for f in reads(mr.rules[k].when) if f in relevant)
            out.append(Obligation(to, by, own or tuple(relevant)))
    return tuple(out)


def _because(mr: MatterRules, common, authority) -> tuple:
    out = []
    for k in common:
        rule = mr.rules[k]
        if isinstance(rule, Item):
            out.append(Reason(rule.id, "item", rule.authority, rule.source, rule.basis, "decides"))
        elif isinstance(rule, StatutoryRule):
            out.append(Reason(rule.id, "statute", rule.floor, rule.source, rule.basis,
                              "forbid" if rule.forbid else "floor", rule.message))
        elif isinstance(rule, ReportingRule) and authority in rule.applies_to:
            out.append(Reason(rule.id, "reporting", None, rule.source, rule.basis, "report"))
    out.sort(key=lambda r: (KIND_ORDER[r.effect], -RANK.get(r.authority, -1) if r.authority else 0, r.id))
    return tuple(out)


def may_decide(who: str, status: str, authority: str | None, delegated: bool) -> bool:
    """Whether `who` holds the power: rank at least the required one; the deputy only by delegation."""
    if status != "ok" or authority is None:
        return False
    if who == "deputy_procurator_general" and RANK[authority] >= RANK["procurator_general"]:
        return delegated and authority == "procurator_general"
    return RANK[who] >= RANK[authority]


def chain(actor: str | None, authority: str, delegated: bool, committee_involved: bool) -> tuple:
    """From the actor up to the required authority through the department head's review (规则第六条)."""
    start = actor or "prosecutor"
    if may_decide(start, "ok", authority, delegated):
        return (start,)
    steps = [start]
    for level in LADDER:
        if RANK[start] < RANK[level] <= RANK[authority]:
            if level == "procuratorial_committee" and authority != level and not committee_involved:
                continue
            steps.append(level)
    if start == "deputy_procurator_general" and authority == "procurator_general":
        steps = [start, authority]
    return tuple(steps)


def vote_result(vote) -> VoteResult:
    """组织法第三十二条: quorum of more than half the members; adopted by more than half of all
    members (the 2020 committee working rules, as reported; not in law/); where the procurator-general
    dissents from the majority in a case, it may go to the superior procuratorate (组织法第三十二条)."""
    valid = vote.present * 2 > vote.members
    adopted = valid and vote.in_favour * 2 > vote.members
    refer = "superior_procuratorate" if valid and vote.procurator_general_dissents else None
    if not valid:
        reason = f"no quorum: {vote.present} of {vote.members} members present; more than half must attend"
    elif not adopted:
        reason = f"not adopted: {vote.in_favour} of {vote.members} members in favour; more than half of all members needed"
    else:
        reason = f"adopted: {vote.in_favour} of {vote.members} members in favour, {vote.present} present"
    if refer:
        reason += "; the procurator-general dissents from the majority, so the matter goes to the superior procuratorate"
    return VoteResult(valid, adopted, refer, reason, vote.members, vote.present, vote.in_favour)
