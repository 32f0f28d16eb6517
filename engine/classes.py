"""Decision classes: the memo key under which `Decider.outcome` is the same for every request.

`Decider.outcome(matter, facts)` (docs/deciding.md, steps 1-5) depends on the facts only through

- which of the matter's rules hold — and where every rule's value is known although some fact is
  missing, no completion can change a rule, so nothing is asked and the missing facts do not matter;
- where a rule is open (it reads a missing fact and its value turns on it): which missing facts the
  open rules read (those are the facts `Decider` completes), and which rules hold in each completion.
  A rule Kleene decides on the request holds in every completion as it holds on the request (a
  completion only gives values to leaves Kleene left unknown; an `exists` test reads whether the
  request gives the fact, in the completions as on the request); an open rule, in each completion,
  is fixed by the situation regions (`situations.FactValues.region`) of the present facts it reads
  (every missing fact it reads is completed).

So `Classifier.key` is the tuple of every rule's value, and where some rule is open, also the facts
to complete and the regions of the present facts the open rules read. Two requests with equal
keys get the same outcome, however far apart their values: the batch path asks durable-rules once per
key and shares the answer. Where the completions are too many to enumerate (`bounded`), the outcome
depends on the facts to complete alone, which the key holds.

The rules' values and the facts to complete are `MatterRules.values`, `.open_reads` and `.to_complete`,
the very ones `Decider.outcome` uses, so the key and the decision cannot drift apart on what is
completed. The values are Kleene logic (`conditions.compiled`, which answers as `evaluate`); the
differential test holds durable-rules and `evaluate` to the same answers, and the batch tests compare
the memoised path with durable-rules on every line.
"""
from __future__ import annotations


class Classifier:
    """The decision classes of one matter under one list (`MatterRules`)."""

    __slots__ = ("mr", "fact_order", "regions")

    def __init__(self, mr, fact_order):
        self.mr = mr
        self.fact_order = tuple(fact_order)
        self.regions = {code: fv.region for code, fv in mr.space.per_fact.items()}

    def key(self, facts: dict) -> tuple:
        """The class of `facts` (a dict without absent facts)."""
        mr = self.mr
        values = mr.values(facts)
        if None not in values:
            return values
        read = mr.open_reads(values)
        relevant = mr.to_complete(read, facts, self.fact_order)
        regions = self.regions
        return (values, relevant, tuple([(f, regions[f](facts[f])) for f in self.fact_order if f in read and f in facts]))
