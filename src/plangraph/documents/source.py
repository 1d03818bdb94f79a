"""A source document with its metadata (title, issuer, version date, …) and errata, from data/."""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SourceError


@dataclass
class SourceFile:
    path: Path
    data: bytes
    version_date: dt.date | None      # None only where a date is not needed (diff)
    meta: dict[str, Any]
    errata: list[dict[str, Any]] = field(default_factory=list)

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
        return list(self.meta.get("amends", {}).get("points", []))

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
        return bool(self.meta.get("sha256")) and self.meta["sha256"] == self.sha256

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


def _toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as e:
        raise SourceError(f"not valid TOML: {e}", path=str(path)) from None


def _date(value: Any, what: str, path: Path) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise SourceError(f"{what} {value!r} is not a date (YYYY-MM-DD)", path=str(path)) from None


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
    meta = _toml(meta_path) if meta_path.exists() else {}
    errata_path = _sidecar(path, "errata")
    errata = _toml(errata_path).get("correction", []) if errata_path.exists() else []

    # a document's own metadata wins; --version-date is for documents without it
    if "version_date" in meta:
        date = _date(meta["version_date"].get("value"), "version_date", meta_path)
    elif version_date is not None:
        date = _date(version_date, "--version-date", path)
    elif require_date:
        raise SourceError(f"no version date: give --version-date or write {meta_path.name} "
                          "beside the document", path=str(path))
    else:
        date = None
    source = SourceFile(path, data, date, meta, errata)
    expected = meta.get("sha256")
    if expected and expected != source.sha256:
        raise SourceError(f"checksum mismatch: the document's SHA-256 is {source.sha256}, its "
                          f"metadata ({meta_path.name}) says {expected}. The file is not the one "
                          "the metadata describes (truncated or edited?); fix the file, or update "
                          "sha256 if the change is intended", path=str(path))
    return source
