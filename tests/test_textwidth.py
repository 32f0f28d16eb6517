"""quanze.present.textwidth: terminal columns (a Chinese character takes two), truncation with an ellipsis that
never exceeds the width, and padding to exactly the width for any text."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, strategies as st

from quanze.present.textwidth import ELLIPSIS, char_width, display_width, fit, printable, truncate

CASE_NO = "（2021）检刑诉12号"


@pytest.mark.parametrize("text, columns", [
    ("", 0),
    ("approve_arrest", 14),
    (CASE_NO, 18),            # fullwidth brackets and 汉字: 2 each
    ("检察长", 6),
    ("ＡＢ", 4),               # Fullwidth Latin
    ("ｱｲ", 2),                # Halfwidth katakana
    ("e\u0301", 1),           # a combining accent takes no column
    ("a\u200bb", 2),          # zero-width space (Cf)
    (ELLIPSIS, 1),            # Ambiguous counts one
])
def test_display_width(text, columns):
    assert display_width(text) == columns


def test_char_width():
    assert [char_width(c) for c in "检a（\u0301"] == [2, 1, 2, 0]


def test_truncate_keeps_what_fits_and_marks_the_cut():
    assert truncate(CASE_NO, 18) == CASE_NO
    assert truncate(CASE_NO, 40) == CASE_NO
    assert truncate(CASE_NO, 17) == "（2021）检刑诉12" + ELLIPSIS               # 17 columns: 号 would make 19
    assert truncate(CASE_NO, 8) == "（2021" + ELLIPSIS                 # 7 columns: ） would straddle the edge
    assert truncate("检察院院", 4) == "检" + ELLIPSIS                    # 3 columns, never 5
    assert truncate("abcdef", 4) == "abc" + ELLIPSIS
    assert truncate("abcdef", 1) == ELLIPSIS
    assert truncate("abcdef", 0) == "" and truncate("", 0) == ""
    assert truncate("检察", 1) == ELLIPSIS
    assert truncate("abcdef", 3, ellipsis="...") == "..."
    assert truncate("abcdef", 2, ellipsis="...") == "ab"               # no room even for the ellipsis


def test_fit_pads_to_exactly_the_width():
    assert fit(CASE_NO, 20) == CASE_NO + "  "
    assert fit(CASE_NO, 8) == "（2021" + ELLIPSIS + " "
    assert fit("ok", 5) == "ok   "
    assert fit("abc", 0) == ""


def test_printable_blanks_control_characters():
    assert printable("a\tb\nc\x1b[31md\x7f\x85") == "a b c [31md  "
    assert printable(CASE_NO) == CASE_NO
    assert fit("x\x1b[2Jy", 8) == "x [2Jy  "


widths = st.integers(min_value=0, max_value=60)


@given(st.text(), widths)
def test_fit_is_always_exactly_the_width(text, width):
    cell = fit(text, width)
    assert display_width(cell) == width
    assert not any(unicodedata.category(c) == "Cc" for c in cell)


@given(st.text(), widths)
def test_truncate_never_exceeds_the_width(text, width):
    cut = truncate(text, width)
    assert display_width(cut) <= width
    if display_width(text) <= width:
        assert cut == text
    else:
        assert cut.endswith(ELLIPSIS) or width == 0
        kept = cut[:-1] if cut.endswith(ELLIPSIS) else cut
        assert text.startswith(kept)
        # the longest prefix: one more character would not fit beside the ellipsis
        assert display_width(text[:len(kept) + 1]) + display_width(ELLIPSIS) > width


@given(st.text())
def test_printable_keeps_the_length_and_the_width(text):
    clean = printable(text)
    assert len(clean) == len(text) and display_width(clean) == display_width(text)
