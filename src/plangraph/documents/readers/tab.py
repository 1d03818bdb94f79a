"""The tab-separated form: the text extraction in data/ (see README, "Bring your own version").

Each line is one of: a blank line (a page break), a line of text (a heading, a clause), a table
row of tab-separated cells, or a rule of dashes that ends a table. Cells may be wrapped in
<p>…</p> and hold <u>…</u> underlines. Consecutive rows make one table; a page break inside a
table marks the row after it (`after_break`), which may carry on the cells of the row before.
"""

from __future__ import annotations

import re

from ...errors import SourceError
from ..blocks import Block, Cell, Place, Row, Table, TextLine
from ..markup import Marked, MarkupError

_DASHES = re.compile(r"^[-\s]*-[-\s]*$")


def read_lines(lines: list[str], path: str) -> list[Block]:
    blocks: list[Block] = []
    table: Table | None = None
    after_break = False
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            after_break = True
            continue
        if "\t" in line:
            cells = line.split("\t")
            if all(_DASHES.match(c) or not c.strip() for c in cells):
                table = None          # a rule of dashes (or a row of nothing) ends the table
            else:
                place = Place(line=n)
                row = Row([Cell(_marked(c, n, path), place.with_cell(i))
                           for i, c in enumerate(cells, start=1)], place, after_break)
                if table is None:
                    table = Table([], place, number=sum(isinstance(b, Table) for b in blocks) + 1,
                                  breaks=True)
                    blocks.append(table)
                table.rows.append(row)
        else:
            table = None
            text = line.strip()
            if not _DASHES.match(text):
                blocks.append(TextLine(_marked(text, n, path), Place(line=n)))
        after_break = False
    return blocks


def _marked(raw: str, line: int, path: str) -> Marked:
    try:
        return Marked.parse(raw)
    except MarkupError as e:
        raise SourceError(str(e), path=path, line=line) from None
