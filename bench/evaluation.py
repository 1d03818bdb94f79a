"""Where a query worker's time goes, in one process: the query library evaluated on a build's
store, read from RocksDB (the store as built) or from an in-memory copy (as a worker holds a small
build), answered as SPARQL JSON directly or through TSV (as a worker counts rows).

    python bench/evaluation.py [BUILD_DIR] [--rounds 5]

Prints CPU milliseconds per query (the mean over the library, best of the rounds) and the load
average; then the library run by one thread, and by two threads at once in the same process: if
pyoxigraph let go of the GIL while it evaluates, two threads would take about the wall time of one
on two cores. Without BUILD_DIR it builds the seed afresh.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from _harness import library, load_average

from plangraph.web.workers import Job, evaluate, open_for_queries

JSON = ox.QueryResultsFormat.JSON
TSV = ox.QueryResultsFormat.TSV


def direct(store: ox.Store, query: str) -> None:
    result = store.query(query, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryTriples):
        ox.serialize(result, format=ox.RdfFormat.TURTLE)
    else:
        result.serialize(format=JSON)


def through_tsv(store: ox.Store, query: str) -> None:
    result = store.query(query, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryTriples):
        ox.serialize(result, format=ox.RdfFormat.TURTLE)
    elif isinstance(result, ox.QueryBoolean):
        result.serialize(format=JSON)
    else:
        ox.parse_query_results(result.serialize(format=TSV) or b"", TSV).serialize(format=JSON)


def as_a_worker(store: ox.Store, query: str) -> None:
    evaluate(store, Job(query, results_type="application/sparql-results+json",
                        graph_type="text/turtle"))


def per_query(run: Callable[[ox.Store, str], None], store: ox.Store,
              queries: list[tuple[str, str]], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for _, text in queries:
            run(store, text)
        best = min(best, time.process_time() - started)
    return best / len(queries) * 1000


def threads_at_once(store: ox.Store, queries: list[tuple[str, str]], threads: int) -> float:
    """Wall seconds for `threads` threads each running the library once on the same store."""
    def run() -> None:
        for _, text in queries:
            direct(store, text)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build", type=Path, nargs="?")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    tmp = None
    build = args.build
    if build is None:
        tmp = Path(tempfile.mkdtemp(prefix="plangraph-bench-evaluation-"))
        build = tmp / "build"
        subprocess.run([sys.executable, "-m", "plangraph.cli", "build", "--out", str(build)],
                       check=True, capture_output=True)
    try:
        queries = library()
        disk = ox.Store.read_only(str(build / "store"))
        memory = open_for_queries(str(build / "store"), 1 << 62)
        rows = [("RocksDB (read-only), JSON directly", per_query(direct, disk, queries,
                                                                 args.rounds)),
                ("in memory, JSON directly", per_query(direct, memory, queries, args.rounds)),
                ("in memory, through TSV (row count)", per_query(through_tsv, memory, queries,
                                                                 args.rounds)),
                ("in memory, as a worker evaluates (web/workers.py)",
                 per_query(as_a_worker, memory, queries, args.rounds))]
        threaded = [(n, min(threads_at_once(memory, queries, n) for _ in range(args.rounds)))
                    for n in (1, 2)]
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"command: python bench/evaluation.py {' '.join(sys.argv[1:])}".rstrip())
    print(f"\n{len(queries)} queries of queries/, best of {args.rounds} rounds; "
          f"load average {load_average()}\n")
    print("| store, answer | CPU ms per query |")
    print("|---|---|")
    for name, ms in rows:
        print(f"| {name} | {ms:.2f} |")
    print("\n| threads at once, in memory | wall s for the library each | vs one thread |")
    print("|---|---|---|")
    for n, seconds in threaded:
        print(f"| {n} | {seconds:.3f} | {seconds / threaded[0][1]:.2f}× |")


if __name__ == "__main__":
    main()
