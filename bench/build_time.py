"""Wall time and peak memory of `plangraph build` on the seed, as a user runs it.

    python bench/build_time.py [--runs 5]

Each run is a fresh process (imports included), building into a temporary folder. For scale, the
same run times `oxigraph load` of the dump we produce (the peer's bulk loader: parsing and storing
only, no document parsing and no validation).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(cmd: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of one child process: its own rusage (wait4), not the
    RUSAGE_CHILDREN maximum, which keeps the largest of every child so far."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise subprocess.CalledProcessError(proc.returncode, cmd, stderr=err)
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="plangraph-bench-"))
    rows = []
    try:
        build = [sys.executable, "-m", "plangraph.cli", "build", "--out", str(tmp / "out")]
        times, peaks = zip(*(timed(build) for _ in range(args.runs)), strict=True)
        rows.append(("plangraph build (parse, RDF, SHACL, dumps, store)", times, peaks))
        oxigraph = shutil.which("oxigraph")
        if oxigraph:
            def load() -> tuple[float, float]:
                shutil.rmtree(tmp / "ox", ignore_errors=True)
                return timed([oxigraph, "load", "--location", str(tmp / "ox"),
                              "--file", str(tmp / "out" / "plangraph.nq")])
            times, peaks = zip(*(load() for _ in range(args.runs)), strict=True)
            rows.append(("oxigraph load of the same N-Quads (peer, load only)", times, peaks))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"command: python bench/build_time.py --runs {args.runs}\n")
    print("| what | runs | median s | min s | max s | peak RSS MiB |")
    print("|---|---|---|---|---|---|")
    for name, times, peaks in rows:
        print(f"| {name} | {len(times)} | {statistics.median(times):.2f} | {min(times):.2f} | "
              f"{max(times):.2f} | {max(peaks):.0f} |")
    if len(rows) == 2:
        ratio = statistics.median(rows[0][1]) / statistics.median(rows[1][1])
        print(f"\nratio plangraph build / oxigraph load (median): {ratio:.1f}×")


if __name__ == "__main__":
    main()
