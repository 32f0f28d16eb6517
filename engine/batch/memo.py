"""The memo of `quanze check`: a request's decision found by one dict lookup, bounded in memory.

Real batches repeat the same situations over and over. A decision is made of three parts, and the
`Memo` keeps each on exactly what it depends on:

- `Core`: what durable-rules decides from the matter's facts under the list in force
  (`Decider.outcome`: status, authority, obligations, because, missing facts). Durable-rules decides
  the first request of each decision class (`classes.Classifier`: the value of each of the matter's
  rules, and for open rules their truth table over the completions of the missing facts); classes
  with equal outcomes share one core, which keeps the outcome and the bytes of the decision JSON
  that depend on nothing else.
- `Variant`: where the actor and `decided_by` stand on an outcome (`Decider.finish`: whether the
  actor may decide, the chain, who is responsible, the violation, the flags), one per (what
  `decide.standing` reads of the outcome, actor, decided_by), with its bytes.
- the vote's JSON, one per vote.

In front, a fast key (the list, the matter, the facts the matter's rules read: booleans and enums as
given, numbers, dates and texts by their situation region, and the types of all) maps a request to
its core with one dict lookup. The fast keys and the cores are kept in two generations
(`Generations`), and every other table is bounded too (`SMALL_LIMIT`; the regions of the values seen,
`SEEN_LIMIT` over all matters together), so memory stops growing however many distinct values a
run brings.

The memo takes a request only when every part of it passed the very check `parse_request` makes of
it (`requests.RequestParser`: the matter, each fact's value, the authorities, the date, the vote,
the case's type), called on each value the first time it is seen and remembered; what it has not
seen pass is left to `parse_request` itself, so a bad request is reported with the same code and
message either way, and no invalid request can reach the memo. It takes codes only: a matter, an
authority, a fact or an enum value given by a name (`quanze.names`) passes the check but as another
string than the code it stands for, and is left to `parse_request` too (a CSV's names are codes by
the time the memo sees them: `actions.CsvActions` reads them).
"""
from __future__ import annotations

from ..classes import Classifier
from ..decide import vote_result
from ..decision import Decision
from ..model import AUTHORITIES
from ..present.batch import outcome_cells, standing_cells
from ..requests import CASE_TYPES, REQUEST_KEYS, Request, RequestError, RequestParser
from .output import CORE_KEYS, KEY_ORDER, TAIL_KEYS, VARIANT_KEYS, dumps, join_keys

FAST_LIMIT = 32_768   # fast keys per generation (memory stops growing within a million lines)
CORE_LIMIT = 16_384   # cores per generation
SMALL_LIMIT = 100_000  # most cached variants, votes, valid fact values, dates
SEEN_LIMIT = 65_536   # most values kept with their region, over every matter's facts together

_KEYS = frozenset(REQUEST_KEYS)
_CANONICAL = {a: a for a in AUTHORITIES}  # an authority's name -> the one string object for it
_EMPTY: dict = {}
_HEADS: dict = {}  # the head bytes of each list (its id and digest): one per list version loaded


class Core:
    """An `Outcome` durable-rules gave under one list (to one or more decision classes), and its bytes."""

    __slots__ = ("decider", "outcome", "head", "mid", "stand", "by_actor", "cells")

    def __init__(self, decider, outcome):
        self.decider = decider
        self.outcome = outcome
        body = decider.finish(outcome, Request(outcome.matter)).to_json()
        assert tuple(body) + ("flags",) == KEY_ORDER, "Decision.to_json() changed its keys: update output.KEY_ORDER"
        head = (f'"list": {dumps(body["list"])}, "case": ').encode()
        self.head = _HEADS.setdefault(head, head)  # the same for every core of a list: kept once
        self.mid = (join_keys(body, CORE_KEYS) + ', "vote": ').encode()
        forbid = outcome.forbidden_by
        # everything `decide.standing` and the flags read of the outcome
        self.stand = (outcome.matter, outcome.status, outcome.authority, outcome.uncovered, outcome.delegated,
                      outcome.committee, forbid.id if forbid is not None else None, bool(outcome.obligations),
                      outcome.completed)
        self.by_actor: dict = {}  # (actor, decided_by) -> Variant
        self.cells = None

    def decision(self, actor, decided_by, vote=None, case=None, on=None) -> Decision:
        return self.decider.finish(self.outcome, Request(self.outcome.matter, (), actor, on, vote, decided_by, case))

    def csv_cells(self) -> tuple:
        """The cells of a CSV or text row that depend on the outcome alone (and the list), made once."""
        if self.cells is None:
            self.cells = outcome_cells(self.decision(None, None))
        return self.cells


class Variant:
    """Where an actor and `decided_by` stand on outcomes alike in what `decide.standing` reads."""

    __slots__ = ("start", "tail", "stat", "flagged", "cells")

    def __init__(self, core: Core, actor, decided_by):
        decision = core.decision(actor, decided_by)
        body = decision.to_json()
        body["flags"] = flags = decision.flags
        self.start = join_keys(body, VARIANT_KEYS).encode()
        self.tail = (join_keys(body, TAIL_KEYS) + "}\n").encode()
        self.stat = (decision.status, decision.authority, tuple(flags))
        self.flagged = bool(flags)
        self.cells = standing_cells(decision)


class Generations:
    """A bounded memo: the newer generation takes new keys; when it fills, it becomes the older one
    and the oldest is dropped. A key found in the older generation moves to the newer."""

    __slots__ = ("new", "old", "limit")

    def __init__(self, limit: int):
        self.new: dict = {}
        self.old: dict = {}
        self.limit = limit

    def get(self, key):
        found = self.new.get(key)
        if found is None:
            found = self.old.get(key)
            if found is not None:
                self.put(key, found)
        return found

    def put(self, key, value) -> None:
        if len(self.new) >= self.limit:
            self.old, self.new = self.new, {}
        self.new[key] = value

    def __len__(self) -> int:
        return len(self.new.keys() | self.old.keys())


class Memo:
    """Finds the decision of a request dict among those made before, or makes and keeps it."""

    def __init__(self, library, parser: RequestParser):
        self.library = library
        self.parser = parser
        self.fast = Generations(FAST_LIMIT)    # fast key -> Core
        self.cores = Generations(CORE_LIMIT)   # (list id, matter, class) -> Core
        self.alike = Generations(CORE_LIMIT)   # (list id, Outcome) -> Core
        self.variants: dict = {}  # Core.stand + (actor, decided_by) -> Variant
        self.votes: dict = {}     # a vote as given (items, types) -> its result's JSON bytes
        self.reads: dict = {}     # (list id, matter) -> (the facts its rules read, as a frozenset, their regions)
        self.classes: dict = {}   # (list id, matter) -> Classifier
        self.fact_order = tuple(library.catalogue.facts)
        self.days: dict = {}      # `on` -> (list id, normalised day) | RequestError
        self.valid: set = set()   # (fact, type, value) that `RequestParser.fact` took
        self.seen: list = []      # the `{value: region}` table of each (list, matter, fact) read by region
        self.seen_count = 0       # values in them, all together
        self.shared: dict = {}    # strings and tuples of types shared by the stored fast keys
        self.pairs: dict = {}     # (actor, decided_by) -> the one tuple of them every core's by_actor keeps
        self.misses = 0  # decision classes durable-rules decided

    def lookup(self, raw: dict):
        """(Core, Variant, the vote's bytes) for a valid request the memo takes, else None."""
        try:
            rk = self.fast_key(raw)
            if rk is None:
                return None
            core = self.fast.new.get(rk) or self._core(raw, rk)
            if core is None:
                return None
            get = raw.get
            variant = core.by_actor.get((get("actor"), get("decided_by"))) or self._variant(core, raw)
            if variant is None:
                return None
            vote = get("vote")
            votes = b"null" if vote is None else self._vote(vote, core.decider.procurator_general_sits(core.outcome.matter))
            if votes is None:
                return None
            return core, variant, votes
        except TypeError:  # an unhashable value: parse_request says what is wrong
            return None

    def decision(self, found, raw: dict) -> Decision:
        """The whole `Decision` of a request `lookup` found."""
        core, _, _ = found
        get = raw.get
        vote = get("vote")
        return core.decision(get("actor"), get("decided_by"), self.parser.vote(vote), get("case"),
                             self.list_for(get("on"))[1])

    def list_for(self, on):
        """(list id, day) of the list in force on `on` as given, or the RequestError it gives."""
        found = self.days.get(on)
        if found is None:
            try:
                day = self.parser.on(on)
                found = (self.library.pick(day).id, day)
            except RequestError as exc:
                found = exc
            except TypeError:
                return None
            if len(self.days) < SMALL_LIMIT:
                self.days[on] = found
        return found

    def fast_key(self, raw: dict):
        """The fast key of a request dict, or None where the memo cannot take the request:
        (list id, matter, the types of the facts the matter's rules read, then their values), unhashable
        where a value is (a list as a fact: the caller catches the TypeError). An integer, date or
        text fact stands in the key by its situation region (`_regions`), so that every request in the
        same region shares one key. The key does not vouch for the request: only a key whose request
        `_core` has checked is ever stored (the types in the key keep `True` from standing for `1`);
        the parts outside the key (unknown keys, `case`, facts the matter does not read) are checked
        here on every line, the actor, `decided_by` and the vote by `lookup`."""
        try:
            if not raw.keys() <= _KEYS:
                return None
            get = raw.get
            case = get("case")
            if case is not None and case.__class__ is not str and not isinstance(case, CASE_TYPES):
                return None
            on = get("on")
            picked = self.days.get(on) or self.list_for(on)
            if picked.__class__ is not tuple:
                return None
            list_id = picked[0]
            matter = get("matter")
            found = self.reads.get((list_id, matter)) or self._reads(list_id, matter)
            if found is None:
                return None
            facts = get("facts")
            if facts is None:
                facts = _EMPTY
            elif facts.__class__ is not dict:
                return None
            reads, readset, regions = found
            if not facts.keys() <= readset and not self._facts_ok(facts, readset):
                return None
            values: tuple | None
            values = tuple(map(facts.get, reads))
            types = tuple(map(type, values))  # unhashable where a value is
            if regions:
                values = self._regions(values, regions)
                if values is None:
                    return None
            return (list_id, matter, types) + values
        except (TypeError, RequestError):
            return None

    def _regions(self, values: tuple, regions) -> tuple | None:
        """`values` with each integer, date or text fact replaced by its situation region
        (`FactValues.region`: the same side of, or on, every constant the matter's conditions compare
        it with, so every rule reads it alike); None if such a value is not valid. The region of each
        valid value seen is kept (`seen`); a value is checked the first time it is seen."""
        regioned = list(values)
        for i, code, region, seen in regions:
            v = regioned[i]
            if v is not None:
                r = seen.get(v)
                if r is None:
                    if not self._fact_ok(code, v):
                        return None
                    r = region(v)
                    self._remember(seen, v, r)
                regioned[i] = r
        return tuple(regioned)

    def _remember(self, seen: dict, value, region) -> None:
        """Keep a value's region. Every matter's table counts against one bound (`SEEN_LIMIT`): at the
        bound all are emptied at once, and the values still in use come back on their next line (a
        region costs a check and a bisection to find again; a line of new values each must not cost
        memory). Kept per matter and fact, the tables grew with matters x facts x distinct values."""
        if self.seen_count >= SEEN_LIMIT:
            for table in self.seen:
                table.clear()
            self.seen_count = 0
        seen[value] = region
        self.seen_count += 1

    def _reads(self, list_id, matter):
        try:
            if self.parser.matter(matter) != matter:
                return None  # a matter given by a name: `parse_request` reads it
        except RequestError:
            return None
        mr = self.library.decider(list_id).rules(matter)
        self.classes[(list_id, matter)] = Classifier(mr, self.fact_order)
        per_fact = mr.space.per_fact
        regions = tuple((i, code, per_fact[code].region, {}) for i, code in enumerate(mr.reads)
                        if code in per_fact and per_fact[code].type in ("integer", "date", "string"))
        self.seen.extend(seen for _, _, _, seen in regions)
        found = self.reads[(list_id, matter)] = (mr.reads, frozenset(mr.reads), regions)
        return found

    def _facts_ok(self, facts, skip=frozenset()) -> bool:
        """Whether `RequestParser.fact` takes every fact outside `skip`."""
        valid = self.valid
        for k, v in facts.items():
            if k not in skip and (k, v.__class__, v) not in valid and not self._fact_ok(k, v):
                return False
        return True

    def _fact_ok(self, code, value) -> bool:
        """Whether `RequestParser.fact` takes `value` for `code` as it is: the fact by its code, an enum
        value by its code (one given by a name is left to `parse_request`). Remembered while there is room."""
        try:
            if self.parser.fact_code(code) != code or self.parser.fact(code, value) is not value:
                return False
        except RequestError:
            return False
        if len(self.valid) < SMALL_LIMIT:
            self.valid.add((code, value.__class__, value))
        return True

    def _core(self, raw, rk):
        """The core of a request whose fast key is not in the newer generation: from the older one,
        or else its facts checked, its class computed, durable-rules asked if the class is new. None
        if a fact is invalid."""
        core = self.fast.get(rk)
        if core is not None:
            return core
        if not self._facts_ok(raw.get("facts") or _EMPTY):
            return None
        list_id, matter = rk[0], rk[1]
        classifier = self.classes[(list_id, matter)]
        given = raw.get("facts") or _EMPTY
        facts = {k: given[k] for k in classifier.mr.reads if given.get(k) is not None}
        key = (list_id, matter, classifier.key(facts))
        core = self.cores.get(key)
        if core is None:
            self.misses += 1
            decider = self.library.decider(list_id)
            outcome = decider.outcome(matter, facts)
            # classes that durable-rules decides alike share one core (and its variants): on the
            # benchmark, 8,575 classes have 3,129 distinct outcomes
            core = self.alike.get((list_id, outcome))
            if core is None:
                core = Core(decider, outcome)
                self.alike.put((list_id, outcome), core)
            self.cores.put(key, core)
        self.fast.put(self._compact(rk), core)
        return core

    def _compact(self, rk):
        """The fast key to store, sharing its strings and its tuple of types with the keys stored
        before it (each line parses into new objects): the memo's memory is mostly these keys."""
        shared = self.shared
        if len(shared) >= SMALL_LIMIT:
            shared.clear()
        list_id, matter, types, *values = rk
        return (list_id, shared.setdefault(matter, matter), shared.setdefault(types, types),
                *[shared.setdefault(v, v) if type(v) is str else v for v in values])

    def _variant(self, core: Core, raw):
        get = raw.get
        actor, decided_by = get("actor"), get("decided_by")
        try:
            if self.parser.authority(actor, "actor") != actor or self.parser.authority(decided_by, "decided_by") != decided_by:
                return None  # an authority given by a name: `parse_request` reads it
        except RequestError:
            return None
        # one tuple of the authorities' own strings for each pair, shared by every core's `by_actor`
        # (the pair as parsed would keep two strings and a tuple of each line's alive per core)
        pair = (_CANONICAL.get(actor), _CANONICAL.get(decided_by))
        pair = self.pairs.setdefault(pair, pair)
        key = core.stand + pair
        variant = self.variants.get(key)
        if variant is None:
            variant = Variant(core, actor, decided_by)
            if len(self.variants) < SMALL_LIMIT:
                self.variants[key] = variant
        core.by_actor[pair] = variant
        return variant

    def _vote(self, raw, sits: bool = True):
        """The JSON bytes of a valid vote's result, else None. Keyed on the vote as given (its items and
        their types, so that `true` never stands for `1`) and on whether the procurator-general sits on the matter
        (a dissent is nothing on their own recusal): only a vote `RequestParser.vote` took is stored."""
        if raw.__class__ is not dict:
            return None
        key = (tuple(raw.items()), tuple(map(type, raw.values())), sits)  # unhashable: lookup catches it
        found = self.votes.get(key)
        if found is None:
            try:
                vote = self.parser.vote(raw)
            except RequestError:
                return None
            found = dumps(vote_result(vote, sits).to_json()).encode()
            if len(self.votes) < SMALL_LIMIT:
                self.votes[key] = found
        return found
