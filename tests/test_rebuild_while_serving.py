"""A rebuild while the server runs: the endpoint and the pages answer from the new build, without
a restart (the build swaps a new folder in; readers reopen the store when its folder changes)."""

from __future__ import annotations

import httpx
from synthetic import generate, version_date

from plangraph.config import Settings

from .conftest import SEED, run_cli
from .server import LiveServer

VERSIONS = """PREFIX pg: <https://w3id.org/plangraph/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT ?date WHERE { ?v a pg:PlanVersion ; eli:version_date ?date } ORDER BY ?date"""


def dates(url: str) -> list[str]:
    r = httpx.post(url + "/sparql", content=VERSIONS, timeout=30, headers={
        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    return [b["date"]["value"] for b in r.json()["results"]["bindings"]]


def test_a_rebuild_is_served_without_a_restart(tmp_path):
    from plangraph.web.app import create_app

    out = tmp_path / "out"
    run_cli("build", "--out", str(out))
    settings = Settings()
    settings.out = out
    later = generate(1, tmp_path / "plans")       # the seed, marked, dated 2015-01-01
    with LiveServer(create_app(settings)) as server:
        # every worker of the pool answers at least once from the first build
        assert [dates(server.url) for _ in range(4)] == [["2014-04-15"]] * 4
        page = httpx.get(server.url + "/id/plan", headers={"Accept": "text/html"}, timeout=30)
        assert version_date(0) not in page.text

        run_cli("build", "--source", str(SEED), *map(str, later), "--out", str(out))

        assert [dates(server.url) for _ in range(4)] == [["2014-04-15", version_date(0)]] * 4
        page = httpx.get(server.url + "/id/plan", headers={"Accept": "text/html"}, timeout=30)
        assert page.status_code == 200 and version_date(0) in page.text
