"""Reference data: agencies, collective assignees, named bodies, instruments, and their sources.

Loaded from data/registry/*.toml into the dataclasses below (tomlfiles.py): a key that no field
declares, or a value of the wrong type, is a RegistryError naming the file, the key and the type
expected. To add a key to the registry, add one field to the dataclass of its table (EntityData
for [[agency]], [[collective]], [[body]], [[instrument]] and [[phrase]]; Event for [[*.event]];
ContextualName for [[contextual_name]]).

Every name and alias resolves to exactly one entity; every cited source is defined. Names are
found in texts by longest match.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import RegistryError
from ..tomlfiles import TomlShapeError, read_toml

# entity kind -> (file, TOML array name)
_TABLES = {
    "agency": ("agencies.toml", "agency"),
    "collective": ("agencies.toml", "collective"),
    "body": ("bodies.toml", "body"),
    "instrument": ("instruments.toml", "instrument"),
    "phrase": ("phrases.toml", "phrase"),     # never a mention: hides the names inside it
}
ASSIGNEE_KINDS = ("agency", "collective", "body")
_REFERENCE_KEYS = ("parent", "successor", "predecessor", "host", "convener", "agency",
                   "part_of_law", "comprises_law")


@dataclass(frozen=True)
class Event:
    """[[*.event]]: dated history. kind: renamed | replaced | abolished | established."""

    date: dt.date
    kind: str
    source: str
    basis: str | None = None               # the legal basis, as written
    old_name: str | None = None            # renamed: the name before
    new_name: str | None = None            # renamed: the name after
    new_name_en: str | None = None
    new_name_en_source: str | None = None
    still_correct: list[str] = field(default_factory=list)   # old spellings still right after
    successor: str | None = None           # replaced: the id that took its place
    predecessor: str | None = None         # established: the id it came from


@dataclass(frozen=True)
class EntityData:
    """One entry of [[agency]], [[collective]], [[body]], [[instrument]] or [[phrase]] (the keys
    of all five: each file's header says which it uses). `*_source` keys name an id in
    sources.toml; reference keys (parent, host, convener, members …) an id in the registry."""

    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    kind: str | None = None                # agency: yuan | ministry …; body, instrument: their kind
    name_en: str | None = None
    name_en_source: str | None = None
    description_en: str | None = None      # collective: what the phrase covers
    description_en_source: str | None = None
    members_kind: str | None = None        # collective
    parent: str | None = None
    parent_source: str | None = None
    oid: str | None = None
    agency_code: str | None = None
    oid_source: str | None = None          # the source of oid and agency_code
    oid_note: str | None = None            # what the OID's source does not show (English)
    host: str | None = None                # body
    host_source: str | None = None
    convener: str | None = None            # body: an id, or the text of a person's role
    secretary: str | None = None
    members: list[str] = field(default_factory=list)
    member_bodies: list[str] = field(default_factory=list)
    member_roles: list[str] = field(default_factory=list)
    meets: str | None = None
    is_plan: bool = False                  # instrument: the plan itself
    lsid: str | None = None
    lsid_source: str | None = None
    pcode: str | None = None
    pcode_source: str | None = None
    enacted: dt.date | None = None
    enacted_source: str | None = None
    # instrument: a provision in a law (part_of_law) or a body of law (法制) comprising one
    # (comprises_law), ids in the registry; a judgement read from the text, so each link needs
    # law_link_source and law_link_reason, and names the lines it was read from
    part_of_law: str | None = None
    comprises_law: str | None = None
    law_link_source: str | None = None
    law_link_lines: list[int] = field(default_factory=list)
    law_link_reason: str | None = None
    sdg_target: str | None = None
    sdg_target_source: str | None = None
    sdg_basis_source: str | None = None
    sdg_note: str | None = None
    source: str | None = None
    lines: list[int] = field(default_factory=list)
    note: str | None = None
    note_source: str | None = None
    reason: str | None = None              # phrase: why it is not a mention
    event: list[Event] = field(default_factory=list)


@dataclass(frozen=True)
class FamilyRename:
    """[[family_rename]]: one law renaming a family of names at once (…法院檢察署 → …檢察署)."""

    id: str
    old: list[str]
    new: list[str]
    date: dt.date
    source: str
    basis: str | None = None


@dataclass(frozen=True)
class ContextualName:
    """[[contextual_name]]: a short name that names a party only where a text names a party
    (由院列管), never a mention found by matching (院 is inside 法院, 監察院 …); the agency it
    stands for, why, the source of that reading and the lines it was read from."""

    name: str
    agency: str                            # an id in the registry
    reason: str
    source: str
    lines: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Source:
    """[[source]] in sources.toml."""

    id: str
    title: str
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class AgenciesFile:
    agency: list[EntityData] = field(default_factory=list)
    collective: list[EntityData] = field(default_factory=list)
    family_rename: list[FamilyRename] = field(default_factory=list)
    contextual_name: list[ContextualName] = field(default_factory=list)


@dataclass(frozen=True)
class BodiesFile:
    body: list[EntityData] = field(default_factory=list)


@dataclass(frozen=True)
class InstrumentsFile:
    instrument: list[EntityData] = field(default_factory=list)


@dataclass(frozen=True)
class PhrasesFile:
    phrase: list[EntityData] = field(default_factory=list)


@dataclass(frozen=True)
class SourcesFile:
    source: list[Source] = field(default_factory=list)


_FILES: dict[str, type[Any]] = {"agencies.toml": AgenciesFile, "bodies.toml": BodiesFile,
                                "instruments.toml": InstrumentsFile,
                                "phrases.toml": PhrasesFile, "sources.toml": SourcesFile}


@dataclass
class Entity:
    id: str
    kind: str
    name: str
    aliases: list[str]
    data: EntityData

    @property
    def names(self) -> list[str]:
        """Its name, aliases, and the names a rename gave or took (the same agency, renamed)."""
        dated = [name for ev in self.events() if ev.kind == "renamed"
                 for name in (ev.old_name, ev.new_name) if name]
        return list(dict.fromkeys([self.name, *self.aliases, *dated]))

    def events(self) -> list[Event]:
        return list(self.data.event)


@dataclass
class Registry:
    entities: dict[str, Entity]
    sources: dict[str, Source]
    family_renames: list[FamilyRename] = field(default_factory=list)
    # short names that name a party only where a text names a party (由院列管), by name
    contextual: dict[str, ContextualName] = field(default_factory=dict)
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
        files: dict[str, Any] = {}
        for file, schema in _FILES.items():
            path = folder / file
            if not path.is_file():
                raise RegistryError(f"{path}: registry file missing")
            try:
                files[file] = read_toml(path, schema)
            except TomlShapeError as e:
                raise RegistryError(str(e)) from None
        sources = {s.id: s for s in files["sources.toml"].source}
        entities: dict[str, Entity] = {}
        for kind, (file, array) in _TABLES.items():
            for row in getattr(files[file], array):
                ent = Entity(row.id, kind, row.name, list(row.aliases), row)
                if ent.id in entities:
                    raise RegistryError(f"{folder / file}: id {ent.id!r} defined twice")
                entities[ent.id] = ent
        agencies = files["agencies.toml"]
        contextual = {row.name: row for row in agencies.contextual_name}
        registry = cls(entities, sources, list(agencies.family_rename), contextual)
        registry._check_references()
        return registry

    def _check_references(self) -> None:
        for fam in self.family_renames:
            if fam.source not in self.sources:
                raise RegistryError(f"family_rename {fam.id!r}: source {fam.source!r} is not in "
                                    "sources.toml")
        for name, row in self.contextual.items():
            if row.agency not in self.entities:
                raise RegistryError(f"contextual_name {name!r}: agency {row.agency!r} is not a "
                                    "registry id")
            if row.source not in self.sources:
                raise RegistryError(f"contextual_name {name!r}: source {row.source!r} is not in "
                                    "sources.toml")
            if not row.reason.strip():
                raise RegistryError(f"contextual_name {name!r}: reason is empty")
        for e in self.entities.values():
            if (e.data.part_of_law or e.data.comprises_law) and not (
                    e.data.law_link_source and e.data.law_link_reason):
                raise RegistryError(f"{e.kind} {e.id!r}: a link to a law (part_of_law, "
                                    "comprises_law) needs law_link_source and law_link_reason")
            for key, value in _walk(dataclasses.asdict(e.data)):
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

    def party_at(self, text: str, pos: int) -> tuple[Entity, str, ContextualName | None] | None:
        """The party a text names at text[pos], where the text names a party: a registry agency,
        collective or body (longest match), or else a contextual name (院), with its entry."""
        if pos >= len(text):
            return None
        m = self.match_at(text, pos, _TABLES)
        if m is not None:
            return (m[0], m[1], None) if m[0].kind in ASSIGNEE_KINDS else None
        for name, row in self.contextual.items():
            if text.startswith(name, pos):
                return self.get(row.agency), name, row
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
