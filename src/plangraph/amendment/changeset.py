"""What changed between two versions, as RDF (one change set per pair), and the measures that
persist across versions."""

from __future__ import annotations

from rdflib import RDF, XSD, Graph, Literal, URIRef

from ..document.tree import PlanDocument
from ..graph import Iris, zh
from ..namespaces import PG
from ..registry import Registry
from .diff import Change, diff_documents, match
from .measures import views


def persistent_ids(docs: list[tuple[str, PlanDocument]]) -> dict[str, dict[str, str]]:
    """version → measure key → persistent id. The first version's keys are the ids; a measure
    matched in the next version keeps its id; a new one takes its key, or key~date if taken."""
    ids: dict[str, dict[str, str]] = {}
    used: set[str] = set()
    previous = None
    for version, doc in docs:
        current = {}
        if previous is not None:
            prev_version, prev_doc = previous
            for o, n in match(views(prev_doc), views(doc)):
                current[n.key] = ids[prev_version][o.key]
        for m in doc.measures():
            if m.key not in current:
                pid = m.key if m.key not in used else f"{m.key}~{version}"
                current[m.key] = pid
                used.add(pid)
        ids[version] = current
        previous = (version, doc)
    return ids


def change_set(old: tuple[str, PlanDocument], new: tuple[str, PlanDocument], registry: Registry,
               iris: Iris) -> Graph:
    (old_v, old_doc), (new_v, new_doc) = old, new
    g = Graph()
    cs = iris.base[f"changes/{old_v}/{new_v}"]
    g.add((cs, RDF.type, PG.ChangeSet))
    g.add((cs, PG.fromVersion, iris.version(old_v)))
    g.add((cs, PG.toVersion, iris.version(new_v)))
    for n, c in enumerate(diff_documents(old_doc, new_doc, registry), start=1):
        _change(g, cs, URIRef(f"{cs}/{n}"), c, old_v, new_v, iris)
    return g


def _values(v: object) -> list[str]:
    if v is None:
        return []
    return [str(x) for x in v] if isinstance(v, list) else [str(v)]


def _change(g: Graph, cs: URIRef, iri: URIRef, c: Change, old_v: str, new_v: str,
            iris: Iris) -> None:
    g.add((cs, PG.hasChange, iri))
    g.add((iri, RDF.type, PG.Change))
    g.add((iri, PG.changeKind, Literal(c.change)))
    g.add((iri, PG.number, Literal(int(iri.rsplit("/", 1)[1]), datatype=XSD.integer)))
    if c.change != "added":
        g.add((iri, PG.oldKey, Literal(c.key)))
        g.add((iri, PG.oldMeasure, iris.in_version(old_v, f"measure/{c.key}")))
    if c.new_key is not None:
        g.add((iri, PG.newKey, Literal(c.new_key)))
        g.add((iri, PG.newMeasure, iris.in_version(new_v, f"measure/{c.new_key}")))
    if c.change != "renumbered":
        for v in _values(c.old):
            g.add((iri, PG.oldValue, zh(v)))
        for v in _values(c.new):
            g.add((iri, PG.newValue, zh(v)))
