"""The seed as a DOCX, written with python-docx the way a person would lay it out in Word:
headings, a four-column table per area with a header row repeated on each page, each strategy cell
merged down over its measures (w:vMerge), underlined runs where the seed has <u>, point 陸 as
paragraphs."""

from __future__ import annotations

import io
import re
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement

from .seed import Grid, Paragraph, seed_document, underlined_pieces


def write_docx(*, underline: str = "direct", breaks: bool = False, span_subarea: bool = False,
               columns: int = 4) -> bytes:
    """underline: "direct" (w:u on each run) or "style" (a character style based on one that
    underlines). breaks: the sub-area heading and each numbered target on a line of its own
    (soft line breaks). span_subarea: the (二)防貪 row as one cell spanning the table.
    columns: how many of the four columns to write (3 makes a broken file)."""
    document = docx.Document()
    if underline == "style":
        base = document.styles.add_style("Changed", WD_STYLE_TYPE.CHARACTER)
        base.font.underline = True
        amended = document.styles.add_style("Amended", WD_STYLE_TYPE.CHARACTER)
        amended.base_style = base
    for item in seed_document():
        if isinstance(item, Paragraph):
            if item.heading:
                _runs(document.add_heading("", level=item.heading), item.text, underline)
            else:
                _runs(document.add_paragraph(), item.text, underline)
        else:
            _table(document, item, underline, breaks, span_subarea, columns)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _runs(paragraph: Any, text: str, underline: str, breaks: bool = False) -> None:
    for piece, under in underlined_pieces(text):
        for i, line in enumerate(_break(piece) if breaks else [piece]):
            run = paragraph.add_run()
            if i:
                run.add_break()   # a soft line break (w:br) inside the paragraph
            run.add_text(line)
            if under and underline == "direct":
                run.font.underline = True
            elif under:
                run.style = "Amended"


def _break(text: str) -> list[str]:
    """Before each numbered item after the first ('1. a 2. b'), and after a sub-area heading."""
    cuts = [m.start() for m in re.finditer(r"(?<=[。：])\s*(?=\d+\.\s)", text)]
    pieces, start = [], 0
    for cut in cuts:
        if text[start:cut].strip():
            pieces.append(text[start:cut])
            start = cut
    pieces.append(text[start:])
    return [p.lstrip() if i else p for i, p in enumerate(pieces)]


def _table(document: Any, grid: Grid, underline: str, breaks: bool, span_subarea: bool,
           columns: int) -> None:
    table = document.add_table(rows=1 + len(grid.rows), cols=columns)
    table.style = "Table Grid"
    header = table.rows[0]
    trpr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    trpr.append(repeat)
    for cell, text in zip(header.cells, grid.header, strict=False):
        cell.paragraphs[0].add_run(text)
    spans = grid.strategy_spans()
    for i, row in enumerate(grid.rows):
        cells = table.rows[i + 1].cells
        for c in range(columns):
            if c == 0 and spans[i] == 0:
                continue
            _runs(cells[c].paragraphs[0], row[c], underline, breaks)
    for i, span in enumerate(spans):
        if span > 1:
            table.cell(i + 1, 0).merge(table.cell(i + span, 0))
        row = grid.rows[i]
        if span_subarea and not any(c.strip() for c in row[1:]):
            table.cell(i + 1, 0).merge(table.cell(i + 1, columns - 1))
