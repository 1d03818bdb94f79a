"""PDF with a text layer → blocks, with pdfplumber (characters with their coordinates, and the
ruling lines). Each page is read as geometry (pdf_page.py); this module puts the pages together:

- **Page furniture goes**: a line that holds a page number (12, 3/9, - 3 -, 第3頁), a date stamp
  or a file address, and a line repeated at the same height on most pages (a running title).
- **Tables go on over page breaks**: a table piece that is the first thing on a page, after a
  page that ended with a piece of the same columns, continues that table. A header row repeated
  at the top of the piece (a printed `<thead>`) is dropped. Where the previous page's piece is
  open at the bottom in a column (no rule under it: the cell was cut by the page's edge), the
  cell goes on: its text is joined to the cell it continues, and a row whose every cell goes on
  is no row of its own. Where the geometry proves nothing (every column closed), the first row
  after the break is marked `after_break`, for the layout to judge.
- **Paragraphs outside the tables** are rebuilt from their lines: a line that fills the width
  and is followed closely by one starting at the left margin goes on in it, across a page too.
- Errors: a file that is not a PDF, or cut short (no %%EOF), a page with no text layer (a scan),
  glyphs without Unicode in the text layer: each a one-line error with its page.
"""

from __future__ import annotations

import bisect
import io
import logging
import re
from collections import Counter
from dataclasses import dataclass

import pdfplumber
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException

from ..blocks import Block, Cell, Place, Row, Table, TextLine
from ..markup import Marked
from .common import error
from .pdf_page import Page, Piece, TextRow, page_content, read_page

_FURNITURE = [re.compile(p, re.IGNORECASE) for p in (
    r"[-–—]?\s*\d+\s*[-–—]?",                              # 3, - 3 -
    r"\d+\s*(/|of)\s*\d+",                                 # 3/9, 3 of 9
    r"(page|p\.)\s*\d+(\s*(/|of)\s*\d+)?",                 # Page 3 of 9
    r"第\s*\d+\s*頁(\s*[，,、]?\s*共\s*\d+\s*頁)?",          # 第3頁，共9頁
    r"共\s*\d+\s*頁\s*[，,、]?\s*第\s*\d+\s*頁",
    r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}(,?\s+\d{1,2}:\d{2}(:\d{2})?(\s*[ap]\.?m\.?)?)?",  # a date
    r"(file|https?)://\S*",                                # the printed file's address
)]


# the number an enumerated item starts with: 四、 十一、 (二) （二） 3. ３． 3、
_ITEM = re.compile(r"\s*([一二三四五六七八九十百]+、|[(（][一二三四五六七八九十百\d]+[)）]"
                   r"|[\d０-９]+[.．、])")


def read_bytes(data: bytes, path: str) -> list[Block]:
    if b"%PDF-" not in data[:1024]:
        raise error("not a PDF (no %PDF- header)", path)
    if b"%%EOF" not in data[-2048:]:
        raise error("the PDF is cut short: it does not end with %%EOF (truncated download or "
                    "copy?)", path)
    pages = _pages(data, path)
    furniture = _furniture(pages)
    for page in pages:
        _take_overflow(page, furniture)
    return _Assembler(pages, furniture).blocks()


def _pages(data: bytes, path: str) -> list[Page]:
    # pdfminer warns about fonts on stderr: nothing the user can act on, so not shown
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return _read_pages(data, path)
    finally:
        logger.setLevel(level)


def _read_pages(data: bytes, path: str) -> list[Page]:
    pages: list[Page] = []
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PdfminerException, PDFSyntaxError, PSException) as e:
        raise error(f"not a readable PDF: {_reason(e)}", path) from None
    with pdf:
        any_text = False
        try:
            count = len(pdf.pages)
        except (PdfminerException, PDFSyntaxError, PSException) as e:
            raise error(f"not a readable PDF: {_reason(e)}", path) from None
        for n in range(1, count + 1):
            place = Place(page=n)
            try:
                page = pdf.pages[n - 1]
                content = page_content(page.layout)
            except (PdfminerException, PDFSyntaxError, PSException) as e:
                raise error(f"this page cannot be read: {_reason(e)}", path, place) from None
            if content.unmapped is not None:
                raise error(f"the text layer has glyphs without Unicode (font {content.unmapped})"
                            ": the text cannot be read from it; export the PDF with its text, "
                            "or OCR it", path, place)
            if not content.chars and content.images:
                raise error("no text layer: scanned? OCR it first", path, place)
            any_text = any_text or bool(content.chars)
            pages.append(read_page(content, n))
            page.close()
        if not any_text:
            raise error("no text layer: scanned? OCR it first", path, Place(page=1))
    return pages


def _reason(e: Exception) -> str:
    inner = e.args[0] if isinstance(e, PdfminerException) and e.args else e
    return f"{type(inner).__name__} {inner}".strip()


def _furniture(pages: list[Page]) -> set[int]:
    """ids of the text rows that are page furniture, not the document's text."""
    out: set[int] = set()
    seen: Counter[tuple[int, str]] = Counter()
    keys: dict[int, tuple[int, str]] = {}
    for page in pages:
        on_page = set()
        for row in page.lines:
            if any(any(p.fullmatch(s) for p in _FURNITURE) for s in row.segments() if s):
                out.add(id(row))
            key = (round(row.top / 3), re.sub(r"\d+", "#", "".join(row.segments())))
            keys[id(row)] = key
            on_page.add(key)
        seen.update(on_page)
    if len(pages) >= 2:
        for row_id, key in keys.items():
            if seen[key] >= max(2, len(pages) / 2):
                out.add(row_id)
    return out


def _take_overflow(page: Page, furniture: set[int]) -> None:
    """Text drawn just below a table piece that the page's edge cut open belongs to the cut
    cell: Chromium paints the rest of a cell spanning rows past the page's last row."""
    if not page.pieces:
        return
    piece = page.pieces[-1]
    bottom = piece.ys[-1]
    if all(piece.closed_bottom):
        return
    below = sorted((r for r in page.lines
                    if id(r) not in furniture and (r.top + r.bottom) / 2 >= bottom),
                   key=lambda r: r.top)
    for row in below:
        if row.top - bottom > row.size:
            break
        columns = [bisect.bisect(piece.xs, ch.cx) - 1 for ch in row.chars]
        if any(not 0 <= c < len(piece.xs) - 1 or piece.closed_bottom[c] for c in columns):
            break
        last = len(piece.ys) - 2
        for ch, c in zip(row.chars, columns, strict=True):
            piece.chars.setdefault(piece.region[last][c], []).append(ch)
        page.lines.remove(row)
        bottom = row.bottom


@dataclass
class _OpenTable:
    table: Table
    piece: Piece
    header: list[str]

    def tail(self, column: int) -> Cell | None:
        """The cell the last row shows in this column (the one a spanned cell belongs to)."""
        for row in reversed(self.table.rows):
            if column < len(row.cells) and not row.cells[column].spanned:
                return row.cells[column]
        return None


class _Assembler:
    def __init__(self, pages: list[Page], furniture: set[int]):
        self.pages = pages
        self.furniture = furniture
        self.out: list[Block] = []
        self.table: _OpenTable | None = None
        self.paragraph: list[TextRow] = []
        self.paragraph_place = Place()
        self.tables = 0
        self.paragraphs = 0
        rows = [part for p in pages for r in p.lines if id(r) not in furniture
                for part in r.split()]
        edges = [x for p in pages for piece in p.pieces for x in (piece.xs[0], piece.xs[-1])]
        self.left = min([r.x0 for r in rows] + edges, default=0.0)
        self.right = max([r.x1 for r in rows] + edges, default=0.0)

    def blocks(self) -> list[Block]:
        last_was_table = False
        for page in self.pages:
            rows = [part for r in page.lines if id(r) not in self.furniture
                    for part in r.split()]
            items: list[TextRow | Piece] = [*rows, *page.pieces]
            items.sort(key=lambda item: (item.top, item.x0))
            for k, item in enumerate(items):
                if isinstance(item, TextRow):
                    self.text_row(item, page.number, first=k == 0)
                    last_was_table = False
                else:
                    self.end_paragraph()
                    continues = (k == 0 and last_was_table and self.table is not None
                                 and _same_columns(self.table.piece, item))
                    if continues:
                        self.continue_table(item, page)
                    else:
                        self.start_table(item, page)
                    last_was_table = True
        self.end_paragraph()
        return self.out

    # -- paragraphs -----------------------------------------------------------------------------

    def text_row(self, row: TextRow, page: int, first: bool) -> None:
        self.table = None
        if self.paragraph and self.goes_on(self.paragraph[-1], row, first):
            self.paragraph.append(row)
            return
        self.end_paragraph()
        self.paragraphs += 1
        self.paragraph, self.paragraph_place = [row], Place(page=page, paragraph=self.paragraphs)

    def goes_on(self, before: TextRow, row: TextRow, first_on_page: bool) -> bool:
        """Whether a line carries on the paragraph of the line before: that one fills the
        width, this one starts at the left margin, close below (or at the top of the next page),
        in the same size, and not with an item's number (一、 (二) 3.), which starts a new one
        even after a line that happens to end at the margin."""
        size = max(before.size, row.size)
        return (abs(before.size - row.size) < 0.5
                and before.x1 >= self.right - 1.5 * size
                and row.x0 <= self.left + 0.5 * size
                and (first_on_page or row.top - before.bottom < 0.8 * size)
                and not _ITEM.match(row.marked().text))

    def end_paragraph(self) -> None:
        if self.paragraph:
            text = _join([r.marked() for r in self.paragraph])
            if text.text.strip():
                self.out.append(TextLine(text, self.paragraph_place))
        self.paragraph = []

    # -- tables ---------------------------------------------------------------------------------

    def start_table(self, piece: Piece, page: Page) -> None:
        self.tables += 1
        # breaks: the form marks its page breaks (a row the geometry cannot join is after_break)
        table = Table([], Place(page=page.number, table=self.tables), number=self.tables,
                      breaks=True)
        self.out.append(table)
        self.table = _OpenTable(table, piece, [])
        self.add_rows(piece, page, start=0, going_on=None, broken=False)
        if table.rows:
            self.table.header = _texts(table.rows[0])

    def continue_table(self, piece: Piece, page: Page) -> None:
        assert self.table is not None
        previous = self.table.piece
        columns = len(piece.xs) - 1
        first = [piece.text(0, c) if piece.origin(0, c) else Marked.plain("")
                 for c in range(columns)]
        repeated = bool(self.table.header) and [_bare(m.text) for m in first] == self.table.header
        start = 1 if repeated else 0
        going_on = _cut(previous)
        self.table.piece = piece
        if start >= len(piece.ys) - 1:
            return
        if _merges(previous, len(previous.ys) - 2) != _merges(piece, start):
            # a cell cut by the page goes on merged across the same columns: a row whose cells
            # are merged otherwise (an area's heading across the table, then a row of four
            # cells) starts anew, whatever the rules say (Chromium leaves the rule under a
            # heading at a page's foot undrawn)
            going_on = [False] * columns
        self.add_rows(piece, page, start, going_on if any(going_on) else None, broken=True)

    def add_rows(self, piece: Piece, page: Page, start: int, going_on: list[bool] | None,
                 broken: bool) -> None:
        """The piece's bands from `start` as rows. going_on: per column, whether the first band's
        cell continues the cell above the page break (None: the geometry does not say). broken:
        the piece continues a table from the page before."""
        assert self.table is not None
        table = self.table.table
        columns = len(piece.xs) - 1
        origins: dict[int, Cell] = {}
        for band in range(start, len(piece.ys) - 1):
            place = Place(page=page.number, table=table.number, row=len(table.rows) + 1)
            cells = []
            for c in range(columns):
                at = place.with_cell(c + 1)
                region = piece.region[band][c]
                if region in origins:
                    cells.append(Cell(Marked.plain(""), at, spanned=True))
                elif band == start and going_on and going_on[c] and (
                        above := self.table.tail(c)) is not None:
                    above.text = _join([above.text, piece.text(band, c)])
                    origins[region] = above
                    cells.append(Cell(Marked.plain(""), at, spanned=True))
                else:
                    cell = Cell(piece.text(band, c), at)
                    origins[region] = cell
                    cells.append(cell)
            if band == start and going_on is not None and all(going_on):
                continue   # the row cut by the page break, joined to its first part
            if not any(cell.text.text.strip() for cell in cells):
                continue   # no text: the room between cells drawn as boxes of their own
            after_break = broken and band == start and going_on is None
            table.rows.append(Row(cells, place, after_break=after_break))


def _cut(piece: Piece) -> list[bool]:
    """Per column, whether the page's edge cut the cell at the bottom of the piece: its text
    goes on over the page. A rule under it closes a cell; so does having no text (where cells
    are boxes apart from one another, the room under the last box is no cell). The top of the
    next piece proves nothing: Chromium draws no rule over a page's first row when no header
    repeats."""
    last = len(piece.ys) - 2
    return [not piece.closed_bottom[c] and bool(piece.text(last, c).text.strip())
            for c in range(len(piece.xs) - 1)]


def _merges(piece: Piece, band: int) -> list[int]:
    """The columns at which a band's cells start (one per cell merged across columns)."""
    regions = piece.region[band]
    return [c for c in range(len(regions)) if c == 0 or regions[c] != regions[c - 1]]


def _same_columns(a: Piece, b: Piece) -> bool:
    return len(a.xs) == len(b.xs) and all(abs(x - y) <= 2.0 for x, y in zip(a.xs, b.xs,
                                                                             strict=True))


def _texts(row: Row) -> list[str]:
    return [_bare(c.text.text) for c in row.cells]


def _bare(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _join(parts: list[Marked]) -> Marked:
    """Pieces of one text cut by line or page breaks: joined without a break, with a space only
    where two words of Latin script meet."""
    text = ""
    under: tuple[bool, ...] = ()
    for part in parts:
        if not part.text:
            continue
        if text and text[-1].isascii() and text[-1].isalnum() and part.text[0].isascii() \
                and part.text[0].isalnum():
            text, under = text + " ", under + (False,)
        text, under = text + part.text, under + part.under
    return Marked(text, tuple(under))
