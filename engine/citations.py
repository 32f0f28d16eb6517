"""Citations of legal articles: `《TITLE》第N条` (optionally `之一`, `第M款`, `第K项`), read into numbers.

A basis is a citation, and a citation is checked against the register of legal documents
(`laws.py`): that needs the title apart and the article as a number, so that `第九百九十五条` can be
compared with the 308 articles of the Criminal Procedure Law. Numerals are read strictly, in the form
the statutes print them (`十五`, `一百一十`, `一百零五`; `〇` for `零`, or Arabic digits), so that a
malformed numeral such as `第十十条` is a bad citation rather than some number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

DIGITS = "零一二三四五六七八九"
NUMERAL = r"[零〇一二三四五六七八九十百千0-9]+"
CITATION = re.compile(rf"《(?P<title>[^《》]+)》第(?P<article>{NUMERAL})条(?:之(?P<sub>{NUMERAL}))?"
                      rf"(?:第(?P<paragraph>{NUMERAL})款)?(?:第(?P<item>{NUMERAL})项)?")
# An article heading at the start of a line of a statute's text: `第一百七十五条 …`.
ARTICLE_HEADING = re.compile(rf"第(?P<article>{NUMERAL})条(?:之(?P<sub>{NUMERAL}))?(?=[\s　]|$)")


@dataclass(frozen=True)
class Citation:
    """One cited article: `article` (and `sub` for 第N条之一), with its paragraph (款) and item (项)."""

    title: str
    article: int
    sub: int | None = None
    paragraph: int | None = None
    item: int | None = None

    def words(self) -> str:
        """The citation as written canonically: 《title》第N条[之K][第M款][第K项]."""
        out = f"《{self.title}》第{chinese(self.article)}条"
        if self.sub is not None:
            out += f"之{chinese(self.sub)}"
        if self.paragraph is not None:
            out += f"第{chinese(self.paragraph)}款"
        if self.item is not None:
            out += f"第{chinese(self.item)}项"
        return out


def chinese(n: int) -> str:
    """The Chinese numeral for 1 ≤ n ≤ 9999 as statutes print it: 十, 十五, 二十, 一百零五, 一百一十."""
    if not 0 < n < 10000:
        raise ValueError(f"{n} is outside 1..9999")
    out = ""
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += ("" if value == 10 and digit == 1 and not out else DIGITS[digit]) + unit
    return out


def number(text: str) -> int | None:
    """The number a numeral writes, or None unless it is written as statutes write it (or in plain
    Arabic digits without a leading zero)."""
    if text.isascii():
        return int(text) if text.isdigit() and not text.startswith("0") else None
    text = text.replace("〇", "零")
    total = current = 0
    for ch in text:
        if ch in DIGITS:
            current = DIGITS.index(ch)
        elif ch in "十百千":
            total += (current or (1 if ch == "十" else 0)) * {"十": 10, "百": 100, "千": 1000}[ch]
            current = 0
        else:
            return None
    total += current
    return total if 0 < total < 10000 and chinese(total) == text else None


def parse(text: str) -> Citation | None:
    """The citation `text` is, or None when it is not of the form `《TITLE》第N条[之K][第M款][第K项]`
    (surrounding blanks allowed, nothing else)."""
    m = CITATION.fullmatch(text.strip())
    if m is None:
        return None
    title = m.group("title").strip()
    if not title or title != m.group("title"):
        return None
    numbers = {key: number(m.group(key)) if m.group(key) is not None else None
               for key in ("article", "sub", "paragraph", "item")}
    if any(m.group(key) is not None and n is None for key, n in numbers.items()):
        return None  # a numeral no statute writes
    article = numbers["article"]
    if article is None:
        return None
    return Citation(title, article, numbers["sub"], numbers["paragraph"], numbers["item"])


def article_text(lines: list[str], article: int, sub: int | None = None) -> list[str] | None:
    """The lines of one article in a statute's text (Markdown, one paragraph a line, each article
    starting `第N条 `): from its heading to the next article or heading; None when it is not there."""
    out: list[str] | None = None
    for line in lines:
        stripped = line.strip()
        heading = ARTICLE_HEADING.match(stripped)
        if heading is not None or stripped.startswith("#"):
            if out is not None:
                break
            if heading is not None and number(heading.group("article")) == article and \
                    (number(heading.group("sub")) if heading.group("sub") else None) == sub:
                out = [stripped]
            continue
        if out is not None and stripped:
            out.append(stripped)
    return out
