"""The pyoxigraph store that `plangraph build` writes and everything that queries reads."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox

from ..errors import StoreError


def open_store(path: Path) -> ox.Store:
    """Open a built store read-only (several processes may read it at once)."""
    if not (path / "CURRENT").exists():
        raise StoreError(f"no store at {path}: run `plangraph build` first")
    try:
        return ox.Store.read_only(str(path))
    except OSError as e:
        raise StoreError(f"cannot open the store at {path}: {e}") from None


def store_identity(path: Path | str) -> tuple[int, int] | None:
    """Which build's store is at `path` now. A rebuild swaps a whole new folder in (build/output.py),
    so the path's inode changes; a reader that compares it before each use sees the new build
    instead of the deleted files it still holds open. None while there is no store."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def union_query(store: ox.Store, query: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Run a query over the union of all named graphs (the dataset as the endpoint shows it)."""
    return store.query(query, use_default_graph_as_union=True)
