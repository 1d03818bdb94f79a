"""Point 肆 as HTML, the ways a news page, a content system or a saved page would hold it.

Each option is a habit of some real page: one table per area or one table for all of 肆, a
strategy cell with rowspan (or blank cells below it), targets apart by <br> or in <p>s, underline
as <u> or as CSS, &nbsp; for spaces, a <thead> with <th>, presentational attributes, the plan
inside a page's own layout table, a legacy Big5 encoding.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from .content import HEADER, SEED, Cell, Plan, Row


@dataclass
class Style:
    one_table: bool = False        # all of 肆 in one table, area headings as colspan rows
    rowspan: bool = True           # a strategy cell spans its measures; else blank cells below
    items: str = "br"              # how numbered items in a cell are apart: br, p, ol, none
    underline: str = "u"           # u, css (span style), class (a class the page's CSS styles),
                                   # libreoffice (<u> across <font> runs, as it saves a page)
    nbsp: bool = False             # spaces written as &nbsp;
    thead: bool = True             # the header row in <thead> with <th>
    attrs: bool = False            # width, valign, align, border, cellpadding on the table
    layout_table: bool = False     # the page lays itself out with a table around the plan
    subarea_colspan: bool = True   # (二)防貪 as a row across the table; else a cell and 3 empty
    headings: str = "h"            # how headings are written: h (h2/h3), p (p with strong), div
    encoding: str = "utf-8"        # utf-8, big5 (cp950)
    newline: str = "\n"
    caption: bool = False          # each area's heading as its table's <caption> (accessible
                                   # tables, as the government's accessibility rules ask)
    row_headers: bool = False      # strategy cells as <th scope="row">
    contact: bool = False          # a news release's contact line after the plan
    clause_list: str = ""          # 陸's clauses as an <ol> of this list-style-type, unnumbered
                                   # in the text (the browser draws 一、)
    subarea_break: bool = True     # (一)肅貪：<br>1. …
    pretty: bool = False           # the markup indented, line breaks in the source inside cells
                                   # (as LibreOffice saves a page: "<br/>\n1.\n\t\t<font>…")


def runs_html(cell: Cell, style: Style) -> str:
    out = []
    for text, under in cell.runs:
        t = html.escape(text, quote=False)
        if style.nbsp:
            t = t.replace(" ", "&nbsp;")
        if under and style.underline == "libreoffice":
            out.append(_libreoffice_underline(t))
            continue
        if under:
            t = {"u": f"<u>{t}</u>",
                 "css": f'<span style="text-decoration: underline;">{t}</span>',
                 "class": f'<span class="changed">{t}</span>'}[style.underline]
        out.append(t)
    return "".join(out)


def _libreoffice_underline(text: str) -> str:
    """Underlined text as LibreOffice saves it where the font changes inside the underline (CJK,
    then a digit): <u> opened in the first <font> and closed in the last, overlapping them."""
    pieces = [p for p in re.split(r"([0-9A-Za-z]+)", text) if p]
    if len(pieces) == 1:
        return f'<font face="Noto Serif CJK TC"><u>{text}</u></font>'
    fonts = ['<font face="Cambria, serif">' if re.match(r"[0-9A-Za-z]", p) else
             '<font face="Noto Serif CJK TC">' for p in pieces]
    out = [f"{fonts[0]}<u>{pieces[0]}</font>"]
    out += [f"{f}{p}</font>" for f, p in zip(fonts[1:-1], pieces[1:-1], strict=True)]
    out.append(f"{fonts[-1]}{pieces[-1]}</u></font>")
    return "".join(out)


def cell_html(cell: Cell, style: Style) -> str:
    items = cell.items() if re.match(r"[0-9]+\. ", cell.text) else [cell]
    if style.items == "p":
        return "".join(f"<p>{runs_html(c, style)}</p>" for c in items)
    if style.items == "ol" and len(items) > 1:
        # the browser shows the numbers: the text holds none
        bare = [Cell([(re.sub(r"^[0-9]+\. ", "", c.runs[0][0]), c.runs[0][1])] + c.runs[1:])
                for c in items]
        return "<ol>" + "".join(f"<li>{runs_html(c, style)}</li>" for c in bare) + "</ol>"
    if style.items == "br":
        return ("<br/>\n\t\t\t\t\t" if style.pretty else "<br>").join(
            runs_html(c, style) for c in items)
    return runs_html(cell, style)


def strategy_html(cell: Cell, style: Style) -> str:
    text = runs_html(cell, style)
    if not style.subarea_break:
        return text
    # (一)肅貪： and its first strategy on lines of their own
    return re.sub(r"^(\([一二]\)[^：<]{2,3}：)\s*", r"\1<br/>\n" if style.pretty else r"\1<br>",
                  text)


def td(content: str, style: Style, width: str = "", rowspan: int = 1, colspan: int = 1,
       tag: str = "td") -> str:
    attrs = ""
    if rowspan > 1:
        attrs += f' rowspan="{rowspan}"'
    if colspan > 1:
        attrs += f' colspan="{colspan}"'
    if style.attrs:
        attrs += f' valign="top" width="{width}"' if width else ' valign="top"'
    if tag == "th":
        attrs = ' scope="row"' + attrs
    if style.pretty:
        # a break after an item's number too, as LibreOffice writes a numbered run
        content = re.sub(r"(^|>)([0-9]+\.) ", r"\1\2\n\t\t\t\t\t", content)
        content = f"\n\t\t\t\t{content}\n\t\t\t"
    return f"<{tag}{attrs}>{content}</{tag}>"


WIDTHS = ("20%", "40%", "20%", "20%")


def rows_html(rows: list[Row], style: Style) -> list[str]:
    out = []
    for i, row in enumerate(rows):
        cells = []
        if row.is_heading:
            assert row.strategy is not None
            if style.subarea_colspan:
                out.append("<tr>" + td(runs_html(row.strategy, style), style, colspan=4) + "</tr>")
            else:
                out.append("<tr>" + td(runs_html(row.strategy, style), style) +
                           td("", style) * 3 + "</tr>")
            continue
        if row.strategy is not None:
            span = 1
            while i + span < len(rows) and rows[i + span].strategy is None:
                span += 1
            cells.append(td(strategy_html(row.strategy, style), style, WIDTHS[0],
                            rowspan=span if style.rowspan else 1,
                            tag="th" if style.row_headers else "td"))
        elif not style.rowspan:
            cells.append(td("&nbsp;" if style.nbsp else "", style))
        for n, c in enumerate((row.measure, row.target, row.agency)):
            cells.append(td(cell_html(c, style), style, WIDTHS[n + 1]))
        out.append("<tr>" + "".join(cells) + "</tr>")
    return out


def header_html(style: Style) -> str:
    if style.thead:
        return ("<thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in HEADER)
                + "</tr></thead>")
    return "<tr>" + "".join(td(h, style) for h in HEADER) + "</tr>"


def table_open(style: Style) -> str:
    if style.attrs:
        return '<table border="1" cellspacing="0" cellpadding="4" width="100%">'
    return '<table class="plan">'


def heading(text: str, level: int, style: Style) -> str:
    t = html.escape(text, quote=False)
    if style.headings == "p":
        return f"<p><strong>{t}</strong></p>"
    if style.headings == "div":
        return f'<div class="title{level}">{t}</div>'
    return f"<h{level}>{t}</h{level}>"


def body(plan: Plan, style: Style) -> list[str]:
    out = [heading(plan.title, 1, style), heading(plan.point4, 2, style)]
    if style.one_table:
        out.append(table_open(style) + header_html(style) + "<tbody>")
        for table in plan.tables:
            out.append("<tr>" + td(html.escape(table.heading), style, colspan=4) + "</tr>")
            out += rows_html(table.rows, style)
        out.append("</tbody></table>")
    else:
        for table in plan.tables:
            if style.caption and table.heading:
                out.append(table_open(style) + f"<caption>{html.escape(table.heading)}</caption>"
                           + header_html(style) + "<tbody>")
            else:
                if table.heading:          # the flat layout has no area headings
                    out.append(heading(table.heading, 3, style))
                out.append(table_open(style) + header_html(style) + "<tbody>")
            out += rows_html(table.rows, style)
            out.append("</tbody></table>")
    out.append(heading(plan.point6, 2, style))
    if style.clause_list:
        out.append(f'<ol style="list-style-type: {style.clause_list}">')
        out += [f"<li>{html.escape(re.sub(r'^[一二三四五六七八九十]+、', '', c), quote=False)}</li>"
                for c in plan.clauses]
        out.append("</ol>")
    else:
        out += [f"<p>{html.escape(c, quote=False)}</p>" for c in plan.clauses]
    if style.contact:
        out += ["<p>新聞聯絡人：法務部廉政署 王科長 電話：(02)2562-1156</p>",
                '<p><a href="/print">友善列印</a> <a href="/news">回上一頁</a></p>']
    return out


def render(plan: Plan, style: Style | None = None) -> bytes:
    style = style or Style()
    charset = "big5" if style.encoding == "big5" else "utf-8"
    head = ['<!DOCTYPE html>', '<html lang="zh-Hant">', "<head>",
            f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">',
            f"<title>{html.escape(plan.title)}－新聞稿</title>",
            "<style>.changed{text-decoration:underline} table{border-collapse:collapse}"
            " td,th{border:1px solid #000;vertical-align:top}</style>",
            "<script>window.dataLayer = window.dataLayer || [];</script>", "</head>", "<body>"]
    nav = ['<div id="nav"><ul><li><a href="/">首頁</a></li><li><a href="/news">新聞稿</a></li>'
           "</ul></div>", '<p class="date">發布日期：103-04-15</p>']
    content = body(plan, style)
    if style.layout_table:
        content = (['<table width="100%" border="0"><tr><td width="20%" valign="top">'] + nav[:1]
                   + ['</td><td valign="top">'] + nav[1:] + content + ["</td></tr></table>"])
    else:
        content = nav + ['<div id="content">'] + content + ["</div>"]
    foot = ['<div id="footer">本網站著作權屬於法務部｜地址：臺北市中正區重慶南路1段130號</div>',
            "</body>", "</html>"]
    text = style.newline.join(head + content + foot) + style.newline
    return text.encode("cp950" if style.encoding == "big5" else "utf-8")


def verbatim(path: Path = SEED) -> bytes:
    """The tab-separated extraction put into a table line by line, as a quick conversion would
    do it: its own <p> and <u> tags kept, its page-break rows and blank lines kept (the one lost
    tab put back, as the seed's errata do)."""
    lines = ["<!DOCTYPE html>", '<html><head><meta charset="utf-8"></head><body>']
    table = False
    for line in path.read_text(encoding="utf-8").split("\n"):
        line = line.replace("亞洲開發銀行(定期統計", "亞洲開發銀行(\t定期統計")
        if "\t" in line and not set(line.strip()) <= set("-\t"):
            if not table:
                lines.append("<table border=1>")
                table = True
            lines.append("<tr>" + "".join(f"<td>{c}</td>" for c in line.split("\t")) + "</tr>")
            continue
        if line.strip() and table or set(line.strip()) <= set("-\t") and line.strip():
            lines.append("</table>")
            table = False
        if line.strip() and not set(line.strip()) <= set("-\t"):
            lines.append(f"<p>{line.strip().lstrip('- ')}</p>")
    if table:
        lines.append("</table>")
    lines.append("</body></html>")
    return "\n".join(lines).encode("utf-8")
