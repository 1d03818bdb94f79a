"""/.well-known/void: a VoID description of the dataset, computed from the store.

Turtle by default; JSON-LD, N-Triples, RDF/XML, or an HTML page showing the Turtle, by conneg.
Counts are computed once per build (the store is read-only); the URLs of the endpoint and the dumps
are the site's published ones (settings: public_url, else from the base IRI), never the Host a
request names.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ..model.catalog import DATA_LICENCE, dataset_iri
from . import conneg, rdfio
from .deps import Site, StoreSiteDep
from .descriptions import natural_key
from .dumps import DUMPS, dump_url
from .layout import bilingual, error, esc, not_acceptable, page
from .openapi import get_and_head, ok, site_error

router = APIRouter()

VOID = "http://rdfs.org/ns/void#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
PATH = "/.well-known/void"

VARIANTS = [conneg.TURTLE, conneg.JSONLD, conneg.NTRIPLES, conneg.RDFXML, conneg.HTML]
TITLES = {"zh-Hant": "國家廉政建設行動方案知識圖譜",
          "en": "Knowledge graph of Taiwan's National Integrity Building Action Plan"}
DESCRIPTIONS = {
    "zh-Hant": "行政院「國家廉政建設行動方案」之具體策略、執行措施、績效目標與辦理機關，"
               "每一事實皆註明其來源行號。",
    "en": "The strategies, measures, performance targets and responsible agencies of the "
          "Executive Yuan's National Integrity Building Action Plan, each fact with the source "
          "lines it was read from.",
}
EXAMPLE_CLASSES = ("PlanVersion", "Measure", "Target", "Agency", "Instrument")
MAX_ROWS = 1000


@dataclass
class Stats:
    triples: int
    subjects: int
    objects: int
    classes: list[tuple[str, int]]         # (class IRI, instances)
    properties: list[tuple[str, int]]      # (property IRI, triples)
    graphs: list[tuple[str, int]]          # (graph IRI, triples)
    examples: list[str]


def _count(site: Site, sparql: str) -> int:
    rows = list(site.query(sparql))
    return int(rows[0]["n"].value) if rows else 0


def stats(site: Site) -> Stats:
    cached = site.cache.get("void-stats")
    if isinstance(cached, Stats):
        return cached
    classes = [(r["c"].value, int(r["n"].value)) for r in site.query(
        f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c }} GROUP BY ?c "
        f"ORDER BY ?c LIMIT {MAX_ROWS}") if isinstance(r["c"], ox.NamedNode)]
    properties = [(r["p"].value, int(r["n"].value)) for r in site.query(
        f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }} GROUP BY ?p ORDER BY ?p "
        f"LIMIT {MAX_ROWS}")]
    graphs = [(r["g"].value, int(r["n"].value)) for r in site.query(
        f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g ORDER BY ?g "
        f"LIMIT {MAX_ROWS}")]
    examples = []
    for name in EXAMPLE_CLASSES:
        rows = [r["s"].value for r in site.query(
            f"SELECT ?s WHERE {{ ?s a <https://w3id.org/plangraph/ontology#{name}> }} "
            f"LIMIT {MAX_ROWS}") if isinstance(r["s"], ox.NamedNode)]
        if rows:
            examples.append(min(rows, key=natural_key))
    result = Stats(
        # distinct triples: a triple in two named graphs is one triple of the dataset, as in
        # the merged dumps (plangraph.ttl, plangraph.jsonld)
        triples=_count(site, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o "
                             "WHERE { ?s ?p ?o } } LIMIT 1"),
        subjects=_count(site, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o } LIMIT 1"),
        objects=_count(site, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o } LIMIT 1"),
        classes=classes, properties=properties, graphs=graphs, examples=examples)
    site.cache["void-stats"] = result
    return result


def namespace_of(iri: str) -> str:
    """The vocabulary an IRI belongs to: up to its last '#' or '/'."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1] if cut > 0 else iri


def _slug(iri: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in rdfio.curie(iri)).strip("-")


def description(site: Site, root: str) -> list[ox.Triple]:
    """The VoID triples; `root` is the published URL of the site (no trailing slash)."""
    s = stats(site)
    doc = ox.NamedNode(root + PATH)
    # the dataset's one IRI, the one the DCAT catalogue (graph/catalog) describes
    ds = ox.NamedNode(str(dataset_iri(site.base)))

    def n(iri: str) -> ox.NamedNode:
        return ox.NamedNode(iri)

    def integer(value: int) -> ox.Literal:
        return ox.Literal(str(value), datatype=n(XSD + "integer"))

    t: list[ox.Triple] = [
        ox.Triple(doc, n(RDF_TYPE), n(VOID + "DatasetDescription")),
        ox.Triple(doc, n(FOAF + "primaryTopic"), ds),
        ox.Triple(doc, n(DCT + "title"),
                  ox.Literal("VoID description of plangraph", language="en")),
        ox.Triple(ds, n(RDF_TYPE), n(VOID + "Dataset")),
        ox.Triple(ds, n(VOID + "triples"), integer(s.triples)),
        ox.Triple(ds, n(VOID + "distinctSubjects"), integer(s.subjects)),
        ox.Triple(ds, n(VOID + "distinctObjects"), integer(s.objects)),
        ox.Triple(ds, n(VOID + "classes"), integer(len(s.classes))),
        ox.Triple(ds, n(VOID + "properties"), integer(len(s.properties))),
        ox.Triple(ds, n(VOID + "sparqlEndpoint"), n(root + "/sparql")),
        ox.Triple(ds, n(VOID + "uriSpace"), ox.Literal(site.base)),
        ox.Triple(ds, n(VOID + "rootResource"), n(site.base + "plan")),
        ox.Triple(ds, n(VOID + "feature"), n("http://www.w3.org/ns/formats/Turtle")),
        ox.Triple(ds, n(VOID + "feature"), n("http://www.w3.org/ns/formats/JSON-LD")),
        ox.Triple(ds, n(VOID + "feature"), n("http://www.w3.org/ns/formats/N-Triples")),
        ox.Triple(ds, n(VOID + "feature"), n("http://www.w3.org/ns/formats/RDF_XML")),
        ox.Triple(ds, n(DCT + "license"), n(str(DATA_LICENCE))),
    ]
    for lang, text in TITLES.items():
        t.append(ox.Triple(ds, n(DCT + "title"), ox.Literal(text, language=lang)))
    for lang, text in DESCRIPTIONS.items():
        t.append(ox.Triple(ds, n(DCT + "description"), ox.Literal(text, language=lang)))
    for name in DUMPS:
        if (site.settings.out / name).is_file() and not name.endswith(".json"):
            t.append(ox.Triple(ds, n(VOID + "dataDump"), n(root + dump_url(name))))
    vocabularies = {namespace_of(c) for c, _ in s.classes} | {namespace_of(p)
                                                                 for p, _ in s.properties}
    for vocabulary in sorted(vocabularies):
        t.append(ox.Triple(ds, n(VOID + "vocabulary"), n(vocabulary)))
    for example in s.examples:
        t.append(ox.Triple(ds, n(VOID + "exampleResource"), n(example)))
    for cls, count in s.classes:
        part = n(f"{root}{PATH}#class-{_slug(cls)}")
        t += [ox.Triple(ds, n(VOID + "classPartition"), part),
              ox.Triple(part, n(VOID + "class"), n(cls)),
              ox.Triple(part, n(VOID + "entities"), integer(count))]
    for prop, count in s.properties:
        part = n(f"{root}{PATH}#property-{_slug(prop)}")
        t += [ox.Triple(ds, n(VOID + "propertyPartition"), part),
              ox.Triple(part, n(VOID + "property"), n(prop)),
              ox.Triple(part, n(VOID + "triples"), integer(count))]
    for graph, count in s.graphs:
        sub = n(f"{root}{PATH}#graph-{_slug(graph)}")
        t += [ox.Triple(ds, n(VOID + "subset"), sub),
              ox.Triple(sub, n(RDF_TYPE), n(VOID + "Dataset")),
              ox.Triple(sub, n(DCT + "identifier"), ox.Literal(graph)),
              ox.Triple(sub, n(VOID + "triples"), integer(count)),
              ox.Triple(sub, n(FOAF + "page"), n(graph))]
    return t


@get_and_head(router, PATH, response_class=Response, summary="The VoID description of the dataset",
              responses={
                  200: ok("VoID: Turtle by default; JSON-LD, N-Triples or an HTML page by "
                          "Accept or `format`", [v.media_type for v in VARIANTS]),
                  400: site_error("an unknown `format`"),
                  406: site_error("none of the formats is acceptable (Accept)")})
def void(request: Request, site: StoreSiteDep,
         format: str | None = Query(None, description="turtle, jsonld, nt or rdfxml: overrides Accept",
                                    examples=list(rdfio.BY_KEY))) -> Response:
    """`?format=turtle|jsonld|nt` overrides the Accept header (links a browser can follow)."""
    if format is not None and format not in rdfio.BY_KEY:
        return error(request, site, 400, f"unknown format {format!r}: use one of "
                     f"{', '.join(rdfio.BY_KEY)}")
    if format is not None:
        variant: conneg.Variant | None = rdfio.BY_KEY[format].variant
    else:
        variant = conneg.negotiate(request.headers.get("accept"), VARIANTS)
    if variant is None:
        return not_acceptable(request, site, VARIANTS)
    root = site.settings.site_root
    triples = description(site, root)
    prefixes = {**rdfio.PREFIXES, "": root + PATH + "#"}
    headers = {"Vary": "Accept"}
    if variant is conneg.HTML:
        turtle = rdfio.serialize(triples, rdfio.TURTLE, prefixes).decode("utf-8")
        body = (f'<h1>{bilingual("資料集描述（VoID）", "Dataset description (VoID)")}</h1>'
                '<p lang="en">This description is served as Turtle to clients that do not ask '
                'for HTML; it is also available as '
                + " · ".join(f'<a href="{PATH}?format={f.variant.key}">{esc(f.suffix[1:])}</a>'
                             for f in rdfio.FORMATS)
                + '.</p>' + f'<pre class="turtle">{esc(turtle)}</pre>')
        return page(site, "VoID", body, headers=headers)
    return rdfio.rdf_response(triples, rdfio.BY_KEY[variant.key], prefixes=prefixes,
                              headers=headers)
