"""Wall time and peak memory of `plangraph build` on the seed, as a user runs it, and of the
seed brought in each other form the build reads.

    python bench/build_time.py [--runs 5] [--forms box,html,…]

Each run is a fresh process (imports included), building into a temporary folder. For scale, the
same run times `oxigraph load` of the dump we produce (the peer's bulk loader: parsing and storing
only, no document parsing and no validation). The seed in the other forms is written by the tests'
own writers (tests/render/) before timing: `plangraph build --source FILE --version-date
2014-04-15 --allow-unverified`, as README's "Bring your own version" says; a form whose writer
this checkout lacks is reported as such.
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
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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


def renderings() -> dict[str, tuple[str, str, Callable[[], bytes]]]:
    """form → (what, file suffix, writer of the seed in that form)."""
    sys.path.insert(0, str(ROOT))
    from tests.render import box, html, plan, tab

    out: dict[str, tuple[str, str, Callable[[], bytes]]] = {
        "box": ("box-drawn text", ".txt", lambda: box.write(plan.layout_2014()).encode()),
        "html": ("HTML", ".html", lambda: html.write(plan.layout_2014())),
        "flat-tab": ("flat layout, tab-separated", ".txt",
                     lambda: tab.write(plan.layout_flat()).encode()),
        "flat-box": ("flat layout, box-drawn", ".txt",
                     lambda: box.write(plan.layout_flat()).encode()),
    }
    try:   # the office forms' writers (DOCX, ODT, PDF printed by Chromium), where present
        from tests.render import docx_writer, odt_writer, pdf_writer

        out["docx"] = ("DOCX", ".docx", lambda: docx_writer.write(plan.layout_2014()))
        out["odt"] = ("ODT", ".odt", lambda: odt_writer.write(plan.layout_2014()))
        out["pdf"] = ("PDF (printed by Chromium)", ".pdf",
                      lambda: pdf_writer.print_pdf(pdf_writer.page(plan.layout_2014())))
    except ImportError as e:
        print(f"note: no writer for the office forms in this checkout ({e})", file=sys.stderr)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--forms", default="all",
                    help="comma-separated forms to time besides the seed (box, html, flat-tab, "
                         "flat-box, docx, odt, pdf), or all, or none")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="plangraph-bench-"))
    rows = []
    try:
        build = [sys.executable, "-m", "plangraph.cli", "build", "--out", str(tmp / "out")]
        times, peaks = zip(*(timed(build) for _ in range(args.runs)), strict=True)
        rows.append(("plangraph build (parse, RDF, SHACL, dumps, store)", times, peaks))
        forms = renderings() if args.forms != "none" else {}
        wanted = list(forms) if args.forms in ("all", "none") else args.forms.split(",")
        for form in wanted:
            if form not in forms:
                print(f"note: no writer for form {form!r}: not timed", file=sys.stderr)
                continue
            what, suffix, write = forms[form]
            source = tmp / f"seed-{form}{suffix}"
            source.write_bytes(write())
            cmd = [sys.executable, "-m", "plangraph.cli", "build", "--source", str(source),
                   "--version-date", "2014-04-15", "--allow-unverified",
                   "--out", str(tmp / f"out-{form}")]
            times, peaks = zip(*(timed(cmd) for _ in range(args.runs)), strict=True)
            rows.append((f"plangraph build, the seed as {what}", times, peaks))
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

    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"command: python bench/build_time.py --runs {args.runs} --forms {args.forms}"
          f"   (load average {load})\n")
    print("| what | runs | median s | min s | max s | peak RSS MiB |")
    print("|---|---|---|---|---|---|")
    for name, times, peaks in rows:
        print(f"| {name} | {len(times)} | {statistics.median(times):.2f} | {min(times):.2f} | "
              f"{max(times):.2f} | {max(peaks):.0f} |")
    peer = [r for r in rows if r[0].startswith("oxigraph")]
    if peer:
        ratio = statistics.median(rows[0][1]) / statistics.median(peer[0][1])
        print(f"\nratio plangraph build / oxigraph load (median): {ratio:.1f}×")


if __name__ == "__main__":
    main()
