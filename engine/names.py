"""What a person may type for a code: the code itself, its Chinese name, or an alias.

A drafter in a Chinese office types 批准逮捕, not `approve_arrest`; 检察官, not `prosecutor`;
`第一审裁判的种类=判决`, not `judgment_kind=judgment`. One table per catalogue (`names_of`, built once
and kept) maps every accepted spelling of a matter, an authority, a fact and each enum fact's values
to its code, and every place where a person types one asks it: the request parser (and through it
the command line, `--facts` files, JSON Lines, cases and the server), the CSV reader (headers and
cells), `--fact K=V` and `--ask` answers. What is decided and printed as JSON keeps the codes.

Spellings: the code; the catalogue's Chinese `name.zh` (matters, authorities) or `label.zh`
(facts) and a value's `value_labels.zh`; and the entry's optional `aliases`. A spelling shared by two
codes of one kind is ambiguous: the catalogue says so (`clashes`, the finding `ambiguous-name`) and
the name is refused with both codes named, never resolved to one of them by chance.

"Did you mean" searches codes and names together and names the code with its Chinese.

A boolean fact's negative label (`label_false.zh`, 案件没有社会影响) is not one of its spellings:
typed as the fact's name, `案件没有社会影响=是` would mean the fact is true, the opposite of what was
written. It is refused, and the hint says what to write instead (the fact's name with 否).

A list's own files are read the same way (`Names.resolve`): `matter: 批准逮捕`, `decides: 检察长`,
`{fact: 案件来源, is: 监察机关移送}` are resolved to codes where the loader builds the list's internal
form, so everything past loading (the compiled rules, digests of decisions, `show`, `diff`, `audit`)
sees codes only. A boolean fact's value may be written 是/否 there as on the command line
(`TRUE_WORDS`, `FALSE_WORDS`).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Mapping

from .findings import closest
from .messages import unknown
from .model import AUTHORITIES, Catalogue, Fact, Text

MATTER, AUTHORITY, FACT, VALUE, LINE = "matter", "authority", "fact", "value", "line"
# What a kind of code is called in a finding, and the finding code of a name that names none.
KIND_TEXT = {MATTER: Text("事项", "matter"), AUTHORITY: Text("决定主体", "authority"), FACT: Text("事实", "fact"),
             LINE: Text("业务条线", "business line")}
UNKNOWN = {MATTER: "unknown-matter", AUTHORITY: "unknown-authority", FACT: "unknown-fact", LINE: "unknown-line"}
# A boolean fact's value typed as a word (`--fact K=是`, a CSV cell, an `--ask` answer, `is: 是` in a
# list): compared in lower case.
TRUE_WORDS = frozenset({"true", "yes", "y", "1", "是", "真", "对"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "否", "假", "不"})


def truth(word) -> bool | None:
    """The boolean a word says (是 → True, 否 → False), or None where it says neither."""
    if not isinstance(word, str):
        return None
    low = word.strip().lower()
    return True if low in TRUE_WORDS else False if low in FALSE_WORDS else None


@dataclass(frozen=True)
class Clash:
    """A spelling that names two or more codes of one kind (of one fact's values, for `value`)."""

    kind: str
    name: str
    codes: tuple
    fact: str | None = None  # the enum fact, for a value


class Table:
    """The spellings of one kind of code: spelling -> code, with each code's display name."""

    def __init__(self, entries, negatives=()):
        """`entries`: (code, Chinese name or None, aliases); `negatives`: (code, the words saying the
        fact is false), refused when typed (a negative that is also a spelling of another code makes
        that spelling ambiguous: it is refused too)."""
        found: dict = {}
        self.shown: dict = {}  # code -> its Chinese name, for "did you mean"
        for code, zh, aliases in entries:
            if zh:
                self.shown[code] = zh
            for spelling in (code, zh, *aliases):
                if spelling:
                    found.setdefault(spelling, {}).setdefault(code, None)
        self.negatives: Mapping = MappingProxyType({word: code for code, word in negatives if word})
        for word, code in self.negatives.items():
            if word in found:
                found[word].setdefault(code, None)
        self.codes = frozenset(s for s, cs in found.items() if s in cs)
        self.spellings: Mapping = MappingProxyType({s: tuple(cs) for s, cs in found.items()})
        # a name shared by two codes (or a name of one that is the code of another: the code wins)
        self.clashes = tuple((s, tuple(cs)) for s, cs in found.items() if len(cs) > 1)

    def find(self, word) -> tuple:
        """The codes `word` spells: one, none (not a spelling), or several (an ambiguous name). A code
        is itself whatever else also spells it; spaces around a typed word are ignored."""
        if not isinstance(word, str):
            return ()
        if word in self.codes:
            return (word,)
        return self.spellings.get(word) or self.spellings.get(word.strip()) or ()

    def code(self, word):
        """The one code `word` spells, else None (unknown or ambiguous)."""
        found = self.find(word)
        return found[0] if len(found) == 1 else None

    def hint(self, word, quoted: bool = False) -> Text:
        """`; did you mean `code` (名称)?` over codes and names together, in both languages, or nothing;
        for a fact's negative label, what to write instead (the fact with the value 否). `quoted`: the
        English of a finding, which quotes a Chinese name as a name (`approve_arrest` (「批准逮捕」))."""
        shown = self.display_quoted if quoted else self.display
        negated = self.negatives.get(str(word).strip())
        if negated is not None:
            name = self.shown.get(negated, negated)
            typed = str(word).strip()
            return Text(f"；`{typed}` 是说事实 {self.display(negated, 'zh')} 不成立：请给 {name} 取值 否（`{negated}: false`）",
                        f"; `{typed}` says that fact {shown(negated)} is false: "
                        + (f"give `{negated}` the value `否`" if quoted else f"give {name} the value 否")
                        + f" (`{negated}: false`)")
        near = closest(str(word), self.spellings)
        if near is None:
            return Text("", "")
        codes = self.spellings[near]
        return Text("；是否应为 " + "或".join(self.display(c, "zh") for c in codes) + "？",
                    "; did you mean " + " or ".join(shown(c) for c in codes) + "?")

    def display(self, code: str, lang: str = "en") -> str:
        """`code` with its Chinese name: `prosecutor` (检察官), in Chinese `prosecutor`（检察官）."""
        zh = self.shown.get(code)
        if not zh or zh == code:
            return f"`{code}`"
        return f"`{code}`（{zh}）" if lang == "zh" else f"`{code}` ({zh})"

    def display_quoted(self, code: str) -> str:
        """`display` for the English of a finding, which quotes a Chinese name as a name: 「批准逮捕」."""
        zh = self.shown.get(code)
        return f"`{code}` (「{zh}」)" if zh and zh != code else f"`{code}`"

    def resolve(self, kind: str, word) -> tuple:
        """(the one code `word` spells, None), or (None, (finding code, message)) where it spells none
        (`unknown-matter`... with a "did you mean" over codes and names) or several (the same code,
        naming each: as in a request, a name of two codes names no one code, and an error keeps the list
        from deciding on a guess; the catalogue's `ambiguous-name` is the warning that such a name
        exists). `kind` names the table's kind of code, for the message."""
        found = self.find(word)
        if len(found) == 1:
            return found[0], None
        what = KIND_TEXT[kind]
        if found:
            return None, (UNKNOWN[kind], Text(
                f"“{word}”同时是{what.zh} " + "、".join(self.display(c, "zh") for c in found) + " 的名称，不能确定所指：请写出代码",
                f"`{word}` names the {what.en}s " + " and ".join(self.display_quoted(c) for c in found) + ": write the code"))
        return None, (UNKNOWN[kind], unknown(what, str(word)) + self.hint(word, quoted=True))


class Names:
    """The spellings of one catalogue's matters, authorities, facts and enum values."""

    def __init__(self, catalogue: Catalogue):
        names = catalogue.authority_names
        aliases = catalogue.aliases
        self.matters = Table((m.code, m.name.zh, aliases.get((MATTER, m.code), ()))
                             for m in catalogue.matters.values())
        self.authorities = Table((a, names[a].zh if a in names else None, aliases.get((AUTHORITY, a), ()))
                                 for a in AUTHORITIES)
        self.facts = Table(((f.code, f.label.zh if f.label is not None else None, aliases.get((FACT, f.code), ()))
                            for f in catalogue.facts.values()),
                           ((f.code, f.label_false.zh) for f in catalogue.facts.values() if f.label_false is not None))
        self.lines = Table((l.code, l.name.zh, ()) for l in catalogue.lines.values())
        self.values = {f.code: Table((v, f.value_labels[v].zh if f.value_labels.get(v) is not None else None,
                                      f.value_aliases.get(v, ()))
                                     for v in f.values)
                       for f in catalogue.facts.values() if f.type == "enum"}

    @property
    def clashes(self) -> tuple:
        out = [Clash(kind, name, codes) for kind, table in
               ((MATTER, self.matters), (AUTHORITY, self.authorities), (FACT, self.facts))
               for name, codes in table.clashes]
        out += [Clash(VALUE, name, codes, fact) for fact, table in self.values.items() for name, codes in table.clashes]
        return tuple(out)

    def table(self, kind: str) -> Table:
        return {MATTER: self.matters, AUTHORITY: self.authorities, FACT: self.facts, LINE: self.lines}[kind]

    def resolve(self, kind: str, word) -> tuple:
        """`Table.resolve` in the table of `kind` (a matter, an authority, a fact, a business line)."""
        return self.table(kind).resolve(kind, word)

    def value(self, fact: str, word):
        """The enum value `word` spells for `fact`, or `word` as given (for the value check to judge)."""
        table = self.values.get(fact)
        found = table.code(word) if table is not None else None
        return word if found is None else found

    def written_value(self, fact: Fact, word) -> tuple:
        """A value of `fact` as a list writes it, resolved: (value, None), or (`word`, (finding code,
        message)) where it names two enum values. An enum value by its code or its Chinese name; a
        boolean's 是/否 (`truth`); anything else, or a word that names nothing, as written (the value
        check judges it, with its own "did you mean"). A name of two values is a `bad-value`."""
        if fact.type == "boolean" and isinstance(word, str):
            said = truth(word)
            return (word if said is None else said), None
        table = self.values.get(fact.code)
        if table is None or not isinstance(word, str):
            return word, None
        found = table.find(word)
        if len(found) == 1:
            return found[0], None
        if found:
            return word, ("bad-value", Text(
                f"“{word}”同时是事实 `{fact.code}` 的取值 " + "、".join(table.display(c, "zh") for c in found)
                + " 的名称，不能确定所指：请写出代码",
                f"`{word}` names the values " + " and ".join(table.display_quoted(c) for c in found)
                + f" of fact `{fact.code}`: write the code"))
        return word, None


@lru_cache(maxsize=16)
def names_of(catalogue: Catalogue) -> Names:
    """The name table of a catalogue, built once (a catalogue is frozen: its names never change)."""
    return Names(catalogue)
