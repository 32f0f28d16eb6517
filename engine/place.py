"""Where something is written: a file, a line in it, and a JSON pointer to the node.

A place is kept as this value from the moment a document is read (an item's source, a finding, a
reason of a decision) and only turned into text at the edge that shows it, so that nothing has to
split `"lists/x/y.yaml:42"` back into its parts. Its text is the one users have always seen:
`file:line`, or the file alone when there is no line.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    """A file (as shown to the user), a 1-based line (0: the file as a whole) and a JSON pointer
    (`/items/3/matter`; empty when the place is not a node of the document)."""

    file: str
    line: int = 0
    pointer: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def to_json(self) -> str:
        """The place in JSON outputs (an item's or a reason's `source`): its text."""
        return str(self)


class AtPlace:
    """What is kept at a `Place` (a validation finding, a failed publication check): the place's file
    and line under the names their JSON gives them."""

    place: Place

    @property
    def file(self) -> str:
        return self.place.file

    @property
    def line(self) -> int:
        return self.place.line
