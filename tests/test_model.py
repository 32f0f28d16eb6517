"""The internal form is frozen all the way down: a loaded catalogue or list is shared by every thread and
every decision (and copied into `check --jobs` workers), so nothing may change it after loading."""
from __future__ import annotations

import dataclasses
import pickle

import pytest

from quanze import Library
from quanze.decide import Decider
from quanze.model import FrozenDict
from quanze.requests import parse_request

from .paths import LISTS


@pytest.fixture(scope="module")
def library():
    return Library.load(str(LISTS))


def _mappings(library):
    catalogue = library.catalogue
    the_list = library.lists[0]
    fact = catalogue.facts["case_source"]
    return {"catalogue.matters": catalogue.matters, "catalogue.facts": catalogue.facts,
            "catalogue.lines": catalogue.lines, "catalogue.authority_names": catalogue.authority_names,
            "fact.value_labels": fact.value_labels, "list.counts": the_list.counts, "list.lines": the_list.lines}


CHANGES = {
    "set": lambda m: m.__setitem__("x", 1),
    "delete": lambda m: m.__delitem__(next(iter(m))),
    "update": lambda m: m.update(x=1),
    "merge in place": lambda m: m.__ior__({"x": 1}),
    "setdefault": lambda m: m.setdefault("x", 1),
    "pop": lambda m: m.pop(next(iter(m))),
    "popitem": lambda m: m.popitem(),
    "clear": lambda m: m.clear(),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_no_mapping_of_a_loaded_library_can_change(library, change):
    for name, mapping in _mappings(library).items():
        if not mapping:  # an empty mapping (a list without counts) has nothing to pop or delete
            continue
        before = dict(mapping)
        with pytest.raises(TypeError, match="read-only"):
            CHANGES[change](mapping)
        assert dict(mapping) == before, name


def test_fields_cannot_be_rebound(library):
    with pytest.raises(dataclasses.FrozenInstanceError):
        library.catalogue.matters = {}
    with pytest.raises(dataclasses.FrozenInstanceError):
        library.lists[0].counts = {}


def test_a_dict_given_to_a_dataclass_is_frozen(library):
    """`dataclasses.replace` and direct construction freeze what they are given (and keep no alias)."""
    given = dict(library.catalogue.matters)
    catalogue = dataclasses.replace(library.catalogue, matters=given)
    assert type(catalogue.matters) is FrozenDict
    given.clear()
    assert len(catalogue.matters) == len(library.catalogue.matters)


def test_catalogues_and_lists_hash(library):
    again = Library.load(str(LISTS))
    assert again.catalogue == library.catalogue and hash(again.catalogue) == hash(library.catalogue)
    assert {library.catalogue: 1}[again.catalogue] == 1
    assert hash(again.lists[0]) == hash(library.lists[0])
    assert hash(library.catalogue.facts["case_source"]) == hash(again.catalogue.facts["case_source"])
    assert hash(FrozenDict(a=1, b=2)) == hash(FrozenDict(b=2, a=1))


def test_pickled_catalogue_and_list_decide_alike(library):
    """What `check --jobs` hands to a worker: equal after the round trip, still read-only, same decisions."""
    the_list = library.pick("2022-03-01")
    cat2, list2 = pickle.loads(pickle.dumps((library.catalogue, the_list)))
    assert cat2 == library.catalogue and list2 == the_list
    assert type(cat2.facts) is FrozenDict and type(cat2.facts["case_source"].value_labels) is FrozenDict
    with pytest.raises(TypeError):
        cat2.matters["x"] = 1
    raw = {"matter": "extend_review_period", "actor": "prosecutor", "facts": {"case_is_major_or_complex": True}}
    one = Decider(the_list, library.catalogue).decide(parse_request(raw, library.catalogue))
    two = Decider(list2, cat2).decide(parse_request(raw, cat2))
    assert one.to_json() == two.to_json()
