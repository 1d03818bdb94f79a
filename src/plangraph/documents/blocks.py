"""What every reader of a published form produces: the document as blocks, before its layout is
interpreted.

A reader (tab-separated text, box-drawn text, HTML, DOCX, ODT, PDF) knows its form: how lines,
cells, merged cells, page breaks and underlines are written in it. It knows nothing of the plan:
not what a strategy is, nor how measures are numbered. It turns the file into a list of blocks:
lines of text between tables (headings, the clauses of point 陸) and tables of rows of cells,
each piece with its `Place` so that any error can name where it is.

The layout (documents/layout.py) knows the plan and nothing of forms: it reads the blocks as the
2014 layout (areas 一…八, sub-areas, strategies, measures) or the flat one of 2018 and later
(strategies 一、二、… straight under 肆), and builds the one typed tree (tree.py) that the rest of
the project uses. So a new form is a new reader, and there is no model per form.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .markup import Marked


@dataclass(frozen=True)
class Place:
    """Where a piece of a document is, as a person looking at the file would find it.

    Text forms give the line; HTML, DOCX and ODT the table, row and cell; PDF also the page.
    Numbers are 1-based; tables are counted in document order, rows within their table (its
    header row included), cells by column from the left.

    `last_line`: a piece of a text form that runs over several lines (a box-drawn cell) ends
    there. `paragraph`: a line of text outside the tables in a form without lines (HTML, DOCX,
    ODT), counted in document order.
    """

    line: int | None = None
    page: int | None = None
    table: int | None = None
    row: int | None = None
    cell: int | None = None
    last_line: int | None = None
    paragraph: int | None = None

    def __str__(self) -> str:
        parts = []
        if self.line is not None:
            parts.append(f"lines {self.line}-{self.last_line}" if self.last_line not in
                         (None, self.line) else f"line {self.line}")
        for name in ("page", "paragraph", "table", "row", "cell"):
            value = getattr(self, name)
            if value is not None:
                parts.append(f"{name} {value}")
        return ", ".join(parts)

    def with_cell(self, cell: int) -> Place:
        return replace(self, cell=cell)

    def lines(self) -> list[int]:
        """The lines of a text form this piece covers (none in other forms)."""
        if self.line is None:
            return []
        return list(range(self.line, (self.last_line or self.line) + 1))


@dataclass
class TextLine:
    """A line of text outside the tables: the title, a point's or an area's heading, a clause."""

    text: Marked
    place: Place


@dataclass
class Cell:
    """One cell of a table row, its paragraphs joined by newlines, underlines kept.

    `spanned`: the cell is covered by a cell of a row above that spans down over it (HTML
    rowspan, a DOCX/ODT vertical merge, a box-drawn cell without a rule under it). It carries no
    text of its own: the text stays once, in the row where the spanning cell starts.
    """

    text: Marked
    place: Place
    spanned: bool = False


@dataclass
class Row:
    """One row of a table, with as many cells as the table has columns (colspans expanded:
    the text in the first column it covers, the others `spanned`).

    A reader neither pads nor cuts a row that does not fill its table (a lost tab, an HTML row
    with a cell too few): it passes the row on as it is, and the layout refuses it, naming its
    place and the section of the plan it is in.

    `after_break`: a page break comes right before this row, so the row may carry on the cells
    of the row before it (the rule for that is the layout's, not the reader's)."""

    cells: list[Cell]
    place: Place
    after_break: bool = False


@dataclass
class Table:
    rows: list[Row]
    place: Place
    # the form's own number of this table (1-based), for messages
    number: int = 0
    notes: list[str] = field(default_factory=list)
    # the form marks where its pages break (`Row.after_break`), as the tab-separated extraction
    # does: a row after no break cannot carry on the row before it. Where a form marks none
    # (HTML, box-drawn text, DOCX, ODT), a row that starts nothing carries on the row before
    # only where that row's cells stop mid-sentence (the layout's rule).
    breaks: bool = False


Block = TextLine | Table
