"""A measure as the amendment tools compare it: texts normalised, names resolved to entities."""

from __future__ import annotations

from dataclasses import dataclass

from ..documents.tree import Measure, PlanDocument
from ..model.registry import Registry


@dataclass(frozen=True)
class MeasureView:
    key: str
    text: str
    targets: tuple[str, ...]
    lead: frozenset[str]          # registry ids: two spellings of one agency are one agency
    cooperating: frozenset[str]
    instruments: frozenset[str]
    lines: tuple[int, ...]
    measure: Measure

    @classmethod
    def of(cls, m: Measure) -> MeasureView:
        mentions = m.mentions + [x for t in m.targets for x in t.mentions]
        return cls(m.key, m.text.text, tuple(t.text.text for t in m.targets),
                   frozenset(a.entity for a in m.assignments if not a.cooperating),
                   frozenset(a.entity for a in m.assignments if a.cooperating),
                   frozenset(x.entity for x in mentions if x.kind == "instrument"),
                   tuple(m.lines), m)


def views(doc: PlanDocument) -> list[MeasureView]:
    return [MeasureView.of(m) for m in doc.measures()]


def names(registry: Registry, ids: frozenset[str]) -> list[str]:
    return sorted(registry.get(i).name for i in ids)
