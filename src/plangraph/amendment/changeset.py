"""What changed between two versions, as RDF (one change set per pair), and the measures that
persist across versions."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, XSD, Graph, Literal, URIRef

from ..document.tree import PlanDocument
from ..graph import Iris, zh
from ..namespaces import PG
from ..registry import Registry
from .diff import Change, diff_matched, match
from .measures import MeasureView, views


@dataclass
class Comparison:
    """Two consecutive versions: their measures matched once, and what changed."""

    old: str                                 # version dates
    new: str
    pairs: list[tuple[MeasureView, MeasureView]]
    changes: list[Change]


def compare_versions(docs: list[tuple[str, PlanDocument]], registry: Registry) -> list[Comparison]:
    """Each version with the next (docs sorted by date); the match serves ids and change sets."""
    out = []
    for (old_v, old_doc), (new_v, new_doc) in zip(docs, docs[1:], strict=False):
        old, new = views(old_doc), views(new_doc)
        pairs = match(old, new)
        out.append(Comparison(old_v, new_v, pairs, diff_matched(old, new, pairs, registry)))
    return out


def persistent_ids(docs: list[tuple[str, PlanDocument]],
                   comparisons: list[Comparison]) -> dict[str, dict[str, str]]:
    """version → measure key → persistent id. The first version's keys are the ids; a measure
    matched in the next version keeps its id; a new one takes its key, or key~date if taken."""
    ids: dict[str, dict[str, str]] = {}
    used: set[str] = set()
    matched = {c.new: c for c in comparisons}
    for version, doc in docs:
        current = {}
        if version in matched:
            c = matched[version]
            for o, n in c.pairs:
                current[n.key] = ids[c.old][o.key]
        for m in doc.measures():
            if m.key not in current:
                pid = m.key if m.key not in used else f"{m.key}~{version}"
                current[m.key] = pid
                used.add(pid)
        ids[version] = current
    return ids


def change_set(c: Comparison, iris: Iris) -> Graph:
    g = Graph()
    cs = iris.base[f"changes/{c.old}/{c.new}"]
    g.add((cs, RDF.type, PG.ChangeSet))
    g.add((cs, PG.fromVersion, iris.version(c.old)))
    g.add((cs, PG.toVersion, iris.version(c.new)))
    for n, change in enumerate(c.changes, start=1):
        _change(g, cs, URIRef(f"{cs}/{n}"), change, c.old, c.new, iris)
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
