"""Loading a list folder (`list.yaml` and its part files) into a `DoubleList`.

Everything a list author can get wrong in one list is reported here as findings, placed at the
line: schema problems, unknown codes with a "did you mean", values that do not fit their fact, ids
used twice, office items that decide, and part paths that lead outside the list's folder (a list must
never make quanze read another file: every file of a list is read through `read_in`).

Wherever a list writes a code — a matter, an authority, a fact, an enum value, a business line, its
level — it may write the Chinese name instead (or an alias: `quanze.names`). Names are resolved to
codes here, once (`Spelled`), so the `DoubleList` built holds codes only; the digest stays the digest
of the files as written.
"""
from __future__ import annotations

import hashlib
import os

from . import conditions, laws, messages, schemas
from .catalogue import text
from .findings import Finding, Findings, finding, pointer
from .levels import level_of
from .model import PART_AUTHORITY, Catalogue, DoubleList, Item, Part, ReportingRule, Text
from .names import AUTHORITY, LINE, MATTER, Names, names_of
from .place import Place
from .yamlload import MISSING, Document, LoadError, display_path, file_kind, load_text, read_file


def is_list_folder(path: str) -> bool:
    """Whether `path` has a `list.yaml` (whatever it is: a folder or a link there is reported when the
    list is loaded, not passed over in silence)."""
    return os.path.lexists(os.path.join(path, "list.yaml"))


def read_in(folder: str, rel: str) -> tuple[Document, bytes]:
    """A YAML file of the list at `folder`, parsed, and its bytes; only ever a regular file really
    inside the folder (`yamlload.read_file`). LoadError otherwise."""
    path = os.path.join(folder, rel)
    name = display_path(path)
    raw = read_file(path, name, inside=folder)
    return load_text(raw, name), raw


def load_list(folder: str, catalogue: Catalogue) -> tuple[DoubleList | None, Findings]:
    """Read and check one list folder; the list is None when it cannot be built at all."""
    findings: list[Finding] = []
    digest = hashlib.sha256()
    try:
        head, raw = read_in(folder, "list.yaml")
    except LoadError as exc:
        return None, Findings([exc.finding])
    findings.extend(head.findings)
    found = schemas.check(head, "list")
    findings.extend(found)
    if not isinstance(head.data, dict) or any(f.path in ("", "/id", "/parts") or f.path.startswith("/parts/") for f in found):
        return None, Findings(findings)
    data = head.data
    digest.update(b"list.yaml\0" + raw)
    names = names_of(catalogue)
    spelled_head = Spelled(head, names, findings)

    register, local, found = laws.local_register(head, folder, catalogue.laws)
    findings.extend(found)
    part_docs = []

    root = os.path.realpath(folder)
    parts = []
    ids: dict[str, str] = {}
    for part_name, rel in data["parts"].items():
        where = ("parts", part_name)
        target = os.path.realpath(os.path.join(folder, rel))
        if os.path.isabs(rel) or os.path.commonpath([root, target]) != root:
            findings.append(head.at(where, "part-outside",
                                    Text(f"部分 `{part_name}` 指向清单文件夹之外的 `{rel}`；不予接受",
                                         f"part `{part_name}` points at `{rel}`, outside the list's folder; refused")))
            continue
        kind = file_kind(target)
        if kind is not None:
            what = (Text(f"文件 `{rel}` 不存在", f"file `{rel}` does not exist") if kind == MISSING
                    else Text(f"`{rel}` {kind.zh}", f"`{rel}` {kind.en}"))
            findings.append(head.at(where, "unreadable", Text(f"部分 `{part_name}`：", f"part `{part_name}`: ") + what))
            continue
        try:
            doc, raw = read_in(folder, rel)
        except LoadError as exc:
            findings.append(exc.finding)
            continue
        findings.extend(doc.findings)
        found = schemas.check(doc, "part")
        findings.extend(found)
        if not isinstance(doc.data, dict) or not isinstance(doc.data.get("items"), list):
            continue
        digest.update(part_name.encode() + b"\0" + raw)
        declared = doc.data.get("part")
        if declared != part_name and isinstance(declared, str):
            findings.append(doc.at(("part",), "part-mismatch",
                                   Text(f"本文件声明为部分 `{declared}`，但 list.yaml 将其列为部分 `{part_name}`",
                                        f"this file declares part `{declared}`, but list.yaml gives it as part `{part_name}`")))
        items = []
        for i, raw in enumerate(doc.data["items"]):
            item = _item(Spelled(doc, names, findings), i, raw, part_name, catalogue, ids)
            if item is not None:
                items.append(item)
        parts.append(Part(part_name, doc.file, tuple(items)))
        part_docs.append(doc)

    reporting = []
    for i, raw in enumerate(data.get("reporting") or []):
        if not isinstance(raw, dict) or "id" not in raw:
            continue
        at = ("reporting", i)
        when = spelled_head.condition(raw.get("when"), at + ("when",), catalogue)
        _unique(head, at + ("id",), raw["id"], ids, findings)
        applies = raw.get("applies_to", [])
        applies_to = (spelled_head.codes(AUTHORITY, at + ("applies_to",), applies) if isinstance(applies, list)
                      else (spelled_head.code(AUTHORITY, at + ("applies_to",), applies),))
        rule = ReportingRule(raw["id"], applies_to, when,
                             spelled_head.codes(AUTHORITY, at + ("report_to",), raw.get("report_to", ())),
                             tuple(raw.get("basis", ())), head.place(at), text(raw.get("title")),
                             _scope(spelled_head, i, raw, "matters", MATTER),
                             _scope(spelled_head, i, raw, "lines", LINE))
        findings.extend(_outside_lines(head, i, rule, catalogue))
        reporting.append(rule)

    findings.extend(laws.list_findings(head, part_docs, register, catalogue.statutory))

    frm, to = data.get("effective_from"), data.get("effective_to")
    if isinstance(frm, str) and isinstance(to, str) and to < frm:
        findings.append(head.at(("effective_to",), "bad-dates", messages.dates_reversed(frm, to)))

    the_list = DoubleList(
        id=data["id"], title=text(data.get("title")), issuer=text(data.get("issuer")), level=level_of(data.get("level")),
        effective_from=frm, effective_to=to, supersedes=data.get("supersedes"), conforms_to=data.get("conforms_to"),
        parts=tuple(parts), reporting=tuple(reporting), counts=dict(data.get("counts") or {}),
        description=text(data.get("description")), folder=display_path(folder), source=Place(head.file),
        lines={k[0]: v for k, v in head.lines.items() if len(k) == 1},
        digest="sha256:" + digest.hexdigest(), laws=local)
    return the_list, Findings(findings)


class Spelled:
    """The codes one document of a list writes, each by its code or by a name (`Names.resolve`):
    resolved to the code, or, where a name names none or several, left as written with a finding at
    its place (an unknown code, with a "did you mean" over codes and names or naming every code a
    name of several stands for)."""

    def __init__(self, doc: Document, names: Names, findings: list):
        self.doc = doc
        self.names = names
        self.findings = findings

    def code(self, kind: str, path: tuple, word):
        """The code `word` (at `path`) writes; a word that is not a text is the schema's to report."""
        if not isinstance(word, str):
            return word
        found, problem = self.names.resolve(kind, word)
        if problem is None:
            return found
        self.findings.append(self.doc.at(path, *problem))
        return word

    def codes(self, kind: str, path: tuple, words) -> tuple:
        """`code` of each word of a list (`report_to: [...]`), each code once (`[检察长, procurator_general]`
        names one authority); () where `words` is not a list."""
        if not isinstance(words, list):
            return ()
        out: list = []
        for j, word in enumerate(words):
            code = self.code(kind, path + (j,), word)
            if code not in out:  # (not a set: a word the schema refuses may be a mapping)
                out.append(code)
        return tuple(out)

    def condition(self, raw, path: tuple, catalogue: Catalogue):
        """A condition, its facts and values resolved (`conditions.parse` with the names)."""
        when, problems = conditions.parse(raw, catalogue.facts, path, self.names)
        self.findings.extend(self.doc.at(p, c, m) for p, c, m in problems)
        return when


def _scope(spelled: Spelled, i: int, raw: dict, key: str, kind: str) -> tuple:
    """A reporting rule's scope of `key` (`matters` or `lines`), each resolved to its code; an
    unknown one is a finding at its place ("in its scope"), with a did-you-mean."""
    given = raw.get(key)
    if not isinstance(given, list):  # absent (every matter), or the schema has said what is wrong
        return ()
    out = []
    for j, name in enumerate(given):
        if not isinstance(name, str):
            continue
        found, problem = spelled.names.resolve(kind, name)
        if problem is not None and not spelled.names.table(kind).find(name):  # unknown, not a name of several
            what = KIND_WORDS[kind]
            problem = (problem[0], Text(f"报告规则 {raw['id']}：适用范围中有未知{what.zh} `{name}`",
                                        f"reporting rule `{raw['id']}`: unknown {what.en} `{name}` in its scope")
                       + spelled.names.table(kind).hint(name, quoted=True))
        if problem is not None:
            spelled.findings.append(spelled.doc.at(("reporting", i, key, j), *problem))
        out.append(found if found is not None else name)
    return tuple(out)


KIND_WORDS = {MATTER: messages.MATTER, LINE: messages.LINE}


def _outside_lines(head: Document, i: int, rule: ReportingRule, catalogue: Catalogue) -> list:
    """A matter a reporting rule's `matters:` names whose business line its `lines:` leaves out: both
    must hold, so the rule never applies to it (and where that is every matter, nowhere)."""
    out: list[Finding] = []
    if not rule.lines:
        return out
    for j, code in enumerate(rule.matters):
        found = catalogue.matters.get(code)
        if found is not None and found.line not in rule.lines:
            line = catalogue.lines[found.line].name.zh if found.line in catalogue.lines else found.line
            out.append(head.at(("reporting", i, "matters", j), "never-matches", Text(
                f"报告规则 {rule.id}：「{found.name.zh}」属于{line}条线，而该规则的 `lines:` 不含这一条线，"
                "因此该规则对它永不适用",
                f"reporting rule `{rule.id}`: `{code}` is a matter of the line `{found.line}`, which its "
                f"`lines:` leaves out, so the rule never applies to it")))
    return out


def _unique(doc: Document, path, ident, ids: dict, findings: list) -> None:
    place = doc.place(path)
    if ident in ids:
        findings.append(doc.at(path, "duplicate-id", Text(f"id `{ident}` 重复使用（首次在 {ids[ident]}）",
                                                          f"id `{ident}` is used twice (first at {ids[ident]})")))
    else:
        ids[ident] = place


def _item(spelled: Spelled, i: int, raw, part: str, catalogue: Catalogue, ids: dict) -> Item | None:
    doc, findings = spelled.doc, spelled.findings
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not isinstance(raw.get("matter"), str):
        return None
    at = ("items", i)
    _unique(doc, at + ("id",), raw["id"], ids, findings)
    matter = spelled.code(MATTER, at + ("matter",), raw["matter"])
    authority = spelled.code(AUTHORITY, at + ("decides",), raw["decides"]) if "decides" in raw else PART_AUTHORITY[part]
    if part == "office":
        if "decides" in raw:
            findings.append(doc.at(at + ("decides",), "office-decides", Text(
                f"办事机构条目 `{raw['id']}` 写有 `decides`；检察委员会办事机构不决定任何事项（请改写其 `duties`）",
                f"office item `{raw['id']}` carries `decides`; the committee office decides nothing "
                "(give its `duties` instead)")))
        authority = None
    delegable = spelled.codes(AUTHORITY, at + ("delegable_to",), raw.get("delegable_to", []))
    if delegable and (authority != "procurator_general" or set(delegable) != {"deputy_procurator_general"}):
        findings.append(doc.at(at + ("delegable_to",), "bad-delegation", Text(
            "只有检察长条目可以授权，且只能授权给 `deputy_procurator_general`（副检察长）",
            "only a procurator-general item can be delegated, and only to `deputy_procurator_general`")))
    when = spelled.condition(raw.get("when"), at + ("when",), catalogue)
    return Item(id=raw["id"], matter=matter, part=part, authority=authority, when=when,
                source=doc.place(at), title=text(raw.get("title")), delegable_to=delegable,
                report_to=spelled.codes(AUTHORITY, at + ("report_to",), raw.get("report_to", [])),
                responsibility=text(raw.get("responsibility")),
                duties=text(raw.get("duties")), basis=tuple(raw.get("basis", ())), note=_note(raw.get("note")),
                explicit_decides="decides" in raw, pointer=pointer(at))


def _note(raw) -> Text | None:
    """An item's `note`: a text, or a plain string written before notes were texts (its Chinese)."""
    return Text(raw) if isinstance(raw, str) and raw else text(raw)


def find_list_folders(path: str) -> list[str]:
    """The list folders at `path`: the folder itself if it is one, else its sub-folders that are."""
    if is_list_folder(path):
        return [path]
    if not os.path.isdir(path):
        return []
    return [os.path.join(path, name) for name in sorted(os.listdir(path)) if is_list_folder(os.path.join(path, name))]
