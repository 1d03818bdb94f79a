"""Time of `plangraph diff` on the seed against later versions, step by step: reading both
documents, aligning and comparing them, and writing the 修正對照表 in each form.

    python bench/diff.py [--runs 5]

Cases: the later version of the tests with fourteen planted changes (tab form); the seed in the
flat layout as box-drawn text with planted edits (every key new); a synthetic plan
(bench/synthetic.py) whose every measure and target text differs from the seed's (the worst case
for alignment that pairs by content: nothing is the same text); and the consecutive pairs of
ten synthetic plans, as `plangraph build` compares them. Each step's median over the runs, in
one process (reading is the readers' cost, measured by bench/build_time.py as a whole). Prints
the load average: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def median_seconds(step: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from synthetic import generate

    from plangraph.documents.reading import read_version
    from plangraph.model.registry import Registry
    from plangraph.versions.diff import diff_documents
    from plangraph.versions.table import comparison_table
    from plangraph.versions.table_writers import to_docx, to_html, to_odt
    from tests.later_versions import PLANTED, flat_edits, write_flat_version, write_version

    registry = Registry.load(ROOT / "data" / "registry")
    seed = ROOT / "data" / "plan-2014-04-15.txt"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        synthetic = generate(10, folder / "synthetic")
        cases = {"later version, 14 planted changes (tab)":
                 (seed, write_version(folder, "later", PLANTED)),
                 "flat layout, box-drawn, planted edits": (seed, write_flat_version(
                     folder, "flat", flat_edits())),
                 "synthetic plan, every text marked": (seed, synthetic[0])}
        rows = []
        for name, (old_path, new_path) in cases.items():
            _, old = read_version(old_path, registry, strict=False)
            new_src, new = read_version(new_path, registry, strict=False)
            read = median_seconds(lambda p=new_path: read_version(p, registry, strict=False),
                                  args.runs)
            d = diff_documents(old, new, registry, new_src.version_date)
            align = median_seconds(
                lambda o=old, n=new: diff_documents(o, n, registry), args.runs)
            table = comparison_table(d, registry, "old", "new")
            build = median_seconds(lambda d=d: comparison_table(d, registry, "old", "new"),
                                   args.runs)
            writes = [median_seconds(lambda w=w, t=table: w(t), args.runs)
                      for w in (to_html, to_docx, to_odt)]
            rows.append((name, len(d.changes), len(table.rows), read, align, build, *writes))
        docs = [read_version(p, registry, strict=False)[1] for p in synthetic]
        pairs = median_seconds(lambda: [diff_documents(a, b, registry)
                                        for a, b in zip(docs, docs[1:], strict=False)], args.runs)

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"plangraph diff, median of {args.runs} runs (load average {load}; 2 cores)")
    print()
    head = ("case", "changes", "rows", "read new", "align+diff", "table", "html", "docx", "odt")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for name, n, r, *secs in rows:
        print(f"| {name} | {n} | {r} | " + " | ".join(f"{s * 1000:.0f} ms" for s in secs) + " |")
    print()
    print(f"9 consecutive synthetic pairs aligned and compared (as the build does): "
          f"{pairs * 1000:.0f} ms, {pairs / 9 * 1000:.0f} ms a pair")


if __name__ == "__main__":
    main()
