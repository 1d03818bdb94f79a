"""The seed as an ODT, written with odfdo the way LibreOffice Writer lays it out: headings
(text:h), a four-column table per area whose header row is a table:table-header-rows (repeated on
each page), each strategy cell spanning its measures (table:number-rows-spanned, the cells below
it table:covered-table-cell), underlined text as text:span with an underlining text style, point
陸 as paragraphs."""

from __future__ import annotations

import io
from typing import Any

from odfdo import Document, Element, Header, Paragraph, Span, Style

from .seed import Grid, seed_document, underlined_pieces


def write_odt(*, underline: str = "automatic", breaks: bool = False,
              covered_text: bool = False) -> bytes:
    """underline: "automatic" (an automatic text style, as LibreOffice writes direct formatting)
    or "common" (a named style whose parent underlines). breaks: numbered targets on lines of
    their own (text:line-break). covered_text: leave the strategy's text in the covered cells
    too (a broken file)."""
    document = Document("text")
    document.body.clear()
    if underline == "automatic":
        document.insert_style(Style("text", name="T1", area="text",
                                    **{"style:text_underline_style": "solid",
                                       "style:text_underline_width": "auto"}),
                              automatic=True)
        style = "T1"
    else:
        document.insert_style(Style("text", name="Changed", area="text",
                                    **{"style:text_underline_style": "solid"}))
        document.insert_style(Style("text", name="Amended", parent_style="Changed"))
        style = "Amended"
    for item in seed_document():
        if isinstance(item, Grid):
            document.body.append(_table(item, style, breaks, covered_text,
                                        len(document.body.get_elements("table:table")) + 1))
        elif item.heading:
            document.body.append(_text(Header(item.heading), item.text, style))
        else:
            document.body.append(_text(Paragraph(), item.text, style))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _text(paragraph: Any, text: str, style: str, breaks: bool = False) -> Any:
    import re
    for piece, under in underlined_pieces(text):
        parts = re.split(r"(?<=[。：])\s*(?=\d+\.\s)", piece) if breaks else [piece]
        for i, part in enumerate(parts):
            if i:
                paragraph.append(Element.from_tag("text:line-break"))
            if under:
                paragraph.append(Span(part, style=style))
            else:
                paragraph.append(part)
    return paragraph


def _cell(text: str, style: str, breaks: bool, rows: int = 1) -> Any:
    cell = Element.from_tag("table:table-cell")
    cell.set_attribute("office:value-type", "string")
    if rows > 1:
        cell.set_attribute("table:number-rows-spanned", str(rows))
    cell.append(_text(Paragraph(), text, style, breaks))
    return cell


def _table(grid: Grid, style: str, breaks: bool, covered_text: bool, number: int) -> Any:
    table = Element.from_tag(f'<table:table table:name="Table{number}"/>')
    column = Element.from_tag("table:table-column")
    column.set_attribute("table:number-columns-repeated", str(len(grid.header)))
    table.append(column)
    header_rows = Element.from_tag("table:table-header-rows")
    header = Element.from_tag("table:table-row")
    for text in grid.header:
        header.append(_cell(text, style, False))
    header_rows.append(header)
    table.append(header_rows)
    spans = grid.strategy_spans()
    strategy = ""
    for row, span in zip(grid.rows, spans, strict=True):
        tr = Element.from_tag("table:table-row")
        if span:
            strategy = row[0]
            tr.append(_cell(row[0], style, breaks, span))
        else:
            covered = Element.from_tag("table:covered-table-cell")
            covered.append(_text(Paragraph(), strategy if covered_text else "", style))
            tr.append(covered)
        for text in row[1:]:
            tr.append(_cell(text, style, breaks))
        table.append(tr)
    return table
