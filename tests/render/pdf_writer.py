"""PDF: the plan as an HTML page (a table per area with a <thead>, strategy cells with rowspan
over their measures, <u> where the text is underlined), printed by headless Chromium
(/usr/bin/chromium). The page's knobs vary what a PDF reader meets: fonts, sizes, column widths,
justified narrow columns, cells drawn as separate boxes, Chromium's own header and footer."""

from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from pathlib import Path

from plangraph.documents.markup import Marked

from .plan import Grid, Item, Line
from .runs import runs

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FONTS = {"sans": "'WenQuanYi Micro Hei', sans-serif", "serif": "'AR PL UMing TW', serif",
         # its PDF text layer maps some glyphs to Kangxi radicals (⾏ for 行), as many PDFs do
         "noto": "'Noto Sans CJK TC', sans-serif"}
_HEADING = {"heading": 1, "part": 2, "area": 3}


def page(content: list[Line | Grid], *, font: str = "sans", size: str = "11pt",
         widths: tuple[int, ...] = (22, 38, 22, 18), justify: bool = False,
         targets: str = "breaks", header: bool = True, separate: bool = False) -> str:
    """font: a key of FONTS. widths: the columns' widths in percent. justify: justified cells
    (narrow columns then space CJK characters out). targets: each on a line of its own
    ("breaks", <br>) or one after the other ("inline"). header: the header row in a <thead>,
    repeated on each printed page. separate: each cell a box of its own, apart from its
    neighbours (border-collapse: separate)."""
    collapse = "separate; border-spacing: 2px" if separate else "collapse"
    css = (f"body {{ font-family: {FONTS[font]}; font-size: {size}; }}"
           f"table {{ border-collapse: {collapse}; width: 100%; }}"
           "th, td { border: 1px solid #000; vertical-align: top; padding: 2px 4px; "
           f"{'text-align: justify;' if justify else ''} }}")
    body = []
    for block in content:
        if isinstance(block, Grid):
            body.append(_table(block, widths, targets, header))
        elif block.kind in _HEADING:
            body.append(f"<h{_HEADING[block.kind]}>{_inline(block.text)}</h{_HEADING[block.kind]}>")
        else:
            body.append(f"<p>{_inline(block.text)}</p>")
    return ('<!doctype html><html lang="zh-Hant"><head><meta charset="utf-8">'
            "<title>修正國家廉政建設行動方案第肆點、第陸點</title>"
            f"<style>{css}</style></head><body>\n" + "\n".join(body) + "\n</body></html>")


def _inline(text: Marked) -> str:
    return "".join(f"<u>{html.escape(t)}</u>" if under else html.escape(t)
                   for t, under in runs(text))


def _table(grid: Grid, widths: tuple[int, ...], targets: str, header: bool) -> str:
    cols = "".join(f'<col style="width:{w}%">' for w in widths)
    head = "<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in grid.header) + "</tr>"
    joiner = "<br>" if targets == "breaks" else " "
    rows = []
    for row in grid.rows:
        if not isinstance(row, Item):
            rows.append(f"<tr><td>{_inline(row.text)}</td>" + "<td></td>" * 3 + "</tr>")
            continue
        cells = []
        if row.strategy is not None:
            span = f' rowspan="{row.strategy_rows}"' if row.strategy_rows > 1 else ""
            cells.append(f"<td{span}>{_inline(row.strategy)}</td>")
        cells += [f"<td>{_inline(row.measure)}</td>",
                  f"<td>{joiner.join(_inline(t) for t in row.targets)}</td>",
                  f"<td>{_inline(row.agencies)}</td>"]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    thead = f"<thead>{head}</thead>" if header else ""
    return (f"<table><colgroup>{cols}</colgroup>{thead}<tbody>{'' if header else head}"
            + "\n".join(rows) + "</tbody></table>")


def print_pdf(page: str, *, page_furniture: bool = True) -> bytes:
    """Print an HTML page to PDF with headless Chromium. page_furniture: Chromium's own header
    and footer (date, title, file address, page numbers) on each page, as printing from the
    browser gives."""
    with tempfile.TemporaryDirectory(prefix="plangraph-pdf-") as tmp:
        source, out = Path(tmp) / "plan.html", Path(tmp) / "plan.pdf"
        source.write_text(page, encoding="utf-8")
        cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}"]
        if not page_furniture:
            cmd.append("--no-pdf-header-footer")
        subprocess.run([*cmd, source.as_uri()], check=True, capture_output=True, timeout=180)
        return out.read_bytes()
