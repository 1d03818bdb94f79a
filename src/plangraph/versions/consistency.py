"""Consistency findings for one version of the plan, at its version date or at --as-of.

Rules (documented in README.md, "plangraph check"):

  agency-renamed      a name as written that a rename had replaced by the date (successor: new name)
  agency-replaced     an agency another one had replaced by the date (successor: that agency)
  agency-abolished    an agency or body abolished by the date
  leftover-old-name   an old name from a family rename (法院檢察署 → 檢察署) left in a text or cell
                      that no single agency's rename covers
  deadline-passed     a target deadline before the date
  bill-enacted        a bill "to be drafted" that had been enacted by the date
  duplicate-measure   two measures whose texts are the same or nearly (similarity ≥ 0.9)
  no-target, no-lead-agency, numbering-gap
                      the SHACL shapes MeasureHasTarget, MeasureHasLead, NumberContiguous, run on
                      the version's graph (the shapes are the rules; this only reports them)
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from rdflib import URIRef

from ..config import Settings, read_turtle
from ..documents.source import SourceFile
from ..documents.tree import Mention, Node, PlanDocument
from ..model.registry import Entity, Registry
from .diff import similarity

DUPLICATE_SIMILARITY = 0.9
# SHACL shape → rule name, for the rules a shape already states
SHAPE_RULES = {"pgsh:MeasureHasTarget": "no-target", "pgsh:MeasureHasLead": "no-lead-agency",
               "pgsh:NumberContiguous": "numbering-gap"}


@dataclass(frozen=True)
class Finding:
    rule: str
    key: str | None          # the measure's key, or None outside measures
    subject: str | None      # the name as written
    successor: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)



@dataclass
class _Place:
    """A text in the version and the measure it belongs to (if any)."""

    what: str               # "measure 1.1.4.1", "strategy 1.1.4", "clause 6.5"
    key: str | None
    node: Node


def _places(doc: PlanDocument) -> Iterator[_Place]:
    for s in doc.strategies():
        yield _Place(f"strategy {s.key}", None, s)
        for m in s.measures:
            yield _Place(f"measure {m.key}", m.key, m)
            for t in m.targets:
                yield _Place(f"a target of measure {m.key}", m.key, t)
    for c in doc.clauses():
        yield _Place(f"clause {c.key}", None, c)


class Checker:
    def __init__(self, doc: PlanDocument, source: SourceFile, registry: Registry,
                 as_of: dt.date | None = None):
        self.doc, self.source, self.registry = doc, source, registry
        self.date = as_of or source.version_date
        self.findings: dict[tuple[str, str | None, str | None], Finding] = {}

    def add(self, rule: str, key: str | None, subject: str | None, successor: str | None,
            message: str) -> None:
        self.findings.setdefault((rule, key, subject),
                                 Finding(rule, key, subject, successor, message))

    def run(self, settings: Settings | None = None) -> list[Finding]:
        self.agencies()
        self.family_renames()
        self.deadlines()
        self.bills()
        self.duplicates()
        if settings is not None:
            self.shapes(settings)
        return sorted(self.findings.values(),
                      key=lambda f: (f.rule, _order(f.key), f.subject or ""))

    # -- agencies and bodies ----------------------------------------------------------------------

    def _named(self) -> Iterator[tuple[_Place, str, Entity]]:
        """Every agency or body named in an agency cell or a text: (place, name as written, entity)."""
        for m in self.doc.measures():
            for a in m.assignments:
                yield _Place(f"the agency cell of measure {m.key}", m.key, m), a.name, \
                    self.registry.get(a.entity)
        for place in _places(self.doc):
            for x in place.node.mentions:
                if x.kind in ("agency", "body"):
                    yield place, x.name, self.registry.get(x.entity)

    def agencies(self) -> None:
        for place, name, e in self._named():
            for ev in e.events():
                if ev.date > self.date:
                    continue
                kind, when = ev.kind, ev.date.isoformat()
                basis = f" ({ev.basis})" if ev.basis else ""
                # any spelling but the new name (or one still correct after) is an old one
                if kind == "renamed" and ev.new_name and name not in (ev.new_name,
                                                                      *ev.still_correct):
                    self.add("agency-renamed", place.key, name, ev.new_name,
                             f"{name} in {place.what} was renamed {ev.new_name} on {when}{basis}")
                elif kind == "replaced" and ev.successor:
                    successor = self.registry.get(ev.successor).name
                    self.add("agency-replaced", place.key, name, successor,
                             f"{name} in {place.what} was replaced by {successor} on {when}{basis}")
                elif kind == "abolished":
                    self.add("agency-abolished", place.key, name, None,
                             f"{name} in {place.what} was abolished on {when}{basis}")

    def family_renames(self) -> None:
        covered = {(f.key, f.subject) for f in self.findings.values()
                   if f.rule == "agency-renamed"}
        for fam in self.registry.family_renames:
            if fam.date > self.date:
                continue
            for place, text in self._texts():
                for old, new in zip(fam.old, fam.new, strict=True):
                    start = text.find(old)
                    while start >= 0:
                        name = _surrounding_name(text, start, start + len(old), place.node.mentions)
                        if (place.key, name) not in covered:
                            successor = name.replace(old, new)
                            self.add("leftover-old-name", place.key, name, successor,
                                     f"{name} in {place.what}: {fam.basis} renamed every "
                                     f"…{old} to …{new} on {fam.date.isoformat()}")
                        start = text.find(old, start + len(old))
                    text = text.replace(old, "\0" * len(old))   # longest pattern first

    def _texts(self) -> Iterator[tuple[_Place, str]]:
        for place in _places(self.doc):
            yield place, place.node.text.text
        for m in self.doc.measures():
            place = _Place(f"the agency cell of measure {m.key}", m.key, m)
            yield _Place(place.what, m.key, _CellNode(m.agency_cell.text, m.assignments)), \
                m.agency_cell.text

    # -- targets, bills, duplicates ---------------------------------------------------------------

    def deadlines(self) -> None:
        for m in self.doc.measures():
            for t in m.targets:
                if t.deadline is not None and t.deadline < self.date:
                    self.add("deadline-passed", m.key, t.text.text, None,
                             f"target {t.number} of measure {m.key} was due by "
                             f"{t.deadline.isoformat()}, before {self.date.isoformat()}")

    def bills(self) -> None:
        for place in _places(self.doc):
            for x in place.node.mentions:
                e = self.registry.get(x.entity)
                enacted = e.data.enacted
                if x.kind != "instrument" or e.data.kind != "bill" or enacted is None:
                    continue
                if enacted <= self.date:
                    self.add("bill-enacted", place.key, x.name, None,
                             f"{x.name}, a bill to be drafted in {place.what}, was enacted on "
                             f"{enacted.isoformat()}")

    def duplicates(self) -> None:
        measures = self.doc.measures()
        sm = difflib.SequenceMatcher(autojunk=False)
        for j, b in enumerate(measures):
            sm.set_seq2(b.text.text)          # analysed once, compared with every earlier one
            for a in measures[:j]:
                ratio = similarity(sm, a.text.text, DUPLICATE_SIMILARITY)
                if ratio is not None:
                    self.add("duplicate-measure", b.key, None, None,
                             f"measure {b.key} repeats measure {a.key} (similarity {ratio:.2f})")

    # -- rules the SHACL shapes state -------------------------------------------------------------

    def shapes(self, settings: Settings) -> None:
        import pyoxigraph as ox

        from ..model.rdf import Iris, version_graph
        from ..validation.shapes import CompiledShapes, shapes_subset

        # these rules look at the version's own nodes only: the registry graph is not needed
        data = version_graph(self.doc, self.source, self.registry, Iris(settings.base))
        store = ox.Store()
        store.bulk_load(data.ntriples().encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
        shapes = shapes_subset(read_turtle(settings.shapes, "the SHACL shapes"),
                               [URIRef(s.replace("pgsh:", "https://w3id.org/plangraph/shapes#"))
                                for s in SHAPE_RULES])
        for v in CompiledShapes(shapes).check_store(store):
            rule = SHAPE_RULES.get(v.shape)
            if rule is not None:
                key = v.key if v.key and v.key.count(".") == 3 else None
                self.add(rule, key, None, None,
                         f"{v.key or v.focus}: {v.message}" + (f" (line {v.lines[0]})"
                                                              if v.lines else ""))


@dataclass
class _CellNode:
    """An agency cell seen as a text with its mentions (the assignments)."""

    text: str
    assignments: list

    @property
    def mentions(self) -> list[Mention]:
        out, pos = [], 0
        for a in self.assignments:
            start = self.text.find(a.name, pos)
            if start >= 0:
                out.append(Mention(a.entity, "agency", a.name, start, start + len(a.name)))
                pos = start + len(a.name)
        return out


def _surrounding_name(text: str, start: int, end: int, mentions: list[Mention]) -> str:
    """The registry name that contains text[start:end], or the pattern itself."""
    for x in mentions:
        if x.start <= start and end <= x.end:
            return x.name
    return text[start:end].replace("\0", "")


def _order(key: str | None) -> tuple[int, ...]:
    return tuple(int(p) for p in key.split(".")) if key else ()


def check(doc: PlanDocument, source: SourceFile, registry: Registry, *,
          as_of: dt.date | None = None, settings: Settings | None = None) -> list[Finding]:
    return Checker(doc, source, registry, as_of).run(settings)
