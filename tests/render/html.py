"""HTML as news pages and saved pages hold the plan: headings and paragraphs around tables whose
strategy cells span their measures' rows, targets split by <br> (or <p>), underlines as <u> or
CSS, in the variants real pages show."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from plangraph.documents.markup import Marked

from .plan import Grid, Item, Line, SubArea


@dataclass
class Style:
    underline: str = "u"          # u | style (inline CSS) | class (a <style> rule) | nested
    thead: bool = True            # the header row in <thead> with <th>
    rowspan: bool = True          # a strategy cell spans its measures' rows
    targets: str = "br"           # br | p | ol (a numbered list, its numbers the browser's)
    subarea: str = "colspan"      # colspan: a row spanning every column; cell: first cell only
    nbsp: bool = False            # &nbsp; in empty cells and after numbers
    headings: bool = True         # h1/h2/h3 for title, part, area (else <p>)
    layout_table: bool = False    # the whole page inside a layout table (as old sites do)
    charset: str = "utf-8"
    indent: bool = True           # pretty-printed source (else all on one line)


def escape_text(text: str) -> str:
    return escape(text, quote=False)


def marked(m: Marked, style: Style) -> str:
    out: list[str] = []
    run: list[str] = []
    under = False

    def close() -> None:
        if not run:
            return
        text = escape("".join(run))
        if under:
            text = {"u": f"<u>{text}</u>",
                    "style": f'<span style="text-decoration: underline">{text}</span>',
                    "class": f'<span class="changed">{text}</span>',
                    "nested": f'<span class="x"><span class="amend"><b>{text}</b></span></span>',
                    }[style.underline]
        out.append(text)
        run.clear()

    for ch, fl in zip(m.text, m.under, strict=True):
        if fl != under:
            close()
            under = fl
        run.append(ch)
    close()
    html = "".join(out)
    return html.replace(". ", ".&nbsp;", 1) if style.nbsp else html


def write(content: list[Line | Grid], style: Style | None = None) -> bytes:
    style = style or Style()
    nl = "\n" if style.indent else ""
    css = {"class": ".changed { text-decoration: underline; }",
           "nested": "p.note { color: gray } span.amend, td .amend { text-decoration-line: "
                     "underline; text-decoration-style: solid }"}.get(style.underline, "")
    parts = [f'<!DOCTYPE html>{nl}<html lang="zh-Hant"><head><meta charset="{style.charset}">',
             f"<title>國家廉政建設行動方案</title><style>{css}</style></head>{nl}<body>{nl}"]
    if style.layout_table:
        parts.append(f'<table class="layout"><tr><td class="nav">首頁 &gt; 法規</td>{nl}<td>{nl}')
    tags = {"heading": "h1", "part": "h2", "area": "h3", "clause": "p"}
    for block in content:
        if isinstance(block, Line):
            tag = tags[block.kind] if style.headings else "p"
            parts.append(f"<{tag}>{marked(block.text, style)}</{tag}>{nl}")
            continue
        parts.append(table(block, style, nl))
    if style.layout_table:
        parts.append(f"</td></tr></table>{nl}")
    parts.append(f"</body></html>{nl}")
    return "".join(parts).encode(style.charset)


def table(grid: Grid, style: Style, nl: str) -> str:
    empty = "&nbsp;" if style.nbsp else ""
    cell = "th" if style.thead else "td"
    head = "".join(f"<{cell}>{h}</{cell}>" for h in grid.header)
    out = ['<table border="1">', f"<thead><tr>{head}</tr></thead><tbody>" if style.thead
           else f"<tr>{head}</tr>"]
    for row in grid.rows:
        if isinstance(row, SubArea):
            if style.subarea == "colspan":
                out.append(f'<tr><td colspan="{len(grid.header)}">{marked(row.text, style)}</td>'
                           "</tr>")
            else:
                out.append(f"<tr><td>{marked(row.text, style)}</td>"
                           + f"<td>{empty}</td>" * (len(grid.header) - 1) + "</tr>")
            continue
        assert isinstance(row, Item)
        cells = []
        if row.strategy is not None:
            span = f' rowspan="{row.strategy_rows}"' if style.rowspan and row.strategy_rows > 1 \
                else ""
            cells.append(f"<td{span}>{marked(row.strategy, style)}</td>")
        elif not style.rowspan:
            cells.append(f"<td>{empty}</td>")
        cells.append(f"<td>{marked(row.measure, style)}</td>")
        if style.targets == "p":
            targets = "".join(f"<p>{marked(t, style)}</p>" for t in row.targets)
        elif style.targets == "ol" and len(row.targets) > 1:
            items = [re.sub(r"^\d+\.(&nbsp;|\s)*", "", marked(t, style)) for t in row.targets]
            targets = "<ol>" + "".join(f"<li>{t}</li>" for t in items) + "</ol>"
        else:
            targets = "<br>".join(marked(t, style) for t in row.targets)
        cells.append(f"<td>{targets}</td>")
        cells.append(f"<td>{marked(row.agencies, style)}</td>")
        out.append(f"<tr>{''.join(cells)}</tr>")
    out.append("</tbody></table>" if style.thead else "</table>")
    return nl.join(out) + nl


def from_lines(text: str, split: bool = True) -> bytes:
    """A naive page made line by line from the tab-separated extraction, as a quick script
    would: each tab-separated line a row (so a row cut by a page break stays two rows, and the
    dash rules are rows), every other line a paragraph; the extraction's <p> and <u> kept as
    HTML. `split`: a blank line (a page break) ends the table, the rows after it a table with
    no header; else blank lines are dropped."""
    out = ["<html><body>"]
    in_table = False
    for line in text.split("\n"):
        if not line.strip() and not split:
            continue
        if "\t" in line:
            if not in_table:
                out.append("<table>")
                in_table = True
            out.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in line.split("\t")) + "</tr>")
            continue
        if in_table:
            out.append("</table>")
            in_table = False
        if line.strip():
            out.append(f"<p>{line}</p>")
    out.append("</table></body></html>" if in_table else "</body></html>")
    return "\n".join(out).encode("utf-8")
