"""The pyoxigraph store that `plangraph build` writes and everything that queries reads."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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


def store_identity(path: Path | str) -> tuple[int, int, int] | None:
    """Which build's store is at `path` now. A rebuild swaps a whole new folder in (build/output.py),
    so the path's inode changes; a reader that compares it before each use sees the new build
    instead of the deleted files it still holds open. The folder's change time is part of it: an
    inode freed by one swap may be reused by a later build. None while there is no store."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_ctime_ns)


def union_query(store: ox.Store, query: str) -> ox.QuerySolutions:
    """Run a SELECT over the union of all named graphs (the dataset as the endpoint shows it to a
    query without FROM)."""
    result = store.query(query, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions), "union_query runs SELECT queries only"
    return result


def dataset_options(default_graphs: Sequence[str] | None, named_graphs: Sequence[str] | None,
                    declares_dataset: bool) -> dict[str, Any]:
    """pyoxigraph's options for the dataset a query runs on (SPARQL 1.1 §13.2, Protocol §2.1.4).

    The protocol's default-graph-uri / named-graph-uri (both None: not given) override the query's
    own FROM / FROM NAMED: only those graphs, and only the named graphs given (none given: none).
    Without them, the query's FROM / FROM NAMED, which pyoxigraph reads itself: FROM alone leaves
    no named graph, FROM NAMED alone an empty default graph, a graph the store lacks is empty.
    Without either, the default graph is the union of the named graphs, and every named graph is
    there for GRAPH."""
    if default_graphs is not None or named_graphs is not None:
        return {"default_graph": [ox.NamedNode(g) for g in default_graphs or ()],
                "named_graphs": [ox.NamedNode(g) for g in named_graphs or ()]}
    if declares_dataset:
        return {}
    return {"use_default_graph_as_union": True}
