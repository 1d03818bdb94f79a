"""DOCX, written with python-docx the way a person lays the plan out in Word: headings, a
table per area whose header row repeats on each page (w:tblHeader), each strategy cell merged
down over its measures (w:vMerge), underlined runs, point 陸 as paragraphs."""

from __future__ import annotations

import io
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement

from plangraph.documents.markup import Marked

from .plan import Grid, Item, Line
from .runs import runs

_HEADING = {"heading": 1, "part": 2, "area": 3}


def write(content: list[Line | Grid], *, underline: str = "direct", targets: str = "paragraphs",
          span_subarea: bool = False, columns: list[int] | None = None) -> bytes:
    """underline: "direct" (w:u on each run) or "style" (a character style based on one that
    underlines). targets: each target a paragraph of its own ("paragraphs"), a line of its own
    after a soft line break ("breaks"), or one after the other ("inline"). span_subarea: the
    sub-area row ((一)肅貪) as one cell across the table (w:gridSpan). columns: which of the
    four columns to write (fewer make a broken file)."""
    document = docx.Document()
    if underline == "style":
        base = document.styles.add_style("Changed", WD_STYLE_TYPE.CHARACTER)
        base.font.underline = True
        amended = document.styles.add_style("Amended", WD_STYLE_TYPE.CHARACTER)
        amended.base_style = base
    for block in content:
        if isinstance(block, Line):
            paragraph = (document.add_heading("", level=_HEADING[block.kind])
                         if block.kind in _HEADING else document.add_paragraph())
            _text(paragraph, block.text, underline)
        else:
            _table(document, block, underline, targets, span_subarea,
                   columns if columns is not None else list(range(len(block.header))))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _text(paragraph: Any, text: Marked, underline: str, soft_break: bool = False) -> None:
    for i, (piece, under) in enumerate(runs(text)):
        run = paragraph.add_run()
        if soft_break and i == 0:
            run.add_break()          # w:br: a new line inside the paragraph
        run.add_text(piece)
        if under and underline == "direct":
            run.font.underline = True
        elif under:
            run.style = "Amended"


def _cell(cell: Any, texts: list[Marked], underline: str, mode: str) -> None:
    paragraph = cell.paragraphs[0]
    for i, text in enumerate(texts):
        if i and mode == "paragraphs":
            paragraph = cell.add_paragraph()
        elif i and mode == "inline":
            text = Marked.plain(" ") + text
        _text(paragraph, text, underline, soft_break=bool(i) and mode == "breaks")


def _table(document: Any, grid: Grid, underline: str, targets: str, span_subarea: bool,
           columns: list[int]) -> None:
    table = document.add_table(rows=1 + len(grid.rows), cols=len(columns))
    table.style = "Table Grid"
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, c in zip(table.rows[0].cells, columns, strict=True):
        cell.paragraphs[0].add_run(grid.header[c])
    merges = []
    for r, row in enumerate(grid.rows, start=1):
        cells = table.rows[r].cells
        if not isinstance(row, Item):           # a sub-area row: its title in the first cell
            _cell(cells[0], [row.text], underline, targets)
            if span_subarea:
                merges.append((table.cell(r, 0), table.cell(r, len(columns) - 1)))
            continue
        values = [[row.strategy] if row.strategy else [], [row.measure], row.targets,
                  [row.agencies]]
        for cell, c in zip(cells, columns, strict=True):
            _cell(cell, values[c], underline, targets)
        if row.strategy is not None and row.strategy_rows > 1 and 0 in columns:
            merges.append((table.cell(r, 0), table.cell(r + row.strategy_rows - 1, 0)))
    for top, bottom in merges:
        top.merge(bottom)
