"""Exact impact of a revision: every situation whose decision the revision changes, and replay.

Situations. For each matter, the conditions of both lists (items, reporting rules) and of the statutory
rules on it define one situation space (`situations.Space`): every fact any of them reads, at each
constant a comparison names, one value in each interval between and beyond them, every enum value,
true and false — and absent, for a fact an `exists` test reads (a request lacking it is that situation:
deciding completes the fact's value, never its presence). Two requests in the same region get the same
decision under either list, so the space's situations are every decision the revision can change.

What is compared: the decision as every actor and every decider would get it (`outcome_brief`): the
status, the required authority, `uncovered`, who must be informed outright and who only conditionally
(by authority: item ids differ between versions), the chain (which shows whether it passes the
committee), whether the deputy procurator-general decides by delegation, and — while undetermined —
who would be in violation whatever the answers. Two situations with equal briefs give every request
the same decision JSON but for ids (`because`, `by`) and wording; two with different briefs give some
actor or some decider a different one. A revision changes a situation exactly when its two briefs
differ: no more, no less.

Factoring, so that the answer is exact at any size. The rules of both lists are split into groups that
share no fact (`situations.independent`). Within a group every situation is enumerated (a group is
small: the facts one condition, or a few overlapping ones, read), and what each list makes of it is
reduced to a *part*: the set of what its group's rules that fire contribute to a decision (`_canon`),
over the completions deciding would make of it. A situation is a choice of one situation per group,
and what it decides under a list depends only on the parts it chose, joined. So the groups are folded
one by one, keeping the distinct joined parts of both lists (few: a decision depends on little of
what fires) with how many situations reach each; each distinct pair is decided once, by the deciders
themselves, on one situation that reaches it. The count of changed situations is exact however many
facts a matter reads; the changed situations are described by *rectangles* (a set of situations per
group, the product of which changes), from which come the cubes (`where`: fact values, `null` for
absent, the others free) and, up to `LISTED`, the situations themselves. A matter is `bounded` only
where one group alone is past `situations.LIMIT` situations, or the fold past `STATE_LIMIT` distinct
parts: then the impact says so and the audit blocks (`publication.py`).

Replay decides actions under both lists and checks each changed one against the impact: a request
lacking facts is decided over its completions, and what it decides is a function of what they decide,
compared as above (`decide._obligations`, `decide._delegated`, `decide._committee`), so it changes only
where a completion does (`Replay.unexplained` must stay empty).
"""
from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field, replace

from .completions import COMBINATION_LIMIT, Completions
from .decide import Decider, Outcome, standing
from .model import AUTHORITIES, RANK, Catalogue, DoubleList, Item, ReportingRule, StatutoryRule
from .requests import Request, RequestError, parse_request
from .regions import region, simplest_cubes
from .situations import ABSENT, LIMIT, Space, independent, reads

EXAMPLE_ACTOR = "prosecutor"
KEY_ACTOR = "deputy_procurator_general"
STATE_LIMIT = 4096   # most distinct (old, new) parts the fold of a matter keeps (past it: bounded)
RECT_LIMIT = 4096    # most rectangles kept to describe one joined part (past it: counted, not described)
LISTED = 1000        # most changed situations listed one by one (their count is exact whatever it is)
CUBES_SHOWN = 16     # most cubes given for one group of changes (`cubes_more` says how many more)


# --- what is compared ----------------------------------------------------------------------------

def obligations_key(decision) -> tuple:
    """Who must be informed, and who only conditionally (unless already owed outright), independent
    of the rules' ids: two decisions that owe the same people the same reports compare equal."""
    owed = {a for o in decision.obligations if not o.if_facts for a in o.report_to}
    maybe = {a for o in decision.obligations if o.if_facts for a in o.report_to} - owed
    return (tuple(sorted(owed)), tuple(sorted(maybe)))


def decision_key(decision) -> tuple:
    """What a decision JSON says that a revision can change (ids and wording aside)."""
    v = decision.violation
    return (decision.status, decision.authority, decision.uncovered, obligations_key(decision),
            decision.actor_may_decide, decision.chain, (v.decided_by, v.required) if v else None,
            decision.bounded)


def decision_brief(decision) -> dict:
    """The compared parts of a decision, as JSON."""
    owed, maybe = obligations_key(decision)
    return {"status": decision.status, "authority": decision.authority, "uncovered": decision.uncovered,
            "actor_may_decide": decision.actor_may_decide, "chain": list(decision.chain),
            "obligations": list(owed), "conditional_obligations": list(maybe),
            "because": [r.id for r in decision.because]} | ({"bounded": True} if decision.bounded else {})


def outcome_brief(o: Outcome) -> dict:
    """What an outcome gives every actor and every decider (the module's "what is compared"), as JSON:
    equal briefs, equal decisions for all; different briefs, a different decision for someone."""
    owed, maybe = obligations_key(o)
    brief = {"status": o.status, "authority": o.authority, "uncovered": o.uncovered,
             "obligations": list(owed), "conditional_obligations": list(maybe),
             "chain": list(standing(o, None, None).chain), "delegated": o.delegated}
    if o.status == "undetermined":  # else who is in violation follows from the status and the authority
        brief["violation_whatever"] = [d for d in AUTHORITIES if standing(o, None, d).violation is not None]
    if o.bounded:
        brief["bounded"] = True
    return brief


# What can differ between two briefs, in the order a reader is told: who decides (or the status), whether
# the list names the matter, the route (the committee on the way, a delegation to the deputy), who must be
# informed, and who would be in violation while undetermined.
ASPECTS = {
    "authority": ("status", "authority", "bounded"),
    "coverage": ("uncovered",),
    "route": ("chain", "delegated", "actor_may_decide"),
    "reporting": ("obligations", "conditional_obligations"),
    "violation": ("violation_whatever", "violation"),
}


def changed_aspects(old: dict, new: dict) -> list:
    """What differs between two briefs (`outcome_brief` or `decision_brief`), as `ASPECTS` keys: a
    change of route that only follows from a change of authority is the authority's, not a second
    aspect. Empty exactly when the briefs agree on everything compared."""
    out = [name for name, keys in ASPECTS.items() if any(old.get(k) != new.get(k) for k in keys)]
    if "authority" in out:
        out = [a for a in out if a not in ("route", "violation")]
    return out


def _key(brief: dict) -> str:
    return json.dumps(brief, sort_keys=True)


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


# --- the space -----------------------------------------------------------------------------------

def union_space(matter: str, old: DoubleList | None, new: DoubleList | None, catalogue: Catalogue) -> tuple:
    """(Space, facts read in catalogue order) over both lists' rules on `matter` and the statutory
    rules on it that bind either; a fact an `exists` test reads may also be absent."""
    conds: list = []
    for lst in (old, new):
        if lst is not None:
            conds.extend(i.when for i in lst.deciding_items(matter))
            conds.extend(u.when for u in lst.upper_rules(matter))  # an upper list's items bind as floors
            conds.extend(r.when for r in lst.reporting_on(matter, catalogue))
    levels = {lst.level for lst in (old, new) if lst is not None}
    conds.extend(r.when for r in catalogue.rules_for(matter) if not r.levels or levels & set(r.levels))
    space = Space(conds, catalogue.facts, absent="exists")
    order = {code: i for i, code in enumerate(catalogue.facts)}
    codes = sorted((c for c in reads(*conds) if c in space.per_fact), key=lambda c: order.get(c, 1 << 30))
    return space, codes


def _signature(lst: DoubleList | None, matter: str, catalogue: Catalogue) -> tuple:
    """Everything in a list that bears on decisions of `matter` (ids, wording and places aside)."""
    if lst is None:
        return ((), (), (), ())
    items = sorted((repr(i.authority), repr(i.when), i.report_to, i.delegable_to) for i in lst.deciding_items(matter))
    rep = sorted((repr(r.when), r.applies_to, r.report_to) for r in lst.reporting_on(matter, catalogue))
    upper = sorted((repr(u.floor), repr(u.when), u.delegable_to) for u in lst.upper_rules(matter))
    return (tuple(items), tuple(rep), tuple(r.id for r in catalogue.rules_for(matter, lst.level)), tuple(upper))


# --- parts: what the rules that fire contribute to a decision ---------------------------------------

# (forbidden, highest item rank, highest floor rank, informed whoever decides, (applies_to, report_to)
# of the reporting rules, a rule naming the procurator-general undelegated, a committee-level rule)
NOTHING: tuple = (False, -1, -1, frozenset(), frozenset(), False, False)


def _canon(rules: tuple, fired) -> tuple:
    """What the rules of `fired` (keys into `rules`) contribute to a decision, and nothing else: the
    decision on a set of rules that fire reads only this (`MatterRules.outcome` and `.obligations`,
    `decide._delegated`, `decide._committee`), and the part of a union is the join of the parts."""
    forbid, item, floor, undelegated, committee = False, -1, -1, False, False
    informed: set = set()
    reporting: set = set()
    for k in fired:
        rule = rules[k]
        if isinstance(rule, ReportingRule):
            reporting.add((rule.applies_to, rule.report_to))
            continue
        if isinstance(rule, Item):
            authority = rule.authority
            if authority is not None:  # a deciding item (office items decide nothing, and are not here)
                item = max(item, RANK[authority])
        else:
            forbid = forbid or rule.forbid
            if rule.floor:
                floor = max(floor, RANK[rule.floor])
            authority = rule.floor
        informed.update(rule.report_to)
        if authority == "procurator_general" and "deputy_procurator_general" not in rule.delegable_to:
            undelegated = True
        if authority == "procuratorial_committee":
            committee = True
    return (forbid, item, floor, frozenset(informed), frozenset(reporting), undelegated, committee)


def _join(a: tuple, b: tuple) -> tuple:
    return (a[0] or b[0], max(a[1], b[1]), max(a[2], b[2]), a[3] | b[3], a[4] | b[4], a[5] or b[5], a[6] or b[6])


BOUNDED = ("bounded",)  # a list's part where deciding itself is bounded (too many completions)


def _part(mr, keys: frozenset, facts: dict, fact_order: list) -> tuple:
    """What one list makes of one group's situation `facts` (its rules `keys`): BOUNDED, or (the set of
    the parts of every completion deciding would make, how many combinations deciding would count) —
    as `Decider.outcome` completes a request, restricted to the group (its other rules read other facts)."""
    values = mr.values(facts)
    open_rules = [k for k in sorted(keys) if values[k] is None]
    relevant = mr.to_complete(frozenset().union(*[mr.reads_of[k] for k in open_rules]), facts, fact_order)
    done = Completions(mr, facts, relevant, open_rules)
    if done.bounded:
        return BOUNDED
    return (frozenset(_canon(mr.rules, f & keys) for f in done.fired), len(done.combos))


def _fold(state: tuple, part: tuple) -> tuple:
    """The joined part of a list after one more group."""
    if state is BOUNDED or part is BOUNDED:
        return BOUNDED
    parts, combos = state
    more, n = part
    combos *= n
    if combos > COMBINATION_LIMIT:
        return BOUNDED
    return (frozenset(_join(a, b) for a in parts for b in more), combos)


START = (frozenset({NOTHING}), 1)


@dataclass
class Group:
    """One group of facts that no rule joins to another: its situations, and what each list makes of each."""

    facts: tuple
    situations: list   # tuples of values (ABSENT for absent), in product order
    sids: list         # per situation, the index of its (old part, new part) in `parts`
    parts: list        # distinct (old part, new part)
    counts: list       # situations per part
    first: list        # per part, its first situation
    index: dict = field(default_factory=dict)  # situation -> its part's index

    def preimage(self, sids: frozenset) -> list:
        """The group's situations whose part is one of `sids`."""
        return [t for t, s in zip(self.situations, self.sids) if s in sids]


@dataclass
class ChangeGroup:
    """The situations that go from one outcome to another: exactly the union of `rects`' products."""

    old: dict
    new: dict
    direction: str
    count: int
    rects: list | None  # tuples of frozensets of part indexes, one per group; None: too many to keep
    example: dict


@dataclass
class Change:
    situation: dict
    old: dict
    new: dict
    direction: str  # up | down | same | incomparable (of the required authority or status)

    def example(self, matter: str, actor: str) -> dict:
        return {"matter": matter, "actor": actor, "facts": dict(self.situation)}


@dataclass
class MatterImpact:
    matter: str
    facts: list
    total: int                 # situations of the matter (every one is accounted for, unless bounded)
    bounded: bool
    skipped: bool              # both lists' rules on the matter are the same: no decision can change
    space: Space               # the situations (`union_space`)
    changed: int = 0           # situations whose decision changes (exact)
    change_groups: list = field(default_factory=list)
    changes: list = field(default_factory=list)  # the changed situations, up to LISTED
    why: str = ""              # why bounded
    required: tuple = ((), ())  # per list, the authorities some situation requires (by rank); () if not computed
    fact_groups: list = field(default_factory=list, repr=False)  # Group: the facts no condition joins
    changed_at: dict = field(default_factory=dict, repr=False)  # joined (old part, new part) -> changed?
    group_at: dict = field(default_factory=dict, repr=False)    # joined (old part, new part) -> ChangeGroup

    @property
    def enumerated(self) -> int:
        """Situations accounted for: every one, unless bounded."""
        return 0 if self.bounded else self.total

    @property
    def direction(self) -> str:
        dirs = {g.direction for g in self.change_groups}
        if "incomparable" in dirs or {"up", "down"} <= dirs:
            return "mixed"
        if "up" in dirs:
            return "up"
        if "down" in dirs:
            return "down"
        return "unchanged"

    def groups(self) -> list:
        """The changes grouped by (old outcome, new outcome): `count` situations, described exactly by
        `cubes` (each: fact values, null for absent, that with every value of the facts left out fall
        in the group; `cubes_more` further cubes not given here, `where` the first) and an `example`."""
        out = []
        for g in self.change_groups:
            cubes, total = self._cubes(g)
            if total is not None and total == len(cubes) and len(cubes) > 1:
                cubes = self._simplest(cubes)
                total = len(cubes)
            out.append({"old": g.old, "new": g.new, "direction": g.direction,
                        "changes": changed_aspects(g.old, g.new), "count": g.count,
                        "where": cubes[0] if cubes else None, "cubes": cubes,
                        "cubes_more": None if total is None else total - len(cubes), "example": g.example})
        return out

    def _cubes(self, g: ChangeGroup) -> tuple:
        """(the first CUBES_SHOWN cubes of `g`, how many in all; None when not described)."""
        if g.rects is None:
            return [], None
        shown: list = []
        total = 0
        per_group: dict = {}
        for rect in _merge(self._widen(g)):
            lists: list = []
            for gi, sids in enumerate(rect):
                grp = self.fact_groups[gi]
                if len(sids) == len(grp.parts):
                    lists.append([{}])
                    continue
                key = (gi, sids)
                if key not in per_group:
                    per_group[key] = _group_cubes(grp, space=self.space, members=set(grp.preimage(sids)))
                lists.append(per_group[key])
            n = 1
            for cubes in lists:
                n *= len(cubes)
            total += n
            for combo in itertools.product(*lists):
                if len(shown) >= CUBES_SHOWN:
                    break
                cube: dict = {}
                for part in combo:
                    cube.update(part)
                shown.append(dict(sorted(cube.items(), key=lambda kv: self.facts.index(kv[0]))))
        return shown, total

    def _simplest(self, cubes: list) -> list:
        """The same situations as `cubes` in the fewest cubes naming the fewest facts (`regions`), so
        that a reviewer reads one condition where the fold found four; `cubes` as they are past its
        bounds."""
        return simplest_cubes(self.space, cubes, self.facts)

    def _widen(self, g: ChangeGroup) -> list:
        """`g`'s rectangles, each widened to every situation of a group wherever that keeps it inside
        `g` (a change where the first fact is true, whatever the others, is one cube, though the fold
        reached it rectangle by rectangle), and those inside another left out."""
        rects = g.rects or []
        if len(rects) > 256:
            return rects
        out = []
        for rect in rects:
            rect = list(rect)
            for i, grp in enumerate(self.fact_groups):
                every = frozenset(range(len(grp.parts)))
                if rect[i] != every and self._only(rect[:i] + [every] + rect[i + 1:], g):
                    rect[i] = every
            out.append(tuple(rect))
        out = list(dict.fromkeys(out))
        return [r for r in out if not any(o != r and all(a <= b for a, b in zip(r, o)) for o in out)]

    def _only(self, rect: list, g: ChangeGroup) -> bool:
        """Whether every situation of a rectangle goes from `g.old` to `g.new`."""
        states = {(START, START)}
        for grp, sids in zip(self.fact_groups, rect):
            states = {(_fold(a, grp.parts[s][0]), _fold(b, grp.parts[s][1])) for a, b in states for s in sids}
        return all(self.group_at.get(state) is g for state in states)

    def contains(self, facts: dict) -> bool | None:
        """Whether a request falls in (or, lacking facts, has a completion in) a changed situation: a
        fact an `exists` test reads is absent there as in the request; another missing fact takes every
        value. None when the matter is bounded."""
        if self.bounded:
            return None
        if self.skipped or not self.changed:
            return False
        states = {(START, START)}
        for grp in self.fact_groups:
            candidates = []
            for f in grp.facts:
                fv = self.space.per_fact[f]
                if facts.get(f) is not None:
                    region = fv.region(facts[f])
                    candidates.append([v for v in fv.values if fv.region(v) == region])
                elif ABSENT in fv.values:
                    candidates.append([ABSENT])
                else:
                    candidates.append([v for v in fv.values if v is not ABSENT])
            sids = {grp.index[t] for t in itertools.product(*candidates)}
            states = {(_fold(a, grp.parts[s][0]), _fold(b, grp.parts[s][1])) for a, b in states for s in sids}
        return any(self.changed_at.get(s, False) for s in states)

    def to_json(self, actor: str = EXAMPLE_ACTOR) -> dict:
        return {"matter": self.matter, "facts": self.facts, "situations": self.enumerated, "total": self.total,
                "bounded": self.bounded, "bounded_why": self.why or None, "identical_rules": self.skipped,
                "direction": self.direction, "situations_changed": self.changed,
                "groups": self.groups(),
                "changed": [{"situation": c.situation, "direction": c.direction, "old": c.old, "new": c.new,
                             "request": c.example(self.matter, _example_actor(c, actor)),
                             "command": command_line(c.example(self.matter, _example_actor(c, actor)))}
                            for c in self.changes],
                "changed_more": self.changed - len(self.changes)}


def _merge(rects: list) -> list:
    """Rectangles that differ in one coordinate only, merged into one (while few enough to compare)."""
    rects = list(dict.fromkeys(rects))
    merged = True
    while merged and len(rects) <= 256:
        merged = False
        for i, a in enumerate(rects):
            for j in range(i + 1, len(rects)):
                b = rects[j]
                diff = [k for k in range(len(a)) if a[k] != b[k]]
                if len(diff) <= 1:
                    k = diff[0] if diff else 0
                    rects[i] = a[:k] + (a[k] | b[k],) + a[k + 1:] if diff else a
                    del rects[j]
                    merged = True
                    break
            if merged:
                break
    return rects


def _group_cubes(grp: Group, space: Space, members: set) -> list:
    """Cubes over one group's facts covering exactly `members` (its situations, as tuples): greedy
    prime cubes, then cubes alike but for the values of one enum, boolean or text fact merged into one
    (`case_source` one of four). Each is a dict of what it fixes (`regions.region`)."""
    codes = list(grp.facts)
    values = [space.values(c) for c in codes]
    if len(members) * max(1, len(grp.situations)) > 400_000:  # too costly to widen: one cube a situation
        found = [dict(enumerate(t)) for t in grp.situations if t in members]
    else:
        found, covered = [], set()
        for t in grp.situations:
            if t not in members or t in covered:
                continue
            best: dict | None = None
            for order in (range(len(codes)), range(len(codes) - 1, -1, -1)):
                fixed = dict(enumerate(t))
                for i in order:
                    trial = {k: v for k, v in fixed.items() if k != i}
                    free = [k for k in range(len(codes)) if k not in trial]
                    if all(tuple(trial[k] if k in trial else dict(zip(free, combo))[k] for k in range(len(codes)))
                           in members for combo in itertools.product(*(values[k] for k in free))):
                        fixed = trial
                if best is None or len(fixed) < len(best):
                    best = fixed
            assert best is not None  # set by the first of the two orders
            free = [k for k in range(len(codes)) if k not in best]
            for combo in itertools.product(*(values[k] for k in free)):
                full = {**best, **dict(zip(free, combo))}
                covered.add(tuple(full[k] for k in range(len(codes))))
            found.append(best)
    cubes = [{k: (v,) for k, v in c.items()} for c in found]
    sets = [space.per_fact[c].type in ("boolean", "enum", "string") for c in codes]
    merged = True
    while merged and len(cubes) <= 256:
        merged = False
        for i, j in itertools.combinations(range(len(cubes)), 2):
            a, b = cubes[i], cubes[j]
            if a.keys() != b.keys():
                continue
            diff = [k for k in a if a[k] != b[k]]
            if len(diff) != 1 or not sets[diff[0]] or ABSENT in a[diff[0]] + b[diff[0]]:
                continue
            k = diff[0]
            both = tuple(v for v in values[k] if v in a[k] or v in b[k])
            cubes[i] = {**a, k: both}
            if set(both) == set(values[k]):
                del cubes[i][k]
            del cubes[j]
            merged = True
            break
    fv = space.per_fact
    return [{codes[k]: region(fv[codes[k]], v) for k, v in sorted(c.items())} for c in cubes]


def _example_actor(change: Change, actor: str) -> str:
    only_delegation = {k for k in change.old.keys() | change.new.keys() if change.old.get(k) != change.new.get(k)} \
        <= {"delegated"}
    return KEY_ACTOR if only_delegation else actor


def _situation(facts, values: tuple) -> dict:
    return {f: v for f, v in zip(facts, values) if v is not ABSENT}


def matter_impact(matter: str, old_decider: Decider, new_decider: Decider, catalogue: Catalogue,
                  force: bool = False) -> MatterImpact:
    """Every situation of `matter` whose decision the revision changes (the module's method); `force`
    computes it even where both lists' rules on the matter are the same."""
    old, new = old_decider.list, new_decider.list
    space, codes = union_space(matter, old, new, catalogue)
    total = space.count(codes)
    if not force and _signature(old, matter, catalogue) == _signature(new, matter, catalogue):
        return MatterImpact(matter, codes, total, False, True, space=space)
    out = MatterImpact(matter, codes, total, False, False, space=space)
    mrs = (old_decider.rules(matter), new_decider.rules(matter))
    order = list(catalogue.facts)
    groups = []
    for facts in independent(codes, [r for mr in mrs for r in mr.reads_of]):
        size = space.count(facts)
        if size > LIMIT:
            out.bounded, out.why = True, (f"{size} situations over {', '.join(facts)}, which one condition joins, "
                                          f"exceed the bound of enumeration ({LIMIT})")
            return out
        keys = [frozenset(k for k, r in enumerate(mr.reads_of) if r & set(facts)) for mr in mrs]
        grp = Group(facts, [], [], [], [], [])
        index: dict = {}
        for values in itertools.product(*(space.values(f) for f in facts)):
            sit = _situation(facts, values)
            part = (_part(mrs[0], keys[0], sit, order), _part(mrs[1], keys[1], sit, order))
            sid = index.get(part)
            if sid is None:
                sid = index[part] = len(grp.parts)
                grp.parts.append(part)
                grp.counts.append(0)
                grp.first.append(values)
            grp.counts[sid] += 1
            grp.situations.append(values)
            grp.sids.append(sid)
            grp.index[values] = sid
        groups.append(grp)
    out.fact_groups = groups

    # the fold: (old part, new part) -> [situations, one of them (values per group), rectangles]
    states: dict = {(START, START): [1, (), [()]]}
    for grp in groups:
        folded: dict = {}
        for (a, b), (count, first, rects) in states.items():
            by_next: dict = {}
            for sid, (pa, pb) in enumerate(grp.parts):
                by_next.setdefault((_fold(a, pa), _fold(b, pb)), []).append(sid)
            for nxt, sids in by_next.items():
                entry = folded.get(nxt)
                if entry is None:
                    entry = folded[nxt] = [0, first + (grp.first[sids[0]],), []]
                entry[0] += count * sum(grp.counts[s] for s in sids)
                if rects is None or entry[2] is None or len(entry[2]) + len(rects) > RECT_LIMIT:
                    entry[2] = None
                else:
                    fs = frozenset(sids)
                    entry[2].extend(r + (fs,) for r in rects)
        states = folded
        if len(states) > STATE_LIMIT:
            out.bounded, out.why = True, (f"more than {STATE_LIMIT} distinct outcomes to tell apart over "
                                          f"{len(codes)} facts")
            return out

    # each distinct pair decided once, on one situation that reaches it
    by_change: dict = {}
    required: tuple = (set(), set())
    for state, (count, first, rects) in states.items():
        facts = {}
        for grp, values in zip(groups, first):
            facts.update(_situation(grp.facts, values))
        a, b = old_decider.outcome(matter, facts), new_decider.outcome(matter, facts)
        ba, bb = outcome_brief(a), outcome_brief(b)
        for seen, o in zip(required, (a, b)):
            if o.status == "ok":
                seen.add(o.authority)
        changed = _key(ba) != _key(bb)
        out.changed_at[state] = changed
        if not changed:
            continue
        out.changed += count
        g = by_change.get((_key(ba), _key(bb)))
        if g is None:
            g = by_change[(_key(ba), _key(bb))] = ChangeGroup(ba, bb, compare(a, b), 0, [], facts)
        g.count += count
        g.rects = None if rects is None or g.rects is None else g.rects + rects
        out.group_at[state] = g
    out.required = tuple(tuple(sorted(seen, key=RANK.__getitem__)) for seen in required)
    out.change_groups = sorted(by_change.values(), key=lambda g: (g.direction == "same", -g.count))
    out.changes = _listing(out)
    return out


def _listing(mi: MatterImpact) -> list:
    """The changed situations one by one, up to LISTED: in the order of the space where it is small
    enough to walk (and each group's example is then its first situation), else rectangle by rectangle.
    What each decides is its group's (equal joined parts, equal decisions: nothing is decided again)."""
    if not mi.changed:
        return []
    groups = mi.fact_groups
    out: list = []
    if mi.total <= LIMIT:
        final: dict = {}
        index = [grp.index for grp in groups]
        position = [[mi.facts.index(f) for f in grp.facts] for grp in groups]
        firsts: set = set()
        for values in itertools.product(*(mi.space.values(f) for f in mi.facts)):
            sids = tuple(index[gi][tuple(values[p] for p in position[gi])] for gi in range(len(groups)))
            state = final.get(sids)
            if state is None:
                a = b = START
                for grp, sid in zip(groups, sids):
                    a, b = _fold(a, grp.parts[sid][0]), _fold(b, grp.parts[sid][1])
                state = final[sids] = (a, b)
            g = mi.group_at.get(state)
            if g is None:
                continue
            facts = _situation(mi.facts, values)
            if id(g) not in firsts:
                firsts.add(id(g))
                g.example = facts
            if len(out) < LISTED:
                out.append(Change(facts, g.old, g.new, g.direction))
            elif len(firsts) == len(mi.change_groups):
                break
    else:
        for g in mi.change_groups:
            for rect in g.rects or []:
                for combo in itertools.product(*(grp.preimage(sids) for grp, sids in zip(groups, rect))):
                    if len(out) >= LISTED:
                        return out
                    facts = {}
                    for grp, values in zip(groups, combo):
                        facts.update(_situation(grp.facts, values))
                    out.append(Change(facts, g.old, g.new, g.direction))
    return out


def touched(old: DoubleList, new: DoubleList) -> list:
    """Matters with an item (deciding or office) in either list or in an upper list of either (whose
    items bind it as floors), in order of first appearance."""
    seen: dict = {}
    for lst in (old, new):
        for item in lst.items:
            seen.setdefault(item.matter, None)
    for lst in (old, new):
        for upper in lst.uppers():
            for matter in upper.matters():
                seen.setdefault(matter, None)
    return list(seen)


@dataclass
class Impact:
    matters: dict  # matter -> MatterImpact
    enumerated: int
    bounded: list

    @property
    def changed(self) -> list:
        return [m for m in self.matters.values() if m.changed]

    def to_json(self, actor: str = EXAMPLE_ACTOR) -> dict:
        return {"situations_enumerated": self.enumerated,
                "matters_examined": len(self.matters),
                "matters_identical": sum(m.skipped for m in self.matters.values()),
                "bounded": self.bounded,
                "bounded_why": {m: self.matters[m].why for m in self.bounded},
                "situations_changed": sum(m.changed for m in self.matters.values()),
                "matters": [m.to_json(actor) for m in self.changed]}


def exact_impact(old_decider: Decider, new_decider: Decider, catalogue: Catalogue) -> Impact:
    """Impact over every matter either list touches, and every other matter of the catalogue whose
    reporting rules (those whose scope takes it in) differ — a reporting rule reaches matters no item
    covers, e.g. at the fallback — or all of them where the level changes."""
    old, new = old_decider.list, new_decider.list
    matters = [m for m in touched(old, new) if m in catalogue.matters]
    levelled = old.level != new.level
    matters += [m for m in catalogue.matters if m not in matters and (
        levelled or _signature(old, m, catalogue)[1] != _signature(new, m, catalogue)[1])]
    out: dict = {}
    for matter in matters:
        out[matter] = matter_impact(matter, old_decider, new_decider, catalogue)
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
    errors: list = field(default_factory=list)   # (line, RequestError)
    changed: list = field(default_factory=list)  # dicts
    unexplained: list = field(default_factory=list)  # changed actions the impact did not report

    def to_json(self) -> dict:
        return {"actions": self.total, "changed": len(self.changed), "errors": len(self.errors),
                "not_in_impact": len(self.unexplained),
                "changed_actions": self.changed,
                "bad_lines": [{"line": n, "error": e.coded("en"), "error_zh": e.coded("zh")} for n, e in self.errors]}


def replay(records, old_decider: Decider, new_decider: Decider, catalogue: Catalogue,
           impact: Impact | None = None) -> Replay:
    """Decide every action under both lists; report those whose decision changes, and check each
    against the exact impact (a changed action outside the reported situations would be a bug)."""
    out = Replay()
    for n, raw in records:
        out.total += 1
        if isinstance(raw, RequestError):
            out.errors.append((n, raw))
            continue
        try:
            request = parse_request(raw, catalogue)
        except RequestError as exc:
            out.errors.append((n, exc))
            continue
        if request.on is not None:
            request = replace(request, on=None)
        a, b = old_decider.decide(request), new_decider.decide(request)
        if decision_key(a) == decision_key(b):
            continue
        old_brief, new_brief = decision_brief(a), decision_brief(b)
        # `decision_brief` leaves out the violation that `decision_key` compares: nothing else differing, it did
        changes = changed_aspects(old_brief, new_brief) or ["violation"]
        entry = {"line": n, "case": request.case, "matter": request.matter, "actor": request.actor,
                 "direction": compare(a, b), "changes": changes,
                 "old": old_brief, "new": new_brief, "request": raw}
        if impact is not None:
            # None: the matter is bounded, or deciding itself could not tell (too many completions)
            inside = None if a.bounded or b.bounded else explained(impact, request)
            entry["in_impact"] = inside
            if inside is False:
                out.unexplained.append(entry)
        out.changed.append(entry)
    return out


def explained(impact: Impact, request: Request) -> bool | None:
    """Whether a request falls in (or, lacking facts, has a completion in) a reported situation; None
    where the matter is bounded."""
    mi = impact.matters.get(request.matter)
    if mi is None:
        return False
    return mi.contains(request.fact_dict)
