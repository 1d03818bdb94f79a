"""The build folder: the names of what `plangraph build` writes, and its manifest, typed.

Everything that reads a build (the site, `diff` and `check` on built versions, `validate`,
`export`) takes the paths from here, so that reading a build never imports the code that makes
one (documents, the RDF mapping, the amendment code). Standard library only.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..errors import StoreError

# file names inside the build folder
TURTLE = "plangraph.ttl"
NTRIPLES = "plangraph.nt"
JSONLD = "plangraph.jsonld"
NQUADS = "plangraph.nq"
STORE = "store"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class BuiltVersion:
    """One version in a build: its date, the file it was read from and that file's checksum."""

    version: str
    file: str
    sha256: str
    verified: bool     # the metadata's checksum matched, so the document is known to be whole


@dataclass
class Manifest:
    """manifest.json: what was built, from which documents, with which base IRI."""

    versions: list[BuiltVersion]
    base: str
    counts: dict[str, int] = field(default_factory=dict)
    graphs: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1) + "\n"

    def write(self, folder: Path) -> None:
        (folder / MANIFEST).write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        """The manifest of the build in `folder`; StoreError when there is none or it is broken."""
        path = folder / MANIFEST
        try:
            data: Any = json.loads(path.read_text(encoding="utf-8"))
            return cls([BuiltVersion(**v) for v in data["versions"]], data["base"],
                       dict(data.get("counts", {})), dict(data.get("graphs", {})))
        except FileNotFoundError:
            raise StoreError(f"no build at {folder} (no {MANIFEST}): run `plangraph build` "
                             "first") from None
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise StoreError(f"{path} cannot be read as a build manifest: {e}") from None

    @classmethod
    def read_if_present(cls, folder: Path) -> Manifest | None:
        return cls.read(folder) if (folder / MANIFEST).is_file() else None
