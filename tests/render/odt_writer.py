"""ODT, written with odfdo the way LibreOffice Writer lays the plan out: headings (text:h), a
table per area whose header row is in table:table-header-rows (repeated on each page), each
strategy cell spanning its measures (table:number-rows-spanned over table:covered-table-cell),
underlined text as text:span with an underlining text style, point 陸 as paragraphs."""

from __future__ import annotations

import io
from typing import Any

from odfdo import Document, Element, Header, Paragraph, Span, Style

from plangraph.documents.markup import Marked

from .plan import Grid, Item, Line
from .runs import runs

_HEADING = {"heading": 1, "part": 2, "area": 3}


def write(content: list[Line | Grid], *, underline: str = "automatic",
          targets: str = "paragraphs", covered_text: bool = False) -> bytes:
    """underline: "automatic" (an automatic text style, as LibreOffice writes direct
    formatting) or "common" (a named style whose parent style underlines). targets: each target
    a paragraph of its own ("paragraphs") or a line of its own (text:line-break, "breaks").
    covered_text: the strategy's text also in the cells it covers (a broken file)."""
    document = Document("text")
    document.body.clear()
    for level in document.styles.get_elements("//text:outline-level-style"):
        level.set_attribute("style:num-format", "")   # headings not numbered 1., 1.1. (the
        level.del_attribute("style:num-suffix")       # template's), as LibreOffice's default
        level.del_attribute("loext:num-list-format")
    # ruled cells, as LibreOffice's default table has (and a PDF printed from it shows)
    document.insert_style(Element.from_tag(
        '<style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties '
        'fo:border="0.5pt solid #000000" fo:padding="0.1cm"/></style:style>'), automatic=True)
    if underline == "automatic":
        document.insert_style(Style("text", name="T1", area="text",
                                    **{"style:text_underline_style": "solid",
                                       "style:text_underline_width": "auto"}), automatic=True)
        style = "T1"
    else:
        document.insert_style(Style("text", name="Changed", area="text",
                                    **{"style:text_underline_style": "solid"}))
        document.insert_style(Style("text", name="Amended", parent_style="Changed"))
        style = "Amended"
    tables = 0
    for block in content:
        if isinstance(block, Grid):
            tables += 1
            document.body.append(_table(block, style, targets, covered_text, tables))
        elif block.kind in _HEADING:
            document.body.append(_text(Header(_HEADING[block.kind]), block.text, style))
        else:
            document.body.append(_text(Paragraph(), block.text, style))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _text(paragraph: Any, text: Marked, style: str) -> Any:
    for piece, under in runs(text):
        paragraph.append(Span(piece, style=style) if under else piece)
    return paragraph


def _cell(texts: list[Marked], style: str, targets: str, rows: int = 1,
          covered: bool = False) -> Any:
    cell = Element.from_tag("table:covered-table-cell" if covered else "table:table-cell")
    cell.set_attribute("table:style-name", "Cell")
    if rows > 1:
        cell.set_attribute("table:number-rows-spanned", str(rows))
    if targets == "breaks" and texts:
        paragraph = _text(Paragraph(), texts[0], style)
        for text in texts[1:]:
            paragraph.append(Element.from_tag("text:line-break"))
            _text(paragraph, text, style)
        cell.append(paragraph)
    else:
        for text in texts or [Marked.plain("")]:
            cell.append(_text(Paragraph(), text, style))
    return cell


def _table(grid: Grid, style: str, targets: str, covered_text: bool, number: int) -> Any:
    table = Element.from_tag(f'<table:table table:name="Table{number}"/>')
    column = Element.from_tag("table:table-column")
    column.set_attribute("table:number-columns-repeated", str(len(grid.header)))
    table.append(column)
    header_rows = Element.from_tag("table:table-header-rows")
    header = Element.from_tag("table:table-row")
    for label in grid.header:
        header.append(_cell([Marked.plain(label)], style, targets))
    header_rows.append(header)
    table.append(header_rows)
    strategy = Marked.plain("")
    for row in grid.rows:
        tr = Element.from_tag("table:table-row")
        if not isinstance(row, Item):
            tr.append(_cell([row.text], style, targets))
            for _ in grid.header[1:]:
                tr.append(_cell([], style, targets))
        else:
            if row.strategy is not None:
                strategy = row.strategy
                tr.append(_cell([row.strategy], style, targets, row.strategy_rows))
            else:
                tr.append(_cell([strategy] if covered_text else [], style, targets,
                                covered=True))
            for texts in ([row.measure], row.targets, [row.agencies]):
                tr.append(_cell(texts, style, targets))
        table.append(tr)
    return table
