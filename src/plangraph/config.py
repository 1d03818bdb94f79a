"""Settings, declared once: typed, with defaults, help text and an environment variable each;
and where the project's own files are found.

The ontology, the shapes, the query library and the seed with its metadata and registry ship
inside the package, under resources/ (ontology/, queries/, data/). In the repository,
src/plangraph/resources/ holds symbolic links to the top-level folders of those names; a wheel
holds copies. So a checkout, an editable install and an installed wheel read them at the same
place, and `plangraph` works from any directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import Graph

# ontology/, queries/ and data/ as shipped with this package (a folder on disk: pip unpacks wheels)
RESOURCES = Path(str(files("plangraph") / "resources"))


def _env(name: str, default: str) -> str:
    return os.environ.get(f"PLANGRAPH_{name.upper()}", default)


@dataclass
class Settings:
    base: str = field(default_factory=lambda: _env("base", "https://w3id.org/plangraph/id/"),
                      metadata={"help": "base IRI of every resource the build mints"})
    data_dir: Path = field(
        default_factory=lambda: Path(_env("data_dir", str(RESOURCES / "data"))),
        metadata={"help": "folder of the source documents the build takes by default (each "
                          "with its .meta.toml); default: the plan shipped with plangraph"})
    registry_dir: Path = field(
        default_factory=lambda: Path(_env("registry_dir", str(RESOURCES / "data" / "registry"))),
        metadata={"help": "folder of the registry (agencies, bodies, instruments, sources); "
                          "default: the one shipped with plangraph"})
    out: Path = field(default_factory=lambda: Path(_env("out", "build")),
                      metadata={"help": "output folder of `plangraph build` (dumps and store), "
                                        "relative to the working directory"})
    ontology: Path = field(default_factory=lambda: RESOURCES / "ontology" / "plangraph.ttl",
                           metadata={"help": "the OWL ontology"})
    shapes: Path = field(default_factory=lambda: RESOURCES / "ontology" / "shapes.ttl",
                         metadata={"help": "the SHACL shapes"})
    queries_dir: Path = field(default_factory=lambda: RESOURCES / "queries",
                              metadata={"help": "the query library"})
    query_timeout: float = field(default_factory=lambda: float(_env("query_timeout", "10")),
                                 metadata={"help": "seconds a SPARQL query may run"})
    max_rows: int = field(default_factory=lambda: int(_env("max_rows", "10000")),
                          metadata={"help": "result rows returned at most"})
    max_request_bytes: int = field(
        default_factory=lambda: int(_env("max_request_bytes", str(256 * 1024))),
        metadata={"help": "largest request body accepted"})
    max_response_bytes: int = field(
        default_factory=lambda: int(_env("max_response_bytes", str(16 << 20))),
        metadata={"help": "largest SPARQL answer returned, in bytes (over it: 422, never a cut)"})
    workers: int = field(default_factory=lambda: int(_env("workers", "0")),
                         metadata={"help": "query worker processes (0: 2 or 3, by the CPU count)"})
    worker_memory: int = field(
        default_factory=lambda: int(_env("worker_memory", "1024")),
        metadata={"help": "MiB a query worker's address space may grow by while answering"})
    memory_store_quads: int = field(
        default_factory=lambda: int(_env("memory_store_quads", "100000")),
        metadata={"help": "a build of at most this many quads is copied into each query "
                          "worker's memory (faster); 0: never"})
    cache_bytes: int = field(
        default_factory=lambda: int(_env("cache_bytes", str(16 << 20))),
        metadata={"help": "bytes of SPARQL answers the server keeps for repeated queries; "
                          "0: none"})
    service_allow: list[str] = field(
        default_factory=lambda: [s for s in _env("service_allow", "").split() if s],
        metadata={"help": "endpoints a SERVICE clause may call (space-separated); empty: none"})
    public_url: str = field(
        default_factory=lambda: _env("public_url", ""),
        metadata={"help": "the URL the site is published at, for the service description and "
                          "VoID (never taken from a request's Host); empty: the base IRI "
                          "without its final id/"})

    @property
    def site_root(self) -> str:
        """The published root of the site, without a trailing slash: `public_url`, else the base
        IRI without its final `id/` (where the site shows the IRIs it mints as /id/…)."""
        root = self.public_url or self.base.removesuffix("/").removesuffix("/id")
        return root.rstrip("/")

    @property
    def store_path(self) -> Path:
        return self.out / "store"

    def default_sources(self) -> list[Path]:
        """Every document in data/ that has a metadata file beside it."""
        return sorted(p.with_name(p.name.removesuffix(".meta.toml") + ".txt")
                      for p in self.data_dir.glob("*.meta.toml"))


def read_turtle(path: Path, what: str) -> Graph:
    """Parse one of the project's own Turtle files; a missing or broken one is a ConfigError."""
    from rdflib import Graph

    from .errors import ConfigError

    try:
        return Graph().parse(path, format="turtle")
    except FileNotFoundError:
        raise ConfigError(f"{what} not found at {path}") from None
    except Exception as e:  # noqa: BLE001 — rdflib raises many kinds of syntax errors
        raise ConfigError(f"{what} at {path} cannot be parsed: {e}") from None


def describe() -> list[tuple[str, str, str]]:
    """(name, environment variable, help) for the docs and --help."""
    return [(f.name, f"PLANGRAPH_{f.name.upper()}", f.metadata.get("help", ""))
            for f in fields(Settings)]
