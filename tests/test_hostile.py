"""Hostile requests against a real server (127.0.0.1, a 2 s query timeout, the default size and row
limits): each gets a 4xx, or 503 (the documented timeout status), never a 5xx of ours and never a
200 with what it should not give; and after each, the server still answers a normal query, right
and quickly.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import socket
import time
from collections.abc import Callable, Iterator

import httpx
import pytest

from plangraph.config import Settings
from plangraph.web.app import create_app

from .server import LiveServer

TIMEOUT = 2.0
PG = "https://w3id.org/plangraph/ontology#"
COUNT = f"SELECT (COUNT(?m) AS ?n) WHERE {{ ?m a <{PG}Measure> }}"
DIRECT = {"Content-Type": "application/sparql-query"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
UPDATE = {"Content-Type": "application/sparql-update"}
TIMED_OUT = 503


@pytest.fixture(scope="module")
def server(built: Settings) -> Iterator[LiveServer]:
    settings = dataclasses.replace(built, query_timeout=TIMEOUT)
    with LiveServer(create_app(settings)) as live:
        yield live


@pytest.fixture
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


_fresh = itertools.count()


def healthy(client: httpx.Client) -> None:
    """A normal query answers correctly and quickly (a worker killed by a timeout is replaced in
    the background, so allow it a moment). Each time a query the result cache has not seen (its
    own variable name), so that a worker answers it."""
    deadline = time.monotonic() + 10
    while True:
        name = f"n{next(_fresh)}"
        started = time.monotonic()
        r = client.get("/sparql", params={"query": COUNT.replace("?n", f"?{name}")})
        took = time.monotonic() - started
        if r.status_code == 200 and took < 1.0:
            break
        assert time.monotonic() < deadline, f"unhealthy after the attack: {r.status_code} in " \
                                            f"{took:.2f} s: {r.text[:200]}"
        time.sleep(0.2)
    assert r.headers["cache-status"] == "plangraph; fwd=miss; stored"
    assert r.json()["results"]["bindings"][0][name]["value"] == "91"


Send = Callable[[httpx.Client], httpx.Response]


class RawResponse:
    """Enough of httpx.Response for the checks, from a raw HTTP/1.1 exchange."""

    def __init__(self, data: bytes):
        head, _, self.content = data.partition(b"\r\n\r\n")
        self.status_code = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
        self.headers = dict(line.decode("latin-1").split(": ", 1)
                            for line in head.split(b"\r\n")[1:] if b": " in line)
        self.text = self.content.decode("utf-8", "replace")

    def json(self) -> dict:
        return json.loads(self.content)


def raw(target: str) -> Send:
    """A GET of `target` sent as it is, past httpx's own URL length limit (64 KiB)."""
    def send(c: httpx.Client) -> RawResponse:
        url = httpx.URL(str(c.base_url))
        with socket.create_connection((url.host, url.port), timeout=30) as sock:
            sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {url.host}\r\nConnection: close"
                         "\r\n\r\n".encode("latin-1"))
            chunks = []
            try:
                while chunk := sock.recv(65536):
                    chunks.append(chunk)
            except ConnectionResetError:
                pass  # closed on us with the request unread: a refusal (status 0 if no answer)
        return RawResponse(b"".join(chunks))
    return send


def get(query: str, **params: str) -> Send:
    return lambda c: c.get("/sparql", params={"query": query, **params})


def post(body: bytes | str, headers: dict[str, str]) -> Send:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return lambda c: c.post("/sparql", content=data, headers=headers)


def nested(depth: int) -> str:
    return "SELECT * WHERE " + "{ " * depth + "?s ?p ?o " + "} " * depth + "LIMIT 1"


ALL_LITERALS = "SELECT ?o WHERE {{ ?s ?p ?o FILTER (isLiteral(?o) && REGEX(STR(?o), {})) }}"

# A 1 KB query whose answer is over 100 MB: 10 000 rows (the row limit) of a measure's text
# (~60 characters of UTF-8, ~180 bytes) written 64 times over: ~115 MB.
HUNDRED_MB = (f"SELECT (CONCAT({', '.join(['?t'] * 64)}) AS ?x) WHERE {{ ?m <{PG}text> ?t . "
              f"?a <{PG}text> ?u . ?b <{PG}text> ?v }} LIMIT 10000")
# …and one string of 100 MB in one row: a ten-character string, concatenated ten times over, seven
# times. Building it takes about a second: a 422 or the timeout.
ONE_HUNDRED_MB_STRING = ('SELECT ?a7 WHERE { BIND("0123456789" AS ?a0) '
                         + " ".join(f"BIND(CONCAT({', '.join([f'?a{i}'] * 10)}) AS ?a{i + 1})"
                                    for i in range(7)) + " }")
# The flat chains that overflowed a worker's stack (a 500): refused by the guard (400).
CHAINS = {
    "10 000 + terms": "SELECT (1" + "+1" * 10_000 + " AS ?x) {}",
    "a 10 000-step path": f"PREFIX pg: <{PG}> SELECT * {{ ?s " + "/".join(["pg:p"] * 10_000)
                          + " ?o }",
    "20 000 OPTIONAL {}": "SELECT * {" + " OPTIONAL {}" * 20_000 + " }",
    "10 000 BINDs": "SELECT * {" + "".join(f" BIND(1 AS ?v{i})" for i in range(10_000)) + " }",
}
A_DOT_A = "a." * 32_768  # 64 KB, whose inspection once took 20 s and stalled every client

# pyoxigraph's parser recurses per nesting level: a few thousand levels would overflow the worker's
# stack and kill it; the guard refuses nesting deeper than sparql_guard.MAX_NESTING (256).

# (name, request, statuses it may get; 0: the server closed the connection without an answer)
ATTACKS: list[tuple[str, Send, set[int]]] = [
    ("query over the size cap (POST)", post("SELECT * WHERE { ?s ?p ?o } #" + "x" * 300_000,
                                            DIRECT), {413}),
    ("form over the size cap", post("query=" + "x" * 300_000, FORM), {413}),
    # a request line over h11's 64 KiB read buffer is refused by uvicorn itself (400, plain text)
    ("URL over the size cap", raw("/sparql?query=ASK%7B%7D&pad=" + "x" * 300_000),
     {0, 400, 414}),
    ("URL of 60 KB", get("ASK {}", pad="x" * 60_000), {200, 400, 414}),
    ("200 nested groups", get(nested(200)), {200}),
    ("1000 nested groups", get(nested(1000)), {400}),
    ("5000 nested groups (10 KB)", get(nested(5000)), {400}),
    ("5000 nested parentheses", get(
        "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 5000 + "?o" + ")" * 5000 + ") }"), {400}),
    ("60 000 nested groups (POST)", post(nested(60_000), DIRECT), {400, 413}),
    ("1000 nested OPTIONALs", get("SELECT * WHERE { ?s ?p ?o "
                                  + "OPTIONAL { ?s ?p ?o " * 1000 + "}" * 1000 + "} LIMIT 1"),
     {200, 400, TIMED_OUT}),
    ("catastrophic regex over all literals", get(ALL_LITERALS.format('"^(a+)+$"')),
     {200, 422, TIMED_OUT}),
    ("catastrophic regex, nested quantifiers", get(ALL_LITERALS.format('"((.*)*)*x$"')),
     {200, 422, TIMED_OUT}),
    ("regex over 100k repeated text", get(
        'SELECT ?x WHERE { ?s ?p ?o BIND(CONCAT(STR(?o), STR(?o), STR(?o)) AS ?x) '
        'FILTER REGEX(?x, "(.*a){20}") }'), {200, 422, TIMED_OUT}),
    ("cross product, huge result", get("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"),
     {422, TIMED_OUT}),
    ("cross product, counted", get("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . "
                                   "?g ?h ?i }"), {TIMED_OUT}),
    ("huge CONSTRUCT", get("CONSTRUCT { ?a ?b ?f } WHERE { ?a ?b ?c . ?d ?e ?f }"),
     {422, TIMED_OUT}),
    ("SERVICE to 127.0.0.1:22", get("SELECT * WHERE { SERVICE <http://127.0.0.1:22/> "
                                    "{ ?s ?p ?o } }"), {400}),
    ("SERVICE to the metadata address", get(
        "SELECT * WHERE { SERVICE <http://169.254.169.254/latest/meta-data/> { ?s ?p ?o } }"),
     {400}),
    ("SERVICE to [::1]", get("SELECT * WHERE { SERVICE <http://[::1]:8000/sparql> "
                             "{ ?s ?p ?o } }"), {400}),
    ("SERVICE SILENT to localhost", get("SELECT * WHERE { SERVICE SILENT <http://localhost/> "
                                        "{ ?s ?p ?o } }"), {400}),
    ("SERVICE to file:", get("SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }"),
     {400}),
    ("SERVICE through a prefix", get("PREFIX x: <http://127.0.0.1:22/> SELECT * WHERE "
                                     "{ SERVICE x: { ?s ?p ?o } }"), {400}),
    ("SERVICE to a variable", get("SELECT * WHERE { VALUES ?e { <http://127.0.0.1:22/> } "
                                  "SERVICE ?e { ?s ?p ?o } }"), {400}),
    ("FROM file:", get("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"), {400}),
    ("LOAD file:", get("LOAD <file:///etc/passwd>"), {400}),
    ("LOAD file: via POST update", post("LOAD <file:///etc/passwd>", UPDATE), {400}),
    ("INSERT DATA", get('INSERT DATA { <urn:x> <urn:y> "z" }'), {400}),
    ("INSERT DATA via POST", post('INSERT DATA { <urn:x> <urn:y> "z" }', DIRECT), {400}),
    ("DROP ALL", get("DROP ALL"), {400}),
    ("CLEAR DEFAULT", get("CLEAR DEFAULT"), {400}),
    ("update= via GET", lambda c: c.get("/sparql", params={"update": "DROP ALL"}), {400}),
    ("update= via POST form", post("update=DROP%20ALL", FORM), {400}),
    ("sparql-update via POST", post("CLEAR ALL", UPDATE), {400}),
    ("DELETE WHERE after a prologue", get("PREFIX a: <urn:a> DELETE WHERE { ?s ?p ?o }"), {400}),
    ("PUT", lambda c: c.put("/sparql", content=b"<urn:a> <urn:b> <urn:c> ."), {405}),
    ("DELETE", lambda c: c.delete("/sparql"), {405}),
    ("NUL byte after the query", get("SELECT * WHERE { ?s ?p ?o }\x00 LIMIT 1"), {400}),
    ("NUL byte in a POST body", post(b"SELECT\x00 * WHERE { ?s ?p ?o }", DIRECT), {400}),
    ("invalid UTF-8 body", post(b"SELECT * WHERE { ?s ?p \"\xff\xfe\" }", DIRECT), {400}),
    ("invalid UTF-8 in the URL", lambda c: c.get("/sparql?query=ASK%20%7B%7D%FF"), {400}),
    ("invalid UTF-8 in a form", post(b"query=ASK%20%7B%7D%C3%28", FORM), {400}),
    ("wrong charset", post("ASK {}", {"Content-Type": "application/sparql-query; "
                                                      "charset=latin-1"}), {415}),
    ("10 000 query parameters", raw(
        "/sparql?" + "&".join(f"query=ASK%7B%7D{i}" for i in range(10_000))), {0, 400, 414}),
    ("10 000 query parameters in a form", post(
        "&".join(f"query=ASK%7B%7D{i}" for i in range(10_000)), FORM), {400}),
    ("10 000 other parameters and a query", post(
        "&".join(f"p{i}=1" for i in range(10_000)) + "&"
        + httpx.QueryParams({"query": COUNT}).__str__(), FORM), {200, 400}),
    ("10 000 default-graph-uri", post(
        "query=ASK%7B%7D&" + "&".join(f"default-graph-uri=urn:g{i}"
                                      for i in range(10_000)), FORM), {200, 400, 413}),
    # no media range in it: ignored, as HTTP allows
    ("a garbage Accept", (lambda c: c.get(
        "/sparql", params={"query": "ASK {}"}, headers={"Accept": "x" * 8000})), {200, 406}),
    ("a DESCRIBE of everything", get("DESCRIBE ?s WHERE { ?s ?p ?o }"), {200, 422, TIMED_OUT}),
    *((f"flat chain: {name}", post(query, DIRECT), {400}) for name, query in CHAINS.items()),
    ("64 KB of a.a.a…", post(A_DOT_A, DIRECT), {400}),
    ("a 100 MB answer from a 1 KB query", get(HUNDRED_MB), {422}),
    ("a 100 MB answer as XML", get(HUNDRED_MB, format="xml"), {422}),
    ("a 100 MB CONSTRUCT", get(
        f"CONSTRUCT {{ ?m <urn:p> ?x }} WHERE {{ ?m <{PG}text> ?t . ?a <{PG}text> ?u . "
        f"?b <{PG}text> ?v BIND(CONCAT({', '.join(['?t'] * 64)}, ?u, ?v) AS ?x) }} LIMIT 10000"),
     {422}),
    ("one 100 MB string", get(ONE_HUNDRED_MB_STRING), {422, TIMED_OUT}),
]


@pytest.mark.parametrize("name,send,allowed", ATTACKS,
                         ids=[a.values[0] if isinstance(a, type(pytest.param(1))) else a[0]
                              for a in ATTACKS])
def test_hostile_request(client: httpx.Client, name: str, send: Send, allowed: set[int]) -> None:
    started = time.monotonic()
    r = send(client)
    took = time.monotonic() - started
    assert r.status_code in allowed, f"{name}: {r.status_code} {r.text[:300]}"
    assert took < TIMEOUT + 5, f"{name}: answered after {took:.1f} s (timeout {TIMEOUT} s)"
    if r.status_code >= 400 and "json" in r.headers.get("content-type", ""):
        assert r.json()["error"]["status"] == r.status_code
    if r.status_code == 200 and "ASK {}" not in name:
        assert len(r.content) < 50_000_000
    healthy(client)


def test_the_64_kb_a_dot_a_query_is_refused_within_a_second(client: httpx.Client) -> None:
    started = time.monotonic()
    r = client.post("/sparql", content=A_DOT_A.encode(), headers=DIRECT)
    took = time.monotonic() - started
    assert r.status_code == 400 and r.json()["error"]["title"] == "Query too complex"
    assert took < 1.0, took
    healthy(client)


def test_flat_chains_never_reach_a_worker(server: LiveServer, client: httpx.Client) -> None:
    pool = server.app.state.sparql_pool
    before = pool.jobs
    for name, query in CHAINS.items():
        r = client.post("/sparql", content=query.encode(), headers=DIRECT)
        assert r.status_code == 400, (name, r.text[:200])
        assert r.json()["error"]["title"] == "Query too complex"
        assert "more than" in r.json()["error"]["detail"]
    assert pool.jobs == before  # refused before any worker was involved
    healthy(client)


def test_a_100_mb_answer_is_a_4xx_naming_the_cap(server: LiveServer,
                                                 client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": HUNDRED_MB})
    assert r.status_code == 422
    detail = r.json()["error"]["detail"]
    assert f"larger than {16 << 20} bytes" in detail and "max_response_bytes" in detail
    assert "LIMIT" in detail and "OFFSET" in detail  # how to page
    healthy(client)


def test_slow_readers_cannot_hold_the_server_s_memory(server: LiveServer,
                                                     client: httpx.Client) -> None:
    """Clients that ask for large answers and never read them: the answers on their way are held
    in the server, together at most 4 × max_response_bytes (64 MiB); past that, 503 Busy."""
    endpoint = server.app.state.sparql
    host, port = server.url.removeprefix("http://").split(":")
    # ~13 MB each (10 000 rows of twelve measure texts: too large to be cached, under the cap),
    # each a new query
    big = ("SELECT (CONCAT(" + ", ".join(["?t"] * 12) + ") AS ?x{i}) WHERE {{ ?m <" + PG
           + "text> ?t . ?a <" + PG + "text> ?u }} LIMIT 10000")
    readers, statuses = [], []
    try:
        for i in range(8):  # one after the other: each answered (or refused) before the next
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # a small window
            sock.connect((host, int(port)))
            body = big.format(i=i).encode()
            sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nAccept: text/csv\r\n"
                         b"Content-Type: application/sparql-query\r\nContent-Length: "
                         + str(len(body)).encode() + b"\r\n\r\n" + body)
            sock.settimeout(30)
            head = sock.recv(4096)  # the status line, and no more of the answer
            statuses.append(int(head.split(b" ", 2)[1]))
            if statuses[-1] == 503:
                assert b"slow clients" in head or b"slow clients" in sock.recv(4096)
            readers.append(sock)
        # 13 MB each: four of them fit in 64 MiB, the fifth does not
        assert statuses[:4] == [200] * 4 and 503 in statuses[4:], statuses
        assert 0 < endpoint.sending <= endpoint.max_sending == 4 * (16 << 20)
    finally:
        for sock in readers:
            sock.close()
    deadline = time.monotonic() + 10
    while endpoint.sending:  # the clients went away: their answers are let go
        assert time.monotonic() < deadline, endpoint.sending
        time.sleep(0.1)
    healthy(client)


def test_a_10_mb_header_is_refused(server: LiveServer, client: httpx.Client) -> None:
    # h11 (uvicorn's HTTP parser) stops reading a header block past 64 KiB; the answer is a 4xx
    # or the connection closed before the upload ends, never a 200 or a 5xx.
    try:
        with httpx.Client(base_url=server.url, timeout=30) as c:
            r = c.get("/sparql", params={"query": "ASK {}"}, headers={"X-Big": "a" * 10_000_000})
        assert 400 <= r.status_code < 500, r.status_code
    except httpx.TransportError:
        pass  # the server closed the connection on the oversized header
    healthy(client)


def test_many_timeouts_in_a_row_leave_the_pool_whole(server: LiveServer,
                                                     client: httpx.Client) -> None:
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    pool = server.app.state.sparql_pool
    for _ in range(3):
        assert client.get("/sparql", params={"query": runaway}).status_code == TIMED_OUT
    healthy(client)
    deadline = time.monotonic() + 20
    while len(pool.pids) < pool.size and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(pool.pids) == pool.size
