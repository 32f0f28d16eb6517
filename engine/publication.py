"""Publication checks (`rules/publication.yaml`), run by `quanze audit` on a list before it is published.

Each check declared in publication.yaml (id, severity, message) is run here by its id; a declared id
this module does not know is reported once, so a misspelt check cannot silently pass. The checks reuse
validation (ambiguity, floors), the diff (authorities lowered) and the list's own cases.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from .cases import cases_file, load_cases, run_case
from .catalogue import load_catalogue
from .codes import CHECK, codes_of
from .model import FALLBACK, RANK, Catalogue, DoubleList, Text
from .place import AtPlace, Place
from .present.words import situation_words
from .yamlload import LoadError, display_path, load_file

@dataclass(frozen=True)
class AuditFinding(AtPlace):
    """A failed publication check at a place. Its severity is the one the rules folder's
    publication.yaml declares for the check (an office may change it), not the registry's."""

    check: str
    severity: str
    place: Place
    message: Text      # the check's message (publication.yaml)
    detail: Text       # what is wrong here

    @property
    def code(self) -> str:
        return self.check

    def format(self, lang: str = "en") -> str:
        tag = "" if self.severity == "error" else " (warning)" if lang == "en" else "（警告）"
        return f"{self.place}: {self.check}{tag}: {self.detail.get(lang)}"

    def to_json(self) -> dict:
        return {"check": self.check, "severity": self.severity, "file": self.place.file, "line": self.place.line,
                "place": str(self.place), "message": self.message.to_json(), "detail": self.detail.to_json()}


def declared_checks(catalogue: Catalogue) -> dict:
    checks = {c.id: c for c in catalogue.publication}
    if not checks:  # a rules folder without publication.yaml: the checks shipped with quanze
        packaged, _ = load_catalogue(None)
        if packaged is not None:
            checks = {c.id: c for c in packaged.publication}
    return checks


class Checks:
    def __init__(self, catalogue: Catalogue):
        self.catalogue = catalogue
        self.declared = declared_checks(catalogue)
        self.out: list[AuditFinding] = []

    def add(self, check: str, place: Place, zh: str, en: str) -> None:
        c = self.declared.get(check)
        if c is None:
            return
        self.out.append(AuditFinding(check, c.severity, place, c.message, Text(zh, en)))

    def block(self, check: str, place: Place, text: Text) -> None:
        """A finding that blocks publication whatever publication.yaml says of `check` (an error of
        validation: a rules folder that lowers or leaves out the check cannot let it through)."""
        c = self.declared.get(check) or self.declared.get("PUB-VALID")
        message = c.message if c is not None else Text("清单未通过校验", "the list does not validate")
        self.out.append(AuditFinding(check, "error", place, message, text))


# Validation codes reported under a publication check of their own. The citations of a list are
# checked by validation alone (against the register of legal documents), so that audit never judges a
# citation otherwise than validate does.
VALIDATION_CHECK = {"contradiction": "PUB-AMBIGUITY", "shadowed": "PUB-DEAD-ITEM", "never-matches": "PUB-DEAD-ITEM",
                    "always-forbidden": "PUB-DEAD-ITEM",
                    "below-floor": "PUB-FLOOR", "floor-sometimes": "PUB-FLOOR-SOMETIMES",
                    "bad-citation": "PUB-BASIS-FORM", "unknown-law": "PUB-BASIS-FORM",
                    "no-such-article": "PUB-BASIS-FORM", "basis-not-in-force": "PUB-BASIS-IN-FORCE",
                    "below-upper-list": "PUB-UPPER", "upper-list-sometimes": "PUB-UPPER-SOMETIMES",
                    "not-in-lower-list": "PUB-NOT-IN-LOWER",
                    "missing-basis": None, "missing-responsibility": None, "missing-pg-responsibility": None,
                    "situations-bounded": "PUB-BOUNDED"}


def run_checks(lst: DoubleList | None, catalogue: Catalogue, validation: list, diff=None, library=None,
               folder: str | None = None) -> list[AuditFinding]:
    """Every publication finding about `lst` (None when it could not be loaded at all).

    `validation` holds the load and semantic findings of `lst`; `diff` (a `diff.Diff` against the
    list in force) enables PUB-LOWERED / PUB-NEWLY-DELEGATED; `library` (a `Library` of `lst`) runs
    the list's cases."""
    ck = Checks(catalogue)
    cases = display_path(cases_file(folder)) if folder is not None else None
    for f in validation:
        if f.is_error:  # every error validate reports blocks, under the check it belongs to
            coded = Text(f"{f.code}: ", f"{f.code}: ") + f.message
            if f.place.file == cases:
                ck.block("PUB-CASES", f.place, coded)
            elif check := VALIDATION_CHECK.get(f.code):
                ck.block(check, f.place, f.message)
            else:
                ck.block("PUB-VALID", f.place, coded)
        elif check := VALIDATION_CHECK.get(f.code):
            ck.add(check, f.place, f.message.zh, f.message.en)
    if lst is None:
        return ck.out
    for item in lst.items:
        if not item.basis:
            ck.add("PUB-BASIS", item.source, f"条目 {item.id} 未载明法律依据", f"item {item.id} states no legal basis")
        if item.part == "prosecutor" and item.responsibility is None:
            ck.add("PUB-RESPONSIBILITY", item.source, f"检察官条目 {item.id} 未载明责任",
                   f"prosecutor item {item.id} states no responsibility")
        if item.part == "office" and item.duties is None:
            ck.add("PUB-RESPONSIBILITY", item.source, f"办事机构条目 {item.id} 未载明职责", f"office item {item.id} states no duties")
    _gaps(ck, lst, catalogue)
    _counts(ck, lst, catalogue, folder)
    if diff is not None:
        _lowered(ck, lst, diff)
        for m in diff.impact.bounded:
            why = diff.impact.matters[m].why
            ck.add("PUB-BOUNDED", lst.place(), f"事项 {m} 的情形过多，未能完整核对修订对其决定的影响（{why}）",
                   f"matter {m}: the impact of the revision on it could not be checked whole ({why})")
    if library is not None and folder is not None:
        _cases(ck, library, folder)
    for cid in ck.declared:
        if cid not in KNOWN:
            ck.add(cid, Place(catalogue.folder + "/publication.yaml"), f"未知的检查 {cid}，未运行", f"unknown check {cid}: not run")
    return ck.out


KNOWN = codes_of(CHECK)  # the checks this module runs


def gaps(lst: DoubleList, catalogue: Catalogue) -> dict:
    """line -> matters of that business line with no deciding item in the list, of those that can
    arise at the list's level (the catalogue's `levels:`: a grassroots list lacks no supreme matter)."""
    covered = {i.matter for i in lst.items if i.authority is not None}
    lines = {catalogue.matters[m].line for m in covered if m in catalogue.matters}
    out: dict = {}
    for code, m in catalogue.matters.items():
        if m.line in lines and code not in covered and catalogue.arises_at(code, lst.level):
            out.setdefault(m.line, []).append(code)
    return out


def _gaps(ck: Checks, lst: DoubleList, catalogue: Catalogue) -> None:
    fallback = catalogue.authority_names.get(FALLBACK)
    for line, matters in gaps(lst, catalogue).items():
        ln = catalogue.lines[line].name if line in catalogue.lines else Text(line, line)
        names_zh = "、".join(catalogue.matters[m].name.zh for m in matters)
        names_en = ", ".join(catalogue.matters[m].name.get("en") for m in matters)
        ck.add("PUB-GAPS", lst.place(), f"{ln.zh}条线未列明：{names_zh}（由{fallback.zh if fallback else '检察长'}决定）",
               f"{ln.get('en')}: no item on {names_en} ({', '.join(matters)}); the {fallback.get('en') if fallback else 'procurator-general'} decides")


def _counts(ck: Checks, lst: DoubleList, catalogue: Catalogue, folder: str | None) -> None:
    if not lst.counts:
        return
    lines = {}
    if folder is not None:
        try:
            doc = load_file(os.path.join(folder, "list.yaml"), inside=folder)
            lines = {k: doc.line(("counts", k)) for k in lst.counts}
        except LoadError:
            pass
    actual: dict = {"total": len(lst.items)}
    for item in lst.items:
        actual[item.part] = actual.get(item.part, 0) + 1
        m = catalogue.matters.get(item.matter)
        if m is not None:
            actual[m.line] = actual.get(m.line, 0) + 1
            actual[m.function] = actual.get(m.function, 0) + 1
    for key, declared in lst.counts.items():
        got = actual.get(key, 0)
        if declared != got:
            ck.add("PUB-COUNTS", Place(lst.source.file, lines.get(key, 1)), f"声明 {key} 共 {declared} 条，实际 {got} 条",
                   f"declares {declared} {key} items; the list has {got}")


def _lowered(ck: Checks, lst: DoubleList, diff) -> None:
    new_items = {i.id: i for i in lst.items}
    for m in diff.matters:
        downs = [{"situation": g["example"], "old": g["old"], "new": g["new"], "count": g["count"]}
                 for g in m["groups"] if g["direction"] in ("down", "incomparable")]
        if not downs:
            continue
        items = [new_items[i] for i in m["new"]["items"] if i in new_items]
        if any(i.note for i in items):
            continue
        deciding = [i for i in items if i.authority is not None]
        where = (deciding or items)[0].source if (deciding or items) else lst.place()
        explicit = [c for c in downs if not c["old"]["uncovered"]]
        name = diff.catalogue.matters[m["matter"]].name if m["matter"] in diff.catalogue.matters else Text(m["matter"], m["matter"])
        ex = (explicit or downs)[0]
        cat = diff.catalogue
        ids = ", ".join(m["new"]["items"]) or "—"
        if explicit:
            ck.add("PUB-LOWERED", where,
                   f"事项「{name.zh}」在 {sum(c['count'] for c in explicit)} 种情形下决定主体降低（如{_sit(ex, cat, 'zh')}：{_auth(ex['old'], cat, 'zh')} → {_auth(ex['new'], cat, 'zh')}），"
                   f"条目 {ids} 无 note 说明理由",
                   f"`{m['matter']}` is lowered in {sum(c['count'] for c in explicit)} situations (e.g. {_sit(ex)}: {_auth(ex['old'])} → "
                   f"{_auth(ex['new'])}) and no item ({ids}) has a note saying why")
        else:
            ck.add("PUB-NEWLY-DELEGATED", where,
                   f"事项「{name.zh}」原由检察长默认决定，现由{_auth(ex['new'], cat, 'zh')}决定（条目 {ids}），无 note 说明理由",
                   f"`{m['matter']}` was the procurator-general's by default and now goes to {_auth(ex['new'])} "
                   f"(items {ids}) with no note saying why")


def _sit(change, catalogue=None, lang="en") -> str:
    if catalogue is not None and lang == "zh":
        return situation_words(change["situation"], catalogue, lang) or "一律"
    return ", ".join(f"{k}={'true' if v is True else 'false' if v is False else v}"
                     for k, v in change["situation"].items()) or "—"


def _auth(brief, catalogue=None, lang="en") -> str:
    if catalogue is not None and lang == "zh":
        if brief["status"] != "ok":
            return "法律禁止" if brief["status"] == "forbidden" else "不确定"
        t = catalogue.authority_names.get(brief["authority"])
        return t.zh if t else brief["authority"]
    return brief["authority"] if brief["status"] == "ok" else brief["status"]


def _cases(ck: Checks, library, folder: str) -> None:
    """The list's cases, run (the errors of its cases.yaml are validation's: `run_checks` has them)."""
    cases, _ = load_cases(folder, library.catalogue)
    for case in cases:
        outcome = run_case(library, case)
        if outcome.passed:
            continue
        said = outcome.mismatch_texts
        what = outcome.error_text or Text("；".join(t.zh for t in said), "; ".join(t.get("en") for t in said))
        if outcome.hint:
            what = what + Text("；", "; ") + outcome.hint
        ck.add("PUB-CASES", case.source, f"用例「{case.name}」未通过：{what.zh}", f"case `{case.name}` fails: {what.en}")


def rank(code) -> int:
    return RANK.get(code, -1)
