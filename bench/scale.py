"""Build, validation and endpoint figures as the number of plan versions grows.

    python bench/scale.py [--sizes 1,10,100,1000] [--seconds 10] [--rounds 3] [--keep DIR]
    python bench/scale.py --keep DIR --no-endpoint …   then   --keep DIR --endpoint-only …

For each size N: N synthetic plans (bench/synthetic.py, as bench/generate.py writes them); one
`plangraph build --source …` in a fresh process (wall time; peak RSS of the largest process from
/usr/bin/time -v, which is the build or its forked validator, and of the whole process tree,
sampled every 0.2 s); SHACL validation part by part in another fresh process (bench/validation.py:
core shapes in pyshacl, sh:sparql constraints in pyoxigraph); `oxigraph load` of the build's
plangraph.nq; then `plangraph serve` and `oxigraph serve` over the same data, in turn: each library
query --rounds times one at a time (p50/p99), and 8 concurrent clients for --seconds (throughput).
Prints a markdown table per part, with the load average beside each row.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _harness import (
    ROOT,
    PeakSampler,
    library,
    load,
    load_average,
    ms,
    same_answers,
    sequential,
    start_oxigraph,
    start_plangraph,
)
from synthetic import generate


def timed_build(sources: list[Path], out: Path, log: Path) -> dict:
    cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "plangraph.cli", "build", "--out",
           str(out), "--source", *map(str, sources)]
    t = time.perf_counter()
    with log.open("wb") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT)
        sampler = PeakSampler(proc.pid)
        rc = proc.wait()
        tree_peak = sampler.stop()
    seconds = time.perf_counter() - t
    text = log.read_text(encoding="utf-8", errors="replace")
    if rc != 0:
        raise RuntimeError(f"build of {len(sources)} plans failed ({rc}); see {log}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    triples = re.search(r"^\s*triples\s+(\d+)\s*$", text, re.M)   # the summary's count line
    return {"build_s": seconds, "peak_mib": int(peak.group(1)) / 1024 if peak else float("nan"),
            "tree_peak_mib": tree_peak, "triples": int(triples.group(1)) if triples else 0,
            "load": load_average()}


def validation(out: Path) -> dict:
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "validation.py"), str(out), "--json"],
                       check=True, capture_output=True, text=True)
    return {**json.loads(r.stdout.strip().splitlines()[-1]), "load": load_average()}


def endpoints(out: Path, seconds: float, rounds: int) -> dict:
    queries = library()
    pg = ox = None
    try:
        pg = start_plangraph(out)
        ox, ox_load = start_oxigraph(out)
        result: dict = {"oxigraph_load_s": ox_load, "differ": same_answers(pg.url, ox.url, queries)}
        for s in (pg, ox):
            seq = sequential(s.url, queries, rounds, unique=True)  # evaluation, not a cache
            per_query = {name: seq.p(50, name) for name, _ in queries if seq.latencies[name]}
            conc = load(s.url, queries, 8, seconds, unique=True)
            result[s.name] = {
                "p50": seq.p(50), "p99": seq.p(99), "max_query_p50": max(per_query.values()),
                "per_query_p50": per_query,
                "slowest": max(per_query, key=per_query.__getitem__),
                "qps8": conc.qps, "p50_8": conc.p(50), "p99_8": conc.p(99),
                "errors": sum(seq.errors.values()) + sum(conc.errors.values()),
                "rss_mib": s.rss_mib(), "load": load_average()}
        return result
    finally:
        for s in (pg, ox):
            if s is not None:
                s.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,10,100")
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="keep plans and builds in DIR (default: a temp dir)")
    ap.add_argument("--no-endpoint", action="store_true", help="build and validation only")
    ap.add_argument("--endpoint-only", action="store_true",
                    help="with --keep: reuse the builds and figures an earlier --no-endpoint run "
                         "left in DIR, and measure the endpoints only")
    ap.add_argument("--report", type=Path, metavar="JSON",
                    help="print the tables of an earlier run (the scale.json a --keep run leaves)")
    args = ap.parse_args()
    if args.report:
        report(json.loads(args.report.read_text()), f"python bench/scale.py --report {args.report}")
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="plangraph-bench-scale-"))
    if args.endpoint_only and not args.keep:
        ap.error("--endpoint-only needs --keep DIR (where the builds are)")
    earlier = {}
    if args.endpoint_only:
        earlier = {r["n"]: r for r in json.loads((tmp / "scale.json").read_text())}
    rows = []
    try:
        for n in sizes:
            out = tmp / f"build-{n}"
            if n in earlier:
                row = earlier[n]
            else:
                plans = generate(n, tmp / f"plans-{n}")
                row = {"n": n, **timed_build(plans, out, tmp / f"build-{n}.log")}
                print(f"# {n} plans: built in {row['build_s']:.1f} s ({row['triples']} triples), "
                      f"load {row['load']}", file=sys.stderr, flush=True)
                row["validation"] = validation(out)
                print(f"# {n} plans: validation {row['validation']}", file=sys.stderr, flush=True)
            if not args.no_endpoint:
                row["endpoint"] = endpoints(out, args.seconds, args.rounds)
                print(f"# {n} plans: endpoint {row['endpoint']}", file=sys.stderr, flush=True)
            rows.append(row)
            (tmp / "scale.json").write_text(json.dumps(rows, indent=1))
            if not args.keep:
                shutil.rmtree(tmp / f"plans-{n}", ignore_errors=True)
                shutil.rmtree(out, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    report(rows, "python bench/scale.py " + " ".join(sys.argv[1:]))


def _validation_s(row: dict) -> float:
    v = row["validation"]
    return v["core_s"] + v["sparql_store_s"] + v["sparql_queries_s"]


def report(rows: list[dict], cmd: str) -> None:
    print(f"command: {cmd.strip()}\n")
    print("| plans | triples | build s | s per 1k triples | peak RSS MiB (largest / tree) | "
          "tree MiB per 1k triples | load avg |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['n']} | {r['triples']} | {r['build_s']:.1f} | "
              f"{r['build_s'] / r['triples'] * 1000:.2f} | {r['peak_mib']:.0f} / "
              f"{r['tree_peak_mib']:.0f} | {r['tree_peak_mib'] / r['triples'] * 1000:.2f} | "
              f"{r['load']} |")
    # growth between consecutive sizes: linear means time and memory grow as the triples do
    for a, b in zip(rows, rows[1:], strict=False):
        print(f"\n{a['n']} → {b['n']} plans: triples ×{b['triples'] / a['triples']:.1f}, "
              f"build time ×{b['build_s'] / a['build_s']:.1f}, peak memory (tree) "
              f"×{b['tree_peak_mib'] / a['tree_peak_mib']:.1f}, validation "
              f"×{_validation_s(b) / _validation_s(a):.1f}")
    print("\n| plans | core shapes (pyshacl) s | sh:sparql: load store s | sh:sparql: queries s | "
          "violations | validation peak RSS MiB | load avg |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        v = r["validation"]
        print(f"| {r['n']} | {v['core_s']:.1f} | {v['sparql_store_s']:.1f} | "
              f"{v['sparql_queries_s']:.1f} | {v['core_violations'] + v['sparql_violations']} | "
              f"{v['peak_rss_mib']:.0f} | {v['load']} |")
    for r in rows:
        if r["validation"].get("sparql_slowest"):
            print(f"\nslowest sh:sparql constraints at {r['n']} plans: " + ", ".join(
                f"{name} {sec:.1f} s" for sec, name in r["validation"]["sparql_slowest"]))
    if any("endpoint" in r for r in rows):
        print("\n| plans | oxigraph load s | 1 client p50 / p99 ms pg (ox) | slowest query p50 ms pg "
              "(ox) | 8 clients q/s pg / ox (ratio) | 8 clients p99 ms pg / ox | pg RSS MiB | "
              "errors | load avg |")
        print("|---|---|---|---|---|---|---|---|---|")
        for r in rows:
            if "endpoint" not in r:
                continue
            e = r["endpoint"]
            a, b = e["plangraph"], e["oxigraph"]
            print(f"| {r['n']} | {e['oxigraph_load_s']:.1f} | {ms(a['p50'])} / {ms(a['p99'])} "
                  f"({ms(b['p50'])} / {ms(b['p99'])}) | {ms(a['max_query_p50'])} {a['slowest']} "
                  f"({ms(b['max_query_p50'])} {b['slowest']}) | {a['qps8']:.0f} / {b['qps8']:.0f} "
                  f"({a['qps8'] / b['qps8']:.2f}×) | {ms(a['p99_8'])} / {ms(b['p99_8'])} | "
                  f"{a['rss_mib']:.0f} | {a['errors']} / {b['errors']} | {a['load']} |")
            if e["differ"]:
                print(f"\n  answers differ at {r['n']} plans: {'; '.join(e['differ'])}")
        largest = [r for r in rows if "endpoint" in r][-1]
        a, b = largest["endpoint"]["plangraph"], largest["endpoint"]["oxigraph"]
        if "per_query_p50" in a:
            slow = sorted(a["per_query_p50"], key=a["per_query_p50"].__getitem__, reverse=True)
            over = [q for q in slow if a["per_query_p50"][q] > 0.1]
            print(f"\nEach query at {largest['n']} plans, one client (p50 of the rounds, ms); "
                  f"{len(over)} of {len(slow)} over 100 ms:\n")
            print("| query | plangraph | oxigraph | ratio |")
            print("|---|---|---|---|")
            for q in slow:
                x, y = a["per_query_p50"][q], b.get("per_query_p50", {}).get(q, float("nan"))
                print(f"| {q} | {ms(x)} | {ms(y)} | {x / y:.2f}× |")


if __name__ == "__main__":
    main()
