"""The decision a request gets: frozen dataclasses and their JSON (docs/decision-json.md).

The keys and their order are a contract with case-handling systems; `to_json()` produces exactly
them (more keys may be added, never fewer).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from .model import Text
from .place import Place

# The closed sets a decision is written in. `status` and the flags are `Literal`s, not enums: they are
# made and compared for every line of a batch, where an enum member compares about half again slower
# than a string. The reason's kind and effect are made once per rule, when its matter is compiled, so
# they are enums (`StrEnum`: each member is its string, and json and orjson write it as that string).
Status = Literal["ok", "forbidden", "undetermined"]
DELEGATED = ("deputy_procurator_general",)  # whom a list may delegate to: `delegable_to` names no other
Flag = Literal["forbidden", "undetermined", "escalate", "uncovered", "violation", "obligation"]


class ReasonKind(StrEnum):
    """What produced a `because` entry."""

    ITEM = "item"
    STATUTE = "statute"
    UPPER = "upper"  # an item of the upper list (`conforms_to`), binding as a floor
    REPORTING = "reporting"


class Effect(StrEnum):
    """What a `because` entry does to the decision."""

    DECIDES = "decides"
    FLOOR = "floor"
    FORBID = "forbid"
    PERMISSION = "permission"
    REPORT = "report"


@dataclass(frozen=True)
class Obligation:
    """A duty to inform `report_to`, imposed by the rule `by`. With `if_facts`, owed only for some
    answers to those missing facts. With `or_by`, owed whatever the missing facts, by `by` for some
    answers and by one of the rules `or_by` names for the others (no one rule applies in every case)."""

    report_to: tuple
    by: str
    if_facts: tuple = ()
    or_by: tuple = ()

    def to_json(self) -> dict:
        out = {"report_to": list(self.report_to), "by": self.by}
        if self.if_facts:
            out["if_facts"] = list(self.if_facts)
        if self.or_by:
            out["or_by"] = list(self.or_by)
        return out


@dataclass(frozen=True)
class Reason:
    """An item, statutory rule or reporting rule that produced the decision."""

    id: str
    kind: ReasonKind
    authority: str | None
    source: Place
    basis: tuple
    effect: Effect
    message: Text | None = None
    list_id: str | None = None  # the upper list's id, for kind `upper`

    def to_json(self) -> dict:
        out: dict = {"id": self.id, "kind": self.kind, "authority": self.authority, "source": str(self.source),
               "basis": list(self.basis), "effect": self.effect}
        if self.message is not None:
            out["message"] = self.message.to_json()
        if self.list_id is not None:
            out["list"] = self.list_id
        return out


@dataclass(frozen=True)
class MissingFact:
    fact: str
    question: Text

    def to_json(self) -> dict:
        return {"fact": self.fact, "question": self.question.to_json()}


@dataclass(frozen=True)
class VoteResult:
    valid: bool
    adopted: bool
    refer_to: str | None
    reason: str
    members: int = 0
    present: int = 0
    in_favour: int = 0

    def to_json(self) -> dict:
        return {"valid": self.valid, "adopted": self.adopted, "refer_to": self.refer_to, "reason": self.reason}


@dataclass(frozen=True)
class Violation:
    decided_by: str
    required: str | None
    reason: str

    def to_json(self) -> dict:
        return {"decided_by": self.decided_by, "required": self.required, "reason": self.reason}


@dataclass(frozen=True)
class Decision:
    list_id: str
    digest: str
    case: object
    matter: str
    actor: str | None
    status: Status
    authority: str | None
    uncovered: bool
    actor_may_decide: bool | None
    chain: tuple
    obligations: tuple
    because: tuple
    missing_facts: tuple
    vote: VoteResult | None
    responsible: str | None
    violation: Violation | None
    on: str | None = None
    bounded: bool = False  # too many completions of the missing facts to tell which of them matter
    delegated: bool = False  # the deputy procurator-general may decide it by delegation (`delegable_to`)


    def to_json(self) -> dict:
        return {
            "list": {"id": self.list_id, "digest": self.digest},
            "case": self.case,
            "matter": self.matter,
            "actor": self.actor,
            "status": self.status,
            "authority": self.authority,
            "uncovered": self.uncovered,
            "actor_may_decide": self.actor_may_decide,
            "chain": list(self.chain),
            "delegable_to": list(self.delegable_to),
            "obligations": [o.to_json() for o in self.obligations],
            "because": [r.to_json() for r in self.because],
            "missing_facts": [m.to_json() for m in self.missing_facts],
            "vote": self.vote.to_json() if self.vote else None,
            "responsible": self.responsible,
            "violation": self.violation.to_json() if self.violation else None,
        } | ({"bounded": True} if self.bounded else {})

    def for_case(self, case) -> "Decision":
        """This decision for another `case` (already checked: `RequestParser.case`): the case is the one
        part of a decision that nothing decides, so a remembered decision serves every case of its
        situation. Copied field by field, not through `dataclasses.replace`, which checks and calls
        `__init__` again (a tenth of the cost, on every remembered decision a server gives)."""
        if case is self.case:
            return self
        copy = object.__new__(Decision)
        copy.__dict__.update(self.__dict__)
        copy.__dict__["case"] = case
        return copy

    @property
    def delegable_to(self) -> tuple:
        """Who else may decide it by delegation: the deputy procurator-general where every matched
        procurator-general item delegates it (`delegable_to` in the JSON, the CSV and the table)."""
        return DELEGATED if self.delegated else ()

    @property
    def flags(self) -> list[Flag]:
        """What a case-management department looks for in a batch (`quanze check`)."""
        return flags_of(self.status, self.actor_may_decide, self.uncovered, self.violation is not None,
                        bool(self.obligations))


def flags_of(status: Status, may: bool | None, uncovered: bool, violation: bool, obligations: bool) -> list[Flag]:
    """The flags of a decision, in their fixed order, from the parts they depend on."""
    out: list[Flag] = []
    if status == "forbidden":
        out.append("forbidden")
    if status == "undetermined":
        out.append("undetermined")
    if status == "ok" and may is False:
        out.append("escalate")
    if uncovered:
        out.append("uncovered")
    if violation:
        out.append("violation")
    if obligations:
        out.append("obligation")
    return out
