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


# -- the change set of a later version with every kind of change (tests/later_versions.py) --------

LATER = "2023-08-18"


@pytest.fixture(scope="module")
def later_build(tmp_path_factory):
    """The seed and the later version with the fourteen planted changes, built and validated
    (the build refuses a graph that does not conform to the shapes)."""
    from .later_versions import PLANTED, write_version

    tmp = tmp_path_factory.mktemp("later-build")
    later = write_version(tmp, "later", PLANTED, date=LATER)
    out = tmp / "build"
    run_cli("build", "--source", str(SEED), str(later), "--out", str(out))
    return ox.Store.read_only(str(out / "store"))


def change(store, kind: str, key: str, *props: str) -> list[tuple]:
    """The values of `props` on the change of `kind` whose old (or new) key is `key`."""
    cols = " ".join(f"?v{k}" for k in range(len(props)))
    opts = " ".join(f"OPTIONAL {{ ?c <{p}> ?v{k} }}" for k, p in enumerate(props))
    return ask(store, f"""SELECT DISTINCT {cols} WHERE {{
        <{BASE}changes/2014-04-15/{LATER}> pg:hasChange ?c .
        ?c pg:changeKind "{kind}" . {{ ?c pg:oldKey "{key}" }} UNION {{ ?c pg:newKey "{key}" }}
        {opts} }} ORDER BY {cols}""")


PG = "https://w3id.org/plangraph/ontology#"
V1, V2 = f"{BASE}plan/2014-04-15/", f"{BASE}plan/{LATER}/"


def test_a_rename_links_the_registry_event_that_explains_it(later_build):
    assert change(later_build, "renamed", "1.1.5.5", PG + "oldValue", PG + "newValue",
                  PG + "renamedAgency", PG + "explainedBy") == [
        ("最高法院檢察署", "最高檢察署", BASE + "agency/spo", BASE + "agency/spo/event/2018-05-25")]
    # the event is the registry's own: a dated org:ChangeEvent with its legal basis
    assert ask(later_build, f"""SELECT ?date ?basis WHERE {{
        <{BASE}agency/spo/event/2018-05-25> a <http://www.w3.org/ns/org#ChangeEvent> ;
            <http://purl.org/dc/terms/date> ?date ; pg:legalBasis ?basis }}""") == [
        ("2018-05-25", "法院組織法 §114-2（2018-05-23 公布）")]
    # a successor named in its predecessor's place: the predecessor's replacement event
    assert set(change(later_build, "renamed", "6.0.4.1", PG + "oldValue", PG + "explainedBy")) == {
        ("行政院農業委員會", BASE + "agency/coa/event/2023-08-01"),
        ("科技部", BASE + "agency/most/event/2022-07-27")}


def test_moves_and_strategy_and_clause_changes_name_their_nodes(later_build):
    assert change(later_build, "moved", "1.2.4.3", PG + "fromStrategy", PG + "toStrategy",
                  PG + "oldMeasure", PG + "newMeasure") == [
        (V1 + "strategy/1.2.4", V2 + "strategy/1.2.7", V1 + "measure/1.2.4.3",
         V2 + "measure/1.2.7.4")]
    assert change(later_build, "strategy-text", "1.2.7", PG + "oldNode", PG + "newNode",
                  PG + "newValue") == [
        (V1 + "strategy/1.2.7", V2 + "strategy/1.2.7", "實施專案稽核，強化內部控制機制。")]
    assert change(later_build, "clause-text", "6.1", PG + "oldNode", PG + "newNode") == [
        (V1 + "clause/6.1", V2 + "clause/6.1")]


def test_persistent_measures_follow_the_alignment(later_build):
    def lasting(iri: str) -> list[tuple]:
        return ask(later_build, f"SELECT ?p WHERE {{ <{iri}> eli:is_member_of ?p }}")
    assert lasting(V2 + "measure/1.2.7.4") == [(BASE + "measure/1.2.4.3",)]     # moved
    assert lasting(V2 + "measure/1.1.5.8") == [(BASE + "measure/1.1.5.9",)]     # renumbered
    assert lasting(V2 + "measure/2.0.6.3") == [(BASE + "measure/2.0.6.3",)]     # added
    assert lasting(V2 + "measure/1.1.5.5") == [(BASE + "measure/1.1.5.5",)]     # renamed only
    # the deleted one is realised in 2014 only
    assert ask(later_build, f"SELECT ?m WHERE {{ ?m eli:is_member_of <{BASE}measure/1.1.5.8> }}") == [
        (V1 + "measure/1.1.5.8",)]


def test_the_change_set_holds_every_change_once(later_build):
    kinds = ask(later_build, f"""SELECT ?kind (COUNT(?c) AS ?n) WHERE {{
        <{BASE}changes/2014-04-15/{LATER}> pg:hasChange ?c . ?c pg:changeKind ?kind }}
        GROUP BY ?kind ORDER BY ?kind""")
    assert dict(kinds) == {"added": "1", "agencies": "2", "clause-text": "1", "cooperating": "1",
                           "moved": "1", "removed": "1", "renamed": "6", "renumbered": "1",
                           "strategy-text": "1", "targets": "2", "text": "1"}
