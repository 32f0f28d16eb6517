"""Semantic validation: what the schema cannot see, over one list and across lists.

Runs after the loader (which reports unknown codes and bad values) and asks the situation space
(`situations.py`) the questions a published list must answer well: no two items on a matter that
say different things in the same situations, no item that can never decide anything, no item below
a floor the law fixes. Also checks the versions of a list family (ids, supersedes, dates).
"""
from __future__ import annotations

import os
from dataclasses import replace

from .cases import load_cases
from .catalogue import is_rules_folder, load_catalogue
from .english import list_findings, rules_findings
from .findings import Finding, Findings, finding, suggest
from .hierarchy import load_with_upper
from .lists import find_list_folders, is_list_folder
from .model import RANK, Catalogue, DoubleList, Text, highest
from .place import Place
from .regions import point_cubes, simplest_cubes
from .present.words import cubes_words, matter_name, who
from .situations import Bounded, Space, describe, holds, reads
from .yamlload import LoadError, load_file


def semantic_findings(the_list: DoubleList, found: Findings, catalogue: Catalogue) -> Findings:
    """The semantic findings of a loaded list whose loading found `found`: checked on every item that
    is itself well-formed (`well_formed`), so that a typo in one item hides nothing about the others
    and the author gets every finding in one round."""
    return check_list(well_formed(the_list, found), catalogue)


def well_formed(the_list: DoubleList, found: Findings) -> DoubleList:
    """`the_list` without the items that have an error of their own (one placed at the item or inside
    it: an unknown fact in its condition, a bad value, an unknown matter...): what such an item means
    is not known, so no semantic check can read it; every other item is checked as usual."""
    bad: dict = {}
    for f in found.errors:
        if f.place.pointer.startswith("/items/"):
            bad.setdefault(f.place.file, set()).add("/".join(f.place.pointer.split("/")[:3]))
    if not bad:
        return the_list
    parts = tuple(replace(part, items=tuple(i for i in part.items
                                            if i.pointer not in bad.get(i.source.file, ())))
                  for part in the_list.parts)
    return replace(the_list, parts=parts)


def check_list(the_list: DoubleList, catalogue: Catalogue) -> Findings:
    """Every semantic finding about one loaded list (all its items taken as well-formed)."""
    out: list[Finding] = []
    for item in the_list.items:
        if item.authority is not None and not item.basis:
            out.append(finding(item.source, "missing-basis",
                               Text(f"条目 {item.id} 未载明法律依据", f"item `{item.id}` has no legal basis")))
        if item.part == "prosecutor" and item.responsibility is None:
            out.append(finding(item.source, "missing-responsibility",
                               Text(f"检察官条目 {item.id} 未载明责任",
                                    f"prosecutor item `{item.id}` has no responsibility statement")))
        if item.part == "procurator_general" and item.responsibility is None:  # 谁决定谁负责: the PG too
            out.append(finding(item.source, "missing-pg-responsibility",
                               Text(f"检察长条目 {item.id} 未载明责任（谁决定谁负责，检察长亦然）",
                                    f"procurator-general item `{item.id}` has no responsibility statement "
                                    "(who decides answers for the decision: the procurator-general too)")))
    for matter in the_list.matters():
        if matter in catalogue.matters:
            out.extend(_check_matter(the_list, catalogue, matter))
    out.extend(_not_in_lower(the_list, catalogue))
    return Findings(out)


def _not_in_lower(the_list: DoubleList, catalogue: Catalogue) -> list[Finding]:
    """`not-in-lower-list`: each matter an upper list covers, that can arise at this list's level,
    and that this list leaves to the default (its upper items bind it as floors all the same)."""
    out: list[Finding] = []
    own = set(the_list.matters())
    for upper in the_list.uppers():
        for matter in upper.matters():
            if matter in own or not catalogue.arises_at(matter, the_list.level):
                continue
            own.add(matter)  # reported once, for the nearest upper list that covers it
            deciding = upper.deciding_items(matter, resolved=False)
            items = ", ".join(f"`{i.id}` ({i.source})" for i in deciding)
            items_zh = "、".join(f"{i.id}（{i.source}）" for i in deciding)
            out.append(finding(the_list.place("conforms_to"), "not-in-lower-list", Text(
                f"上级清单 {upper.id} 列有「{matter_name(catalogue, matter, 'zh')}」（{items_zh}），本清单却没有相应条目："
                "默认由检察长决定（规则第四条），上级清单要求更高的，从其要求",
                f"the upper list `{upper.id}` covers `{matter}` ({items}) and this list has no item on "
                "it: the procurator-general decides by default (规则第四条), raised where the upper "
                "list requires more")))
    return out


def _check_matter(the_list: DoubleList, catalogue: Catalogue, matter: str) -> list[Finding]:
    items = the_list.deciding_items(matter)
    rules = catalogue.rules_for(matter, the_list.level)
    floors = [r for r in rules if r.floor]
    forbids = [r for r in rules if r.forbid]
    uppers = the_list.upper_rules(matter)
    # absence is a situation where an `exists` test reads a fact: deciding matches such an item on a
    # request lacking the fact, so validation must see that situation too
    space = Space([i.when for i in items] + [r.when for r in floors + forbids] + [u.when for u in uppers],
                  catalogue.facts, absent="exists")
    out: list[Finding] = []
    # the Chinese says the catalogue's names (the English, as it always has, the codes)
    name = f"「{matter_name(catalogue, matter, 'zh')}」"

    def by(authority) -> str:
        return who(catalogue, authority, "zh")

    def bounded(item, exc: Bounded):
        out.append(finding(item.source, "situations-bounded", Text(
            f"条目 {item.id}（事项{name}）：{'、'.join(exc.facts)} 组合出 {exc.total} 种情形，超出可逐一核对的上限，"
            f"本项检查未进行",
            f"item `{item.id}` on `{matter}`: {exc.total} situations over {', '.join(exc.facts)} "
            f"exceed the bound of enumeration; this check was skipped")))

    for i, a in enumerate(items):
        for b in items[i + 1:]:
            if a.authority == b.authority:
                continue
            try:
                same = all(holds(a.when, s) == holds(b.when, s) for s in space.each(reads(a.when, b.when)))
            except Bounded as exc:
                bounded(b, exc)
                continue
            if same:
                out.append(finding(b.source, "contradiction", Text(
                    f"条目 {a.id}（{a.source}）与 {b.id} 就事项{name}在相同情形下适用，"
                    f"却分别规定由{by(a.authority)}和{by(b.authority)}决定",
                    f"items `{a.id}` ({a.source}) and `{b.id}` on `{matter}` match in the same situations "
                    f"but assign `{a.authority}` and `{b.authority}`")))
    for a in items:
        higher = [b for b in items if RANK[b.authority] > RANK[a.authority]]
        try:
            matching = [s for s in space.each(reads(a.when, *[b.when for b in higher]))if holds(a.when, s)]
        except Bounded as exc:
            bounded(a, exc)
            continue
        if not matching:
            out.append(finding(a.source, "never-matches", Text(f"条目 {a.id}（事项{name}）在任何情形下都不适用",
                                                                f"item `{a.id}` on `{matter}` matches in no situation")))
            continue
        if forbids:
            try:
                where = [s for s in space.each(reads(a.when, *[r.when for r in forbids])) if holds(a.when, s)]
            except Bounded as exc:
                bounded(a, exc)
                where = []
            forbidding = [r for r in forbids if any(holds(r.when, s) for s in where)]
            if where and all(any(holds(r.when, s) for r in forbids) for s in where):
                out.append(finding(a.source, "always-forbidden", Text(
                    f"条目 {a.id}（事项{name}）只在法律禁止该行为的情形下适用（"
                    + "；".join(f"{r.id}：{'；'.join(r.basis)}" for r in forbidding)
                    + "），不授予任何合法权力",
                    f"item `{a.id}` on `{matter}` matches only where the law forbids the action ("
                    + ", ".join(f"`{r.id}`: {'; '.join(r.basis)}" for r in forbidding)
                    + "): it grants no lawful power")))
                continue
        if higher and all(any(holds(b.when, s) for b in higher) for s in matching):
            out.append(finding(a.source, "shadowed", Text(
                f"条目 {a.id} 永远不能决定{name}：凡它适用时，决定主体更高的条目（"
                + "、".join(b.id for b in higher) + "）也适用",
                f"item `{a.id}` can never decide `{matter}`: a higher item ("
                + ", ".join(f"`{b.id}`" for b in higher) + ") matches whenever it does")))
        for rule in floors:
            if RANK[rule.floor] <= RANK[a.authority]:
                continue
            covering = [b for b in items if RANK[b.authority] >= RANK[rule.floor]]
            try:
                cases = [s for s in space.each(reads(a.when, rule.when, *[b.when for b in covering])) if holds(a.when, s)]
            except Bounded as exc:
                bounded(a, exc)
                continue
            raised = [s for s in cases if holds(rule.when, s)]
            if raised and len(raised) == len(cases):
                out.append(finding(a.source, "below-floor", Text(
                    f"条目 {a.id} 将{name}交由{by(a.authority)}决定，但法定规则 {rule.id} 要求"
                    f"凡该条目适用时至少由{by(rule.floor)}决定（{'；'.join(rule.basis)}）",
                    f"item `{a.id}` assigns `{matter}` to `{a.authority}`, but statutory rule `{rule.id}` "
                    f"requires at least `{rule.floor}` whenever it matches ({'; '.join(rule.basis)})")))
                continue
            uncovered = [s for s in raised if not any(holds(b.when, s) for b in covering)]
            if uncovered:
                where = reads(rule.when)
                out.append(finding(a.source, "floor-sometimes", Text(
                    f"条目 {a.id} 将{name}交由{by(a.authority)}决定，但法定规则 {rule.id} 在"
                    f"{_where_words(uncovered, where, catalogue, space)}时将其提高到{by(rule.floor)}（{'；'.join(rule.basis)}）",
                    f"item `{a.id}` assigns `{matter}` to `{a.authority}`, but statutory rule `{rule.id}` "
                    f"raises it to `{rule.floor}` when {_where(uncovered, where)} "
                    f"({'; '.join(rule.basis)})")))
        try:
            out.extend(_below_upper(a, items, uppers, space, matter, catalogue))
        except Bounded as exc:
            bounded(a, exc)
    return out


def _below_upper(a, items: tuple, uppers: tuple, space: Space, matter: str,
                 catalogue: Catalogue) -> list[Finding]:
    """The upper list binds the lower one as a statutory floor does, situation by situation: item `a`
    is below it in a situation where it matches, the upper list's items that hold there require more
    than `a` assigns, and no item of this list that holds there reaches that (so this list, as
    written, decides less than the upper list). `below-upper-list` where that is so in every situation
    `a` matches; `upper-list-sometimes` where in some, naming them."""
    above = [u for u in uppers if RANK[u.floor] > RANK[a.authority]]
    if not above:
        return []
    covering = [b for b in items if RANK[b.authority] > RANK[a.authority]]
    cases = [s for s in space.each(reads(a.when, *[u.when for u in above], *[b.when for b in covering]))
             if holds(a.when, s)]
    below: list = []
    raising: dict = {}  # the upper items that raise it, in order, once each
    for s in cases:
        holding = [u for u in above if holds(u.when, s)]
        need = highest(u.floor for u in holding)
        if need is not None and not any(RANK[b.authority] >= RANK[need] for b in covering if holds(b.when, s)):
            below.append(s)
            for u in holding:
                raising.setdefault(u, None)
    if not below:
        return []
    named = "; ".join(f"`{u.id}` of `{u.list_id}` assigns `{u.floor}` ({u.source})" for u in raising)
    named_zh = "；".join(f"{u.list_id} 的 {u.id} 规定由{who(catalogue, u.floor, 'zh')}决定（{u.source}）" for u in raising)
    head = Text(f"条目 {a.id} 将「{matter_name(catalogue, matter, 'zh')}」交由{who(catalogue, a.authority, 'zh')}决定，但上级清单",
                f"item `{a.id}` assigns `{matter}` to `{a.authority}`, but the upper list requires more ")
    if len(below) == len(cases):
        return [finding(a.source, "below-upper-list", head + Text(
            f"凡该条目适用时都要求更高的决定主体：{named_zh}", f"whenever it matches: {named}"))]
    facts = reads(*[u.when for u in raising])
    return [finding(a.source, "upper-list-sometimes", head + Text(
        f"在{_where_words(below, facts, catalogue, space)}时要求更高的决定主体：{named_zh}",
        f"when {_where(below, facts)}: {named}"))]


def _where(situations: list, facts: list) -> str:
    """The situations, restricted to the facts that matter, as `a=x, b=y; or a=z` (all of them)."""
    seen: dict = {}
    for s in situations:
        restricted = {k: v for k, v in s.items() if k in facts} or s
        seen.setdefault(describe(restricted), None)
    return "; or ".join(seen)


def _where_words(situations: list, facts: list, catalogue: Catalogue, space: Space) -> str:
    """`_where` in Chinese words, as the fewest conditions that take in exactly those situations
    (`regions`): 犯罪嫌疑人为外国人或者无国籍人，并且（涉嫌危害国家安全犯罪；或者……）, not the
    three situations one by one."""
    cubes = point_cubes(space, situations, facts)
    if len(cubes) > 1:
        cubes = simplest_cubes(space, cubes, facts)
    return cubes_words(cubes, catalogue, "zh") or "任何情形"


def sibling_ids(folders: list[str]) -> set:
    """Ids of the lists beside the given list folders (a `supersedes` may name one of them)."""
    out = set()
    for parent in {os.path.dirname(os.path.abspath(f)) for f in folders}:
        for folder in find_list_folders(parent):
            try:
                data = load_file(os.path.join(folder, "list.yaml"), inside=folder).data
            except LoadError:
                continue
            if isinstance(data, dict) and isinstance(data.get("id"), str):
                out.add(data["id"])
    return out


def check_family(lists: list[DoubleList], known: set | frozenset = frozenset()) -> Findings:
    """Checks across the lists validated together: ids, `supersedes` targets and cycles, and versions
    in force on the same day. `known` holds the ids of lists beside them that are not validated now."""
    out: list[Finding] = []
    by_id: dict[str, DoubleList] = {}
    for lst in lists:
        if lst.id in by_id:
            first = by_id[lst.id]
            out.append(finding(lst.place("id"), "duplicate-list",
                               Text(f"清单 id `{lst.id}` 与 {first.place('id')} 的清单重复",
                                    f"list id `{lst.id}` is also the id of {first.place('id')}")))
        else:
            by_id[lst.id] = lst
    for lst in lists:
        if lst.supersedes and lst.supersedes not in by_id and lst.supersedes not in known:
            others = (set(by_id) | set(known)) - {lst.id}
            out.append(finding(lst.place("supersedes"), "unknown-list",
                               Text(f"`supersedes: {lst.supersedes}` 所指的清单既不在本次校验之列，也不在同一文件夹中",
                                    f"`supersedes: {lst.supersedes}` names no list validated with it or beside it")
                               + suggest(lst.supersedes, others)))
    reported: set = set()
    for lst in lists:
        seen = [lst.id]
        cur = lst
        while cur.supersedes in by_id:
            cur = by_id[cur.supersedes]
            if cur.id in seen:
                cycle = seen[seen.index(cur.id):]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    chain = " → ".join(cycle + [cur.id])
                    out.append(finding(lst.place("supersedes"), "supersedes-cycle",
                                       Text(f"清单相互替代，形成循环：{chain}",
                                            f"lists supersede each other in a cycle: {chain}")))
                break
            seen.append(cur.id)
    # the versions of one list: one folder of lists, one issuer (a lower list beside its upper list is
    # another procuratorate's, in force beside it)
    families: dict = {}
    for lst in lists:
        issuer = lst.issuer.zh if lst.issuer is not None else None
        families.setdefault((os.path.dirname(os.path.abspath(lst.folder)), issuer), []).append(lst)
    for members in families.values():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if a.supersedes == b.id or b.supersedes == a.id or not _overlap(a, b):
                    continue
                later = max(a, b, key=lambda l: l.effective_from)
                out.append(finding(later.place("effective_from"), "overlapping-versions", Text(
                    f"`{a.id}` 与 `{b.id}` 自 {later.effective_from} 起同时有效，且互不替代；"
                    "请为较早的一份设定失效日期，或写明 `supersedes:`",
                    f"`{a.id}` and `{b.id}` are both in force from {later.effective_from}, and neither "
                    "supersedes the other; end the earlier one or say `supersedes:`")))
    return Findings(out)


def _overlap(a: DoubleList, b: DoubleList) -> bool:
    if not (isinstance(a.effective_from, str) and isinstance(b.effective_from, str)):
        return False
    a_end, b_end = a.effective_to or "9999-12-31", b.effective_to or "9999-12-31"
    return a.effective_from <= b_end and b.effective_from <= a_end


def validate_lists(folders: list[str], catalogue: Catalogue) -> tuple[list, Findings]:
    """Every finding `quanze validate` reports about these list folders (each loaded, its cases.yaml,
    the semantic checks of its well-formed items, and the checks across them and their siblings), and
    the lists that could be built, in folder order (None for a list that could not). `quanze audit`
    takes its verdict from these findings, so it can never call fit what validate calls wrong."""
    findings: list[Finding] = []
    built = []
    loaded: dict = {}  # one load of each list, whether validated or an upper list of one
    for folder in folders:
        lst, found = load_with_upper(folder, catalogue, loaded)
        findings.extend(found)
        findings.extend(load_cases(folder, catalogue)[1])  # the list's own cases.yaml: its schema, its names
        built.append(lst)
        if lst is not None:
            findings.extend(semantic_findings(lst, found, catalogue))
    findings.extend(check_family([l for l in built if l is not None], sibling_ids(folders)))
    return built, Findings(findings)


def unique_paths(paths: list[str]) -> list[str]:
    """`paths` without repeats by real path (`validate lists lists`, `lists lists/xj-2021`), first kept."""
    seen: set = set()
    out = []
    for p in paths:
        real = os.path.realpath(p)
        if real not in seen:
            seen.add(real)
            out.append(p)
    return out


def validate_paths(paths: list[str], rules: str | None = None, english: bool = False) -> tuple[Findings, dict]:
    """Validate rules folders and lists under `paths`; returns findings and what was checked.
    A folder reached twice (given twice, or as itself and inside its parent) is checked once.
    `english`: also report every text without its English (`missing-english`: `validate --strict`)."""
    findings: list[Finding] = []
    checked = {"rules": 0, "lists": 0}
    paths = unique_paths(paths)
    rule_folders = [p for p in paths if os.path.isdir(p) and is_rules_folder(p)]
    if rules is None and rule_folders:
        rules = rule_folders[0]  # lists validated beside a rules folder are checked against it
    catalogue, found = load_catalogue(rules)
    findings.extend(found)
    checked["rules"] += 1
    folders: list[str] = []
    for path in paths:
        if not os.path.exists(path):
            findings.append(finding(Place(path), "unreadable", Text("没有这个文件或文件夹", "no such file or folder")))
            continue
        if path in rule_folders:
            assert rules is not None  # set above: the first rules folder among `paths`
            if os.path.realpath(path) != os.path.realpath(rules):
                _, found = load_catalogue(path)
                findings.extend(found)
                checked["rules"] += 1
            if english:
                findings.extend(rules_findings(path))
            continue
        found_folders = find_list_folders(path)
        if not found_folders:
            findings.append(finding(Place(path), "unreadable", Text(
                "既不是清单文件夹（含 list.yaml）、清单的上级文件夹，也不是规则文件夹",
                "neither a list folder (with list.yaml), a folder of lists, nor a rules folder")))
        folders.extend(found_folders)
    folders = unique_paths(folders)
    if catalogue is None:
        return Findings(findings), checked
    _, found = validate_lists(folders, catalogue)
    findings.extend(found)
    if english:
        findings.extend(f for folder in folders for f in list_findings(folder))
    checked["lists"] += len(folders)
    return Findings(findings), checked
