"""What changed between two versions, as RDF (one change set per pair), and the measures that
persist across versions."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, XSD, URIRef

from ..documents.tree import PlanDocument
from ..model.ntriples import Triples, plain, typed
from ..model.rdf import Iris, zh
from ..model.registry import Registry
from ..vocab import PG
from .diff import Change, diff_matched, match
from .measures import MeasureView, views


@dataclass
class Comparison:
    """Two consecutive versions: their measures matched once, and what changed."""

    old: str                                 # version dates
    new: str
    pairs: list[tuple[MeasureView, MeasureView]]
    changes: list[Change]


def compare(old_version: str, old_doc: PlanDocument, new_version: str, new_doc: PlanDocument,
            registry: Registry) -> Comparison:
    """Two consecutive versions; the one match serves the persistent ids and the change set."""
    old, new = views(old_doc), views(new_doc)
    pairs = match(old, new)
    return Comparison(old_version, new_version, pairs, diff_matched(old, new, pairs, registry))


class PersistentIds:
    """Measure key → the measure's id across versions, version after version (in date order).

    The first version's keys are the ids; a measure matched in the next version keeps its id; a
    new one takes its key, or key~date if that id is taken."""

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
        _change(g, cs, URIRef(f"{cs}/{n}"), change, c.old, c.new, iris)
    return g


def _values(v: object) -> list[str]:
    if v is None:
        return []
    return [str(x) for x in v] if isinstance(v, list) else [str(v)]


def _change(g: Triples, cs: URIRef, iri: URIRef, c: Change, old_v: str, new_v: str,
            iris: Iris) -> None:
    g.add((cs, PG.hasChange, iri))
    g.add((iri, RDF.type, PG.Change))
    g.add((iri, PG.changeKind, plain(c.change)))
    g.add((iri, PG.number, typed(int(iri.rsplit("/", 1)[1]), XSD.integer)))
    if c.change != "added":
        g.add((iri, PG.oldKey, plain(c.key)))
        g.add((iri, PG.oldMeasure, iris.in_version(old_v, f"measure/{c.key}")))
    if c.new_key is not None:
        g.add((iri, PG.newKey, plain(c.new_key)))
        g.add((iri, PG.newMeasure, iris.in_version(new_v, f"measure/{c.new_key}")))
    if c.change != "renumbered":
        for v in _values(c.old):
            g.add((iri, PG.oldValue, zh(v)))
        for v in _values(c.new):
            g.add((iri, PG.newValue, zh(v)))
