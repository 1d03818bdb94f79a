"""Real clients against a real server over the built seed: SPARQLWrapper, httpx, and our own CLI.

The values asserted come from the document: 91 measures; measure 1.1.5.8 (line 29 of
data/plan-2014-04-15.txt, 啟動「廉政查緝隊」) has one lead agency, 法務部廉政署.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from plangraph.config import Settings

from .conftest import run_cli
from .server import LiveServer

ID = "https://w3id.org/plangraph/id/"
PREFIXES = """PREFIX pg: <https://w3id.org/plangraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
COUNT_MEASURES = PREFIXES + "SELECT (COUNT(?m) AS ?n) WHERE { ?m a pg:Measure }"
# pg:leadAgency is in the plan's graph, skos:prefLabel in the registry's: one BGP across both
# shows that the default graph is their union.
LEADS_1158 = PREFIXES + f"""SELECT ?label WHERE {{
  <{ID}plan/2014-04-15/measure/1.1.5.8> pg:leadAgency ?agency .
  ?agency skos:prefLabel ?label .
}}"""


@pytest.fixture
def wrapper(seed_server: LiveServer) -> SPARQLWrapper:
    return SPARQLWrapper(seed_server.url + "/sparql")


@pytest.fixture
def client(seed_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=seed_server.url, timeout=30) as c:
        yield c


# -- SPARQLWrapper ---------------------------------------------------------------------------------

def test_sparqlwrapper_select_json(wrapper: SPARQLWrapper) -> None:
    wrapper.setQuery(COUNT_MEASURES)
    wrapper.setReturnFormat(JSON)
    result = wrapper.queryAndConvert()
    assert result["results"]["bindings"][0]["n"]["value"] == "91"


@pytest.mark.parametrize("method", ["GET", POST])
def test_sparqlwrapper_lead_agencies_of_1_1_5_8(wrapper: SPARQLWrapper, method: str) -> None:
    wrapper.setQuery(LEADS_1158)
    wrapper.setReturnFormat(JSON)
    wrapper.setMethod(method)
    result = wrapper.queryAndConvert()
    assert [b["label"]["value"] for b in result["results"]["bindings"]] == ["法務部廉政署"]
    assert result["results"]["bindings"][0]["label"]["xml:lang"].lower() == "zh-hant"


def test_sparqlwrapper_other_result_formats(wrapper: SPARQLWrapper) -> None:
    wrapper.setQuery(LEADS_1158)
    wrapper.setReturnFormat(XML)
    doc = wrapper.queryAndConvert()
    assert [n.firstChild.data for n in doc.getElementsByTagName("literal")] == ["法務部廉政署"]
    wrapper.setReturnFormat(CSV)
    assert wrapper.queryAndConvert().decode("utf-8").splitlines() == ["label", "法務部廉政署"]
    wrapper.setReturnFormat(TSV)
    tsv = wrapper.queryAndConvert().decode("utf-8").lower()  # pyoxigraph lowercases lang tags
    assert tsv.splitlines() == ["?label", '"法務部廉政署"@zh-hant']


def test_sparqlwrapper_ask(wrapper: SPARQLWrapper) -> None:
    wrapper.setQuery(PREFIXES + f"ASK {{ <{ID}plan/2014-04-15/measure/1.1.5.8> a pg:Measure }}")
    wrapper.setReturnFormat(JSON)
    assert wrapper.queryAndConvert()["boolean"] is True
    wrapper.setQuery(PREFIXES + f"ASK {{ <{ID}plan/2014-04-15/measure/1.1.5.99> a pg:Measure }}")
    assert wrapper.queryAndConvert()["boolean"] is False


def test_sparqlwrapper_construct_and_describe(wrapper: SPARQLWrapper) -> None:
    wrapper.setQuery(PREFIXES + "CONSTRUCT { ?m a pg:Measure } WHERE { ?m a pg:Measure }")
    wrapper.setReturnFormat(RDFXML)
    graph = wrapper.queryAndConvert()
    assert isinstance(graph, Graph) and len(graph) == 91
    wrapper.setQuery(f"DESCRIBE <{ID}plan/2014-04-15/measure/1.1.5.8>")
    wrapper.setReturnFormat(TURTLE)
    described = Graph().parse(data=wrapper.queryAndConvert(), format="turtle")
    texts = [str(o) for o in described.objects(predicate=None) if "廉政查緝隊" in str(o)]
    assert texts, "the measure's own text is in its description"


def test_sparqlwrapper_bad_query(wrapper: SPARQLWrapper) -> None:
    wrapper.setQuery("SELECT * WHERE { ?s ?p }")
    wrapper.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed, match="syntax error at line 1"):
        wrapper.query()


# -- httpx -----------------------------------------------------------------------------------------

def test_default_graph_is_the_union_and_datasets_are_honoured(client: httpx.Client) -> None:
    def labels(**params: object) -> list[str]:
        r = client.get("/sparql", params={"query": LEADS_1158, **params})
        assert r.status_code == 200, r.text
        return [b["label"]["value"] for b in r.json()["results"]["bindings"]]

    assert labels() == ["法務部廉政署"]
    # The plan's graph alone has the link but not the label.
    assert labels(**{"default-graph-uri": f"{ID}graph/plan/2014-04-15"}) == []
    assert labels(**{"default-graph-uri": [f"{ID}graph/plan/2014-04-15",
                                           f"{ID}graph/registry"]}) == ["法務部廉政署"]
    r = client.get("/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g {} } "
                                               "ORDER BY ?g"},
                   headers={"Accept": "text/csv"})
    assert r.text.splitlines()[1:] == [f"{ID}graph/catalog", f"{ID}graph/ontology",
                                       f"{ID}graph/plan", f"{ID}graph/plan/2014-04-15",
                                       f"{ID}graph/registry"]


def test_concurrent_clients(seed_server: LiveServer) -> None:
    """8 clients at once, all answered correctly; the rate is printed (-s) for the record."""
    async def one_client(c: httpx.AsyncClient, n: int) -> list[str]:
        values = []
        for _ in range(n):
            r = await c.get("/sparql", params={"query": LEADS_1158})
            values.append(r.json()["results"]["bindings"][0]["label"]["value"])
        return values

    async def main() -> tuple[list[list[str]], float]:
        limits = httpx.Limits(max_connections=8)
        async with httpx.AsyncClient(base_url=seed_server.url, limits=limits, timeout=30) as c:
            started = time.perf_counter()
            results = await asyncio.gather(*(one_client(c, 25) for _ in range(8)))
            return results, time.perf_counter() - started

    results, seconds = asyncio.run(main())
    assert all(values == ["法務部廉政署"] * 25 for values in results)
    print(f"\n8 clients × 25 queries: {200 / seconds:.0f} queries/s")


# -- the CLI ---------------------------------------------------------------------------------------

def test_cli_serve(built: Settings) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "plangraph.cli", "serve", "--port", "0",
                             "--out", str(built.out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"SPARQL endpoint (http://127\.0\.0\.1:\d+/sparql)", line)
        assert match, line
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(match.group(1), params={"query": COUNT_MEASURES}, timeout=30)
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert r.json()["results"]["bindings"][0]["n"]["value"] == "91"
    finally:
        proc.send_signal(2)  # Ctrl-C: a clean shutdown, workers included
        _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 0, stderr
    assert "Traceback" not in stderr


def test_cli_serve_get(built: Settings) -> None:
    from urllib.parse import urlencode

    path = "/sparql?" + urlencode({"query": COUNT_MEASURES})
    proc = run_cli("serve", "--out", str(built.out), "--get", path)
    assert json.loads(proc.stdout)["results"]["bindings"][0]["n"]["value"] == "91"
    proc = run_cli("serve", "--out", str(built.out), "--get", "/sparql?query=ASK%20%7B",
                   check=False)
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["error"]["status"] == 400


@pytest.fixture
def leads_file(tmp_path):
    path = tmp_path / "leads.rq"
    path.write_text(LEADS_1158.replace("SELECT ?label", "SELECT ?agency ?label"),
                    encoding="utf-8")
    return path


def test_cli_query_local_table(built: Settings, leads_file) -> None:
    proc = run_cli("query", str(leads_file), "--out", str(built.out))
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["agency", "label"]
    assert set(lines[1]) == {"-", " "}
    assert lines[2].split() == [f"<{ID}agency/moj-aac>", "法務部廉政署"]
    # Aligned: the second column starts where its header does.
    assert lines[2].index("法務部廉政署") == lines[0].index("label")
    assert "(1 row)" in proc.stderr


def test_cli_query_formats(built: Settings, leads_file) -> None:
    csv_out = run_cli("query", str(leads_file), "--out", str(built.out), "--format", "csv")
    assert csv_out.stdout.splitlines() == ["agency,label", f"{ID}agency/moj-aac,法務部廉政署"]
    json_out = run_cli("query", str(leads_file), "--out", str(built.out), "--format", "json")
    bindings = json.loads(json_out.stdout)["results"]["bindings"]
    assert bindings[0]["label"]["value"] == "法務部廉政署"


def test_cli_query_by_name(built: Settings) -> None:
    proc = run_cli("query", "measures-by-area", "--out", str(built.out), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    # area 一 in its two sub-areas, then areas 二…八: 9 rows; (一)肅貪 has 22 measures (lines 10-40)
    assert len(rows) == 9
    assert (rows[0]["subAreaKey"], rows[0]["measures"]) == ("1.1", "22")


def test_cli_query_errors(built: Settings, tmp_path) -> None:
    proc = run_cli("query", "no-such-query", "--out", str(built.out), check=False)
    assert proc.returncode == 1
    assert "no query" in proc.stderr and "`plangraph query --list` lists them all" in proc.stderr
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT * WHERE { ?s ?p }", encoding="utf-8")
    proc = run_cli("query", str(bad), "--out", str(built.out), check=False)
    assert proc.returncode == 1
    assert "does not parse: syntax error at line 1, column " in proc.stderr
    proc = run_cli("query", str(bad), "--out", str(tmp_path / "nothing"), check=False)
    assert proc.returncode == 2
    assert "plangraph build" in proc.stderr


def test_cli_query_remote(seed_server: LiveServer, leads_file, tmp_path) -> None:
    endpoint = seed_server.url + "/sparql"
    proc = run_cli("query", str(leads_file), "--endpoint", endpoint, "--format", "csv")
    assert proc.stdout.splitlines() == ["agency,label", f"{ID}agency/moj-aac,法務部廉政署"]
    construct = tmp_path / "construct.rq"
    construct.write_text(PREFIXES + "CONSTRUCT { ?m a pg:Measure } WHERE { ?m a pg:Measure }",
                         encoding="utf-8")
    proc = run_cli("query", str(construct), "--endpoint", endpoint, "--format", "json")
    assert len(json.loads(proc.stdout)) == 91
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT * WHERE { ?s ?p }", encoding="utf-8")
    proc = run_cli("query", str(bad), "--endpoint", endpoint, check=False)
    assert proc.returncode == 1
    assert "refused the query: syntax error at line 1" in proc.stderr
    proc = run_cli("query", str(leads_file), "--endpoint", "http://127.0.0.1:9/sparql",
                   check=False)
    assert proc.returncode == 2
    assert "cannot query" in proc.stderr


def test_turtle_from_the_endpoint_parses_with_pyoxigraph(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": f"DESCRIBE <{ID}agency/moj-aac>"})
    triples = list(ox.parse(r.content, format=ox.RdfFormat.TURTLE))
    labels = {(t.object.value, t.object.language.lower()) for t in triples
              if isinstance(t.object, ox.Literal) and t.object.language}
    assert ("法務部廉政署", "zh-hant") in labels
