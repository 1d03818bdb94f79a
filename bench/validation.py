"""Where SHACL validation spends its time on one build, part by part, in this process.

    python bench/validation.py BUILD_DIR [--per-version] [--json]

Parts, as src/plangraph/validate.py runs them: loading the data (the build's plangraph.nq, every
graph but the ontology) into rdflib; the core shapes in pyshacl over the whole graph; the sh:sparql
constraints as whole-graph pyoxigraph queries (with loading the triples into an in-memory store).
--per-version also runs the core shapes once per version graph (with the registry and catalog
beside it), the alternative to one whole-graph run, and says whether both find the same violations.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from rdflib import Dataset, Graph

from plangraph.config import Settings, read_turtle
from plangraph.validate import (
    run_core,
    run_sparql_constraints,
    short,
    split_shapes,
    to_store,
)


def measure(build: Path, per_version: bool, skip: tuple[str, ...] = ()) -> dict:
    out: dict = {}
    t = time.perf_counter()
    ds = Dataset()
    ds.parse(build / "plangraph.nq", format="nquads")
    graphs: dict[str, Graph] = {}
    data = Graph()
    for g in ds.graphs():
        name = str(g.identifier)
        if name.endswith("graph/ontology") or not len(g):
            continue
        graphs[name] = g
        data += g
    out["triples"] = len(data)
    out["load_s"] = time.perf_counter() - t
    core, constraints = split_shapes(read_turtle(Settings().shapes, "the SHACL shapes"))

    t = time.perf_counter()
    store = to_store(data)
    out["sparql_store_s"] = time.perf_counter() - t
    t = time.perf_counter()
    sparql, each = [], []
    for c in constraints:  # one at a time, to name the slow ones
        if short(c.shape) in skip:
            out.setdefault("sparql_skipped", []).append(short(c.shape))
            continue
        started = time.perf_counter()
        sparql += run_sparql_constraints(store, [c])
        each.append((round(time.perf_counter() - started, 2), short(c.shape)))
    out["sparql_queries_s"] = time.perf_counter() - t
    out["sparql_slowest"] = sorted(each, reverse=True)[:3]
    out["sparql_violations"] = len(sparql)
    out["sparql_constraints"] = len(constraints)
    del store

    t = time.perf_counter()
    whole = run_core(data, core)
    out["core_s"] = time.perf_counter() - t
    out["core_violations"] = len(whole)

    if per_version:
        shared = Graph()
        for name, g in graphs.items():
            if "/graph/plan/" not in name:
                shared += g
        t = time.perf_counter()
        found: set = set()
        versions = 0
        for name, g in graphs.items():
            if "/graph/plan/" in name:
                found |= {tuple(sorted(r.items())) for r in run_core(g + shared, core)}
                versions += 1
        found |= {tuple(sorted(r.items())) for r in run_core(shared, core)}
        out["core_per_version_s"] = time.perf_counter() - t
        out["core_per_version_violations"] = len(found)
        out["per_version_same"] = found == {tuple(sorted(r.items())) for r in whole}
        out["versions"] = versions
    out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build", type=Path)
    ap.add_argument("--per-version", action="store_true")
    ap.add_argument("--json", action="store_true", help="one JSON object instead of a table")
    ap.add_argument("--skip", default="", metavar="SHAPES",
                    help="sh:sparql constraints not to run, e.g. pgsh:NumberContiguous,… (too slow "
                         "to wait for; they are listed as skipped)")
    args = ap.parse_args()
    r = measure(args.build, args.per_version, tuple(filter(None, args.skip.split(","))))
    if args.json:
        print(json.dumps(r))
        return
    print(f"command: python bench/validation.py {args.build}"
          f"{' --per-version' if args.per_version else ''}\n")
    print("| part | seconds |\n|---|---|")
    for k, v in r.items():
        print(f"| {k} | {v:.2f} |" if isinstance(v, float) else f"| {k} | {v} |")


if __name__ == "__main__":
    main()
