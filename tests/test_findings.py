"""The "did you mean" of every error message: the closest name, as difflib would choose it."""
from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st

from quanze.findings import closest, did_you_mean


@settings(max_examples=300, deadline=None)
@given(word=st.text(alphabet="abcdeimnoprstu_", min_size=1, max_size=30),
       choices=st.lists(st.text(alphabet="abcdeimnoprstu_", min_size=1, max_size=30), max_size=30))
def test_closest_answers_as_get_close_matches(word, choices):
    expected = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    assert closest(word, choices) == (expected[0] if expected else None)


def test_closest_among_the_catalogue_matters(catalogue):
    matters = list(catalogue.matters)
    for m in matters:
        for typo in (m[:-2] + "xx", m.replace("_", "", 1), m[1:], "x" + m):
            expected = difflib.get_close_matches(typo, matters, n=1, cutoff=0.6)
            assert closest(typo, matters) == (expected[0] if expected else None)


def test_did_you_mean_names_the_closest_or_nothing():
    assert did_you_mean("approve_arest", ["approve_arrest", "disapprove_arrest"]) == "; did you mean `approve_arrest`?"
    assert did_you_mean("zzz", ["approve_arrest"]) == ""
