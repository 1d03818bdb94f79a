"""What changed between two versions, as RDF (one change set per pair), and the measures that
persist across versions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rdflib import DCTERMS, RDF, XSD, URIRef

from ..documents.tree import PlanDocument
from ..model.ntriples import Triples, plain, typed
from ..model.rdf import Iris, zh
from ..model.registry import Registry
from ..vocab import PG
from .diff import Change, Diff, diff_documents
from .measures import MeasureView


def version_date(version: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(version)
    except ValueError:
        return None


@dataclass
class Comparison:
    """Two consecutive versions: aligned once, and what changed."""

    old: str                                 # version dates
    new: str
    diff: Diff
    registry: Registry                       # what the change set's agencies and events are

    @property
    def pairs(self) -> list[tuple[MeasureView, MeasureView]]:
        return [(p.old, p.new) for p in self.diff.alignment.pairs]

    @property
    def changes(self) -> list[Change]:
        return self.diff.changes


def compare(old_version: str, old_doc: PlanDocument, new_version: str, new_doc: PlanDocument,
            registry: Registry) -> Comparison:
    """Two consecutive versions; the one alignment serves the persistent ids and the change set."""
    return Comparison(old_version, new_version,
                      diff_documents(old_doc, new_doc, registry, version_date(new_version)),
                      registry)


class PersistentIds:
    """Measure key → the measure's id across versions, version after version (in date order).

    The first version's keys are the ids; a measure aligned with one of the version before
    (align.py: by content, across renumbering, moves and a change of layout) keeps its id; a new
    one takes its key, or key~date if that id is taken."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.previous: dict[str, str] = {}

    def next(self, version: str, doc: PlanDocument,
             comparison: Comparison | None) -> dict[str, str]:
        current = {}
        if comparison is not None:
            for o, n in comparison.pairs:
                current[n.key] = self.previous[o.key]
        for m in doc.measures():
            if m.key not in current:
                pid = m.key if m.key not in self.used else f"{m.key}~{version}"
                current[m.key] = pid
                self.used.add(pid)
        self.previous = current
        return current


def change_set(c: Comparison, iris: Iris) -> Triples:
    g = Triples()
    cs = iris.base[f"changes/{c.old}/{c.new}"]
    g.add((cs, RDF.type, PG.ChangeSet))
    g.add((cs, PG.fromVersion, iris.version(c.old)))
    g.add((cs, PG.toVersion, iris.version(c.new)))
    for n, change in enumerate(c.changes, start=1):
        _change(g, cs, URIRef(f"{cs}/{n}"), n, change, c, iris)
    return g


def _values(v: object) -> list[str]:
    if v is None:
        return []
    return [str(x) for x in v] if isinstance(v, list) else [str(v)]


# the node a change is about, by the prefix of its kind: (IRI path segment of the old and new node)
_NODE_PATH = {"strategy": "strategy", "clause": "clause"}


def _node_path(kind: str, key: str) -> str:
    prefix = kind.split("-", 1)[0]
    if prefix == "area":
        return f"subarea/{key}" if "." in key else f"area/{key}"
    return f"{_NODE_PATH[prefix]}/{key}"


def _change(g: Triples, cs: URIRef, iri: URIRef, number: int, c: Change, comparison: Comparison,
            iris: Iris) -> None:
    old_v, new_v = comparison.old, comparison.new
    g.add((cs, PG.hasChange, iri))
    g.add((iri, RDF.type, PG.Change))
    g.add((iri, PG.changeKind, plain(c.change)))
    g.add((iri, PG.number, typed(number, XSD.integer)))
    about_measure = "-" not in c.change       # strategy-…, area-…, clause-… are about other nodes
    old_key = None if c.change.endswith("added") else c.key
    new_key = c.new_key
    if old_key is not None:
        g.add((iri, PG.oldKey, plain(old_key)))
        g.add((iri, PG.oldMeasure if about_measure else PG.oldNode,
               iris.in_version(old_v, f"measure/{old_key}" if about_measure
                               else _node_path(c.change, old_key))))
    if new_key is not None:
        g.add((iri, PG.newKey, plain(new_key)))
        g.add((iri, PG.newMeasure if about_measure else PG.newNode,
               iris.in_version(new_v, f"measure/{new_key}" if about_measure
                               else _node_path(c.change, new_key))))
    if c.change == "moved":
        g.add((iri, PG.fromStrategy, iris.in_version(old_v, f"strategy/{c.old}")))
        g.add((iri, PG.toStrategy, iris.in_version(new_v, f"strategy/{c.new}")))
    elif c.change == "ambiguous":
        for k in c.old:
            g.add((iri, PG.rivalMeasure, iris.in_version(old_v, f"measure/{k}")))
        for k in c.new:
            g.add((iri, PG.rivalMeasure, iris.in_version(new_v, f"measure/{k}")))
    elif not c.change.endswith("renumbered"):
        for v in _values(c.old):
            g.add((iri, PG.oldValue, zh(v)))
        for v in _values(c.new):
            g.add((iri, PG.newValue, zh(v)))
    if c.change == "renamed":
        assert c.agency is not None and c.events is not None
        registry = comparison.registry
        g.add((iri, PG.renamedAgency, iris.entity(registry.get(c.agency))))
        for ev in c.events:
            if ev.entity is not None:      # an agency's own event: org:ChangeEvent at …/event/{date}
                entity_iri = iris.entity(registry.get(ev.entity))
                g.add((iri, PG.explainedBy, URIRef(f"{entity_iri}/event/{ev.date}")))
            if ev.source is not None:
                g.add((iri, DCTERMS.source, iris.source(ev.source)))

