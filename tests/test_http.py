"""What every response of the server says, over a real server on the seed's build: CORS on every
read-only resource, security headers on HTML, ETag / If-None-Match → 304 and Cache-Control on
what comes from the build, RDF/XML where RDF is served, no page that loads anything from the
network (/docs is gone); and, on /sparql: format= / output=, JSON-LD for CONSTRUCT on
application/json, 406 and 502 where they are right, the result cache and its Cache-Status,
predeclared prefixes, a rebuild seen without a restart, and quiet logs when a client goes away.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import logging
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from synthetic import generate, version_date

from plangraph.config import Settings
from plangraph.web.app import create_app
from plangraph.web.cache import ResultCache
from plangraph.web.workers import Answer

from .conftest import SEED, run_cli
from .server import LiveServer

ID = "https://w3id.org/plangraph/id/"
PG = "https://w3id.org/plangraph/ontology#"
MEASURE = "plan/2014-04-15/measure/1.1.5.8"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
COUNT = "SELECT (COUNT(?m) AS ?n) WHERE { ?m a pg:Measure }"  # pg: predeclared
CONSTRUCT = "CONSTRUCT { ?m a pg:Measure } WHERE { ?m a pg:Measure } LIMIT 3"
# Every read-only resource, as a client reads it.
RESOURCES = ["/", f"/id/{MEASURE}", f"/id/{MEASURE}.ttl", "/id/agency/moj-aac", "/data/",
             "/data/plangraph.nt", "/.well-known/void", "/ontology", "/ontology.ttl", "/charts",
             "/charts/workload.svg", "/sparql", f"/sparql?query={COUNT}", "/openapi.json",
             "/static/site.css"]
_fresh = itertools.count()


@pytest.fixture(scope="module")
def live(built: Settings) -> Iterator[LiveServer]:
    with LiveServer(create_app(built)) as server:
        yield server


@pytest.fixture(scope="module")
def client(live: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, timeout=30) as c:
        yield c


def fresh(query: str = COUNT) -> str:
    """The query again, as one the result cache has not seen (another variable name)."""
    return query.replace("?n", f"?n{next(_fresh)}")


# -- CORS and security headers ---------------------------------------------------------------------

@pytest.mark.parametrize("path", RESOURCES)
def test_cors_on_every_read_only_resource(client: httpx.Client, path: str) -> None:
    r = client.get(path, headers={"Origin": "https://client.example"})
    assert r.status_code == 200, (path, r.text[:200])
    assert r.headers["access-control-allow-origin"] == "*"
    assert "ETag" in r.headers["access-control-expose-headers"]
    assert r.headers["x-content-type-options"] == "nosniff"
    # a preflight, as a browser sends it before a request with If-None-Match
    r = client.options(path.split("?")[0], headers={
        "Origin": "https://client.example", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "if-none-match"})
    assert r.status_code == 204
    assert r.headers["access-control-allow-origin"] == "*"
    assert "GET" in r.headers["access-control-allow-methods"]
    assert "if-none-match" in r.headers["access-control-allow-headers"].lower()


def test_errors_carry_cors_too(client: httpx.Client) -> None:
    for r in (client.get("/id/nothing-here"), client.get("/sparql", params={"query": "ASK {"}),
              client.get("/data/secret.txt")):
        assert r.status_code in (400, 404)
        assert r.headers["access-control-allow-origin"] == "*"
        assert r.headers["cache-control"] == "no-store" or r.request.url.path == "/sparql"


def test_html_may_not_be_framed_and_sends_no_referrer_elsewhere(client: httpx.Client) -> None:
    for path in ("/", f"/id/{MEASURE}", "/ontology", "/.well-known/void", "/data/", "/charts"):
        r = client.get(path, headers={"Accept": BROWSER})
        assert r.headers["content-type"].startswith("text/html"), path
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["content-security-policy"] == "frame-ancestors 'none'"
        assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert r.headers["x-content-type-options"] == "nosniff"
    # not HTML: no frame rules, but nosniff
    r = client.get(f"/id/{MEASURE}.ttl")
    assert "x-frame-options" not in r.headers and r.headers["x-content-type-options"] == "nosniff"


def test_docs_are_gone_and_nothing_loads_from_a_cdn(client: httpx.Client) -> None:
    for path in ("/docs", "/redoc"):
        assert client.get(path).status_code == 404
    spec = client.get("/openapi.json").json()
    assert "/sparql" in spec["paths"]
    assert "cdn" not in json.dumps(spec).lower()


# -- conditional GET -------------------------------------------------------------------------------

CONDITIONAL = [f"/id/{MEASURE}", f"/id/{MEASURE}.rdf", "/data/plangraph.nq",
               "/.well-known/void", "/ontology", "/ontology.ttl", "/charts/network.svg",
               f"/sparql?query={COUNT}", "/sparql"]


@pytest.mark.parametrize("path", CONDITIONAL)
def test_etag_and_304(client: httpx.Client, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    etag = r.headers["etag"]
    assert etag.startswith('W/"')
    assert r.headers["cache-control"] == "public, max-age=0, must-revalidate"
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert again.headers["access-control-allow-origin"] == "*"
    assert client.get(path, headers={"If-None-Match": f"W/\"x\", {etag}"}).status_code == 304
    # another ETag, or another representation (Accept), is answered in full
    assert client.get(path, headers={"If-None-Match": 'W/"other"'}).status_code == 200
    other = client.get(path, headers={"Accept": "application/n-triples, */*;q=0.1",
                                      "If-None-Match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag


def test_post_and_the_console_have_no_etag(client: httpx.Client) -> None:
    r = client.post("/sparql", content=COUNT.encode(),
                    headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 200 and "etag" not in r.headers
    assert "etag" not in client.get("/").headers


# -- RDF/XML ---------------------------------------------------------------------------------------

def test_pages_and_the_ontology_in_rdf_xml(client: httpx.Client) -> None:
    for path in (f"/id/{MEASURE}", "/ontology", "/.well-known/void"):
        r = client.get(path, headers={"Accept": "application/rdf+xml"})
        assert r.status_code == 200, (path, r.text[:300])
        assert r.headers["content-type"].startswith("application/rdf+xml")
        triples = list(ox.parse(r.content, format=ox.RdfFormat.RDF_XML))
        assert len(triples) > 10
    by_suffix = client.get(f"/id/{MEASURE}.rdf")
    by_accept = client.get(f"/id/{MEASURE}", headers={"Accept": "application/rdf+xml"})
    assert by_accept.headers["content-location"] == f"/id/{MEASURE}.rdf"
    graph = {t.triple if isinstance(t, ox.Quad) else t
             for t in ox.parse(by_suffix.content, format=ox.RdfFormat.RDF_XML)}
    turtle = {t.triple if isinstance(t, ox.Quad) else t
              for t in ox.parse(client.get(f"/id/{MEASURE}.ttl").content,
                                format=ox.RdfFormat.TURTLE)}
    assert graph == turtle  # the same statements as the Turtle
    assert ox.Triple(ox.NamedNode(ID + MEASURE),
                     ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                     ox.NamedNode(PG + "Measure")) in graph
    onto = client.get("/ontology.rdf")
    assert onto.status_code == 200
    assert len(list(ox.parse(onto.content, format=ox.RdfFormat.RDF_XML))) == len(list(
        ox.parse(client.get("/ontology.nt").content, format=ox.RdfFormat.N_TRIPLES)))


# -- /sparql: formats -------------------------------------------------------------------------------

@pytest.mark.parametrize("param", ["format", "output"])
@pytest.mark.parametrize("name, media_type", [
    ("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
    ("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
    ("application/sparql-results+xml", "application/sparql-results+xml")])
def test_format_chooses_the_results_format(client: httpx.Client, param: str, name: str,
                                           media_type: str) -> None:
    # format= wins over Accept (as Fuseki and Virtuoso take it)
    r = client.get("/sparql", params={"query": COUNT, param: name},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == media_type
    if media_type == "text/csv":
        assert r.text.splitlines() == ["n", "91"]
    else:
        fmt = ox.QueryResultsFormat.from_media_type(media_type)
        assert [s["n"].value for s in ox.parse_query_results(r.content, fmt)] == ["91"]


@pytest.mark.parametrize("name, media_type", [
    ("turtle", "text/turtle"), ("ttl", "text/turtle"), ("nt", "application/n-triples"),
    ("jsonld", "application/ld+json"), ("json", "application/ld+json"),
    ("xml", "application/rdf+xml"), ("rdf+xml", "application/rdf+xml")])
def test_format_chooses_the_graph_format(client: httpx.Client, name: str,
                                         media_type: str) -> None:
    r = client.get("/sparql", params={"query": CONSTRUCT, "format": name})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == media_type
    assert len(list(ox.parse(r.content, format=ox.RdfFormat.from_media_type(media_type)))) == 3


def test_unknown_or_unfitting_formats(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": COUNT, "format": "yaml"})
    assert r.status_code == 400 and "unknown format 'yaml'" in r.json()["error"]["detail"]
    r = client.get("/sparql", params={"query": CONSTRUCT, "format": "csv"})
    assert r.status_code == 406 and "format=csv" in r.json()["error"]["detail"]


def test_construct_with_accept_json_is_json_ld(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "application/json"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/ld+json"
    doc = r.json()
    assert len(list(ox.parse(r.content, format=ox.RdfFormat.JSON_LD))) == 3
    assert isinstance(doc, dict | list)
    # …while a SELECT with the same Accept is SPARQL JSON
    r = client.get("/sparql", params={"query": COUNT}, headers={"Accept": "application/json"})
    assert r.headers["content-type"] == "application/sparql-results+json"


TRIPLE_TERM = ("CONSTRUCT { <urn:a> <urn:says> <<( <urn:s> <urn:p> <urn:o> )>> } WHERE {}")


def test_json_ld_of_triple_terms_is_406_not_500(client: httpx.Client) -> None:
    for kw in ({"headers": {"Accept": "application/ld+json"}}, {"params": {"format": "jsonld"}}):
        r = client.get("/sparql", params={"query": TRIPLE_TERM, **kw.get("params", {})},
                       headers=kw.get("headers", {}))
        assert r.status_code == 406, r.text
        assert "triple terms" in r.json()["error"]["detail"]
        assert "Turtle or N-Triples" in r.json()["error"]["detail"]
    r = client.get("/sparql", params={"query": TRIPLE_TERM}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and b"<<(" in r.content


def test_a_failing_allow_listed_service_is_502(built: Settings) -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}/sparql"
    settings = dataclasses.replace(built, service_allow=[closed])
    with LiveServer(create_app(settings)) as live, httpx.Client(base_url=live.url) as c:
        r = c.get("/sparql", params={"query": f"SELECT * WHERE {{ SERVICE <{closed}> "
                                              "{ ?s ?p ?o } }"}, timeout=30)
        assert r.status_code == 502, r.text
        assert r.json()["error"]["title"] == "Bad Gateway"
        assert closed in r.json()["error"]["detail"]
        assert c.get("/sparql", params={"query": fresh()}).status_code == 200


# -- predeclared prefixes --------------------------------------------------------------------------

def test_the_project_prefixes_are_predeclared_and_a_query_own_prefix_wins(
        client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": "SELECT (COUNT(?m) AS ?k) WHERE { ?m a pg:Measure "
                                               "; skos:inScheme ?v . ?v a pg:PlanVersion }"})
    assert r.json()["results"]["bindings"][0]["k"]["value"] == "91"
    r = client.get("/sparql", params={"query": "PREFIX pg: <http://example.org/other#> "
                                               "SELECT (COUNT(?m) AS ?k) WHERE { ?m a pg:Measure }"})
    assert r.json()["results"]["bindings"][0]["k"]["value"] == "0"
    # Turtle answers are written with the prefixes the query uses
    r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/turtle"})
    assert r.text.startswith(f"@prefix pg: <{PG}> .")
    assert "@prefix skos:" not in r.text


def test_an_unknown_prefix_is_named_with_its_prefix_line(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s schema:name ?n }"})
    assert r.status_code == 400
    assert r.json()["error"]["title"] == "Query syntax error"
    assert r.json()["error"]["detail"] == (
        "unknown prefix `schema:` (line 1, column 21): declare it with a PREFIX line at the top "
        "of the query: PREFIX schema: <http://schema.org/>")


# -- the result cache ------------------------------------------------------------------------------

def test_repeated_queries_come_from_the_cache(client: httpx.Client) -> None:
    query = fresh()
    first = client.get("/sparql", params={"query": query})
    assert first.headers["cache-status"] == "plangraph; fwd=miss; stored"
    # the same query, other comments and white space: the same answer, from the cache
    again = client.post("/sparql", content=f"# again\n{query}\n\n".encode(),
                        headers={"Content-Type": "application/sparql-query"})
    assert again.headers["cache-status"] == "plangraph; hit"
    assert again.content == first.content
    # another format is another answer
    csv = client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert csv.headers["cache-status"] == "plangraph; fwd=miss; stored"


def test_the_cache_is_bounded_in_bytes() -> None:
    cache = ResultCache(max_bytes=4000)
    answer = Answer("text/csv", b"x" * 700, "results")
    build = ("dev", 1, 2)
    for i in range(8):
        assert cache.get(build, i) is None
        assert cache.put(build, i, answer)
    assert cache.bytes <= 4000 and len(cache) == 4  # (700 + 256) × 4
    assert cache.get(build, 0) is None and cache.get(build, 7) is not None  # oldest out
    assert not cache.put(build, "big", Answer("text/csv", b"x" * 1001, "results"))  # > 1/4
    # another build: nothing of the old one is kept, nor stored late
    assert cache.get(("dev", 1, 3), 7) is None and len(cache) == 0
    assert not cache.put(build, 7, answer)


# -- a rebuild is served without a restart ---------------------------------------------------------

def test_a_rebuild_refreshes_the_cache_the_etags_and_the_service_description(
        built: Settings, tmp_path: Path) -> None:
    out = tmp_path / "build"
    shutil.copytree(built.out, out)
    settings = dataclasses.replace(built, out=out)
    later_graph = f"{ID}graph/plan/{version_date(0)}"
    with LiveServer(create_app(settings)) as live, \
            httpx.Client(base_url=live.url, timeout=30) as c:
        def measures() -> httpx.Response:
            return c.get("/sparql", params={"query": COUNT.replace("?m a", "?m a")})

        first = measures()
        assert first.json()["results"]["bindings"][0]["n"]["value"] == "91"
        assert measures().headers["cache-status"] == "plangraph; hit"
        etag = first.headers["etag"]
        described = c.get("/sparql").text
        assert later_graph not in described
        # a second version is built into the same folder, and swapped in
        (later,) = generate(1, tmp_path / "src", start=0)
        run_cli("build", "--source", str(SEED), str(later), "--out", str(out))
        after = measures()
        assert after.headers["cache-status"] == "plangraph; fwd=miss; stored"
        assert after.json()["results"]["bindings"][0]["n"]["value"] == "182"
        assert after.headers["etag"] != etag
        assert c.get("/sparql", params={"query": COUNT},
                     headers={"If-None-Match": etag}).status_code == 200
        assert later_graph in c.get("/sparql").text


# -- logs ------------------------------------------------------------------------------------------

def test_a_client_that_goes_away_is_no_error(live: LiveServer, client: httpx.Client,
                                             caplog: pytest.LogCaptureFixture) -> None:
    host, port = live.url.removeprefix("http://").split(":")
    with caplog.at_level(logging.DEBUG):
        with socket.create_connection((host, int(port))) as sock:
            sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: "
                         b"application/sparql-query\r\nContent-Length: 1000\r\n\r\nSELECT")
            time.sleep(0.3)
        time.sleep(0.5)
        assert client.get("/sparql", params={"query": fresh()}).status_code == 200
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert errors == [], [r.getMessage() for r in errors]
    assert any("disconnected" in r.getMessage() for r in caplog.records)
