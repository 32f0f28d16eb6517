"""The decision log: who asked, under which list version, what the list said (谁决定谁负责).

`chain` makes and checks the hash chain; `store` is the interface a store keeps (`DecisionStore`);
`sqlite_store` the default store; `group` the group commit in front of it; `export` JSON Lines and CSV.
"""
from .chain import Entry, NewEntry, Verdict, verify
from .export import csv_lines, jsonl_lines
from .group import GroupCommitter
from .sqlite_store import SqliteStore
from .store import DecisionStore, LogError

__all__ = ["DecisionStore", "Entry", "GroupCommitter", "LogError", "NewEntry", "SqliteStore", "Verdict",
           "csv_lines", "jsonl_lines", "verify"]
