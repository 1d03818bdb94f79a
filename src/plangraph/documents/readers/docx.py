"""DOCX (Office Open XML) → blocks, with python-docx.

python-docx opens the package and gives the document's XML; the body is read from that XML in
document order, because the library's table API hides what matters here: `row.cells` repeats a
vertically merged cell's object in every row it covers, which would repeat the strategy's text
into each of its measures. So:

- a paragraph of the body is a `TextLine` (empty paragraphs are skipped);
- a table is a `Table` of rows of grid columns: a cell spanning columns (`w:gridSpan`, or the
  old `w:hMerge`) gives its text to the first column and marks the others spanned; a cell that
  continues a vertical merge (`w:vMerge` without "restart") is spanned, with no text of its own;
  columns a row says it skips (`w:gridBefore`, `w:gridAfter`) are empty cells, and a row with
  fewer cells than the others is passed on as it is, for the layout to refuse;
- a cell's paragraphs are joined by newlines, a soft line break (`w:br`) is a newline too;
- a run is underlined when its effective `w:u` is anything but "none": set on the run, or by its
  character style, or by its paragraph's style (each style with the styles it is based on), or by
  the document defaults, in that order of precedence (ECMA-376 §17.7.2);
- tracked deletions (`w:del`, `w:moveFrom`) are not text; insertions are. Headers, footers,
  comments, footnotes and text boxes are not part of the plan and are not read.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree

from ..blocks import Block, Cell, Place, Row, Table, TextLine
from ..markup import Marked
from .common import MarkedText, broken_part, error, join_lines

# elements whose children are read as if they stood in their place (content controls, custom
# XML, links, tracked insertions, simple fields: their text is shown)
_TRANSPARENT = {qn(t) for t in ("w:sdt", "w:sdtContent", "w:customXml", "w:smartTag",
                                "w:hyperlink", "w:ins", "w:moveTo", "w:fldSimple", "w:dir",
                                "w:bdo")}
_RUN_TEXT = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n",
             qn("w:noBreakHyphen"): "-"}
_P, _TBL, _TR, _TC, _R = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:r")
_VAL = qn("w:val")


def read_bytes(data: bytes, path: str) -> list[Block]:
    document = _open(data, path)
    styles = _Styles(document.styles.element)
    blocks: list[Block] = []
    paragraphs = 0
    for element in _flatten(document.element.body):
        if element.tag == _P:
            paragraphs += 1
            text = _paragraph(element, styles)
            if text.text.strip():
                blocks.append(TextLine(text, Place(paragraph=paragraphs)))
        elif element.tag == _TBL:
            number = sum(isinstance(b, Table) for b in blocks) + 1
            blocks.append(_table(element, number, styles, path))
    return blocks


def _open(data: bytes, path: str) -> Any:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise error("not a readable DOCX: it is not a complete ZIP archive (truncated, or not a "
                    "DOCX at all?)", path)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, EOFError) as e:
        raise error(f"not a readable DOCX: the ZIP archive is damaged ({e})", path) from None
    except (KeyError, PackageNotFoundError):
        raise error("not a DOCX: the ZIP archive holds no Word document ([Content_Types].xml "
                    "and word/document.xml); is it an ODT or another kind of file?",
                    path) from None
    except etree.XMLSyntaxError:
        raise error(f"not a readable DOCX: {broken_part(data)}", path) from None
    except ValueError as e:   # python-docx: a package of another kind (a template, a sheet)
        raise error(f"not a DOCX Word document: {e}", path) from None
    return document


def _flatten(parent: Any) -> Iterator[Any]:
    """The paragraphs and tables of a body or cell, through content controls and the like."""
    for child in parent.iterchildren():
        if child.tag in _TRANSPARENT:
            yield from _flatten(child)
        elif child.tag in (_P, _TBL):
            yield child


class _Styles:
    """The styles part: which styles underline, following `w:basedOn`."""

    def __init__(self, root: Any):
        self.by_id: dict[str, Any] = {}
        self.default_paragraph: str | None = None
        for style in root.iterchildren(qn("w:style")):
            sid = style.get(qn("w:styleId"))
            self.by_id[sid] = style
            if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in ("1", "true",
                                                                                          "on"):
                self.default_paragraph = sid
        defaults = root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        self.default_underline = _underline_of(defaults)
        self._cache: dict[str | None, bool | None] = {}

    def underline(self, style_id: str | None) -> bool | None:
        """The underline a style sets (itself or by the styles it is based on), None if none."""
        if style_id not in self._cache:
            self._cache[style_id] = None   # a loop of basedOn ends here
            seen, sid, found = set(), style_id, None
            while sid is not None and sid not in seen and sid in self.by_id and found is None:
                seen.add(sid)
                style = self.by_id[sid]
                found = _underline_of(style.find(qn("w:rPr")))
                based = style.find(qn("w:basedOn"))
                sid = based.get(_VAL) if based is not None else None
            self._cache[style_id] = found
        return self._cache[style_id]


def _underline_of(rpr: Any) -> bool | None:
    """True/False if these run properties set an underline (`w:u`), None if they say nothing."""
    if rpr is None:
        return None
    u = rpr.find(qn("w:u"))
    if u is None:
        return None
    return u.get(_VAL, "single") != "none"


def _style_id(props: Any, tag: str) -> str | None:
    if props is None:
        return None
    ref = props.find(qn(tag))
    return ref.get(_VAL) if ref is not None else None


def _paragraph(p: Any, styles: _Styles) -> Marked:
    style = _style_id(p.find(qn("w:pPr")), "w:pStyle") or styles.default_paragraph
    paragraph_underline = styles.underline(style)
    if paragraph_underline is None:
        paragraph_underline = styles.default_underline or False
    text = MarkedText()
    for run in _runs(p):
        rpr = run.find(qn("w:rPr"))
        under = _underline_of(rpr)
        if under is None:
            under = styles.underline(_style_id(rpr, "w:rStyle"))
        if under is None:
            under = paragraph_underline
        for child in run.iterchildren():
            if child.tag in _RUN_TEXT:
                text.add(_RUN_TEXT[child.tag] or child.text or "", under)
    return text.marked()


def _runs(parent: Any) -> Iterator[Any]:
    for child in parent.iterchildren():
        if child.tag == _R:
            yield child
        elif child.tag in _TRANSPARENT:
            yield from _runs(child)


def _table(tbl: Any, number: int, styles: _Styles, path: str) -> Table:
    rows: list[Row] = []
    for r, tr in enumerate(_children(tbl, _TR), start=1):
        place = Place(table=number, row=r)
        cells: list[Cell] = [Cell(Marked.plain(""), place.with_cell(c + 1))
                             for c in range(_int(tr, "w:trPr", "w:gridBefore"))]
        for tc in _children(tr, _TC):
            at = place.with_cell(len(cells) + 1)
            tcpr = tc.find(qn("w:tcPr"))
            span = _int(tc, "w:tcPr", "w:gridSpan") or 1
            vmerge = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
            hmerge = tcpr.find(qn("w:hMerge")) if tcpr is not None else None
            continues = (vmerge is not None and vmerge.get(_VAL, "continue") == "continue"
                         and bool(rows))
            continues_left = (hmerge is not None and hmerge.get(_VAL, "continue") == "continue"
                              and bool(cells))
            text = _cell_text(tc, styles, path, at)
            if (continues or continues_left) and text.text.strip():
                raise error("a merged cell that continues the cell "
                            f"{'above' if continues else 'to its left'} holds text of its own "
                            f"({text.text.strip()[:20]!r}): Word shows only the first cell's "
                            "text, so this text would be lost", path, at)
            cells.append(Cell(Marked.plain("") if continues or continues_left else text, at,
                              spanned=continues or continues_left))
            cells.extend(Cell(Marked.plain(""), place.with_cell(len(cells) + 1), spanned=True)
                         for _ in range(span - 1))
        # columns the row declares it skips at its end are empty cells; a row that simply has
        # fewer cells than its neighbours stays short, for the layout to refuse
        cells.extend(Cell(Marked.plain(""), place.with_cell(len(cells) + 1))
                     for _ in range(_int(tr, "w:trPr", "w:gridAfter")))
        rows.append(Row(cells, place))
    return Table(rows, Place(table=number), number=number)


def _children(parent: Any, tag: str) -> Iterator[Any]:
    for child in parent.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in _TRANSPARENT:
            yield from _children(child, tag)


def _int(element: Any, props: str, tag: str) -> int:
    found = element.find(f"{qn(props)}/{qn(tag)}")
    if found is None:
        return 0
    try:
        return int(found.get(_VAL, "0"))
    except ValueError:
        return 0


def _cell_text(tc: Any, styles: _Styles, path: str, place: Place) -> Marked:
    paragraphs = []
    for element in _flatten(tc):
        if element.tag == _TBL:
            raise error("a table inside a table cell: nested tables are not read (the plan's "
                        "tables have one level)", path, place)
        paragraphs.append(_paragraph(element, styles))
    while paragraphs and not paragraphs[-1].text.strip():
        paragraphs.pop()
    while paragraphs and not paragraphs[0].text.strip():
        paragraphs.pop(0)
    return join_lines(paragraphs)
