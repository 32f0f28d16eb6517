"""Messages that more than one check writes (an unknown matter in a list and in the rules, dates in
the wrong order in a list and in the register of legal documents), in Chinese and English, so that the
same problem reads the same wherever it is found. A message used in one place stays there.
"""
from __future__ import annotations

from .model import Text


def unknown(what: Text, code: str) -> Text:
    """`unknown matter `x``: the start of an unknown-code finding, before its did-you-mean."""
    return Text(f"未知{what.zh} `{code}`", f"unknown {what.en} `{code}`")


MATTER = Text("事项", "matter")
FACT = Text("事实", "fact")
LINE = Text("业务条线", "business line")


def dates_reversed(frm: str, to: str) -> Text:
    """The message of `bad-dates` for an end before the start (of a list, of a legal document)."""
    return Text(f"`effective_to` {to} 早于 `effective_from` {frm}", f"`effective_to` {to} is before `effective_from` {frm}")
