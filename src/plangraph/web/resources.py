"""/id/…: every IRI the build mints, as an HTML page or as Turtle / JSON-LD / N-Triples / RDF/XML.

The format comes from a suffix (…/measure/1.1.5.8.ttl, .jsonld, .nt, .rdf) or else from the Accept
header (q-values; 406 when nothing acceptable is offered). An IRI the store does not know is a 404.
"""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from ..vocab import PG_IRI
from . import conneg, ontodoc, rdfio
from . import descriptions as describe
from .deps import Site, StoreSiteDep
from .descriptions import PROV, RDF_TYPE, RDFS, SKOS, Description, Label, Term, text_of
from .layout import bilingual, error, esc, lang_tag, not_acceptable, page
from .openapi import get_and_head, ok, site_error

router = APIRouter()

VARIANTS = [conneg.HTML, conneg.TURTLE, conneg.JSONLD, conneg.NTRIPLES, conneg.RDFXML]
XSD = "http://www.w3.org/2001/XMLSchema#"
SNIPPET = 48  # characters of a linked node's text shown beside its label
FOLD = 40     # incoming links of one property listed open; more are folded

# statements listed first, in this order; then the others by prefixed name; provenance last
FIRST = [RDF_TYPE, RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel", PG_IRI + "title",
         PG_IRI + "text", PG_IRI + "key", SKOS + "notation", PG_IRI + "number",
         *describe.HIERARCHY, PG_IRI + "leadAgency", PG_IRI + "cooperatingAgency",
         PG_IRI + "qualifiedAssignment", PG_IRI + "agency", PG_IRI + "role"]
LAST = [SKOS + "inScheme", PG_IRI + "sourceLine", PG_IRI + "sourceText", PROV + "wasDerivedFrom"]


@get_and_head(router, "/id/{rest:path}", response_class=Response,
              summary="The page of a minted IRI, or its description in RDF", responses={
                  200: ok("the resource: an HTML page, or RDF by Accept or by a suffix "
                          "(.ttl, .jsonld, .nt, .rdf)", [v.media_type for v in VARIANTS]),
                  404: site_error("no resource with this IRI in the dataset"),
                  406: site_error("none of the formats is acceptable (Accept)")})
def resource(request: Request, site: StoreSiteDep,
             rest: str = Path(description="the IRI after the base IRI (the build's `base`), "
                              "with an optional suffix .ttl, .jsonld, .nt or .rdf",
                              examples=["plan/2014-04-15/measure/1.1.5.8", "plan",
                                        "plan/2014-04-15/measure/1.1.5.8.ttl"])) -> Response:
    iri = site.iri_for_path(rest)
    d = describe.describe(site, iri)
    fmt = None
    if d is None:
        for suffix, candidate in rdfio.BY_SUFFIX.items():
            if rest.endswith(suffix):
                d = describe.describe(site, site.iri_for_path(rest[: -len(suffix)]))
                fmt = candidate
                break
    if d is None:
        return error(request, site, 404, f"no resource with the IRI {iri} in this dataset")
    own = site.href(d.iri) or request.url.path
    if fmt is not None:
        return rdfio.rdf_response(d.triples(), fmt,
                                  headers={"Link": f'<{d.iri}>; rel="describes"'})
    variant = conneg.negotiate(request.headers.get("accept"), VARIANTS)
    if variant is None:
        return not_acceptable(request, site, VARIANTS)
    headers = {"Vary": "Accept"}
    if variant is conneg.HTML:
        title, body = render(site, d)
        head = "".join(f'<link rel="alternate" type="{f.variant.media_type}" '
                       f'href="{esc(own + f.suffix)}">\n' for f in rdfio.FORMATS)
        return page(site, title, body, head=head, headers=headers, body_class="resource")
    fmt = rdfio.BY_KEY[variant.key]
    headers["Content-Location"] = own + fmt.suffix
    return rdfio.rdf_response(d.triples(), fmt, headers=headers)


def _prefixes(site: Site) -> dict[str, str]:
    """For names shown on pages. (Not in the RDF: `id:plan\\/2014-04-15` is no help to read.)"""
    return {**rdfio.PREFIXES, "id": site.base}


# -- HTML ------------------------------------------------------------------------------------------

def render(site: Site, d: Description) -> tuple[str, str]:
    """(title, body) of the page of one resource."""
    iris = {d.iri} | {p for p, _ in d.outgoing} | {p for _, p in d.incoming}
    iris |= {o.value for _, o in d.outgoing if isinstance(o, ox.NamedNode)}
    iris |= {s.value for s, _ in d.incoming if isinstance(s, ox.NamedNode)}
    chain = describe.ancestors(site, d.iri)
    iris |= set(chain) | set(d.graphs)
    labels = describe.labels(site, iris)
    me = labels.get(d.iri, Label())
    curie = rdfio.curie(d.iri, _prefixes(site))
    title = me.zh or me.en or curie

    parts: list[str] = []
    if chain:
        crumbs = " › ".join(_link(site, a, labels, snippet=False, short=True) for a in chain)
        parts.append(f'<nav class="breadcrumb" aria-label="breadcrumb">{crumbs}</nav>')
    heading = f'<span lang="zh-Hant">{esc(me.zh)}</span>' if me.zh else ""
    if me.en:
        heading += (f'<br><small lang="en">{esc(me.en)}</small>' if heading
                    else f'<span lang="en">{esc(me.en)}</span>')
    parts.append(f"<h1>{heading or esc(curie)}</h1>")
    types = " ".join(_link(site, t, labels, snippet=False, css="type") for t in d.types())
    parts.append(f'<p class="iri"><code>{esc(d.iri)}</code> {types}</p>')
    parts.append(_formats(site, d))

    text = d.first(PG_IRI + "text") or d.first(PG_IRI + "title")
    if text:
        parts.append(f'<blockquote class="node-text" lang="zh-Hant">{esc(text)}</blockquote>')
    parts.append(_source(site, d))
    if d.is_graph:
        parts.append(_graph_box(site, d))
    if PG_IRI + "PlanVersion" in d.types():
        parts.append(_outline(site, d))
    if PG_IRI + "PersistentMeasure" in d.types():
        parts.append(_versions(site, d))

    parts.append(_outgoing(site, d, labels))
    parts.append(_incoming(site, d, labels))
    if d.graphs:
        graphs = ", ".join(_link(site, g, labels, snippet=False) for g in d.graphs)
        parts.append(f'<p class="graphs"><span lang="en">Named graphs</span> '
                     f'<span lang="zh-Hant">具名圖</span>: {graphs}</p>')
    return title, "\n".join(p for p in parts if p)


def _formats(site: Site, d: Description) -> str:
    own = site.href(d.iri) or ""
    links = " · ".join(f'<a href="{esc(own + f.suffix)}" type="{esc(f.variant.media_type)}">'
                       f'{esc(f.suffix[1:])}</a>' for f in rdfio.FORMATS)
    return (f'<p class="formats"><span lang="en">Raw data</span> '
            f'<span lang="zh-Hant">原始資料</span>: {links}</p>')


def _source(site: Site, d: Description) -> str:
    """The document lines a plan node was read from, with their numbers and exact text."""
    lines = sorted(int(text_of(o)) for o in d.values(PG_IRI + "sourceLine")
                   if text_of(o).isdigit())
    if not lines:
        return ""
    texts = [text_of(o) for o in d.values(PG_IRI + "sourceText")]
    rows = list(site.query(
        f"SELECT ?file ?doc WHERE {{ {ox.NamedNode(d.iri)} <{PROV}wasDerivedFrom> ?doc . "
        f"?doc <{PG_IRI}fileName> ?file }} LIMIT 1"))
    file_name = rows[0]["file"].value if rows else None
    doc = rows[0]["doc"].value if rows else None
    where = (f'<a href="{esc(ontodoc.href(site, doc) or doc)}">{esc(file_name)}</a>'
             if doc and file_name else "")
    numbers = ", ".join(str(n) for n in lines)
    head = (f'<h2><span lang="zh-Hant">原文</span> <span lang="en">Source</span></h2>'
            f'<p class="source-where"><span lang="en">{"lines" if len(lines) > 1 else "line"}'
            f'</span> <span lang="zh-Hant">行</span> <strong class="source-lines">{numbers}'
            f'</strong> {"· " + where if where else ""}</p>')
    body = []
    for text in texts:
        text_lines = text.split("\n")
        numbered = len(text_lines) == len(lines)
        rows_html = "".join(
            f'<tr><th scope="row">{lines[i] if numbered else ""}</th>'
            f'<td><pre lang="zh-Hant">{esc(line)}</pre></td></tr>'
            for i, line in enumerate(text_lines))
        body.append(f'<table class="source-text">{rows_html}</table>')
    return f'<section class="source">{head}{"".join(body)}</section>'


def _graph_box(site: Site, d: Description) -> str:
    n = describe.graph_size(site, d.iri)
    return (f'<section class="graph-box"><h2><span lang="zh-Hant">具名圖</span> '
            f'<span lang="en">Named graph</span></h2><p lang="en">A named graph of the dataset '
            f'with <strong>{n}</strong> statements. Query it with '
            f'<code>GRAPH &lt;{esc(d.iri)}&gt; {{ … }}</code> at <code>/sparql</code>, or '
            f'download everything from <a href="/data/">/data/</a>.</p></section>')


def _versions(site: Site, d: Description) -> str:
    """A persistent measure: the measure it is in each version, and the latest of them."""
    found = describe.members(site, d.iri)
    if not found:
        return ""
    latest = found[-1]
    latest_href = site.href(latest.measure) or latest.measure
    items = "".join(
        f'<li><a href="{esc(site.href(m.measure) or m.measure)}">{esc(m.key or m.measure)}</a> '
        f'<span lang="en">in the version of</span> <span lang="zh-Hant">見於版本</span> '
        f'<a href="{esc(site.href(m.version) or m.version)}">{esc(m.date)}</a>'
        + (' <strong class="latest"><span lang="en">latest</span> '
           '<span lang="zh-Hant">最新</span></strong>' if m is latest else "") + "</li>"
        for m in found)
    return (f'<section class="versions"><h2><span lang="zh-Hant">各版本</span> '
            f'<span lang="en">Versions</span></h2>'
            f'<p class="latest-version"><span lang="en">Latest</span> '
            f'<span lang="zh-Hant">最新</span>: <a href="{esc(latest_href)}">'
            f'{esc(latest.key or latest.measure)}</a> ({esc(latest.date)})</p>'
            f'<ol>{items}</ol></section>')


def _outline(site: Site, d: Description) -> str:
    roots = describe.outline(site, d.iri)
    if not roots:
        return ""

    def items(nodes: list[describe.OutlineNode]) -> str:
        out = []
        for n in nodes:
            target = site.href(n.iri) or n.iri
            text = f' <span class="snippet">{esc(n.text)}</span>' if n.text else ""
            sub = f"<ol>{items(n.children)}</ol>" if n.children else ""
            out.append(f'<li><a href="{esc(target)}">{esc(n.label or n.iri)}</a>{text}{sub}</li>')
        return "".join(out)

    return (f'<section class="outline"><h2><span lang="zh-Hant">目錄</span> '
            f'<span lang="en">Contents</span></h2><ol>{items(roots)}</ol></section>')


def _sorted_predicates(predicates: set[str]) -> list[str]:
    def rank(p: str) -> tuple:
        if p in FIRST:
            return (0, FIRST.index(p), "")
        if p in LAST:
            return (2, LAST.index(p), "")
        return (1, 0, rdfio.curie(p))
    return sorted(predicates, key=rank)


def _term_sort_key(term: Term) -> tuple:
    return (not isinstance(term, ox.NamedNode), describe.natural_key(text_of(term)))


def _outgoing(site: Site, d: Description, labels: dict[str, Label]) -> str:
    if not d.outgoing:
        return ""
    rows = []
    for p in _sorted_predicates({p for p, _ in d.outgoing}):
        values = sorted((o for q, o in d.outgoing if q == p), key=_term_sort_key)
        cells = "".join(f"<li>{_value(site, o, labels)}</li>" for o in values)
        rows.append(f"<tr><th scope=\"row\">{_predicate(site, p, labels)}</th>"
                    f'<td><ul class="values">{cells}</ul></td></tr>')
    return (f'<section class="statements"><h2><span lang="zh-Hant">屬性</span> '
            f'<span lang="en">Properties</span></h2>'
            f'<table class="statements">{"".join(rows)}</table></section>')


def _incoming(site: Site, d: Description, labels: dict[str, Label]) -> str:
    if not d.incoming:
        return ""
    rows = []
    for p in _sorted_predicates({p for _, p in d.incoming}):
        subjects = sorted((s for s, q in d.incoming if q == p), key=_term_sort_key)
        items = "".join(f"<li>{_value(site, s, labels)}</li>" for s in subjects)
        cells = f'<ul class="values">{items}</ul>'
        if len(subjects) > FOLD:
            cells = (f'<details><summary lang="en">{len(subjects)} resources</summary>'
                     f"{cells}</details>")
        rows.append(f"<tr><th scope=\"row\">{_predicate(site, p, labels)}"
                    f' <span class="count">{len(subjects)}</span></th><td>{cells}</td></tr>')
    shown = len(d.incoming)
    more = (f'<p class="more" lang="en">Showing {shown} of {d.incoming_total} links; '
            f'ask <code>/sparql</code> for all of them.</p>' if d.incoming_total > shown else "")
    return (f'<section class="statements incoming"><h2><span lang="zh-Hant">反向連結</span> '
            f'<span lang="en">Incoming links</span> <span class="count">{d.incoming_total}'
            f'</span></h2><p class="hint" lang="en">Resources that point here, by property.</p>'
            f'<table class="statements">{"".join(rows)}</table>{more}</section>')


def _predicate(site: Site, p: str, labels: dict[str, Label]) -> str:
    label = labels.get(p, Label())
    target = ontodoc.href(site, p)
    curie = f'<code class="curie">{esc(rdfio.curie(p))}</code>'
    inner = f"{bilingual(label.zh, label.en)} {curie}" if label.zh or label.en else curie
    if target:
        return f'<a href="{esc(target)}" title="{esc(p)}">{inner}</a>'
    return f'<a class="external predicate" href="{esc(p)}" rel="noopener noreferrer">{inner}</a>'


def _value(site: Site, term: Term, labels: dict[str, Label]) -> str:
    if isinstance(term, ox.NamedNode):
        return _link(site, term.value, labels)
    if isinstance(term, ox.Literal):
        return _literal(term)
    return f'<code class="bnode">{esc(term)}</code>'


def _literal(lit: ox.Literal) -> str:
    value = lit.value
    if lit.language:
        tag = lang_tag(lit.language)
        body = (f'<pre class="literal" lang="{esc(tag)}">{esc(value)}</pre>'
                if "\n" in value or "\t" in value
                else f'<span class="literal" lang="{esc(tag)}">{esc(value)}</span>')
        return f'{body} <span class="lang">@{esc(tag)}</span>'
    datatype = lit.datatype.value if lit.datatype else XSD + "string"
    body = (f'<pre class="literal">{esc(value)}</pre>' if "\n" in value or "\t" in value
            else f'<span class="literal">{esc(value)}</span>')
    if datatype == XSD + "string":
        return body
    return (f'{body} <span class="datatype" title="{esc(datatype)}">'
            f'{esc(rdfio.curie(datatype))}</span>')


def _link(site: Site, iri: str, labels: dict[str, Label], *, snippet: bool = True,
          css: str = "", short: bool = False) -> str:
    """A link to `iri` named by its labels (`short`: one label only), on this server if ours."""
    label = labels.get(iri, Label())
    target = ontodoc.href(site, iri)
    if short and (label.zh or label.en):
        lang = "zh-Hant" if label.zh else "en"
        name = f'<span lang="{lang}">{esc(label.zh or label.en)}</span>'
    elif label.zh or label.en:
        name = bilingual(label.zh, label.en)
    elif iri.startswith(site.base):
        name = f"<code>{esc(iri[len(site.base):])}</code>"
    else:
        name = f"<code>{esc(rdfio.curie(iri))}</code>"
    cls = f' class="{esc(css)}"' if css else ""
    if target:
        html = f'<a{cls} href="{esc(target)}" title="{esc(iri)}">{name}</a>'
    elif iri.startswith(("http://", "https://")):
        html = (f'<a class="external {esc(css)}" href="{esc(iri)}" '
                f'rel="noopener noreferrer">{name}</a>')
    else:
        html = f"<span{cls}>{name}</span>"
    if snippet and label.text:
        shown = label.text if len(label.text) <= SNIPPET else label.text[:SNIPPET] + "…"
        html += f' <span class="snippet" lang="zh-Hant">{esc(shown)}</span>'
    return html

