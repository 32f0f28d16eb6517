"""The HTTP API in-process (Starlette's TestClient): decisions with their log entries, the error
JSON with the CLI's codes and the field at fault, the tokens, the catalogue and lists, the streaming
check against `quanze check`, the docs, and reloading the lists."""
from __future__ import annotations

import hashlib
import json
import re
import shutil

import pytest
from starlette.testclient import TestClient

from bench.generate import main as generate  # the project's generator of realistic action files
from cli import main
from quanze.decisionlog import GroupCommitter, SqliteStore, verify
from quanze.server.app import create_app
from quanze.server.auth import TokenFileError, parse_tokens
from quanze.server.versions import Served

from .paths import LISTS

SEED6 = {"matter": "return_for_supplementary_investigation", "actor": "prosecutor",
         "facts": {"prior_supplementary_returns": 2}, "case": "（2021）检6号"}
TOKEN = "s3cret-token-for-tests"


@pytest.fixture(scope="module")
def served():
    return Served(LISTS)


@pytest.fixture
def log(tmp_path):
    committer = GroupCommitter(SqliteStore(str(tmp_path / "log.sqlite")))
    yield committer
    committer.close()


@pytest.fixture
def client(served, log):
    with TestClient(create_app(served, log, on_error=lambda line: None)) as c:
        yield c


@pytest.fixture
def guarded(served, log):
    tokens = {hashlib.sha256(TOKEN.encode()).hexdigest(): "case-system"}
    with TestClient(create_app(served, log, tokens, on_error=lambda line: None)) as c:
        yield c


def logged(log) -> list:
    return list(log.store.entries())


def test_decide_answers_the_decision_json_with_its_log_entry(client, log, served):
    r = client.post("/v1/decide", json=SEED6)
    assert r.status_code == 200
    body = r.json()
    log_id = body.pop("log_id")
    assert body == served.current.library.decide(SEED6).to_json()  # exactly the library's decision
    assert body["status"] == "forbidden" and body["list"]["id"] == "xj-2021"
    (entry,) = logged(log)
    assert entry.seq == log_id and entry.caller == "local" and entry.case == "（2021）检6号"
    assert entry.request == SEED6 and entry.decision == body
    assert entry.digest == body["list"]["digest"] == served.current.library.get("xj-2021").digest


def test_every_decision_names_the_digest_of_the_version_in_force(client, served):
    answers = {}
    for day in ("2020-06-01", "2022-03-01"):
        request = {"matter": "extend_review_period", "actor": "prosecutor", "on": day,
                   "facts": {"case_is_major_or_complex": True}}
        answers[day] = client.post("/v1/decide", json=request).json()
        assert {k: v for k, v in answers[day].items() if k != "log_id"} == \
            served.current.library.decide(request).to_json()
    old, new = answers["2020-06-01"]["list"], answers["2022-03-01"]["list"]
    assert old["id"] == "xj-2019" and new["id"] == "xj-2021" and old["digest"] != new["digest"]
    assert new["digest"] == served.current.library.get("xj-2021").digest


@pytest.mark.parametrize("body, status, code, field", [
    (b'{"matter": "return_for_supplementary_investigaton"}', 400, "unknown-matter", "matter"),
    (b'{"matter": "extend_review_period", "facts": {"case_is_major": true}}', 400, "unknown-fact",
     "facts.case_is_major"),
    (b'{"matter": "return_for_supplementary_investigation", "facts": {"prior_supplementary_returns": "2"}}', 400,
     "bad-value", "facts.prior_supplementary_returns"),
    (b'{"matter": "extend_review_period", "on": "2022-13-01"}', 400, "bad-value", "on"),
    (b'{"matter": "extend_review_period", "on": "1990-01-01"}', 400, "no-list-in-force", "on"),
    (b'{"matter": "extend_review_period", "actor": "boss"}', 400, "unknown-authority", "actor"),
    (b'{"matter": "extend_review_period", "decided_by": "procurator"}', 400, "unknown-authority", "decided_by"),
    (b'{"matter": "file_second_instance_protest", "vote": {"members": 11, "present": 12, "in_favour": 1}}', 400,
     "bad-vote", "vote"),
    (b'{"matter": "extend_review_period", "colour": "red"}', 400, "unknown-key", "colour"),
    (b'{"actor": "prosecutor"}', 400, "missing-key", "matter"),
    (b'{"matter": "extend_review_period", "facts": [1]}', 400, "bad-request", "facts"),
    (b'{"matter": "extend_review_period", "case": {"id": 1}}', 400, "bad-request", "case"),
    (b'["extend_review_period"]', 400, "bad-request", None),
    (b'{"matter": ', 400, "bad-json", None),
    (b'', 400, "empty-line", None),
    (b'\xff\xfe{}', 400, "bad-encoding", None),
    (b'[' * 40 + b']' * 40, 400, "bad-json", None),  # nested past the one reader's bound (actions.parse_line)
    (b'{"matter": "x", "facts": ' + b'{"a": ' * 40 + b'1' + b'}' * 41, 400, "bad-json", None),
    (b'{"case": "' + b'x' * 70_000 + b'"}', 413, "too-large", None),
])
def test_bad_input_is_a_4xx_with_the_cli_code_and_the_field(client, log, body, status, code, field):
    r = client.post("/v1/decide", content=body)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert r.json() == {"error": {"code": code, "message": error["message"], "message_zh": error["message_zh"],
                                  "field": field}}
    assert error["message"] and "Traceback" not in r.text
    assert re.search("[\u4e00-\u9fff]", error["message_zh"]) and error["message_zh"] != error["message"]
    assert logged(log) == []  # nothing is logged for a request that was not decided


def test_the_error_codes_match_the_command_line(client, runner):
    r = client.post("/v1/decide", json={"matter": "extend_review_period", "actor": "procurator"})
    cli = runner.invoke(main, ["decide", LISTS + "/xj-2021", "-m", "extend_review_period", "-a", "procurator",
                               "--lang", "en"])
    assert cli.exit_code == 2
    assert f"{r.json()['error']['code']}: {r.json()['error']['message']}" in cli.output
    zh = runner.invoke(main, ["decide", LISTS + "/xj-2021", "-m", "extend_review_period", "-a", "procurator"])
    assert f"{r.json()['error']['code']}: {r.json()['error']['message_zh']}" in zh.output


def test_unknown_paths_and_methods_are_json_errors(client):
    assert client.get("/v1/nowhere").json()["error"]["code"] == "not-found"
    r = client.get("/v1/decide")
    assert r.status_code == 405 and r.json()["error"]["code"] == "bad-method"
    r = client.get("/v1/lists/xj-202")
    assert r.status_code == 404 and r.json()["error"] == {
        "code": "unknown-list", "message": "no list `xj-202` is loaded; did you mean `xj-2021`?",
        "message_zh": "没有载入清单 `xj-202`；是否应为 `xj-2021`？", "field": "list_id"}


def test_an_unexpected_failure_is_a_json_500_without_traceback(served, log, monkeypatch):
    said = []
    with TestClient(create_app(served, log, on_error=said.append)) as c:
        monkeypatch.setattr(type(served.current.library), "decide", lambda self, raw: 1 / 0)
        r = c.post("/v1/decide", json=SEED6)
    assert r.status_code == 500 and r.json()["error"]["code"] == "internal-error"
    assert "Traceback" not in r.text and "ZeroDivisionError" in said[0]


@pytest.mark.parametrize("header", [None, "Bearer wrong-token", "Basic " + TOKEN, "Bearer"])
def test_without_a_known_token_401_and_nothing_is_logged(guarded, log, header):
    headers = {"Authorization": header} if header else {}
    for method, path in (("post", "/v1/decide"), ("post", "/v1/check"), ("get", "/v1/log"), ("get", "/v1/matters")):
        r = getattr(guarded, method)(path, headers=headers, **({"json": SEED6} if method == "post" else {}))
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized", (path, r.text)
        assert r.headers["www-authenticate"].startswith("Bearer")
    assert logged(log) == []
    assert guarded.get("/v1/health").status_code == 200  # health, the page and the docs are open
    assert guarded.get("/").status_code == 200 and guarded.get("/openapi.json").status_code == 200


def test_a_known_token_is_served_and_logged_under_its_name(guarded, log):
    r = guarded.post("/v1/decide", json=SEED6, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200
    assert [e.caller for e in logged(log)] == ["case-system"]


def test_token_files(tmp_path):
    digest = hashlib.sha256(b"t").hexdigest()
    assert parse_tokens(f"# callers\ncase-system: {digest}\n\npage: sha256:{'a' * 64}\n", "t.txt") == {
        digest: "case-system", "a" * 64: "page"}
    for text, needle in (("case-system\n", "t.txt:1"), (f"a: {digest}\nb: {digest}\n", "same token"),
                         (f"a: {digest}\na: {'b' * 64}\n", "given twice"), ("# none\n", "no tokens"),
                         ("a: 1234\n", "64 hex")):
        with pytest.raises(TokenFileError, match=needle):
            parse_tokens(text, "t.txt")


def test_the_catalogue_and_the_lists(client, served):
    matters = client.get("/v1/matters").json()
    assert {"code": "extend_review_period"}.items() <= next(m for m in matters if m["code"] == "extend_review_period").items()
    assert len(matters) == len(served.current.library.catalogue.matters)
    assert next(m for m in matters if m["code"] == "extend_review_period")["name"]["zh"] == "延长审查起诉期限"
    facts = {f["code"]: f for f in client.get("/v1/facts").json()}
    assert facts["case_source"]["value_labels"]["self_investigated"]["zh"] == "人民检察院直接受理侦查"
    assert facts["prior_supplementary_returns"]["question"]["en"].startswith("How many times")
    names = {a["code"]: a["name"]["zh"] for a in client.get("/v1/authorities").json()}
    assert names["procurator_general"] == "检察长"
    lists = client.get("/v1/lists").json()
    assert [(l["id"], l["conforms_to"]) for l in lists] == [("xj-2019", None), ("xj-2021", None),
                                                            ("xj-county-2022", "xj-2021")]
    assert all(l["digest"].startswith("sha256:") for l in lists)
    one = client.get("/v1/lists/xj-2021").json()
    items = [i for p in one["parts"] for i in p["items"]]
    assert one["digest"] == lists[1]["digest"] and len(items) == sum(lists[1]["counts"].values())
    assert any(i["when"] and i["when_words"]["zh"] for i in items)
    # a place is shown as the text file:line, as in the decision JSON (never as the Place it is kept as)
    assert all(re.fullmatch(r".+\.yaml:[1-9][0-9]*", i["source"]) for i in items + one["reporting"])
    page = client.get("/v1/lists/xj-2021?lang=en", headers={"Accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html") and "<table" in page.text
    health = client.get("/v1/health").json()
    assert health["status"] == "ok" and [l["digest"] for l in health["lists"]] == [l["digest"] for l in lists]


def test_the_log_endpoints_page_filter_and_verify(client):
    for i in range(5):
        assert client.post("/v1/decide", json=dict(SEED6, case=f"K-{i % 2}")).status_code == 200
    page = client.get("/v1/log?limit=2").json()
    assert [e["seq"] for e in page["entries"]] == [1, 2] and page["next_after"] == 2
    rest = client.get("/v1/log?after=2&limit=1000").json()
    assert [e["seq"] for e in rest["entries"]] == [3, 4, 5] and rest["next_after"] is None
    assert [e["seq"] for e in client.get("/v1/log?case=K-1").json()["entries"]] == [2, 4]
    assert client.get("/v1/log?since=2999-01-01").json()["entries"] == []
    assert len(client.get("/v1/log?until=2999-01-01").json()["entries"]) == 5
    jsonl = client.get("/v1/log?format=jsonl&case=K-0").text.splitlines()
    assert [json.loads(l)["seq"] for l in jsonl] == [1, 3, 5]
    assert client.get("/v1/log?format=csv").text.count("\r\n") == 6
    assert client.get("/v1/log/verify").json() == {**client.get("/v1/log/verify").json(), "intact": True,
                                                   "entries": 5, "broken": None}
    for query, field in (("limit=0", "limit"), ("after=x", "after"), ("since=soon", "since"), ("format=xml", "format")):
        r = client.get(f"/v1/log?{query}")
        assert r.status_code == 400 and r.json()["error"]["field"] == field


def test_check_streams_what_quanze_check_prints_and_logs_each_decision(client, runner, tmp_path, log):
    actions = tmp_path / "actions.jsonl"
    generate([LISTS, "3000", "--seed", "11", "--bad", "0.05", "-o", str(actions)])
    data = actions.read_bytes() + b'[' * 50 + b']' * 50 + b"\n" + b'{"case": "' + b"y" * 70_000 + b'"}\n'
    expected = runner.invoke(main, ["check", LISTS, str(actions), "--format", "jsonl"]).stdout_bytes
    deep = tmp_path / "deep.jsonl"
    deep.write_bytes(b'[' * 50 + b']' * 50 + b"\n")
    deep_line = runner.invoke(main, ["check", LISTS, str(deep), "--format", "jsonl"]).stdout_bytes
    r = client.post("/v1/check", content=data, headers={"Content-Type": "application/x-ndjson"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    lines = r.content.splitlines(keepends=True)
    # line for line, byte for byte what `quanze check` prints, each decision with its log entry's number last
    given = [re.sub(rb', "log_id": [0-9]+}\n$', b"}\n", line) for line in lines]
    assert b"".join(given[:-2]) == expected
    assert json.loads(lines[-2]) == dict(json.loads(deep_line), line=3001)  # the one reader's code (bad-json)
    assert json.loads(lines[-1])["error"]["code"] == "too-large" and json.loads(lines[-1])["line"] == 3002
    # every decision given is logged, under its number, as /v1/decide logs one; no error line is
    entries = {e.seq: e for e in logged(log)}
    decided = [json.loads(line) for line in lines if b'"error": ' not in line[:40]]
    assert len(entries) == len(decided) > 2500 and verify(entries.values()).intact
    for line in decided:
        entry = entries[line["log_id"]]
        assert entry.decision == {k: v for k, v in line.items() if k not in ("line", "flags", "log_id")}
        assert entry.request["case"] == line["case"] and entry.caller == "local"
    alone = client.post("/v1/decide", json=entries[decided[0]["log_id"]].request).json()
    assert {k: v for k, v in alone.items() if k != "log_id"} == entries[decided[0]["log_id"]].decision


def test_reload_swaps_the_lists_and_a_failed_reload_keeps_them(tmp_path):
    folder = tmp_path / "lists"
    shutil.copytree(LISTS, folder)
    served = Served(str(folder))
    before = served.current
    part = folder / "xj-2021" / "procurator-general.yaml"
    part.write_text(part.read_text(encoding="utf-8") + "\n# a comment changes the digest\n", encoding="utf-8")
    line = served.reload()
    assert "version 2" in line and served.current is not before
    assert served.current.library.get("xj-2021").digest != before.library.get("xj-2021").digest
    assert before.library.get("xj-2021").digest == Served(LISTS).current.library.get("xj-2021").digest
    (folder / "xj-2021" / "list.yaml").write_text("id: [broken\n", encoding="utf-8")
    kept = served.current
    assert "reload failed, still serving version 2" in served.reload()
    assert served.current is kept


def test_openapi_and_docs_cover_every_route(client):
    doc = client.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    paths = set(doc["paths"])
    assert {"/v1/decide", "/v1/check", "/v1/lists", "/v1/lists/{list_id}", "/v1/matters", "/v1/facts",
            "/v1/log", "/v1/log/verify", "/v1/health", "/"} <= paths
    docs = client.get("/docs").text
    assert all(f"<code>{p}</code>" in docs for p in paths)
    assert "unknown-matter" in docs and "unauthorized" in docs
    assert "http://" not in docs.replace("http://x", "") and "<script" not in docs  # nothing from outside


def test_the_page_and_its_files_are_served_from_the_package(client):
    page = client.get("/")
    assert page.headers["content-type"].startswith("text/html") and 'src="/static/page.js"' in page.text
    assert "http" not in page.text  # no external resources
    js = client.get("/static/page.js")
    assert js.status_code == 200 and "innerHTML" not in js.text  # text goes in as text, never as HTML
    assert client.get("/static/nothing.js").json()["error"]["code"] == "not-found"


def test_when_the_log_cannot_be_written_no_decision_is_given(served, tmp_path):
    log = GroupCommitter(SqliteStore(str(tmp_path / "log.sqlite")))
    log.store.db.close()  # the disk went away under the writer
    said: list = []
    with TestClient(create_app(served, log, on_error=said.append)) as c:
        r = c.post("/v1/decide", json=SEED6)
        assert r.status_code == 503 and r.json()["error"]["code"] == "log-unavailable"
        body = json.dumps(SEED6).encode() + b"\n" + b'{"matter": "nothing"}\n'
        lines = [json.loads(line) for line in c.post("/v1/check", content=body).content.splitlines()]
    log.close()
    assert [(l["line"], l["error"]["code"]) for l in lines] == [(1, "log-unavailable"), (2, "unknown-matter")]
    assert not any("log_id" in l or "status" in l for l in lines) and len(said) == 2
