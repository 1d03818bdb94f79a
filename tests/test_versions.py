"""Several versions side by side: one named graph each, measures that persist, change sets."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from .conftest import PROJECT, SEED, run_cli

BASE = "https://w3id.org/plangraph/id/"
PREFIXES = ("PREFIX pg: <https://w3id.org/plangraph/ontology#>\n"
            "PREFIX eli: <http://data.europa.eu/eli/ontology#>\n")


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory):
    """The seed, and a later version in which measure 1.1.5.8 (line 29) is deleted and measure 9
    (line 30) renumbered 8."""
    tmp = tmp_path_factory.mktemp("versions")
    lines = SEED.read_text(encoding="utf-8").split("\n")
    del lines[28]
    lines[28] = lines[28].replace("<p>9. ", "<p>8. ", 1)
    later = tmp / "later.txt"
    later.write_text("\n".join(lines), encoding="utf-8")
    errata = SEED.with_name("plan-2014-04-15.errata.toml").read_text(encoding="utf-8")
    (tmp / "later.errata.toml").write_text(errata.replace("line = 152", "line = 151"))
    out = tmp / "build"
    run_cli("build", "--source", str(SEED), str(later), "--version-date", "2016-08-24",
            "--allow-unverified", "--out", str(out))  # later.txt has no metadata, no checksum
    return Built(ox.Store.read_only(str(out / "store")), out)


class Built:
    """The two-version build: its store (queried as a store) and its folder (for the site)."""

    def __init__(self, store: ox.Store, out):
        self.store, self.out = store, out

    def __getattr__(self, name: str):
        return getattr(self.store, name)


def ask(store, query: str) -> list[tuple]:
    return [tuple(t.value if t is not None else None for t in row)
            for row in store.query(PREFIXES + query, use_default_graph_as_union=True)]


def test_one_named_graph_per_version(two_versions):
    graphs = {g.value for g in two_versions.named_graphs()}
    assert {BASE + "graph/plan/2014-04-15", BASE + "graph/plan/2016-08-24",
            BASE + "graph/changes/2014-04-15/2016-08-24"} <= graphs
    counts = dict(ask(two_versions, """SELECT ?v (COUNT(?m) AS ?n) WHERE {
        ?m a pg:Measure ; <http://www.w3.org/2004/02/skos/core#inScheme> ?v } GROUP BY ?v"""))
    assert counts == {BASE + "plan/2014-04-15": "91", BASE + "plan/2016-08-24": "90"}


def test_a_renumbered_measure_is_the_same_measure_across_versions(two_versions):
    rows = ask(two_versions, f"""SELECT ?lasting WHERE {{
        <{BASE}plan/2014-04-15/measure/1.1.5.9> eli:is_member_of ?lasting .
        <{BASE}plan/2016-08-24/measure/1.1.5.8> eli:is_member_of ?lasting . }}""")
    assert rows == [(BASE + "measure/1.1.5.9",)]
    # the deleted measure's lasting resource is realised in 2014 only
    rows = ask(two_versions, f"""SELECT ?m WHERE {{ ?m eli:is_member_of <{BASE}measure/1.1.5.8> }}""")
    assert rows == [(BASE + "plan/2014-04-15/measure/1.1.5.8",)]


def test_the_change_set_can_be_queried(two_versions):
    rows = ask(two_versions, """SELECT ?kind ?old ?new WHERE {
        ?cs a pg:ChangeSet ; pg:hasChange ?c .
        ?c pg:changeKind ?kind . OPTIONAL { ?c pg:oldKey ?old } OPTIONAL { ?c pg:newKey ?new }
    } ORDER BY ?kind""")
    assert rows == [("removed", "1.1.5.8", None), ("renumbered", "1.1.5.9", "1.1.5.8")]


def test_adding_a_version_never_overwrites_another(two_versions):
    text = ask(two_versions, f"""SELECT ?t WHERE {{
        GRAPH <{BASE}graph/plan/2014-04-15> {{ <{BASE}plan/2014-04-15/measure/1.1.5.8> pg:text ?t }}
    }}""")
    assert text and text[0][0].startswith("對涉有風紀或貪瀆不法情事之高階")


def test_the_plan_as_it_stood_on_a_date(two_versions):
    """queries/plan-as-of-date.rq: the version in force is the latest dated on or before the day."""
    query = (PROJECT / "queries" / "plan-as-of-date.rq").read_text(encoding="utf-8")

    def as_of(day: str) -> list:
        return list(two_versions.query(query.replace("2015-01-01", day),
                                       use_default_graph_as_union=True))
    in_2015 = as_of("2015-01-01")
    assert {r["versionDate"].value for r in in_2015} == {"2014-04-15"} and len(in_2015) == 91
    in_2017 = as_of("2017-01-01")
    assert {r["versionDate"].value for r in in_2017} == {"2016-08-24"} and len(in_2017) == 90
    assert "1.1.5.9" not in {r["key"].value for r in in_2017}      # renumbered 1.1.5.8 in 2016
    assert as_of("2013-01-01") == []                                  # before the first version


def test_the_persistent_measure_page_names_its_versions_and_the_latest(two_versions):
    """measure/1.1.5.9 is 1.1.5.9 in 2014-04-15 and, renumbered, 1.1.5.8 in 2016-08-24."""
    from fastapi.testclient import TestClient

    from plangraph.config import Settings
    from plangraph.web.app import create_app

    settings = Settings()
    settings.out = two_versions.out
    with TestClient(create_app(settings)) as client:
        page = client.get("/id/measure/1.1.5.9", headers={"Accept": "text/html"})
        assert page.status_code == 200
        html = page.text
        assert "執行措施 1.1.5.9（跨版本）" in html and "Measure 1.1.5.9 (across versions)" in html
        versions = html[html.index('class="versions"'):]
        listed = versions[versions.index("<ol>"):versions.index("</ol>")]    # oldest first
        assert listed.index("2014-04-15") < listed.index("2016-08-24")
        assert listed.count('class="latest"') == 1 and listed.rindex("2016-08-24") < listed.index(
            'class="latest"')
        latest = versions[versions.index('class="latest-version"'):]
        latest = latest[:latest.index("</p>")]
        assert "/id/plan/2016-08-24/measure/1.1.5.8" in latest and "2016-08-24" in latest
        # and in RDF: its label and its members, one per version
        ttl = client.get("/id/measure/1.1.5.9", headers={"Accept": "text/turtle"}).text
        assert "plan/2014-04-15/measure/1.1.5.9" in ttl and "plan/2016-08-24/measure/1.1.5.8" in ttl
