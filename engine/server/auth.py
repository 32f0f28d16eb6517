"""Bearer tokens: a file of `name: sha256-of-token` lines, and the check of one request's header.

Only the tokens' hashes are kept on the server, so the file reveals no token. A caller sends
`Authorization: Bearer TOKEN`; the server hashes TOKEN and looks the hash up; the name is what the
decision log records as the caller.
"""
from __future__ import annotations

import hashlib
import ipaddress
import re

from quanze.errors import QuanzeError
from quanze.model import Text
from quanze.place import Place

HASH = re.compile(r"^[0-9a-f]{64}$")
NO_TOKENS_CALLER = "local"  # the caller's name in the log when the server runs without --tokens


class TokenFileError(QuanzeError, ValueError):
    """A tokens file that cannot be used, at its place (the file, and the line where there is one)."""

    def __init__(self, message: Text, place: Place):
        super().__init__(message, place=place)

    def __str__(self) -> str:
        return f"{self.place}: {self.message}"

    def place_text(self) -> Text:
        """`file:line: why`, in both languages."""
        return Text(f"{self.place}: ", f"{self.place}: ") + self.text


def parse_tokens(text: str, path: str) -> dict[str, str]:
    """{sha256 hex: caller name} from the text of a tokens file. Blank lines and `#` comments are skipped."""
    out: dict[str, str] = {}
    names: set = set()
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, digest = line.partition(":")
        name, digest = name.strip(), digest.strip().lower()
        if digest.startswith("sha256:"):
            digest = digest[len("sha256:"):]
        if not sep or not name or not HASH.match(digest):
            example = f"case-system: {hashlib.sha256(b'example').hexdigest()}"
            raise TokenFileError(Text(f"每行写作 `name: sha256-of-token`（令牌的 sha256，64 位十六进制数字），如 `{example}`",
                                      f"a line is `name: sha256-of-token` (64 hex digits), e.g. `{example}`"),
                                 Place(path, n))
        if name in names:
            raise TokenFileError(Text(f"名称 `{name}` 给出了两次", f"the name `{name}` is given twice"), Place(path, n))
        if digest in out:
            raise TokenFileError(Text(f"`{out[digest]}` 和 `{name}` 的令牌散列值相同",
                                      f"the same token hash is given to `{out[digest]}` and `{name}`"), Place(path, n))
        names.add(name)
        out[digest] = name
    if not out:
        raise TokenFileError(Text("没有令牌（每行一个 `name: sha256-of-token`）", "no tokens (one `name: sha256-of-token` a line)"),
                             Place(path))
    return out


def caller_of(header: bytes | None, tokens: dict[str, str]) -> str | None:
    """The caller named by an `Authorization` header value, or None when it names none."""
    if not header:
        return None
    scheme, _, token = header.decode("latin-1").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return tokens.get(hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest())


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
