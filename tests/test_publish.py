"""`plangraph publish` against a real Oxigraph server (`oxigraph serve`, PyPI package `oxigraph`).

Each test starts its own server on 127.0.0.1 and a free port, over an empty folder, runs the real
CLI in a subprocess, and compares the server's content with the local built store, counted per
named graph (queried with SPARQLWrapper). A refusing endpoint is a tiny http.server in a thread.
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from plangraph.config import Settings
from plangraph.publish import chunks

from .conftest import run_cli

PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
ONTOLOGY_GRAPH = "https://w3id.org/plangraph/id/graph/ontology"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_executable() -> str:
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    exe = shutil.which("oxigraph", path=path)
    assert exe, "the `oxigraph` server is not installed (PyPI package oxigraph, in the test extra)"
    return exe


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[str]:
    """A real Oxigraph server over an empty folder; yields its base URL."""
    port = free_port()
    log = (tmp_path / "oxigraph.log").open("wb")
    proc = subprocess.Popen([oxigraph_executable(), "serve", "--location", str(tmp_path / "db"),
                             "--bind", f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"oxigraph exited with {proc.returncode}: "
                                   f"{(tmp_path / 'oxigraph.log').read_text(errors='replace')}")
            try:
                if httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=2).is_success:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("oxigraph did not answer within 30 s")
            time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def remote_counts(url: str, query: str = PER_GRAPH) -> dict[str, int]:
    client = SPARQLWrapper(f"{url}/query")
    client.setQuery(query)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    rows = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}


def local_counts(built: Settings, query: str = PER_GRAPH) -> dict[str, int]:
    store = ox.Store.read_only(str(built.store_path))
    return {r["g"].value: int(r["n"].value) for r in store.query(query)}  # type: ignore[union-attr]


def remote_graph(url: str, graph: str) -> Graph:
    response = httpx.get(f"{url}/store", params={"graph": graph},
                         headers={"Accept": "application/n-triples"}, timeout=30)
    response.raise_for_status()
    return Graph().parse(data=response.text, format="nt")


def local_graph(built: Settings, graph: str) -> Graph:
    store = ox.Store.read_only(str(built.store_path))
    triples = [q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))]
    data = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode()
    return Graph().parse(data=data, format="nt")


# -- publishing to a real Oxigraph server ----------------------------------------------------------

def test_publish_twice_with_the_graph_store_protocol(built: Settings, oxigraph: str) -> None:
    expected = local_counts(built)
    assert len(expected) >= 3  # a version, the registry, the ontology
    for _ in range(2):
        proc = run_cli("publish", "--endpoint", oxigraph, "--out", str(built.out))
        for graph, n in expected.items():
            assert f"{graph}: {n} triples in" in proc.stderr
        assert f"{sum(expected.values())} triples" in proc.stderr
    assert remote_counts(oxigraph) == expected   # twice, and nothing duplicated


def test_publish_with_sparql_update_replaces_and_keeps_blank_nodes(built: Settings,
                                                                   oxigraph: str) -> None:
    """Small chunks: many INSERT DATA per graph; the ontology's blank nodes (OWL lists and
    restrictions) must come out as the same structure, not as split nodes."""
    expected = local_counts(built)
    run_cli("publish", "--endpoint", oxigraph, "--out", str(built.out))  # something to replace
    for _ in range(2):
        run_cli("publish", "--endpoint", oxigraph, "--protocol", "update", "--chunk", "300",
                "--out", str(built.out))
    assert remote_counts(oxigraph) == expected
    assert isomorphic(remote_graph(oxigraph, ONTOLOGY_GRAPH), local_graph(built, ONTOLOGY_GRAPH))


def test_publish_into_one_graph(built: Settings, oxigraph: str) -> None:
    into = "http://example.org/plangraph-all"
    distinct = ("SELECT (<urn:all> AS ?g) (COUNT(*) AS ?n) WHERE { "
                "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?x { ?s ?p ?o } } }")
    n = local_counts(built, distinct)["urn:all"]
    for _ in range(2):
        run_cli("publish", "--endpoint", oxigraph, "--graph", into, "--out", str(built.out))
    assert remote_counts(oxigraph) == {into: n}


# -- errors ----------------------------------------------------------------------------------------

def test_connection_refused_is_a_clear_error_exit_2(built: Settings) -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    proc = run_cli("publish", "--endpoint", url, "--out", str(built.out), check=False)
    assert proc.returncode == 2, proc.stderr
    assert f"error: cannot connect to {url}/store: connection refused" in proc.stderr
    assert "nothing was published" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_wrong_path_is_a_clear_error_exit_1(built: Settings, oxigraph: str) -> None:
    proc = run_cli("publish", "--endpoint", oxigraph, "--gsp-path", "/nowhere", "--out",
                   str(built.out), check=False)
    assert proc.returncode == 1, proc.stderr
    assert f"PUT {oxigraph}/nowhere answered 404" in proc.stderr
    assert remote_counts(oxigraph) == {}


def test_no_build_is_exit_2(tmp_path: Path, oxigraph: str) -> None:
    proc = run_cli("publish", "--endpoint", oxigraph, "--out", str(tmp_path / "none"), check=False)
    assert proc.returncode == 2
    assert "run `plangraph build` first" in proc.stderr


class _RefuseSecond(BaseHTTPRequestHandler):
    """Accepts the first PUT, answers the others 401 with a message of its own."""

    puts: list[str] = []

    def do_PUT(self) -> None:  # noqa: N802 — http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        type(self).puts.append(self.path)
        if len(type(self).puts) == 1:
            self.send_response(204)
            self.end_headers()
            return
        body = b"Unauthorized: this realm needs a password"
        self.send_response(401)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_a_failure_midway_reports_what_was_published(built: Settings) -> None:
    _RefuseSecond.puts = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RefuseSecond)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        proc = run_cli("publish", "--endpoint", url, "--out", str(built.out), check=False)
    finally:
        server.shutdown()
        server.server_close()
    graphs = sorted(local_counts(built))
    assert proc.returncode == 1, proc.stderr
    assert "answered 401 Unauthorized: Unauthorized: this realm needs a password" in proc.stderr
    report = proc.stderr.split("published before the failure", 1)[1]
    assert graphs[0] in report.split("not published")[0]          # the first one went through
    assert f"failed: {graphs[1]} (was not changed)" in proc.stderr
    for graph in graphs[2:]:
        assert graph in report.split("not published", 1)[1]
    assert len(_RefuseSecond.puts) == 2                             # it stopped at the failure


# -- chunks ----------------------------------------------------------------------------------------

def test_chunks_never_split_triples_linked_by_a_blank_node() -> None:
    ex = "http://example.org/"
    b1, b2 = ox.BlankNode("b1"), ox.BlankNode("b2")
    p = ox.NamedNode(ex + "p")
    triples = [ox.Triple(ox.NamedNode(ex + str(i)), p, ox.Literal(str(i))) for i in range(5)]
    triples += [ox.Triple(ox.NamedNode(ex + "s"), p, b1), ox.Triple(b1, p, b2),
                ox.Triple(b2, p, ox.Literal("x")), ox.Triple(b2, p, ox.Literal("y"))]
    parts = list(chunks(triples, 2))
    assert sum(map(len, parts)) == len(triples)
    holding = [part for part in parts if any(b1 in (t.subject, t.object) for t in part)]
    assert len(holding) == 1 and len(holding[0]) == 4   # one chunk holds the whole b1–b2 group


# -- a request that may have been applied; credentials --------------------------------------------

class _Unsure(BaseHTTPRequestHandler):
    """Reads each PUT whole, then answers as `mode` says: "drop" closes the connection without
    an answer, "500" fails, "slow" answers after the client's timeout, "echo" refuses with a
    body that repeats the credentials it was sent."""

    mode = "drop"

    def do_PUT(self) -> None:  # noqa: N802 — http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.mode == "drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if self.mode == "slow":
            time.sleep(3)
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            auth += " = " + base64.b64decode(auth.split()[1]).decode()
        status, body = (500, b"internal error") if self.mode in ("500", "slow") else (
            403, f"forbidden for {self.path} with {auth}".encode())
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def unsure_server(mode: str) -> tuple[ThreadingHTTPServer, str]:
    handler = type(f"Unsure_{mode}", (_Unsure,), {"mode": mode})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"127.0.0.1:{server.server_address[1]}"


@pytest.mark.parametrize("mode", ["drop", "500", "slow"])
def test_a_request_the_store_may_have_applied_is_state_unknown(built: Settings, mode) -> None:
    server, address = unsure_server(mode)
    try:
        proc = run_cli("publish", "--endpoint", f"http://{address}", "--timeout", "1",
                       "--out", str(built.out), check=False)
    finally:
        server.shutdown()
        server.server_close()
    first = sorted(local_counts(built))[0]
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert (f"  failed: {first} (state unknown: the store may have applied the request: "
            "publish again or check)") in proc.stderr
    assert "was not changed" not in proc.stderr and "nothing was published" not in proc.stderr


def test_credentials_are_masked_in_every_message(built: Settings) -> None:
    # in the endpoint's user:password@, unreachable
    url = f"http://alice:s3cret-pw@127.0.0.1:{free_port()}"
    proc = run_cli("publish", "--endpoint", url, "--out", str(built.out), check=False)
    assert proc.returncode == 2
    assert "alice:***@127.0.0.1" in proc.stderr and "s3cret-pw" not in proc.stderr
    # given as --password, or a token, and echoed back by a store that refuses them
    server, address = unsure_server("echo")
    try:
        with_password = run_cli("publish", "--endpoint", f"http://carol:url-pw@{address}",
                                "--user", "bob", "--password", "hunter2-pw", "--out",
                                str(built.out), check=False)
        with_token = run_cli("publish", "--endpoint", f"http://{address}", "--out",
                             str(built.out), check=False,
                             env={**os.environ, "PLANGRAPH_PUBLISH_TOKEN": "tok-123"})
    finally:
        server.shutdown()
        server.server_close()
    for proc in (with_password, with_token):
        assert proc.returncode == 1, proc.stderr
        assert "was not changed" in proc.stderr
        for secret in ("url-pw", "hunter2-pw", "tok-123"):
            assert secret not in proc.stderr + proc.stdout
    assert f"carol:***@{address}" in with_password.stderr
    assert "with Basic *** = bob:***" in with_password.stderr      # base64 hides nothing
    assert "with Bearer ***" in with_token.stderr


def test_an_endpoint_that_is_no_url(built: Settings) -> None:
    proc = run_cli("publish", "--endpoint", "ftp://example.org/store", "--out", str(built.out),
                   check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "error: ftp://example.org/store/store: not an http(s) URL of a store" in proc.stderr
