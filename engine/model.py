"""The internal form: frozen dataclasses that the rest of quanze computes on.

The YAML files are the external form, written by people and full of places and spellings; the
loader (`lists.py`, `catalogue.py`) checks them and builds these objects, and nothing past that line
sees YAML again. Authorities are plain codes ranked by `RANK`; conditions are a small tree.

Frozen all the way down: what a dataclass holds is a tuple or a `FrozenDict`, never a list or a dict,
so a catalogue or a list loaded once can be shared by every thread and decision without a copy.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Mapping, Union

if TYPE_CHECKING:  # for the annotation only: laws.py builds on this module
    from .laws import Register

from .levels import DEFAULT_MATTER_LEVELS, resolve
from .place import Place

AUTHORITIES = (
    "prosecutor",
    "department_head",
    "deputy_procurator_general",
    "procurator_general",
    "procuratorial_committee",
    "superior_procuratorate",
    "provincial_procuratorate",
    "supreme_procuratorate",
)
RANK = {code: rank for rank, code in enumerate(AUTHORITIES)}

PARTS = ("prosecutor", "procurator_general", "committee", "office")
# The authority a part's items assign unless they say `decides`; the office decides nothing.
PART_AUTHORITY = {
    "prosecutor": "prosecutor",
    "procurator_general": "procurator_general",
    "committee": "procuratorial_committee",
    "office": None,
}
# Where no item covers a matter, the procurator-general decides (规则第四条).
FALLBACK = "procurator_general"

class FrozenDict(dict):
    """A dict that refuses every change once made: the mappings the dataclasses below hold.

    A dict underneath rather than a `types.MappingProxyType`, so that reading it costs what reading a
    dict costs on the hot paths (`catalogue.facts.get` for every fact of every request), it pickles
    (by value, through `__reduce__`: the unpickler would otherwise fill it through `__setitem__`) and
    it hashes (a frozen dataclass holding it can be a key). `dict.__setitem__(d, k, v)` still gets
    through: this stops mistakes, not intent.
    """

    __slots__ = ()

    def _read_only(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} is read-only: quanze's loaded catalogue and lists never change")

    __setitem__ = __delitem__ = __ior__ = clear = pop = popitem = setdefault = update = _read_only

    def __hash__(self) -> int:  # type: ignore[override]  # typeshed: dict is unhashable; this one is not
        return hash(frozenset(self.items()))

    def __reduce__(self):
        return type(self), (dict(self),)

    def __repr__(self) -> str:
        return f"FrozenDict({dict.__repr__(self)})"


def _freeze(obj, *names: str) -> None:
    """Make the named fields of a frozen dataclass `FrozenDict`s (in `__post_init__`)."""
    for name in names:
        value = getattr(obj, name)
        if type(value) is not FrozenDict:
            object.__setattr__(obj, name, FrozenDict(value))


def highest(authorities) -> str | None:
    """The highest-ranked of some authority codes, or None for none."""
    best = None
    for code in authorities:
        if code is not None and (best is None or RANK[code] > RANK[best]):
            best = code
    return best


@dataclass(frozen=True)
class Text:
    """A text a person wrote: Chinese always, English where someone gave it. A Chinese office writes
    its list in Chinese; English output shows the Chinese where `en` is missing (`get`), and the JSON
    says `"en": null` so that a reader can tell a translation from the fallback. Every message quanze
    writes to a user (a finding, an audit's detail) is a Text with both languages; `+` joins two texts
    language by language, as a message is built from its pieces."""

    zh: str
    en: str | None = None

    def get(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.zh

    def __add__(self, other: "Text") -> "Text":
        if not isinstance(other, Text):
            return NotImplemented
        return Text(self.zh + other.zh, self.get("en") + other.get("en"))

    def to_json(self) -> dict:
        return {"zh": self.zh, "en": self.en}


@dataclass(frozen=True)
class Leaf:
    """`{fact: CODE, OP: VALUE}`; `value` is a tuple for `in` / `not_in`."""

    fact: str
    op: str
    value: object


@dataclass(frozen=True)
class All:
    terms: tuple


@dataclass(frozen=True)
class Any:
    terms: tuple


@dataclass(frozen=True)
class Not:
    term: object


Condition = Union[Leaf, All, Any, Not, None]


@dataclass(frozen=True)
class Matter:
    code: str
    name: Text
    line: str
    function: str
    basis: tuple = ()
    source: Place = Place("")
    without_procurator_general: bool = False  # the committee decides it without the procurator-general (their recusal)
    levels: tuple = DEFAULT_MATTER_LEVELS  # the levels of procuratorate at which the matter can arise


@dataclass(frozen=True)
class Fact:
    code: str
    type: str  # boolean | integer | enum | date | string
    question: Text
    label: Text | None = None
    values: tuple = ()
    value_labels: Mapping = field(default_factory=FrozenDict, hash=False, compare=False)
    min: int | None = None
    max: int | None = None
    source: Place = Place("")
    # a boolean fact's words when it is false (案件没有社会影响): "并非" before a label leaves its reach
    # unclear in a situation of several facts joined by "，" (并非案件有社会影响，可能对国家安全…)
    label_false: Text | None = None
    # an enum value's other names (a label that says two things, 无社会危险性、不需要逮捕, is typed as one)
    value_aliases: Mapping = field(default_factory=FrozenDict, hash=False, compare=False)

    def __post_init__(self) -> None:
        _freeze(self, "value_labels")
        _freeze(self, "value_aliases")


@dataclass(frozen=True)
class Line:
    code: str
    name: Text
    kind: str


@dataclass(frozen=True)
class StatutoryRule:
    """A rule of law binding every list (or the lists of `levels`): a prohibition (`forbid`), a floor
    authority (`floor`), a duty to inform (`report_to`), or a permission needed from outside (`permission`)."""

    id: str
    matters: tuple
    when: Condition
    forbid: bool
    floor: str | None
    basis: tuple
    message: Text
    source: Place
    delegable_to: tuple = ()
    report_to: tuple = ()
    levels: tuple = ()  # the levels of procuratorate whose lists it binds; () for every level
    permission: Text | None = None  # a body outside the procuratorate whose permission the action needs


@dataclass(frozen=True)
class PublicationCheck:
    id: str
    severity: str
    message: Text
    basis: tuple = ()


@dataclass(frozen=True)
class Catalogue:
    """The law above any one list: `rules/` in internal form. Its mappings are keyed by code."""

    matters: Mapping
    facts: Mapping
    lines: Mapping
    authority_names: Mapping
    statutory: tuple
    publication: tuple
    folder: str
    digest: str
    laws: Register | None = field(default=None, hash=False, compare=False)  # the documents a basis may cite
    # (kind, code) -> the other names a person may type for a matter, an authority or a fact (`aliases:`)
    aliases: Mapping = field(default_factory=FrozenDict, hash=False, compare=False)

    def __post_init__(self) -> None:
        _freeze(self, "matters", "facts", "lines", "authority_names", "aliases")

    def __hash__(self) -> int:
        # equal catalogues have the same folder and digest (of every rules file): hashing those alone
        # spares hashing every matter and fact at each use as a key
        return hash((self.folder, self.digest))

    def rules_for(self, matter: str, level: str | None = None) -> tuple:
        """The statutory rules on `matter` that bind a list of `level` (every rule where `level` is None),
        their floors resolved against that level (`levels.resolve`: "经省级人民检察院批准" is the list's own
        procurator-general's for a provincial list, two levels up for a grassroots one)."""
        out = []
        for r in self.statutory:
            if matter in r.matters and (not r.levels or level is None or level in r.levels):
                floor = resolve(r.floor, level)
                out.append(r if floor == r.floor else replace(r, floor=floor))
        return tuple(out)

    def arises_at(self, matter: str, level: str | None) -> bool:
        """Whether `matter` can arise at a procuratorate of `level` (the catalogue's `levels:`)."""
        found = self.matters.get(matter)
        return found is None or level is None or level in found.levels


@dataclass(frozen=True)
class Item:
    id: str
    matter: str
    part: str
    authority: str | None  # None for office items
    when: Condition
    source: Place
    title: Text | None = None
    delegable_to: tuple = ()
    report_to: tuple = ()
    responsibility: Text | None = None
    duties: Text | None = None
    basis: tuple = ()
    note: Text | None = None  # why the item is as it is
    explicit_decides: bool = False
    pointer: str = field(default="", compare=False)  # where in its file: "/items/3" (findings name it so)


@dataclass(frozen=True)
class ReportingRule:
    """A duty to inform that holds across matters (`reporting:` of list.yaml): on matters decided at
    `applies_to`, in its scope, when `when` holds. The scope is every matter, or only the `matters` it
    names and only matters of the business `lines` it names (each given narrows it; both: both hold)."""

    id: str
    applies_to: tuple
    when: Condition
    report_to: tuple
    basis: tuple
    source: Place
    title: Text | None = None
    matters: tuple = ()  # scope: only these matters (() for every matter)
    lines: tuple = ()    # scope: only matters of these business lines (() for every line)

    def covers(self, matter: str, line: str | None) -> bool:
        """Whether `matter` (of business line `line`) is in the rule's scope."""
        return (not self.matters or matter in self.matters) and (not self.lines or line in self.lines)

    @property
    def scoped(self) -> bool:
        return bool(self.matters or self.lines)


@dataclass(frozen=True)
class UpperRule:
    """An item of the upper list (`conforms_to`, DESIGN "Hierarchy") as it binds a lower list: a floor
    on its matter where its condition holds, exactly like a statutory floor — its authority resolved
    against the lower list's level, delegable to the deputy only where the upper item is. The upper
    list binds the requirement, not its duties to inform (the lower list states its own)."""

    id: str
    matter: str
    when: Condition
    floor: str
    basis: tuple
    source: Place
    list_id: str  # the upper list's id
    delegable_to: tuple = ()
    forbid: bool = False
    report_to: tuple = ()


@dataclass(frozen=True)
class Part:
    name: str
    file: str
    items: tuple


@dataclass(frozen=True)
class DoubleList:
    """One version of a list, loaded and checked."""

    id: str
    # None where list.yaml lacks them or gives them wrong: its schema findings say so, and such a list is
    # shown and checked but not published
    title: Text | None
    issuer: Text | None
    level: str | None
    effective_from: str | None
    effective_to: str | None
    supersedes: str | None
    parts: tuple
    reporting: tuple
    counts: Mapping = field(hash=False, compare=False, default_factory=FrozenDict)
    description: Text | None = None
    folder: str = ""
    source: Place = Place("")  # list.yaml
    digest: str = ""
    lines: Mapping = field(hash=False, compare=False, default_factory=FrozenDict)  # key of list.yaml -> line
    laws: tuple = ()  # laws.Law: the documents the list registers itself (`laws:` of list.yaml)
    conforms_to: str | None = None  # the id of the upper list this one implements
    # the upper list in force on `effective_from` (itself carrying its own upper), once found beside it
    upper: "DoubleList | None" = field(default=None, hash=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        _freeze(self, "counts", "lines")

    def place(self, key: str | None = None) -> Place:
        """The place of a top-level key of list.yaml (its first line when unknown or not given)."""
        return Place(self.source.file, self.lines.get(key, 1))

    @property
    def items(self) -> tuple:
        return tuple(item for part in self.parts for item in part.items)

    def reporting_on(self, matter: str, catalogue: Catalogue) -> tuple:
        """The reporting rules whose scope takes in `matter` (a matter the catalogue lacks has no line)."""
        found = catalogue.matters.get(matter)
        line = found.line if found is not None else None
        return tuple(r for r in self.reporting if r.covers(matter, line))

    def deciding_items(self, matter: str, resolved: bool = True) -> tuple:
        """Items that assign an authority on `matter` (office items decide nothing), their authority
        resolved against the list's level (`levels.resolve`) unless `resolved` is false."""
        out = []
        for i in self.items:
            if i.matter == matter and i.authority is not None:
                authority = resolve(i.authority, self.level) if resolved else i.authority
                out.append(i if authority == i.authority else replace(i, authority=authority))
        return tuple(out)

    def uppers(self) -> tuple:
        """The upper lists this one implements, nearest first (its upper, that one's upper...)."""
        out, seen, up = [], {self.id}, self.upper
        while up is not None and up.id not in seen:
            out.append(up)
            seen.add(up.id)
            up = up.upper
        return tuple(out)

    def upper_rules(self, matter: str) -> tuple:
        """The items of the upper lists on `matter`, as floors binding this list (`UpperRule`)."""
        return tuple(UpperRule(i.id, matter, i.when, resolve(i.authority, self.level), i.basis, i.source, up.id,
                               i.delegable_to)
                     for up in self.uppers() for i in up.deciding_items(matter, resolved=False)
                     if i.authority is not None)

    def matters(self) -> list:
        seen: dict[str, None] = {}
        for item in self.items:
            if item.authority is not None:
                seen.setdefault(item.matter, None)
        return list(seen)

    def in_force(self, day: str) -> bool:
        return self.effective_from is not None and self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)
