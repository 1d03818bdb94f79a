"""HTML: the Ministry of Justice's news pages, and any page a researcher saves.

Parsed with lxml.html (libxml2's HTML parser): it is fast, it takes the tag soup real pages are
made of (unclosed <p> and <td>, stray end tags) the way browsers mostly do, it keeps each
element's source line for messages, and lxml is already needed for reading ODF. The standard
library's html.parser would leave the tree building, and the recovery from broken markup, to us.

- Tables: rows from <thead>, <tbody>, <tfoot> or straight under <table>, in document order;
  rowspan and colspan laid out on a grid (a cell covered by another is `spanned`, with no text
  of its own). A table with a table inside it is a page's layout, not data: its cells are read
  as flowing text, and the tables inside as tables.
- Text in a cell: <br>, <p>, <div>, <li> end a line; white space (and &nbsp;) collapses later.
- Underline: <u>, <ins>, or CSS text-decoration underline, in a style attribute or by a class
  or tag named in a <style> block; it marks what an amendment changed.
- Outside tables: headings, paragraphs and the like are lines of text (the title, 肆, the
  areas, the clauses of 陸); <script>, <style> and the <head> are not the document.

Places: tables counted from 1 in document order, rows within their table, cells by column;
lines of text outside tables by paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ...errors import SourceError
from ..blocks import Block, Cell, Place, Row, Table, TextLine
from ..markup import Marked
from . import numbering

# not the document: scripts and styles, and a page's navigation, footer and side bars
_SKIP = {"script", "style", "head", "template", "noscript", "title", "meta", "link", "iframe",
         "object", "svg", "button", "select", "textarea", "nav", "footer", "aside"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
          "section", "article", "header", "main", "blockquote",
          "pre", "address", "figure", "figcaption", "caption", "hr", "form", "fieldset",
          "center", "body", "html"}
_TABLE_PARTS = {"table", "tr", "td", "th", "tbody", "thead", "tfoot"}
# … and the same parts named by id or class, on pages older than <nav> and <footer>:
# <div id="footer">, <ul class="main-menu">, <div class="breadcrumb">
_CHROME = re.compile(r"^(?:[a-z0-9]+[-_])?(?:footer|nav|navbar|navigation|menu|breadcrumbs?|"
                     r"sidebar|copyright)$", re.IGNORECASE)
_UNDERLINE_TAGS = {"u", "ins"}
_BOX = re.compile("[\u2500-\u257f]")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_UNDERLINED = re.compile(r"text-decoration(?:-line)?\s*:[^;]*\bunderline\b", re.IGNORECASE)
_NUMBERED = re.compile(r"^(?:[\d０-９]+[.．、]|[(（][一二三四五六七八九十]+[)）])")
_SOURCE_BREAK = re.compile(r"[\r\n\t\f]")
_SELECTOR = re.compile(r"^([a-zA-Z][a-zA-Z0-9]*)?(?:\.([A-Za-z_][\w-]*))?$")


def read_bytes(data: bytes, path: str) -> list[Block]:
    import lxml.etree
    import lxml.html

    text = _decode(data, path)
    if not text.strip():
        raise SourceError("an empty HTML document", path=path)
    try:
        root = lxml.html.document_fromstring(_nest_formatting(text))
    except (lxml.etree.ParserError, ValueError) as e:
        raise SourceError(f"not readable as HTML: {e}", path=path) from None
    styles = _Styles.of(root)
    reader = _Reader(path, styles)
    body = root.find("body")
    reader.walk(body if body is not None else root)
    reader.flush()
    return reader.blocks


# formatting elements: a browser keeps them open until their own end tag, reopening them past the
# end tag of another they were wrongly nested in (the HTML standard's "adoption agency")
_FORMATTING = {"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike",
               "strong", "tt", "u", "ins", "span"}
_REOPENED = _FORMATTING - {"span", "ins"}     # span and ins are not formatting elements there
_CELL_EDGE = {"td", "th", "tr", "table", "caption", "tbody", "thead", "tfoot", "body", "html"}
_TAG_TOKEN = re.compile(r"""<(script|style)\b.*?</\1\s*>|<!--.*?-->|<![^>]*>|"""
                        r"""<(/?)([A-Za-z][A-Za-z0-9]*)((?:"[^"]*"|'[^']*'|[^'">])*)>""",
                        re.IGNORECASE | re.DOTALL)


def _nest_formatting(text: str) -> str:
    """Markup whose formatting elements overlap, nested as a browser nests them.

    LibreOffice saves an underline over runs of two fonts (CJK text, then a digit) as
    `<font><u>…</font><font>1</font><font>…</u></font>`. A browser underlines up to the </u>;
    libxml2 closes the <u> at the first </font> and drops the rest of the underline. So an end
    tag met while other formatting elements are open inside its element closes them first and
    opens them again after it, as the browser does; a cell's edge closes them all.
    """
    if "</" not in text:
        return text
    out: list[str] = []
    stack: list[tuple[str, str]] = []      # open formatting elements: (name, start tag)
    pos = 0
    for m in _TAG_TOKEN.finditer(text):
        out.append(text[pos:m.start()])
        pos = m.end()
        token, name = m.group(0), (m.group(3) or "").lower()
        if not name:
            out.append(token)                  # a script, a style, a comment, a doctype
        elif name in _CELL_EDGE:
            stack.clear()
            out.append(token)
        elif name not in _FORMATTING:
            out.append(token)
        elif not m.group(2):
            if not token.endswith("/>"):
                stack.append((name, token))
            out.append(token)
        else:
            at = max((i for i, (n, _) in enumerate(stack) if n == name), default=None)
            if at is None:
                out.append(token)              # a stray end tag: the parser drops it
                continue
            inside = stack[at + 1:]
            out += [f"</{n}>" for n, _ in reversed(inside)] + [token]
            del stack[at:]
            for n, start in inside:
                if n in _REOPENED:
                    out.append(start)
                    stack.append((n, start))
    out.append(text[pos:])
    return "".join(out)


def _decode(data: bytes, path: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    m = _CHARSET.search(data[:4096])
    charset = m.group(1).decode("ascii").lower() if m else "utf-8"
    try:
        return data.decode(charset)
    except LookupError:
        raise SourceError(f"the page declares an unknown character set {charset!r}",
                          path=path) from None
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise SourceError(f"not {charset}: byte 0x{data[e.start]:02x} cannot be decoded "
                          f"({e.reason})", path=path, line=line) from None


@dataclass
class _Styles:
    """Which classes and tags a <style> block underlines."""

    classes: set[str] = field(default_factory=set)
    tags: set[str] = field(default_factory=set)
    tag_classes: set[tuple[str, str]] = field(default_factory=set)

    @classmethod
    def of(cls, root: Any) -> _Styles:
        styles = cls()
        for style in root.iter("style"):
            css = re.sub(r"/\*.*?\*/", "", style.text_content() or "", flags=re.S)
            for selectors, body in _RULE.findall(css):
                if not _UNDERLINED.search(body):
                    continue
                for selector in selectors.split(","):
                    last = selector.strip().split()[-1] if selector.strip() else ""
                    m = _SELECTOR.match(last)
                    if not m:
                        continue
                    tag, klass = (m.group(1) or "").lower(), m.group(2)
                    if tag and klass:
                        styles.tag_classes.add((tag, klass))
                    elif klass:
                        styles.classes.add(klass)
                    elif tag:
                        styles.tags.add(tag)
        return styles

    def underlines(self, el: Any) -> bool:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in _UNDERLINE_TAGS or tag in self.tags:
            return True
        if _UNDERLINED.search(el.get("style") or ""):
            return True
        for klass in (el.get("class") or "").split():
            if klass in self.classes or (tag, klass) in self.tag_classes:
                return True
        return False


class _Text:
    """Marked text being gathered: pieces with their underline, lines ended by breaks."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.flags: list[bool] = []

    def add(self, text: str, underline: bool) -> None:
        # a line break in the markup is white space, as any other (LibreOffice writes
        # "<br/>\n1.\n\t<font>…" ): only <br> and block elements end a line
        text = _SOURCE_BREAK.sub(" ", text)
        self.chars.append(text)
        self.flags.extend([underline] * len(text))

    def newline(self) -> None:
        if self.chars and not "".join(self.chars[-1:]).endswith("\n"):
            self.chars.append("\n")
            self.flags.append(False)

    def marked(self) -> Marked:
        return Marked("".join(self.chars), tuple(self.flags))

    def __bool__(self) -> bool:
        return any(c.strip() for c in self.chars)


class _Reader:
    def __init__(self, path: str, styles: _Styles):
        self.path = path
        self.styles = styles
        self.blocks: list[Block] = []
        self.line = _Text()
        self.paragraphs = 0
        self.tables = 0
        self.label = ""            # the number of a list item, for its first line

    # -- flowing text --------------------------------------------------------------------------

    def flush(self) -> None:
        """The text gathered so far, as lines of text (a <br> inside a paragraph ends one)."""
        text = self.line.marked()
        self.line = _Text()
        start = 0
        for part in text.text.split("\n"):
            piece = text[start:start + len(part)]
            start += len(part) + 1
            if piece.text.strip() and self.label:
                # a list item's number goes before its first line, inside a heading or not
                piece, self.label = Marked.plain(self.label) + piece, ""
            if piece.text.strip():
                self.paragraphs += 1
                self.blocks.append(TextLine(piece.normalised(), Place(paragraph=self.paragraphs)))

    def walk(self, el: Any, underline: bool = False) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else None
        if tag is None or tag in _SKIP or (tag not in _TABLE_PARTS and _chrome(el)):
            self.tail(el, underline)
            return
        inner = underline or self.styles.underlines(el)
        if tag == "table" and not any(True for _ in el.iterdescendants("table")):
            self.flush()
            self.label = ""
            self.table(el)
            self.tail(el, underline)
            return
        if tag == "pre" and _BOX.search(el.text_content() or ""):
            self.flush()
            self.box(el)
            self.tail(el, underline)
            return
        if tag in _BLOCK or tag in _TABLE_PARTS:
            self.flush()
        if tag == "br":
            self.line.newline()
        if el.text:
            self.line.add(el.text, inner)
        number = _start(el) if tag == "ol" else None
        for child in el:
            if number is not None and isinstance(child.tag, str) and child.tag.lower() == "li":
                # the number a browser shows before the item (陸's clauses as a list: 一、)
                number = _value(child, number)
                if not _NUMBERED.match(child.text_content().strip()):
                    self.flush()
                    self.label = _label(el, number)
                number += 1
            self.walk(child, inner)
        if tag in _BLOCK or tag in _TABLE_PARTS:
            self.flush()
        self.tail(el, underline)

    def tail(self, el: Any, underline: bool) -> None:
        """The text after an element belongs to its parent: underlined as the parent is."""
        if el.tail:
            self.line.add(el.tail, underline)

    def box(self, pre: Any) -> None:
        """Box-drawn text shown in a <pre> (a saved page of the regulations system): read by
        the box-drawn reader, its lines counted as the page's."""
        from . import box

        first = (pre.sourceline or 1) + (0 if (pre.text or "").startswith("\n") else -1)
        lines = (pre.text_content() or "").removeprefix("\n").split("\n")
        numbered = box.read_lines(lines, self.path, first=first + 1)
        for block in numbered:
            if isinstance(block, Table):
                self.tables += 1
                block.number = self.tables
            self.blocks.append(block)

    def _underlined(self, el: Any) -> bool:
        while el is not None:
            if isinstance(el.tag, str) and self.styles.underlines(el):
                return True
            el = el.getparent()
        return False

    # -- tables --------------------------------------------------------------------------------

    def table(self, el: Any) -> None:
        self.tables += 1
        number = self.tables
        for caption in el.iterchildren("caption"):
            text = _Text()
            self.cell_text(caption, text, self._underlined(caption))
            if text:
                self.paragraphs += 1
                self.blocks.append(TextLine(text.marked().normalised(),
                                            Place(paragraph=self.paragraphs)))
        rows = [tr for tr in _rows(el)]
        grid: dict[tuple[int, int], Cell] = {}
        widths: list[int] = []
        for r, tr in enumerate(rows):
            c = 0
            for td in tr:
                if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                    continue
                while (r, c) in grid:
                    c += 1
                rowspan = _span(td.get("rowspan"), len(rows) - r)
                colspan = _span(td.get("colspan"), 1000)
                text = _Text()
                self.cell_text(td, text, self._underlined(td))
                place = Place(table=number, row=r + 1, cell=c + 1)
                grid[(r, c)] = Cell(text.marked(), place)
                for dr in range(rowspan):
                    for dc in range(colspan):
                        if dr or dc:
                            grid.setdefault((r + dr, c + dc), Cell(
                                Marked.plain(""), Place(table=number, row=r + dr + 1,
                                                        cell=c + dc + 1), spanned=True))
                c += colspan
            widths.append(max((cc + 1 for (rr, cc) in grid if rr == r), default=0))
        out: list[Row] = []
        for r in range(len(rows)):
            cells = [grid[(r, c)] for c in range(widths[r]) if (r, c) in grid]
            if len(cells) != widths[r]:
                gap = next(c for c in range(widths[r]) if (r, c) not in grid)
                raise SourceError("a gap in this row (no cell here, and none spanning over it "
                                  "from a row above): a cell lost?", path=self.path,
                                  place=Place(table=number, row=r + 1, cell=gap + 1))
            if any(not c.spanned or c.text.text for c in cells):
                out.append(Row(cells, Place(table=number, row=r + 1)))
        if out:
            self.blocks.append(Table(out, Place(table=number), number=number))

    def cell_text(self, el: Any, text: _Text, underline: bool) -> None:
        """A cell's text, its lines ended by <br> and block elements, its underlines kept.
        The items of a numbered list (<ol>) carry the numbers a browser shows (1. 2. …), as
        several targets in one cell are numbered, unless their text is numbered already."""
        if el.text:
            text.add(el.text, underline)
        ol = isinstance(el.tag, str) and el.tag.lower() == "ol"
        number = _start(el) if ol else None
        for child in el:
            tag = child.tag.lower() if isinstance(child.tag, str) else None
            if tag is None or tag in _SKIP:
                if child.tail:
                    text.add(child.tail, underline)
                continue
            inner = underline or self.styles.underlines(child)
            if tag == "br":
                text.newline()
            elif tag in _BLOCK:
                text.newline()
            if tag == "li" and number is not None:
                number = _value(child, number)
                if not _NUMBERED.match(child.text_content().strip()):
                    text.add(_label(el, number), False)
                number += 1
            self.cell_text(child, text, inner)
            if tag in _BLOCK:
                text.newline()
            if child.tail:
                text.add(child.tail, underline)


def _chrome(el: Any) -> bool:
    """A page's navigation, footer or side bar, named by the element's id or a class."""
    names = f"{el.get('id') or ''} {el.get('class') or ''}".split()
    return any(_CHROME.match(name) for name in names)


# list-style-type (or the type attribute) → numbering.py's kind of counter and the mark after it
_LIST_TYPES = {"1": ("decimal", "."), "decimal": ("decimal", "."), "a": ("a", "."),
               "lower-alpha": ("a", "."), "lower-latin": ("a", "."), "A": ("A", "."),
               "upper-alpha": ("A", "."), "upper-latin": ("A", "."), "i": ("i", "."),
               "lower-roman": ("i", "."), "I": ("I", "."), "upper-roman": ("I", "."),
               "cjk-ideographic": ("cjk", "、"), "trad-chinese-informal": ("cjk", "、"),
               "simp-chinese-informal": ("cjk", "、"), "trad-chinese-formal": ("legal", "、"),
               "cjk-heavenly-stem": ("stems", "、"), "cjk-earthly-branch": ("branches", "、"),
               "cjk-decimal": ("cjk-digits", "、"), "decimal-leading-zero": ("decimal-zero", "."),
               "none": ("", "")}
_LIST_STYLE = re.compile(r"list-style(?:-type)?\s*:\s*([A-Za-z-]+)", re.IGNORECASE)


def _label(ol: Any, number: int) -> str:
    """The marker a browser draws before item `number` of the list `ol`."""
    m = _LIST_STYLE.search(ol.get("style") or "")
    kind, mark = _LIST_TYPES.get(m.group(1).lower() if m else ol.get("type", "1") or "1",
                                 ("decimal", "."))
    if not kind:
        return ""
    return f"{numbering.format_number(number, kind)}{mark} "


def _value(li: Any, number: int) -> int:
    """An item's own number (<li value="4">), else the one counted."""
    try:
        return int(str(li.get("value")).strip())
    except ValueError:
        return number


def _start(ol: Any) -> int:
    try:
        return int(str(ol.get("start", "1")).strip())
    except ValueError:
        return 1


def _rows(table: Any) -> Iterator[Any]:
    for child in table:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag == "tr":
            yield child
        elif tag in ("thead", "tbody", "tfoot"):
            yield from (tr for tr in child if isinstance(tr.tag, str) and tr.tag.lower() == "tr")


def _span(value: str | None, limit: int) -> int:
    try:
        n = int(str(value).strip()) if value is not None else 1
    except ValueError:
        n = 1
    return max(1, min(n, max(1, limit)))
