"""The DOCX, ODT and PDF readers at the block level, on small documents invented here and written
by the real libraries (python-docx, odfdo) or printed by headless Chromium: merged cells, the
ways each form underlines, soft line breaks, what is not text, tables across page breaks, page
furniture, Kangxi radicals."""

from __future__ import annotations

import io

import docx
import pdfplumber
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from odfdo import Document, Element

from plangraph.documents.blocks import Cell, Place, Table, TextLine
from plangraph.documents.readers import docx as docx_reader
from plangraph.documents.readers import odt as odt_reader
from plangraph.documents.readers import pdf as pdf_reader
from plangraph.documents.readers.pdf_page import normalise_char
from plangraph.errors import SourceError

from .render.pdf_writer import print_pdf

W = nsdecls("w")


def underlined(cell: Cell | TextLine) -> str:
    return "".join(ch for ch, u in zip(cell.text.text, cell.text.under, strict=True) if u)


def tables(blocks: list) -> list[Table]:
    return [b for b in blocks if isinstance(b, Table)]


def lines(blocks: list) -> list[TextLine]:
    return [b for b in blocks if isinstance(b, TextLine)]


# -- DOCX ---------------------------------------------------------------------------------------

def docx_of(body: str, styles: str = "") -> bytes:
    """A DOCX whose body is this WordprocessingML (plus these styles), saved by python-docx."""
    document = docx.Document()
    element = document.element.body
    section = element.find(qn("w:sectPr"))
    for child in list(element):
        if child is not section:
            element.remove(child)
    for child in parse_xml(f"<w:body {W}>{body}</w:body>"):
        section.addprevious(child)
    for style in parse_xml(f"<w:styles {W}>{styles}</w:styles>"):
        document.styles.element.append(style)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def tc(text: str, props: str = "") -> str:
    paragraphs = "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in text.split("|"))
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{paragraphs}</w:tc>"


def test_docx_merged_cells_keep_their_text_once():
    body = ("<w:tbl><w:tblGrid>" + '<w:gridCol w:w="2000"/>' * 4 + "</w:tblGrid>"
            "<w:tr>" + "".join(tc(h) for h in ("具體策略", "執行措施", "績效目標", "辦理機關"))
            + "</w:tr>"
            "<w:tr>" + tc("(一)策略", '<w:vMerge w:val="restart"/>') + tc("1. 措施")
            + tc("目標與機關", '<w:gridSpan w:val="2"/>') + "</w:tr>"
            "<w:tr>" + tc("", "<w:vMerge/>") + tc("2. 措施") + tc("目標") + tc("機關") + "</w:tr>"
            '<w:tr><w:trPr><w:gridBefore w:val="1"/><w:gridAfter w:val="1"/></w:trPr>'
            + tc("甲") + tc("乙") + "</w:tr>"
            "<w:tr>" + tc("短") + tc("列") + tc("三格") + "</w:tr></w:tbl>")
    [table] = tables(docx_reader.read_bytes(docx_of(body), "t.docx"))
    rows = [[(c.text.text, c.spanned) for c in r.cells] for r in table.rows]
    assert rows[1] == [("(一)策略", False), ("1. 措施", False), ("目標與機關", False), ("", True)]
    assert rows[2] == [("", True), ("2. 措施", False), ("目標", False), ("機關", False)]
    assert rows[3] == [("", False), ("甲", False), ("乙", False), ("", False)]
    assert len(rows[4]) == 3          # a short row is passed on short, for the layout to refuse
    assert table.rows[2].cells[3].place == Place(table=1, row=3, cell=4)
    assert not any(r.after_break for r in table.rows)


def test_docx_underline_from_runs_character_styles_and_paragraph_styles():
    styles = ('<w:style w:type="character" w:styleId="Changed"><w:name w:val="Changed"/>'
              '<w:rPr><w:u w:val="single"/></w:rPr></w:style>'
              '<w:style w:type="character" w:styleId="Amended"><w:name w:val="Amended"/>'
              '<w:basedOn w:val="Changed"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="Redline"><w:name w:val="Redline"/>'
              '<w:rPr><w:u w:val="double"/></w:rPr></w:style>')
    body = ('<w:p><w:r><w:rPr><w:u w:val="single"/></w:rPr><w:t>甲乙</w:t></w:r>'
            "<w:r><w:t>丙</w:t></w:r></w:p>"
            '<w:p><w:r><w:rPr><w:rStyle w:val="Amended"/></w:rPr><w:t>丁</w:t></w:r>'
            "<w:r><w:t>戊</w:t></w:r></w:p>"
            '<w:p><w:pPr><w:pStyle w:val="Redline"/></w:pPr><w:r><w:t>己</w:t></w:r>'
            '<w:r><w:rPr><w:u w:val="none"/></w:rPr><w:t>庚</w:t></w:r></w:p>'
            '<w:p><w:r><w:rPr><w:rStyle w:val="Amended"/><w:u w:val="none"/></w:rPr>'
            "<w:t>辛</w:t></w:r></w:p>")
    found = lines(docx_reader.read_bytes(docx_of(body, styles), "u.docx"))
    assert [(t.text.text, underlined(t)) for t in found] == [
        ("甲乙丙", "甲乙"),          # w:u on the run
        ("丁戊", "丁"),              # a character style based on one that underlines
        ("己庚", "己"),              # the paragraph's style, unless the run says none
        ("辛", ""),                  # the run's own w:u="none" wins over its style
    ]
    assert [t.place for t in found] == [Place(paragraph=n) for n in (1, 2, 3, 4)]


def test_docx_line_breaks_tracked_changes_and_content_controls():
    body = ("<w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t><w:tab/><w:t>後</w:t></w:r></w:p>"
            "<w:p><w:r><w:t>保留</w:t></w:r>"
            '<w:del w:id="1" w:author="a"><w:r><w:delText>刪去</w:delText></w:r></w:del>'
            '<w:ins w:id="2" w:author="a"><w:r><w:t>新增</w:t></w:r></w:ins>'
            '<w:hyperlink w:anchor="x"><w:r><w:t>連結</w:t></w:r></w:hyperlink></w:p>'
            "<w:p/>"
            "<w:sdt><w:sdtContent><w:p><w:r><w:t>控制項內</w:t></w:r></w:p></w:sdtContent></w:sdt>")
    found = lines(docx_reader.read_bytes(docx_of(body), "b.docx"))
    assert [t.text.text for t in found] == ["第一行\n第二行\t後", "保留新增連結", "控制項內"]
    assert found[2].place == Place(paragraph=4)   # the empty paragraph counted, not kept


def test_docx_reader_refuses_what_is_not_a_docx():
    odt = Document("text")
    out = io.BytesIO()
    odt.save(out)
    with pytest.raises(SourceError, match="not a DOCX"):
        docx_reader.read_bytes(out.getvalue(), "x.docx")
    with pytest.raises(SourceError, match="not a complete ZIP archive"):
        docx_reader.read_bytes(b"PK\x03\x04 cut", "x.docx")


# -- ODT ----------------------------------------------------------------------------------------

def odt_of(*elements: str, styles: tuple[str, ...] = ()) -> bytes:
    """An ODT whose body holds these elements (and these automatic styles), saved by odfdo."""
    document = Document("text")
    document.body.clear()
    for style in styles:
        document.insert_style(Element.from_tag(style), automatic=True)
    for element in elements:
        document.body.append(Element.from_tag(element))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def cell(text: str, attrs: str = "") -> str:
    return f"<table:table-cell {attrs}><text:p>{text}</text:p></table:table-cell>"


def test_odt_spanned_and_covered_cells():
    table = ('<table:table table:name="T"><table:table-column table:number-columns-repeated="4"/>'
             "<table:table-header-rows><table:table-row>"
             + "".join(cell(h) for h in ("具體策略", "執行措施", "績效目標", "辦理機關"))
             + "</table:table-row></table:table-header-rows>"
             "<table:table-row>" + cell("(一)策略", 'table:number-rows-spanned="2"')
             + cell("1. 措施") + cell("目標與機關", 'table:number-columns-spanned="2"')
             + "<table:covered-table-cell/></table:table-row>"
             "<table:table-row><table:covered-table-cell/>" + cell("2. 措施")
             + '<table:table-cell table:number-columns-repeated="2"/></table:table-row>'
             "</table:table>")
    [found] = tables(odt_reader.read_bytes(odt_of(table), "t.odt"))
    rows = [[(c.text.text, c.spanned) for c in r.cells] for r in found.rows]
    assert rows[1] == [("(一)策略", False), ("1. 措施", False), ("目標與機關", False), ("", True)]
    assert rows[2] == [("", True), ("2. 措施", False), ("", False), ("", False)]
    assert found.rows[2].cells[1].place == Place(table=1, row=3, cell=2)


def test_odt_underline_from_span_and_paragraph_styles():
    styles = ('<style:style style:name="U" style:family="text"><style:text-properties '
              'style:text-underline-style="solid" style:text-underline-width="auto"/>'
              "</style:style>",
              '<style:style style:name="NoU" style:family="text"><style:text-properties '
              'style:text-underline-style="none"/></style:style>',
              '<style:style style:name="PU" style:family="paragraph"><style:text-properties '
              'style:text-underline-style="wave"/></style:style>',
              '<style:style style:name="Child" style:family="text" '
              'style:parent-style-name="U"/>',
              '<style:style style:name="TypeNone" style:family="text"><style:text-properties '
              'style:text-underline-style="solid" style:text-underline-type="none"/>'
              "</style:style>")
    found = lines(odt_reader.read_bytes(odt_of(
        '<text:p>甲<text:span text:style-name="U">乙丙</text:span>丁</text:p>',
        '<text:p text:style-name="PU">戊<text:span text:style-name="NoU">己</text:span></text:p>',
        '<text:p>庚<text:span text:style-name="Child">辛</text:span>'
        '<text:span text:style-name="TypeNone">壬</text:span></text:p>',
        styles=styles), "u.odt"))
    assert [(t.text.text, underlined(t)) for t in found] == [
        ("甲乙丙丁", "乙丙"),     # a span's automatic style
        ("戊己", "戊"),           # the paragraph's style, unless a span says none
        ("庚辛壬", "辛"),         # a style whose parent underlines; underline type none
    ]


def test_odt_spaces_breaks_lists_sections_and_what_is_not_text():
    found = lines(odt_reader.read_bytes(odt_of(
        '<text:h text:outline-level="2">肆、具體作為</text:h>',
        '<text:p>a<text:s text:c="3"/>b<text:tab/>c<text:line-break/>下一行'
        "<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>註"
        "</text:p></text:note-body></text:note><text:soft-page-break/>完</text:p>",
        "<text:list><text:list-item><text:p>一、列表項</text:p></text:list-item></text:list>",
        '<text:section text:name="S"><text:p>節內</text:p></text:section>',
        "<text:p/>"), "t.odt"))
    assert [t.text.text for t in found] == ["肆、具體作為", "a   b\tc\n下一行完", "一、列表項", "節內"]


def test_odt_reader_refuses_what_is_not_an_odt():
    out = io.BytesIO()
    docx.Document().save(out)
    with pytest.raises(SourceError, match="not an ODT"):
        odt_reader.read_bytes(out.getvalue(), "x.odt")
    with pytest.raises(SourceError, match="not a complete ZIP archive"):
        odt_reader.read_bytes(b"PK\x03\x04 cut", "x.odt")


# -- PDF ----------------------------------------------------------------------------------------

def test_kangxi_radicals_and_compatibility_ideographs_become_ideographs_and_nothing_else():
    assert normalise_char("\u2f8f") == "行"          # ⾏ KANGXI RADICAL WALK ENCLOSURE
    assert normalise_char("\u2f08") == "人"          # ⼈
    assert normalise_char("\u2ea0") == "民"          # ⺠ CJK RADICAL CIVILIAN (no NFKC form)
    assert normalise_char("\u2ed1") == "長"          # ⻑
    assert normalise_char("\uf9b5") == "例"          # a CJK compatibility ideograph
    assert normalise_char("\U0002f8a6") == "\u6148"  # a supplementary compatibility ideograph
    for kept in "（），、：「」１Ａ　行民":              # full-width forms carry meaning here
        assert normalise_char(kept) == kept


TALL = "本措施之文字甚長，須跨頁印出，以驗證跨頁之儲存格能接續讀回。" * 45
PAGE = f"""<!doctype html><html><head><meta charset="utf-8"><title>測試文件</title><style>
body {{ font-family: 'Noto Sans CJK TC'; font-size: 12pt; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border: 1px solid #000; vertical-align: top; padding: 2px; }}
td.narrow {{ width: 8%; text-align: justify; }}
</style></head><body>
<h1>修正國家廉政建設行動方案第肆點、第陸點</h1>
<p>一、本段文字相當長，需要在頁面上折成兩行以上，讀回時應為同一段落，而不是兩個段落；段落中間的換行只是排版所致，並不代表內容的分段，這一點與表格儲存格中的換行相同。</p>
<table><thead><tr><th>具體策略</th><th>執行措施</th><th>績效目標</th><th>辦理機關</th></tr></thead>
<tbody>
<tr><td class="narrow">(一)強化行政院人事行政總處與內政部入出國及移民署之協調</td>
<td>甲<u>乙丙</u>丁<s>戊己</s>庚 Asia Pacific Economic Cooperation</td><td>定期提報。</td>
<td>行政院人事行政總處</td></tr>
<tr><td class="narrow">(二)跨頁</td><td>{TALL}</td><td>每年一次。</td><td>法務部</td></tr>
<tr><td class="narrow">(三)末列</td><td>最後一列。</td><td>遇案辦理。</td><td>各機關</td></tr>
</tbody></table></body></html>"""


@pytest.fixture(scope="module")
def printed() -> bytes:
    return print_pdf(PAGE)


def test_pdf_text_layer_has_radicals_that_read_back_as_ideographs(printed):
    with pdfplumber.open(io.BytesIO(printed)) as pdf:
        layer = "".join(c["text"] for page in pdf.pages for c in page.chars)
    assert "\u2f8f" in layer or "\u2f08" in layer     # the text layer really has radicals
    [table] = tables(pdf_reader.read_bytes(printed, "p.pdf"))
    assert table.rows[1].cells[3].text.text == "行政院人事行政總處"
    assert "\u2f8f" not in str([c.text.text for r in table.rows for c in r.cells])


def test_pdf_table_goes_on_over_the_page_break_with_its_header_once(printed):
    blocks = pdf_reader.read_bytes(printed, "p.pdf")
    [table] = tables(blocks)
    assert [r.cells[0].text.text for r in table.rows] == [
        "具體策略", "(一)強化行政院人事行政總處與內政部入出國及移民署之協調", "(二)跨頁", "(三)末列"]
    assert table.rows[2].cells[1].text.text == TALL    # the cut row, whole and in order
    assert table.rows[3].place.page > table.rows[2].place.page
    assert [c.text.text for c in table.rows[3].cells] == ["(三)末列", "最後一列。", "遇案辦理。",
                                                         "各機關"]


def test_pdf_underline_is_told_from_strikethrough_and_from_rules(printed):
    [table] = tables(pdf_reader.read_bytes(printed, "p.pdf"))
    measure = table.rows[1].cells[1]
    assert measure.text.text == "甲乙丙丁戊己庚Asia Pacific Economic Cooperation"
    assert underlined(measure) == "乙丙"
    assert not any(c.text.underlined for r in table.rows for c in r.cells if c is not measure)


def test_pdf_narrow_justified_cells_have_no_spaces_between_characters(printed):
    [table] = tables(pdf_reader.read_bytes(printed, "p.pdf"))
    assert " " not in table.rows[1].cells[0].text.text


def test_pdf_paragraphs_rejoined_and_page_furniture_dropped(printed):
    blocks = pdf_reader.read_bytes(printed, "p.pdf")
    texts = [t.text.text for t in lines(blocks)]
    assert texts == ["修正國家廉政建設行動方案第肆點、第陸點",
                     "一、本段文字相當長，需要在頁面上折成兩行以上，讀回時應為同一段落，而不是兩個段落；"
                     "段落中間的換行只是排版所致，並不代表內容的分段，這一點與表格儲存格中的換行相同。"]
    assert [t.place for t in lines(blocks)] == [Place(page=1, paragraph=1),
                                                Place(page=1, paragraph=2)]
    with pdfplumber.open(io.BytesIO(printed)) as pdf:   # Chromium printed its furniture…
        assert "file://" in "".join(c["text"] for c in pdf.pages[0].chars).replace("ﬁ", "fi")
    everything = " ".join(texts + [c.text.text for t in tables(blocks) for r in t.rows
                                   for c in r.cells])
    assert "file:" not in everything and "測試文件" not in everything   # …and none is read


def test_pdf_without_a_text_layer_is_refused_naming_page_1():
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(out, format="PDF")
    with pytest.raises(SourceError, match="page 1: no text layer: scanned"):
        pdf_reader.read_bytes(out.getvalue(), "scan.pdf")


def test_pdf_that_is_not_one_or_is_cut_short():
    with pytest.raises(SourceError, match="not a PDF"):
        pdf_reader.read_bytes(b"hello", "x.pdf")
    with pytest.raises(SourceError, match="cut short"):
        pdf_reader.read_bytes(b"%PDF-1.4\n1 0 obj", "x.pdf")
