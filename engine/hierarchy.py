"""The upper list a list implements (`conforms_to`): found, loaded and attached.

A municipal or grassroots procuratorate drafts its list on the provincial one. `conforms_to: ID` names
that upper list; it is looked for beside the lower list (the other list folders of its library
folder), and of its versions (lists linked to it by `supersedes`) the one in force on the lower list's
`effective_from` binds. The loaded upper list is attached to the lower one (`DoubleList.upper`, with
its own upper in turn), so that everything computing on the lower list — deciding, validation, the
exact impact, audit — sees the upper list's items as floors (`DoubleList.upper_rules`) without being
told: a decision is safe even from a list never validated. The lower list's digest covers the upper
list's, because its decisions depend on it.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import replace

from .findings import Findings, finding, suggest
from .levels import STEP
from .lists import find_list_folders, load_list
from .model import Catalogue, DoubleList, Text
from .present.words import level_name
from .yamlload import LoadError, load_file


def load_with_upper(folder: str, catalogue: Catalogue, cache: dict | None = None) -> tuple:
    """(list or None, findings): `lists.load_list`, and where the list says `conforms_to`, its upper
    list attached, or the findings that say why it cannot be (`unknown-list`, `bad-upper-list`).
    `cache` (realpath -> loaded) spares loading one upper list once per lower list."""
    cache = {} if cache is None else cache
    lst, found = _load(folder, catalogue, cache)
    if lst is None or not isinstance(lst.conforms_to, str):
        return lst, found
    attached, more = _attach(lst, folder, catalogue, cache, (lst.id,))
    return attached, found + more


def _load(folder: str, catalogue: Catalogue, cache: dict) -> tuple:
    key = os.path.realpath(folder)
    if key not in cache:
        cache[key] = load_list(folder, catalogue)
    return cache[key]


def _attach(lst: DoubleList, folder: str, catalogue: Catalogue, cache: dict, chain: tuple) -> tuple:
    """`lst` with its upper list attached (recursively up the chain), and the findings about its
    `conforms_to` (placed at that key of its list.yaml)."""
    def bad(code: str, message: Text) -> tuple:
        return lst, Findings([finding(lst.place("conforms_to"), code, message)])

    heads = _siblings(folder)
    target = lst.conforms_to
    if target is None:
        return lst, []
    if target not in heads:
        return bad("unknown-list", Text(f"`conforms_to: {target}` 所指的清单不在本清单旁边",
                                        f"`conforms_to: {target}` names no list beside this one")
                   + suggest(target, set(heads) - {lst.id}))
    chosen = in_force(target, heads, lst.effective_from)
    if chosen is None:
        return bad("bad-upper-list", Text(f"`conforms_to: {target}`：{target} 没有在 {lst.effective_from}（本清单施行之日）"
                                          "有效的版本",
                                          f"`conforms_to: {target}`: no version of `{target}` is in force on "
                                          f"{lst.effective_from}, the day this list takes effect"))
    upper_id, upper_folder = chosen
    if upper_id in chain:
        cycle = " → ".join(chain + (upper_id,))
        return bad("bad-upper-list", Text(f"清单相互以对方为上级清单，形成循环：{cycle}",
                                          f"lists conform to each other in a cycle: {cycle}"))
    upper, found = _load(upper_folder, catalogue, cache)
    errors = found.errors
    if upper is None or errors:
        first = Text(f"（第一个：{errors[0].format('zh')}）", f" (first: {errors[0].format()})") if errors \
            else Text("", "")
        return bad("bad-upper-list", Text(f"上级清单 {upper_id}（{upper_folder}）无法载入：{len(errors) or 1} 个错误",
                                          f"the upper list `{upper_id}` ({upper_folder}) does not load: "
                                          f"{len(errors) or 1} errors") + first
                   + Text("；请先校验该清单", "; validate it"))
    if upper.level in STEP and lst.level in STEP and STEP[upper.level] <= STEP[lst.level]:
        return bad("bad-upper-list", Text(f"上级清单 {upper_id} 是{level_name(upper.level, 'zh')}清单；"
                                          f"{level_name(lst.level, 'zh')}清单只能实施更高层级的清单",
                                          f"the upper list `{upper_id}` is a {upper.level} list; a {lst.level} list "
                                          "can only implement a list of a higher level"))
    if isinstance(upper.conforms_to, str):
        upper, _ = _attach(upper, upper_folder, catalogue, cache, chain + (upper_id,))
    digest = hashlib.sha256(f"{lst.digest}\0{upper.digest}".encode()).hexdigest()
    return replace(lst, upper=upper, digest="sha256:" + digest), Findings()


def _siblings(folder: str) -> dict:
    """id -> (folder, list.yaml data) of the list folders beside `folder` (itself excluded)."""
    out: dict = {}
    here = os.path.realpath(folder)
    for sib in find_list_folders(os.path.dirname(os.path.abspath(folder))):
        if os.path.realpath(sib) == here:
            continue
        try:
            data = load_file(os.path.join(sib, "list.yaml")).data
        except LoadError:
            continue
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            rel = os.path.relpath(sib)
            out.setdefault(data["id"], (rel if not rel.startswith("..") else sib, data))
    return out


def in_force(target: str, heads: dict, day) -> tuple | None:
    """(id, folder) of the version of list `target` in force on `day`: of the lists linked to it by
    `supersedes` (both ways), those in force that day, the one no other of them supersedes."""
    family = {target}
    grew = True
    while grew:
        before = len(family)
        for ident, (_, data) in heads.items():
            sup = data.get("supersedes")
            if sup in family:
                family.add(ident)
            if ident in family and sup in heads:
                family.add(sup)
        grew = len(family) > before
    day = str(day)
    live = [i for i in family if _from(heads[i][1]) <= day and (_to(heads[i][1]) is None or day <= _to(heads[i][1]))]
    superseded = {heads[i][1].get("supersedes") for i in live}
    newest = [i for i in live if i not in superseded] or live
    if not newest:
        return None
    best = max(newest, key=lambda i: (_from(heads[i][1]), i))
    return best, heads[best][0]


def _from(data: dict) -> str:
    return str(data.get("effective_from"))


def _to(data: dict) -> str | None:
    to = data.get("effective_to")
    return None if to is None else str(to)
