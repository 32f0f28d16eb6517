"""Escaping what a list's authors wrote for the place it is shown: Markdown and the terminal.

A list is hostile input: its titles, notes, ids, conditions' constants and file names end up in the
documents quanze writes. HTML is escaped where it is built (`page.esc`); CSV cells are guarded where
they are written (`present.batch`). This module holds the other two:

- Markdown (`show --format markdown`, `diff`/`audit --format markdown`): a text must stay one inline
  run of text — no raw HTML (a Markdown renderer passes it through), no link or image (`[..](..)`,
  `<javascript:…>` autolinks), no table cell break (`|`), no emphasis or code it did not ask for, and no
  newline (which would start a heading or a list item of the author's choosing).
- The terminal: control characters (C0 but the newline and tab, DEL, C1) and the bidirectional
  overrides that reorder what a reader sees are replaced, so that a list cannot set the window title,
  clear the screen or hide text (what `check --format text` does per cell, for every line printed).
"""
from __future__ import annotations

import re

# characters Markdown gives a meaning inline, escaped with a backslash (`<`, `>` and `&` become entities)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_NEWLINES = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")
# C0 but tab and newline, DEL, C1; and the bidi embeddings, overrides and isolates
_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# what json.dumps(ensure_ascii=False) leaves raw that a terminal may act on
_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def md(text) -> str:
    """`text` as one run of literal Markdown text."""
    s = "" if text is None else str(text)
    s = _NEWLINES.sub(" ", s)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", s)


def md_code(text) -> str:
    """`text` as a Markdown code span: fenced with one backtick more than its longest run of them."""
    s = _NEWLINES.sub(" ", "" if text is None else str(text))
    longest = max((len(r) for r in re.findall(r"`+", s)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if s.startswith("`") or s.endswith("`") else ""
    return f"{fence}{pad}{s}{pad}{fence}"


def terminal(text: str) -> str:
    """`text` with every character a terminal would act on (but the newline and tab) shown as `�`."""
    return _TERMINAL.sub("\ufffd", text)


def json_for_terminal(text: str) -> str:
    """JSON text with the characters `json.dumps(ensure_ascii=False)` leaves raw and a terminal may act
    on (DEL, C1, line separators, bidi controls) written as `\\uXXXX` escapes: the same JSON value.
    They can only stand inside strings, where the escape means the same character."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
