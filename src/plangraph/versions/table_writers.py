"""The 修正對照表 (table.py) written as HTML (our own small template, every value escaped), DOCX
(python-docx) or ODT (odfdo): the same title, notes, heading rows and rows in each.

Underlined characters are real underlines in every form (<u>, a run with underline on, a span of
an underlined text style), so that a reader of the file sees what the amendment changed, and a
program reading it back finds the same spans.
"""

from __future__ import annotations

import html
import io
from collections.abc import Iterator
from string import Template

from ..documents.markup import Marked
from ..documents.numerals import int_to_cjk
from .table import COLUMNS, DELETED_MARK, NEW_MARK, ComparisonTable, Paragraph, Row

FONT = "標楷體"            # DFKai-SB: what government documents in Taiwan are set in
FONT_FALLBACKS = ["DFKai-SB", "BiauKai", "AR PL UMing TW", "Noto Serif CJK TC", "serif"]


def note_lines(notes: list[str]) -> list[str]:
    """說明 as officials number it: one note alone, or 一、二、… ."""
    if len(notes) == 1:
        return notes
    return [f"{int_to_cjk(k)}、{n}" for k, n in enumerate(notes, start=1)]


def _runs(text: Marked) -> Iterator[tuple[str, bool]]:
    """Maximal runs of the same underline flag."""
    start = 0
    for k in range(1, len(text.text) + 1):
        if k == len(text.text) or text.under[k] != text.under[start]:
            yield text.text[start:k], text.under[start]
            start = k


def _heading_changes(table: ComparisonTable) -> Iterator[tuple[int, str] | Row]:
    """Heading rows (level, text) where a group's headings differ from the group before, then
    the group's rows."""
    previous: tuple[str, ...] = ()
    for g in table.groups:
        same = 0
        while same < min(len(previous), len(g.headings)) and previous[same] == g.headings[same]:
            same += 1
        for level in range(same, len(g.headings)):
            yield level, g.headings[level]
        previous = g.headings
        yield from g.rows


def subtitle(table: ComparisonTable) -> str:
    return f"修正規定：{table.new_version}　現行規定：{table.old_version}"


# -- HTML ------------------------------------------------------------------------------------------

_PAGE = Template("""<!doctype html>
<html lang="zh-Hant">
<head>
<meta charset="utf-8">
<title>$title</title>
<style>
body { font-family: $fonts; margin: 2em; color: #000; }
h1 { font-size: 1.4em; text-align: center; margin-bottom: .2em; }
p.versions { text-align: center; margin-top: 0; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
col.text { width: 37%; } col.notes { width: 26%; }
th, td { border: 1px solid #000; padding: .35em .5em; vertical-align: top; text-align: left; }
thead th { text-align: center; background: #eee; }
tr.heading th { font-weight: bold; background: #f7f7f7; }
td p { margin: 0 0 .3em 0; }
td.mark { text-align: center; vertical-align: middle; }
tr.ambiguous td { background: #fff6d5; }
u { text-decoration: underline; text-underline-offset: .15em; }
@media print { thead { display: table-header-group; } tr { page-break-inside: avoid; } }
</style>
</head>
<body>
<h1>$title</h1>
<p class="versions">$subtitle</p>
$notes<table class="comparison">
<colgroup><col class="text"><col class="text"><col class="notes"></colgroup>
<thead><tr>$header</tr></thead>
<tbody>
$rows</tbody>
</table>
</body>
</html>
""")


def _html_paragraph(p: Paragraph) -> str:
    e = html.escape
    body = "".join(f"<u>{e(t)}</u>" if under else e(t) for t, under in _runs(p.text))
    label = f'<span class="label">{e(p.label)}</span>' if p.label else ""
    return f"<p>{label}{body.replace(chr(10), '<br>')}</p>"


def _html_cell(cell: list[Paragraph] | None, mark: str) -> str:
    if cell is None:
        return f'<td class="mark">{html.escape(mark)}</td>'
    return "<td>" + "".join(_html_paragraph(p) for p in cell) + "</td>"


def to_html(table: ComparisonTable) -> str:
    e = html.escape
    rows = []
    for item in _heading_changes(table):
        if isinstance(item, Row):
            notes = "".join(f"<p>{e(n)}</p>" for n in note_lines(item.notes))
            cls = ' class="ambiguous"' if item.ambiguous else ""
            rows.append(f"<tr{cls}>{_html_cell(item.new, DELETED_MARK)}"
                        f"{_html_cell(item.old, NEW_MARK)}<td>{notes}</td></tr>\n")
        else:
            level, text = item
            rows.append(f'<tr class="heading level-{level}"><th colspan="3" scope="colgroup">'
                        f"{e(text)}</th></tr>\n")
    notes = ""
    if table.notes:
        notes = ('<ul class="notes">' + "".join(f"<li>{e(n)}</li>" for n in table.notes)
                 + "</ul>\n")
    fonts = ", ".join(f'"{f}"' if f != "serif" else f for f in [FONT, *FONT_FALLBACKS])
    return _PAGE.substitute(title=e(table.title), subtitle=e(subtitle(table)), notes=notes,
                            header="".join(f'<th scope="col">{e(c)}</th>' for c in COLUMNS),
                            rows="".join(rows), fonts=fonts)


# -- DOCX ------------------------------------------------------------------------------------------

def to_docx(table: ComparisonTable) -> bytes:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)     # A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    normal = document.styles["Normal"]
    normal.font.size = Pt(11)
    normal.font.name = FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    document.core_properties.title = table.title

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(table.title)
    run.bold, run.font.size = True, Pt(16)
    versions = document.add_paragraph(subtitle(table))
    versions.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for n in table.notes:
        document.add_paragraph(n, style="List Bullet")

    grid = document.add_table(rows=1, cols=3)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (Cm(6.6), Cm(6.6), Cm(3.8))
    header = grid.rows[0]
    header_pr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")                # the header row repeats on every page
    repeat.set(qn("w:val"), "true")
    header_pr.append(repeat)
    for cell, name, width in zip(header.cells, COLUMNS, widths, strict=True):
        cell.width = width
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        cell.paragraphs[0].add_run(name).bold = True

    def fill(cell: docx.table._Cell, paragraphs: list[Paragraph] | None, mark: str) -> None:
        if paragraphs is None:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            cell.paragraphs[0].add_run(mark)
            return
        for k, p in enumerate(paragraphs):
            para = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
            if p.label:
                para.add_run(p.label)
            for text, under in _runs(p.text):
                lines = text.split("\n")
                for i, line in enumerate(lines):
                    if i:
                        para.add_run().add_break()
                    if line:
                        r = para.add_run(line)
                        r.underline = under

    for item in _heading_changes(table):
        cells = grid.add_row().cells
        for cell, width in zip(cells, widths, strict=True):
            cell.width = width
        if isinstance(item, Row):
            fill(cells[0], item.new, DELETED_MARK)
            fill(cells[1], item.old, NEW_MARK)
            for k, line in enumerate(note_lines(item.notes)):
                (cells[2].paragraphs[0] if k == 0 else cells[2].add_paragraph()).add_run(line)
        else:
            merged = cells[0].merge(cells[1]).merge(cells[2])
            merged.paragraphs[0].add_run(item[1]).bold = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -- ODT -------------------------------------------------------------------------------------------

UNDERLINE_STYLE = "修正劃線"           # the text style of the changed words


def to_odt(table: ComparisonTable) -> bytes:
    from odfdo import Cell, Document, Header, LineBreak, Span, Style, Table
    from odfdo import Paragraph as OdfParagraph

    document = Document("text")
    body = document.body
    body.clear()
    changed = Style("text", name=UNDERLINE_STYLE, area="text")
    changed.set_properties({"style:text-underline-style": "solid",
                            "style:text-underline-width": "auto"}, area="text")
    document.insert_style(changed, automatic=True)
    bold = Style("text", name="粗體", area="text", bold=True)
    document.insert_style(bold, automatic=True)
    centered = Style("paragraph", name="置中", area="paragraph", align="center")
    document.insert_style(centered, automatic=True)
    cell_style = Style("table-cell", name="格線", border="0.5pt solid #000000",
                       padding="0.1cm")
    document.insert_style(cell_style, automatic=True)
    document.meta.title = table.title

    body.append(Header(1, table.title))
    body.append(OdfParagraph(subtitle(table), style="置中"))
    for n in table.notes:
        body.append(OdfParagraph(f"・{n}"))

    def paragraph(p: Paragraph) -> OdfParagraph:
        out = OdfParagraph("")
        if p.label:
            out.append(p.label)
        for text, under in _runs(p.text):
            lines = text.split("\n")
            for i, line in enumerate(lines):
                if i:
                    out.append(LineBreak())
                if line:
                    out.append(Span(line, style=UNDERLINE_STYLE) if under else line)
        return out

    def cell(paragraphs: list[Paragraph] | None, mark: str) -> Cell:
        c = Cell(style="格線")
        if paragraphs is None:
            c.append(OdfParagraph(mark, style="置中"))
        else:
            for p in paragraphs:
                c.append(paragraph(p))
        return c

    items = list(_heading_changes(table))
    grid = Table("修正對照表", width=3, height=len(items) + 1)
    for x, name in enumerate(COLUMNS):
        head = Cell(style="格線")
        head.append(OdfParagraph(name, style="置中"))
        grid.set_cell((x, 0), head)
    for y, item in enumerate(items, start=1):
        if isinstance(item, Row):
            grid.set_cell((0, y), cell(item.new, DELETED_MARK))
            grid.set_cell((1, y), cell(item.old, NEW_MARK))
            notes = Cell(style="格線")
            for line in note_lines(item.notes):
                notes.append(OdfParagraph(line))
            grid.set_cell((2, y), notes)
        else:
            head = Cell(style="格線")
            p = OdfParagraph("")
            p.append(Span(item[1], style="粗體"))
            head.append(p)
            grid.set_cell((0, y), head)
            grid.set_span((0, y, 2, y), merge=True)
    body.append(grid)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
