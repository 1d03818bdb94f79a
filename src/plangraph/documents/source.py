"""A source document with its metadata (title, issuer, version date, …) and errata, from data/.

The two files beside a document, <stem>.meta.toml and <stem>.errata.toml, are read into the
dataclasses below (tomlfiles.py): a key they do not declare, or a value of the wrong type, is a
SourceError naming the file, the key and the type expected. A new key is one new field.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SourceError
from ..tomlfiles import TomlShapeError, read_toml

# -- <stem>.meta.toml: each fact with the id of its source in registry/sources.toml ---------------


@dataclass(frozen=True)
class Title:
    value: str
    en: str | None = None
    source: str | None = None
    en_source: str | None = None


@dataclass(frozen=True)
class PlanInfo:
    """The plan that the document is a version of."""

    value: str
    en: str | None = None
    en_source: str | None = None
    issued: dt.date | None = None
    issued_ref: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Issuer:
    value: str
    agency: str | None = None        # an id in registry/agencies.toml
    source: str | None = None


@dataclass(frozen=True)
class VersionDate:
    value: dt.date
    source: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Amends:
    points: list[str]                # the parts (肆, 陸) the document must hold
    source: str | None = None


@dataclass(frozen=True)
class OfficialRecord:
    lsid: str
    source: str
    system: str | None = None
    url: str | None = None
    history_url: str | None = None


@dataclass(frozen=True)
class Licence:
    source_text: str | None = None
    source_text_url: str | None = None


@dataclass(frozen=True)
class Metadata:
    """<stem>.meta.toml. Only `sha256` is needed to build a document (with --version-date)."""

    file: str | None = None
    sha256: str | None = None
    title: Title | None = None
    plan: PlanInfo | None = None
    issuer: Issuer | None = None
    version_date: VersionDate | None = None
    amends: Amends | None = None
    official_record: OfficialRecord | None = None
    licence: Licence | None = None


# -- <stem>.errata.toml ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Erratum:
    """A correction applied to one source line before parsing: `find` is replaced by `replace`."""

    line: int
    find: str
    replace: str
    reason: str = ""


@dataclass(frozen=True)
class Errata:
    correction: list[Erratum] = field(default_factory=list)


@dataclass
class SourceFile:
    path: Path
    data: bytes
    version_date: dt.date | None      # None only where a date is not needed (diff)
    meta: Metadata | None             # None: there is no metadata file beside the document
    errata: list[Erratum] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def version(self) -> str:
        if self.version_date is None:
            raise SourceError("this document has no version date", path=str(self.path))
        return self.version_date.isoformat()

    @property
    def required_parts(self) -> list[str]:
        return list(self.meta.amends.points) if self.meta and self.meta.amends else []

    # Whether the document is whole. The parser catches a cut inside a row or a sentence, a gap
    # in a numbering, and a missing part that the heading or metadata names. It cannot catch a
    # cut after a whole row or clause at the end (the last clauses of 陸, the last measures of the
    # last strategy): nothing in the document says how many measures or clauses it has, and a
    # later version may well have fewer, since an amendment may add or remove either. Only a
    # checksum recorded apart from the file, from the published document, tells a whole copy from
    # a cut one: `plangraph build` refuses a document without one unless told --allow-unverified
    # (cli.py).
    @property
    def verified(self) -> bool:
        """Its metadata records a SHA-256 and the file matches it."""
        return self.meta is not None and self.meta.sha256 == self.sha256

    def unverified_reason(self) -> str:
        """What is missing, for a document that is not verified."""
        meta = _sidecar(self.path, "meta").name
        return (f"no checksum: {meta} records no sha256" if self.meta
                else f"no checksum: there is no {meta} beside it")


# why a document without a checksum cannot be known to be whole (see SourceFile.verified)
UNVERIFIED = ("a copy cut after a whole row or clause reads as a complete, shorter plan, and only "
              "a checksum of the published document tells the two apart")


def _sidecar(path: Path, kind: str) -> Path:
    return path.with_name(f"{path.stem}.{kind}.toml")


def read_metadata(path: Path) -> Metadata:
    try:
        return read_toml(path, Metadata)
    except TomlShapeError as e:
        raise SourceError(f"{e.where + ': ' if e.where else ''}{e.message}",
                          path=str(path)) from None


def read_errata(path: Path) -> list[Erratum]:
    try:
        return read_toml(path, Errata).correction
    except TomlShapeError as e:
        raise SourceError(f"{e.where + ': ' if e.where else ''}{e.message}",
                          path=str(path)) from None


def load_source(path: Path, version_date: str | None = None, *,
                require_date: bool = True) -> SourceFile:
    """Read a document and the metadata and errata files beside it (<stem>.meta.toml, .errata.toml).

    Without metadata, `version_date` is required and the version has no title or issuer.
    """
    try:
        data = path.read_bytes()
    except OSError as e:
        raise SourceError(f"cannot read the document: {e.strerror}", path=str(path)) from None
    meta_path = _sidecar(path, "meta")
    meta = read_metadata(meta_path) if meta_path.exists() else None
    errata_path = _sidecar(path, "errata")
    errata = read_errata(errata_path) if errata_path.exists() else []

    # a document's own metadata wins; --version-date is for documents without it
    if meta is not None and meta.version_date is not None:
        date = meta.version_date.value
    elif version_date is not None:
        try:
            date = dt.date.fromisoformat(version_date)
        except ValueError:
            raise SourceError(f"--version-date {version_date!r} is not a date (YYYY-MM-DD)",
                              path=str(path)) from None
    elif require_date:
        raise SourceError(f"no version date: give --version-date or write {meta_path.name} "
                          "beside the document", path=str(path))
    else:
        date = None
    source = SourceFile(path, data, date, meta, errata)
    expected = meta.sha256 if meta else None
    if expected and expected != source.sha256:
        raise SourceError(f"checksum mismatch: the document's SHA-256 is {source.sha256}, its "
                          f"metadata ({meta_path.name}) says {expected}. The file is not the one "
                          "the metadata describes (truncated or edited?); fix the file, or update "
                          "sha256 if the change is intended", path=str(path))
    return source
