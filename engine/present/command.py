"""A request as the `quanze decide` command line a reader can paste, in the reader's language.

The audit gives an example request for each group of changed situations. In Chinese, the example
names the matter, the actor, the facts and their values as a Chinese office types them (批准逮捕,
检察官, 案件重大、疑难、复杂=否), which the command line accepts; a name that does not lead back to
exactly its code (two codes share it) is written as the code. In English, the codes. Every word is
quoted for the shell where it needs to be.
"""
from __future__ import annotations

import re
import shlex

from ..impact import command_line
from ..model import Catalogue
from ..names import names_of


def command_words(request: dict, list_path: str, catalogue: Catalogue, lang: str) -> str:
    """`quanze decide LIST -m … -a … -f name=value …` for `request` (codes under en)."""
    if lang != "zh":
        return command_line(request, list_path)
    names = names_of(catalogue)

    def named(table, code: str, name) -> str:
        return name if name and table.code(name) == code else code

    matter = catalogue.matters.get(request["matter"])
    parts = ["quanze", "decide", list_path, "-m",
             named(names.matters, request["matter"], matter.name.zh if matter else None)]
    if request.get("actor"):
        actor = catalogue.authority_names.get(request["actor"])
        parts += ["-a", named(names.authorities, request["actor"], actor.zh if actor else None)]
    for code, value in request.get("facts", {}).items():
        fact = catalogue.facts.get(code)
        key = named(names.facts, code, fact.label.zh if fact is not None and fact.label is not None else None)
        if isinstance(value, bool):
            said = "是" if value else "否"
        elif fact is not None and fact.type == "enum" and code in names.values:
            label = fact.value_labels.get(value)
            said = named(names.values[code], value, label.zh if label is not None else None)
        else:
            said = str(value)
        parts += ["-f", f"{key}={said}"]
    return " ".join(_quoted(p) for p in parts)


# what a POSIX shell reads as other than part of a word (Chinese punctuation is none of it)
SHELL_SPECIAL = re.compile(r"[\s'\"\\$`!*?\[\]{}()<>|&;#~=%^]|^$")


def _quoted(word: str) -> str:
    """`word` as the shell must be given it: bare where nothing in it is special to the shell (批准逮捕,
    案件重大、疑难、复杂=否 — the `=` of a fact is safe after its name), else quoted."""
    name, eq, value = word.partition("=")
    if eq and not SHELL_SPECIAL.search(name) and not SHELL_SPECIAL.search(value or "x"):
        return word
    return shlex.quote(word) if SHELL_SPECIAL.search(word) else word
