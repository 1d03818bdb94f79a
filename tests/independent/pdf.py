"""Point 肆 as a PDF printed by headless Chromium from a page of tests/independent/html.py, with
the page's own print CSS: paper and orientation, the font, the columns' widths, Chromium's own
header and footer (date, title, URL, page numbers) or none."""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import html
from .content import Plan

CHROMIUM = Path("/usr/bin/chromium")


@dataclass
class Style:
    page: html.Style | None = None
    landscape: bool = False
    font: str = "Noto Sans CJK TC"
    widths: tuple[str, str, str, str] = ("18%", "42%", "20%", "20%")
    font_size: str = "10.5pt"
    header_footer: bool = False    # Chromium's date/title/URL/page numbers on each page
    paper: str = "A4"
    break_after: str = ""          # a page break forced after the area heading row starting so
    rules: bool = True             # the table's cells drawn with borders


def print_css(style: Style) -> str:
    orientation = " landscape" if style.landscape else ""
    cols = "".join(f"table.plan td:nth-child({i + 1}), table.plan th:nth-child({i + 1})"
                   f"{{width:{w}}}" for i, w in enumerate(style.widths))
    border = "0.75pt solid #000" if style.rules else "none !important"
    return (f"<style>@page{{size:{style.paper}{orientation};margin:15mm}}"
            f"body{{font-family:'{style.font}';font-size:{style.font_size}}}"
            "table{border-collapse:collapse;width:100%}"
            f"td,th{{border:{border};padding:2pt 3pt;vertical-align:top}}"
            f"{cols}</style>")


def render(plan: Plan, style: Style | None = None) -> bytes:
    style = style or Style()
    page = html.render(plan, style.page or html.Style()).decode("utf-8")
    page = page.replace("</head>", print_css(style) + "</head>", 1)
    if style.break_after:
        # as a print stylesheet may ask: the heading at a page's foot, its rows on the next
        page = page.replace(f'<tr><td colspan="4">{style.break_after}',
                            f'<tr style="break-after:page"><td colspan="4">{style.break_after}')
    return print_page(page.encode("utf-8"), style.header_footer)


def print_page(page: bytes, header_footer: bool = False) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        source, out = Path(tmp) / "plan.html", Path(tmp) / "plan.pdf"
        source.write_bytes(page)
        args = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}"]
        if not header_footer:
            args.append("--no-pdf-header-footer")
        subprocess.run([*args, source.as_uri()], check=True, capture_output=True, timeout=120)
        return out.read_bytes()
