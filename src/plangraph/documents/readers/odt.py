"""ODT (OpenDocument text) → blocks, with odfdo.

The body is read in document order:

- `text:h` and `text:p` are `TextLine`s (also inside lists and sections; empty ones skipped);
  `text:s` is spaces, `text:tab` a tab, `text:line-break` a newline; notes, annotations, frames
  and the record of tracked changes (which holds deleted text) are not part of the plan's text;
- a `table:table` is a `Table`: a cell spanning columns or rows (`table:number-columns-spanned`,
  `table:number-rows-spanned`) keeps its text once, and the cells it covers
  (`table:covered-table-cell`) are spanned, with no text — also where a writer left the covered
  cells out (pandoc does), as LibreOffice lays such a table out; repeated cells and rows
  (`table:number-columns-repeated`, `-rows-repeated`) are repeated; a row with fewer cells than
  the others is passed on as it is, for the layout to refuse;
- a paragraph in a numbered list (`text:list` whose list style numbers its level) starts with the
  label the program shows (1. 2., 一、 …: readers/numbering.py): a list starts again at its
  start value unless it continues the one before (`text:continue-numbering`,
  `text:continue-list`), an item may set its own (`text:start-value`); bullets add nothing.
  The outline numbering of headings (`text:outline-style`) is not read: odfdo's default template
  numbers every heading 1. 1.1. 1.1.1., which a draft made with it does not mean (its headings
  hold their own 肆、 and 一、);
- a cell's paragraphs are joined by newlines;
- text is underlined when its style says so: `style:text-underline-style` (or `-type`) other than
  "none" in the text properties of the innermost `text:span`'s style, else of the paragraph's
  style, each style with its parents (`style:parent-style-name`), then the family's default
  style. Automatic styles (content.xml) and common styles (styles.xml) are both looked up.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import odfdo
from lxml import etree

from ..blocks import Block, Cell, Place, Row, Table, TextLine
from ..markup import Marked
from . import numbering
from .common import MarkedText, broken_part, error, join_lines

ODT_TYPES = ("application/vnd.oasis.opendocument.text",
             "application/vnd.oasis.opendocument.text-template")
_PARAGRAPHS = ("text:p", "text:h")
# containers whose content stands in the body as if in their place (lists apart: numbered)
_CONTAINERS = ("text:section", "text:soft-page-break", "text:numbered-paragraph")
_ITEMS = ("text:list-item", "text:list-header")
# inline elements that are not the plan's text
_NOT_TEXT = ("text:note", "office:annotation", "office:annotation-end", "draw:frame",
             "draw:a", "text:change", "text:change-start", "text:change-end",
             "text:bookmark", "text:bookmark-start", "text:bookmark-end", "text:reference-mark",
             "text:reference-mark-start", "text:reference-mark-end", "text:alphabetical-index-mark",
             "text:toc-mark", "text:soft-page-break", "text:sequence-ref")
_ROW_GROUPS = ("table:table-header-rows", "table:table-rows", "table:table-row-group")
# a row repeated more often than this is a spreadsheet's filler, not a plan's row
_MAX_REPEAT = 1000


def read_bytes(data: bytes, path: str) -> list[Block]:
    document = _open(data, path)
    try:
        reader = _Reader(_Styles(document), path)
        reader.body(document.body)
    except etree.XMLSyntaxError:
        raise error(f"not a readable ODT: {broken_part(data)}", path) from None
    except (KeyError, zipfile.BadZipFile, zlib.error) as e:
        raise error(f"not a readable ODT: the ZIP archive is damaged ({e})", path) from None
    return reader.blocks


def _open(data: bytes, path: str) -> Any:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise error("not a readable ODT: it is not a complete ZIP archive (truncated, or not an "
                    "ODT at all?)", path)
    try:
        document = odfdo.Document(io.BytesIO(data))
        mimetype = document.mimetype
    except (zipfile.BadZipFile, zlib.error, EOFError) as e:
        raise error(f"not a readable ODT: the ZIP archive is damaged ({e})", path) from None
    except KeyError:
        raise error("not an ODT: the ZIP archive has no OpenDocument mimetype (is it a DOCX or "
                    "another kind of file?)", path) from None
    except etree.XMLSyntaxError:
        raise error(f"not a readable ODT: {broken_part(data)}", path) from None
    if mimetype not in ODT_TYPES:
        raise error(f"not an ODT text document: its mimetype is {mimetype!r}", path)
    return document


@dataclass
class _Level:
    kind: str | None           # numbering.py's kind of counter; None: bullets, or no number
    prefix: str
    suffix: str
    start: int
    shown: int                 # text:display-levels: how many levels the label shows (1.2.)


class _Styles:
    """Which styles underline, by family and name, following their parents; how list styles
    number each level."""

    def __init__(self, document: Any):
        self.styles: dict[tuple[str, str], Any] = {}
        self.defaults: dict[str, bool | None] = {}
        self.lists: dict[str, dict[int, _Level]] = {}
        for part in (document.styles, document.content):   # automatic styles (content) win
            for style in part.get_elements("//style:style"):
                key = (style.get_attribute("style:family"), style.get_attribute("style:name"))
                self.styles[key] = style
            for list_style in part.get_elements("//text:list-style"):
                levels = self.lists[list_style.get_attribute("style:name")] = {}
                for level in list_style.children:
                    n = level.get_attribute_integer("text:level") or 1
                    if level.tag == "text:list-level-style-number":
                        levels[n] = _Level(
                            numbering.odf_format(level.get_attribute("style:num-format")),
                            level.get_attribute("style:num-prefix") or "",
                            level.get_attribute("style:num-suffix") or "",
                            level.get_attribute_integer("text:start-value") or 1,
                            level.get_attribute_integer("text:display-levels") or 1)
                    else:
                        levels[n] = _Level(None, "", "", 1, 1)
            for style in part.get_elements("//style:default-style"):
                self.defaults[style.get_attribute("style:family")] = _underline_of(style)
        self._cache: dict[tuple[str, str | None], bool | None] = {}

    def underline(self, family: str, name: str | None) -> bool | None:
        """The underline the style sets (itself or by its parents), None if it says nothing."""
        key = (family, name)
        if key not in self._cache:
            found, seen = None, set()
            while name and name not in seen and (family, name) in self.styles and found is None:
                seen.add(name)
                style = self.styles[(family, name)]
                found = _underline_of(style)
                name = style.get_attribute("style:parent-style-name")
            self._cache[key] = found
        return self._cache[key]


def _underline_of(style: Any) -> bool | None:
    for props in style.children:
        if props.tag == "style:text-properties":
            kind = props.get_attribute("style:text-underline-style")
            line = props.get_attribute("style:text-underline-type")
            if kind is None and line is None:
                return None
            return "none" not in (kind, line)
    return None


class _Reader:
    def __init__(self, styles: _Styles, path: str):
        self.styles = styles
        self.path = path
        self.blocks: list[Block] = []
        self.paragraphs = 0
        self.tables = 0
        # the counters of the list last seen in each list style, by level; and by list id
        self.counters: dict[str, list[int]] = {}
        self.by_id: dict[str, list[int]] = {}

    def body(self, body: Any) -> None:
        for element, label in self.flatten(body):
            if element.tag in _PARAGRAPHS:
                self.paragraphs += 1
                text = self.paragraph(element, label)
                if text.text.strip():
                    self.blocks.append(TextLine(text, Place(paragraph=self.paragraphs)))
            else:
                self.tables += 1
                self.blocks.append(self.table(element, self.tables))

    def flatten(self, parent: Any) -> Iterator[tuple[Any, str]]:
        """Paragraphs, headings and tables, through sections and lists, each paragraph with
        the label its list shows before it ('' for none)."""
        for child in parent.children:
            if child.tag in _PARAGRAPHS or child.tag == "table:table":
                yield child, ""
            elif child.tag == "text:list":
                yield from self.list(child, None, [])
            elif child.tag in _CONTAINERS:
                yield from self.flatten(child)

    def list(self, element: Any, style: str | None, outer: list[int]) -> Iterator[tuple[Any, str]]:
        """A list's items, numbered by its style at its level (the lists it is inside: outer)."""
        style = element.get_attribute("text:style-name") or style or ""
        level = len(outer) + 1
        levels = self.styles.lists.get(style, {})
        spec = levels.get(level)
        continued = element.get_attribute("text:continue-list")
        if continued and continued in self.by_id:
            before = self.by_id[continued]
        elif element.get_attribute("text:continue-numbering") in ("true", True):
            before = self.counters.get(style, [])
        else:
            before = []                  # a list starts again
        value = before[level - 1] if len(before) >= level else None
        for item in element.children:
            if item.tag not in _ITEMS:
                continue
            label = ""
            if item.tag == "text:list-item" and spec is not None and spec.kind is not None:
                start = item.get_attribute_integer("text:start-value")
                value = start if start else (value + 1 if value is not None else spec.start)
                shown = [*outer, value][-spec.shown:]
                kinds = [levels.get(level - len(shown) + 1 + i) for i in range(len(shown))]
                label = spec.prefix + ".".join(
                    numbering.format_number(v, k.kind if k and k.kind else numbering.DECIMAL)
                    for v, k in zip(shown, kinds, strict=True)) + spec.suffix + " "
            first = True
            for child in item.children:
                if child.tag == "text:list":
                    yield from self.list(child, style, [*outer, value or 0])
                elif child.tag in _PARAGRAPHS or child.tag == "table:table":
                    yield child, label if first else ""
                    first = False
                elif child.tag in _CONTAINERS:
                    yield from self.flatten(child)
        counters = [*outer, value] if value is not None else list(outer)
        self.counters[style] = counters
        # a list that continues another goes on the same list: the next to continue it goes on
        # from here
        for name in {element.get_attribute("xml:id"), continued} - {None, ""}:
            self.by_id[name] = counters

    # -- text -----------------------------------------------------------------------------------

    def paragraph(self, p: Any, label: str = "") -> Marked:
        under = self.styles.underline("paragraph", p.get_attribute("text:style-name"))
        if under is None:
            under = self.styles.defaults.get("paragraph") or False
        text = MarkedText()
        text.add(label, False)
        self.inline(p, under, text)
        return text.marked()

    def inline(self, element: Any, under: bool, text: MarkedText) -> None:
        text.add(_spaces(element.text), under)
        for child in element.children:
            tag = child.tag
            if tag == "text:s":
                text.add(" " * (child.get_attribute_integer("text:c") or 1), under)
            elif tag == "text:tab":
                text.add("\t", under)
            elif tag == "text:line-break":
                text.add("\n", under)
            elif tag in _NOT_TEXT:
                pass
            else:
                inner = under
                if tag == "text:span":
                    own = self.styles.underline("text", child.get_attribute("text:style-name"))
                    inner = under if own is None else own
                self.inline(child, inner, text)
            text.add(_spaces(child.tail), under)

    # -- tables ---------------------------------------------------------------------------------

    def table(self, table: Any, number: int) -> Table:
        rows: list[Row] = []
        spans: dict[int, int] = {}      # column → rows below still covered by a cell above
        for tr in _descend(table, "table:table-row", _ROW_GROUPS):
            repeat = _repeat(tr, "table:number-rows-repeated")
            for _ in range(min(repeat, _MAX_REPEAT)):
                rows.append(self.row(tr, number, len(rows) + 1, spans))
        while len(rows) > 1 and not any(c.text.text.strip() or c.spanned for c in rows[-1].cells):
            rows.pop()   # trailing empty filler rows
        return Table(rows, Place(table=number), number=number)

    def row(self, tr: Any, number: int, r: int, spans: dict[int, int]) -> Row:
        """One row. A merged cell's covered cells should follow it (ODF says so, and
        LibreOffice writes them); where a writer leaves them out (pandoc does), the place a
        spanning cell covers is still taken as covered, as LibreOffice lays such a file out."""
        place = Place(table=number, row=r)
        cells: list[Cell] = []
        owed = 0                         # columns the cell before spans, not yet covered
        below: dict[int, int] = {}

        def covered() -> None:
            cells.append(Cell(Marked.plain(""), place.with_cell(len(cells) + 1), spanned=True))

        for tc in tr.children:
            if tc.tag not in ("table:table-cell", "table:covered-table-cell"):
                continue
            for _ in range(min(_repeat(tc, "table:number-columns-repeated"), _MAX_REPEAT)):
                if tc.tag == "table:covered-table-cell":
                    at = place.with_cell(len(cells) + 1)
                    text = self.cell_text(tc, at)
                    if text.text.strip():
                        raise error("a cell covered by a merged cell holds text of its own "
                                    f"({text.text.strip()[:20]!r}): it is hidden in the "
                                    "document, so this text would be lost", self.path, at)
                    covered()
                    owed = max(0, owed - 1)
                    continue
                for _ in range(owed):
                    covered()
                owed = 0
                while spans.get(len(cells), 0) > 0:
                    covered()            # under a cell spanning down from a row above
                at = place.with_cell(len(cells) + 1)
                columns = _repeat(tc, "table:number-columns-spanned")
                down = _repeat(tc, "table:number-rows-spanned")
                for c in range(len(cells), len(cells) + columns):
                    below[c] = down - 1
                cells.append(Cell(self.cell_text(tc, at), at))
                owed = columns - 1
        for _ in range(owed):
            covered()
        while spans.get(len(cells), 0) > 0:
            covered()
        for c in list(spans):
            spans[c] -= 1 if c < len(cells) else spans[c]
        spans.update({c: n for c, n in below.items() if n > 0})
        for c in [c for c, n in spans.items() if n <= 0]:
            del spans[c]
        return Row(cells, place)

    def cell_text(self, tc: Any, place: Place) -> Marked:
        paragraphs = []
        for element, label in self.flatten(tc):
            if element.tag == "table:table":
                raise error("a table inside a table cell: nested tables are not read (the "
                            "plan's tables have one level)", self.path, place)
            paragraphs.append(self.paragraph(element, label))
        while paragraphs and not paragraphs[-1].text.strip():
            paragraphs.pop()
        while paragraphs and not paragraphs[0].text.strip():
            paragraphs.pop(0)
        return join_lines(paragraphs)


def _descend(parent: Any, tag: str, groups: tuple[str, ...]) -> Iterator[Any]:
    for child in parent.children:
        if child.tag == tag:
            yield child
        elif child.tag in groups:
            yield from _descend(child, tag, groups)


def _repeat(element: Any, attribute: str) -> int:
    value = element.get_attribute_integer(attribute)
    return value if value and value > 0 else 1


def _spaces(text: str | None) -> str:
    """ODF collapses white space in text content; line breaks in the XML are spaces."""
    return (text or "").replace("\n", " ").replace("\r", " ").replace("\t", " ")
