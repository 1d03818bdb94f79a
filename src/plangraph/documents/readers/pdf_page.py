"""One page of a PDF as geometry: its characters, its ruling lines, the table pieces the rules
draw, and the lines of text outside them.

Coordinates are pdfplumber's: points, x from the left, y from the top of the page.

- A ruling segment is a thin filled rectangle, a stroked line, or an edge of a stroked box.
- A horizontal segment is a table rule when both its ends reach a vertical segment, unless it
  runs from where a character starts to where one ends, just under their baseline: that is
  their underline, even in a cell padded by a pixel. Any other segment lying just under the
  baseline of characters above it underlines them (a PDF printed from HTML draws `<u>` so); a
  strikethrough lies above the baseline and is neither.
- Rules that touch one another form a table piece. Its column boundaries are the x of its
  vertical rules, its row boundaries the y of its horizontal rules (and the top and bottom of its
  vertical rules, where a row is cut by the page's edge). Neighbouring grid cells with no rule
  between them are one merged cell (a rowspan or a colspan).
- Each character goes to the cell its centre falls in, so a text layer that interleaves the cells
  of a row (as most do) is sorted out by position, not by the order of the text stream.
"""

from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from pdfminer.layout import LTChar, LTCurve, LTFigure, LTImage, LTPage, LTRect

from ..markup import Marked, is_cjk
from .radicals import SUPPLEMENT

RULE_MAX = 2.5       # pt: thicker than this, a rectangle is a box, not a rule
TOUCH = 1.0          # pt: how near a rule's end must come to a crossing rule
GAP = 4.0            # pt: rules this close are one boundary (cells drawn as boxes of their own,
                     # a little apart, border-collapse: separate, give two rules per boundary)


def normalise_char(ch: str) -> str:
    """Kangxi radicals, CJK radicals and compatibility ideographs → the unified ideograph (⾏ →
    行, ⺠ → 民). Only these: full-width punctuation and parentheses keep their forms (not all
    of NFKC). The Kangxi radicals and compatibility ideographs have theirs in NFKC; the
    Supplement's are in radicals.py."""
    o = ord(ch)
    if 0x2E80 <= o <= 0x2EFF:
        return SUPPLEMENT.get(ch, ch)
    if (0x2F00 <= o <= 0x2FDF or 0xF900 <= o <= 0xFAFF or 0x2F800 <= o <= 0x2FA1F
            or 0xFB00 <= o <= 0xFB06):   # and Latin ligatures (ﬁ), which a layer may give too
        return unicodedata.normalize("NFKC", ch)
    return ch


@dataclass
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    base: float          # the baseline
    size: float
    under: bool = False

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Segment:
    """An axis-parallel ruling segment: horizontal (at y = a, from b0 to b1) or vertical (at
    x = a, from b0 to b1)."""

    horizontal: bool
    a: float
    b0: float
    b1: float

    def covers(self, position: float, slack: float = 0.0) -> bool:
        return self.b0 - slack <= position <= self.b1 + slack


@dataclass
class Piece:
    """A table's part on one page: a grid of bands (rows) and columns with merged regions."""

    xs: list[float]
    ys: list[float]
    region: list[list[int]]                 # [band][column] → region id
    chars: dict[int, list[Char]] = field(default_factory=dict)
    closed_bottom: list[bool] = field(default_factory=list)   # per column: a rule at the bottom

    @property
    def top(self) -> float:
        return self.ys[0]

    @property
    def x0(self) -> float:
        return self.xs[0]

    def origin(self, band: int, column: int) -> bool:
        """Whether this grid cell is the top-left one of its region (it holds the text)."""
        rid = self.region[band][column]
        for b in range(band + 1):
            for c in range(len(self.xs) - 1):
                if self.region[b][c] == rid:
                    return (b, c) == (band, column)
        return False

    def text(self, band: int, column: int) -> Marked:
        return cell_text(self.chars.get(self.region[band][column], []))


@dataclass
class TextRow:
    """A line of text outside the tables, as characters."""

    chars: list[Char]

    @property
    def top(self) -> float:
        return min(c.top for c in self.chars)

    @property
    def x0(self) -> float:
        return min(c.x0 for c in self.chars)

    @property
    def x1(self) -> float:
        return max(c.x1 for c in self.chars)

    @property
    def size(self) -> float:
        return max(c.size for c in self.chars)

    @property
    def bottom(self) -> float:
        return max(c.bottom for c in self.chars)

    def split(self) -> list[TextRow]:
        """The line cut where characters are far apart: side by side boxes of text (a page
        header's left, centre and right; a navigation column beside the text)."""
        out, current = [], [self.chars[0]]
        for a, b in zip(self.chars, self.chars[1:], strict=False):
            if b.x0 - a.x1 > 2 * max(a.size, b.size):
                out.append(TextRow(current))
                current = []
            current.append(b)
        out.append(TextRow(current))
        return [row for row in out if "".join(c.text for c in row.chars).strip()]

    def segments(self) -> list[str]:
        return ["".join(c.text for c in row.chars).strip() for row in self.split()]

    def marked(self) -> Marked:
        return cell_text(self.chars)


@dataclass
class Page:
    number: int
    pieces: list[Piece]
    lines: list[TextRow]


@dataclass
class Content:
    """What a page draws, as the reader needs it: characters, ruling segments, images."""

    chars: list[Char] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    images: int = 0
    unmapped: str | None = None    # the font of a glyph the text layer gives no Unicode for


def page_content(layout: LTPage) -> Content:
    """The layout objects of a page (pdfminer.six's, as pdfplumber runs it), in pdfplumber's
    coordinates (from the top left of the page)."""
    top, left = layout.y1, layout.x0
    out = Content()

    def walk(container: Any) -> None:
        for obj in container:
            if isinstance(obj, LTChar):
                text = obj.get_text()
                if text.startswith("(cid:"):
                    out.unmapped = out.unmapped or obj.fontname
                elif obj.upright and text:
                    size = obj.size or (obj.y1 - obj.y0) or 10.0
                    out.chars.append(Char(
                        normalise_char(text) if len(text) == 1 else text, obj.x0 - left,
                        obj.x1 - left, top - obj.y1, top - obj.y0, top - obj.matrix[5], size))
            elif isinstance(obj, LTRect):
                _box(obj.x0 - left, top - obj.y1, obj.x1 - left, top - obj.y0, obj.stroke,
                     out.segments)
            elif isinstance(obj, LTCurve):   # lines and other paths
                _polyline([(x - left, top - y) for x, y in obj.pts], out.segments)
            elif isinstance(obj, LTImage):
                out.images += 1
            elif isinstance(obj, LTFigure):
                walk(obj)

    walk(layout)
    return out


def read_page(content: Content, number: int) -> Page:
    chars = content.chars
    segments = content.segments
    verticals = [s for s in segments if not s.horizontal]
    rules: list[Segment] = []
    underlines: list[Segment] = []
    starts, ends = _char_edges(chars)
    for s in (s for s in segments if s.horizontal):
        if _reaches_verticals(s, verticals) and not _underline_shaped(s, starts, ends):
            rules.append(s)
        else:
            underlines.append(s)
    _mark_underlines(chars, underlines)
    pieces = [p for group in _connected(rules + verticals) if (p := _piece(group)) is not None]
    outside: list[Char] = []
    for ch in chars:
        for piece in pieces:
            if piece.xs[0] <= ch.cx <= piece.xs[-1] and piece.ys[0] <= ch.cy <= piece.ys[-1]:
                band = min(bisect.bisect(piece.ys, ch.cy) - 1, len(piece.ys) - 2)
                column = min(bisect.bisect(piece.xs, ch.cx) - 1, len(piece.xs) - 2)
                piece.chars.setdefault(piece.region[band][column], []).append(ch)
                break
        else:
            outside.append(ch)
    pieces.sort(key=lambda p: p.top)
    return Page(number, pieces, [TextRow(line) for line in lines_of(outside)])


def _box(x0: float, top: float, x1: float, bottom: float, stroked: bool,
         out: list[Segment]) -> None:
    """A rectangle: a rule if thin, else a box whose edges are rules if it is stroked (a filled
    one is a background)."""
    w, h = x1 - x0, bottom - top
    if h <= RULE_MAX and w > h:
        out.append(Segment(True, (top + bottom) / 2, x0, x1))
    elif w <= RULE_MAX and h > w:
        out.append(Segment(False, (x0 + x1) / 2, top, bottom))
    elif stroked:
        out.extend([Segment(True, top, x0, x1), Segment(True, bottom, x0, x1),
                    Segment(False, x0, top, bottom), Segment(False, x1, top, bottom)])


def _polyline(points: list[tuple[float, float]], out: list[Segment]) -> None:
    """The axis-parallel pieces of a drawn path."""
    for (xa, ya), (xb, yb) in zip(points, points[1:], strict=False):
        if abs(ya - yb) <= 0.5 and abs(xa - xb) > 0.5:
            out.append(Segment(True, (ya + yb) / 2, min(xa, xb), max(xa, xb)))
        elif abs(xa - xb) <= 0.5 and abs(ya - yb) > 0.5:
            out.append(Segment(False, (xa + xb) / 2, min(ya, yb), max(ya, yb)))


def _reaches_verticals(h: Segment, verticals: list[Segment]) -> bool:
    """Both ends of a horizontal segment end at (or cross) a vertical one: a table rule."""
    def reached(x: float) -> bool:
        return any(abs(v.a - x) <= TOUCH + RULE_MAX / 2 and v.covers(h.a, TOUCH + RULE_MAX / 2)
                   for v in verticals)
    return reached(h.b0) and reached(h.b1)


def _char_edges(chars: list[Char]) -> tuple[dict[int, list[Char]], dict[int, list[Char]]]:
    """Characters by where they start and end (to the half point), to match segments' ends."""
    starts: dict[int, list[Char]] = {}
    ends: dict[int, list[Char]] = {}
    for ch in chars:
        starts.setdefault(round(ch.x0 * 2), []).append(ch)
        ends.setdefault(round(ch.x1 * 2), []).append(ch)
    return starts, ends


def _underline_shaped(h: Segment, starts: dict[int, list[Char]],
                      ends: dict[int, list[Char]]) -> bool:
    """A horizontal segment that begins where a character begins and ends where one on the
    same line ends, just under their baseline, is their underline, even when its ends come near
    the cell's rules (a cell padded by a pixel): a rule runs from rule to rule, not from glyph to
    glyph."""
    def near(index: dict[int, list[Char]], x: float) -> list[Char]:
        key = round(x * 2)
        return [c for k in (key - 1, key, key + 1) for c in index.get(k, [])
                if c.base - 0.1 * c.size <= h.a <= c.base + 0.4 * c.size]
    first = near(starts, h.b0)
    last = near(ends, h.b1)
    return any(abs(a.base - b.base) < 0.3 * a.size for a in first for b in last)


def _mark_underlines(chars: list[Char], underlines: list[Segment]) -> None:
    """A character is underlined when a segment runs under it, just below its baseline."""
    for u in underlines:
        for ch in chars:
            if (u.b0 <= ch.cx <= u.b1 and ch.base - 0.1 * ch.size <= u.a
                    <= ch.base + 0.4 * ch.size):
                ch.under = True


def _connected(segments: list[Segment]) -> list[list[Segment]]:
    """Groups of segments that touch or cross one another."""
    parent = list(range(len(segments)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, s in enumerate(segments):
        for j in range(i):
            t = segments[j]
            if _touch(s, t):
                parent[find(i)] = find(j)
    groups: dict[int, list[Segment]] = {}
    for i, s in enumerate(segments):
        groups.setdefault(find(i), []).append(s)
    return list(groups.values())


def _touch(s: Segment, t: Segment) -> bool:
    if s.horizontal == t.horizontal:   # one rule drawn in pieces, or the sides of two boxes
        return abs(s.a - t.a) <= GAP and s.b0 <= t.b1 + GAP and t.b0 <= s.b1 + GAP
    h, v = (s, t) if s.horizontal else (t, s)
    return h.covers(v.a, GAP) and v.covers(h.a, GAP)


def _boundaries(values: list[float]) -> list[tuple[float, float]]:
    """Positions of rules grouped into boundaries, each as the (lowest, highest) of its rules."""
    out: list[tuple[float, float]] = []
    for v in sorted(values):
        if out and v - out[-1][1] <= GAP:
            out[-1] = (out[-1][0], v)
        else:
            out.append((v, v))
    return out


def _positions(bounds: list[tuple[float, float]]) -> list[float]:
    """Where each boundary is: the outer edge of the first and last, the middle of the others."""
    return [lo if i == 0 else hi if i == len(bounds) - 1 else (lo + hi) / 2
            for i, (lo, hi) in enumerate(bounds)]


def _piece(group: list[Segment]) -> Piece | None:
    hs = [s for s in group if s.horizontal]
    vs = [s for s in group if not s.horizontal]
    if not hs or len(vs) < 2:
        return None
    xb = _boundaries([v.a for v in vs])
    yb = _boundaries([h.a for h in hs] + [min(v.b0 for v in vs), max(v.b1 for v in vs)])
    if len(xb) < 2 or len(yb) < 2:
        return None
    xs, ys = _positions(xb), _positions(yb)
    bands, columns = len(ys) - 1, len(xs) - 1

    def vertical_at(i: int, y: float) -> bool:
        lo, hi = xb[i]
        return any(lo - TOUCH <= v.a <= hi + TOUCH and v.covers(y) for v in vs)

    def horizontal_at(i: int, x: float) -> bool:
        lo, hi = yb[i]
        return any(lo - TOUCH <= h.a <= hi + TOUCH and h.covers(x) for h in hs)

    parent = list(range(bands * columns))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for b in range(bands):
        ymid = (ys[b] + ys[b + 1]) / 2
        for c in range(columns):
            xmid = (xs[c] + xs[c + 1]) / 2
            if c + 1 < columns and not vertical_at(c + 1, ymid):
                parent[find(b * columns + c + 1)] = find(b * columns + c)
            if b + 1 < bands and not horizontal_at(b + 1, xmid):
                parent[find((b + 1) * columns + c)] = find(b * columns + c)
    region = [[find(b * columns + c) for c in range(columns)] for b in range(bands)]
    mids = [(xs[c] + xs[c + 1]) / 2 for c in range(columns)]
    return Piece(xs, ys, region, closed_bottom=[horizontal_at(bands, x) for x in mids])


def lines_of(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into lines by their baselines, each line left to right."""
    lines: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: (c.base, c.x0)):
        if lines and abs(ch.base - lines[-1][0].base) <= 0.3 * min(ch.size, lines[-1][0].size):
            lines[-1].append(ch)
        else:
            lines.append([ch])
    for line in lines:
        line.sort(key=lambda c: c.x0)
    return lines


def cell_text(chars: list[Char]) -> Marked:
    """The text of a cell (or a line) from its characters: lines joined without a break (they are
    wrapped lines, not paragraphs), a space only where two words of Latin script meet; spaces
    next to CJK characters dropped (justified CJK text is spaced out, not worded)."""
    out: list[str] = []
    under: list[bool] = []

    def add(text: str, flag: bool) -> None:
        out.append(text)
        under.extend([flag] * len(text))

    previous: Char | None = None
    spaced = False     # a space in the text layer since the previous character
    for line in lines_of(chars):
        for ch in line:
            if ch.text.isspace():
                spaced = True
                continue
            if previous is not None and out:
                new_line = ch.base - previous.base > 0.3 * ch.size
                wide = spaced or ch.x0 - previous.x1 > 0.25 * min(ch.size, previous.size)
                if (new_line or wide) and _latin(previous.text[-1]) and _latin(ch.text[0]):
                    add(" ", previous.under and ch.under)
                elif (wide and not new_line and not is_cjk(previous.text[-1])
                      and not is_cjk(ch.text[0])):
                    add(" ", previous.under and ch.under)
            add(ch.text, ch.under)
            previous, spaced = ch, False
    return Marked("".join(out), tuple(under))


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()
