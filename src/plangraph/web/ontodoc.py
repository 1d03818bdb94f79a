"""/ontology: ontology/plangraph.ttl as HTML for browsers (every term with its labels, definitions
and an anchor), as Turtle (the file itself, comments included) or JSON-LD / N-Triples by conneg.

`href(site, iri)` is where any page links a term: our own pages for our IRIs, an anchor of this
page for the external terms the ontology documents (its term list), else None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox
from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from rdflib import OWL, RDF, RDFS, SKOS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS

from ..vocab import PG_IRI
from . import conneg, rdfio
from .deps import ONTOLOGY_IRI, ONTOLOGY_PATH, Site, SiteDep
from .layout import bilingual, error, esc, lang_tag, not_acceptable, page
from .openapi import get_and_head, ok, site_error

router = APIRouter()

VARIANTS = [conneg.HTML, conneg.TURTLE, conneg.JSONLD, conneg.NTRIPLES, conneg.RDFXML]

# (rdf:type, section id, English heading, zh-Hant heading), in page order
KINDS = [
    (OWL.Class, "classes", "Classes", "類別"),
    (OWL.ObjectProperty, "object-properties", "Object properties", "物件屬性"),
    (OWL.DatatypeProperty, "datatype-properties", "Datatype properties", "資料屬性"),
    (OWL.AnnotationProperty, "annotation-properties", "Annotation properties", "註解屬性"),
    (RDF.Property, "properties", "Other properties", "其他屬性"),
]
INDIVIDUALS = ("individuals", "Individuals", "個體")
EXTERNAL = ("external", "External terms used", "引用之外部詞彙")

# statements shown in each term's table: (predicate, English, zh-Hant)
RELATIONS = [
    (RDF.type, "type", "類型"),
    (RDFS.subClassOf, "sub-class of", "子類別於"),
    (RDFS.subPropertyOf, "sub-property of", "子屬性於"),
    (RDFS.domain, "domain", "定義域"),
    (RDFS.range, "range", "值域"),
    (OWL.inverseOf, "inverse of", "反屬性"),
    (OWL.equivalentClass, "equivalent class", "等價類別"),
    (OWL.equivalentProperty, "equivalent property", "等價屬性"),
    (SKOS.inScheme, "in scheme", "所屬架構"),
    (SKOS.exactMatch, "exact match", "完全對應"),
    (SKOS.closeMatch, "close match", "近似對應"),
    (RDFS.isDefinedBy, "defined by", "定義於"),
]


@dataclass
class Term:
    iri: str
    anchor: str
    curie: str
    kind: str
    labels: dict[str, str] = field(default_factory=dict)          # lang → label
    definitions: list[tuple[str, str]] = field(default_factory=list)  # (lang, text)
    comments: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Ontology:
    graph: Graph
    turtle: bytes
    terms: dict[str, Term]          # IRI → term, in page order
    prefixes: dict[str, str]


def load(site: Site) -> Ontology:
    """ontology/plangraph.ttl, parsed once per app (OSError when the file is missing)."""
    cached = site.cache.get("ontology")
    if isinstance(cached, Ontology):
        return cached
    turtle = site.settings.ontology.read_bytes()
    g = Graph(bind_namespaces="none").parse(data=turtle, format="turtle")
    prefixes = {p: str(ns) for p, ns in g.namespaces() if p}
    onto = Ontology(g, turtle, _terms(g, prefixes), prefixes)
    site.cache["ontology"] = onto
    return onto


def _anchor(iri: str, curie: str) -> str:
    if iri.startswith(PG_IRI):
        return iri[len(PG_IRI):]
    return re.sub(r"[^A-Za-z0-9_.:-]", "-", curie)


def _kind(g: Graph, s: URIRef) -> str:
    types = set(g.objects(s, RDF.type))
    for rdf_type, kind, _, _ in KINDS:
        if rdf_type in types:
            return kind
    return INDIVIDUALS[0]


def _terms(g: Graph, prefixes: dict[str, str]) -> dict[str, Term]:
    terms: list[Term] = []
    for s in set(g.subjects()):
        if not isinstance(s, URIRef) or str(s) in (ONTOLOGY_IRI, PG_IRI):
            continue
        iri = str(s)
        ours = iri.startswith(PG_IRI)
        if not ours and (s, RDFS.label, None) not in g:
            continue
        curie = rdfio.curie(iri, prefixes)
        term = Term(iri, _anchor(iri, curie), curie, _kind(g, s) if ours else EXTERNAL[0])
        for lit in g.objects(s, RDFS.label):
            if isinstance(lit, Literal):
                term.labels.setdefault(lang_tag(lit.language or "en"), str(lit))
        for predicate, target in ((SKOS.definition, term.definitions),
                                  (RDFS.comment, term.comments)):
            for lit in g.objects(s, predicate):
                if isinstance(lit, Literal):
                    target.append((lang_tag(lit.language or "en"), str(lit)))
            target.sort(key=lambda pair: (not pair[0].startswith("zh"), pair))
        terms.append(term)
    order = [k for _, k, _, _ in KINDS] + [INDIVIDUALS[0], EXTERNAL[0]]
    terms.sort(key=lambda t: (order.index(t.kind), t.curie.lower()))
    return {t.iri: t for t in terms}


def href(site: Site, iri: str) -> str | None:
    """Where a page links `iri`: our page for it, or its entry here, or None (not ours)."""
    ours = site.href(iri)
    if ours:
        return ours
    try:
        term = load(site).terms.get(iri)
    except OSError:
        return None
    return f"{ONTOLOGY_PATH}#{term.anchor}" if term else None


# -- routes ----------------------------------------------------------------------------------------

@get_and_head(router, "/ontology", response_class=Response, summary="The ontology, documented",
              responses={
                  200: ok("an HTML page, or the ontology as RDF by Accept",
                          [v.media_type for v in VARIANTS]),
                  406: site_error("none of the formats is acceptable (Accept)"),
                  503: site_error("the ontology file cannot be read")})
def ontology(request: Request, site: SiteDep) -> Response:
    return _serve(request, site, None)


@get_and_head(router, "/ontology.{suffix}", response_class=Response,
              summary="The ontology in one RDF format", responses={
                  200: ok("the ontology as Turtle (the file as written), JSON-LD, N-Triples or RDF/XML",
                          [f.variant.media_type for f in rdfio.FORMATS]),
                  404: site_error("no format with this suffix"),
                  503: site_error("the ontology file cannot be read")})
def ontology_file(request: Request, site: SiteDep,
                  suffix: str = Path(description="ttl, jsonld, nt or rdf",
                                     examples=[f.suffix[1:] for f in rdfio.FORMATS])
                  ) -> Response:
    fmt = rdfio.BY_SUFFIX.get("." + suffix)
    if fmt is None:
        return error(request, site, 404, f"no format with the suffix .{suffix}: "
                     f"use {', '.join(f.suffix for f in rdfio.FORMATS)}")
    return _serve(request, site, fmt)


@get_and_head(router, "/ontology/{version}", response_class=Response,
              summary="The ontology at its version IRI (owl:versionIRI)", responses={
                  200: ok("the ontology of this version, as /ontology serves it",
                          [v.media_type for v in VARIANTS]),
                  404: site_error("not the version this site serves"),
                  503: site_error("the ontology file cannot be read")})
def ontology_version(request: Request, site: SiteDep,
                     version: str = Path(description="the ontology's owl:versionInfo",
                                         examples=["0.1.0"])) -> Response:
    """owl:versionIRI (…/ontology/0.1.0) dereferences to the ontology of that version; this
    site has one version, the file it serves."""
    try:
        onto = load(site)
    except OSError as e:
        return error(request, site, 503, f"the ontology file cannot be read: {e}")
    served = {str(v) for v in onto.graph.objects(URIRef(ONTOLOGY_IRI), OWL.versionIRI)}
    if f"{ONTOLOGY_IRI}/{version}" not in served:
        return error(request, site, 404, f"no ontology version {version!r} here: this site "
                     f"serves {', '.join(sorted(served)) or 'no versioned ontology'}")
    return _serve(request, site, None)


@get_and_head(router, "/shapes", response_class=Response,
              summary="The SHACL shapes (the pgsh: namespace)", responses={
                  200: ok("ontology/shapes.ttl as Turtle, or shown in an HTML page",
                          [conneg.TURTLE.media_type, conneg.HTML.media_type]),
                  406: site_error("none of the formats is acceptable (Accept)"),
                  503: site_error("the shapes file cannot be read")})
def shapes(request: Request, site: SiteDep) -> Response:
    """The shapes namespace (https://w3id.org/plangraph/shapes#) dereferences to the file."""
    try:
        turtle = site.settings.shapes.read_bytes()
    except OSError as e:
        return error(request, site, 503, f"the shapes file cannot be read: {e}")
    variant = conneg.negotiate(request.headers.get("accept"), [conneg.TURTLE, conneg.HTML])
    if variant is None:
        return not_acceptable(request, site, [conneg.TURTLE, conneg.HTML])
    headers = {"Vary": "Accept"}
    if variant is conneg.HTML:
        body = (f'<h1>{bilingual("驗證規則（SHACL）", "Shapes (SHACL)")}</h1>'
                f'<pre class="turtle">{esc(turtle.decode("utf-8"))}</pre>')
        return page(site, "Shapes 驗證規則", body, headers=headers)
    return Response(turtle, media_type=rdfio.TURTLE.content_type, headers=headers)


def _serve(request: Request, site: Site, fmt: rdfio.RdfFormat | None) -> Response:
    try:
        onto = load(site)
    except OSError as e:
        return error(request, site, 503, f"the ontology file cannot be read: {e}")
    headers = {}
    if fmt is None:
        variant = conneg.negotiate(request.headers.get("accept"), VARIANTS)
        if variant is None:
            return not_acceptable(request, site, VARIANTS)
        headers["Vary"] = "Accept"
        if variant is conneg.HTML:
            return page(site, "Ontology 本體", render(site, onto), headers=headers,
                        head=_alternates())
        fmt = rdfio.BY_KEY[variant.key]
        headers["Content-Location"] = f"{ONTOLOGY_PATH}{fmt.suffix}"
    if fmt is rdfio.TURTLE:
        # the file as written: its comments explain the model
        return Response(onto.turtle, media_type=fmt.content_type, headers=headers)
    triples = ox.parse(onto.graph.serialize(format="nt", encoding="utf-8"),
                       format=ox.RdfFormat.N_TRIPLES)
    return rdfio.rdf_response(triples, fmt, prefixes=onto.prefixes, headers=headers)


def _alternates() -> str:
    return "".join(f'<link rel="alternate" type="{f.variant.media_type}" '
                   f'href="{ONTOLOGY_PATH}{f.suffix}">\n' for f in rdfio.FORMATS)


# -- HTML ------------------------------------------------------------------------------------------

def _lang_texts(g: Graph, s: URIRef, predicate: URIRef) -> dict[str, str]:
    out: dict[str, str] = {}
    for lit in g.objects(s, predicate):
        if isinstance(lit, Literal):
            out.setdefault(lang_tag(lit.language or "en"), str(lit))
    return out


def render(site: Site, onto: Ontology) -> str:
    g = onto.graph
    me = URIRef(ONTOLOGY_IRI)
    titles = _lang_texts(g, me, DCTERMS.title)
    descriptions = _lang_texts(g, me, DCTERMS.description)
    version = g.value(me, OWL.versionInfo)
    parts = [
        f'<h1>{bilingual(titles.get("zh-Hant"), titles.get("en"), sep="<br>")}</h1>',
        f'<p class="iri"><code>{esc(ONTOLOGY_IRI)}</code> · prefix <code>pg:</code> '
        f'<code>{esc(PG_IRI)}</code>'
        + (f' · <span lang="en">version</span> {esc(version)}' if version else "") + "</p>",
    ]
    for lang in ("zh-Hant", "en"):
        if lang in descriptions:
            parts.append(f'<p class="lead" lang="{lang}">{esc(descriptions[lang])}</p>')
    parts.append('<p class="formats"><span lang="en">This ontology as</span> '
                 + " · ".join(f'<a href="{ONTOLOGY_PATH}{f.suffix}" type="{f.variant.media_type}">'
                              f'{esc(f.suffix[1:])}</a>' for f in rdfio.FORMATS) + "</p>")
    sections = [(kind, en, zh) for _, kind, en, zh in KINDS] + [INDIVIDUALS, EXTERNAL]
    by_kind: dict[str, list[Term]] = {}
    for term in onto.terms.values():
        by_kind.setdefault(term.kind, []).append(term)
    toc = []
    for kind, en, zh in sections:
        if kind not in by_kind:
            continue
        links = " ".join(f'<a href="#{esc(t.anchor)}">{esc(t.curie)}</a>' for t in by_kind[kind])
        toc.append(f'<dt><a href="#{kind}">{bilingual(zh, en)}</a></dt><dd>{links}</dd>')
    parts.append('<nav class="toc" aria-label="terms"><dl>' + "".join(toc) + "</dl></nav>")
    for kind, en, zh in sections:
        if kind not in by_kind:
            continue
        parts.append(f'<section id="{kind}"><h2>{bilingual(zh, en)}</h2>')
        parts.extend(_render_term(site, onto, term) for term in by_kind[kind])
        parts.append("</section>")
    return "\n".join(parts)


def _render_term(site: Site, onto: Ontology, term: Term) -> str:
    g = onto.graph
    s = URIRef(term.iri)
    out = [f'<article class="term" id="{esc(term.anchor)}">',
           f'<h3><code>{esc(term.curie)}</code> '
           f'{bilingual(term.labels.get("zh-Hant"), term.labels.get("en"))}</h3>',
           f'<p class="iri"><code>{esc(term.iri)}</code></p>']
    for lang, text in term.definitions:
        out.append(f'<p class="definition" lang="{esc(lang)}">{esc(text)}</p>')
    for lang, text in term.comments:
        out.append(f'<p class="comment" lang="{esc(lang)}">{esc(text)}</p>')
    rows = []
    for predicate, en, zh in RELATIONS:
        values = sorted(g.objects(s, predicate), key=str)
        if values:
            cells = ", ".join(_render_node(site, onto, v) for v in values)
            rows.append(f"<tr><th>{bilingual(zh, en)}</th><td>{cells}</td></tr>")
    if rows:
        out.append('<table class="relations">' + "".join(rows) + "</table>")
    out.append("</article>")
    return "\n".join(out)


def _render_node(site: Site, onto: Ontology, node: object) -> str:
    g = onto.graph
    if isinstance(node, URIRef):
        iri = str(node)
        target = href(site, iri)
        curie = rdfio.curie(iri, onto.prefixes)
        if target:
            return f'<a href="{esc(target)}" title="{esc(iri)}"><code>{esc(curie)}</code></a>'
        return (f'<a class="external" href="{esc(iri)}" rel="noopener noreferrer">'
                f'<code>{esc(curie)}</code></a>')
    if isinstance(node, BNode):
        for operator, word in ((OWL.unionOf, "or"), (OWL.intersectionOf, "and")):
            members = g.value(node, operator)
            if members is not None:
                inner = f" <em>{word}</em> ".join(
                    _render_node(site, onto, m) for m in Collection(g, members))
                return f"({inner})"
        return '<span class="muted">[anonymous]</span>'
    if isinstance(node, Literal):
        return f"<span>{esc(node)}</span>"
    return esc(node)
