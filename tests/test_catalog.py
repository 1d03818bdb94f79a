"""The dataset description (src/plangraph/catalog.py): DCAT (DCAT-AP's mandatory and recommended
properties that we can source) and VoID, made from the real build's graphs, in-process."""

from __future__ import annotations

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, VOID

from plangraph.build.pipeline import make_graphs
from plangraph.config import Settings, read_turtle
from plangraph.model.catalog import DUMPS, OGDL, catalog_graph, catalog_graph_iri, site_root
from plangraph.model.rdf import Iris
from plangraph.model.registry import Registry

BASE = "https://w3id.org/plangraph/id/"
SITE = "https://w3id.org/plangraph/"
ID = Namespace(BASE)
PG = Namespace("https://w3id.org/plangraph/ontology#")
DCAT3 = Namespace(str(DCAT))


@pytest.fixture(scope="module")
def made() -> tuple[dict[URIRef, Graph], Graph]:
    settings = Settings()
    settings.base = BASE
    versions, graphs = make_graphs(settings.default_sources(), settings)
    graphs = {name: g.graph() for name, g in graphs.items()}
    iris = Iris(BASE)
    built_catalog = graphs.pop(catalog_graph_iri(iris))     # the build makes it: check it is this
    catalog = catalog_graph(versions, graphs, Registry.load(settings.registry_dir), iris).graph()
    assert set(built_catalog) == set(catalog)
    return graphs, catalog


def langs(g: Graph, s: URIRef, p: URIRef) -> set[str]:
    """Language tags, compared case-insensitively (BCP 47): the dumps write them lower-cased."""
    return {o.language.lower() for o in g.objects(s, p) if isinstance(o, Literal) and o.language}


def test_site_root_follows_the_base() -> None:
    assert site_root(BASE) == SITE
    assert site_root("http://127.0.0.1:8000/id/") == "http://127.0.0.1:8000/"


def test_catalog_dataset_and_service_have_bilingual_titles(made) -> None:
    _, g = made
    catalog, dataset, service = ID["catalog"], ID["dataset"], ID["service/sparql"]
    assert (catalog, RDF.type, DCAT.Catalog) in g
    assert (dataset, RDF.type, DCAT.Dataset) in g and (dataset, RDF.type, VOID.Dataset) in g
    assert (service, RDF.type, DCAT.DataService) in g
    for node in (catalog, dataset):
        assert langs(g, node, DCTERMS.title) == {"zh-hant", "en"}
        assert langs(g, node, DCTERMS.description) == {"zh-hant", "en"}
    assert langs(g, service, DCTERMS.title) == {"zh-hant", "en"}
    assert (catalog, DCAT.dataset, dataset) in g and (catalog, DCAT.service, service) in g


def test_publisher_and_licences(made) -> None:
    graphs, g = made
    dataset, publisher = ID["dataset"], ID["agent/plangraph"]
    assert g.value(dataset, DCTERMS.publisher) == publisher
    assert (publisher, RDF.type, FOAF.Agent) in g and langs(g, publisher, FOAF.name)
    # the data holds the government's text: its licence, OGDL-Taiwan-1.0, not the code's MIT
    ogdl = URIRef("https://spdx.org/licenses/OGDL-Taiwan-1.0")
    assert g.value(dataset, DCTERMS.license) == ogdl
    assert "Open Government Data License" in " ".join(map(str, g.objects(ogdl, DCTERMS.title)))
    assert g.value(ID["graph/plan/2014-04-15"], DCTERMS.license) == ogdl
    assert g.value(ID["graph/ontology"], DCTERMS.license) == URIRef("https://spdx.org/licenses/MIT")
    # the source text: Taiwan's Open Government Data License, issued by the Executive Yuan
    source_doc = ID["plan/2014-04-15/source"]
    assert g.value(ID["graph/plan/2014-04-15"], DCTERMS.source) == source_doc
    assert (source_doc, RDF.type, PG.SourceDocument) in graphs[ID["graph/plan/2014-04-15"]]
    assert g.value(source_doc, DCTERMS.license) == OGDL == URIRef("https://data.gov.tw/license")
    assert langs(g, OGDL, DCTERMS.title) == {"zh-hant", "en"}
    assert g.value(source_doc, DCTERMS.creator) == ID["agency/ey"]   # meta: [issuer] agency


def test_distributions_are_the_dumps_and_the_endpoint(made) -> None:
    from plangraph.web.dumps import DUMPS as SERVED

    _, g = made
    dataset = ID["dataset"]
    distributions = set(g.objects(dataset, DCAT.distribution))
    assert len(distributions) == len(DUMPS) + 1
    for d in distributions:
        assert g.value(d, DCAT.accessURL) is not None   # DCAT-AP: mandatory
        assert langs(g, d, DCTERMS.title) == {"zh-hant", "en"}
    for dump in DUMPS:
        d = ID[f"dataset/distribution/{dump.name}"]
        assert g.value(d, DCAT.downloadURL) == URIRef(f"{SITE}data/{dump.name}")
        assert (dataset, VOID.dataDump, URIRef(f"{SITE}data/{dump.name}")) in g
        # the media type the site serves it with (web/dumps.py), as an IANA IRI
        assert SERVED[dump.name].media_type.split(";")[0] == dump.media_type
        assert str(g.value(d, DCAT.mediaType)).endswith("/media-types/" + dump.media_type)
        assert str(g.value(d, DCTERMS["format"])).startswith(
            "http://publications.europa.eu/resource/authority/file-type/")
    service = ID["service/sparql"]
    assert g.value(service, DCAT.endpointURL) == URIRef(SITE + "sparql")
    assert g.value(service, DCAT.servesDataset) == dataset
    assert g.value(dataset, VOID.sparqlEndpoint) == URIRef(SITE + "sparql")


def test_every_named_graph_is_a_subset_with_its_size(made) -> None:
    graphs, g = made
    iris = Iris(BASE)
    dataset = ID["dataset"]
    # every named graph, and the linksets (VoID: a linkset is a subset of its subjects' dataset)
    subsets = set(g.objects(dataset, VOID.subset)) - set(g.subjects(RDF.type, VOID.Linkset))
    assert subsets == set(graphs) | {iris.ontology_graph(), catalog_graph_iri(iris)}
    for name, graph in graphs.items():
        assert g.value(name, VOID.triples).toPython() == len(graph), name
        assert g.value(name, DCTERMS.title) is not None, name
    version = ID["graph/plan/2014-04-15"]
    assert g.value(version, DCAT3.version) == Literal("2014-04-15")
    assert g.value(version, FOAF.primaryTopic) == ID["plan/2014-04-15"]


def test_the_catalog_keeps_the_shapes_and_has_no_blank_nodes(made) -> None:
    from rdflib import BNode

    from plangraph.validation.shapes import run_shacl

    graphs, g = made
    assert not [t for t in g if any(isinstance(x, BNode) for x in t)]
    data = Graph()
    for graph in [*graphs.values(), g]:
        data += graph
    violations = run_shacl(data, read_turtle(Settings().shapes, "the SHACL shapes"))
    assert not violations, "\n".join(map(str, violations))


def test_dcat_ap_fields(made) -> None:
    _, g = made
    dataset = ID["dataset"]
    XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
    # the dates the data holds: the only version is of 2014-04-15 (its metadata)
    assert g.value(dataset, DCTERMS.issued) == Literal("2014-04-15", datatype=XSD.date)
    assert g.value(dataset, DCTERMS.modified) == Literal("2014-04-15", datatype=XSD.date)
    assert g.value(dataset, DCTERMS.spatial) == URIRef(
        "http://publications.europa.eu/resource/authority/country/TWN")
    assert set(g.objects(dataset, DCTERMS.language)) == {
        URIRef("http://publications.europa.eu/resource/authority/language/ZHO"),
        URIRef("http://publications.europa.eu/resource/authority/language/ENG")}
    assert g.value(dataset, DCTERMS.accrualPeriodicity) == URIRef(
        "http://publications.europa.eu/resource/authority/frequency/IRREG")
    contact = g.value(dataset, DCAT.contactPoint)
    VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
    assert (contact, RDF.type, VCARD.Organization) in g
    assert g.value(contact, VCARD.hasURL) == URIRef(SITE)


def test_linksets_count_the_links_out(made) -> None:
    graphs, g = made
    dataset = ID["dataset"]
    linksets = {g.value(ls, VOID.linkPredicate): ls for ls in g.subjects(RDF.type, VOID.Linkset)}
    assert set(linksets) == {URIRef("http://www.w3.org/2000/01/rdf-schema#seeAlso"), PG.oid,
                             DCTERMS.subject}
    registry = graphs[ID["graph/registry"]]
    oids = [o for o in registry.objects(None, PG.oid)]
    assert len(oids) == 28 and all(str(o).startswith("urn:oid:2.16.886.101.") for o in oids)
    assert g.value(linksets[PG.oid], VOID.triples).toPython() == 28
    # the 13 instruments with a pcode (instruments.toml) link to their law database page
    assert g.value(linksets[URIRef("http://www.w3.org/2000/01/rdf-schema#seeAlso")],
                   VOID.triples).toPython() == 13
    assert g.value(linksets[DCTERMS.subject], VOID.triples).toPython() == 1     # SDG 16.5
    for ls in linksets.values():
        assert g.value(ls, VOID.subjectsTarget) == dataset
        assert (g.value(ls, VOID.objectsTarget), RDF.type, VOID.Dataset) in g
        assert (dataset, VOID.subset, ls) in g


def test_one_dataset_iri_for_dcat_and_void() -> None:
    from plangraph.model.catalog import dataset_iri
    assert dataset_iri(BASE) == ID["dataset"]
    assert dataset_iri("http://127.0.0.1:8000/id") == URIRef("http://127.0.0.1:8000/id/dataset")
