"""What every page of the site reads: the settings, the built store (read-only) and the IRI mapping.

`Site` is built once per app by `site.install` and reached in routes through `SiteDep`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import Depends, Request

from ..build.folder import Manifest
from ..config import Settings
from ..errors import StoreError
from ..querying.store import open_store, store_identity
from ..vocab import PG_IRI

# Request paths of minted IRIs start here: IRI = base + rest  <->  path = LOCAL_PREFIX + rest.
LOCAL_PREFIX = "/id/"
# The ontology: its IRI, and where the site documents it.
ONTOLOGY_IRI = PG_IRI.rstrip("#")
ONTOLOGY_PATH = "/ontology"

WEB = Path(__file__).parent
STATIC = WEB / "static"
VENDOR = STATIC / "vendor"
TEMPLATES = WEB / "templates"
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


@dataclass
class Site:
    settings: Settings
    vendor: Path = VENDOR   # where scripts/vendor-yasgui puts YASGUI (served as /static/vendor/)
    _store: ox.Store | None = field(default=None, repr=False)
    _opened: tuple[int, int, int] | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    cache: dict[str, object] = field(default_factory=dict, repr=False)

    @property
    def store(self) -> ox.Store:
        """The built store, opened read-only on first use (StoreError when there is none), and
        again when a rebuild has swapped a new one in (what was cached from it is dropped)."""
        with self._lock:
            current = store_identity(self.settings.store_path)
            if self._store is None or (current is not None and current != self._opened):
                self._store = open_store(self.settings.store_path)
                self._opened = current
                self.cache.clear()
            return self._store

    @property
    def base(self) -> str:
        """The base IRI the store was built with (manifest.json), else the configured one."""
        if "base" not in self.cache:
            base = self.settings.base
            manifest = Manifest.read_if_present(self.settings.out)
            if manifest is not None:
                base = manifest.base or base
            self.cache["base"] = base
        return str(self.cache["base"])

    def iri_for_path(self, rest: str) -> str:
        """The IRI of a request path below LOCAL_PREFIX (`rest`: the decoded part after it)."""
        return self.base + rest

    def href(self, iri: str) -> str | None:
        """The path of this server that shows `iri`, or None when it is not one of ours."""
        if iri.startswith(self.base):
            return LOCAL_PREFIX + quote(iri[len(self.base):], safe=_PATH_SAFE)
        if iri == ONTOLOGY_IRI or iri == PG_IRI:
            return ONTOLOGY_PATH
        if iri.startswith(PG_IRI):
            return f"{ONTOLOGY_PATH}#{iri[len(PG_IRI):]}"
        return None

    def query(self, sparql: str) -> Iterator[ox.QuerySolution]:
        """A SELECT over the union of the named graphs (as the endpoint shows the dataset)."""
        result = self.store.query(sparql, use_default_graph_as_union=True)
        assert isinstance(result, ox.QuerySolutions), "Site.query runs SELECT queries only"
        return iter(result)


class StoreUnavailable(Exception):
    """The pages that read the store cannot answer (no build yet); site.py answers it."""

    def __init__(self, cause: StoreError):
        self.cause = cause
        super().__init__(str(cause))


def get_site(request: Request) -> Site:
    return request.app.state.site


def get_store_site(request: Request) -> Site:
    """The site, once its store is open."""
    site: Site = request.app.state.site
    try:
        _ = site.store
    except StoreError as e:
        raise StoreUnavailable(e) from None
    return site


SiteDep = Annotated[Site, Depends(get_site)]
StoreSiteDep = Annotated[Site, Depends(get_store_site)]
