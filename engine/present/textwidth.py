"""The width of text in terminal columns, for fixed-width tables that hold Chinese.

`f"{s:<14}"` pads by characters, but a terminal gives an East Asian Wide or Fullwidth character
(汉字, fullwidth brackets （）, 〔〕) two columns, so a table with case numbers such as `（2021）检刑诉12号`
falls out of line. These helpers count columns instead, with `unicodedata` only:

- East Asian Wide (W) and Fullwidth (F): 2 columns;
- combining marks (Mn, Me: accents, variation selectors) and format characters (Cf: zero-width
  space, joiners): 0 columns;
- everything else, East Asian Ambiguous included (as terminals set for Western text show it,
  and as `wcwidth` counts it): 1 column.

`fit` makes a cell exactly a given number of columns: cut with an ellipsis where too long, then padded
with spaces; `wrap` breaks a text into lines of at most a given number of columns (after a space where
there is one late enough in the line, else between any two characters, as Chinese is broken). Cells may carry text from the input (a case number, an unknown matter), so `printable`
replaces control characters (C0, DEL, C1: newlines, tabs, terminal escape sequences) with spaces first;
a table cell can then neither break its row nor drive the terminal.
Pure functions of their arguments; no state.
"""
from __future__ import annotations

import unicodedata

__all__ = ["ELLIPSIS", "char_width", "display_width", "printable", "truncate", "fit", "wrap"]

ELLIPSIS = "…"  # East Asian Ambiguous: one column, like any other non-wide character here

_east_asian_width = unicodedata.east_asian_width
_category = unicodedata.category
_ZERO = frozenset(("Mn", "Me", "Cf"))


def char_width(ch: str) -> int:
    """Columns a terminal gives one character: 2 (Wide, Fullwidth), 0 (combining, format) or 1."""
    if _east_asian_width(ch) in ("W", "F"):
        return 2
    if _category(ch) in _ZERO:
        return 0
    return 1


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal (no control characters expected: see `printable`)."""
    if text.isascii():
        return len(text)
    return sum(char_width(ch) for ch in text)


def printable(text: str) -> str:
    """`text` with every control character (category Cc) replaced by a space; width unchanged."""
    if text.isprintable():
        return text
    return "".join(" " if _category(ch) == "Cc" else ch for ch in text)


def truncate(text: str, width: int, ellipsis: str = ELLIPSIS) -> str:
    """`text` if it fits in `width` columns; else its longest prefix that fits with `ellipsis` after it.

    The result never takes more than `width` columns (a wide character that would straddle the edge
    is left out). Where even the ellipsis does not fit, the bare prefix that fits is returned.
    """
    width = max(0, width)
    if display_width(text) <= width:
        return text
    room = width - display_width(ellipsis)
    if room < 0:
        room, ellipsis = width, ""
    used = end = 0
    for end, ch in enumerate(text):
        used += char_width(ch)
        if used > room:
            break
    return text[:end] + ellipsis  # the loop breaks: text is wider than width >= room


def fit(text: str, width: int) -> str:
    """`text` as a table cell of exactly `width` columns: made printable, cut with `…`, space-padded."""
    text = truncate(printable(text), width)
    return text + " " * (max(0, width) - display_width(text))


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` columns (at least one character each): each line ends after
    its last space if that space is in the line's second half, else where the width runs out."""
    width = max(1, width)
    lines: list[str] = []
    start = 0
    while start < len(text):
        used, end, space = 0, start, -1
        while end < len(text):
            w = char_width(text[end])
            if used + w > width and end > start:
                break
            used += w
            if text[end] == " " and used * 2 > width:
                space = end
            end += 1
        if end < len(text) and space > start:
            end = space + 1
        lines.append(text[start:end].rstrip(" "))
        start = end
    return lines or [""]
