"""Decision classes (`quanze.classes`): the batch memo's key. Equal keys must mean equal outcomes from
durable-rules, and the compiled conditions behind the key must answer exactly as `evaluate` does."""
from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from quanze.classes import Classifier
from quanze.conditions import compiled, evaluate, parse
from quanze.decide import Decider
from quanze.requests import parse_request

from . import generators as gen

_counter = iter(range(10**9))
ODD_VALUES = [1, 0, "true", 2.0, None, [], "2021-01-01", -3]  # values of the wrong type reach no condition
# through `check`, but `compiled` must still answer as `evaluate` does


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(0, 2**32))
def test_compiled_conditions_answer_as_evaluate(catalogue, seed):
    rng = random.Random(seed)
    cond, problems = parse(gen.condition(rng, catalogue), catalogue.facts, ())
    assert not problems
    test = compiled(cond)
    for _ in range(20):
        facts = {}
        for fact in gen.FACTS:
            r = rng.random()
            if r < 0.6:
                facts[fact] = gen.value_for(rng, catalogue, fact)
            elif r < 0.7:
                facts[fact] = rng.choice(ODD_VALUES)
        assert test(facts) is evaluate(cond, facts), (cond, facts)


def test_no_condition_always_holds(catalogue):
    assert compiled(None)({}) is True


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32))
def test_equal_class_keys_give_equal_outcomes(catalogue, seed):
    """The soundness of the memo: every request in a class gets the outcome of its first member."""
    rng = random.Random(seed)
    decider = Decider(gen.build(gen.raw_list(rng, catalogue, n_items=rng.randint(2, 10)), catalogue,
                                f"classes-{next(_counter)}"), catalogue)
    for matter in gen.MATTERS:
        classifier = Classifier(decider.rules(matter), catalogue.facts)
        seen: dict = {}
        for _ in range(40):
            raw = gen.request(rng, catalogue, matters=[matter], complete=rng.random() < 0.3)
            if rng.random() < 0.3:  # sparse: many facts missing at once, `exists` tests among them
                raw["facts"] = {k: v for k, v in raw["facts"].items() if rng.random() < 0.5}
            facts = parse_request(raw, catalogue).fact_dict
            key = classifier.key(facts)
            outcome = decider.outcome(matter, facts)
            first = seen.setdefault(key, (facts, outcome))
            assert outcome == first[1], (matter, key, first[0], facts)


def test_classes_are_coarser_than_values(catalogue):
    """Values far apart on the same side of every constant share a class; a constant splits them."""
    raw = {"items": [{"id": "G-1", "matter": "return_for_supplementary_investigation", "decides": "prosecutor"},
                     {"id": "G-2", "matter": "return_for_supplementary_investigation",
                      "decides": "procurator_general",
                      "when": {"all": [{"fact": "prior_supplementary_returns", "gte": 1},
                                       {"fact": "has_social_impact", "is": True}]}}],
           "reporting": []}
    decider = Decider(gen.build(raw, catalogue, f"classes-{next(_counter)}"), catalogue)
    c = Classifier(decider.rules("return_for_supplementary_investigation"), catalogue.facts)
    # has_social_impact false decides G-2 whatever the number of returns: one class
    assert c.key({"prior_supplementary_returns": 0, "has_social_impact": False}) == \
        c.key({"prior_supplementary_returns": 1, "has_social_impact": False})
    assert c.key({"prior_supplementary_returns": 0, "has_social_impact": True}) != \
        c.key({"prior_supplementary_returns": 1, "has_social_impact": True})
    # a missing fact: the class keeps which facts are missing and where the present ones fall
    open_a = c.key({"prior_supplementary_returns": 3})  # above both constants (1 here, 2 in the law)
    assert open_a == c.key({"prior_supplementary_returns": 7})
    assert open_a != c.key({"prior_supplementary_returns": 0}) != c.key({"has_social_impact": True})
