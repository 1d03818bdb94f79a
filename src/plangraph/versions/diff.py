"""A semantic diff of two versions of the plan: every change of every cell.

Measures, strategies and clauses are first aligned by content (align.py); then each pair is
compared cell by cell. Changes are of two aspects, kept apart:

  structure   where things stand: areas added or removed, strategies renumbered, a measure
              moved to another strategy or renumbered, a clause renumbered
  content     what the plan says: a measure added or removed, its text, targets, lead or
              cooperating agencies, the instruments it names, an agency renamed in its agency
              cell; a strategy's, an area's or a clause's text; a strategy or clause added or
              removed

and a third, `alignment`: a pairing that another one would have done nearly as well (ambiguous).

Whitespace, markup and the width of punctuation (，or ,) are not changes (texts are compared
normalised, and by measures.comparable). Two spellings of one agency
are the same agency (agency sets are compared as registry entities), but a cell that names it
differently is a change of kind "renamed", with the registry's event that explains the new name,
or none when the registry records none.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..documents.tree import PlanDocument
from ..model.registry import Registry
from .align import Alignment, Pair, align
from .measures import DocumentView, MeasureView, comparable, document_view, names
from .renames import Event, rename_events, successor_event

STRUCTURE = ("area-removed", "area-added", "strategy-renumbered", "moved", "renumbered",
             "clause-renumbered")
CONTENT = ("area-text", "strategy-removed", "strategy-added", "strategy-text", "removed", "added",
           "text", "targets", "agencies", "cooperating", "renamed", "instruments", "clause-removed",
           "clause-added", "clause-text")
ALIGNMENT = ("ambiguous",)
KINDS = STRUCTURE + CONTENT + ALIGNMENT


def aspect(kind: str) -> str:
    return "structure" if kind in STRUCTURE else "alignment" if kind in ALIGNMENT else "content"


@dataclass
class Change:
    change: str
    key: str                  # the old key (the new key for what was added)
    new_key: str | None
    old: Any
    new: Any
    diff: list[tuple[str, str, str]] | None = field(default=None)   # text changes: (op, old, new)
    agency: str | None = None           # renamed: the registry id of the agency
    events: list[Event] | None = None   # renamed: what explains the new name ([]: none recorded)

    @property
    def aspect(self) -> str:
        return aspect(self.change)

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"change": self.change, "aspect": self.aspect, "key": self.key,
                             "new_key": self.new_key, "old": self.old, "new": self.new}
        if self.diff is not None:
            d["diff"] = self.diff
        if self.agency is not None:
            d["agency"] = self.agency
        if self.events is not None:
            d["events"] = [e.as_dict() for e in self.events]
        return d


def _order(key: str) -> tuple[int, ...]:
    return tuple(int(p) for p in key.split("."))


def char_diff(old: str, new: str) -> list[tuple[str, str, str]]:
    """Opcodes of the comparable texts, quoting the texts as written (an equal run may differ in
    the width of its punctuation)."""
    sm = difflib.SequenceMatcher(None, comparable(old), comparable(new), autojunk=False)
    return [(op, old[a:b], new[c:d]) for op, a, b, c, d in sm.get_opcodes()]


def differ(old: str, new: str) -> bool:
    return comparable(old) != comparable(new)


@dataclass
class Diff:
    """Two versions aligned, and what changed."""

    old: DocumentView
    new: DocumentView
    alignment: Alignment
    changes: list[Change]


def diff_documents(old_doc: PlanDocument, new_doc: PlanDocument, registry: Registry,
                   as_of: dt.date | None = None) -> Diff:
    """`as_of`: the new version's date, if known: an event dated later explains nothing."""
    old, new = document_view(old_doc), document_view(new_doc)
    alignment = align(old, new)
    return Diff(old, new, alignment, diff_aligned(old, new, alignment, registry, as_of))


def diff_aligned(old: DocumentView, new: DocumentView, a: Alignment, registry: Registry,
                 as_of: dt.date | None = None) -> list[Change]:
    changes: list[Change] = []
    changes += _headings(old, new)
    for s in a.removed_strategies:
        changes.append(Change("strategy-removed", s.key, None, s.text, None))
    for s in a.added_strategies:
        changes.append(Change("strategy-added", s.key, s.key, None, s.text))
    for o, n in a.strategies:
        if o.key != n.key:
            changes.append(Change("strategy-renumbered", o.key, n.key, o.key, n.key))
        if differ(o.text, n.text):
            changes.append(Change("strategy-text", o.key, n.key, o.text, n.text,
                                  diff=char_diff(o.text, n.text)))
    for m in a.removed:
        changes.append(Change("removed", m.key, None, m.text, None))
    for p in a.pairs:
        changes += _compare(p, a, registry, as_of)
    for m in a.added:
        changes.append(Change("added", m.key, m.key, None, m.text))
    for c in a.removed_clauses:
        changes.append(Change("clause-removed", c.key, None, c.text, None))
    for c in a.added_clauses:
        changes.append(Change("clause-added", c.key, c.key, None, c.text))
    for oc, nc in a.clauses:
        if oc.key != nc.key:
            changes.append(Change("clause-renumbered", oc.key, nc.key, oc.key, nc.key))
        if differ(oc.text, nc.text):
            changes.append(Change("clause-text", oc.key, nc.key, oc.text, nc.text,
                                  diff=char_diff(oc.text, nc.text)))
    # point 陸's clauses after point 肆, each point in key order
    return sorted(changes, key=lambda c: (c.change.startswith("clause-"), _order(c.key),
                                          KINDS.index(c.change)))


def _headings(old: DocumentView, new: DocumentView) -> list[Change]:
    """Areas and sub-areas, by key: the 2014 layout's eight areas are gone in the flat one."""
    out = []
    new_by_key = {h.key: h for h in new.headings}
    old_keys = {h.key for h in old.headings}
    for h in old.headings:
        n = new_by_key.get(h.key)
        if n is None:
            out.append(Change("area-removed", h.key, None, h.title, None))
        elif differ(n.title, h.title):
            out.append(Change("area-text", h.key, h.key, h.title, n.title,
                              diff=char_diff(h.title, n.title)))
    for h in new.headings:
        if h.key not in old_keys:
            out.append(Change("area-added", h.key, h.key, None, h.title))
    return out


def _compare(p: Pair, a: Alignment, registry: Registry, as_of: dt.date | None) -> list[Change]:
    o, n = p.old, p.new
    out = []

    def change(kind: str, old: Any, new: Any, **kw: Any) -> None:
        out.append(Change(kind, o.key, n.key, old, new, **kw))

    if p.ambiguous:
        change("ambiguous", list(p.old_rivals), list(p.new_rivals))
    partner = a.new_strategy_of(o.strategy)
    if partner is None or partner.key != n.strategy.key:
        change("moved", o.strategy.key, n.strategy.key)
    elif o.key != n.key:
        change("renumbered", o.key, n.key)
    if differ(o.text, n.text):
        change("text", o.text, n.text, diff=char_diff(o.text, n.text))
    if [comparable(t) for t in o.targets] != [comparable(t) for t in n.targets]:
        change("targets", list(o.targets), list(n.targets))
    renamed, successors = _renames(o, n, registry, as_of)
    for role, before, after in (("agencies", o.lead, n.lead),
                                ("cooperating", o.cooperating, n.cooperating)):
        # an agency named by its successor's name is renamed, not removed and added
        if frozenset(successors.get(e, e) for e in before) != after:
            change(role, names(registry, before), names(registry, after))
    for old_name, new_name, entity, events in renamed:
        change("renamed", old_name, new_name, agency=entity, events=events)
    if o.instruments != n.instruments:
        change("instruments", names(registry, o.instruments), names(registry, n.instruments))
    return out


def _renames(o: MeasureView, n: MeasureView, registry: Registry, as_of: dt.date | None
             ) -> tuple[list[tuple[str, str, str, list[Event]]], dict[str, str]]:
    """The agency cell's names that changed for the same organisation: (old name, new name,
    entity, events), and the agencies replaced by a successor named in their place."""
    before: dict[str, list[str]] = defaultdict(list)
    after: dict[str, list[str]] = defaultdict(list)
    for x in o.names:
        before[x.entity].append(x.name)
    for x in n.names:
        after[x.entity].append(x.name)
    out = []
    for entity in before.keys() & after.keys():
        was = {comparable(x) for x in before[entity]}
        now = {comparable(x) for x in after[entity]}
        gone = [x for x in dict.fromkeys(before[entity]) if comparable(x) not in now]
        came = [x for x in dict.fromkeys(after[entity]) if comparable(x) not in was]
        for old_name, new_name in zip(gone, came, strict=False):
            out.append((old_name, new_name, entity,
                        rename_events(registry, entity, old_name, new_name, as_of)))
    successors: dict[str, str] = {}
    for old_entity in [e for e in before if e not in after]:
        for new_entity in [e for e in after if e not in before and e not in successors.values()]:
            ev = successor_event(registry, old_entity, new_entity, as_of)
            if ev is not None:
                successors[old_entity] = new_entity
                out.append((before[old_entity][0], after[new_entity][0], old_entity, [ev]))
                break
    order = {x.name: k for k, x in enumerate(o.names)}
    return sorted(out, key=lambda r: order.get(r[0], 0)), successors
