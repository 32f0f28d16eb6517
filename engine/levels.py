"""Levels: where a list's procuratorate stands, and which body an authority above its committee is.

A list's `level` places the procuratorate that issues it (基层 → 设区的市级 → 省级 → 最高). The bodies
above the committee are named relative to that level or absolutely: `superior_procuratorate` is the
level just above the list's own, `provincial_procuratorate` and `supreme_procuratorate` are fixed
levels. So the same code can name different bodies, and different codes the same body: for a
municipal list `superior_procuratorate` and `provincial_procuratorate` are one body. Everything that
compares authorities compares them **resolved** against the list's level (`resolve`): each body gets
one name (the nearest: the level just above is always `superior_procuratorate`, as the chain climbs
level by level), and a body at or below the list's own level is the list's own procurator-general.
Ranks of resolved names then order the bodies as their levels do, so `model.RANK` compares them.
"""
from __future__ import annotations

import difflib
from typing import overload

LEVELS = ("grassroots", "municipal", "provincial", "supreme")  # lowest first
STEP = {level: i for i, level in enumerate(LEVELS)}
# What a person may write for each level (`level:` in list.yaml, `quanze init --level`): the code, or
# one of its Chinese names; the first Chinese name is the one printed. schemas/list.schema.json lists
# every one of them (tests/test_schemas.py holds the two to agree).
SPELLINGS = {
    "grassroots": ("基层", "基层人民检察院", "基层院", "区县级"),
    "municipal": ("设区的市级", "市级", "设区的市级人民检察院", "市院", "地市级"),
    "provincial": ("省级", "省级人民检察院", "省院"),
    "supreme": ("最高", "最高人民检察院", "最高检"),
}
# Every level but the Supreme People's Procuratorate's: where a matter can arise unless the catalogue says
DEFAULT_MATTER_LEVELS = ("grassroots", "municipal", "provincial")

# The bodies above a procuratorate's own committee, lowest first, and the level each fixed one names.
BODIES = ("superior_procuratorate", "provincial_procuratorate", "supreme_procuratorate")
FIXED = {"provincial_procuratorate": "provincial", "supreme_procuratorate": "supreme"}
OWN = "procurator_general"  # who meets a requirement of the list's own level or below


def level_of(word):
    """The level code `word` writes (a code, or a Chinese name: 基层 → `grassroots`); anything else as
    written (the schema, which lists every spelling, reports it)."""
    if isinstance(word, str):
        for code, names in SPELLINGS.items():
            if word == code or word in names:
                return code
    return word


def nearest_level(word: str) -> str | None:
    """The spelling of a level nearest to a mistyped `word`, a Chinese name shown as the level's own
    (省院 → 省级), or None when none is near. Two Chinese characters with one mistyped are half alike,
    hence the cutoff of 0.5."""
    choices = [w for code, names in SPELLINGS.items() for w in (code,) + names]
    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    near = found[0] if found else None
    if near is not None and near not in SPELLINGS:
        near = next(names[0] for names in SPELLINGS.values() if near in names)
    return near


LEVEL_CHOICES = "基层 grassroots, 设区的市级 municipal, 省级 provincial, 最高 supreme"


def body_level(authority: str, level: str) -> str | None:
    """The level of the body `authority` names for a list of `level` (None: not a body above the
    committee). `superior_procuratorate` of the Supreme People's Procuratorate is itself."""
    if authority == "superior_procuratorate":
        return LEVELS[min(STEP[level] + 1, len(LEVELS) - 1)]
    return FIXED.get(authority)


def name_of(target: str, level: str) -> str:
    """The one name a list of `level` gives the body at level `target`: its own procurator-general
    at or below its own level; else the first name of the ladder that reaches it —
    `superior_procuratorate` for the level just above (for a municipal list the provincial
    procuratorate, for a provincial list the Supreme People's Procuratorate), then
    `provincial_procuratorate`, then `supreme_procuratorate`."""
    if STEP[target] <= STEP[level]:
        return OWN
    if STEP[target] == STEP[level] + 1:
        return "superior_procuratorate"
    return "provincial_procuratorate" if target == "provincial" else "supreme_procuratorate"


@overload
def resolve(authority: str, level: str | None) -> str: ...
@overload
def resolve(authority: None, level: str | None) -> None: ...
@overload
def resolve(authority: str | None, level: str | None) -> str | None: ...


def resolve(authority, level):
    """`authority` as it binds a list of `level`: a body above the committee by its one name at that
    level; any other authority (and any authority where the level is unknown) unchanged."""
    if authority not in BODIES or level is None or level not in STEP:
        return authority
    body = body_level(authority, level)
    return authority if body is None else name_of(body, level)


def ladder(level: str | None) -> tuple:
    """The bodies a chain climbs above the list's own procuratorate, level by level (层报), each by
    its one name: for a grassroots list superior (municipal), provincial, supreme."""
    if level not in STEP:
        return BODIES
    return tuple(name_of(t, level) for t in LEVELS[STEP[level] + 1:])


def arises_at(levels: tuple, level: str | None) -> bool:
    """Whether a matter of the catalogue's `levels` can arise at a procuratorate of `level`."""
    return level is None or level in (levels or DEFAULT_MATTER_LEVELS)
