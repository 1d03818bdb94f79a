"""Reference data: agencies, collective assignees, named bodies, instruments, and their sources.

Loaded from data/registry/*.toml. Every name and alias resolves to exactly one entity; every cited
source is defined. Names are found in texts by longest match.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import RegistryError

# entity kind -> (file, TOML array name)
_TABLES = {
    "agency": ("agencies.toml", "agency"),
    "collective": ("agencies.toml", "collective"),
    "body": ("bodies.toml", "body"),
    "instrument": ("instruments.toml", "instrument"),
    "phrase": ("phrases.toml", "phrase"),     # never a mention: hides the names inside it
}
ASSIGNEE_KINDS = ("agency", "collective", "body")
_REFERENCE_KEYS = ("parent", "successor", "host", "convener", "agency", "part_of_law",
                   "comprises_law")


@dataclass
class Entity:
    id: str
    kind: str
    name: str
    aliases: list[str]
    data: dict[str, Any]

    @property
    def names(self) -> list[str]:
        """Its name, aliases, and the names a rename gave or took (the same agency, renamed)."""
        dated = [ev[k] for ev in self.events() if ev.get("kind") == "renamed"
                 for k in ("old_name", "new_name") if k in ev]
        return list(dict.fromkeys([self.name, *self.aliases, *dated]))

    def events(self) -> list[dict[str, Any]]:
        return list(self.data.get("event", []))


@dataclass
class Registry:
    entities: dict[str, Entity]
    sources: dict[str, dict[str, Any]]
    family_renames: list[dict[str, Any]] = field(default_factory=list)
    # short names that name a party only where a text names a party (由院列管): name → entry
    # with the agency, the reason it resolves so, its source and lines (agencies.toml)
    contextual: dict[str, dict[str, Any]] = field(default_factory=dict)
    _by_name: dict[str, Entity] = field(default_factory=dict)
    _by_first: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for e in self.entities.values():
            for name in e.names:
                other = self._by_name.get(name)
                if other is not None and other.id != e.id:
                    raise RegistryError(f"name {name!r} belongs to both {other.id!r} and {e.id!r}")
                self._by_name[name] = e
        for name in self._by_name:
            self._by_first.setdefault(name[0], []).append(name)
        for names in self._by_first.values():
            names.sort(key=len, reverse=True)

    @classmethod
    def load(cls, folder: Path) -> Registry:
        docs: dict[str, dict[str, Any]] = {}
        for file in sorted({f for f, _ in _TABLES.values()} | {"sources.toml"}):
            path = folder / file
            try:
                with path.open("rb") as fh:
                    docs[file] = tomllib.load(fh)
            except FileNotFoundError:
                raise RegistryError(f"{path}: registry file missing") from None
            except tomllib.TOMLDecodeError as e:
                raise RegistryError(f"{path}: {e}") from None
        sources = {s["id"]: s for s in docs["sources.toml"].get("source", [])}
        entities: dict[str, Entity] = {}
        for kind, (file, array) in _TABLES.items():
            for row in docs[file].get(array, []):
                try:
                    ent = Entity(row["id"], kind, row["name"], list(row.get("aliases", [])), row)
                except KeyError as e:
                    raise RegistryError(f"{folder / file}: an entry of [[{array}]] lacks {e}") from None
                if ent.id in entities:
                    raise RegistryError(f"{folder / file}: id {ent.id!r} defined twice")
                entities[ent.id] = ent
        families = docs["agencies.toml"].get("family_rename", [])
        contextual = {row["name"]: row for row in docs["agencies.toml"].get("contextual_name", [])}
        registry = cls(entities, sources, families, contextual)
        registry._check_references()
        return registry

    def _check_references(self) -> None:
        for fam in self.family_renames:
            if fam.get("source") not in self.sources:
                raise RegistryError(f"family_rename {fam.get('id')!r}: source missing or unknown")
        for name, row in self.contextual.items():
            if row.get("agency") not in self.entities or row.get("source") not in self.sources \
                    or not row.get("reason"):
                raise RegistryError(f"contextual_name {name!r}: needs an agency id, a reason and "
                                    "a source from sources.toml")
        for e in self.entities.values():
            for key, value in _walk(e.data):
                if key.endswith("source") and isinstance(value, str) and value not in self.sources:
                    raise RegistryError(f"{e.kind} {e.id!r}: source {value!r} is not in sources.toml")
                # a convener is an id, or (non-ASCII) the text of a person's role
                is_ref = key in _REFERENCE_KEYS and isinstance(value, str) and value.isascii()
                if is_ref and value not in self.entities:
                    raise RegistryError(f"{e.kind} {e.id!r}: {key} {value!r} is not a registry id")
                if key in ("members", "member_bodies"):
                    for m in value:
                        if m not in self.entities:
                            raise RegistryError(f"{e.kind} {e.id!r}: member {m!r} is not a registry id")

    def party_at(self, text: str, pos: int) -> tuple[Entity, str, dict[str, Any] | None] | None:
        """The party a text names at text[pos], where the text names a party: a registry agency,
        collective or body (longest match), or else a contextual name (院), with its entry."""
        if pos >= len(text):
            return None
        m = self.match_at(text, pos, _TABLES)
        if m is not None:
            return (m[0], m[1], None) if m[0].kind in ASSIGNEE_KINDS else None
        for name, row in self.contextual.items():
            if text.startswith(name, pos):
                return self.get(row["agency"]), name, row
        return None

    def get(self, entity_id: str) -> Entity:
        return self.entities[entity_id]

    def resolve(self, name: str, kinds: Iterable[str] = ASSIGNEE_KINDS) -> Entity | None:
        e = self._by_name.get(name)
        return e if e is not None and e.kind in kinds else None

    def match_at(self, text: str, pos: int, kinds: Iterable[str]) -> tuple[Entity, str] | None:
        """The longest registry name of one of `kinds` that starts at text[pos]."""
        kinds = tuple(kinds)
        for name in self._by_first.get(text[pos], ()):
            if text.startswith(name, pos):
                e = self._by_name[name]
                if e.kind in kinds:
                    return e, name
        return None

    def find(self, text: str, kinds: Iterable[str]) -> list[tuple[Entity, str, int]]:
        """Non-overlapping longest matches, left to right: (entity, name as written, offset).

        A longer name of another kind still blocks a shorter one inside it (法務部廉政署 is not a
        mention of 法務部), so matching runs over every kind and filters afterwards.
        """
        kinds = tuple(kinds)
        found = []
        pos = 0
        while pos < len(text):
            m = self.match_at(text, pos, _TABLES)
            if m is None:
                pos += 1
                continue
            if m[0].kind in kinds:
                found.append((m[0], m[1], pos))
            pos += len(m[1])
        return found


def _walk(data: Any, key: str = "") -> Iterable[tuple[str, Any]]:
    if isinstance(data, dict):
        for k, v in data.items():
            yield k, v
            yield from _walk(v, k)
    elif isinstance(data, list):
        for v in data:
            if isinstance(v, dict):
                yield from _walk(v, key)
