"""The dataset's own description, DCAT (DCAT-AP style) and VoID, as the named graph `graph/catalog`.

Written at build time beside the data graphs, so that it travels with every dump and every
`plangraph publish`: the catalog, the dataset and one sub-dataset per named graph (a plan version,
the registry, the ontology, this catalog), its distributions (the dumps, with media types and EU
file types) and the SPARQL endpoint as a dcat:DataService.

Where each fact comes from:
- publisher and creator of the graph: the plangraph project;
- licences: the data (the government's text and every fact read from it) is under Taiwan's Open
  Government Data License 1.0 (SPDX `OGDL-Taiwan-1.0`), the licence of the text it holds; the
  ontology and the code are the project's own work, under MIT;
- DCAT-AP dates: `dct:issued` is the earliest version date and `dct:modified` the latest (what
  the data holds, not when it was built: the same input gives the same triples); the publication
  rhythm (`dct:accrualPeriodicity`) is irregular, a new version when the plan is amended;
- the source text: each version's source document (`plan/{date}/source`), its issuer from the
  version's metadata (`[issuer] agency`, data/plan-*.meta.toml, which cites its source), its licence
  from `[licence] source_text_url` there (Taiwan's Open Government Data License 1.0);
- version dates: each version's `version_date` (its metadata, with its source);
- addresses: the site serves `/data/<dump>` and `/sparql` beside `/id/…`; with the default base
  `https://w3id.org/plangraph/id/` the site is `https://w3id.org/plangraph/`.

No blank nodes; no dates of the build itself (the same input gives the same triples).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sized
from dataclasses import dataclass
from typing import Any, Protocol

from rdflib import RDF, RDFS, XSD, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, VOID

from ..vocab import ADMS, DCAT3, ELI, FREQ, ORG, PG, PG_IRI
from .ntriples import Triples
from .rdf import IANA, Iris
from .registry import Registry

CATALOG_GRAPH = "graph/catalog"   # relative to the base, like graph/registry
MIT = URIRef("https://spdx.org/licenses/MIT")
# the data's licence: SPDX's identifier for Taiwan's Open Government Data License, version 1.0
# (the licence page itself, https://data.gov.tw/license, is what the source text cites)
DATA_LICENCE = URIRef("https://spdx.org/licenses/OGDL-Taiwan-1.0")
OGDL = URIRef("https://data.gov.tw/license")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
COUNTRY_TWN = URIRef("http://publications.europa.eu/resource/authority/country/TWN")
IRREGULAR = FREQ["IRREG"]
# the outside datasets the graph links to, each a void:Linkset target (described here)
LINK_TARGETS = {
    "law-database": ({"zh-Hant": "全國法規資料庫", "en": "Laws and Regulations Database of the "
                      "Republic of China (Taiwan)"}, "https://law.moj.gov.tw/"),
    "oid-registry": ({"zh-Hant": "政府機關（構）物件識別碼（OID）", "en": "Government OID "
                      "registry of Taiwan"}, "https://oid.nat.gov.tw/"),
    "un-sdg": ({"zh-Hant": "聯合國永續發展目標鏈結資料", "en": "UN Sustainable Development Goals "
                "linked data"}, "http://metadata.un.org/sdg/"),
}
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

TITLE = {"zh-Hant": "國家廉政建設行動方案知識圖譜",
         "en": "Knowledge graph of Taiwan's National Integrity Building Action Plan"}
DESCRIPTION = {
    "zh-Hant": "行政院「國家廉政建設行動方案」之具體策略、執行措施、績效目標與辦理機關，"
               "每一事實皆註明其來源行號；機關、法規與識別碼皆附出處。",
    "en": "The strategies, measures, performance targets and responsible agencies of the "
          "Executive Yuan's National Integrity Building Action Plan, each fact with the source "
          "lines it was read from; agencies, laws and identifiers each with their source.",
}
KEYWORDS = {"zh-Hant": ["廉政", "反貪腐", "國家廉政建設行動方案", "行政院"],
            "en": ["integrity", "anti-corruption", "action plan", "Taiwan", "Executive Yuan"]}
RIGHTS = {
    "zh-Hant": "資料（原始文本及自其讀出之事實）：依政府資料開放授權條款-第1版（OGDL-Taiwan-1.0）提供，"
               "原始文本由行政院發布。本體與程式碼：MIT 授權。",
    "en": "The data (the source text and every fact read from it): under Taiwan's Open Government "
          "Data License, version 1.0 (OGDL-Taiwan-1.0); the source text is published by the "
          "Executive Yuan. The ontology and the code: MIT licence.",
}
PUBLISHER_NAME = {"zh-Hant": "plangraph 專案", "en": "the plangraph project"}
VOCABULARIES = [PG_IRI, str(ELI), str(ORG), "http://www.w3.org/2004/02/skos/core#",
                "http://www.w3.org/ns/prov#", str(DCTERMS), str(ADMS), str(FREQ), str(DCAT),
                str(VOID)]


@dataclass(frozen=True)
class Dump:
    """A file `plangraph build` writes and the site serves at /data/{name}."""

    name: str
    media_type: str     # as the site serves it (web/dumps.py), without parameters
    file_type: str      # EU file-type authority code
    zh: str
    en: str


DUMPS = (
    Dump("plangraph.nq", "application/n-quads", "RDF_N_QUADS",
         "所有具名圖（N-Quads，標準傾印）", "every named graph, as N-Quads (the canonical dump)"),
    Dump("plangraph.ttl", "text/turtle", "RDF_TURTLE", "全部資料與本體合併（Turtle）",
         "the whole dataset merged, data and ontology, as Turtle (the triples VoID counts)"),
    Dump("plangraph.nt", "application/n-triples", "RDF_N_TRIPLES",
         "資料圖合併（排序之 N-Triples，不含本體）",
         "the data graphs merged, without the ontology, as sorted N-Triples (what the shapes "
         "validate)"),
    Dump("plangraph.jsonld", "application/ld+json", "JSON_LD", "全部資料與本體合併（JSON-LD）",
         "the whole dataset merged, data and ontology, as JSON-LD (the triples VoID counts)"),
)


class _Version(Protocol):
    """What the catalog reads of a built version (build.Version)."""

    source: Any


def site_root(base: str) -> str:
    """The site that serves the base's resources: `…/id/` is served at the site's /id/."""
    return base[: -len("id/")] if base.endswith("/id/") else base


def catalog_graph_iri(iris: Iris) -> URIRef:
    return iris.base[CATALOG_GRAPH]


def dataset_iri(base: str) -> URIRef:
    """The dataset's one IRI, in DCAT and in VoID (web/void.py describes the same resource)."""
    return URIRef((base if base.endswith(("/", "#")) else base + "/") + "dataset")


def catalog_graph(versions: Iterable[_Version], graphs: Mapping[URIRef, Sized],
                  registry: Registry, iris: Iris, site: str | None = None) -> Triples:
    """The DCAT/VoID description of the dataset built from `versions` into `graphs`."""
    site = site or site_root(str(iris.base))
    versions = list(versions)
    g = Triples()
    add = g.add
    base = iris.base
    catalog, dataset, publisher = base["catalog"], dataset_iri(str(base)), base["agent/plangraph"]
    contact = base["agent/plangraph/contact"]
    dates = sorted(v.source.version for v in versions)
    service = base["service/sparql"]
    endpoint = URIRef(site + "sparql")

    def texts(subject: URIRef, prop: URIRef, values: dict[str, str]) -> None:
        for lang, text in values.items():
            add((subject, prop, Literal(text, lang=lang)))

    # the publisher: this project
    add((publisher, RDF.type, FOAF.Agent))
    texts(publisher, FOAF.name, PUBLISHER_NAME)

    # its contact point (DCAT-AP): the project's site
    add((contact, RDF.type, VCARD.Organization))
    add((contact, VCARD.fn, Literal(PUBLISHER_NAME["en"], lang="en")))
    add((contact, VCARD.hasURL, URIRef(site)))

    # licences
    add((MIT, RDF.type, DCTERMS.LicenseDocument))
    add((MIT, DCTERMS.title, Literal("MIT License", lang="en")))
    add((DATA_LICENCE, RDF.type, DCTERMS.LicenseDocument))
    add((DATA_LICENCE, DCTERMS.title, Literal("政府資料開放授權條款-第1版", lang="zh-Hant")))
    add((DATA_LICENCE, DCTERMS.title,
         Literal("Open Government Data License, version 1.0 (OGDL-Taiwan-1.0)", lang="en")))
    add((DATA_LICENCE, RDFS.seeAlso, OGDL))

    # the catalog
    add((catalog, RDF.type, DCAT.Catalog))
    texts(catalog, DCTERMS.title, {k: f"{v}：資料目錄" if k == "zh-Hant" else f"{v}: catalogue"
                                   for k, v in TITLE.items()})
    texts(catalog, DCTERMS.description, DESCRIPTION)
    add((catalog, DCTERMS.publisher, publisher))
    add((catalog, DCTERMS.license, DATA_LICENCE))
    add((catalog, FOAF.homepage, URIRef(site)))
    add((catalog, DCAT.dataset, dataset))
    add((catalog, DCAT.service, service))

    # the dataset
    for cls in (DCAT.Dataset, VOID.Dataset):
        add((dataset, RDF.type, cls))
    texts(dataset, DCTERMS.title, TITLE)
    texts(dataset, DCTERMS.description, DESCRIPTION)
    texts(dataset, DCTERMS.rights, RIGHTS)
    for lang, words in KEYWORDS.items():
        for word in words:
            add((dataset, DCAT.keyword, Literal(word, lang=lang)))
    add((dataset, DCAT.theme, THEME.GOVE))   # government and public sector
    add((dataset, DCAT.theme, THEME.JUST))   # justice, legal system and public safety
    add((dataset, DCTERMS.publisher, publisher))
    add((dataset, DCTERMS.creator, publisher))
    add((dataset, DCTERMS.license, DATA_LICENCE))
    add((dataset, DCAT.contactPoint, contact))
    add((dataset, DCTERMS.spatial, COUNTRY_TWN))
    for code in ("ZHO", "ENG"):     # the text and labels in Chinese; labels and notes in English
        add((dataset, DCTERMS.language, LANGUAGE[code]))
    add((dataset, DCTERMS.accrualPeriodicity, IRREGULAR))
    if dates:
        add((dataset, DCTERMS.issued, Literal(dates[0], datatype=XSD.date)))
        add((dataset, DCTERMS.modified, Literal(dates[-1], datatype=XSD.date)))
    add((dataset, DCAT.landingPage, URIRef(site)))
    add((dataset, FOAF.primaryTopic, iris.plan()))
    add((dataset, VOID.rootResource, iris.plan()))
    add((dataset, VOID.uriSpace, Literal(str(base))))
    add((dataset, VOID.sparqlEndpoint, endpoint))
    for vocabulary in VOCABULARIES:
        add((dataset, VOID.vocabulary, URIRef(vocabulary)))
    for fmt in ("N-Quads", "Turtle", "N-Triples", "JSON-LD"):   # of the dumps
        add((dataset, VOID.feature, FORMATS[fmt]))

    # one sub-dataset per named graph: its IRI is the graph's name
    subsets = [(iris.version_graph(v.source.version), v) for v in versions]
    for graph_iri, version in subsets:
        _version_subset(g, graph_iri, version, registry, iris)
    others = [(iris.registry_graph(), {"zh-Hant": "登錄資料：機關、機構、法規、出處",
                                       "en": "the registry: agencies, bodies, instruments, "
                                             "sources"}),
              (iris.ontology_graph(), {"zh-Hant": "本體（OWL）", "en": "the ontology (OWL)"}),
              (catalog_graph_iri(iris), {"zh-Hant": "本資料目錄（DCAT、VoID）",
                                         "en": "this catalogue (DCAT, VoID)"})]
    known = {s for s, _ in subsets} | {s for s, _ in others}
    for graph_iri in sorted(set(graphs) - known):   # any other graph the build makes
        others.append((graph_iri, {"en": f"named graph {graph_iri.removeprefix(str(base))}"}))
    for graph_iri, title in others:
        for cls in (DCAT.Dataset, VOID.Dataset):
            add((graph_iri, RDF.type, cls))
        texts(graph_iri, DCTERMS.title, title)
    for graph_iri in [s for s, _ in subsets] + [s for s, _ in others]:
        add((dataset, VOID.subset, graph_iri))
        add((dataset, DCTERMS.hasPart, graph_iri))
        add((graph_iri, DCTERMS.isPartOf, dataset))
        add((graph_iri, DCTERMS.license, MIT if graph_iri == iris.ontology_graph() else DATA_LICENCE))
        if graph_iri in graphs and graph_iri != catalog_graph_iri(iris):
            add((graph_iri, VOID.triples, Literal(len(graphs[graph_iri]), datatype=XSD.integer)))
    _linksets(g, dataset, graphs, iris)

    # distributions: the dumps, and the SPARQL endpoint
    for dump in DUMPS:
        d = base[f"dataset/distribution/{dump.name}"]
        url = URIRef(f"{site}data/{dump.name}")
        add((dataset, DCAT.distribution, d))
        add((dataset, VOID.dataDump, url))
        add((d, RDF.type, DCAT.Distribution))
        texts(d, DCTERMS.title, {"zh-Hant": dump.zh, "en": dump.en})
        add((d, DCAT.downloadURL, url))
        add((d, DCAT.accessURL, url))
        add((d, DCAT.mediaType, IANA[dump.media_type]))
        add((d, DCTERMS["format"], FILE_TYPE[dump.file_type]))
        add((d, DCTERMS.license, DATA_LICENCE))
        # as ELI reads it: a format that embodies each version's text
        add((d, RDF.type, ELI.Format))
        add((d, ELI["format"], IANA[dump.media_type]))
        for v in versions:
            add((d, ELI.embodies, iris.expression(v.source.version)))
    d = base["dataset/distribution/sparql"]
    add((dataset, DCAT.distribution, d))
    add((d, RDF.type, DCAT.Distribution))
    texts(d, DCTERMS.title, {"zh-Hant": "SPARQL 查詢端點", "en": "the SPARQL endpoint"})
    add((d, DCAT.accessURL, endpoint))
    add((d, DCAT.accessService, service))
    add((d, DCTERMS.license, DATA_LICENCE))

    # the endpoint as a data service
    add((service, RDF.type, DCAT.DataService))
    texts(service, DCTERMS.title, {"zh-Hant": "國家廉政建設行動方案知識圖譜 SPARQL 端點",
                                   "en": "SPARQL endpoint of the National Integrity Building "
                                         "Action Plan knowledge graph"})
    add((service, DCAT.endpointURL, endpoint))
    add((service, DCAT.endpointDescription, endpoint))  # GET without a query: its description
    add((service, DCAT.servesDataset, dataset))
    add((service, DCTERMS.conformsTo, SPARQL_PROTOCOL))
    add((service, DCTERMS.publisher, publisher))
    add((service, DCTERMS.license, DATA_LICENCE))
    return g


def _linksets(g: Triples, dataset: URIRef, graphs: Mapping[URIRef, Sized], iris: Iris) -> None:
    """One void:Linkset per outside dataset the graph links to, with the link predicate and the
    number of links (counted in the registry and plan graphs, which hold them)."""
    counted = [graphs[n] for n in (iris.registry_graph(), iris.base["graph/plan"]) if n in graphs]
    # the build's graphs are N-Triples lines (Triples); a caller may pass rdflib graphs
    lines = [t if isinstance(t, str) else f"{t[0].n3()} {t[1].n3()} {t[2].n3()}"
             for graph in counted for t in graph]    # type: ignore[attr-defined]
    links = {   # name: (link predicate, subjects' IRI prefix, objects' IRI prefix)
        "law-database": (RDFS.seeAlso, f"{iris.base}instrument/", "https://law.moj.gov.tw/"),
        "oid-registry": (PG.oid, f"{iris.base}agency/", "urn:oid:"),
        "un-sdg": (DCTERMS.subject, f"{iris.base}", "http://metadata.un.org/sdg/"),
    }
    for name, (predicate, subjects, prefix) in links.items():
        marker = f" <{predicate}> <{prefix}"
        count = sum(1 for line in lines if marker in line and line.startswith(f"<{subjects}"))
        if not count:
            continue
        titles, homepage = LINK_TARGETS[name]
        target, linkset = iris.base[f"dataset/target/{name}"], iris.base[f"dataset/linkset/{name}"]
        g.add((target, RDF.type, VOID.Dataset))
        for lang, text in titles.items():
            g.add((target, DCTERMS.title, Literal(text, lang=lang)))
        g.add((target, FOAF.homepage, URIRef(homepage)))
        g.add((target, VOID.uriSpace, Literal(prefix)))
        g.add((linkset, RDF.type, VOID.Linkset))
        g.add((linkset, VOID.subjectsTarget, dataset))
        g.add((linkset, VOID.objectsTarget, target))
        g.add((linkset, VOID.linkPredicate, predicate))
        g.add((linkset, VOID.triples, Literal(count, datatype=XSD.integer)))
        g.add((dataset, VOID.subset, linkset))


def _version_subset(g: Triples, graph_iri: URIRef, version: _Version, registry: Registry,
                    iris: Iris) -> None:
    """One version's named graph: its version date, its source document, the text's issuer and
    licence (from the version's metadata)."""
    meta, date = version.source.meta, version.source.version
    source_doc = iris.in_version(date, "source")
    for cls in (DCAT.Dataset, VOID.Dataset):
        g.add((graph_iri, RDF.type, cls))
    g.add((graph_iri, DCTERMS.title, Literal(f"國家廉政建設行動方案（{date} 版）", lang="zh-Hant")))
    g.add((graph_iri, DCTERMS.title, Literal(f"The National Integrity Building Action Plan, "
                                             f"version of {date}", lang="en")))
    # the version date: the plan version (primary topic) has it as eli:version_date, with the
    # source of that date (dct:source on the version)
    g.add((graph_iri, DCAT3.version, Literal(date)))
    g.add((graph_iri, FOAF.primaryTopic, iris.version(date)))
    g.add((graph_iri, DCTERMS.source, source_doc))
    issuer = meta.issuer.agency if meta and meta.issuer else None
    if issuer in registry.entities:
        g.add((source_doc, DCTERMS.creator, iris.entity(registry.get(issuer))))
    licence = meta.licence if meta else None
    if licence and licence.source_text_url:
        url = URIRef(licence.source_text_url)
        g.add((source_doc, DCTERMS.license, url))
        g.add((url, RDF.type, DCTERMS.LicenseDocument))
        for lang, title in _split_title(licence.source_text or "").items():
            g.add((url, DCTERMS.title, Literal(title, lang=lang)))


def _split_title(text: str) -> dict[str, str]:
    """'政府資料開放授權條款-第1版 (Open Government Data License, version 1.0)' → zh-Hant and en."""
    m = re.fullmatch(r"\s*(.+?)\s*\((.+)\)\s*", text)
    if m:
        return {"zh-Hant": m.group(1), "en": m.group(2)}
    return {"zh-Hant": text.strip()} if text.strip() else {}
