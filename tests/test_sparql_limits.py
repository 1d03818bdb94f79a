"""What the endpoint refuses or stops: runaway queries, big results and requests, SERVICE calls,
local files, updates — and its own faults, answered as 500s.

Real servers over the built seed, with tight limits: a 2 s timeout, 50 rows, 4 KiB requests.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from plangraph.config import Settings
from plangraph.querying.guard import QueryRefused, inspect_query
from plangraph.web.app import create_app

from .server import LiveServer

PG = "https://w3id.org/plangraph/ontology#"
COUNT_MEASURES = f"SELECT (COUNT(?m) AS ?n) WHERE {{ ?m a <{PG}Measure> }}"
# Three-way cross product of all ~7000 triples: 10^11 solutions, far past any timeout.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TIMEOUT = 2.0


def limited(built: Settings, **changes: object) -> Settings:
    base = dict(query_timeout=TIMEOUT, max_rows=50, max_request_bytes=4096)
    return dataclasses.replace(built, **{**base, **changes})


@pytest.fixture(scope="module")
def server(built: Settings) -> Iterator[LiveServer]:
    with LiveServer(create_app(limited(built))) as live:
        yield live


@pytest.fixture
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


def count_measures(client: httpx.Client, variable: str = "n") -> int:
    """The measures, counted by the endpoint (`variable`: another name makes another query, which
    the result cache cannot answer)."""
    query = COUNT_MEASURES.replace("?n", f"?{variable}")
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0][variable]["value"])


def error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()["error"]
    assert body["status"] == status
    return body["detail"]


# -- timeouts --------------------------------------------------------------------------------------

def test_runaway_query_is_stopped_while_others_are_served(server: LiveServer,
                                                          client: httpx.Client) -> None:
    pool = server.app.state.sparql_pool
    before = pool.pids
    assert len(before) == pool.size >= 2
    runaway: dict[str, object] = {}

    def run_away() -> None:
        started = time.monotonic()
        with httpx.Client(base_url=server.url, timeout=30) as other:
            runaway["response"] = other.get("/sparql", params={"query": RUNAWAY})
        runaway["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run_away)
    thread.start()
    time.sleep(0.3)  # let it reach a worker
    latencies = []
    while thread.is_alive():
        started = time.monotonic()
        assert count_measures(client) == 91
        latencies.append(time.monotonic() - started)
    thread.join()

    response = runaway["response"]
    assert isinstance(response, httpx.Response)
    assert "longer than 2 s" in error(response, 503)
    assert response.headers["access-control-allow-origin"] == "*"
    assert TIMEOUT <= runaway["seconds"] < TIMEOUT + 2  # type: ignore[operator]
    # The other client went on being served, promptly, the whole time.
    assert len(latencies) >= 5, latencies
    assert max(latencies) < 1.0, latencies

    # The worker that ran it was killed (really stopped), and replaced.
    deadline = time.monotonic() + 10
    while len(pool.pids) < pool.size or pool.pids == before:
        assert time.monotonic() < deadline, "no replacement worker"
        time.sleep(0.05)
    gone = before - pool.pids
    assert len(gone) == 1
    with pytest.raises(ProcessLookupError):
        os.kill(gone.pop(), 0)
    assert count_measures(client) == 91


# -- results and requests too big ------------------------------------------------------------------

def test_too_many_rows_is_an_error_never_a_partial_result(client: httpx.Client) -> None:
    select = f"SELECT ?m WHERE {{ ?m a <{PG}Measure> }}"
    detail = error(client.get("/sparql", params={"query": select}), 422)
    assert "more than 50 rows" in detail and "LIMIT" in detail
    for accept in ("text/csv", "application/sparql-results+xml", "text/tab-separated-values"):
        r = client.get("/sparql", params={"query": select}, headers={"Accept": accept})
        assert r.status_code == 422
    # At the limit: all of it.
    r = client.get("/sparql", params={"query": select + " LIMIT 50"})
    assert len(r.json()["results"]["bindings"]) == 50
    error(client.get("/sparql", params={"query": select + " LIMIT 51"}), 422)


def test_too_many_triples(client: httpx.Client) -> None:
    construct = f"CONSTRUCT WHERE {{ ?m a <{PG}Measure> }}"
    error(client.get("/sparql", params={"query": construct}), 422)
    r = client.get("/sparql", params={"query": construct + " LIMIT 50"},
                   headers={"Accept": "application/n-triples"})
    assert len(r.text.splitlines()) == 50


def test_request_too_large(client: httpx.Client) -> None:
    padding = "#" + "x" * 5000 + "\n"
    detail = error(client.post("/sparql", content=(padding + "ASK {}").encode(),
                               headers={"Content-Type": "application/sparql-query"}), 413)
    assert "4096" in detail

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b"query=ASK%20%7B%7D%20"
        for _ in range(10):
            yield b"%20" * 200

    r = client.post("/sparql", content=chunks(),
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert "content-length" not in r.request.headers
    error(r, 413)
    r = client.get("/sparql", params={"query": "ASK {} " + "#" * 5000})
    error(r, 414)


# -- SERVICE reaches nothing -----------------------------------------------------------------------

class Listener:
    """A local SPARQL endpoint that records every request it gets and answers one row."""

    def __init__(self) -> None:
        hits = self.hits = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.answer()

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length") or 0))
                self.answer()

            def answer(self) -> None:
                hits.append(self.path)
                body = (b'{"head":{"vars":["x"]},"results":{"bindings":'
                        b'[{"x":{"type":"literal","value":"remote"}}]}}')
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.root = f"http://127.0.0.1:{self.port}/"
        self.url = self.root + "sparql"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.close()


REFUSED_SERVICES = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX remote: <{root}> SELECT * WHERE {{ SERVICE remote:sparql {{ ?s ?p ?o }} }}",
    "BASE <{root}> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1\\u003A{port}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
    "ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?x }} }} }} LIMIT 1",
    "SELECT * WHERE {{ ?s ?p '''a''b''' . SERVICE <{url}> {{ }} }}",
    "SELECT * WHERE {{ SERVICE <file:///etc/passwd> {{ ?s ?p ?o }} }}",
]


def test_service_is_refused_and_reaches_nothing(client: httpx.Client,
                                                listener: Listener) -> None:
    for template in REFUSED_SERVICES:
        query = template.format(url=listener.url, root=listener.root, port=listener.port)
        for r in (client.get("/sparql", params={"query": query}),
                  client.post("/sparql", content=query.encode(),
                              headers={"Content-Type": "application/sparql-query"})):
            assert "SERVICE" in error(r, 400), query
    time.sleep(0.2)
    assert listener.hits == []


HARMLESS_MENTIONS = [
    'SELECT ?x WHERE {{ BIND("SERVICE <{url}> {{ }}" AS ?x) }}',
    "SELECT * WHERE {{ ?s ?p ?o }} LIMIT 1 # SERVICE <{url}> {{ }}",
    # In a comment, \\u000A is not a line break (the parser does not unescape outside strings).
    "SELECT * WHERE {{ # \\u000A SERVICE <{url}> {{ ?s ?p ?o }}\n}}",
    "SELECT ?x WHERE {{ BIND(<{url}?SERVICE> AS ?x) }}",
    "SELECT ?SERVICE WHERE {{ BIND(1 AS ?SERVICE) }}",
    "SELECT ?x WHERE {{ BIND('\\u0027 SERVICE <{url}> {{ }} #' AS ?x) }}",
]


def test_service_mentioned_elsewhere_is_not_a_service_call(client: httpx.Client,
                                                           listener: Listener) -> None:
    for template in HARMLESS_MENTIONS:
        query = template.format(url=listener.url)
        r = client.get("/sparql", params={"query": query})
        assert r.status_code == 200, (query, r.text)
    time.sleep(0.2)
    assert listener.hits == []


def test_an_allowed_service_is_called(built: Settings, listener: Listener) -> None:
    """The control: the listener does see a call when the endpoint is on the allow list."""
    settings = limited(built, service_allow=[listener.url])
    with LiveServer(create_app(settings)) as live, httpx.Client(base_url=live.url) as c:
        query = f"SELECT ?x WHERE {{ SERVICE <{listener.url}> {{ ?x ?p ?o }} }}"
        r = c.get("/sparql", params={"query": query}, timeout=30)
        assert r.status_code == 200, r.text
        assert r.json()["results"]["bindings"] == [{"x": {"type": "literal",
                                                          "value": "remote"}}]
        # Anything else is still refused.
        other = listener.root + "other"
        r = c.get("/sparql", params={"query": f"ASK {{ SERVICE <{other}> {{ }} }}"})
        assert f"<{other}> is not allowed" in error(r, 400)
    assert listener.hits == ["/sparql"]


# -- local files and updates -----------------------------------------------------------------------

@pytest.mark.parametrize("query", [
    "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "PREFIX f: <file:///etc/> SELECT * FROM f:passwd WHERE { ?s ?p ?o }",
])
def test_file_iris_are_refused(client: httpx.Client, query: str) -> None:
    assert "local files" in error(client.get("/sparql", params={"query": query}), 400)


@pytest.mark.parametrize("query", [
    "LOAD <file:///etc/passwd>",
    "LOAD <file:///etc/passwd> INTO GRAPH <http://example.org/g>",
    f"INSERT DATA {{ <http://example.org/m> a <{PG}Measure> }}",
    f"PREFIX pg: <{PG}> DELETE WHERE {{ ?m a pg:Measure }}",
    "CLEAR ALL",
    "DROP ALL",
    "CREATE GRAPH <http://example.org/g>",
    "WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
])
def test_updates_are_refused(client: httpx.Client, query: str) -> None:
    assert "read-only" in error(client.get("/sparql", params={"query": query}), 400)
    assert "read-only" in error(client.post("/sparql", data={"update": query}), 400)
    assert count_measures(client) == 91


# -- faults of ours --------------------------------------------------------------------------------

def test_a_worker_dying_mid_query_is_a_logged_500_and_the_pool_recovers(
        built: Settings, caplog: pytest.LogCaptureFixture) -> None:
    with LiveServer(create_app(limited(built))) as live, \
            httpx.Client(base_url=live.url, timeout=30) as c:
        assert count_measures(c) == 91
        pool = live.app.state.sparql_pool
        before = pool.pids
        answer: dict[str, httpx.Response] = {}
        thread = threading.Thread(target=lambda: answer.setdefault(
            "r", httpx.get(live.url + "/sparql", params={"query": RUNAWAY}, timeout=30)))
        with caplog.at_level(logging.ERROR, logger="plangraph.sparql"):
            cpu = {pid: _cpu_seconds(pid) for pid in before}
            thread.start()
            time.sleep(0.6)  # the runaway query is in a worker: a fault of ours kills it
            used = sorted((_cpu_seconds(pid) - cpu[pid], pid) for pid in before)
            assert used[-1][0] > used[0][0], used  # the busy one
            os.kill(used[-1][1], signal.SIGKILL)
            thread.join()
        assert "worker died" in error(answer["r"], 500)  # a 500, not a 4xx: the fault is ours
        assert any(rec.levelno == logging.ERROR and "died" in rec.getMessage()
                   for rec in caplog.records)
        deadline = time.monotonic() + 10
        while len(pool.pids) < pool.size:
            assert time.monotonic() < deadline, "the pool did not refill"
            time.sleep(0.05)
        assert count_measures(c, "n2") == 91


def test_workers_dying_while_idle_are_replaced_before_a_query_finds_them(
        built: Settings, caplog: pytest.LogCaptureFixture) -> None:
    with LiveServer(create_app(limited(built))) as live, \
            httpx.Client(base_url=live.url, timeout=30) as c:
        assert count_measures(c) == 91
        pool = live.app.state.sparql_pool
        with caplog.at_level(logging.ERROR, logger="plangraph.sparql"):
            for pid in pool.pids:
                os.kill(pid, signal.SIGKILL)
            time.sleep(0.2)
            # no query sees them: the next one waits for a fresh worker
            assert count_measures(c, "n3") == 91
        assert sum("died while idle" in rec.getMessage() for rec in caplog.records) == 2


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# -- the guard on its own --------------------------------------------------------------------------

@pytest.mark.parametrize("query, refusal", [
    ("SELECT * { SERVICE <http://x/> {} }", "not allowed"),
    ("SELECT * { SERVICE ?s {} }", "not a variable"),
    ("SELECT * { SERVICE <file:///x> {} }", "local files"),
    ("SELECT * FROM <FILE:///x> {}", "local files"),
    ("INSERT DATA { <a> <b> <c> }", "read-only"),
    ("PREFIX ex: <http://ex/> DELETE DATA { ex:a ex:b ex:c }", "read-only"),
    ("SELECT * { ?s ?p ?o } # fine\n SERVICE <http://x/> {}", "not allowed"),
    ("PREFIX e: <http://a/> SELECT * { ?s e:a\\#b ?o . SERVICE <http://q/> {} }", "not allowed"),
    ("SELECT * { ?s ?p ?o } \\# SERVICE <http://x/> {}", "backslash"),
    ("SELECT * { SERVICE undeclared:x {} }", "cannot tell"),
])
def test_guard_refuses(query: str, refusal: str) -> None:
    with pytest.raises(QueryRefused, match=refusal):
        inspect_query(query, base="https://w3id.org/plangraph/id/")


@pytest.mark.parametrize("query, form", [
    ("SELECT * { ?s ?p ?o }", "SELECT"),
    ("PREFIX select: <http://x/> ask { ?s select:p ?o }", "ASK"),
    ("BASE <http://x/> CONSTRUCT WHERE { <a> ?p ?o }", "CONSTRUCT"),
    ("# DELETE\nDESCRIBE <http://x/>", "DESCRIBE"),
    ("SELECT ?x { BIND('SERVICE <http://x/> {}' AS ?x) }", "SELECT"),
    ('SELECT ?x { BIND("""a "SERVICE" <b> """ AS ?x) }', "SELECT"),
    ("SELECT * { ?a ?b ?c FILTER(?a < 3 && ?b > 2) }", "SELECT"),
])
def test_guard_passes(query: str, form: str) -> None:
    assert inspect_query(query).form == form


def test_guard_resolves_service_iris_for_the_allow_list() -> None:
    allow = ["http://ok.example/sparql"]
    for query in ("SELECT * { SERVICE <http://ok.example/sparql> {} }",
                  "PREFIX ok: <http://ok.example/> SELECT * { SERVICE ok:sparql {} }",
                  "BASE <http://ok.example/x/> SELECT * { SERVICE <../sparql> {} }",
                  "SELECT * { SERVICE <http://ok.example/\\u0073parql> {} }"):
        assert inspect_query(query, service_allow=allow).services == ("http://ok.example/sparql",)
