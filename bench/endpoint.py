"""The query library through `plangraph serve` and through `oxigraph serve`, same data, same run:
unique queries and repeated ones.

    python bench/endpoint.py [--clients 1,8,32] [--seconds 15] [--build DIR]

Builds the seed (or takes --build DIR), loads its plangraph.nq into an Oxigraph store with
`oxigraph load`, starts both servers on 127.0.0.1 (Oxigraph with --union-default-graph, as
plangraph serves the union of the named graphs), checks that both give every query the same number
of rows, then for each client count and each workload runs each server in turn for --seconds
(after a warm-up): every client cycles through queries/*.rq in its own shuffled order (POST
application/sparql-query, keep-alive).

Two workloads:
- unique: each query sent as a new one (a prologue line of its own, _harness.made_unique), so no
  cache can answer it: what evaluation costs;
- repeated: the library's queries as they are, again and again, as a dashboard or a class would send
  them: what plangraph's result cache (web/cache.py) gives.

Prints queries per second, p50/p99 latency, the ratios plangraph / Oxigraph, the CPU time each
server (with its query workers) spent per answer — the figure a shared machine disturbs least —,
the share of answers plangraph's cache gave (from its Cache-Status header), the plangraph server's
RSS (the server and its query workers), the load average, and each query's p50/p99 at the fewest
clients (unique). The load generator is one Python process on the same machine (plain asyncio
streams, keep-alive: _harness.py): its CPU share is printed; near 100 % it is the bottleneck.
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
    Run,
    library,
    load,
    load_average,
    ms,
    same_answers,
    start_oxigraph,
    start_plangraph,
    tree_cpu_seconds,
)

# The goals (issue 13): at 8 and 32 clients, unique ≥ 1.0× Oxigraph, repeated ≥ 5×; RSS < 250 MB.
GOALS = {"unique": 1.0, "repeated": 5.0}
GOAL_RSS_MB, GOAL_P50 = 250.0, 0.200
WORKLOADS = ("unique", "repeated")


def build_seed(out: Path) -> None:
    subprocess.run([sys.executable, "-m", "plangraph.cli", "build", "--out", str(out)], check=True,
                   capture_output=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", default="1,8,32")
    ap.add_argument("--seconds", type=float, default=15)
    ap.add_argument("--build", type=Path, help="a build folder (default: build the seed afresh)")
    args = ap.parse_args()
    clients = [int(c) for c in args.clients.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="plangraph-bench-endpoint-"))
    build = args.build or tmp / "build"
    if args.build is None:
        build_seed(build)
    queries = library()
    pg = ox = None
    rows: list[tuple[str, int, dict[str, tuple[Run, float, str, float]]]] = []
    per_query: dict[str, tuple[Run, Run]] = {}
    try:
        pg = start_plangraph(build)
        ox, _ = start_oxigraph(build)
        differ = same_answers(pg.url, ox.url, queries)
        rss_idle = rss_peak = pg.rss_mib()
        for workload in WORKLOADS:
            unique = workload == "unique"
            for n in clients:
                result = {}
                for server in (pg, ox):
                    # warm-up, not counted (for "repeated" it also fills plangraph's cache)
                    load(server.url, queries, n, min(2.0, args.seconds), unique=unique)
                    sampler = PeakSampler(server.proc.pid)
                    cpu = tree_cpu_seconds(server.proc.pid)
                    run = load(server.url, queries, n, args.seconds, seed=n, unique=unique)
                    cpu = tree_cpu_seconds(server.proc.pid) - cpu
                    peak = sampler.stop()
                    if server is pg:
                        rss_peak = max(rss_peak, peak)
                    per_answer = cpu / run.count * 1000 if run.count else float("nan")
                    result[server.name] = (run, peak, load_average(), per_answer)
                rows.append((workload, n, result))
                if unique and n == min(clients):
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
    print("| workload | clients | plangraph q/s | oxigraph q/s | ratio | plangraph p50 / p99 ms | "
          "oxigraph p50 / p99 ms | server CPU ms per answer pg / ox | cache hits | "
          "errors pg / ox | load gen CPU pg / ox | load avg |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    verdicts = []
    for workload, n, r in rows:
        (a, _, la, cpu_a), (b, _, _, cpu_b) = r["plangraph"], r["oxigraph"]
        ratio = a.qps / b.qps if b.qps else float("nan")
        hits = f"{a.hit_ratio:.0%}" if a.hit_ratio is not None else "-"
        print(f"| {workload} | {n} | {a.qps:.0f} | {b.qps:.0f} | {ratio:.2f}× | "
              f"{ms(a.p(50))} / {ms(a.p(99))} | {ms(b.p(50))} / {ms(b.p(99))} | "
              f"{cpu_a:.2f} / {cpu_b:.2f} | {hits} | "
              f"{sum(a.errors.values())} / {sum(b.errors.values())} | "
              f"{a.client_cpu:.0%} / {b.client_cpu:.0%} | {la} |")
        if n >= 8:
            goal = GOALS[workload]
            verdicts.append(f"{workload} ≥ {goal:g}× Oxigraph at {n} clients: "
                            f"{'met' if ratio >= goal else 'MISSED'} ({ratio:.2f}×)")
    print(f"\nplangraph server RSS (server + query workers): {rss_idle:.0f} MiB idle, "
          f"{rss_peak:.0f} MiB peak under load, {rss_after:.0f} MiB after")
    verdicts.append(f"server RSS < {GOAL_RSS_MB:.0f} MB: "
                    f"{'met' if rss_peak * 1.048576 < GOAL_RSS_MB else 'MISSED'} "
                    f"({rss_peak * 1.048576:.0f} MB peak)")
    if per_query:
        print(f"\nper query, unique, {min(clients)} client(s) (ms):\n")
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
