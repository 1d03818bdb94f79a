"""Where SHACL validation spends its time on one build, query by query, in this process.

    python bench/validation.py BUILD_DIR [--top N] [--skip SHAPES] [--json]

As src/plangraph/validate.py runs it (CompiledShapes.check_file): the build's plangraph.nt (the
data graphs without the ontology) bulk-loaded into an in-memory pyoxigraph store, then every
compiled query (one per constraint component of each shape: sh:sparql, sh:minCount, sh:xone,
sh:qualifiedMinCount …) timed on its own, then pg:key and pg:sourceLine of the focus nodes looked
up. Reported: seconds per shape (its queries together; --top N of them, 0 for all), seconds and
query count per kind of component, and the peak RSS of this process. pyshacl runs (and is
imported) only if the shapes leave something to it, on an rdflib Graph of the data (core_s).
The --json keys bench/scale.py reads (sparql_store_s, sparql_queries_s, sparql_slowest,
core_s, *_violations) keep their names.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from plangraph.config import Settings, read_turtle
from plangraph.validation.shapes import (
    CompiledShapes,
    _violations,
    run_core,
    run_sparql_constraints,
    short,
    store_graph,
)


def measure(build: Path, skip: tuple[str, ...] = (), top: int = 10) -> dict:
    out: dict = {}
    t = time.perf_counter()
    shapes = CompiledShapes(read_turtle(Settings().shapes, "the SHACL shapes"))
    out["compile_s"] = time.perf_counter() - t
    out["queries"] = len(shapes.constraints)
    out["left_to_pyshacl"] = shapes.needs_pyshacl

    t = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=str(build / "plangraph.nt"), format=ox.RdfFormat.N_TRIPLES)
    out["sparql_store_s"] = time.perf_counter() - t
    out["triples"] = len(store)

    t = time.perf_counter()
    found: list[dict] = []
    by_shape: dict[str, float] = defaultdict(float)
    by_kind: dict[str, list] = defaultdict(lambda: [0, 0.0])
    for c in shapes.constraints:  # one at a time, to name the slow ones
        name = short(c.shape)
        if name in skip:
            out.setdefault("skipped", []).append(f"{name} {c.kind}")
            continue
        started = time.perf_counter()
        found += run_sparql_constraints(store, [c])
        seconds = time.perf_counter() - started
        by_shape[name] += seconds
        by_kind[c.kind][0] += 1
        by_kind[c.kind][1] += seconds
    out["sparql_queries_s"] = time.perf_counter() - t
    out["sparql_violations"] = len(found)
    ranked = sorted(((round(s, 2), n) for n, s in by_shape.items()), reverse=True)
    out["sparql_slowest"] = ranked[:3]
    out["by_shape"] = ranked[:top] if top else ranked
    out["by_kind"] = {k: {"queries": n, "s": round(s, 2)}
                      for k, (n, s) in sorted(by_kind.items(), key=lambda kv: -kv[1][1])}

    out["core_s"], out["core_violations"] = 0.0, 0
    if shapes.needs_pyshacl:
        t = time.perf_counter()
        data = store_graph(store)
        out["rdflib_load_s"] = time.perf_counter() - t
        t = time.perf_counter()
        core = run_core(data, shapes.core)
        out["core_s"], out["core_violations"] = time.perf_counter() - t, len(core)
        found += core
        del data

    t = time.perf_counter()
    violations = _violations(store, found)
    out["lookup_s"] = time.perf_counter() - t
    out["violations"] = len(violations)
    out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["load_avg"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build", type=Path)
    ap.add_argument("--top", type=int, default=10, help="shapes to list, slowest first (0: all)")
    ap.add_argument("--json", action="store_true", help="one JSON object instead of tables")
    ap.add_argument("--skip", default="", metavar="SHAPES",
                    help="shapes whose queries not to run, e.g. pgsh:NumberContiguous,… (too slow "
                         "to wait for; they are listed as skipped)")
    args = ap.parse_args()
    r = measure(args.build, tuple(filter(None, args.skip.split(","))), args.top)
    if args.json:
        print(json.dumps(r, ensure_ascii=False))
        return
    print(f"command: python bench/validation.py {args.build}\n")
    print("| part | value |\n|---|---|")
    for k, v in r.items():
        if k in ("by_shape", "by_kind", "sparql_slowest"):
            continue
        print(f"| {k} | {v:.2f} |" if isinstance(v, float) else f"| {k} | {v} |")
    print("\n| shape | seconds |\n|---|---|")
    for seconds, name in r["by_shape"]:
        print(f"| {name} | {seconds:.2f} |")
    print("\n| component | queries | seconds |\n|---|---|---|")
    for kind, v in r["by_kind"].items():
        print(f"| {kind} | {v['queries']} | {v['s']:.2f} |")


if __name__ == "__main__":
    main()
