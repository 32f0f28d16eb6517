"""The durable-rules backend: the one module of quanze that knows the rules engine.

Everything else hands it (key, condition) pairs and gets back the keys whose conditions a set of facts
satisfies. Built around what was measured of durable-rules 2.0.28 (shared/notes/durable-rules.md):

- the C module `durable_rules_engine` is used directly (no Host: no timer threads, no swallowed
  errors, twice as fast); rulesets are JSON, never generated Python;
- one ruleset hangs at 512 distinct first-level tests and errs past 64 simultaneous matches, so a
  matter's rules are sharded into rulesets of at most `SHARD_RULES` rules and `SHARD_TESTS` tests;
- rulesets are named from a digest of their content, kept for the life of the process and reused
  when the same content is compiled again, so two versions of a list coexist and reloading is free;
- every request is asserted as a fact with a unique id, every fired rule is drained, and the fact is
  retracted in a `finally`, all under one process-wide lock (the engine is not thread-safe);
- `$nex` misjudges a field that follows a field whose value is the integer 0 (both `$ex` and `$nex`
  hold; measured here), so presence is never tested with `$ex`/`$nex`: each fact a rule tests for
  presence gets a companion field `h_<fact>` set to "y" or "n" on every asserted fact;
- durable-rules coerces types (`"9" > 10000`, `1 == true`) and treats a missing field as failing
  every test, so facts are type-checked before they arrive and conditions are compiled in negation
  normal form (a negated leaf on a missing fact is false, never true);
- a rule errs past 15 `$and`/`$or` and an `$or` of 513 tests hangs `create_ruleset`: the JSON form is
  built without the engine (`conditions.durable`, from the operator table), so that validation refuses
  a condition beyond `operators.RULE_TESTS` / `.RULE_JUNCTIONS` (`condition-too-large`) before it gets
  here, and an `in` over runs of consecutive integers compiles to ranges, not one test per value.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import threading
from dataclasses import dataclass

import durable_rules_engine as _dr
import orjson

from . import conditions
from .conditions import leaves
from .errors import QuanzeError
from .operators import OPERATORS, RULE_TESTS, shape

SHARD_RULES = 48
SHARD_TESTS = RULE_TESTS  # so that every condition `validate` lets through fits in a shard
_ALWAYS = "q__"  # a field every asserted fact carries; an unconditional rule tests it

_LOCK = threading.RLock()
_RULESETS: dict[str, int] = {}
_IDS = itertools.count(1)


class EngineError(QuanzeError):
    """durable-rules refused a ruleset or a fact; the decision cannot be taken."""


def field(code: str) -> str:
    """The engine's field for a fact: prefixed, so no fact can collide with the engine's `id`/`sid`."""
    return "f_" + code


def has(code: str) -> str:
    """The companion field that says whether a fact is given ("y"/"n"); see the module docstring."""
    return "h_" + code


def _fact_json(fact: dict) -> str:
    """A fact as the engine reads it: orjson's compact JSON (a fifth of json.dumps' time, on every
    assert), or json's for what orjson refuses (an integer past 64 bits)."""
    try:
        return orjson.dumps(fact).decode()
    except orjson.JSONEncodeError:
        return json.dumps(fact, ensure_ascii=False)


def to_durable(cond) -> dict:
    """A condition in durable-rules' JSON form (`conditions.durable`, on this module's field names)."""
    expr = conditions.durable(cond, field, has)
    return {_ALWAYS: 1} if expr is None else expr


@dataclass(frozen=True)
class Compiled:
    """A set of rules compiled into one or more rulesets; `keys[i][name]` is the key of a rule."""

    names: tuple
    handles: tuple
    keys: tuple
    presence: frozenset = frozenset()  # facts some rule tests with `exists`

    def fire(self, facts: dict, present=None) -> frozenset:
        """The keys of every rule whose condition `facts` satisfy (fact values already type-checked).

        `exists` tests read `present` where it is given (the codes of the facts the request gives: a
        set, or the request's own facts dict), else `facts`. A completion of a request (`Decider.outcome`)
        fills in values for the value tests only: an `exists` test stays what the request makes it, as
        Kleene evaluation (`conditions.evaluate`) of the request already decided it."""
        fact: dict[str, object] = {has(k): "n" for k in self.presence}
        fact[_ALWAYS] = 1
        for k, v in facts.items():
            if v is not None:
                fact[field(k)] = v
        for k in self.presence:
            if (facts.get(k) is not None) if present is None else (k in present):
                fact[has(k)] = "y"
        fired = set()
        with _LOCK:
            for handle, keys in zip(self.handles, self.keys):
                fact["id"] = f"q{next(_IDS)}"
                text = _fact_json(fact)
                try:
                    code, state = _dr.assert_fact(handle, text)
                    try:
                        if code == 0:
                            message = _dr.start_action_for_state(handle, state)
                            message = message[1] if message else None
                            while message:
                                fired.add(keys[message[2:message.index('"', 2)]])
                                message = _dr.complete_and_start_action(handle, state)
                    finally:
                        _dr.retract_fact(handle, text)
                except _dr.error as exc:
                    raise EngineError(f"durable-rules refused the request: {exc}") from None
        return frozenset(fired)

    def live_facts(self) -> int:
        """How many facts the engine still holds for these rulesets (0 between decisions)."""
        with _LOCK:
            return sum(len(json.loads(_dr.get_facts(h, "0"))) for h in self.handles)


def compile_rules(label: str, rules: list) -> Compiled:
    """Compile (key, condition) pairs into rulesets named from their content; reuse known ones."""
    shards: list[list] = [[]] if rules else []
    tests = 0
    for key, cond in rules:
        expr = to_durable(cond)
        n = shape(expr)[0]
        if shards[-1] and (len(shards[-1]) >= SHARD_RULES or tests + n > SHARD_TESTS):
            shards.append([])
            tests = 0
        shards[-1].append((key, expr))
        tests += n
    names, handles, keys = [], [], []
    for shard in shards:
        definition = {f"r{i}": {"all": [{"m": expr}]} for i, (_, expr) in enumerate(shard)}
        text = json.dumps(definition, ensure_ascii=False, sort_keys=True)
        name = f"quanze.{label}.{hashlib.sha256(text.encode()).hexdigest()[:20]}"
        with _LOCK:
            handle = _RULESETS.get(name)
            if handle is None:
                try:
                    handle = _dr.create_ruleset(name, text)
                except _dr.error as exc:
                    raise EngineError(f"durable-rules refused ruleset {name}: {exc}") from None
                _RULESETS[name] = handle
        names.append(name)
        handles.append(handle)
        keys.append({f"r{i}": key for i, (key, _) in enumerate(shard)})
    presence = frozenset(leaf.fact for _, cond in rules for leaf in leaves(cond) if OPERATORS[leaf.op].presence)
    return Compiled(tuple(names), tuple(handles), tuple(keys), presence)


def loaded_rulesets() -> int:
    """How many rulesets this process holds (they are kept and reused, never re-created)."""
    return len(_RULESETS)
