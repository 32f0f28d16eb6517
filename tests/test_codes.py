"""The error model: one registry of codes, one base exception, places kept as values.

The registry (`quanze.codes.CODES`) is the one list of the codes quanze reports; docs/findings.md is
held to it by test_docs.py, the fixtures of finding codes by test_validation.py. Here: that the code
agrees with the registry where the registry cannot see it (the codes raised in engine/, the checks
the shipped publication.yaml declares), that every exception of quanze derives from `QuanzeError`,
and that a place is shown exactly as users have always read it.
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import cli
import quanze
from quanze.catalogue import load_catalogue
from quanze.codes import CHECK, CODES, ERROR, KINDS, LOG, REQUEST, SERVER, WARNING, codes_of
from quanze.errors import QuanzeError
from quanze.findings import Finding, Findings, finding
from quanze.model import Text
from quanze.place import Place
from quanze.requests import RequestError

ROOT = Path(__file__).resolve().parent.parent
# A raised request error: `RequestError("code", ...)` anywhere in engine/.
RAISED = re.compile(r"RequestError\(\s*\"([a-z][a-z-]*)\"")


def test_every_code_has_a_severity_a_kind_and_one_line():
    for code, entry in CODES.items():
        assert entry.code == code
        assert entry.severity in (ERROR, WARNING), code
        assert entry.kinds and entry.kinds <= set(KINDS), code
        assert all(m and "\n" not in m for m in entry.meanings.values()), code
    for kind in (REQUEST, SERVER, LOG):
        assert all(CODES[c].severity == ERROR for c in codes_of(kind)), kind
    assert all(c.startswith("PUB-") for c in codes_of(CHECK))


def test_every_request_error_raised_in_engine_is_a_registered_request_code():
    raised = set()
    for path in sorted((ROOT / "engine").rglob("*.py")):
        raised |= set(RAISED.findall(path.read_text(encoding="utf-8")))
    assert {"bad-json", "unknown-matter", "empty-line", "bad-vote"} <= raised  # the scan finds them
    assert sorted(raised - set(codes_of(REQUEST))) == []


def test_the_shipped_publication_checks_are_the_registry_s():
    """rules/publication.yaml configures the checks the registry lists, at the registry's severities."""
    catalogue, _ = load_catalogue(str(ROOT / "rules"))
    shipped = {c.id: c.severity for c in catalogue.publication}
    assert shipped == {code: entry.severity for code, entry in codes_of(CHECK).items()}


def test_the_server_answers_every_server_code_with_a_status_and_documents_what_it_means():
    """Its HTTP status is the server's (quanze.server.errors.STATUS); the OpenAPI document says what
    each code it may answer means, in the registry's words."""
    from quanze.server.errors import STATUS  # deferred: the serving stack is the optional extra quanze[serve]
    from quanze.server.openapi import document
    assert set(STATUS) == set(codes_of(SERVER))
    described = document()["components"]["schemas"]["Error"]["x-codes"]
    assert set(described) == set(STATUS) | (set(codes_of(REQUEST)) - {"bad-row"})  # the API reads no CSV
    for code, meaning in described.items():
        assert meaning == CODES[code].meanings[SERVER if code in STATUS else REQUEST]


def _quanze_classes():
    for info in pkgutil.walk_packages(quanze.__path__, "quanze."):
        if info.name.startswith("quanze.rules") or info.name.startswith("quanze.schema_files"):
            continue
        module = importlib.import_module(info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if value.__module__ == info.name:
                yield value
    for _, value in inspect.getmembers(cli, inspect.isclass):
        if value.__module__ == "cli":
            yield value


def test_every_exception_of_quanze_derives_from_quanze_error():
    exceptions = [c for c in _quanze_classes() if issubclass(c, BaseException)]
    names = {c.__name__ for c in exceptions}
    assert {"RequestError", "LoadError", "LoadFailure", "ActionsError", "InputError"} <= names
    assert [c.__qualname__ for c in exceptions if not issubclass(c, QuanzeError)] == []


def test_an_unregistered_code_is_refused():
    with pytest.raises(ValueError, match="unregistered"):
        RequestError("no-such-code", "x")
    with pytest.raises(ValueError, match="unregistered"):
        finding(Place("a.yaml", 1), "bad-json", "a request code is not a finding code")
    error = RequestError("bad-vote", "impossible vote")
    assert (error.code, error.message, str(error), error.place) == ("bad-vote", "impossible vote", "impossible vote", None)
    assert isinstance(error, ValueError)  # as before the error model: callers catching ValueError still do


def test_a_place_reads_as_file_colon_line():
    assert str(Place("lists/xj-2021/prosecutor.yaml", 42)) == "lists/xj-2021/prosecutor.yaml:42"
    assert str(Place("lists/xj-2021/list.yaml")) == "lists/xj-2021/list.yaml"
    assert Place("a.yaml", 3, "/items/0").to_json() == "a.yaml:3"
    found = finding(Place("p.yaml", 4, "/items/0/matter"), "unknown-matter", Text("未知事项 `x`", "unknown matter `x`"))
    assert found.format() == found.format("en") == "p.yaml:4: unknown-matter: unknown matter `x`"
    assert found.format("zh") == "p.yaml:4: unknown-matter: 未知事项 `x`"
    assert found.to_json() == {"file": "p.yaml", "line": 4, "code": "unknown-matter", "severity": "error",
                               "message": "unknown matter `x`", "message_zh": "未知事项 `x`", "path": "/items/0/matter"}
    shadowed = finding(Place("p.yaml"), "shadowed", Text("某", "m"))
    assert (shadowed.format(), shadowed.format("zh")) == ("p.yaml: shadowed (warning): m", "p.yaml: shadowed（警告）: 某")


def test_a_finding_refuses_a_message_in_one_language():
    for message in ("unknown matter `x`", Text("", "unknown matter `x`"), Text("未知事项 `x`", "")):
        with pytest.raises(ValueError, match="Chinese and English"):
            finding(Place("p.yaml", 4), "unknown-matter", message)


def test_findings_split_errors_from_warnings():
    a = finding(Place("a.yaml", 1), "shadowed", Text("警告", "a warning"))
    b = finding(Place("a.yaml", 2), "unknown-fact", Text("错误", "an error"))
    found = Findings([a, b])
    assert found.errors == (b,) and found.warnings == (a,)
    assert not found.ok and Findings([a]).ok and Findings().ok
    assert isinstance(found + [a], Findings) and len(found + [a]) == 3
    assert isinstance(found.errors, Findings)
    assert isinstance(a, Finding)
