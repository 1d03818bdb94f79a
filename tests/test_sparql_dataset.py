"""The dataset a query runs on (SPARQL 1.1 §13.2, Protocol §2.1.4), on /sparql and in
`plangraph query`, over a store holding three versions of the plan: the seed (2014-04-15) and two
synthetic versions (bench/synthetic.py: the seed with a marker in every measure cell, dated
2015-01-01 and 2015-01-02), each in its own named graph.

Each version has the seed's 91 measures (read by hand: tests/data/expected_measures.json), under
its own IRIs (`plan/{date}/measure/{key}`), so the union has 273: an answer of 91 can only come
from one graph, and none from a graph left out. The rules:
- the protocol's default-graph-uri / named-graph-uri, when given, are the dataset (FROM and FROM
  NAMED ignored); one given alone leaves the other part empty;
- else the query's FROM / FROM NAMED: FROM alone gives no named graph, FROM NAMED alone an empty
  default graph, FROM a graph the store lacks an empty one, FROM two graphs their merge;
- else the default graph is the union of the named graphs, and every named graph is there.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from synthetic import generate, version_date

from plangraph.config import Settings
from plangraph.web.app import create_app

from .conftest import SEED, run_cli
from .server import LiveServer

ID = "https://w3id.org/plangraph/id/"
SEED_GRAPH = f"{ID}graph/plan/2014-04-15"
LATER = [f"{ID}graph/plan/{version_date(i)}" for i in (0, 1)]
MISSING = f"{ID}graph/plan/1999-01-01"
MEASURES = 91  # per version, read from the document
COUNT = "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a pg:Measure }"
COUNT_IN_GRAPHS = ("SELECT ?g (COUNT(DISTINCT ?m) AS ?n) WHERE { GRAPH ?g { ?m a pg:Measure } } "
                   "GROUP BY ?g ORDER BY ?g")
A_SEED_MEASURE = f"{ID}plan/2014-04-15/measure/1.1.5.8"
A_LATER_MEASURE = f"{ID}plan/{version_date(0)}/measure/1.1.5.8"


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp = tmp_path_factory.mktemp("three-versions")
    later = generate(2, tmp / "src", start=0)
    out = tmp / "build"
    run_cli("build", "--source", str(SEED), *map(str, later), "--out", str(out))
    return dataclasses.replace(Settings(), out=out)


@pytest.fixture(scope="module")
def client(three: Settings) -> Iterator[httpx.Client]:
    with LiveServer(create_app(three)) as live, \
            httpx.Client(base_url=live.url, timeout=30) as c:
        yield c


def rows(client: httpx.Client, query: str, **params: object) -> list[tuple[str, ...]]:
    r = client.get("/sparql", params={"query": query, **params},
                   headers={"Accept": "text/csv"})
    assert r.status_code == 200, r.text
    return [tuple(line.split(",")) for line in r.text.splitlines()[1:]]


def count(client: httpx.Client, query: str, **params: object) -> int:
    (row,) = rows(client, query, **params)
    return int(row[0])


def ask(client: httpx.Client, query: str, **params: object) -> bool:
    r = client.get("/sparql", params={"query": query, **params})
    assert r.status_code == 200, r.text
    return bool(r.json()["boolean"])


def from_(*graphs: str, named: tuple[str, ...] = ()) -> str:
    """The dataset clause naming these graphs."""
    return " ".join([*(f"FROM <{g}>" for g in graphs), *(f"FROM NAMED <{g}>" for g in named)])


def test_without_a_dataset_the_default_graph_is_the_union(client: httpx.Client) -> None:
    assert count(client, COUNT) == 3 * MEASURES
    assert rows(client, COUNT_IN_GRAPHS) == [(g, str(MEASURES)) for g in [SEED_GRAPH, *LATER]]


def test_from_one_graph_sees_that_graph_only(client: httpx.Client) -> None:
    query = COUNT.replace("WHERE", f"{from_(LATER[0])} WHERE")
    assert count(client, query) == MEASURES
    assert ask(client, f"ASK {from_(LATER[0])} {{ <{A_LATER_MEASURE}> a pg:Measure }}")
    # …not the measures of the other versions, which the union holds.
    assert not ask(client, f"ASK {from_(LATER[0])} {{ <{A_SEED_MEASURE}> a pg:Measure }}")
    assert ask(client, f"ASK {{ <{A_SEED_MEASURE}> a pg:Measure }}")


def test_from_two_graphs_is_their_merge(client: httpx.Client) -> None:
    query = COUNT.replace("WHERE", f"{from_(SEED_GRAPH, LATER[1])} WHERE")
    assert count(client, query) == 2 * MEASURES


def test_from_a_graph_that_does_not_exist_sees_nothing(client: httpx.Client) -> None:
    assert count(client, COUNT.replace("WHERE", f"{from_(MISSING)} WHERE")) == 0
    assert not ask(client, f"ASK {from_(MISSING)} {{ ?s ?p ?o }}")
    assert ask(client, "ASK { ?s ?p ?o }")


def test_from_named_alone_leaves_the_default_graph_empty(client: httpx.Client) -> None:
    dataset = from_(named=(LATER[1],))
    assert not ask(client, f"ASK {dataset} {{ ?s ?p ?o }}")
    # …and GRAPH sees the named graph given, and no other.
    assert rows(client, COUNT_IN_GRAPHS.replace("WHERE", f"{dataset} WHERE")) == [
        (LATER[1], str(MEASURES))]


def test_from_alone_leaves_no_named_graph(client: httpx.Client) -> None:
    assert rows(client, COUNT_IN_GRAPHS.replace("WHERE", f"{from_(SEED_GRAPH)} WHERE")) == []
    both = from_(SEED_GRAPH, named=(LATER[0],))
    assert count(client, COUNT.replace("WHERE", f"{both} WHERE")) == MEASURES
    assert rows(client, COUNT_IN_GRAPHS.replace("WHERE", f"{both} WHERE")) == [
        (LATER[0], str(MEASURES))]


def test_the_protocol_overrides_from(client: httpx.Client) -> None:
    query = f"ASK {from_(SEED_GRAPH)} {{ <{A_SEED_MEASURE}> a pg:Measure }}"
    assert ask(client, query)
    assert not ask(client, query, **{"default-graph-uri": LATER[0]})
    query = COUNT.replace("WHERE", f"{from_(SEED_GRAPH, LATER[0], LATER[1])} WHERE")
    assert count(client, query) == 3 * MEASURES
    assert count(client, query, **{"default-graph-uri": LATER[1]}) == MEASURES
    # named-graph-uri alone: the default graph is empty, FROM or not.
    assert count(client, query, **{"named-graph-uri": LATER[1]}) == 0
    # default-graph-uri alone: no named graph, FROM NAMED or not.
    named = COUNT_IN_GRAPHS.replace("WHERE", f"{from_(named=(SEED_GRAPH,))} WHERE")
    assert rows(client, named) == [(SEED_GRAPH, str(MEASURES))]
    assert rows(client, named, **{"default-graph-uri": LATER[0]}) == []
    assert rows(client, named, **{"named-graph-uri": LATER[0]}) == [(LATER[0], str(MEASURES))]


def test_the_dataset_is_part_of_the_cache_key(client: httpx.Client) -> None:
    """The same query text over other graphs is another answer, never the cached one."""
    query = COUNT.replace("?n", "?k")
    assert count(client, query) == 3 * MEASURES
    assert count(client, query, **{"default-graph-uri": SEED_GRAPH}) == MEASURES
    assert count(client, query, **{"default-graph-uri": MISSING}) == 0
    assert count(client, query) == 3 * MEASURES


# -- plangraph query: the same rules on the local store ----------------------------------------------

def cli(three: Settings, tmp_path: Path, query: str) -> list[str]:
    """The lines `plangraph query --format csv` prints."""
    path = tmp_path / "q.rq"
    path.write_text(query, encoding="utf-8")
    proc = run_cli("query", str(path), "--out", str(three.out), "--format", "csv")
    return proc.stdout.splitlines()


def cli_rows(three: Settings, tmp_path: Path, query: str) -> list[str]:
    return cli(three, tmp_path, query)[1:]


def test_plangraph_query_honours_from_and_from_named(three: Settings, tmp_path: Path) -> None:
    # pg: is predeclared, as on the endpoint
    assert cli_rows(three, tmp_path, COUNT) == [str(3 * MEASURES)]
    assert cli_rows(three, tmp_path, COUNT.replace("WHERE", f"{from_(LATER[0])} WHERE")) == [
        str(MEASURES)]
    assert cli_rows(three, tmp_path, COUNT.replace("WHERE", f"{from_(MISSING)} WHERE")) == ["0"]
    assert cli_rows(three, tmp_path,
                    COUNT.replace("WHERE", f"{from_(named=(LATER[0],))} WHERE")) == ["0"]
    assert cli(three, tmp_path, f"ASK {from_(LATER[0])} {{ <{A_SEED_MEASURE}> ?p ?o }}") \
        == ["false"]
    assert cli(three, tmp_path, f"ASK {from_(SEED_GRAPH)} {{ <{A_SEED_MEASURE}> ?p ?o }}") \
        == ["true"]
    named = COUNT_IN_GRAPHS.replace("WHERE", f"{from_(named=(LATER[1],))} WHERE")
    assert cli_rows(three, tmp_path, named) == [f"{LATER[1]},{MEASURES}"]
    assert cli_rows(three, tmp_path, COUNT_IN_GRAPHS.replace(
        "WHERE", f"{from_(SEED_GRAPH)} WHERE")) == []
