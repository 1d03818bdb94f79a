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
- a paragraph numbered by Word's automatic numbering (`w:numPr`, its own or its style's) starts
  with the label Word shows (1. 2., 一、, (一) …: readers/numbering.py), counted as Word counts
  them — the numbers are not in the text, and they are what tell one target from the next;
- tracked deletions (`w:del`, `w:moveFrom`) are not text; insertions are. Headers, footers,
  comments, footnotes and text boxes are not part of the plan and are not read.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree

from ..blocks import Block, Cell, Place, Row, Table, TextLine
from ..markup import Marked
from . import numbering
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
    styles = _Styles(document.styles.element, _Numbering(document))
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


@dataclass
class _Level:
    start: int
    kind: str | None           # numbering.py's kind of counter; None: a bullet, or no number
    text: str                  # w:lvlText: %1 … %9 stand for the counters of levels 1 … 9
    space: bool                # a space between the label and the text (w:suff)


class _Numbering:
    """The numbering part: the labels of numbered paragraphs, counted in document order.

    Word counts a list per abstract definition: instances (`w:num`) of one definition go on
    counting from one another, unless an instance restarts a level (`w:startOverride`) where it
    is first used. A level counted resets the levels below it."""

    def __init__(self, document: Any):
        self.levels: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, list[int]] = {}
        self.used: set[str] = set()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        for abstract in root.iterchildren(qn("w:abstractNum")):
            levels = self.levels.setdefault(abstract.get(qn("w:abstractNumId")), {})
            for lvl in abstract.iterchildren(qn("w:lvl")):
                levels[_int_val(lvl, "w:ilvl", 0)] = _level(lvl)
        for num in root.iterchildren(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is None:
                continue
            starts = {}
            for override in num.iterchildren(qn("w:lvlOverride")):
                start = override.find(qn("w:startOverride"))
                if start is not None:
                    starts[_int_val(override, "w:ilvl", 0)] = _int_val(start, "w:val", 1)
            self.nums[num.get(qn("w:numId"))] = (ref.get(_VAL), starts)

    def label(self, num_id: str | None, ilvl: int) -> str:
        if num_id is None or num_id not in self.nums:
            return ""
        abstract, starts = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        level = levels.get(ilvl)
        if level is None or level.kind is None:
            return ""
        counters = self.counters.setdefault(abstract, [0] * 9)
        if num_id not in self.used:
            self.used.add(num_id)
            for i, start in starts.items():
                if 0 <= i < 9:
                    counters[i] = start - 1
        if not 0 <= ilvl < 9:
            return ""
        counters[ilvl] = (counters[ilvl] or levels[ilvl].start - 1) + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        text = level.text
        for i in range(ilvl + 1):
            shown = levels.get(i)
            value = counters[i] or (shown.start if shown else 1)
            kind = shown.kind if shown and shown.kind else numbering.DECIMAL
            text = text.replace(f"%{i + 1}", numbering.format_number(value, kind))
        return text + (" " if level.space and text else "")


def _level(lvl: Any) -> _Level:
    fmt = lvl.find(qn("w:numFmt"))
    name = fmt.get(_VAL, "decimal") if fmt is not None else "decimal"
    text = lvl.find(qn("w:lvlText"))
    suffix = lvl.find(qn("w:suff"))
    kind = None if name in ("bullet", "none") else numbering.WORD_FORMATS.get(name,
                                                                               numbering.DECIMAL)
    return _Level(_int_val(lvl.find(qn("w:start")), "w:val", 1), kind,
                  text.get(_VAL, "") if text is not None else "",
                  suffix is None or suffix.get(_VAL) != "nothing")


def _int_val(element: Any, attribute: str, default: int) -> int:
    try:
        return int(element.get(qn(attribute)))
    except (AttributeError, TypeError, ValueError):
        return default


class _Styles:
    """The styles part: which styles underline, following `w:basedOn`; and the numbering."""

    def __init__(self, root: Any, numbering_: _Numbering):
        self.numbering = numbering_
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

    def numbered(self, style_id: str | None) -> tuple[str | None, int]:
        """The list a paragraph style numbers its paragraphs in (`w:numPr` in its `w:pPr`)."""
        seen, sid = set(), style_id
        while sid is not None and sid not in seen and sid in self.by_id:
            seen.add(sid)
            style = self.by_id[sid]
            num_pr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if num_pr is not None:
                return _num_pr(num_pr)
            based = style.find(qn("w:basedOn"))
            sid = based.get(_VAL) if based is not None else None
        return None, 0

    def label(self, p_pr: Any, style_id: str | None) -> str:
        """The label Word shows before a paragraph, '' if it is not numbered."""
        own = p_pr.find(qn("w:numPr")) if p_pr is not None else None
        num_id, ilvl = _num_pr(own) if own is not None else (None, 0)
        if num_id is None:
            num_id, style_ilvl = self.numbered(style_id)
            ilvl = ilvl if own is not None and own.find(qn("w:ilvl")) is not None else style_ilvl
        if num_id in (None, "0"):
            return ""
        return self.numbering.label(num_id, ilvl)

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


def _num_pr(num_pr: Any) -> tuple[str | None, int]:
    num_id = num_pr.find(qn("w:numId"))
    return (num_id.get(_VAL) if num_id is not None else None,
            _int_val(num_pr.find(qn("w:ilvl")), "w:val", 0))


def _paragraph(p: Any, styles: _Styles) -> Marked:
    p_pr = p.find(qn("w:pPr"))
    style = _style_id(p_pr, "w:pStyle") or styles.default_paragraph
    paragraph_underline = styles.underline(style)
    if paragraph_underline is None:
        paragraph_underline = styles.default_underline or False
    text = MarkedText()
    text.add(styles.label(p_pr, style), False)
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
