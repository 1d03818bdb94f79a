"""The seed in forms rendered apart from the project's own writers (tests/independent/), read
back as the same 91 measures: their text, targets, agencies, cooperating bodies and underlines
(where the form keeps underlines) equal to the seed's own reading.

Each rendering is a habit of a real tool or person; each case here once failed, or guards a habit
the readers already handled. Most are read in process (the document tree the build starts from);
one per form goes through the real `plangraph build` and `plangraph export measures`.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile

import pytest

from plangraph.documents.reading import parse_document
from plangraph.documents.source import load_source
from plangraph.errors import SourceError
from plangraph.model.registry import Registry

from .conftest import SEED, run_cli
from .independent import box, content, flat, html, office, pdf, tab
from .independent.compare import differences, measure_records, tree_differences


@pytest.fixture(scope="module")
def plan() -> content.Plan:
    return content.load()


@pytest.fixture(scope="module")
def seed_records(registry: Registry) -> list[dict]:
    source = load_source(SEED)
    doc = parse_document(source.data, registry, path=SEED, errata=source.errata)
    return measure_records(doc)


def read(data: bytes, registry: Registry, name: str, form: str | None = None) -> list[dict]:
    doc = parse_document(data, registry, path=name, form=form)
    return measure_records(doc)


def test_the_content_is_the_seeds(plan: content.Plan, seed_records: list[dict]) -> None:
    """The independent parser of the seed agrees with the reading: 91 measures, in order."""
    rows = content.measure_rows(plan)
    assert len(rows) == len(seed_records) == 91
    assert [r.agency.text for r in rows][:2] == ["法務部廉政署", "法務部、法務部廉政署"]


BOX = {
    "default": box.Style(),
    # (一)肅貪： on its own line above strategy 1. (the colon was doubled, and 1. refused)
    "subarea-own-line": box.Style(break_subarea=True),
    "narrow": box.Style(widths=(5, 10, 6, 6), indent=2),
    "wide": box.Style(widths=(12, 24, 14, 12), indent=4),
    "no-indent": box.Style(indent=0),
    "text-through-rules": box.Style(through_rule=True),
    # all of 肆 as one table, the areas as rows across it below the one header
    "one-table": box.Style(one_table=True),
    "ascii-forms": box.Style(ascii_punct="forms"),
    "ascii-forms-narrow": box.Style(ascii_punct="forms", widths=(6, 11, 7, 7)),
    # 。 made . as well: an agency cell ends in . and the last clause too
    "ascii-all": box.Style(ascii_punct="all"),
    "one-table-ascii-through": box.Style(one_table=True, ascii_punct="all", through_rule=True),
    "full-width-padding": box.Style(pad="\u3000"),
    "indented-copy": box.Style(margin="  "),
    "heavy-lines": box.Style(lines="heavy"),
    "double-lines-one-table": box.Style(lines="double", one_table=True),
    "crlf-and-bom": box.Style(newline="\r\n", encoding="utf-8-sig"),
    "header-cut-over-two-lines": box.Style(widths=(3, 10, 4, 4), indent=2),
    "narrow-one-table-full-width-padding": box.Style(widths=(3, 10, 4, 3), one_table=True,
                                                     pad="\u3000"),
}


@pytest.mark.parametrize("name", list(BOX))
def test_box_drawn(name: str, plan: content.Plan, registry: Registry,
                   seed_records: list[dict]) -> None:
    style = BOX[name]
    data = box.encode(box.render(plan, style), style)
    got = read(data, registry, f"{name}.txt")
    # box-drawn text keeps no underlines
    want = [{k: v for k, v in r.items() if k != "underlined"} for r in seed_records]
    got = [{k: v for k, v in r.items() if k != "underlined"} for r in got]
    assert tree_differences(got, want, fold=bool(style.ascii_punct)) == []


HTML = {
    # a news page: nav before the plan, a footer after it in <div id="footer"> (read as a line
    # of 陸 before)
    "default": html.Style(),
    "one-table": html.Style(one_table=True),
    "blank-cells": html.Style(rowspan=False),
    "items-in-p": html.Style(items="p"),
    "items-run-on": html.Style(items="none"),
    "css-underline": html.Style(underline="css"),
    "class-underline": html.Style(underline="class"),
    "nbsp": html.Style(nbsp=True),
    "td-header-attrs": html.Style(thead=False, attrs=True),
    "layout-table": html.Style(layout_table=True),
    "subarea-cells": html.Style(subarea_colspan=False),
    "p-headings": html.Style(headings="p"),
    "div-headings": html.Style(headings="div"),
    "big5": html.Style(encoding="big5"),
    "crlf": html.Style(newline="\r\n", attrs=True),
    "caption": html.Style(caption=True),
    "row-headers": html.Style(row_headers=True, caption=True),
    "ol-targets": html.Style(items="ol"),
    "subarea-inline": html.Style(subarea_break=False),
    "one-table-blank-cells": html.Style(one_table=True, rowspan=False, subarea_colspan=False),
    # a news release: its contact line and a print link after 陸 (they were 'a line that is no
    # heading, clause or table row')
    "contact-line": html.Style(contact=True),
    # line breaks in the markup inside cells were read as line breaks: "1.\n\t研議…" became an
    # item number alone on a line (a second numbered strategy), and items cut in two
    # <u> across <font> runs (a digit in another font), overlapping them as LibreOffice saves
    # it: the underline stopped at the first </font> ('每年至少辦理內部稽核1次。' lost 1次。)
    "overlapping-underline": html.Style(underline="libreoffice"),
    # 陸's clauses as a list whose numbers the browser draws (一、): they were lost
    "clauses-in-ol": html.Style(clause_list="trad-chinese-informal"),
    "clauses-in-ol-cjk-ideographic": html.Style(clause_list="cjk-ideographic", items="ol"),
    "pretty-markup": html.Style(pretty=True),
    "pretty-markup-p": html.Style(pretty=True, items="p", row_headers=True),
}


@pytest.mark.parametrize("name", list(HTML))
def test_html(name: str, plan: content.Plan, registry: Registry,
              seed_records: list[dict]) -> None:
    got = read(html.render(plan, HTML[name]), registry, f"{name}.html")
    assert tree_differences(got, seed_records) == []


def test_html_verbatim(registry: Registry, seed_records: list[dict]) -> None:
    """The extraction put into <table> line by line, its page-break rows and tags kept."""
    got = read(html.verbatim(), registry, "verbatim.html")
    assert tree_differences(got, seed_records) == []


def test_a_paragraph_between_clauses_is_still_an_error(plan: content.Plan,
                                                       registry: Registry) -> None:
    """Only paragraphs after the last clause are a page's back matter: one between clauses is
    an error naming it, and so is a clause after the back matter."""
    page = html.render(plan, html.Style()).decode()
    stray = page.replace("<p>五、", "<p>附件：分工表</p><p>五、")
    with pytest.raises(SourceError, match=r"paragraph \d+, 陸、.*'附件：分工表'"):
        read(stray.encode(), registry, "stray.html")
    assert "附件" not in page


OFFICE = {
    "default": office.Style(),
    "blank-cells": office.Style(merge=False),
    "line-breaks": office.Style(items="breaks"),
    "underline-by-character-style": office.Style(underline="style"),
    "one-table": office.Style(one_table=True),
    "subarea-first-cell": office.Style(subarea_row="cell"),
    "header-not-repeated": office.Style(repeat_header=False),
}


# the numbers of measures, targets, areas and clauses drawn by the program's automatic
# numbering, not typed: they were lost, and two targets read as one
AUTO = {"docx": lambda p: office.docx(p, office.Style(auto_numbers=True)),
        "odt-continue-list": lambda p: office.odt(p, office.Style(auto_numbers=True)),
        "odt-continue-numbering": lambda p: office.odt(p, office.Style(
            auto_numbers=True, go_on="continue-numbering")),
        "odt-start-value": lambda p: office.odt(p, office.Style(auto_numbers=True,
                                                               go_on="start-value"))}


@pytest.mark.parametrize("name", list(AUTO))
def test_automatic_numbering(name: str, plan: content.Plan, registry: Registry,
                             seed_records: list[dict]) -> None:
    data = AUTO[name](plan)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml" if name == "docx" else "content.xml").decode()
    assert "研修「獎勵保護檢舉" in xml and "1. 研修「獎勵保護檢舉" not in xml
    assert tree_differences(read(data, registry, name), seed_records) == []


@pytest.mark.parametrize("name", list(OFFICE))
def test_docx(name: str, plan: content.Plan, registry: Registry,
              seed_records: list[dict]) -> None:
    got = read(office.docx(plan, OFFICE[name]), registry, f"{name}.docx")
    assert tree_differences(got, seed_records) == []


ODT = {**OFFICE,
       # cells merged down or across with no covered cells after them, as pandoc writes ODT
       # (LibreOffice lays them out as merged): the rows were a cell short
       "no-covered-cells": office.Style(covered=False),
       "no-covered-cells-one-table": office.Style(covered=False, one_table=True)}


@pytest.mark.parametrize("name", list(ODT))
def test_odt(name: str, plan: content.Plan, registry: Registry,
             seed_records: list[dict]) -> None:
    got = read(office.odt(plan, ODT[name]), registry, f"{name}.odt")
    assert tree_differences(got, seed_records) == []


FLAT = {
    "tab": lambda p: tab.render(p).encode(),
    "box": lambda p: box.render(p).encode(),
    "box-ascii-parens": lambda p: box.render(p, box.Style(ascii_punct="forms",
                                                          widths=(7, 13, 8, 8))).encode(),
    "html": lambda p: html.render(p),
    "html-blank-cells": lambda p: html.render(p, html.Style(items="p", rowspan=False)),
    "docx": lambda p: office.docx(p),
    "odt": lambda p: office.odt(p, office.Style(covered=False)),
}


@pytest.mark.parametrize("name", list(FLAT))
@pytest.mark.parametrize("numbering", ["（一）, one measure unnumbered", "(一) every measure"])
def test_flat_layout(name: str, numbering: str, plan: content.Plan, registry: Registry,
                     seed_records: list[dict]) -> None:
    """The seed laid out as the plan is from 2018 on: the same measures, keyed strategy.measure
    (1.1, 2.1, 2.2, …, 48.1)."""
    every = numbering.startswith("(")
    laid_out = flat.flat(plan, parens="()" if every else "（）", number_single=every)
    got = read(FLAT[name](laid_out), registry, f"flat-{name}")
    assert [r["key"] for r in got] == flat.keys(laid_out)
    assert flat.keys(laid_out)[-1] == "48.1"
    want = seed_records
    if name.startswith("box"):      # box-drawn text keeps no underlines
        got = [{k: v for k, v in r.items() if k != "underlined"} for r in got]
        want = [{k: v for k, v in r.items() if k != "underlined"} for r in want]
    assert tree_differences(got, want, keys=False, fold="ascii" in name) == []


needs_chromium = pytest.mark.skipif(not pdf.CHROMIUM.exists(),
                                    reason="headless Chromium (/usr/bin/chromium) prints the PDFs")


@needs_chromium
@pytest.mark.parametrize("name,style,layout", [
    ("landscape-header-footer-css-underline",
     pdf.Style(landscape=True, header_footer=True, page=html.Style(underline="css")), "2014"),
    ("uming-narrow-strategy-column", pdf.Style(font="AR PL UMing TW",
                                               widths=("12%", "48%", "22%", "18%")), "2014"),
    ("wenquanyi-letter-one-table", pdf.Style(font="WenQuanYi Micro Hei Mono", paper="Letter",
                                             page=html.Style(one_table=True)), "2014"),
    # an area's heading row across the table at a page's foot: Chromium draws no rule under
    # it, and the first row of the next page was joined to it as a cut row ('行政院人事行政總處
    # 金融監督管理委員會', an unknown agency)
    ("area-heading-at-page-foot", pdf.Style(page=html.Style(one_table=True),
                                            break_after="三、"), "2014"),
    ("flat", pdf.Style(), "flat"),
])
def test_pdf_printed_by_chromium(name: str, style: pdf.Style, layout: str, plan: content.Plan,
                                 registry: Registry, seed_records: list[dict]) -> None:
    laid_out = flat.flat(plan) if layout == "flat" else plan
    got = read(pdf.render(laid_out, style), registry, f"{name}.pdf")
    assert tree_differences(got, seed_records, keys=layout != "flat") == []


SOFFICE, PANDOC = shutil.which("soffice"), shutil.which("pandoc")


@pytest.mark.skipif(not SOFFICE, reason="LibreOffice (a test dependency: scripts/install-test-deps)")
def test_html_saved_by_libreoffice(plan: content.Plan, registry: Registry, tmp_path,
                                   seed_records: list[dict]) -> None:
    """A DOCX draft saved as a web page by LibreOffice: its markup indented inside the cells
    (the source line breaks were read as line breaks)."""
    (tmp_path / "draft.docx").write_bytes(office.docx(plan, office.Style(items="breaks")))
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--convert-to", "html", "--outdir", str(tmp_path), str(tmp_path / "draft.docx")],
                   check=True, capture_output=True, timeout=180)
    page = (tmp_path / "draft.html").read_bytes()
    assert b"LibreOffice" in page and re.search(rb"<br/>\s*\n\s*2\.", page)
    assert tree_differences(read(page, registry, "draft.html"), seed_records) == []


@pytest.mark.skipif(not PANDOC, reason="pandoc (a test dependency: scripts/install-test-deps)")
def test_odt_written_by_pandoc(plan: content.Plan, registry: Registry, tmp_path,
                               seed_records: list[dict]) -> None:
    """pandoc writes rowspans with no covered cells after them."""
    (tmp_path / "page.html").write_bytes(html.render(plan))
    subprocess.run([PANDOC, "-f", "html", "-t", "odt", "-o", str(tmp_path / "page.odt"),
                    str(tmp_path / "page.html")], check=True, capture_output=True, timeout=120)
    data = (tmp_path / "page.odt").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("content.xml")
    assert b"number-rows-spanned" in xml and b"covered-table-cell" not in xml
    assert tree_differences(read(data, registry, "page.odt"), seed_records) == []


SUBAREA_ROWS = {
    "tab": lambda p: tab.render(p).encode(),
    "box": lambda p: box.render(p).encode(),
    "html-colspan": lambda p: html.render(p),
    "html-first-cell": lambda p: html.render(p, html.Style(subarea_colspan=False)),
    "docx": lambda p: office.docx(p),
    "odt-first-cell": lambda p: office.odt(p, office.Style(subarea_row="cell")),
}


@pytest.mark.parametrize("name", list(SUBAREA_ROWS))
@pytest.mark.parametrize("colon", [False, True])
def test_subareas_as_rows_of_their_own(name: str, colon: bool, plan: content.Plan,
                                       registry: Registry, seed_records: list[dict]) -> None:
    """(一)肅貪 as a row of its own above strategy 1., as (二)防貪 is."""
    got = read(SUBAREA_ROWS[name](content.subarea_rows(plan, colon)), registry, name)
    want = seed_records
    if name == "box":
        got = [{k: v for k, v in r.items() if k != "underlined"} for r in got]
        want = [{k: v for k, v in r.items() if k != "underlined"} for r in want]
    assert tree_differences(got, want) == []


def test_big5_text_says_so(plan: content.Plan, registry: Registry) -> None:
    """Box-drawn text saved in Big5: refused (the file does not say its encoding), saying what
    it reads as and how to convert it."""
    style = box.Style(encoding="cp950")
    with pytest.raises(SourceError, match=r"line 1: not UTF-8: .*; it reads as Big5: convert it "
                                          r"to UTF-8 first \(iconv -f BIG5 -t UTF-8\)"):
        read(box.encode(box.render(plan, style), style), registry, "plan.txt")


@pytest.fixture(scope="module")
def seed_export(built) -> list[dict]:
    proc = run_cli("export", "measures", "--out", str(built.out))
    return [json.loads(line) for line in proc.stdout.splitlines()]


@pytest.mark.parametrize("form,name,data", [
    ("box", "plan.txt", lambda p: box.render(p, box.Style(one_table=True)).encode()),
    ("html", "plan.html", lambda p: html.render(p, html.Style(rowspan=True, underline="css"))),
])
def test_build_and_export(form: str, name: str, data, plan: content.Plan, tmp_path,
                          seed_export: list[dict]) -> None:
    """The Must show's own measure: `plangraph build --source FILE …`, `export measures`."""
    source = tmp_path / name
    source.write_bytes(data(plan))
    out = tmp_path / "out"
    proc = run_cli("build", "--source", str(source), "--version-date", "2014-04-15",
                   "--allow-unverified", "--out", str(out))
    assert f"{name}: version 2014-04-15" in proc.stderr
    exported = run_cli("export", "measures", "--out", str(out)).stdout
    got = [json.loads(line) for line in exported.splitlines()]
    assert differences(got, seed_export, amended=form != "box") == []
