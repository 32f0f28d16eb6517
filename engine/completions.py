"""The completions of a request's missing facts, factored into independent groups.

A decision lacking facts must know what every completion of those facts would decide (DESIGN "Deciding",
steps 4 and 5). Enumerating the product of every missing fact's values soon passes any bound: a
matter with a dozen open conditions has thousands of completions, though most facts bear on different
rules. So the open rules are split into **groups** that share no missing fact (a union-find over the
facts they read). A group's rules depend on its own facts only, so each group is completed on its own,
by durable-rules, and what matters of it is the set of its rules that fire — usually two or three
distinct sets however many completions the group has. A **combination** picks one such set per group;
every combination is the fired set of some real completion, and every completion's fired set is a
combination. Deciding then reads the combinations (few) instead of the completions (many).

Which missing facts can change an answer is read off the same structure, exactly: a fact `f` of a group
matters to a view of the decision (its status and authority, or whether one obligation is owed) when
two completions of the group that differ in `f` alone fire sets that, beside the same choice for every
other group, give the view different values.
"""
from __future__ import annotations

import itertools

from .situations import Bounded, independent

GROUP_LIMIT = 512       # most completions of one group (a group past it is `bounded`)
COMBINATION_LIMIT = 4096  # most combinations of the groups' fired sets (past it, `bounded`)


class Completions:
    """The fired sets of every completion of `relevant` on `facts`, by group (see the module)."""

    __slots__ = ("groups", "closed", "combos", "fired", "bounded", "_index")

    def __init__(self, mr, facts: dict, relevant: tuple, open_rules):
        self.bounded = False
        self.groups = _groups(relevant, [(k, mr.reads_of[k]) for k in open_rules])
        open_set = frozenset(open_rules)
        self.closed = None
        self._index = []  # per group: (its facts, each completion's values, each completion's subset index)
        subsets_per_group = []
        for codes, rules in self.groups:
            try:
                completions = list(mr.space.each(codes, GROUP_LIMIT, base=facts))
            except Bounded:
                self.bounded = True
                return
            distinct: dict = {}
            index = []
            for c in completions:
                # `exists` tests read the request, not the completion (see Decider.outcome)
                fired = mr.compiled.fire(c, facts)
                if self.closed is None:
                    self.closed = fired - open_set
                index.append(distinct.setdefault(fired & rules, len(distinct)))
            self._index.append((codes, [tuple(c.get(f) for f in codes) for c in completions], index))
            subsets_per_group.append(list(distinct))
        if self.closed is None:  # nothing to complete
            self.closed = mr.compiled.fire(facts, facts)
        total = 1
        for subsets in subsets_per_group:
            total *= len(subsets)
        if total > COMBINATION_LIMIT:
            self.bounded = True
            return
        self.combos = list(itertools.product(*[range(len(s)) for s in subsets_per_group]))
        self.fired = [self.closed.union(*[subsets_per_group[g][i] for g, i in enumerate(combo)])
                      for combo in self.combos]

    def deciding(self, view) -> list:
        """The missing facts that can change `view` (a value per combination, in `self.combos` order),
        each when it alone changes (see the module)."""
        at = dict(zip(self.combos, view))
        out = []
        for g, (codes, values, index) in enumerate(self._index):
            effect: dict = {}  # subset index of this group -> the view beside every choice of the others

            def effect_of(s, g=g):
                found = effect.get(s)
                if found is None:
                    found = effect[s] = tuple(at[c] for c in self.combos if c[g] == s)
                return found
            for j, f in enumerate(codes):
                groups: dict = {}
                for vals, s in zip(values, index):
                    groups.setdefault(vals[:j] + vals[j + 1:], set()).add(s)
                if any(len(ss) > 1 and len({effect_of(s) for s in ss}) > 1 for ss in groups.values()):
                    out.append(f)
        return out


def _groups(relevant: tuple, open_rules: list) -> list:
    """(facts in `relevant` order, rule keys) of each group of open rules sharing missing facts: the
    facts split as `situations.independent` splits them for the exact impact, each rule with its group."""
    groups = independent(relevant, [read for _, read in open_rules])
    where = {f: g for g, codes in enumerate(groups) for f in codes}
    rules: list = [set() for _ in groups]
    for k, read in open_rules:
        mine = next((f for f in read if f in where), None)
        if mine is not None:
            rules[where[mine]].add(k)
    return [(codes, frozenset(r)) for codes, r in zip(groups, rules)]
