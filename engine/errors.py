"""The one base of every exception quanze raises.

A user who gets a `QuanzeError` gets a one-line message, the stable code of the problem where it has
one (registered in `quanze.codes`) and its place where it has one (`quanze.place.Place`). Callers that
only need to know "quanze refused this" catch `QuanzeError`; the subclasses say what refused it (a
request, a file, a usage of the command line). Errors without a code are usage errors (a path that is
not a list folder, an action file whose format cannot be told): the command line reports them with
exit status 2 and their message.
"""
from __future__ import annotations

from .codes import CODES
from .place import Place


class QuanzeError(Exception):
    """`message` is one line; `code` is registered (or None for a usage error); `place` is where."""

    def __init__(self, message: str, code: str | None = None, place: Place | None = None):
        if code is not None and code not in CODES:
            raise ValueError(f"unregistered code {code!r}")
        super().__init__(message)
        self.message = message
        self.code = code
        self.place = place
