"""Exact impact of a revision: every situation whose decision the revision changes, and replay.

For each matter, the conditions of both lists (items, reporting rules) and of the statutory rules on
it define one situation space (`situations.Space`): every fact any of them reads, at each constant a
comparison names, one value in each interval between and beyond them, every enum value, true and
false. Two requests in the same region get the same decision under either list, so deciding one
representative per region under both lists finds every change; nothing can escape for want of a test
case. Where a matter reads too many facts (more than `situations.LIMIT` situations), the enumeration
is cut at the bound and the matter is marked `bounded` with the true total.

What is compared (`decision_key`): status, required authority, `uncovered`, the obligations (who must
be informed, and whether conditionally: item ids differ between versions, so obligations compare by
the authorities informed, not by the rule that imposes them), whether the actor may decide, and the
violation when `decided_by` is given.

Actor: each situation is decided once, with the deputy procurator-general as the actor. For every
other actor, whether it may decide follows from the status and the required authority alone (rank
order), which the key already holds; the deputy's answer adds the one thing that does not — whether
the procurator-general's power is delegated. The example request printed for a change uses the
prosecutor as actor (the usual asker) unless only the delegation changed.

Absence: situations are complete (every fact read is given), except that a fact tested with `exists`
also takes the value "absent". A request lacking facts is decided over its completions, so its
decision changes only where a completion's does; replay checks this (`Replay.unexplained`). For that,
what a lacking request's decision says must be a function of what its completions say, compared the
way this module compares them: an authority is owed a report unconditionally where every completion
owes it (whichever rule imposes it in each), conditionally where only some do; and the deputy may
decide by delegation only where every completion delegates (`decide._obligations`, `decide._delegated`).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace

from .conditions import leaves
from .decide import Decider
from .model import RANK, Catalogue, DoubleList
from .operators import OPERATORS
from .requests import Request, RequestError, parse_request
from .situations import ABSENT, LIMIT, Space, fact_values, reads

EXAMPLE_ACTOR = "prosecutor"
KEY_ACTOR = "deputy_procurator_general"


def obligations_key(decision) -> tuple:
    """Who must be informed, and who only conditionally (unless already owed outright), independent
    of the rules' ids: two decisions that owe the same people the same reports compare equal."""
    owed = {a for o in decision.obligations if not o.if_facts for a in o.report_to}
    maybe = {a for o in decision.obligations if o.if_facts for a in o.report_to} - owed
    return (tuple(sorted(owed)), tuple(sorted(maybe)))


def decision_key(decision) -> tuple:
    v = decision.violation
    return (decision.status, decision.authority, decision.uncovered, obligations_key(decision),
            decision.actor_may_decide, (v.decided_by, v.required) if v else None)


def decision_brief(decision) -> dict:
    """The compared parts of a decision, as JSON."""
    return {"status": decision.status, "authority": decision.authority, "uncovered": decision.uncovered,
            "actor_may_decide": decision.actor_may_decide,
            "obligations": sorted({a for o in decision.obligations if not o.if_facts for a in o.report_to}),
            "conditional_obligations": sorted({a for o in decision.obligations if o.if_facts for a in o.report_to}),
            "because": [r.id for r in decision.because]}


def union_space(matter: str, old: DoubleList | None, new: DoubleList | None, catalogue: Catalogue) -> tuple:
    """(Space, facts read) over both lists' rules on `matter` and the statutory rules on it."""
    conds: list = []
    for lst in (old, new):
        if lst is not None:
            conds.extend(i.when for i in lst.deciding_items(matter))
            conds.extend(r.when for r in lst.reporting)
    levels = {lst.level for lst in (old, new) if lst is not None}
    conds.extend(r.when for r in catalogue.rules_for(matter) if not r.levels or levels & set(r.levels))
    space = Space(conds, catalogue.facts)
    presence = {leaf.fact for c in conds for leaf in leaves(c) if OPERATORS[leaf.op].presence}
    for code in presence & set(space.per_fact):
        fv = space.per_fact[code]
        space.per_fact[code] = fact_values(catalogue.facts[code], fv.constants, absent=True)
    order = {code: i for i, code in enumerate(catalogue.facts)}
    codes = sorted((c for c in reads(*conds) if c in space.per_fact), key=lambda c: order.get(c, 1 << 30))
    return space, codes


def situations(space: Space, codes: list, limit: int = LIMIT):
    """(iterator of situations, total, bounded): cut at `limit` when the space is larger."""
    total = space.count(codes)

    def gen():
        for combo in itertools.islice(itertools.product(*(space.values(c) for c in codes)), limit):
            yield {c: v for c, v in zip(codes, combo) if v is not ABSENT}

    return gen(), total, total > limit


def _signature(lst: DoubleList | None, matter: str) -> tuple:
    """Everything in a list that bears on decisions of `matter` (ids, wording and places aside)."""
    if lst is None:
        return ((), ())
    items = sorted((repr(i.authority), repr(i.when), i.report_to, i.delegable_to) for i in lst.deciding_items(matter))
    rep = sorted((repr(r.when), r.applies_to, r.report_to) for r in lst.reporting)
    return (tuple(items), tuple(rep))


@dataclass
class Change:
    situation: dict
    old: dict
    new: dict
    region: tuple
    direction: str  # up | down | same | incomparable (of the required authority or status)

    def example(self, matter: str, actor: str) -> dict:
        return {"matter": matter, "actor": actor, "facts": dict(self.situation)}


@dataclass
class MatterImpact:
    matter: str
    facts: list
    enumerated: int
    total: int
    bounded: bool
    skipped: bool  # both lists' rules on the matter are the same: no decision can change
    changes: list = field(default_factory=list)
    space: Space | None = None

    @property
    def direction(self) -> str:
        dirs = {c.direction for c in self.changes}
        if "incomparable" in dirs or {"up", "down"} <= dirs:
            return "mixed"
        if "up" in dirs:
            return "up"
        if "down" in dirs:
            return "down"
        return "unchanged"

    def region_key(self, facts: dict) -> tuple:
        return self.space.region_key(self.facts, facts) if self.space is not None else ()

    def groups(self) -> list:
        """The changes grouped by (old outcome, new outcome). Each group's situations are described
        by a few cubes (`where`: fact values that, with every value of the facts left out, fall in the
        group), the first of which is `where`; with `count` and one `example` situation."""
        out: dict = {}
        for c in self.changes:
            k = (repr(sorted(c.old.items())), repr(sorted(c.new.items())))
            out.setdefault(k, {"old": c.old, "new": c.new, "direction": c.direction, "situations": []})["situations"].append(c.situation)
        result = []
        for g in out.values():
            sits = g.pop("situations")
            cubes = self._cubes(sits)
            result.append({**g, "count": len(sits), "where": cubes[0], "cubes": cubes, "example": sits[0]})
        return sorted(result, key=lambda g: (g["direction"] == "same", -g["count"]))

    def _cubes(self, sits: list, most: int = 4) -> list:
        """Greedy prime cubes covering `sits` (a readable description of where a change happens)."""
        space, codes = self.space, self.facts
        if space is None or len(sits) * max(1, space.count(codes)) > 400_000:
            common = dict(sits[0])
            for s in sits[1:]:
                common = {f: v for f, v in common.items() if s.get(f, ABSENT) == v}
            return [common]
        members = {tuple(s.get(c, ABSENT) for c in codes) for s in sits}
        cubes, covered = [], set()
        for s in sits:
            key = tuple(s.get(c, ABSENT) for c in codes)
            if key in covered:
                continue
            best: dict | None = None
            for order in (codes, codes[::-1]):
                fixed = dict(zip(codes, key))
                for c in order:
                    trial = {f: v for f, v in fixed.items() if f != c}
                    free = [f for f in codes if f not in trial]
                    if all(tuple(trial.get(f, dict(zip(free, combo)).get(f)) for f in codes) in members
                           for combo in itertools.product(*(space.values(f) for f in free))):
                        fixed = trial
                if best is None or len(fixed) < len(best):
                    best = fixed
            assert best is not None  # set by the first of the two orders
            fixed = best
            free = [f for f in codes if f not in fixed]
            for combo in itertools.product(*(space.values(f) for f in free)):
                full = {**fixed, **dict(zip(free, combo))}
                covered.add(tuple(full[f] for f in codes))
            cubes.append({f: v for f, v in fixed.items() if v is not ABSENT})
            if len(cubes) >= most:
                break
        return cubes

    def reported_regions(self) -> set:
        return {c.region for c in self.changes}

    def to_json(self, actor: str = EXAMPLE_ACTOR) -> dict:
        return {"matter": self.matter, "facts": self.facts, "situations": self.enumerated, "total": self.total,
                "bounded": self.bounded, "identical_rules": self.skipped, "direction": self.direction,
                "groups": self.groups(),
                "changed": [{"situation": c.situation, "direction": c.direction, "old": c.old, "new": c.new,
                             "request": c.example(self.matter, _example_actor(c, actor)),
                             "command": command_line(c.example(self.matter, _example_actor(c, actor)))}
                            for c in self.changes]}


def _example_actor(change: Change, actor: str) -> str:
    only_delegation = (change.old["status"], change.old["authority"]) == (change.new["status"], change.new["authority"]) \
        and change.old["obligations"] == change.new["obligations"] and change.old["uncovered"] == change.new["uncovered"]
    return KEY_ACTOR if only_delegation else actor


def level(decision) -> int | None:
    """The rank of what a decision requires: an authority's rank; `forbidden` above every authority
    (nobody may act); `undetermined` has no rank (a change to or from it is `incomparable`)."""
    if decision.status == "ok":
        return RANK[decision.authority]
    if decision.status == "forbidden":
        return len(RANK)
    return None


def compare(old_decision, new_decision) -> str:
    a, b = level(old_decision), level(new_decision)
    if a is None or b is None:
        return "same" if a == b else "incomparable"
    return "up" if b > a else "down" if b < a else "same"


def matter_impact(matter: str, old_decider: Decider, new_decider: Decider, catalogue: Catalogue,
                  limit: int = LIMIT, force: bool = False) -> MatterImpact:
    old, new = old_decider.list, new_decider.list
    space, codes = union_space(matter, old, new, catalogue)
    if not force and _signature(old, matter) == _signature(new, matter):
        return MatterImpact(matter, codes, 0, space.count(codes), False, True, [], space)
    gen, total, bounded = situations(space, codes, limit)
    out = MatterImpact(matter, codes, 0, total, bounded, False, [], space)
    for situation in gen:
        out.enumerated += 1
        request = Request(matter, tuple(sorted(situation.items())), KEY_ACTOR)
        a, b = old_decider.decide(request), new_decider.decide(request)
        if decision_key(a) != decision_key(b):
            out.changes.append(Change(situation, decision_brief(a), decision_brief(b),
                                      space.region_key(codes, situation), compare(a, b)))
    return out


def touched(old: DoubleList, new: DoubleList) -> list:
    """Matters with an item (deciding or office) in either list, in order of first appearance."""
    seen: dict = {}
    for lst in (old, new):
        for item in lst.items:
            seen.setdefault(item.matter, None)
    return list(seen)


@dataclass
class Impact:
    matters: dict  # matter -> MatterImpact
    enumerated: int
    bounded: list

    @property
    def changed(self) -> list:
        return [m for m in self.matters.values() if m.changes]

    def to_json(self, actor: str = EXAMPLE_ACTOR) -> dict:
        return {"situations_enumerated": self.enumerated,
                "matters_examined": len(self.matters),
                "matters_identical": sum(m.skipped for m in self.matters.values()),
                "bounded": self.bounded,
                "situations_changed": sum(len(m.changes) for m in self.matters.values()),
                "matters": [m.to_json(actor) for m in self.changed]}


def exact_impact(old_decider: Decider, new_decider: Decider, catalogue: Catalogue, limit: int = LIMIT) -> Impact:
    """Impact over every matter either list touches; when the reporting rules differ, over every
    matter of the catalogue (a reporting rule reaches matters no item covers, e.g. at the fallback)."""
    old, new = old_decider.list, new_decider.list
    matters = [m for m in touched(old, new) if m in catalogue.matters]
    if _signature(old, "")[1] != _signature(new, "")[1]:
        matters += [m for m in catalogue.matters if m not in matters]
    out: dict = {}
    for matter in matters:
        out[matter] = matter_impact(matter, old_decider, new_decider, catalogue, limit)
    return Impact(out, sum(m.enumerated for m in out.values()), [m.matter for m in out.values() if m.bounded])


def command_line(request: dict, list_path: str = "NEW") -> str:
    """The `quanze decide` command line equivalent to a request."""
    parts = ["quanze decide", list_path, "-m", request["matter"]]
    if request.get("actor"):
        parts += ["-a", request["actor"]]
    for k, v in request.get("facts", {}).items():
        parts += ["-f", f"{k}={'true' if v is True else 'false' if v is False else v}"]
    return " ".join(parts)


# --- replay -------------------------------------------------------------------------------------

@dataclass
class Replay:
    total: int = 0
    errors: list = field(default_factory=list)   # (line, message)
    changed: list = field(default_factory=list)  # dicts
    unexplained: list = field(default_factory=list)  # changed actions the impact did not report

    def to_json(self) -> dict:
        return {"actions": self.total, "changed": len(self.changed), "errors": len(self.errors),
                "not_in_impact": len(self.unexplained),
                "changed_actions": self.changed,
                "bad_lines": [{"line": n, "error": m} for n, m in self.errors]}


def replay(records, old_decider: Decider, new_decider: Decider, catalogue: Catalogue,
           impact: Impact | None = None) -> Replay:
    """Decide every action under both lists; report those whose decision changes, and check each
    against the exact impact (a changed action outside the reported situations would be a bug)."""
    out = Replay()
    for n, raw in records:
        out.total += 1
        if isinstance(raw, RequestError):
            out.errors.append((n, f"{raw.code}: {raw.message}"))
            continue
        try:
            request = parse_request(raw, catalogue)
        except RequestError as exc:
            out.errors.append((n, f"{exc.code}: {exc.message}"))
            continue
        if request.on is not None:
            request = replace(request, on=None)
        a, b = old_decider.decide(request), new_decider.decide(request)
        if decision_key(a) == decision_key(b):
            continue
        entry = {"line": n, "case": request.case, "matter": request.matter, "actor": request.actor,
                 "direction": compare(a, b), "old": decision_brief(a), "new": decision_brief(b),
                 "request": raw}
        mi = impact.matters.get(request.matter) if impact is not None else None
        if mi is not None and mi.bounded:
            entry["in_impact"] = None  # past the enumeration bound: the impact cannot say
        elif impact is not None and not explained(impact, request):
            out.unexplained.append(entry)
            entry["in_impact"] = False
        elif impact is not None:
            entry["in_impact"] = True
        out.changed.append(entry)
    return out


def explained(impact: Impact, request: Request) -> bool:
    """Whether a request falls in (or, lacking facts, has a completion in) a reported situation."""
    mi = impact.matters.get(request.matter)
    if mi is None or not mi.changes:
        return False
    key = mi.region_key(request.fact_dict)
    for region in mi.reported_regions():
        if all(k == ("absent",) and r != ("absent",) or k == r for k, r in zip(key, region)):
            return True
    return False
