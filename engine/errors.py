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
from .model import Text
from .place import Place


class QuanzeError(Exception):
    """`message` is one line; `code` is registered (or None for a usage error); `place` is where.

    The message is a `Text`, written in Chinese and English where the error is raised (`text`,
    `says(lang)`); `message` is its English, what `str()` of the error, the JSON `message` of a
    request error and the server's answers carry as before. A message given as a plain string (an
    error only a program sees) is the same in both languages."""

    def __init__(self, message: str | Text, code: str | None = None, place: Place | None = None):
        if code is not None and code not in CODES:
            raise ValueError(f"unregistered code {code!r}")
        text = message if isinstance(message, Text) else Text(str(message), str(message))
        english: str = text.get("en")
        super().__init__(english)
        self.message = english
        self.text = text
        self.code = code
        self.place = place

    def says(self, lang: str) -> str:
        """The message in `lang`."""
        return self.text.get(lang)

    def coded(self, lang: str) -> str:
        """`code: message` in `lang` (the message alone for an error without a code): what the
        command line prints after `quanze: error: `, and a bad line's cell in `check`'s CSV."""
        said = self.text.get(lang)
        return f"{self.code}: {said}" if self.code else said
