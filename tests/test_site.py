"""The browser side of the server: console, linked-data pages, dumps, VoID, ontology.

Against a real uvicorn server over the seed's build (the wire matters for conneg, media types and
paths); apps with another build folder or base go through FastAPI's TestClient.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, Namespace, URIRef

from plangraph.config import Settings
from plangraph.web import conneg
from plangraph.web.app import create_app
from plangraph.web.console import library, vendored
from plangraph.web.deps import VENDOR

from .conftest import PROJECT, SEED, run_cli
from .server import LiveServer

BASE = "https://w3id.org/plangraph/id/"
PG = Namespace("https://w3id.org/plangraph/ontology#")
VOID = Namespace("http://rdfs.org/ns/void#")
DCT = Namespace("http://purl.org/dc/terms/")
MEASURE = "plan/2014-04-15/measure/1.1.5.8"
MEASURE_TEXT = ("對涉有風紀或貪瀆不法情事之高階及其他身分特殊之公務人員，"
                "啟動「廉政查緝隊」積極執行蒐證。")
AGENCY = "agency/moj-aac"
NOT_VENDORED = ("src/plangraph/web/static/vendor/ has no YASGUI: run "
                "`npm ci --ignore-scripts && scripts/vendor-yasgui` first")
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def server(built: Settings) -> Iterator[str]:
    with LiveServer(create_app(built)) as live:
        yield live.url


@pytest.fixture(scope="module")
def client(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=30) as c:
        yield c


def page(client: httpx.Client, path: str) -> str:
    r = client.get(path, headers={"Accept": BROWSER_ACCEPT})
    assert r.status_code == 200, (path, r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith("text/html")
    return r.text


def text_of(html_text: str) -> str:
    """The visible text of a page, roughly: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", " ", html_text))


def hrefs(html_text: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]*)"', html_text)]


def turtle(data: bytes | str) -> Graph:
    return Graph().parse(data=data, format="turtle")


# -- resource pages --------------------------------------------------------------------------------

def test_measure_page_shows_text_source_line_and_lead_agency(client: httpx.Client) -> None:
    line_29 = SEED.read_text(encoding="utf-8").splitlines()[28]
    assert MEASURE_TEXT in line_29                    # the document's line 29 is this measure
    body = page(client, f"/id/{MEASURE}")
    assert '<html lang="zh-Hant">' in body
    # the text, prominently, and the exact source line with its number
    assert f'<blockquote class="node-text" lang="zh-Hant">{MEASURE_TEXT}</blockquote>' in body
    assert '<strong class="source-lines">29</strong>' in body
    assert html.escape(line_29.strip("\t"), quote=True) in body
    assert "plan-2014-04-15.txt" in body
    # labels in both languages, literals with their language tags
    assert "執行措施 1.1.5.8" in body and "Measure 1.1.5.8" in body
    assert '<span class="lang">@zh-Hant</span>' in body and '<span class="lang">@en</span>' in body
    # the lead agency as a link to its page on this server
    assert re.search(r'<a href="/id/agency/moj-aac" title="https://w3id.org/plangraph/id/agency/'
                     r'moj-aac"><span lang="zh-Hant">法務部廉政署</span>', body)
    # raw formats, and the way up the document
    for suffix in (".ttl", ".jsonld", ".nt"):
        assert f'href="/id/{MEASURE}{suffix}"' in body
    assert 'href="/id/plan/2014-04-15/strategy/1.1.5"' in body
    assert 'href="/ontology#Measure"' in body


def test_every_link_on_a_resource_page_resolves_here(client: httpx.Client) -> None:
    body = page(client, f"/id/{MEASURE}")
    local = sorted({h.split("#")[0] for h in hrefs(body) if h.startswith("/")})
    assert len(local) > 10
    for href in local:
        r = client.get(href, headers={"Accept": BROWSER_ACCEPT})
        assert r.status_code == 200, href


def test_agency_page_lists_incoming_links_from_measures(client: httpx.Client) -> None:
    body = page(client, f"/id/{AGENCY}")
    assert "<h1>" in body and "法務部廉政署" in body
    assert "Agency Against Corruption, Ministry of Justice" in body
    incoming = body[body.index('class="statements incoming"'):]
    assert 'href="/ontology#leadAgency"' in incoming
    assert f'href="/id/{MEASURE}"' in incoming
    assert 'href="/id/plan/2014-04-15/measure/1.1.5.8/assignment/1"' in incoming
    # the measure's text is shown beside its label
    assert "對涉有風紀或貪瀆不法情事之高階" in text_of(incoming)


def test_every_minted_iri_resolves(built: Settings, client: httpx.Client) -> None:
    store = ox.Store.read_only(str(built.store_path))
    minted = {t.value for q in store.quads_for_pattern(None, None, None, None)
              for t in (q.subject, q.object, q.graph_name)
              if isinstance(t, ox.NamedNode) and t.value.startswith(BASE)}
    assert len(minted) > 500
    for iri in sorted(minted):
        r = client.head("/id/" + iri[len(BASE):], headers={"Accept": "application/n-triples"})
        assert r.status_code == 200, iri


def test_graph_names_resolve(client: httpx.Client) -> None:
    body = page(client, "/id/graph/plan/2014-04-15")
    assert "Named graph" in body
    assert re.search(r"with <strong>\d{4,}</strong> statements", body)


def test_plan_version_page_has_an_outline_of_every_measure(client: httpx.Client) -> None:
    body = page(client, "/id/plan/2014-04-15")
    outline = body[body.index('class="outline"'):]
    measures = set(re.findall(r'href="/id/plan/2014-04-15/measure/([\d.]+)"', outline))
    assert len(measures) == 91


def test_unknown_iri_is_404(client: httpx.Client) -> None:
    r = client.get("/id/plan/2014-04-15/measure/9.9.9.9", headers={"Accept": BROWSER_ACCEPT})
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "404" in r.text and "/id/plan/2014-04-15/measure/9.9.9.9" in r.text
    r = client.get("/id/nothing/here", headers={"Accept": "text/turtle"})
    assert r.status_code == 404
    assert r.json()["error"]["status"] == 404
    assert client.get("/id/nothing.ttl").status_code == 404


# -- content negotiation ---------------------------------------------------------------------------

def test_turtle_by_accept_has_the_statements(client: httpx.Client) -> None:
    r = client.get(f"/id/{MEASURE}", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/turtle")
    assert r.headers["vary"] == "Accept"
    assert r.headers["content-location"] == f"/id/{MEASURE}.ttl"
    g = turtle(r.content)
    m = URIRef(BASE + MEASURE)
    assert (m, PG.leadAgency, URIRef(BASE + AGENCY)) in g
    assert (m, PG.text, Literal(MEASURE_TEXT, lang="zh-Hant")) in g
    # incoming statements too: the strategy that has it
    assert (URIRef(BASE + "plan/2014-04-15/strategy/1.1.5"), PG.hasMeasure, m) in g


@pytest.mark.parametrize(("suffix", "accept", "media_type", "rdflib_format"), [
    (".ttl", "text/turtle", "text/turtle", "turtle"),
    (".jsonld", "application/ld+json", "application/ld+json", "json-ld"),
    (".nt", "application/n-triples", "application/n-triples", "nt"),
])
def test_each_format_by_suffix_and_by_accept(client: httpx.Client, suffix: str, accept: str,
                                             media_type: str, rdflib_format: str) -> None:
    by_suffix = client.get(f"/id/{MEASURE}{suffix}", headers={"Accept": BROWSER_ACCEPT})
    by_accept = client.get(f"/id/{MEASURE}", headers={"Accept": accept})
    for r in (by_suffix, by_accept):
        assert r.status_code == 200
        assert r.headers["content-type"].split(";")[0] == media_type
    assert by_suffix.content == by_accept.content
    g = Graph().parse(data=by_suffix.content, format=rdflib_format)
    assert (URIRef(BASE + MEASURE), PG.leadAgency, URIRef(BASE + AGENCY)) in g


@pytest.mark.parametrize(("accept", "media_type"), [
    (BROWSER_ACCEPT, "text/html"),
    ("*/*", "text/html"),
    ("text/turtle;q=0.5, application/ld+json;q=0.9", "application/ld+json"),
    ("text/html;q=0, */*;q=0.1", "text/turtle"),
    ("application/*", "application/ld+json"),
    ("text/plain", "application/n-triples"),
    ("application/n-triples, text/turtle;q=0.99", "application/n-triples"),
])
def test_q_values_choose_the_format(client: httpx.Client, accept: str, media_type: str) -> None:
    r = client.get(f"/id/{AGENCY}", headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == media_type


def test_unacceptable_accept_is_406(client: httpx.Client) -> None:
    for accept in ("image/png", "text/turtle;q=0, text/html;q=0, application/*;q=0"):
        r = client.get(f"/id/{MEASURE}", headers={"Accept": accept})
        assert r.status_code == 406
        error = r.json()["error"]
        assert error["status"] == 406 and "text/turtle" in error["detail"]


def test_negotiate_rules() -> None:
    offers = [conneg.HTML, conneg.TURTLE]
    assert conneg.negotiate(None, offers) is conneg.HTML
    assert conneg.negotiate("", offers) is conneg.HTML
    assert conneg.negotiate("text/*;q=0.5, text/turtle", offers) is conneg.TURTLE
    assert conneg.negotiate("text/*, text/html;q=0.1", offers) is conneg.TURTLE
    assert conneg.negotiate("TEXT/Turtle", offers) is conneg.TURTLE
    assert conneg.negotiate("text/turtle;q=2, text/html;q=0.5", offers) is conneg.HTML
    assert conneg.negotiate("text/turtle;q=abc", offers) is conneg.HTML   # ignored element
    assert conneg.negotiate("image/png", offers) is None


def test_head_answers_like_get(client: httpx.Client) -> None:
    get = client.get(f"/id/{MEASURE}", headers={"Accept": "text/turtle"})
    head = client.head(f"/id/{MEASURE}", headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]


# -- another base: request paths map to IRIs by the base's path ------------------------------------

def test_a_build_with_another_base_maps_paths_to_its_iris(tmp_path: Path) -> None:
    base = "http://data.example.org/kg/id/"
    out = tmp_path / "out"
    run_cli("build", "--out", str(out), "--base", base, "--no-validate")
    settings = Settings()
    settings.out = out
    client = TestClient(create_app(settings))
    r = client.get(f"/id/{MEASURE}", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = turtle(r.content)
    assert (URIRef(base + MEASURE), PG.leadAgency, URIRef(base + AGENCY)) in g
    body = client.get(f"/id/{MEASURE}", headers={"Accept": BROWSER_ACCEPT}).text
    assert f"<code>{base}{MEASURE}</code>" in body
    assert 'href="/id/agency/moj-aac"' in body
    void = turtle(client.get("/.well-known/void", headers={"Accept": "text/turtle"}).content)
    assert Literal(base) in set(void.objects(None, VOID.uriSpace))


def test_without_a_build_pages_say_so(tmp_path: Path) -> None:
    settings = Settings()
    settings.out = tmp_path / "nothing"
    client = TestClient(create_app(settings))
    r = client.get(f"/id/{MEASURE}", headers={"Accept": BROWSER_ACCEPT})
    assert r.status_code == 500
    assert "plangraph build" in r.text
    assert client.get("/", headers={"Accept": BROWSER_ACCEPT}).status_code == 200
    assert "No dumps yet" in client.get("/data/").text


# -- dumps -----------------------------------------------------------------------------------------

DUMPS = {"plangraph.ttl": "text/turtle", "plangraph.nt": "application/n-triples",
         "plangraph.jsonld": "application/ld+json", "plangraph.nq": "application/n-quads",
         "manifest.json": "application/json"}


def test_data_lists_and_serves_the_dumps(built: Settings, client: httpx.Client) -> None:
    listing = page(client, "/data/")
    for name, media_type in DUMPS.items():
        assert f'href="/data/{name}"' in listing
        r = client.get(f"/data/{name}")
        assert r.status_code == 200, name
        assert r.headers["content-type"].split(";")[0] == media_type
        assert r.content == (built.out / name).read_bytes()
    manifest = client.get("/data/manifest.json").json()
    assert manifest["counts"]["Measure"] == 91
    assert client.get("/data", follow_redirects=False).status_code == 308


@pytest.mark.parametrize("path", [
    "/data/store", "/data/store/CURRENT", "/data/..%2Fpyproject.toml",
    "/data/%2e%2e/pyproject.toml", "/data/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/data/..%5cmanifest.json", "/data/plangraph.ttl%00", "/data/.%2e/.%2e/etc/passwd",
    "/data/%2Fetc%2Fpasswd", "/data/plangraph.TTL", "/data/pyproject.toml",
])
def test_data_serves_nothing_else(client: httpx.Client, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404, path
    assert b"[project]" not in r.content and b"root:" not in r.content


@pytest.mark.parametrize("path", [
    "/static/%2e%2e/deps.py", "/static/..%2Fdeps.py", "/static/vendor/%2e%2e/%2e%2e/site.py",
    "/static/%2e%2e%2f%2e%2e%2f%2e%2e%2fconfig.py",
])
def test_static_serves_nothing_outside_its_folder(client: httpx.Client, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404, path
    assert b"import " not in r.content


# -- VoID ------------------------------------------------------------------------------------------

def test_void_describes_the_dataset(server: str, built: Settings, client: httpx.Client) -> None:
    # The published URLs come from the settings (the base IRI without id/), never from Host.
    r = client.get("/.well-known/void", headers={"Host": "attacker.example"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/turtle")
    assert b"attacker.example" not in r.content and server.encode() not in r.content
    g = turtle(r.content)
    server = "https://w3id.org/plangraph"  # the published root: the base IRI without id/
    ds = URIRef(BASE + "dataset")     # the one dataset IRI, as the DCAT catalogue names it
    store = ox.Store.read_only(str(built.store_path))
    triples = next(iter(store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
        use_default_graph_as_union=True)))["n"].value
    assert g.value(ds, VOID.triples).toPython() == int(triples)
    # the merged dumps hold those triples, data and ontology together
    for dump, fmt in (("plangraph.ttl", ox.RdfFormat.TURTLE), ("plangraph.jsonld", ox.RdfFormat.JSON_LD)):
        merged = ox.Store()
        merged.load(path=str(built.out / dump), format=fmt)
        assert len(merged) == int(triples), dump
    assert g.value(ds, DCT.license) == URIRef("https://spdx.org/licenses/OGDL-Taiwan-1.0")
    partitions = {g.value(p, VOID["class"]): g.value(p, VOID.entities).toPython()
                  for p in g.objects(ds, VOID.classPartition)}
    assert partitions[PG.Measure] == 91
    assert partitions[PG.Target] == 94
    vocabularies = set(g.objects(ds, VOID.vocabulary))
    for ns in ("https://w3id.org/plangraph/ontology#", "http://www.w3.org/2004/02/skos/core#",
               "http://www.w3.org/ns/org#", "http://www.w3.org/ns/prov#",
               "http://purl.org/dc/terms/"):
        assert URIRef(ns) in vocabularies
    examples = set(g.objects(ds, VOID.exampleResource))
    assert URIRef(BASE + "plan/2014-04-15") in examples and len(examples) >= 3
    assert g.value(ds, VOID.sparqlEndpoint) == URIRef(server + "/sparql")
    dumps = set(g.objects(ds, VOID.dataDump))
    assert URIRef(server + "/data/plangraph.nq") in dumps and len(dumps) == 4
    titles = {t.language.lower(): str(t) for t in g.objects(ds, DCT.title)}  # tags: any case
    assert titles["zh-hant"] == "國家廉政建設行動方案知識圖譜"
    assert "National Integrity Building Action Plan" in titles["en"]
    # every example resource and dump it names can be fetched
    for url in examples | dumps:
        local = str(url).replace(BASE, "/id/").replace(server, "")
        assert client.head(local, headers={"Accept": "text/turtle"}).status_code == 200, url


def test_void_by_conneg(client: httpx.Client) -> None:
    r = client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert r.headers["content-type"].startswith("application/ld+json")
    assert Graph().parse(data=r.content, format="json-ld")
    assert "@prefix void:" in page(client, "/.well-known/void").replace("&lt;", "<")
    assert client.get("/.well-known/void", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/.well-known/void?format=nt").headers["content-type"].startswith(
        "application/n-triples")
    assert client.get("/.well-known/void?format=xml").status_code == 400


# -- ontology --------------------------------------------------------------------------------------

def test_ontology_page_documents_every_term(built: Settings, client: httpx.Client) -> None:
    body = page(client, "/ontology")
    onto = turtle(built.ontology.read_bytes())
    ours = {s for s in onto.subjects() if isinstance(s, URIRef) and str(s).startswith(str(PG))}
    assert len(ours) > 50
    for term in ours:
        assert f'id="{term[len(str(PG)):]}"' in body, term
    measure = body[body.index('id="Measure"'):]
    measure = measure[:measure.index("</article>")]
    assert '<span lang="zh-Hant">執行措施</span>' in measure
    assert "measure" in measure
    assert 'lang="zh-Hant">表格第二欄' in measure          # definitions in both languages
    assert 'lang="en">An implementation measure' in measure
    assert 'href="/ontology#Node"' in measure


def test_ontology_turtle_by_conneg_is_the_file(built: Settings, client: httpx.Client) -> None:
    r = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    assert r.content == built.ontology.read_bytes()
    assert client.get("/ontology.ttl").content == r.content
    nt = client.get("/ontology", headers={"Accept": "application/n-triples"})
    assert len(Graph().parse(data=nt.content, format="nt")) == len(turtle(r.content))
    assert client.get("/ontology", headers={"Accept": "image/png"}).status_code == 406


# -- console ---------------------------------------------------------------------------------------

def console_data(body: str) -> dict:
    m = re.search(r'<script type="application/json" id="console-data">(.*?)</script>', body, re.S)
    assert m, "no console data in the page"
    return json.loads(m.group(1))


def test_console_has_a_tab_per_library_query(client: httpx.Client) -> None:
    body = page(client, "/")
    data = console_data(body)
    files = sorted((PROJECT / "queries").glob("*.rq"))
    assert files, "queries/ has no query"
    assert [q["name"] for q in data["queries"]] == [f.stem for f in files]
    for q, f in zip(data["queries"], files, strict=True):
        assert q["query"] == f.read_text(encoding="utf-8")
        first = f.read_text(encoding="utf-8").splitlines()[0]
        assert q["question"] and q["question"] in first
    assert data["endpoint"] == "/sparql"
    assert data["base"] == BASE


def test_console_loads_only_our_own_files(client: httpx.Client) -> None:
    assert vendored(VENDOR), NOT_VENDORED
    body = page(client, "/")
    sources = re.findall(r'(?:src|href)="([^"]+)"', body)
    assert "/static/vendor/yasgui.min.js" in sources
    assert "/static/vendor/yasgui.min.css" in sources
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))]
    for path in ("/static/vendor/yasgui.min.js", "/static/console.js"):
        r = client.get(path)
        assert r.status_code == 200
        assert "javascript" in r.headers["content-type"]
    assert client.get("/static/site.css").headers["content-type"].startswith("text/css")


def test_console_without_yasgui_says_how_to_install_it(built: Settings, tmp_path: Path) -> None:
    app = create_app(built)
    app.state.site.vendor = tmp_path / "vendor"      # nothing there
    body = TestClient(app).get("/").text
    assert "scripts/vendor-yasgui" in body and "npm ci" in body
    assert 'id="yasgui"' not in body
    for query in library(built.queries_dir):
        assert html.escape(query.question) in body


def test_library_question_is_the_first_comment_line(tmp_path: Path) -> None:
    (tmp_path / "b.rq").write_text("# Question: Why?\n# 為何？\nASK {}\n", encoding="utf-8")
    (tmp_path / "a.rq").write_text("\n# How many?\nSELECT * {}\n", encoding="utf-8")
    (tmp_path / "c.rq").write_text("SELECT * {}\n# not a question\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("# not a query\n", encoding="utf-8")
    assert [(q.name, q.question) for q in library(tmp_path)] == [
        ("a", "How many?"), ("b", "Why?"), ("c", "")]


def test_layout_links_every_part_of_the_site(client: httpx.Client) -> None:
    for path in ("/", f"/id/{MEASURE}", "/data/", "/ontology", "/.well-known/void"):
        links = hrefs(page(client, path))
        for target in ("/", "/ontology", "/data/", "/.well-known/void", "/id/plan"):
            assert target in links, (path, target)


def test_a_path_no_iri_can_hold_is_a_404_not_a_500(built):
    """Found by schemathesis: /id/%19 made ox.NamedNode raise, answered 500."""
    from fastapi.testclient import TestClient

    from plangraph.web.app import create_app

    with TestClient(create_app(built)) as client:
        r = client.get("/id/plan%19x", headers={"Accept": "text/html"})
    assert r.status_code == 404


def test_the_ontology_version_iri_and_the_shapes_namespace_dereference(client: httpx.Client) -> None:
    """owl:versionIRI <…/ontology/0.1.0> and the pgsh: namespace <…/shapes#> resolve on the site
    (https://w3id.org/plangraph/ maps to it): the ontology of that version, the shapes file."""
    onto = Graph().parse(data=(PROJECT / "ontology" / "plangraph.ttl").read_text("utf-8"),
                         format="turtle")
    (version_iri,) = onto.objects(URIRef("https://w3id.org/plangraph/ontology"),
                                  URIRef("http://www.w3.org/2002/07/owl#versionIRI"))
    path = str(version_iri).removeprefix("https://w3id.org/plangraph")
    r = client.get(path, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.content == (PROJECT / "ontology" / "plangraph.ttl").read_bytes()
    assert client.get(path, headers={"Accept": "text/html"}).status_code == 200
    missing = client.get("/ontology/9.9.9", headers={"Accept": "text/turtle"})
    assert missing.status_code == 404 and "0.1.0" in missing.text
    shapes = client.get("/shapes", headers={"Accept": "text/turtle"})
    assert shapes.status_code == 200 and shapes.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=shapes.text, format="turtle")
    assert (URIRef("https://w3id.org/plangraph/shapes#DutyParts"), None, None) in g
    assert "pgsh:DutyParts" in client.get("/shapes", headers={"Accept": "text/html"}).text
