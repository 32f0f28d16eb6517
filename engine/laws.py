"""The register of legal documents (`rules/laws.yaml`, and a list's own `laws:`), and every basis
checked against it.

A basis is a citation, `《TITLE》第N条`. Checking it against a fixed set of titles let a citation of
article 995 of a 308-article law through and refused the rules in force because nobody had cited them
yet; the register says instead which documents exist, under which title, from when to when, what
replaced them and how many articles they have. Validation asks it four questions of every basis: is
it a citation at all (`bad-citation`), of a registered document (`unknown-law`), of an article the
document has (`no-such-article`), and was the document in force on the day the list takes effect
(`basis-not-in-force`, naming what replaced it)? `audit` takes these findings from validation, so
that the two never disagree about a citation.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources
from typing import Mapping

from . import citations, messages
from .codes import severity
from .findings import Finding, closest
from .model import FrozenDict, Text
from .place import Place
from .yamlload import Document, LoadError, load_file

KINDS = ("law", "judicial_interpretation", "procuratorial_rule", "normative_document")
KEYS = ("id", "title", "aliases", "kind", "effective_from", "effective_to", "superseded_by", "articles", "text")
TYPES = {"aliases": list, "articles": int}  # the type of each key's value (the others: str)


@dataclass(frozen=True)
class Law:
    """One registered document. `text` is the file holding its text as the register names it;
    `text_path` where it is on disk (None when no text is named)."""

    id: str
    title: str
    kind: str
    aliases: tuple = ()
    effective_from: str | None = None
    effective_to: str | None = None
    superseded_by: str | None = None
    articles: int | None = None
    text: str | None = None
    text_path: str | None = None
    source: Place = Place("")
    local: bool = False  # registered by a list (`laws:` of list.yaml), not by the rules

    def to_json(self) -> dict:
        out = {key: getattr(self, key) for key in KEYS}
        out["aliases"] = list(self.aliases)
        out.update(source=str(self.source), local=self.local)
        return out


@dataclass(frozen=True)
class Lapse:
    """Why a document was not in force on a day: `before` (it took effect on `date`, later),
    `ended` (its last day was `date`) or `superseded` (`by` took effect on `date`). `current` is the
    registered document in force in its place at the end of the chain of successors, if any."""

    reason: str
    date: str
    by: Law | None = None
    current: Law | None = None


@dataclass(frozen=True)
class Register:
    """The documents a basis may cite, found by id, by title and by alias."""

    laws: tuple = ()
    by_id: Mapping = field(init=False, repr=False, compare=False, hash=False)
    by_title: Mapping = field(init=False, repr=False, compare=False, hash=False)
    by_alias: Mapping = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        ids: dict[str, Law] = {}
        titles: dict[str, Law] = {}
        aliases: dict[str, Law] = {}
        for law in self.laws:
            ids.setdefault(law.id, law)
            titles.setdefault(law.title, law)
            for alias in law.aliases:
                aliases.setdefault(alias, law)
        object.__setattr__(self, "by_id", FrozenDict(ids))
        object.__setattr__(self, "by_title", FrozenDict(titles))
        object.__setattr__(self, "by_alias", FrozenDict(aliases))

    def with_local(self, local: tuple) -> "Register":
        """This register and a list's own documents."""
        return Register(self.laws + tuple(local)) if local else self

    def successors(self, law: Law) -> list[Law]:
        """The chain of registered documents that replaced `law`, in order (a cycle ends it)."""
        out: list[Law] = []
        seen = {law.id}
        while law.superseded_by in self.by_id and law.superseded_by not in seen:
            law = self.by_id[law.superseded_by]
            seen.add(law.id)
            out.append(law)
        return out

    def lapse(self, law: Law, day: str) -> Lapse | None:
        """Why `law` was not in force on `day`, or None when it was (or the register cannot tell)."""
        chain = self.successors(law)
        current = chain[-1] if chain else None
        if law.effective_from is not None and day < law.effective_from:
            return Lapse("before", law.effective_from)
        if law.effective_to is not None and day > law.effective_to:
            return Lapse("ended", law.effective_to, chain[0] if chain else None, current)
        if chain and chain[0].effective_from is not None and chain[0].effective_from <= day:
            return Lapse("superseded", chain[0].effective_from, chain[0], current)
        return None

    def suggest(self, name: str) -> Law | None:
        """The document `name` most likely means: the one it is an alias of, else the closest title
        or alias ("did you mean")."""
        if name in self.by_alias:
            return self.by_alias[name]
        names = list(self.by_title) + list(self.by_alias)
        best = closest(name, names)
        if best is None:
            return None
        return self.by_title.get(best) or self.by_alias.get(best)


# --- checking one citation ------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """What is wrong with one citation: a finding code and its message (without a place)."""

    code: str
    message: Text


def check(text: str, register: Register, day: str | None = None, when: Text | None = None) -> list[Problem]:
    """Every problem of the citation `text`: `bad-citation`, `unknown-law`, `no-such-article`, and,
    given the `day` a list takes effect, `basis-not-in-force`. `when` says what that day is."""
    cited = citations.parse(text) if isinstance(text, str) else None
    if cited is None:
        return [Problem("bad-citation", Text(f"`{text}` 不是“《法律名称》第N条”（其后可有“第M款”“第K项”）形式的引用",
                                             f"`{text}` is not a citation of the form 《法律名称》第N条 "
                                             "(optionally followed by 第M款, 第K项)"))]
    law = register.by_title.get(cited.title)
    if law is None:
        return [Problem("unknown-law", Text(f"《{cited.title}》不在法律文件目录中",
                                            f"《{cited.title}》 is not in the register of legal documents")
                        + _did_you_mean(cited.title, register))]
    if law.articles is not None and cited.article > law.articles:
        return [Problem("no-such-article", Text(f"《{law.title}》共 {law.articles} 条，没有第{citations.chinese(cited.article)}条",
                                                f"《{law.title}》 has {law.articles} articles; it has no "
                                                f"第{citations.chinese(cited.article)}条 ({cited.article})"))]
    if day is not None:
        lapse = register.lapse(law, day)
        if lapse is not None:
            return [Problem("basis-not-in-force", not_in_force(text.strip(), law, lapse, day, when))]
    return []


def _did_you_mean(title: str, register: Register) -> Text:
    law = register.suggest(title)
    if law is None:
        return Text("", "")
    if title in register.by_alias:
        return Text(f"；“{title}”是《{law.title}》的简称，请使用全称引用",
                    f"; `{title}` is a short name of 《{law.title}》: cite it by its full title")
    return Text(f"；是否应为《{law.title}》？", f"; did you mean 《{law.title}》?")


def not_in_force(cited: str, law: Law, lapse: Lapse, day: str, when: Text | None = None) -> Text:
    """The message of `basis-not-in-force`: the citation, the day, why, and what replaced it."""
    zh = f"{cited} 在 {day}{'（' + when.zh + '）' if when else ''}不在施行期内："
    en = f"{cited} is not in force on {day}{', ' + when.get('en') if when else ''}: "
    if lapse.reason == "before":
        return Text(zh + f"《{law.title}》自 {lapse.date} 起施行", en + f"《{law.title}》 takes effect on {lapse.date}")
    if lapse.reason == "ended":
        zh += f"《{law.title}》施行至 {lapse.date}"
        en += f"《{law.title}》 was in force until {lapse.date}"
        if lapse.by is not None:
            zh += f"（已被《{lapse.by.title}》取代）"
            en += f" (superseded by 《{lapse.by.title}》)"
    elif lapse.by is not None:
        zh += f"《{lapse.by.title}》自 {lapse.date} 起取代《{law.title}》"
        en += f"《{lapse.by.title}》 superseded 《{law.title}》 from {lapse.date}"
    if lapse.current is not None and lapse.current is not lapse.by:
        zh += f"，现行有效的是《{lapse.current.title}》"
        en += f", and 《{lapse.current.title}》 is the document now in force"
    if lapse.current is not None:
        zh += f"；请引用《{lapse.current.title}》的相应条文"
        en += f"; cite the corresponding article of 《{lapse.current.title}》"
    return Text(zh, en)


def takes_effect(list_id: str) -> Text:
    """The day a list takes effect, as `not_in_force` names it."""
    return Text(f"即清单 `{list_id}` 施行之日", f"the day list `{list_id}` takes effect")


# --- reading the register -------------------------------------------------------------------------

def packaged_laws() -> str:
    """The register shipped with quanze (used by a rules folder that has no laws.yaml of its own)."""
    return str(resources.files("quanze.rules") / "laws.yaml")


def read_laws(doc: Document, key: tuple, folder: str, known: Register | None = None,
              local: bool = False) -> tuple[tuple, list[Finding]]:
    """The documents registered at `key` of `doc` (already checked against its schema), with the
    findings about them: an id, title or alias used twice (here or in `known`), a successor that is
    registered neither here nor in `known`, dates in the wrong order, a `text` that is not a file (for
    a list's own documents: not a file inside its folder)."""
    entries = doc.data
    for k in key:
        entries = entries.get(k) if isinstance(entries, dict) else None
    if not isinstance(entries, list):
        return (), []
    found: list[Finding] = []
    taken: dict = {}  # id, title or alias -> where it is registered
    if known is not None:
        for law in known.laws:
            taken.setdefault(("id", law.id), law.source)
            for name in (law.title,) + law.aliases:
                taken.setdefault(("name", name), law.source)
    laws = []
    for i, e in enumerate(entries):
        if not isinstance(e, dict) or not all(isinstance(e.get(k), str) for k in ("id", "title", "kind")):
            continue  # its schema findings say what is wrong
        e = {k: v for k, v in e.items() if isinstance(v, TYPES.get(k, str)) and not isinstance(v, bool)}
        at = key + (i,)
        place = doc.place(at)
        for kind, name, path in [("id", e["id"], at + ("id",)), ("name", e["title"], at + ("title",))] + \
                [("name", a, at + ("aliases", j)) for j, a in enumerate(e.get("aliases", ())) if isinstance(a, str)]:
            if (kind, name) in taken:
                found.append(doc.at(path, "duplicate-id", Text(f"`{name}` 已登记（在 {taken[(kind, name)]}）",
                                                               f"`{name}` is already registered (at {taken[(kind, name)]})")))
            else:
                taken[(kind, name)] = place
        frm, to = e.get("effective_from"), e.get("effective_to")
        if isinstance(frm, str) and isinstance(to, str) and to < frm:
            found.append(doc.at(at + ("effective_to",), "bad-dates", messages.dates_reversed(frm, to)))
        text_path = None
        if "text" in e:
            text_path, problem = _text_path(e["text"], folder, local)
            if problem is not None:
                found.append(doc.at(at + ("text",), *problem))
                text_path = None
        aliases = tuple(a for a in e.get("aliases", ()) if isinstance(a, str))
        laws.append((i, Law(e["id"], e["title"], e["kind"], aliases, frm, to, e.get("superseded_by"),
                            e.get("articles"), e.get("text"), text_path, place, local)))
    ids = set(known.by_id if known is not None else ()) | {law.id for _, law in laws}
    for i, law in laws:
        if law.superseded_by is not None and law.superseded_by not in ids:
            near = closest(law.superseded_by, ids)
            found.append(doc.at(key + (i, "superseded_by"), "unknown-law",
                                Text(f"`superseded_by: {law.superseded_by}` 所指的文件未登记",
                                     f"`superseded_by: {law.superseded_by}` names no registered document")
                                + (Text(f"；是否应为 `{near}`？", f"; did you mean `{near}`?") if near else Text("", ""))))
    return tuple(law for _, law in laws), found


def _text_path(text: str, folder: str, local: bool) -> tuple[str | None, tuple | None]:
    root = os.path.realpath(folder)
    path = os.path.realpath(os.path.join(folder, text))
    if local and (os.path.isabs(text) or os.path.commonpath([root, path]) != root):
        return None, ("part-outside", Text(f"`text: {text}` 指向清单文件夹之外；不予接受，未读取",
                                           f"`text: {text}` leads outside the list's folder; refused, not read"))
    if not os.path.isfile(path):
        return None, ("unreadable", Text(f"`text: {text}`：没有这个文件", f"`text: {text}`: no such file"))
    return path, None


def rules_register(doc: Document | None, folder: str) -> tuple[Register | None, list[Finding]]:
    """The register of a rules folder: its laws.yaml (`doc`, checked against its schema), or, where it
    has none, the one shipped with quanze. None when the shipped one cannot be read."""
    if doc is None:
        try:
            doc = load_file(packaged_laws())
        except LoadError as exc:
            return None, [exc.finding]
        folder = os.path.dirname(packaged_laws())
    laws, found = read_laws(doc, ("laws",), folder)
    return Register(laws), found


def local_register(head: Document, folder: str, register: Register | None) -> tuple[Register, tuple, list[Finding]]:
    """A list's own documents (`laws:` of its list.yaml) added to `register`."""
    register = register if register is not None else Register()
    local, found = read_laws(head, ("laws",), folder, known=register, local=True)
    return register.with_local(local), local, found


# --- checking the bases of rules and lists --------------------------------------------------------

# rules file -> the key of its entries, each of which may have a `basis`
RULES_BASES = {"matters": "matters", "statutory": "rules", "publication": "checks"}


def basis_findings(doc: Document, key: str, register: Register, day: str | None = None,
                   when: Text | None = None) -> list[Finding]:
    """A finding for every problem of every basis of the entries at `key` of `doc` (items of a part,
    reporting rules of list.yaml, entries of a rules file), placed at the basis."""
    entries = doc.data.get(key) if isinstance(doc.data, dict) else None
    out: list[Finding] = []
    for i, entry in enumerate(entries if isinstance(entries, list) else ()):
        basis = entry.get("basis") if isinstance(entry, dict) else None
        for j, text in enumerate(basis if isinstance(basis, list) else ()):
            if not isinstance(text, str):
                continue  # not a string: the schema says so
            name = entry.get("id") if isinstance(entry.get("id"), str) else \
                entry.get("code") if isinstance(entry.get("code"), str) else None
            who = Text(f"`{name}`：", f"`{name}`: ") if name is not None else Text("", "")
            for p in check(text, register, day, when):
                out.append(doc.at((key, i, "basis", j), p.code, who + p.message))
    return out


def rules_findings(docs: dict, register: Register) -> list[Finding]:
    """The bases of the rules (matters, statutory rules, publication checks) against the register.
    Rules are in force whatever the day, so only their form, titles and articles are checked here;
    whether a statutory rule's basis was in force is asked for each list it binds."""
    out: list[Finding] = []
    for name, key in RULES_BASES.items():
        if name in docs:
            out.extend(basis_findings(docs[name], key, register))
    return out


def statutory_findings(head: Document, matters: set, statutory: tuple, register: Register, day: str,
                       list_id: str) -> list[Finding]:
    """A warning, at the list's `effective_from`, for each statutory rule on a matter the list decides
    whose basis was not in force on that day: the list is bound by a rule resting on a replaced text."""
    out: list[Finding] = []
    for rule in statutory:
        if not matters.intersection(rule.matters):
            continue
        for text in rule.basis:
            cited = citations.parse(text)
            law = register.by_title.get(cited.title) if cited is not None else None
            if law is None:
                continue  # the rules' own check reports it
            lapse = register.lapse(law, day)
            if lapse is not None:
                on = ", ".join(f"`{m}`" for m in rule.matters if m in matters)
                out.append(head.at(("effective_from",), "basis-not-in-force",
                                   Text(f"约束本清单 {on.replace(', ', '、')} 条目的法定规则 `{rule.id}`（{rule.source}）：",
                                        f"statutory rule `{rule.id}` ({rule.source}), binding this list's items on {on}: ")
                                   + not_in_force(text, law, lapse, day, takes_effect(list_id))))
    return out


def list_findings(head: Document, parts: list, register: Register, statutory: tuple) -> list[Finding]:
    """Every basis of a list (its parts' items and list.yaml's reporting rules), and the statutory
    rules binding it, against the register, on the day it takes effect."""
    data = head.data if isinstance(head.data, dict) else {}
    day = data.get("effective_from") if isinstance(data.get("effective_from"), str) else None
    list_id = str(data["id"]) if isinstance(data.get("id"), str) else "?"
    when = takes_effect(list_id)
    out = basis_findings(head, "reporting", register, day, when)
    matters: set[str] = set()
    for doc in parts:
        out.extend(basis_findings(doc, "items", register, day, when))
        items = doc.data.get("items") if isinstance(doc.data, dict) else None
        matters.update(i["matter"] for i in items or () if isinstance(i, dict) and isinstance(i.get("matter"), str))
    if day is not None:
        out.extend(statutory_findings(head, matters, statutory, register, day, list_id))
    return out


@dataclass(frozen=True)
class Examination:
    """One citation looked up in the register (`quanze laws '《…》第N条'`): what it cites, what is wrong
    with it, and the article's text where the register names a text file that holds it."""

    text: str
    cited: citations.Citation | None
    law: Law | None
    day: str | None
    problems: tuple
    lapse: Lapse | None = None
    article: tuple | None = None  # the article's lines

    @property
    def valid(self) -> bool:
        """No error (a `basis-not-in-force` warning leaves a citation valid)."""
        return not any(p.code != "basis-not-in-force" for p in self.problems)

    def to_json(self) -> dict:
        c = self.cited
        return {"citation": self.text, "valid": self.valid,
                "cited": None if c is None else {"title": c.title, "article": c.article, "sub": c.sub,
                                                 "paragraph": c.paragraph, "item": c.item},
                "law": self.law.to_json() if self.law else None, "on": self.day,
                "findings": [{"code": p.code, "severity": severity(p.code), "message": p.message.en,
                              "message_zh": p.message.zh} for p in self.problems],
                "text": list(self.article) if self.article is not None else None}


def examine(text: str, register: Register, day: str | None = None, when: Text | None = None) -> Examination:
    """Check one citation and find what it cites (reading the article from the document's text file,
    where the register names one)."""
    problems = tuple(check(text, register, day, when))
    cited = citations.parse(text)
    law = register.by_title.get(cited.title) if cited is not None else None
    lapse = register.lapse(law, day) if law is not None and day is not None else None
    lines = None
    if law is not None and cited is not None and not any(p.code == "no-such-article" for p in problems):
        lines = article(law, cited)
    return Examination(text, cited, law, day, problems, lapse, tuple(lines) if lines is not None else None)


def article(law: Law, cited: citations.Citation) -> list[str] | None:
    """The cited article's lines from the document's text file, or None (no file, or no such article)."""
    if law.text_path is None:
        return None
    with open(law.text_path, encoding="utf-8", errors="replace") as handle:
        return citations.article_text(handle.read().splitlines(), cited.article, cited.sub)

