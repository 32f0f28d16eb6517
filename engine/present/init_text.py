"""What `quanze init` says when it has made a folder: what is in it, and what the drafter does next."""
from __future__ import annotations

import shlex

from .words import by_lang

INIT = by_lang({
    "made": ("已新建清单 {id}（{level}，{issuer}，{start} 起施行）：{folder}",
             "Made list {id} ({level}, {issuer}, in force from {start}): {folder}"),
    "made_from": ("已新建清单 {id}，取代 {old}（{start} 起施行）：{folder}",
                  "Made list {id}, superseding {old} (in force from {start}): {folder}"),
    "files": ("  文件：{}", "  files: {}"),
    "sep": ("、", ", "),
    "items": ("  条目 {n} 个，编号与 {old} 相同；{old} 未作改动", "  {n} items, with {old}'s ids; {old} is left as it was"),
    "next": ("下一步：在各部分文件中写出条目（每个文件有一个已注释的示例条目），然后运行",
             "Next: write the items in the part files (each has an example item, commented out), then run"),
    "next_from": ("下一步：修改条目（在条目的 note 中写明修改理由），然后运行",
                  "Next: revise the items (say why in each changed item's `note`), then run"),
    "old_errors": ("注意：{old} 有 {n} 个错误，已原样复制；运行 quanze validate {folder} 查看",
                   "note: {old} has {n} errors, copied as they are; run `quanze validate {folder}` to see them"),
})

LEVEL_EN = {"grassroots": "grassroots", "municipal": "municipal", "provincial": "provincial", "supreme": "supreme"}


def init_text(folder: str, list_id: str, level_zh: str, level: str, issuer: str, start: str, files, lang: str,
              old: str | None = None, old_folder: str | None = None, items: int = 0) -> str:
    """The report of `quanze init`: the folder made, its files, and the commands to run next."""
    w = INIT[lang]
    if old is None:
        lines = [w["made"].format(id=list_id, level=level_zh if lang == "zh" else LEVEL_EN.get(level, level),
                                  issuer=issuer, start=start, folder=folder)]
    else:
        lines = [w["made_from"].format(id=list_id, old=old, start=start, folder=folder)]
    lines.append(w["files"].format(w["sep"].join(files)))
    here = shlex.quote(folder)
    if old is None:
        lines += [w["next"], f"  quanze validate {here}", f"  quanze test {here}"]
    else:
        lines += [w["items"].format(n=items, old=old), w["next_from"], f"  quanze validate {here}",
                  f"  quanze audit {here} --against {shlex.quote(old_folder or '')}"]
    return "\n".join(lines)


def old_errors_note(lang: str, old: str, n: int, folder: str) -> str:
    """The line saying that the old list's errors came with it."""
    return INIT[lang]["old_errors"].format(old=old, n=n, folder=shlex.quote(folder))
