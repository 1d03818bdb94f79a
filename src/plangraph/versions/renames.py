"""What the registry records about an agency's change of name: the evidence for a "renamed" change.

A version may name an organisation differently from the version before it. The registry says
why, when it knows: a dated rename of that agency (最高法院檢察署 → 最高檢察署, 2018-05-25,
法院組織法 §114-2), its replacement by a successor (行政院農業委員會 → 農業部), or a rename of a
whole family of names by one law (…法院檢察署 → …檢察署). When it knows nothing the change is
still reported, saying that no event is recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from ..model.registry import Registry


@dataclass(frozen=True)
class Event:
    """A registry event that explains a change of name."""

    kind: str              # "renamed" | "replaced" (an agency's own event) | "family" (a family rename)
    entity: str | None     # the agency whose event it is (None for a family rename)
    date: str
    old_name: str
    new_name: str
    basis: str | None
    source: str | None     # id of the registry source

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def rename_events(registry: Registry, entity: str, old_name: str, new_name: str,
                  by: dt.date | None = None) -> list[Event]:
    """The events of `entity` that took `old_name` to `new_name` (dated on or before `by`, when
    given): renames ending in the new name or starting from the old one, else a family rename
    that turns the one into the other."""
    out = []
    for ev in registry.get(entity).events():
        if ev.kind != "renamed" or ev.old_name is None or ev.new_name is None \
                or (by is not None and ev.date > by):
            continue
        if ev.new_name in (new_name, *ev.still_correct) or ev.old_name == old_name:
            out.append(Event("renamed", entity, ev.date.isoformat(), ev.old_name, ev.new_name,
                             ev.basis, ev.source))
    if out:
        return sorted(out, key=lambda e: e.date)
    for fam in registry.family_renames:
        if by is not None and fam.date > by:
            continue
        for old, new in zip(fam.old, fam.new, strict=True):
            if old in old_name and old_name.replace(old, new) == new_name:
                return [Event("family", None, fam.date.isoformat(), old, new, fam.basis,
                              fam.source)]
    return []


def successor_event(registry: Registry, old: str, new: str,
                    by: dt.date | None = None) -> Event | None:
    """The event by which agency `new` took the place of agency `old`, if the registry has one."""
    for ev in registry.get(old).events():
        if ev.kind == "replaced" and ev.successor == new and (by is None or ev.date <= by):
            return Event("replaced", old, ev.date.isoformat(), registry.get(old).name,
                         registry.get(new).name, ev.basis, ev.source)
    return None
