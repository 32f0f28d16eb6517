"""Texts without their English: what `quanze validate --strict` asks of a list read in English too.

A list is written in Chinese: every text (`title`, `issuer`, `responsibility`, `duties`, ...) needs
`zh`, and `en` is optional, English output showing the Chinese where it is missing. An office that
publishes in both languages asks, with `--strict`, for each text that still lacks `en`: found here by
walking the documents as written, so that every `{zh, en}` text of lists and rules is covered without
a table of which fields are texts (after the schema, a mapping whose keys are `zh` and at most `en`
is nothing but a text).
"""
from __future__ import annotations

import os

from .findings import Finding
from .lists import read_in
from .model import Text
from .yamlload import Document, LoadError, load_file

TEXT_KEYS = frozenset({"zh", "en"})
RULES_FILES = ("authorities", "lines", "matters", "facts", "statutory", "publication", "laws")


def untranslated(doc: Document) -> list[Finding]:
    """A `missing-english` finding for every text of `doc` that has `zh` and no `en`."""
    out: list[Finding] = []
    stack: list = [((), doc.data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            if "zh" in node and "en" not in node and node.keys() <= TEXT_KEYS:
                field = next((p for p in reversed(path) if isinstance(p, str)), "text")
                out.append(doc.at(path, "missing-english",
                                  Text(f"`{field}` 没有英文（`en`）；英文输出将显示中文",
                                       f"`{field}` has no English (`en`); English output shows the Chinese")))
                continue
            stack.extend((path + (k,), v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((path + (i,), v) for i, v in enumerate(node))
    return sorted(out, key=lambda f: f.line)


def list_findings(folder: str) -> list[Finding]:
    """The texts without English of one list folder: list.yaml and its part files. A file that cannot be
    read is passed over: loading the list reports it."""
    docs = []
    try:
        head = read_in(folder, "list.yaml")[0]
    except LoadError:
        return []
    docs.append(head)
    parts = head.data.get("parts") if isinstance(head.data, dict) else None
    for rel in (parts.values() if isinstance(parts, dict) else ()):
        if isinstance(rel, str) and not os.path.isabs(rel):
            try:
                docs.append(read_in(folder, rel)[0])
            except LoadError:
                continue
    return [f for doc in docs for f in untranslated(doc)]


def rules_findings(folder: str) -> list[Finding]:
    """The texts without English of a rules folder."""
    out: list[Finding] = []
    for name in RULES_FILES:
        path = os.path.join(folder, f"{name}.yaml")
        if os.path.isfile(path):
            try:
                out.extend(untranslated(load_file(path)))
            except LoadError:
                continue
    return out
