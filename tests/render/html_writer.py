"""The seed as an HTML page: headings, a table per area with a <thead> (repeated on each printed
page), strategy cells with rowspan over their measures, <u> where the seed underlines. Made to be
printed to PDF by headless Chromium (pdf.py); the style options vary what a PDF reader meets."""

from __future__ import annotations

import html
import re

from .seed import Grid, seed_document, underlined_pieces

FONTS = {"sans": "'WenQuanYi Micro Hei', sans-serif", "serif": "'AR PL UMing TW', serif"}


def write_html(*, font: str = "sans", size: str = "11pt", widths: tuple[int, ...] = (22, 38, 22, 18),
               justify: bool = False, breaks: bool = False, header: bool = True,
               separate: bool = False) -> str:
    """font: a key of FONTS. widths: the columns' widths in percent. justify: text-align:
    justify in the cells (narrow columns then space out CJK characters). breaks: a <br> before
    each numbered target. header: the table header row in a <thead>. separate: each cell in a
    box of its own, a little apart from its neighbours (border-collapse: separate)."""
    collapse = "separate; border-spacing: 2px" if separate else "collapse"
    css = f"""
      body {{ font-family: {FONTS[font]}; font-size: {size}; }}
      table {{ border-collapse: {collapse}; width: 100%; }}
      th, td {{ border: 1px solid #000; vertical-align: top; padding: 2px 4px;
                {"text-align: justify;" if justify else ""} }}
    """
    cols = "".join(f'<col style="width:{w}%">' for w in widths)
    body = []
    for item in seed_document():
        if isinstance(item, Grid):
            body.append(_table(item, cols, breaks, header))
        elif item.heading:
            body.append(f"<h{item.heading}>{_inline(item.text)}</h{item.heading}>")
        else:
            body.append(f"<p>{_inline(item.text)}</p>")
    title = "修正國家廉政建設行動方案第肆點、第陸點"
    return (f'<!doctype html><html lang="zh-Hant"><head><meta charset="utf-8"><title>{title}'
            f'</title><style>{css}</style></head><body>\n' + "\n".join(body) + "\n</body></html>")


def _inline(text: str, breaks: bool = False) -> str:
    out = []
    for piece, under in underlined_pieces(text):
        escaped = html.escape(piece)
        if breaks:
            escaped = re.sub(r"(?<=[。：])\s*(?=\d+\.\s)", "<br>", escaped)
        out.append(f"<u>{escaped}</u>" if under else escaped)
    return "".join(out)


def _table(grid: Grid, cols: str, breaks: bool, header: bool) -> str:
    head = "<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in grid.header) + "</tr>"
    rows = []
    for row, span in zip(grid.rows, grid.strategy_spans(), strict=True):
        cells = []
        if span:
            rowspan = f' rowspan="{span}"' if span > 1 else ""
            cells.append(f"<td{rowspan}>{_inline(row[0], breaks)}</td>")
        cells.extend(f"<td>{_inline(text, breaks)}</td>" for text in row[1:])
        rows.append("<tr>" + "".join(cells) + "</tr>")
    thead = f"<thead>{head}</thead>" if header else ""
    first = "" if header else head
    return (f"<table><colgroup>{cols}</colgroup>{thead}<tbody>{first}" + "\n".join(rows)
            + "</tbody></table>")
