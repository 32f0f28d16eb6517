"""Deciding a request against one list: docs/deciding.md, steps 1-8.

durable-rules decides which items, statutory rules and reporting rules a set of facts satisfies
(`backend.py`); this module turns the rules that fired into the decision. Where the request lacks a
fact that a rule reads, the situation space supplies the values that fact can take, each completion
is decided by the engine, and the fact is asked only if the completions disagree on the status or the
required authority — a missing fact that cannot change the answer is never asked. A completion fills
in values, not presence: an `exists` test reads whether the request gives the fact, in every
completion as on the request (so every rule Kleene decides on the request keeps its value in every
completion, and the completions vary only the rules Kleene left open).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

from . import backend
from . import conditions
from .decision import Decision, Effect, MissingFact, Obligation, Reason, ReasonKind, Status, Violation, VoteResult
from .levels import ladder, resolve
from .model import FALLBACK, RANK, Catalogue, DoubleList, Item, ReportingRule, StatutoryRule, UpperRule, highest
from .requests import Request
from .classes import Classifier
from .completions import Completions
from .situations import Space, reads

# the chain inside the procuratorate; above it, `levels.ladder` climbs level by level (层报)
LADDER = ("prosecutor", "department_head", "procurator_general", "procuratorial_committee")
OUTCOME_LIMIT = 65_536  # decision classes remembered per list (`Decider.remembered_outcome`)
DEPUTY_LADDER = ("prosecutor", "department_head", "deputy_procurator_general")
KIND_ORDER = {Effect.FORBID: 0, Effect.FLOOR: 1, Effect.PERMISSION: 1, Effect.DECIDES: 2, Effect.REPORT: 3}


@dataclass(frozen=True)
class MatterRules:
    """Everything that bears on one matter under one list, compiled for the engine."""

    matter: str
    rules: tuple  # Item | StatutoryRule | UpperRule | ReportingRule, indexed by the engine's keys
    reads: tuple  # the facts they read
    space: Space
    compiled: backend.Compiled
    covered: bool  # whether the list has any item on the matter
    tests: tuple   # each rule's condition as a Kleene test (`conditions.compiled`: `evaluate`, faster)
    reads_of: tuple  # the facts each rule reads
    reasons: tuple   # each rule's `because` entry

    def values(self, facts: dict) -> tuple:
        """Each rule's Kleene value on `facts` (a dict without absent facts): True, False, or None
        where it turns on a missing fact."""
        return tuple([test(facts) for test in self.tests])

    def open_reads(self, values: tuple) -> frozenset:
        """The facts read by the rules open on a request (their value None in `values`)."""
        return frozenset().union(*[self.reads_of[k] for k, v in enumerate(values) if v is None])

    def to_complete(self, read, facts: dict, fact_order) -> tuple:
        """The missing facts a decision completes, in catalogue order (independent of item order):
        those of `read` (`open_reads`) that `facts` lacks. `Decider.outcome` decides every completion
        of them; `classes.Classifier` keys on them."""
        return tuple(f for f in fact_order if f in read and f not in facts)

    def outcome(self, fired) -> tuple:
        """(status, authority, uncovered) from the indexes of the rules that fired."""
        items = [self.rules[k] for k in fired if isinstance(self.rules[k], Item)]
        statutes = [self.rules[k] for k in fired if isinstance(self.rules[k], (StatutoryRule, UpperRule))]
        uncovered = not items
        if any(s.forbid for s in statutes):
            return ("forbidden", None, uncovered)
        base = highest(i.authority for i in items) if items else FALLBACK
        return ("ok", highest([base] + [s.floor for s in statutes if s.floor]), uncovered)

    def obligations(self, fired, authority) -> set:
        out = set()
        for k in fired:
            rule = self.rules[k]
            if isinstance(rule, (Item, StatutoryRule)) and rule.report_to:
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
        self._classifiers: dict = {}  # matter -> Classifier
        self._outcomes: dict = {}     # (matter, class key) -> Outcome, at most OUTCOME_LIMIT
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
        # a reporting rule outside its scope (`matters:`, `lines:`) is no rule of this matter: it reads no
        # fact here, is never asked about and never fires
        rules = (tuple(items) + self.catalogue.rules_for(matter, self.list.level) + self.list.upper_rules(matter)
                 + self.list.reporting_on(matter, self.catalogue))
        compiled = backend.compile_rules(f"{self._label}.{matter}", [(k, r.when) for k, r in enumerate(rules)])
        space = Space([r.when for r in rules], self.catalogue.facts)
        return MatterRules(matter, rules, tuple(reads(*[r.when for r in rules])), space, compiled, bool(items),
                           tuple(conditions.compiled(r.when) for r in rules),
                           tuple(frozenset(reads(r.when)) for r in rules), tuple(_reason(r) for r in rules))

    def procurator_general_sits(self, matter: str) -> bool:
        """Whether the procurator-general sits when the committee decides `matter` (not on their own
        recusal, 规则第二十九条)."""
        found = self.catalogue.matters.get(matter)
        return not (found is not None and found.without_procurator_general)

    def compile_all(self) -> None:
        for matter in self.catalogue.matters:
            self.rules(matter)

    def decide(self, request: Request) -> Decision:
        return self.finish(self.remembered_outcome(request.matter, request.fact_dict), request)

    def remembered_outcome(self, matter: str, facts: dict) -> Outcome:
        """`outcome`, asked of durable-rules once per decision class (`classes.Classifier`: requests of one
        class get the same outcome) and remembered in a bounded table. Safe under threads: the table is
        read and written whole entries at a time, and two threads computing one class agree."""
        classifier = self._classifiers.get(matter)
        if classifier is None:
            classifier = self._classifiers.setdefault(matter, Classifier(self.rules(matter), self._fact_order))
        key = (matter, classifier.key(facts))
        found = self._outcomes.get(key)
        if found is None:
            found = self.outcome(matter, facts)
            if len(self._outcomes) >= OUTCOME_LIMIT:
                self._outcomes = {}  # a new table: the old one stays whole for the threads reading it
            self._outcomes[key] = found
        return found

    def outcome(self, matter: str, facts: dict) -> Outcome:
        """What durable-rules decides for `matter` on `facts` (a dict without absent facts), for any actor."""
        mr = self.rules(matter)
        relevant: tuple = ()
        open_rules: list = []
        if any(f not in facts for f in mr.reads):
            values = mr.values(facts)
            open_rules = [k for k, v in enumerate(values) if v is None]
            relevant = mr.to_complete(mr.open_reads(values), facts, self._fact_order)
        # `exists` tests read the request, not the completion: Kleene has decided them on the request,
        # and a completion only settles what Kleene left unknown (filling in a fact must not flip an
        # `exists` test, or a rule it decided would turn on facts that are not completed)
        done = Completions(mr, facts, relevant, open_rules)
        if done.bounded:
            return self._outcome(mr, "undetermined", None, False, frozenset(), False, (), (), relevant,
                                 False, frozenset(), bounded=True)
        fired = done.fired
        outcomes = [mr.outcome(f) for f in fired]
        keys = [(o[0], o[1]) for o in outcomes]
        common = frozenset.intersection(*fired)
        # the completions the law does not forbid, and what they have in common: where they all agree on
        # the authority, an undetermined decision still names it (step 4: the open question is only
        # whether a prohibition applies)
        allowed = [(f, o) for f, o in zip(fired, outcomes) if o[0] == "ok"]
        deciding = frozenset.intersection(*[f for f, _ in allowed]) if allowed else common
        named = {o[1] for _, o in allowed}
        if len(set(keys)) > 1:
            status, uncovered = "undetermined", False
            authority = next(iter(named)) if len(named) == 1 else None
            asked = done.deciding(keys) or list(relevant)
        else:
            status, authority, uncovered = outcomes[0]
            uncovered = all(o[2] for o in outcomes)
            asked = []
        obligations = _obligations(mr, done, outcomes)
        because = _because(mr, deciding, authority)
        if status == "undetermined" and authority is not None:
            because = _sorted_reasons(because + tuple(  # the prohibitions that may apply
                mr.reasons[k] for k in frozenset().union(*fired) - deciding if getattr(mr.rules[k], "forbid", False)))
        delegated = authority == "procurator_general" and status != "forbidden" and bool(allowed) and all(
            _delegated(mr, f, o) for f, o in allowed)
        completed = frozenset((o[0], o[1], o[0] == "ok" and o[1] == "procurator_general" and _delegated(mr, f, o))
                              for f, o in zip(fired, outcomes))
        committee = _committee(mr, [f for f, _ in allowed] or fired)
        return self._outcome(mr, status, authority, uncovered, common, committee, obligations, because, asked,
                             delegated, completed)

    def _outcome(self, mr, status, authority, uncovered, common, committee, obligations, because, asked, delegated,
                 completed, bounded: bool = False) -> Outcome:
        forbidden_by = None
        if status == "forbidden":
            forbidden_by = next((mr.rules[k] for k in sorted(common) if getattr(mr.rules[k], "forbid", False)), None)
        return Outcome(
            matter=mr.matter, status=status, authority=authority, uncovered=uncovered if status == "ok" else False,
            obligations=obligations, because=because,
            missing_facts=tuple(MissingFact(f, self.catalogue.facts[f].question) for f in asked),
            delegated=delegated,
            committee=committee,
            forbidden_by=forbidden_by, completed=completed, bounded=bounded, level=self.list.level)

    def finish(self, outcome: Outcome, request: Request) -> Decision:
        """The decision of `request` from the `Outcome` of its matter and facts (step 6-8: the actor,
        the chain, the vote, who is responsible, the violation)."""
        s = standing(outcome, request.actor, request.decided_by)
        return Decision(
            list_id=self.list.id, digest=self.list.digest, case=request.case, matter=outcome.matter,
            actor=request.actor, status=outcome.status, authority=outcome.authority, uncovered=outcome.uncovered,
            actor_may_decide=s.may, chain=s.chain, obligations=outcome.obligations, because=outcome.because,
            missing_facts=outcome.missing_facts, vote=vote_result(request.vote, self.procurator_general_sits(outcome.matter)) if request.vote else None,
            responsible=s.responsible, violation=s.violation, on=request.on, bounded=outcome.bounded,
            delegated=outcome.delegated)


@dataclass(frozen=True)
class Outcome:
    """What a matter's facts decide under one list, before anyone asks (docs/deciding.md, steps 1-5):
    the same for every actor, `decided_by` and vote, so the batch path shares one per situation."""

    matter: str
    status: Status
    authority: str | None
    uncovered: bool
    obligations: tuple
    because: tuple
    missing_facts: tuple
    delegated: bool       # a deputy procurator-general decides it by delegation
    committee: bool       # a committee-level rule holds (in every lawful completion of the missing facts)
    forbidden_by: StatutoryRule | None  # the first statutory rule that forbids the action, or None
    completed: frozenset = frozenset()  # (status, authority, delegated) of each completion of the missing facts
    bounded: bool = False  # the missing facts have too many completions to tell what they change
    level: str | None = None  # the list's level, against which the actor's and decider's bodies resolve


@dataclass(frozen=True)
class Standing:
    """Where one actor stands on an `Outcome` (steps 6-8), apart from the vote."""

    may: bool | None
    chain: tuple
    responsible: str | None
    violation: Violation | None


def standing(o: Outcome, actor: str | None, decided_by: str | None) -> Standing:
    """Whether `actor` may decide, the chain up to the authority, who is responsible and whether
    `decided_by` lacked the power."""
    ok = o.status == "ok"
    # a body above the committee is who it is at the list's level (`levels.resolve`)
    actor = resolve(actor, o.level)
    may = None if actor is None else may_decide(actor, o.status, o.authority, o.delegated)
    violation = None
    if decided_by is not None:
        decided = resolve(decided_by, o.level)
        if o.status == "forbidden":
            rule = o.forbidden_by
            violation = Violation(decided_by, None,
                                  f"the action is forbidden by law ({rule.id}: {'; '.join(rule.basis)})" if rule
                                  else "the action is forbidden by law")
        elif ok and not may_decide(decided, o.status, o.authority, o.delegated):
            violation = Violation(decided_by, o.authority,
                                  f"`{decided_by}` lacks the power: `{o.matter}` needs `{o.authority}`")
        elif o.status == "undetermined" and o.completed and not any(
                may_decide(decided, s, a, d) for s, a, d in o.completed):
            violation = Violation(decided_by, o.authority,
                                  f"`{decided_by}` lacks the power whatever the missing facts: `{o.matter}` is "
                                  f"forbidden or needs more in every case they leave open")
    named = ok or o.status == "undetermined"  # an outcome that names its authority (an ok one always does)
    return Standing(
        may=may, chain=chain(actor, o.authority, o.delegated, o.committee, o.level)
        if named and o.authority is not None else (),
        responsible=decided_by or ((actor if may else o.authority) if ok else None), violation=violation)


def _authority_of(rule):
    if isinstance(rule, Item):
        return rule.authority
    if isinstance(rule, (StatutoryRule, UpperRule)):
        return rule.floor
    return None


def _committee(mr: MatterRules, fired_sets) -> bool:
    """Whether a committee-level rule holds (step 6: the chain passes the committee) in every one of
    `fired_sets` (the lawful completions of the missing facts, or all of them where none is lawful) —
    whichever rule it is in each: so a request lacking facts passes the committee exactly when each of
    its completions would, as the exact impact (which decides complete situations) compares them."""
    return all(any(_authority_of(mr.rules[k]) == "procuratorial_committee" for k in f) for f in fired_sets)


def _delegated(mr: MatterRules, fired, outcome) -> bool:
    """Whether, in one completion, the deputy procurator-general decides by delegation: the matter is
    the procurator-general's, an item covers it, and every rule that names the procurator-general
    delegates to the deputy (规则第四条: what no item delegates stays with the procurator-general)."""
    status, authority, uncovered = outcome
    return status == "ok" and authority == "procurator_general" and not uncovered and all(
        "deputy_procurator_general" in getattr(mr.rules[k], "delegable_to", ())
        for k in fired if _authority_of(mr.rules[k]) == "procurator_general")


def _obligations(mr: MatterRules, done, outcomes) -> tuple:
    """Who must be informed, over the completions of the missing facts (one when none is missing).
    A rule that applies in every completion is listed unconditionally, one that applies in some with
    `if_facts`: exactly the missing facts whose answers can make it apply or not (`Completions.deciding`
    of whether it applies — the rule's own facts, and those deciding whether its authority is the one
    required). But a duty is owed to an authority, whichever rule imposes it: an authority informed in
    every completion though by no one rule (say an item for each answer to a missing fact) is owed
    outright all the same — taken out of those rules' conditional entries and listed once, `by` the
    first, `or_by` the others. So a decision lacking facts owes outright exactly what every completion
    owes, as the exact impact (which decides complete situations) compares them."""
    sets = [mr.obligations(f, o[1]) if o[0] == "ok" else set() for f, o in zip(done.fired, outcomes)]
    everywhere = set.intersection(*sets) if sets else set()
    somewhere = set.union(*sets) if sets else set()
    always = set.intersection(*({a for _, to, _ in s for a in to} for s in sets)) if sets else set()
    covered = {a for _, to, _ in everywhere for a in to}
    out = []
    merged: dict = {}  # authority owed in every completion, though by no one rule -> the rules owing it
    jointly = always - covered
    for by, to, k in sorted(somewhere):
        if (by, to, k) in everywhere:
            out.append(((by, to, k), Obligation(to, by)))
            continue
        for a in to:
            if a in jointly:
                merged.setdefault(a, []).append((by, to, k))
        unsure = tuple(a for a in to if a not in jointly)
        if unsure:
            holds = [(by, to, k) in s for s in sets]
            out.append(((by, to, k), Obligation(unsure, by, tuple(done.deciding(holds)))))
    grouped: dict = {}
    for a, rules in merged.items():
        grouped.setdefault(tuple(rules), []).append(a)
    for rules, to in grouped.items():
        out.append((rules[0], Obligation(tuple(to), rules[0][0], (), tuple(r[0] for r in rules[1:]))))
    return tuple(o for _, o in sorted(out, key=lambda e: e[0]))


def _reason(rule) -> Reason:
    """The `because` entry of a rule (made once per rule, when its matter is compiled)."""
    if isinstance(rule, Item):
        return Reason(rule.id, ReasonKind.ITEM, rule.authority, rule.source, rule.basis, Effect.DECIDES)
    if isinstance(rule, StatutoryRule):
        return Reason(rule.id, ReasonKind.STATUTE, rule.floor, rule.source, rule.basis,
                      Effect.FORBID if rule.forbid else Effect.FLOOR if rule.floor else
                      Effect.PERMISSION if rule.permission is not None else Effect.REPORT, rule.message)
    if isinstance(rule, UpperRule):
        return Reason(rule.id, ReasonKind.UPPER, rule.floor, rule.source, rule.basis, Effect.FLOOR,
                      list_id=rule.list_id)
    return Reason(rule.id, ReasonKind.REPORTING, None, rule.source, rule.basis, Effect.REPORT)


def _because(mr: MatterRules, common, authority) -> tuple:
    """The reasons of the rules that fired in every completion: a reporting rule where it applies to the
    required authority; an upper list's item where it reaches the required authority (the upper list
    binds as a floor: one below what is required explains nothing, and a lower list mirroring its upper
    one would name every item twice)."""
    return _sorted_reasons([mr.reasons[k] for k in common
                            if (not isinstance(mr.rules[k], ReportingRule) or authority in mr.rules[k].applies_to)
                            and (not isinstance(mr.rules[k], UpperRule)
                                 or authority is not None and RANK[mr.rules[k].floor] >= RANK[authority])])


def _sorted_reasons(reasons) -> tuple:
    """Prohibitions first, then floors, items and reporting rules, the highest authority first."""
    return tuple(sorted(reasons, key=lambda r: (KIND_ORDER[r.effect], -RANK.get(r.authority, -1) if r.authority else 0,
                                                r.id)))


def may_decide(who: str, status: Status, authority: str | None, delegated: bool) -> bool:
    """Whether `who` holds the power: rank at least the required one; the deputy only by delegation."""
    if status != "ok" or authority is None:
        return False
    if who == "deputy_procurator_general" and RANK[authority] >= RANK["procurator_general"]:
        return delegated and authority == "procurator_general"
    return RANK[who] >= RANK[authority]


def chain(actor: str | None, authority: str, delegated: bool, committee_involved: bool, level: str | None = None) -> tuple:
    """From the actor up to the required authority through the department head's review (规则第六条),
    and above the list's own procuratorate level by level (层报: `levels.ladder` of its `level`)."""
    start = actor or "prosecutor"
    if may_decide(start, "ok", authority, delegated):
        return (start,)
    steps = [start]
    # the chain ends at the required authority, the deputy procurator-general included
    for step in (DEPUTY_LADDER if authority == "deputy_procurator_general" else LADDER + ladder(level)):
        if RANK[start] < RANK[step] <= RANK[authority]:
            if step == "procuratorial_committee" and authority != step and not committee_involved:
                continue
            steps.append(step)
    if start == "deputy_procurator_general" and authority == "procurator_general":
        steps = [start, authority]
    return tuple(steps)


def vote_result(vote, procurator_general_sits: bool = True) -> VoteResult:
    """A committee vote (组织法第三十条 to 第三十二条): the meeting is valid with more than half of the
    members present; a decision is adopted with more than half of all members in favour (the 2020
    committee working rules, as the Supreme People's Procuratorate reports them; their article is not
    in law/). Only an adopted decision can be dissented from, and only by a procurator-general who sat:
    not on their own recusal (规则第二十九条). The dissenting procurator-general *may* refer it up
    (组织法第三十二条): a case to the superior procuratorate; a major matter to the superior
    procuratorate or the standing committee of the people's congress at the same level."""
    valid = vote.present * 2 > vote.members
    adopted = valid and vote.in_favour * 2 > vote.members
    dissent = vote.procurator_general_dissents
    refer = "superior_procuratorate" if adopted and dissent and procurator_general_sits else None
    if not valid:
        reason = f"no quorum: {vote.present} of {vote.members} members present; more than half must attend"
    elif not adopted:
        reason = f"not adopted: {vote.in_favour} of {vote.members} members in favour; more than half of all members needed"
    else:
        reason = f"adopted: {vote.in_favour} of {vote.members} members in favour, {vote.present} present"
    if dissent and not procurator_general_sits:
        reason += ("; the procurator-general does not sit on this matter (their own recusal, 规则第二十九条), "
                   "so there is no dissent of theirs to refer")
    elif dissent and not adopted:
        reason += "; the procurator-general's dissent refers nothing: there is no adopted decision to dissent from"
    elif refer:
        reason += ("; the procurator-general dissents from the majority, and may refer the matter (组织法第三十二条): "
                   "a case to the superior procuratorate; a major matter to the superior procuratorate or to the "
                   "standing committee of the people's congress at the same level")
    return VoteResult(valid, adopted, refer, reason, vote.members, vote.present, vote.in_favour)
