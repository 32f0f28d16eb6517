"""Loading lists for deciding: one list folder, or a folder of versions with the one in force chosen
by date. This is the embeddable API: load once, decide many times, from any number of threads.

    from quanze import Library
    lib = Library.load("lists")                       # or one list folder
    decision = lib.decide({"matter": "return_for_supplementary_investigation",
                           "actor": "prosecutor", "facts": {"prior_supplementary_returns": 2}})
    decision.status            # "forbidden"
    decision.to_json()         # the decision JSON of docs/decision-json.md
"""
from __future__ import annotations

import datetime
import threading

from .batch.memo import Memo
from .catalogue import load_catalogue
from .decide import Decider
from .decision import Decision
from .errors import QuanzeError
from .findings import Finding, Findings
from .hierarchy import load_with_upper
from .lists import find_list_folders
from .model import Catalogue, DoubleList, Text
from .requests import Request, RequestError, RequestParser, parse_date, parse_request
from .validate import check_family, semantic_findings, sibling_ids


class LoadFailure(QuanzeError):
    """Lists or rules that do not validate; `findings` says where."""

    def __init__(self, message: Text, findings=()):
        super().__init__(message)
        self.findings = Findings(findings)


class Library:
    """The versions of a list (one or more), with the catalogue they were checked against."""

    def __init__(self, lists: list[DoubleList], catalogue: Catalogue):
        self.catalogue = catalogue
        self.lists = sorted(lists, key=lambda l: (l.effective_from, l.id))
        self._deciders = {l.id: Decider(l, catalogue) for l in self.lists}
        self._memo = Memo(self, RequestParser(catalogue))  # not safe under threads: used under `_lock`
        self._lock = threading.Lock()
        self._decisions: dict = {}  # (Core, actor, decided_by, day, vote's bytes) -> its decision, for some case
        self._dated = len(self.lists) > 1  # which list is in force depends on the day
        self._today: datetime.date | None = None  # the day `_memo` picked the list in force for requests without `on`

    @classmethod
    def load(cls, path: str, rules: str | None = None, catalogue: Catalogue | None = None) -> "Library":
        """Load a list folder or a folder of list folders; raise LoadFailure on any error."""
        if catalogue is None:
            catalogue, found = load_catalogue(rules)
            if catalogue is None or not found.ok:
                raise LoadFailure(Text("规则未通过校验", "the rules do not validate"), found.errors)
        folders = find_list_folders(path)
        if not folders:
            raise LoadFailure(Text(f"`{path}` 既不是清单文件夹（有 list.yaml），也不是存放清单的文件夹",
                                   f"`{path}` is neither a list folder (with list.yaml) nor a folder of lists"))
        lists: list[DoubleList] = []
        errors: list[Finding] = []
        loaded: dict = {}
        for folder in folders:
            lst, found = load_with_upper(folder, catalogue, loaded)
            errors.extend(found.errors)
            if lst is not None:
                errors.extend(semantic_findings(lst, found, catalogue).errors)
                if found.ok:
                    lists.append(lst)
        # a `supersedes` that names a list not at hand does not stop deciding (validate reports it)
        errors.extend(f for f in check_family(lists, sibling_ids(folders)).errors if f.code != "unknown-list")
        if errors:
            raise LoadFailure(Text(f"{path} 未通过校验（错误 {len(errors)} 个）", f"{path} does not validate ({len(errors)} errors)"),
                              errors)
        return cls(lists, catalogue)

    def pick(self, on: str | None = None) -> DoubleList:
        """The list in force on `on` (a single list is used whatever the day when `on` is not given).
        An `on` that is not a day (`yesterday`, `2021-13-45`) is a RequestError, as in a request."""
        if on is None and len(self.lists) == 1:
            return self.lists[0]
        day = datetime.date.today().isoformat() if on is None else parse_date(on, "on")
        live = [l for l in self.lists if l.in_force(day)]
        if not live:
            spans = [f"{l.id} {l.effective_from}…{l.effective_to or ''}" for l in self.lists]
            raise RequestError("no-list-in-force", Text(f"{day} 没有施行中的清单（{'，'.join(spans)}）",
                                                        f"no list is in force on {day} ({', '.join(spans)})"))
        # a folder holding a list and the lists that implement it (`conforms_to`) answers with the list
        # they implement; a lower list decides when its own folder is named
        live = [l for l in live if l.conforms_to is None] or live
        superseded = {l.supersedes for l in live}
        newest = [l for l in live if l.id not in superseded] or live
        return max(newest, key=lambda l: (l.effective_from, l.id))

    def get(self, list_id: str) -> DoubleList:
        for l in self.lists:
            if l.id == list_id:
                return l
        raise KeyError(list_id)

    def decider(self, list_id: str) -> Decider:
        return self._deciders[list_id]

    def request(self, raw) -> Request:
        return raw if isinstance(raw, Request) else parse_request(raw, self.catalogue)

    def decide(self, raw) -> Decision:
        """Decide a request (a dict in the request form of docs/deciding.md, or a `Request`).

        A request dict goes through the batch path's memo first (`batch.memo.Memo`: its fast key finds
        the decision class of a request seen alike before, durable-rules is asked once per class, and
        no request `parse_request` refuses is ever taken), and the decision of a class for one actor,
        `decided_by`, day and vote is kept: a case-handling system asks the same question again and
        again, each time for another case. What the memo does not take is parsed and decided the long
        way (and refused there, with the parser's code). Safe under threads: the memo is used by one
        thread at a time."""
        if type(raw) is dict:
            found = self._remembered(raw)
            if found is not None:
                return found
        request = self.request(raw)
        return self._deciders[self.pick(request.on).id].decide(request)

    def _remembered(self, raw: dict) -> Decision | None:
        get = raw.get
        if self._dated and get("on") is None:
            today = datetime.date.today()
            if today != self._today:  # a new day: the list in force on "today" may be another one
                with self._lock:
                    self._memo.days.pop(None, None)
                    self._today = today
        with self._lock:
            found = self._memo.lookup(raw)
            if found is None:
                return None
            core, _, vote = found
            key = (core, get("actor"), get("decided_by"), self._memo.list_for(get("on"))[1], vote)
            decision = self._decisions.get(key)
            if decision is None:
                decision = self._memo.decision(found, raw)
                if len(self._decisions) >= DECISION_LIMIT:
                    self._decisions = {}
                self._decisions[key] = decision
        return decision.for_case(get("case"))


DECISION_LIMIT = 65_536  # decisions remembered by class, actor, decided_by, day and vote (`Library.decide`)
