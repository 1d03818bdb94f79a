"""The query library through `plangraph serve` and through `oxigraph serve`, same data, same run.

    python bench/endpoint.py [--clients 1,8,32] [--seconds 20] [--build DIR]

Builds the seed (or takes --build DIR), loads its plangraph.nq into an Oxigraph store with
`oxigraph load`, starts both servers on 127.0.0.1 (Oxigraph with --union-default-graph, as
plangraph serves the union of the named graphs), checks that both give every query the same number
of rows, then for each client count runs each server in turn for --seconds: every client cycles
through queries/*.rq in its own shuffled order (POST application/sparql-query, keep-alive). Prints
queries per second, p50/p99 latency and the ratios, the plangraph server's RSS (the server and its
query workers), and each query's p50/p99 at one client. The load generator is one Python process
(httpx, asyncio) on the same machine: its CPU share is printed, near 100 % it is the bottleneck.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _harness import (
    PeakSampler,
    library,
    load,
    load_average,
    ms,
    same_answers,
    start_oxigraph,
    start_plangraph,
)

GOAL_RATIO, GOAL_RSS, GOAL_P50 = 0.5, 200.0, 0.200


def build_seed(out: Path) -> None:
    subprocess.run([sys.executable, "-m", "plangraph.cli", "build", "--out", str(out)], check=True,
                   capture_output=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", default="1,8,32")
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--build", type=Path, help="a build folder (default: build the seed afresh)")
    args = ap.parse_args()
    clients = [int(c) for c in args.clients.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="plangraph-bench-endpoint-"))
    build = args.build or tmp / "build"
    if args.build is None:
        build_seed(build)
    queries = library()
    pg = ox = None
    try:
        pg = start_plangraph(build)
        ox, _ = start_oxigraph(build)
        differ = same_answers(pg.url, ox.url, queries)
        rss_idle = pg.rss_mib()
        rows, per_query, rss_peak = [], {}, rss_idle
        for n in clients:
            result = {}
            for server in (pg, ox):
                load(server.url, queries, n, min(2.0, args.seconds))  # warm-up, not counted
                sampler = PeakSampler(server.proc.pid)
                run = load(server.url, queries, n, args.seconds, seed=n)
                peak = sampler.stop()
                if server is pg:
                    rss_peak = max(rss_peak, peak)
                result[server.name] = (run, peak, load_average())
            rows.append((n, result))
            if n == 1:
                per_query = {name: (result["plangraph"][0], result["oxigraph"][0])
                             for name, _ in queries}
        rss_after = pg.rss_mib()
    finally:
        for s in (pg, ox):
            if s is not None:
                s.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    cmd = "python bench/endpoint.py " + " ".join(sys.argv[1:])
    print(f"command: {cmd.strip()}\n")
    print(f"data: {build}; {len(queries)} queries of queries/; {args.seconds:g} s per cell\n")
    if differ:
        print("**answers differ** (rows plangraph vs oxigraph): " + "; ".join(differ) + "\n")
    print("| clients | plangraph q/s | oxigraph q/s | ratio | plangraph p50 / p99 ms | "
          "oxigraph p50 / p99 ms | errors pg / ox | load gen CPU pg / ox | load avg |")
    print("|---|---|---|---|---|---|---|---|---|")
    verdicts = []
    for n, r in rows:
        (a, _, la), (b, _, _) = r["plangraph"], r["oxigraph"]
        ratio = a.qps / b.qps if b.qps else float("nan")
        print(f"| {n} | {a.qps:.0f} | {b.qps:.0f} | {ratio:.2f}× | {ms(a.p(50))} / {ms(a.p(99))} | "
              f"{ms(b.p(50))} / {ms(b.p(99))} | {sum(a.errors.values())} / "
              f"{sum(b.errors.values())} | {a.client_cpu:.0%} / {b.client_cpu:.0%} | {la} |")
        if n >= 8:
            verdicts.append(f"throughput ≥ {GOAL_RATIO}× Oxigraph at {n} clients: "
                            f"{'met' if ratio >= GOAL_RATIO else 'MISSED'} ({ratio:.2f}×)")
    print(f"\nplangraph server RSS (server + query workers): {rss_idle:.0f} MiB idle, "
          f"{rss_peak:.0f} MiB peak under load, {rss_after:.0f} MiB after")
    verdicts.append(f"server RSS < {GOAL_RSS:.0f} MB: "
                    f"{'met' if rss_peak * 1.048576 < GOAL_RSS else 'MISSED'} "
                    f"({rss_peak * 1.048576:.0f} MB peak)")
    if per_query:
        print("\nper query, 1 client (ms):\n")
        print("| query | plangraph p50 | p99 | oxigraph p50 | p99 | n |")
        print("|---|---|---|---|---|---|")
        slow = []
        for name, (a, b) in sorted(per_query.items(), key=lambda kv: -kv[1][0].p(50, kv[0])):
            p50 = a.p(50, name)
            if p50 >= GOAL_P50:
                slow.append(name)
            print(f"| {name} | {ms(p50)} | {ms(a.p(99, name))} | {ms(b.p(50, name))} | "
                  f"{ms(b.p(99, name))} | {len(a.latencies[name])} |")
        verdicts.append(f"every library query < {GOAL_P50 * 1000:.0f} ms p50: "
                        f"{'met' if not slow else 'MISSED: ' + ', '.join(slow)}")
    print("\ngoals: " + "; ".join(verdicts))


if __name__ == "__main__":
    main()
