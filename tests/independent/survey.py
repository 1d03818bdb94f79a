"""Every independent rendering of the seed through the real command, as the held-back check runs
it, with a table of results:

    python3 -m tests.independent.survey [--out DIR] [--only SUBSTRING]

Each rendering is written to DIR, built with `plangraph build --source FILE --version-date
2014-04-15 --allow-unverified` into a fresh folder, and its `plangraph export measures` compared
with the seed's own build (text, targets, agencies, cooperating; amended where the form keeps
underlines; keys unless the layout is flat). Renderings made by LibreOffice or pandoc are made
where those programs are installed. The time is the build's wall time, imports included; the
load average is printed beside it, for the machine may be busy.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from . import box, content, flat, html, office, pdf, tab
from .compare import build, differences

Render = Callable[[content.Plan], bytes]


def forms() -> list[tuple[str, str, Render, dict]]:
    """(file name, how it was made, writer, comparison options)."""
    B, H, OS, P = box.Style, html.Style, office.Style, pdf.Style
    flat_ = {"keys": False}
    no_u = {"amended": False}
    out: list[tuple[str, str, Render, dict]] = [
        ("box.txt", "box-drawn, MOJ widths", lambda p: box.render(p).encode(), no_u),
        ("box-narrow.txt", "box-drawn, narrow columns", lambda p: box.render(
            p, B(widths=(5, 10, 6, 6), indent=2)).encode(), no_u),
        ("box-one-table.txt", "box-drawn, all of 肆 one table", lambda p: box.render(
            p, B(one_table=True)).encode(), no_u),
        ("box-ascii.txt", "box-drawn, punctuation made ASCII", lambda p: box.render(
            p, B(ascii_punct="all")).encode(), {**no_u, "fold": True}),
        ("box-through.txt", "box-drawn, strategy text over the rules", lambda p: box.render(
            p, B(through_rule=True)).encode(), no_u),
        ("html.html", "news page, table per area, rowspan, <br>", lambda p: html.render(p), {}),
        ("html-one-table.html", "one big table, CSS underline", lambda p: html.render(
            p, H(one_table=True, underline="css")), {}),
        ("html-p.html", "<p> in cells, blank cells, &nbsp;", lambda p: html.render(
            p, H(items="p", rowspan=False, nbsp=True)), {}),
        ("html-big5.html", "Big5 page, captions, row headers", lambda p: html.render(
            p, H(encoding="big5", caption=True, row_headers=True)), {}),
        ("html-lo-markup.html", "indented markup, overlapping <u>", lambda p: html.render(
            p, H(pretty=True, underline="libreoffice")), {}),
        ("html-verbatim.html", "the extraction put in a table", lambda p: html.verbatim(), {}),
        ("docx.docx", "python-docx, merged cells", lambda p: office.docx(p), {}),
        ("docx-auto.docx", "python-docx, Word numbering", lambda p: office.docx(
            p, OS(auto_numbers=True)), {}),
        ("odt.odt", "odfdo, merged cells", lambda p: office.odt(p), {}),
        ("odt-auto.odt", "odfdo, list numbering", lambda p: office.odt(
            p, OS(auto_numbers=True)), {}),
        ("odt-no-covered.odt", "odfdo, no covered cells", lambda p: office.odt(
            p, OS(covered=False)), {}),
        ("flat.txt", "flat layout, tab", lambda p: tab.render(flat.flat(p)).encode(), flat_),
        ("flat-box.txt", "flat layout, box-drawn", lambda p: box.render(flat.flat(p)).encode(),
         {**flat_, **no_u}),
        ("flat.html", "flat layout, HTML", lambda p: html.render(flat.flat(p)), flat_),
        ("flat.docx", "flat layout, DOCX", lambda p: office.docx(flat.flat(p)), flat_),
        ("flat.odt", "flat layout, ODT", lambda p: office.odt(flat.flat(p)), flat_),
    ]
    if pdf.CHROMIUM.exists():
        out += [
            ("pdf.pdf", "Chromium, A4 portrait", lambda p: pdf.render(p), {}),
            ("pdf-landscape.pdf", "Chromium, landscape, header/footer", lambda p: pdf.render(
                p, P(landscape=True, header_footer=True)), {}),
            ("pdf-uming.pdf", "Chromium, AR PL UMing, narrow", lambda p: pdf.render(
                p, P(font="AR PL UMing TW", widths=("12%", "48%", "22%", "18%"))), {}),
            ("pdf-wqy-one-table.pdf", "Chromium, WenQuanYi, Letter, one table",
             lambda p: pdf.render(p, P(font="WenQuanYi Micro Hei Mono", paper="Letter",
                                       page=H(one_table=True))), {}),
            ("flat.pdf", "flat layout, Chromium", lambda p: pdf.render(flat.flat(p)), flat_),
        ]
    return out


def converted(folder: Path) -> list[tuple[str, str, Path, dict]]:
    """The renderings LibreOffice and pandoc make of some of ours."""
    out: list[tuple[str, str, Path, dict]] = []
    soffice, pandoc = shutil.which("soffice"), shutil.which("pandoc")
    profile = (folder / "lo-profile").as_uri()

    def lo(source: str, target: str, name: str, how: str, infilter: str | None = None) -> None:
        if not soffice:
            return
        work = folder / f"lo-{name}"
        work.mkdir(exist_ok=True)
        cmd = [soffice, "--headless", f"-env:UserInstallation={profile}"]
        if infilter:
            cmd.append(f"--infilter={infilter}")
        subprocess.run([*cmd, "--convert-to", target, "--outdir", str(work),
                        str(folder / source)], capture_output=True, timeout=300)
        made = next(work.glob("*.*"), None)
        if made is not None:
            final = folder / name
            shutil.move(made, final)
            out.append((name, how, final, {}))

    lo("html.html", "docx:MS Word 2007 XML", "lo-from-html.docx", "LibreOffice: HTML → DOCX",
       "HTML (StarWriter)")
    lo("html.html", "odt", "lo-from-html.odt", "LibreOffice: HTML → ODT", "HTML (StarWriter)")
    lo("docx.docx", "odt", "lo-from-docx.odt", "LibreOffice: DOCX → ODT")
    lo("lo-from-html.odt", "docx:MS Word 2007 XML", "lo-from-odt.docx",
       "LibreOffice: its ODT → DOCX")
    lo("docx.docx", "html", "lo-from-docx.html", "LibreOffice: DOCX → HTML")
    lo("docx.docx", "pdf", "lo-from-docx.pdf", "LibreOffice: DOCX → PDF")
    if pandoc:
        for target in ("docx", "odt"):
            name = f"pandoc.{target}"
            subprocess.run([pandoc, "-f", "html", "-t", target, "-o", str(folder / name),
                            str(folder / "html.html")], capture_output=True, timeout=300)
            out.append((name, f"pandoc: HTML → {target.upper()}", folder / name, {}))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    folder = args.out or Path(tempfile.mkdtemp(prefix="plangraph-survey-"))
    folder.mkdir(parents=True, exist_ok=True)
    plan = content.load()
    seed = build(None, folder / "seed-build")
    assert seed.returncode == 0, seed.stderr
    items: list[tuple[str, str, Path, dict]] = []
    for name, how, render, options in forms():
        path = folder / name
        path.write_bytes(render(plan))
        items.append((name, how, path, options))
    items += converted(folder)
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}; "
          f"{len(os.sched_getaffinity(0))} cores\n")
    print(f"| {'file':26} | {'how it was made':42} | result | build s |")
    print(f"|{'-' * 28}|{'-' * 44}|--------|---------|")
    failed = 0
    for name, how, path, options in items:
        if args.only not in name:
            continue
        outcome = build(path, folder / f"build-{name}")
        if outcome.returncode:
            result = "exit " + str(outcome.returncode)
            detail = outcome.stderr.strip().splitlines()[-1][:150]
        else:
            diff = differences(outcome.measures, seed.measures, **options)
            result = "same" if not diff else f"{len(diff)} diff"
            detail = "; ".join(diff[:2])[:150]
        failed += result != "same"
        print(f"| {name:26} | {how:42} | {result:6} | {outcome.seconds:7.2f} |")
        if detail:
            print(f"|   {detail}")
    json.dump([str(p) for *_, p, _ in items], open(folder / "files.json", "w"))
    print(f"\n{len(items) - failed} of {len(items)} give the seed's measures; files in {folder}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
