"""The seed as DOCX, ODT and PDF, built end to end: the same 91 measures as the seed's own build.

Each form is written by the tests' own writers (tests/render/) from the seed's content: DOCX by
python-docx, ODT by odfdo, PDF by headless Chromium printing an HTML rendering. Each is built
with `plangraph build --source FILE --version-date 2014-04-15 --allow-unverified`, as a user
brings their own version, and `plangraph export measures` must give what the seed's build gives
(and what was read by hand, tests/data/expected_measures.json), amended flags included. Files
broken by hand give a one-line error naming their place, exit 1, and leave the previous build
as it was.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from plangraph.config import Settings

from .conftest import run_cli
from .render import docx_writer, html, odt_writer, pdf_writer, plan

# the forms of the seed, and how each is written: knobs that change what a reader meets
FORMS = {
    "word.docx": lambda c: docx_writer.write(c),
    "styled.docx": lambda c: docx_writer.write(c, underline="style", targets="breaks",
                                               span_subarea=True),
    "writer.odt": lambda c: odt_writer.write(c),
    "styled.odt": lambda c: odt_writer.write(c, underline="common", targets="breaks"),
    # Noto's text layer gives Kangxi radicals for hundreds of characters (⾏ for 行, ⺠ for 民)
    "printed.pdf": lambda c: pdf_writer.print_pdf(pdf_writer.page(c, font="noto")),
    "justified.pdf": lambda c: pdf_writer.print_pdf(
        pdf_writer.page(c, font="serif", size="10pt", widths=(14, 46, 24, 16), justify=True,
                        targets="inline"), page_furniture=False),
    "boxed.pdf": lambda c: pdf_writer.print_pdf(
        pdf_writer.page(c, separate=True, header=False, size="12pt")),
    # formats-core's HTML as a news page holds it (<table border="1">, the browser's own fonts
    # and padding), printed as it is
    "news-page.pdf": lambda c: pdf_writer.print_pdf(html.write(c).decode()),
}


def build(source: Path, out: Path) -> object:
    return run_cli("build", "--source", str(source), "--version-date", "2014-04-15",
                   "--allow-unverified", "--out", str(out), check=False)


def export(out: Path) -> list[dict]:
    proc = run_cli("export", "measures", "--out", str(out))
    return [json.loads(line) for line in proc.stdout.splitlines()]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("forms")
    content = plan.layout_2014()
    paths = {}
    for name, write in FORMS.items():
        paths[name] = folder / name
        paths[name].write_bytes(write(content))
    return paths


@pytest.fixture(scope="module")
def seed_measures(built: Settings) -> list[dict]:
    return export(built.out)


@pytest.mark.parametrize("name", FORMS)
def test_each_form_builds_the_seeds_91_measures(name, rendered, seed_measures, expected,
                                                tmp_path):
    proc = build(rendered[name], tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    measures = export(tmp_path / "out")
    assert [m["key"] for m in measures] == [m["key"] for m in seed_measures]
    assert len(measures) == 91
    for got, want in zip(measures, seed_measures, strict=True):
        for field in ("text", "targets", "agencies", "cooperating", "instruments", "bodies",
                      "amended", "iri"):
            assert got[field] == want[field], (got["key"], field)
        assert got["lines"] == []   # a DOCX, ODT or PDF has no source lines: places instead
    # and what was read from the document by hand, underlines (amended flags) included
    by_hand = {m["key"]: m for m in expected["measures"]}
    for got in measures:
        want = by_hand[got["key"]]
        for field in ("text", "targets", "agencies", "cooperating", "amended"):
            assert got[field] == want[field], (got["key"], field)
    amended = [m["key"] for m in measures if m["amended"]]
    assert amended == [m["key"] for m in expected["measures"] if m["amended"]] and amended


# -- files broken by hand ---------------------------------------------------------------------

def _docx_with_nested_table() -> bytes:
    import docx
    document = docx.Document()
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 1).add_table(rows=1, cols=1)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_with_text_under_a_merge() -> bytes:
    """A strategy cell merged over two rows, and the lower cell still holding text."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    document = docx.Document()
    table = document.add_table(rows=3, cols=4)
    for c, label in enumerate(plan.HEADER):
        table.cell(0, c).text = label
    table.cell(1, 0).text = "(一)推動制定及研修公務倫理相關法令。"
    table.cell(2, 0).text = "(二)合理調整公務員待遇"
    for r, v in ((1, "restart"), (2, None)):
        merge = OxmlElement("w:vMerge")
        if v:
            merge.set(qn("w:val"), v)
        table.cell(r, 0)._tc.get_or_add_tcPr().append(merge)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _with_broken_xml(data: bytes, part: str) -> bytes:
    """The office file with one XML part cut in the middle."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename == part:
                body = body[: len(body) // 2]
            zout.writestr(item, body)
    return out.getvalue()


def _damaged(data: bytes, part: str) -> bytes:
    """The office file with one byte of a part's compressed data flipped (a bad copy)."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(part)
    at = info.header_offset + 30 + len(info.filename) + len(info.extra) + info.compress_size // 2
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:]


def _scanned_pdf(pdf: bytes) -> bytes:
    """The first page of a printed PDF as an image only, as a scanner gives it."""
    import pdfplumber
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        image = doc.pages[0].to_image(resolution=60).original.convert("RGB")
    out = io.BytesIO()
    image.save(out, format="PDF")
    return out.getvalue()


def _unknown_agency(content: list) -> list:
    """The seed with one agency cell naming an agency no registry knows."""
    for block in content:
        if isinstance(block, plan.Grid):
            for row in block.rows:
                if isinstance(row, plan.Item):
                    row.agencies = plan.plain("法務部廉政局")
                    return content
    return content


BROKEN = {
    # the header and every row with three columns (績效目標 left out)
    "three-columns.docx": (lambda r: docx_writer.write(plan.layout_2014(), columns=[0, 1, 3]),
                           "table 1, row 1"),
    "nested.docx": (lambda r: _docx_with_nested_table(), "table 1, row 1, cell 2"),
    "merged-text.docx": (lambda r: _docx_with_text_under_a_merge(), "table 1, row 3, cell 1"),
    "broken-xml.docx": (lambda r: _with_broken_xml(r["word.docx"].read_bytes(),
                                                   "word/document.xml"),
                        "word/document.xml is not well-formed XML"),
    "truncated.docx": (lambda r: r["word.docx"].read_bytes()[:20000], "truncated"),
    "damaged.docx": (lambda r: _damaged(r["word.docx"].read_bytes(), "word/document.xml"),
                     "the ZIP archive is damaged"),
    "damaged.odt": (lambda r: _damaged(r["writer.odt"].read_bytes(), "content.xml"),
                    "the ZIP archive is damaged"),
    "truncated.odt": (lambda r: r["writer.odt"].read_bytes()[:9000], "truncated"),
    "broken-xml.odt": (lambda r: _with_broken_xml(r["writer.odt"].read_bytes(), "content.xml"),
                       "content.xml is not well-formed XML"),
    "covered-text.odt": (lambda r: odt_writer.write(plan.layout_2014(), covered_text=True),
                         "table 1, row 5, cell 1"),
    "unknown-agency.odt": (lambda r: odt_writer.write(_unknown_agency(plan.layout_2014())),
                           "table 1, row 3, cell 4"),
    "scanned.pdf": (lambda r: _scanned_pdf(r["printed.pdf"].read_bytes()),
                    "page 1: no text layer: scanned? OCR it first"),
    "truncated.pdf": (lambda r: r["printed.pdf"].read_bytes()[:40000], "cut short"),
    "unknown-agency.pdf": (lambda r: pdf_writer.print_pdf(pdf_writer.page(
        _unknown_agency(plan.layout_2014()))), "page 1, table 1, row 3, cell 4"),
}


@pytest.fixture(scope="module")
def previous(rendered, tmp_path_factory) -> Path:
    """A good build, which a failed build must leave as it was."""
    out = tmp_path_factory.mktemp("previous") / "out"
    assert build(rendered["word.docx"], out).returncode == 0
    return out


def _fingerprint(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return h.hexdigest()


@pytest.mark.parametrize("name", BROKEN)
def test_a_broken_file_is_one_line_naming_its_place_and_exit_1(name, rendered, previous,
                                                               tmp_path):
    make, place = BROKEN[name]
    source = tmp_path / name
    source.write_bytes(make(rendered))
    before = _fingerprint(previous)
    proc = build(source, previous)
    assert proc.returncode == 1, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert str(source) in errors[0] and place in errors[0], errors[0]
    assert _fingerprint(previous) == before   # the previous build untouched


@pytest.mark.parametrize("suffix, write", [
    (".docx", docx_writer.write),
    (".odt", odt_writer.write),
    (".pdf", lambda c: pdf_writer.print_pdf(pdf_writer.page(c, font="noto"))),
])
def test_the_flat_layout_in_each_office_form(suffix, write, seed_measures, tmp_path):
    """The seed laid out as the plan is from 2018 on (strategies 一、二、… under 肆): the same
    measures, keyed strategy.measure."""
    source = tmp_path / f"flat{suffix}"
    source.write_bytes(write(plan.layout_flat()))
    proc = build(source, tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    measures = export(tmp_path / "out")
    assert len(measures) == 91
    assert measures[0]["key"] == "1.1" and measures[-1]["key"] == "48.1"
    for got, want in zip(measures, seed_measures, strict=True):
        for field in ("text", "targets", "agencies", "cooperating", "instruments", "amended"):
            assert got[field] == want[field], (got["key"], field)
