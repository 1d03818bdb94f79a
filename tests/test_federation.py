"""Federated queries between two real plangraph servers on 127.0.0.1.

Server B serves a build of the seed under another base IRI (another deployment); server A serves
the usual build and allow-lists B's /sparql (Settings.service_allow). The example queries of
docs/federated/ run on A: the one that calls B returns rows from both; a SERVICE to any address
not on A's list, Wikidata included, is refused with a 400 before anything is called.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from plangraph.config import Settings
from plangraph.web.app import create_app

from .conftest import PROJECT, run_cli
from .server import LiveServer

FEDERATED = PROJECT / "docs" / "federated"
PLACEHOLDER = "http://127.0.0.1:8001/sparql"   # the SERVICE IRI written in the example
BASE_A = "https://w3id.org/plangraph/id/"
BASE_B = "http://example.org/deployment-b/id/"


@pytest.fixture(scope="module")
def server_b(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("federation") / "b"
    run_cli("build", "--out", str(out), "--base", BASE_B)
    settings = Settings()
    settings.out, settings.base = out, BASE_B
    with LiveServer(create_app(settings)) as server:
        yield server.url


@pytest.fixture(scope="module")
def server_a(built: Settings, server_b: str) -> Iterator[str]:
    settings = dataclasses.replace(built, service_allow=[f"{server_b}/sparql"])
    with LiveServer(create_app(settings)) as server:
        yield server.url


def query(path: Path, endpoint: str) -> str:
    return path.read_text(encoding="utf-8").replace(PLACEHOLDER, endpoint)


def select(server: str, text: str) -> httpx.Response:
    return httpx.post(f"{server}/sparql", data={"query": text},
                      headers={"Accept": "application/sparql-results+json"}, timeout=60)


def test_a_federated_query_returns_data_from_both_servers(server_a: str, server_b: str) -> None:
    r = select(server_a, query(FEDERATED / "federated-plangraph.rq", f"{server_b}/sparql"))
    assert r.status_code == 200, r.text
    rows = {(b["where"]["value"], b["version"]["value"], b["date"]["value"])
            for b in r.json()["results"]["bindings"]}
    assert rows == {("here", BASE_A + "plan/2014-04-15", "2014-04-15"),
                    ("there", BASE_B + "plan/2014-04-15", "2014-04-15")}


def test_a_service_not_on_the_allow_list_is_refused(server_a: str, server_b: str) -> None:
    other = f"{server_b.rsplit(':', 1)[0]}:9/sparql"   # not on A's list (and nothing listens)
    r = select(server_a, query(FEDERATED / "federated-plangraph.rq", other))
    assert r.status_code == 400, r.text
    assert "not allowed" in r.json()["error"]["detail"]
    assert other in r.json()["error"]["detail"]


def test_the_allow_list_is_per_server(server_a: str, server_b: str) -> None:
    """B allow-lists nothing: the same query, sent to B and calling A, is refused by B."""
    r = select(server_b, query(FEDERATED / "federated-plangraph.rq", f"{server_a}/sparql"))
    assert r.status_code == 400 and "not allowed" in r.json()["error"]["detail"]


def test_the_wikidata_example_runs_only_where_allowed(server_a: str) -> None:
    """Refused here (Wikidata is not on the list): the test never calls Wikidata."""
    r = select(server_a, (FEDERATED / "federated-wikidata.rq").read_text(encoding="utf-8"))
    assert r.status_code == 400, r.text
    assert "https://query.wikidata.org/sparql" in r.json()["error"]["detail"]


@pytest.mark.parametrize("path", sorted(FEDERATED.glob("*.rq")), ids=lambda p: p.name)
def test_federated_examples_have_the_four_header_lines(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# Question: ") and lines[1].startswith("# 問題：")
    assert lines[2].startswith("# Crosses: ") and lines[3].startswith("# Read: ")
