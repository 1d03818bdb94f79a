"""Box-drawn text: tables drawn with ┌─┬─┐ │ ├─┼─┤ └─┴─┘, as the Ministry of Justice's
regulations system prints point 肆 of each version; headings and point 陸 are plain lines
between the tables.

How such a table is written:

- Cells are cut at a fixed display width, with no line-breaking rules: a line may start with ，or
  。, a name may break in the middle. A CJK character or full-width punctuation takes two columns,
  ASCII one; the box-drawing characters take two where the rendering is East Asian (one ─ is one
  full-width unit) and one where it is not (found from the table itself). Cells are padded with
  ASCII spaces.
- A numbered item starts at the cell's left edge; its continuation lines carry a hanging indent.
- A cell spanning several rows (a strategy over its measures) leaves its column without a rule
  (─) on the rule lines between them; its text may go on over those lines.
- Stored copies may have had full-width punctuation turned into ASCII after the table was laid
  out, so a line's rules (│) can stand a column or more left of where the rule lines put them.

So cells are found by the vertical rules present on each line, not by computed widths alone:
a line with every rule of the table is read rule by rule; widths only place the rules of a line
that has fewer (a cell spanning columns), allowing for the drift that punctuation made ASCII
causes. A line whose rules do not line up with the rule lines above and below it is an error
naming the line: text never lands in the wrong cell.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from ...errors import SourceError
from ..blocks import Block, Cell, Place, Row, Table, TextLine
from ..markup import Marked

_VERTICAL = set("│├┤┼┬┴┌┐└┘┃┣┫╋┳┻┏┓┗┛║╠╣╬╦╩╔╗╚╝")
_HORIZONTAL = set("─━═")
_DOWN = set("│├┤┼┬┌┐┃┣┫╋┳┏┓║╠╣╬╦╔╗")     # junctions with a stroke going down
_UP = set("│├┤┼┴└┘┃┣┫╋┻┗┛║╠╣╬╩╚╝")       # … and going up
_TOP_LEFT, _BOTTOM_LEFT = set("┌┏╔"), set("└┗╚")
_LEFT = set("│├┌└┃┣┏┗║╠╔╚")
_RIGHT = set("│┤┐┘┃┫┓┛║╣╗╝")
_ITEM = re.compile(r"^(?:[\d０-９]+[.．]|[(（][零〇一二兩三四五六七八九十百千]+[)）]|"
                   r"[零〇一二兩三四五六七八九十百千]+、)")
_PUNCT_ASCII = set(",.;:!?()[]\"'")


def read_lines(lines: list[str], path: str, first: int = 1) -> list[Block]:
    """The blocks of box-drawn text; `first` is the number of its first line (1 for a file,
    more for text inside another form, such as a <pre> of an HTML page)."""
    blocks: list[Block] = []
    offset = first - 1
    n = 0
    while n < len(lines):
        line = lines[n]
        text = line.strip()
        if text and text[0] in _TOP_LEFT:
            end = _table_end(lines, n, path, offset)
            number = sum(isinstance(b, Table) for b in blocks) + 1
            blocks.append(_Table(lines[n:end + 1], n + 1 + offset, number, path).read())
            n = end + 1
            continue
        if text and (text[0] in _VERTICAL or text[-1] in _VERTICAL) and \
                _box_line(text):
            raise SourceError("a line of a box-drawn table outside any table (no ┌…┐ top "
                              "border before it): is the table's top border missing?",
                              path=path, line=n + 1 + offset)
        if text:
            blocks.append(TextLine(Marked.plain(text), Place(line=n + 1 + offset)))
        n += 1
    return blocks


def _box_line(text: str) -> bool:
    """A line drawn as part of a table (rules, or cells between │), not text that merely
    holds a box character."""
    rules = sum(c in _VERTICAL for c in text)
    return rules >= 2 or any(c in _HORIZONTAL for c in text)


def _table_end(lines: list[str], start: int, path: str, offset: int) -> int:
    """The index of the bottom border (└…┘) of the table whose top border is at `start`."""
    top = start + 1 + offset
    for n in range(start + 1, len(lines)):
        text = lines[n].strip()
        if text and text[0] in _BOTTOM_LEFT:
            return n
        if text and text[0] in _TOP_LEFT:
            break
        if not text:
            continue          # a blank line inside a table (a page break of a printed copy)
        if not (text[0] in _VERTICAL or text[-1] in _VERTICAL or
                any(c in _HORIZONTAL for c in text)):
            raise SourceError(f"the box-drawn table that starts at line {top} has no bottom "
                              f"border (└…┘) before this line: is a border missing?",
                              path=path, line=n + 1 + offset)
    raise SourceError(f"the box-drawn table that starts at line {top} has no bottom border "
                      "(└…┘): is the document cut short, or a border missing?",
                      path=path, line=len(lines) + offset)


# -- one table ------------------------------------------------------------------------------------

@dataclass
class _Piece:
    """The text between two rules of one line: where it starts, what it covers."""

    raw: str
    first: int            # grid columns it covers: first .. last
    last: int


@dataclass
class _Line:
    number: int           # 1-based line number
    text: str
    rule: bool            # a rule line (has a run of ─ in some column)
    bounds: list[int]     # the grid boundaries its vertical rules stand on
    junctions: dict[int, str]
    pieces: list[_Piece]


@dataclass
class _GridCell:
    row: int
    col: int
    span: int
    lines: list[tuple[int, str]] = field(default_factory=list)   # (line number, raw piece)


class _Table:
    def __init__(self, raw: list[str], first: int, number: int, path: str):
        self.raw = raw
        self.start = first - 1          # raw[i] is line start + i + 1
        self.number = number
        self.path = path
        self.wide = self.box_width()

    def error(self, message: str, line: int) -> SourceError:
        return SourceError(message, path=self.path, line=line,
                           place=Place(line=line, table=self.number))

    # -- widths and columns -----------------------------------------------------------------------

    def box_width(self) -> int:
        """2 where box characters take two columns (as CJK does), 1 where they take one: the
        width under which the rules of full content lines stand where the top border's do."""
        top = self.raw[0].strip()
        scores = {}
        for wide in (2, 1):
            border = _positions(top, wide)
            hits = 0
            for text in self.raw[1:40]:      # the first lines say it
                t = text.strip()
                if t and t[0] == "│":
                    hits += len(set(_positions(t, wide)) & set(border))
            scores[wide] = hits
        return 2 if scores[2] >= scores[1] else 1

    def read(self) -> Table:
        bounds = self.grid()
        parsed = [self.parse(self.start + i + 1, text.strip(), bounds)
                  for i, text in enumerate(self.raw) if text.strip()]
        return self.cells(parsed, len(bounds) - 1)

    def grid(self) -> list[int]:
        """The column boundaries: where the rules of the rule lines stand (those lines hold no
        text that punctuation made ASCII could have shifted, unless a spanning cell's)."""
        found: dict[int, int] = {}
        for i, text in enumerate(self.raw):
            t = text.strip()
            if not t:
                continue
            if i == 0 or i == len(self.raw) - 1 or all(c in _VERTICAL or c in _HORIZONTAL
                                                        or c == " " for c in t):
                for p in _positions(t, self.wide):
                    found[p] = found.get(p, 0) + 1
        bounds = sorted(found)
        if len(bounds) < 2:
            raise self.error("a box-drawn table without columns", self.start + 1)
        return bounds

    def parse(self, number: int, text: str, bounds: list[int]) -> _Line:
        if text[0] not in _LEFT:
            raise self.error("a line of a box-drawn table without its left border (│)", number)
        if text[-1] not in _RIGHT:
            raise self.error("a line of a box-drawn table without its right border (│)", number)
        cuts = [i for i, c in enumerate(text) if c in _VERTICAL]
        raws = [text[a + 1:b] for a, b in zip(cuts, cuts[1:], strict=False)]
        if len(cuts) == len(bounds):
            at = list(range(len(bounds)))        # every rule there: read them in order
        else:
            at = self.place_rules(number, _positions(text, self.wide), raws, bounds)
        rule = any(r and all(c in _HORIZONTAL for c in r.strip()) and r.strip() for r in raws)
        pieces = [_Piece(raw, at[k], at[k + 1] - 1) for k, raw in enumerate(raws)]
        junctions = {at[k]: text[c] for k, c in enumerate(cuts)}
        return _Line(number, text, rule, at, junctions, pieces)

    def place_rules(self, number: int, positions: list[int], raws: list[str],
                    bounds: list[int]) -> list[int]:
        """The boundary each rule of a line with fewer rules than the table stands on, allowing
        for a drift to the left as wide as the ASCII punctuation before it."""
        at = [0]
        drift = 0
        for k in range(1, len(positions)):
            slack = sum(c in _PUNCT_ASCII for c in raws[k - 1]) + 1
            want = positions[k] + drift
            options = [(abs(b - want), i) for i, b in enumerate(bounds)
                       if i > at[-1] and -1 <= b - want <= slack]
            if not options:
                raise self.error("a │ in this line stands under no column rule of the table: a "
                                 "missing or extra │?", number)
            _, i = min(options)
            drift = bounds[i] - positions[k]
            at.append(i)
        if at[-1] != len(bounds) - 1:
            raise self.error("this line ends before the table's right border: a missing │?",
                             number)
        return at

    # -- cells ----------------------------------------------------------------------------------

    def cells(self, lines: list[_Line], columns: int) -> Table:
        open_: dict[int, _GridCell] = {}       # column → the cell open in it
        rows: list[list[_GridCell]] = []        # cells by the row they start in
        row_lines: list[list[int]] = []
        started = False
        previous = lines[0]
        for line in lines[1:]:
            if line.rule:
                self.check(previous, line, up=True)
                for piece in line.pieces:
                    if all(c in _HORIZONTAL for c in piece.raw.strip()) and piece.raw.strip():
                        for c in range(piece.first, piece.last + 1):
                            open_.pop(c, None)
                    else:                       # a cell spanning on through this rule line
                        cell = open_.get(piece.first)
                        if cell is None:
                            raise self.error("text on a rule line in a column with no cell "
                                             "above it to span on", line.number)
                        if piece.raw.strip():
                            cell.lines.append((line.number, piece.raw))
                started = False
                previous = line
                continue
            self.check(previous, line, up=False)
            if not started:
                rows.append([])
                row_lines.append([])
                started = True
            row_lines[-1].append(line.number)
            for piece in line.pieces:
                cell = open_.get(piece.first)
                if cell is None or cell.span != piece.last - piece.first + 1:
                    if cell is not None:
                        raise self.error("a cell of this line spans other columns than the cell "
                                         "above it: a missing or extra │?", line.number)
                    cell = _GridCell(len(rows) - 1, piece.first, piece.last - piece.first + 1)
                    for c in range(piece.first, piece.last + 1):
                        open_[c] = cell
                    rows[-1].append(cell)
                cell.lines.append((line.number, piece.raw))
            previous = line
        return self.table(rows, row_lines, columns)

    def check(self, above: _Line, line: _Line, up: bool) -> None:
        """The rules of a line stand where the line above lets them go on: a junction of the
        line above goes down at each of them (and for a rule line, each of the line above's
        goes on into one of its own)."""
        downs = {b for b, j in above.junctions.items() if j in _DOWN}
        mine = set(line.junctions) if not up else {b for b, j in line.junctions.items()
                                                   if j in _UP}
        if downs != mine:
            missing = sorted(downs - mine)
            what = "a missing │" if missing else "an extra │"
            raise self.error(f"the cells of this line do not line up with the line above it: "
                             f"{what}?", line.number)

    def table(self, rows: list[list[_GridCell]], row_lines: list[list[int]],
              columns: int) -> Table:
        # the left edge and the padding of each column, for reading wrapped lines
        indent: dict[int, int] = {}
        tail: dict[int, int] = {}
        for row in rows:
            for cell in row:
                for _, raw in cell.lines:
                    if raw.strip():
                        lead = len(raw) - len(raw.lstrip(" "))
                        trail = len(raw) - len(raw.rstrip(" "))
                        indent[cell.col] = min(indent.get(cell.col, lead), lead)
                        tail[cell.col] = min(tail.get(cell.col, trail), trail)
        out: list[Row] = []
        starts: dict[int, _GridCell] = {}
        for r, row in enumerate(rows):
            for cell in row:
                for c in range(cell.col, cell.col + cell.span):
                    starts[c] = cell
            lines = row_lines[r]
            place = Place(line=lines[0], last_line=lines[-1], table=self.number, row=r + 1)
            cells: list[Cell] = []
            for c in range(columns):
                found = starts.get(c)
                where = Place(line=lines[0], last_line=lines[-1], table=self.number, row=r + 1,
                              cell=c + 1)
                if found is None:
                    raise self.error("a column with no cell in this row", lines[0])
                cell = found
                if cell.row != r or cell.col != c:
                    cells.append(Cell(Marked.plain(""), where, spanned=True))
                    continue
                numbers = [n for n, _ in cell.lines]
                text = _join(cell.lines, indent.get(c, 0), tail.get(c, 0))
                cells.append(Cell(Marked.plain(text),
                                  Place(line=numbers[0], last_line=numbers[-1],
                                        table=self.number, row=r + 1, cell=c + 1)))
            out.append(Row(cells, place))
        return Table(out, Place(line=self.start + 1, table=self.number), number=self.number)


def _join(lines: list[tuple[int, str]], indent: int, tail: int) -> str:
    """A cell's lines as its text: a wrapped line goes on with no space (a line is cut at the
    column's width, mid-word or before ，); a numbered item at the cell's left edge starts a new
    paragraph; between ASCII words, a line that stopped short of the width was cut at a space."""
    text = ""
    short = False
    for _, raw in lines:
        if not raw.strip():
            continue
        lead = len(raw) - len(raw.lstrip(" "))
        piece = raw.strip()
        if text:
            if lead <= indent and _ITEM.match(piece):
                text += "\n"
            elif short and text[-1].isascii() and text[-1].isalnum() and piece[0].isascii() \
                    and piece[0].isalnum():
                text += " "
        text += piece
        short = len(raw) - len(raw.rstrip(" ")) > tail
    return text


@functools.lru_cache(maxsize=4096)
def _width(ch: str, wide: int) -> int:
    if "\u2500" <= ch <= "\u257f":
        return wide
    eaw = unicodedata.east_asian_width(ch)
    if eaw in "WF":
        return 2
    if eaw == "A":
        return wide
    return 1


def _positions(text: str, wide: int) -> list[int]:
    """The display columns at which the vertical rules of a line stand."""
    out = []
    col = 0
    for ch in text:
        if ch in _VERTICAL:
            out.append(col)
        col += _width(ch, wide)
    return out
