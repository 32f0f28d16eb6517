"""Loading `rules/`: the catalogue (authorities, matters, facts, lines) and the statutory rules.

The packaged copy (`quanze.rules`) is the default, so an installed quanze checks and decides a user's
own lists with the law as shipped; `--rules DIR` points at another copy.
"""
from __future__ import annotations

import hashlib
import os
from importlib import resources

from . import conditions, laws, messages, schemas
from .findings import Finding, Findings, finding, suggest
from .levels import DEFAULT_MATTER_LEVELS
from .model import AUTHORITIES, Catalogue, Fact, Line, Matter, PublicationCheck, StatutoryRule, Text
from .names import AUTHORITY, FACT, MATTER, VALUE, names_of
from .place import Place
from .yamlload import Document, LoadError, display_path, load_file

FILES = ("authorities", "lines", "matters", "facts", "statutory", "publication", "laws")
REQUIRED = ("lines", "matters", "facts", "statutory")


def packaged_rules() -> str:
    """The folder of the rules shipped with the package."""
    return str(resources.files("quanze.rules"))


def is_rules_folder(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "matters.yaml")) and os.path.isfile(os.path.join(path, "facts.yaml"))


def text(raw) -> Text | None:
    """A `{zh, en}` text as written (`en` optional), or None where there is none or it lacks `zh`
    (the schema reports that)."""
    if isinstance(raw, dict) and isinstance(raw.get("zh"), str):
        en = raw.get("en")
        return Text(raw["zh"], en if isinstance(en, str) else None)
    return None


def required_text(raw) -> Text:
    """A text the schema requires (and has checked): `{zh}`, `en` optional."""
    return Text(raw["zh"], raw.get("en"))


def load_catalogue(folder: str | None = None) -> tuple[Catalogue | None, Findings]:
    """Read and check a rules folder; the catalogue is None when errors leave it unusable."""
    folder = folder or packaged_rules()
    findings: list[Finding] = []
    docs: dict[str, Document] = {}
    digest = hashlib.sha256()
    for name in FILES:
        path = os.path.join(folder, f"{name}.yaml")
        if not os.path.isfile(path):
            if name in REQUIRED:
                findings.append(finding(Place(display_path(path)), "unreadable",
                                        Text("规则文件夹缺少此文件", "the rules folder lacks this file")))
            continue
        try:
            doc = load_file(path)
        except LoadError as exc:
            findings.append(exc.finding)
            continue
        with open(path, "rb") as handle:
            digest.update(name.encode() + b"\0" + handle.read())
        findings.extend(doc.findings)
        found = schemas.check(doc, name)
        findings.extend(found)
        if found or not isinstance(doc.data, dict):
            continue
        docs[name] = doc
    if any(n not in docs for n in REQUIRED):
        return None, Findings(findings)
    # the register of legal documents: laws.yaml, or the one shipped where the folder has none
    if "laws" not in docs and os.path.isfile(os.path.join(folder, "laws.yaml")):
        return None, Findings(findings)
    register, found = laws.rules_register(docs.get("laws"), folder)
    findings.extend(found)
    if register is None:
        return None, Findings(findings)
    findings.extend(laws.rules_findings(docs, register))

    def unique(doc, key, entries):
        seen: dict = {}
        for i, entry in enumerate(entries):
            code = entry["code"] if "code" in entry else entry["id"]
            if code in seen:
                findings.append(doc.at((key, i, "code" if "code" in entry else "id"), "duplicate-id",
                                       Text(f"`{code}` 重复定义（首次在第 {seen[code]} 行）",
                                            f"`{code}` is defined twice (first at line {seen[code]})")))
            else:
                seen[code] = doc.line((key, i))
        return seen

    names = {a: Text(a, a) for a in AUTHORITIES}
    aliases: dict = {}
    if "authorities" in docs:
        for entry in docs["authorities"].data["authorities"]:
            names[entry["code"]] = required_text(entry["name"])
            aliases[(AUTHORITY, entry["code"])] = tuple(entry.get("aliases", ()))

    doc = docs["lines"]
    unique(doc, "lines", doc.data["lines"])
    lines = {e["code"]: Line(e["code"], required_text(e["name"]), e["kind"]) for e in doc.data["lines"]}

    doc = docs["matters"]
    unique(doc, "matters", doc.data["matters"])
    matters = {}
    for i, e in enumerate(doc.data["matters"]):
        if e["line"] not in lines:
            findings.append(doc.at(("matters", i, "line"), "unknown-line",
                                   messages.unknown(messages.LINE, e['line']) + suggest(e['line'], lines)))
        aliases[(MATTER, e["code"])] = tuple(e.get("aliases", ()))
        matters[e["code"]] = Matter(e["code"], required_text(e["name"]), e["line"], e["function"],
                                    tuple(e.get("basis", ())), doc.place(("matters", i)),
                                    bool(e.get("without_procurator_general", False)),
                                    tuple(e.get("levels", DEFAULT_MATTER_LEVELS)))

    doc = docs["facts"]
    unique(doc, "facts", doc.data["facts"])
    facts = {}
    for i, e in enumerate(doc.data["facts"]):
        aliases[(FACT, e["code"])] = tuple(e.get("aliases", ()))
        facts[e["code"]] = Fact(e["code"], e["type"], required_text(e["question"]), text(e.get("label")),
                                tuple(e.get("values", ())),
                                {k: text(v) for k, v in e.get("value_labels", {}).items()},
                                e.get("min"), e.get("max"), doc.place(("facts", i)), text(e.get("label_false")),
                                {v: tuple(names) for v, names in e.get("value_aliases", {}).items()})
        findings.extend(_label_false_findings(doc, i, facts[e["code"]]))
        for value in e.get("value_aliases", {}):
            if value not in facts[e["code"]].values:
                findings.append(doc.at(("facts", i, "value_aliases", value), "bad-value", Text(
                    f"`value_aliases` 的 `{value}` 不是事实 `{e['code']}` 的取值",
                    f"`value_aliases` names `{value}`, not a value of fact `{e['code']}`")
                    + suggest(value, facts[e["code"]].values)))

    doc = docs["statutory"]
    unique(doc, "rules", doc.data["rules"])
    statutory = []
    for i, e in enumerate(doc.data["rules"]):
        ms = e["matter"] if isinstance(e["matter"], list) else [e["matter"]]
        for j, m in enumerate(ms):
            if m not in matters:
                where = ("rules", i, "matter", j) if isinstance(e["matter"], list) else ("rules", i, "matter")
                findings.append(doc.at(where, "unknown-matter", messages.unknown(messages.MATTER, m) + suggest(m, matters)))
        when, problems = conditions.parse(e.get("when"), facts, ("rules", i, "when"))
        findings.extend(doc.at(p, c, m) for p, c, m in problems)
        statutory.append(StatutoryRule(e["id"], tuple(ms), when, bool(e.get("forbid")), e.get("floor"),
                                       tuple(e["basis"]), required_text(e["message"]), doc.place(("rules", i)),
                                       tuple(e.get("delegable_to", ())), tuple(e.get("report_to", ())),
                                       tuple(e.get("levels", ())), text(e.get("permission"))))

    publication: tuple[PublicationCheck, ...] = ()
    if "publication" in docs:
        publication = tuple(PublicationCheck(e["id"], e["severity"], required_text(e["message"]), tuple(e.get("basis", ())))
                            for e in docs["publication"].data["checks"])
    catalogue = Catalogue(matters, facts, lines, names, tuple(statutory), publication,
                          display_path(folder), "sha256:" + digest.hexdigest(), register,
                          aliases={k: v for k, v in aliases.items() if v})
    findings.extend(_clashes(catalogue, docs))
    return catalogue, Findings(findings)


def _label_false_findings(doc: Document, index: int, fact: Fact) -> list[Finding]:
    """A `label_false` that cannot say "this fact is false": on a fact that is not boolean (it has no
    false), or the same words as its `label` (a false fact would read as a true one)."""
    if fact.label_false is None:
        return []
    where = ("facts", index, "label_false")
    if fact.type != "boolean":
        return [doc.at(where, "schema", Text(f"`label_false` 只用于布尔事实；事实 `{fact.code}` 的类型为 {fact.type}",
                                             f"`label_false` is for boolean facts only; fact `{fact.code}` is a {fact.type}"))]
    same = [lang for lang in ("zh", "en") if fact.label is not None
            and getattr(fact.label_false, lang) is not None and getattr(fact.label_false, lang) == getattr(fact.label, lang)]
    if same:
        return [doc.at(where, "schema", Text(f"`label_false` 与 `label` 相同（{same[0]}）：事实为否时将读作为是",
                                             f"`label_false` repeats `label` ({same[0]}): a false fact would read as a true one"))]
    return []


KIND_WORDS = {MATTER: "事项", FACT: "事实", AUTHORITY: "决定主体"}  # the kinds of a name, in Chinese


def _clashes(catalogue: Catalogue, docs: dict) -> list[Finding]:
    """An `ambiguous-name` finding for each name (Chinese name, label or alias) that two codes share:
    typed, it is refused with both codes named, so the catalogue should give each its own."""
    out = []
    where = {MATTER: ("matters", "matters"), FACT: ("facts", "facts"), AUTHORITY: ("authorities", "authorities"),
             VALUE: ("facts", "facts")}
    for clash in names_of(catalogue).clashes:
        file, key = where[clash.kind]
        code = clash.fact if clash.kind == VALUE else clash.codes[-1]
        doc = docs.get(file)
        index = next((i for i, e in enumerate(doc.data[key]) if e.get("code") == code), None) if doc else None
        what = f"values of fact `{clash.fact}`" if clash.kind == VALUE else f"{clash.kind}s"
        what_zh = f"事实 `{clash.fact}` 的取值" if clash.kind == VALUE else KIND_WORDS.get(clash.kind, clash.kind)
        message = Text(f"“{clash.name}”同时是{what_zh} " + "、".join(f"`{c}`" for c in clash.codes)
                       + " 的名称：输入它时将被拒绝；请为每一项取不同的名称",
                       f"`{clash.name}` names the {what} " + " and ".join(f"`{c}`" for c in clash.codes)
                       + ": typed, it is refused; give each its own name")
        if doc is None or index is None:  # (not met: a clash is always between entries of a file read)
            out.append(finding(Place(catalogue.folder), "ambiguous-name", message))
        else:
            out.append(doc.at((key, index), "ambiguous-name", message))
    return out
