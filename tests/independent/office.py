"""Point 肆 as a ministry's draft: DOCX by python-docx, ODT by odfdo, written as a person would
script it — real heading styles, the header row repeated on each page, a strategy's cell merged
down over its measures (or left blank below it), underlined runs (direct or by a character
style), several targets as paragraphs or as line breaks in one cell.
"""

from __future__ import annotations

import io
import itertools
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from .content import HEADER, Cell, Plan, Row


@dataclass
class Style:
    merge: bool = True             # a strategy's cell merged down (vMerge / rows-spanned)
    covered: bool = True           # ODT: the covered cells written (pandoc leaves them out)
    items: str = "paragraphs"      # several items in a cell: paragraphs, breaks (soft line breaks)
    underline: str = "direct"      # direct (on the run), style (a character style)
    one_table: bool = False        # all of 肆 in one table, area headings as merged rows
    repeat_header: bool = True
    subarea_row: str = "merged"    # (二)防貪: merged across the row, or a first cell alone
    auto_numbers: bool = False     # 1. 2. of measures and targets, 一、 of the areas (DOCX) and
                                   # of 陸's clauses drawn by the program's numbering, not typed
    go_on: str = "continue-list"   # ODT: how a strategy's measures go on from cell to cell:
                                   # continue-list (by id), continue-numbering, start-value


_NUMBER = re.compile(r"^([0-9]+)\. ")


def unnumbered(cell: Cell) -> Cell:
    """The cell without the item number it starts with (the program draws it)."""
    runs = list(cell.runs)
    runs[0] = (_NUMBER.sub("", runs[0][0], count=1), runs[0][1])
    return Cell(runs)


def items(cell: Cell) -> list[Cell]:
    return cell.items() if re.match(r"[0-9]+\. ", cell.text) else [cell]


def strategy_items(cell: Cell) -> list[Cell]:
    """(一)肅貪： and strategy 1. as two paragraphs of the cell."""
    text = cell.text
    m = re.match(r"^(\([一二]\)[^：]{2,3}：)\s*", text)
    if not m:
        return [cell]
    return [Cell([(m.group(1), False)]), Cell([(text[m.end():], False)])]


def groups(rows: list[Row]) -> list[list[Row]]:
    out: list[list[Row]] = []
    for row in rows:
        if row.strategy is not None or not out:
            out.append([row])
        else:
            out[-1].append(row)
    return out


# -- DOCX -------------------------------------------------------------------------------------


def docx(plan: Plan, style: Style | None = None) -> bytes:
    import docx as python_docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import Pt

    style = style or Style()
    doc = python_docx.Document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(11)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Serif CJK TC")
    if style.underline == "style":
        changed = doc.styles.add_style("修正文字", WD_STYLE_TYPE.CHARACTER)
        changed.font.underline = True

    numbering = doc.part.numbering_part.element
    abstracts: dict[tuple[str, str, str], str] = {}

    def numbered(fmt: str, text: str, purpose: str) -> str:
        """A new list (w:num) of the definition for fmt/text, counting from 1. Lists of one
        definition share its counter (Word's and LibreOffice's way): one definition for each
        purpose, so that targets restarting at 1 do not restart the measures."""
        if (fmt, text, purpose) not in abstracts:
            aid = str(100 + len(abstracts))
            abstracts[(fmt, text, purpose)] = aid
            definition = parse_xml(
                f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{aid}">'
                '<w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/>'
                f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/><w:suff w:val="space"/>'
                '</w:lvl></w:abstractNum>')
            first_num = numbering.find(qn("w:num"))
            if first_num is not None:
                first_num.addprevious(definition)
            else:
                numbering.append(definition)
        nid = str(200 + len(numbering.findall(qn("w:num"))))
        numbering.append(parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{nid}">'
            f'<w:abstractNumId w:val="{abstracts[(fmt, text, purpose)]}"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))
        return nid

    def number(paragraph, nid: str) -> None:
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{nid}"/></w:numPr>'))

    def fill(cell_obj, parts: list[Cell], nid: str | None = None) -> None:
        """nid: the parts are items of that list (their typed numbers dropped)."""
        paragraph = cell_obj.paragraphs[0]
        for i, part in enumerate(parts):
            if nid is not None:
                part = unnumbered(part)
                if i:
                    paragraph = cell_obj.add_paragraph()
                number(paragraph, nid)
            elif i and style.items == "paragraphs":
                paragraph = cell_obj.add_paragraph()
            elif i:
                paragraph.add_run().add_break()
            for text, under in part.runs:
                run = paragraph.add_run(text)
                if under and style.underline == "style":
                    run.style = "修正文字"
                elif under:
                    run.underline = True

    def new_table():
        table = doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        header = table.rows[0]
        for i, label in enumerate(HEADER):
            header.cells[i].text = label
        if style.repeat_header:
            tr_pr = header._tr.get_or_add_trPr()
            mark = OxmlElement("w:tblHeader")
            mark.set(qn("w:val"), "true")
            tr_pr.append(mark)
        return table

    def add_rows(table, rows: list[Row]) -> None:
        for group in groups(rows):
            first = None
            # one list for the measures of a strategy, going on from cell to cell
            measures = numbered("decimal", "%1.", "measures") if style.auto_numbers else None
            for row in group:
                cells = table.add_row().cells
                if row.is_heading:
                    assert row.strategy is not None
                    if style.subarea_row == "merged":
                        cells[0].merge(cells[3])
                    fill(cells[0], [row.strategy])
                    continue
                if row.strategy is not None:
                    fill(cells[0], strategy_items(row.strategy))
                    first = cells[0]
                elif style.merge and first is not None:
                    first = first.merge(cells[0])
                numbered_measure = measures is not None and _NUMBER.match(row.measure.text)
                fill(cells[1], items(row.measure), measures if numbered_measure else None)
                targets = items(row.target)
                fill(cells[2], targets, numbered("decimal", "%1.", "targets")
                     if style.auto_numbers and len(targets) > 1 else None)
                fill(cells[3], [row.agency])

    doc.add_heading(plan.title, level=1)
    doc.add_heading(plan.point4, level=2)
    if style.one_table:
        table = new_table()
        for t in plan.tables:
            cells = table.add_row().cells
            merged = cells[0].merge(cells[3])
            merged.text = t.heading
            add_rows(table, t.rows)
    else:
        areas = numbered("taiwaneseCountingThousand", "%1、", "areas") if style.auto_numbers \
            else None
        for t in plan.tables:
            if t.heading and areas is not None:
                number(doc.add_heading(re.sub(r"^[一二三四五六七八]、", "", t.heading), level=3),
                       areas)
            elif t.heading:              # the flat layout has no area headings
                doc.add_heading(t.heading, level=3)
            add_rows(new_table(), t.rows)
    doc.add_heading(plan.point6, level=2)
    clauses = numbered("taiwaneseCountingThousand", "%1、", "clauses") if style.auto_numbers \
        else None
    for clause in plan.clauses:
        if clauses is not None:
            number(doc.add_paragraph(re.sub(r"^[一二三四五六七八九十]+、", "", clause)), clauses)
        else:
            doc.add_paragraph(clause)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# -- ODT --------------------------------------------------------------------------------------


def _spans(cell: Cell) -> str:
    out = []
    for text, under in cell.runs:
        t = escape(text)
        out.append(f'<text:span text:style-name="U">{t}</text:span>' if under else t)
    return "".join(out)


def _cell_xml(parts: list[Cell], style: Style, attrs: str = "") -> str:
    if style.items == "breaks":
        body = '<text:p text:style-name="Table_20_Contents">' + "<text:line-break/>".join(
            _spans(p) for p in parts) + "</text:p>"
    else:
        body = "".join(f'<text:p text:style-name="Table_20_Contents">{_spans(p)}</text:p>'
                       for p in parts)
    return f'<table:table-cell office:value-type="string"{attrs}>{body}</table:table-cell>'


def _list_xml(parts: list[Cell], list_style: str, attrs: str = "", start: int = 0) -> str:
    """Items of a list the program numbers (their typed numbers dropped); start: the first
    item's own start value."""
    first = f' text:start-value="{start}"' if start else ""
    items_xml = "".join(
        f'<text:list-item{"" if i else first}>'
        f'<text:p text:style-name="Table_20_Contents">{_spans(unnumbered(p))}</text:p>'
        "</text:list-item>" for i, p in enumerate(parts))
    return f'<text:list text:style-name="{list_style}"{attrs}>{items_xml}</text:list>'


def _numbered_cell(parts: list[Cell], list_style: str, attrs: str = "", start: int = 0) -> str:
    return ('<table:table-cell office:value-type="string">'
            f"{_list_xml(parts, list_style, attrs, start)}</table:table-cell>")


# list styles: measures and targets 1. (each its own style, so that continuing one never
# continues the other), clauses 一、
_LIST_STYLES = "".join(
    f'<text:list-style style:name="{name}"><text:list-level-style-number text:level="1" '
    f'style:num-suffix="{suffix}" style:num-format="{fmt}"/></text:list-style>'
    for name, fmt, suffix in (("LM", "1", "."), ("LT", "1", "."), ("LC", "一, 二, 三, ...", "、")))


_LIST_IDS = itertools.count(1)


def _covered() -> str:
    return "<table:covered-table-cell/>"


def _rows_xml(rows: list[Row], style: Style) -> list[str]:
    out = []
    for group in groups(rows):
        list_id = f"measures-{next(_LIST_IDS)}"
        for k, row in enumerate(group):
            cells = []
            if row.is_heading:
                assert row.strategy is not None
                if style.subarea_row == "merged":
                    cells.append(_cell_xml([row.strategy], style,
                                           ' table:number-columns-spanned="4"'))
                    if style.covered:
                        cells += [_covered()] * 3
                else:
                    cells.append(_cell_xml([row.strategy], style))
                    cells += [_cell_xml([Cell()], style)] * 3
                out.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
                continue
            if row.strategy is not None:
                span = f' table:number-rows-spanned="{len(group)}"' if style.merge and \
                    len(group) > 1 else ""
                cells.append(_cell_xml(strategy_items(row.strategy), style, span))
            elif not style.merge:
                cells.append(_cell_xml([Cell()], style))
            elif style.covered:
                cells.append(_covered())
            targets = items(row.target)
            if style.auto_numbers and _NUMBER.match(row.measure.text):
                # the measures of a strategy: one list going on from cell to cell
                measure = items(row.measure)
                if style.go_on == "start-value":
                    n = int(_NUMBER.match(row.measure.text).group(1))  # type: ignore[union-attr]
                    cells.append(_numbered_cell(measure, "LM", start=n))
                else:
                    go_on = (f' xml:id="{list_id}"' if not k else
                             f' text:continue-list="{list_id}"' if style.go_on == "continue-list"
                             else ' text:continue-numbering="true"')
                    cells.append(_numbered_cell(measure, "LM", go_on))
            else:
                cells.append(_cell_xml(items(row.measure), style))
            if style.auto_numbers and len(targets) > 1:
                cells.append(_numbered_cell(targets, "LT"))
            else:
                cells.append(_cell_xml(targets, style))
            cells.append(_cell_xml([row.agency], style))
            out.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    return out


def _table_xml(name: str, rows: list[str], style: Style) -> str:
    header = "<table:table-row>" + "".join(
        _cell_xml([Cell([(h, False)])], style) for h in HEADER) + "</table:table-row>"
    if style.repeat_header:
        header = f"<table:table-header-rows>{header}</table:table-header-rows>"
    return (f'<table:table table:name="{name}"><table:table-column '
            f'table:number-columns-repeated="4"/>{header}{"".join(rows)}</table:table>')


def odt(plan: Plan, style: Style | None = None) -> bytes:
    import odfdo

    style = style or Style()
    doc = odfdo.Document("text")
    body = doc.body
    body.clear()
    underline = odfdo.Element.from_tag(
        '<style:style style:name="U" style:family="text"><style:text-properties '
        'style:text-underline-style="solid" style:text-underline-width="auto" '
        'style:text-underline-color="font-color"/></style:style>')
    automatic = doc.content.get_element("//office:automatic-styles")
    automatic.append(underline)
    if style.auto_numbers:
        for list_style in odfdo.Element.from_tag(f"<office:automatic-styles>{_LIST_STYLES}"
                                                 "</office:automatic-styles>").children:
            automatic.append(list_style)

    def heading(text: str, level: int) -> None:
        body.append(odfdo.Header(level, escape(text)))

    heading(plan.title, 1)
    heading(plan.point4, 2)
    if style.one_table:
        rows: list[str] = []
        for t in plan.tables:
            cover = _covered() * 3 if style.covered else ""
            rows.append("<table:table-row>" + _cell_xml(
                [Cell([(t.heading, False)])], style, ' table:number-columns-spanned="4"')
                + cover + "</table:table-row>")
            rows += _rows_xml(t.rows, style)
        body.append(odfdo.Element.from_tag(_table_xml("肆", rows, style)))
    else:
        for n, t in enumerate(plan.tables, 1):
            if t.heading:
                heading(t.heading, 3)
            body.append(odfdo.Element.from_tag(_table_xml(f"表{n}", _rows_xml(t.rows, style),
                                                          style)))
    heading(plan.point6, 2)
    if style.auto_numbers:
        clauses = [Cell([(re.sub(r"^[一二三四五六七八九十]+、", "", c), False)]) for c in plan.clauses]
        body.append(odfdo.Element.from_tag(_list_xml(clauses, "LC")))
    else:
        for clause in plan.clauses:
            body.append(odfdo.Paragraph(clause))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
