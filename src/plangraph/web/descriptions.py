"""What the store says about one IRI: its outgoing and incoming statements, labels, ancestors.

Every read is bounded: statement lists stop at MAX_STATEMENTS, label and outline queries carry a
LIMIT, and the ancestor walk stops after MAX_DEPTH steps.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice

import pyoxigraph as ox

from ..vocab import PG_IRI
from .deps import Site

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
ELI = "http://data.europa.eu/eli/ontology#"
PROV = "http://www.w3.org/ns/prov#"

# A term of a statement (pyoxigraph's stubs name no union of them)
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def text_of(term: Term) -> str:
    """A term's value; a triple term (which has none) as N-Triples."""
    return str(term) if isinstance(term, ox.Triple) else term.value

MAX_STATEMENTS = 2000   # per direction, per page
MAX_DEPTH = 10          # ancestor steps (version → part → area → sub-area → strategy → …)
LABEL_BATCH = 200       # IRIs per label query

# The document's hierarchy, parent → child (docs/model.md, "Structure").
HIERARCHY = tuple(PG_IRI + p for p in (
    "hasPart", "hasArea", "hasClause", "hasSubArea", "hasStrategy", "hasMeasure", "hasTarget"))
DCAT = "http://www.w3.org/ns/dcat#"
# What a resource belongs to, for breadcrumbs: its parent in the hierarchy, the measure of an
# assignment, the plan (work) of a version (dcat:hasVersion: a version's one owner, where
# eli:has_member would also lead from a measure to its persistent measure), the version of its
# expression, the clause of a duty, the node of a quantity.
OWNERS = HIERARCHY + (PG_IRI + "qualifiedAssignment", DCAT + "hasVersion", ELI + "is_realized_by",
                      PG_IRI + "assigns", PG_IRI + "quantity")


@dataclass
class Label:
    """How to name a resource on a page: labels in zh-Hant and en, and its text if it has one."""
    zh: str | None = None
    en: str | None = None
    text: str | None = None


@dataclass
class Description:
    iri: str
    outgoing: list[tuple[str, Term]] = field(default_factory=list)      # (predicate, object)
    incoming: list[tuple[Term, str]] = field(default_factory=list)      # (subject, predicate)
    incoming_total: int = 0
    graphs: list[str] = field(default_factory=list)   # named graphs holding its statements
    is_graph: bool = False                            # the IRI names a graph of the store

    def values(self, predicate: str) -> list[Term]:
        return [o for p, o in self.outgoing if p == predicate]

    def first(self, predicate: str) -> str | None:
        values = self.values(predicate)
        return text_of(values[0]) if values else None

    def types(self) -> list[str]:
        return [o.value for o in self.values(RDF_TYPE) if isinstance(o, ox.NamedNode)]

    def triples(self) -> list[ox.Triple]:
        """The statements the raw formats serve: outgoing and incoming."""
        me = ox.NamedNode(self.iri)
        out = [ox.Triple(me, ox.NamedNode(p), o) for p, o in self.outgoing]
        inc = [ox.Triple(s, ox.NamedNode(p), me) for s, p in self.incoming
               if isinstance(s, ox.NamedNode | ox.BlankNode)]
        return out + inc


def describe(site: Site, iri: str) -> Description | None:
    """The statements about `iri` (None when the store does not know it at all)."""
    store = site.store
    try:
        node = ox.NamedNode(iri)
    except ValueError:    # a character no IRI may hold: no such resource here
        return None
    d = Description(iri)
    graphs: set[str] = set()
    seen_out: set[tuple[str, Term]] = set()
    for q in islice(store.quads_for_pattern(node, None, None, None), MAX_STATEMENTS):
        key = (q.predicate.value, q.object)
        graphs.add(str(q.graph_name.value) if isinstance(q.graph_name, ox.NamedNode) else "")
        if key not in seen_out:
            seen_out.add(key)
            d.outgoing.append(key)
    seen_in: set[tuple[Term, str]] = set()
    for q in islice(store.quads_for_pattern(None, None, node, None), MAX_STATEMENTS):
        key_in = (q.subject, q.predicate.value)
        graphs.add(str(q.graph_name.value) if isinstance(q.graph_name, ox.NamedNode) else "")
        if key_in not in seen_in:
            seen_in.add(key_in)
            d.incoming.append(key_in)
    d.incoming_total = len(d.incoming)
    if len(d.incoming) >= MAX_STATEMENTS:
        d.incoming_total = count_incoming(site, iri)
    d.graphs = sorted(g for g in graphs if g)
    d.is_graph = store.contains_named_graph(node)
    if not d.outgoing and not d.incoming and not d.is_graph:
        return None
    return d


def count_incoming(site: Site, iri: str) -> int:
    rows = list(site.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p {ox.NamedNode(iri)} }} "
                           "LIMIT 1"))
    return int(rows[0]["n"].value) if rows else 0


def graph_size(site: Site, iri: str) -> int:
    rows = list(site.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(iri)} "
                           "{ ?s ?p ?o } } LIMIT 1"))
    return int(rows[0]["n"].value) if rows else 0


# Labels for the few core terms the ontology's term list does not declare.
CORE_LABELS = {
    RDF_TYPE: Label("類型", "type"),
    RDFS + "label": Label("標籤", "label"),
    RDFS + "comment": Label("註解", "comment"),
    RDFS + "seeAlso": Label("另見", "see also"),
    "http://www.w3.org/2002/07/owl#sameAs": Label("等同", "same as"),
}

_LABEL_PREDICATES = {
    RDFS + "label": 0, SKOS + "prefLabel": 1, DCT + "title": 2, ELI + "title": 3,
    SKOS + "notation": 4,          # an identifier: its code
}


def labels(site: Site, iris: Iterable[str]) -> dict[str, Label]:
    """zh-Hant and en labels (rdfs:label, else skos:prefLabel, else a title) and pg:text."""
    wanted = sorted(set(iris))
    found: dict[str, Label] = {}
    ranks: dict[tuple[str, str], int] = {}
    for start in range(0, len(wanted), LABEL_BATCH):
        batch = wanted[start:start + LABEL_BATCH]
        values = " ".join(str(ox.NamedNode(i)) for i in batch)
        preds = " ".join(f"<{p}>" for p in [*_LABEL_PREDICATES, PG_IRI + "text"])
        sparql = (f"SELECT ?s ?p ?l WHERE {{ VALUES ?s {{ {values} }} VALUES ?p {{ {preds} }} "
                  f"?s ?p ?l . FILTER(isLiteral(?l)) }} LIMIT {len(batch) * 20}")
        for row in site.query(sparql):
            s, p, lit = row["s"].value, row["p"].value, row["l"]
            label = found.setdefault(s, Label())
            lang = (lit.language or "").lower()
            if p == PG_IRI + "text":
                label.text = label.text or lit.value
                continue
            rank = _LABEL_PREDICATES[p]
            slot = "zh" if lang.startswith("zh") else "en" if lang.startswith("en") or not lang \
                else None
            if slot is None or ranks.get((s, slot), 99) <= rank:
                continue
            ranks[(s, slot)] = rank
            setattr(label, slot, lit.value)
    for iri in wanted:
        if iri in CORE_LABELS and iri not in found:
            found[iri] = CORE_LABELS[iri]
    return found


def ancestors(site: Site, iri: str) -> list[str]:
    """The chain of owners from the top (a plan version) down to the parent of `iri`."""
    chain: list[str] = []
    current = iri
    owners = " ".join(f"<{p}>" for p in OWNERS)
    for _ in range(MAX_DEPTH):
        rows = list(site.query(f"SELECT ?parent WHERE {{ VALUES ?p {{ {owners} }} "
                               f"?parent ?p {ox.NamedNode(current)} }} LIMIT 1"))
        if not rows or not isinstance(rows[0]["parent"], ox.NamedNode):
            break
        current = rows[0]["parent"].value
        if current in chain or current == iri:
            break
        chain.append(current)
    return list(reversed(chain))


@dataclass
class Member:
    """One version's measure of a persistent measure."""
    measure: str
    key: str | None
    version: str
    date: str


def members(site: Site, iri: str) -> list[Member]:
    """The measures, one per version, that are members of a persistent measure, oldest first."""
    rows = site.query(f"""
        SELECT ?m ?key ?version ?date WHERE {{
          {ox.NamedNode(iri)} <{ELI}has_member> ?m .
          ?m <{SKOS}inScheme> ?version .
          ?version <{ELI}version_date> ?date .
          OPTIONAL {{ ?m <{PG_IRI}key> ?key }}
        }} ORDER BY ?date LIMIT {MAX_STATEMENTS}""")
    return [Member(r["m"].value, r["key"].value if r["key"] else None, r["version"].value,
                   r["date"].value) for r in rows]


@dataclass
class OutlineNode:
    iri: str
    label: str | None
    text: str | None
    number: int
    children: list[OutlineNode] = field(default_factory=list)


def outline(site: Site, version: str, *, depth_predicates: tuple[str, ...] = HIERARCHY[:-1]
            ) -> list[OutlineNode]:
    """The version's table of contents (parts, areas, sub-areas, strategies, measures, clauses)."""
    preds = " ".join(f"<{p}>" for p in depth_predicates)
    v = ox.NamedNode(version)
    sparql = f"""
        SELECT ?parent ?child ?label ?text ?number WHERE {{
          VALUES ?p {{ {preds} }}
          ?parent ?p ?child . ?child <{SKOS}inScheme> {v} .
          OPTIONAL {{ ?child <{RDFS}label> ?label FILTER(langMatches(lang(?label), "zh-Hant")) }}
          OPTIONAL {{ ?child <{PG_IRI}text> ?text }}
          OPTIONAL {{ ?child <{PG_IRI}number> ?number }}
        }} LIMIT 5000"""
    nodes: dict[str, OutlineNode] = {}
    parent_of: dict[str, str] = {}
    for row in site.query(sparql):
        child = row["child"].value
        number = row["number"]
        nodes[child] = OutlineNode(
            child, row["label"].value if row["label"] else None,
            row["text"].value if row["text"] else None,
            int(number.value) if number is not None and number.value.isdigit() else 0)
        parent_of[child] = row["parent"].value
    roots: list[OutlineNode] = []
    for child, node in nodes.items():
        parent = parent_of[child]
        if parent == version:
            roots.append(node)
        elif parent in nodes:
            nodes[parent].children.append(node)
    for node in nodes.values():
        node.children.sort(key=lambda n: (n.number, natural_key(n.iri)))
    roots.sort(key=lambda n: (n.number, natural_key(n.iri)))
    return roots


_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple:
    """Sort 1.1.5.9 before 1.1.5.10."""
    return tuple(int(part) if part.isdigit() else part for part in _DIGITS.split(text))
