"""The seed in every form the core reads (tab-separated, box-drawn, HTML) and in both layouts:
each gives the seed's 91 measures, with their targets, agencies, cooperating bodies and (where the
form keeps underlines) amended flags.

The renderings are made by the tests' own writers (tests/render/), in many variants, since the
files people bring differ in widths, padding, spans and markup. What they must read as is the
measures read by hand from the document (tests/data/expected_measures.json), and, through the real
command, the seed's own build.
"""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from plangraph.documents.readers import FORMS, detect
from plangraph.documents.reading import parse_document
from plangraph.documents.source import Erratum
from plangraph.documents.tree import PlanDocument
from plangraph.errors import SourceError

from .conftest import run_cli
from .render import box, html, plan, tab

ASCII = str.maketrans("，：；（）！？", ",:;()!?")


def read(data: bytes, registry, name: str, form: str | None = None) -> PlanDocument:
    return parse_document(data, registry, path=name, form=form)


def measures(doc: PlanDocument) -> list[dict]:
    return [{"text": m.text.text, "targets": [t.text.text for t in m.targets],
             "agencies": [a.name for a in m.assignments if not a.cooperating],
             "cooperating": [a.name for a in m.assignments if a.cooperating],
             "amended": m.amended} for m in doc.measures()]


def by_hand(expected, translate: dict | None = None) -> list[dict]:
    """The measures read by hand from the document, in document order."""
    out = []
    for m in expected["measures"]:
        rec = {k: m[k] for k in ("text", "targets", "agencies", "cooperating", "amended")}
        if translate:
            rec = {k: (v.translate(translate) if isinstance(v, str) else
                       [x.translate(translate) for x in v] if isinstance(v, list) else v)
                   for k, v in rec.items()}
        out.append(rec)
    return out


def differences(got: list[dict], want: list[dict], underlines: bool) -> list[str]:
    fields = ["text", "targets", "agencies", "cooperating"] + (["amended"] if underlines else [])
    out = [f"{len(got)} measures, expected {len(want)}"] if len(got) != len(want) else []
    for i, (g, w) in enumerate(zip(got, want, strict=False), start=1):
        out += [f"measure {i}, {f}: got {g[f]!r}, expected {w[f]!r}" for f in fields
                if g[f] != w[f]]
    return out[:10]


BOX_STYLES = {
    "moj": box.Style(),
    "narrow": box.Style(widths=(5, 7, 5, 4)),
    "roomy-padded": box.Style(widths=(14, 22, 12, 10), margin=1),
    "strategy-not-over-rules": box.Style(flow=False),
    "narrow-strategy-over-rules": box.Style(widths=(4, 9, 6, 5)),
    "western-box-width": box.Style(wide=False),
    "subarea-spanning-row-indented": box.Style(subarea_colspan=True, indent=3, blank_lines=0),
    "no-hanging-indent": box.Style(hanging=False, blank_lines=2),
    "punctuation-made-ascii": box.Style(ascii_punctuation=True),
    "punctuation-made-ascii-narrow-padded": box.Style(ascii_punctuation=True,
                                                      widths=(5, 8, 6, 5), margin=1,
                                                      subarea_colspan=True),
}


def content_of(layout: str):  # noqa: ANN201
    return {"2014": plan.layout_2014, "flat": plan.layout_flat,
            "2014-subarea-inline": lambda: plan.layout_2014(subareas="inline")}[layout]()


@pytest.mark.parametrize("layout", ["2014", "flat", "2014-subarea-inline"])
@pytest.mark.parametrize("name", list(BOX_STYLES))
def test_box_drawn(registry, expected, name, layout):
    style = BOX_STYLES[name]
    content = content_of(layout)
    data = box.write(content, style).encode("utf-8")
    assert detect(data, "plan.txt") == "box"
    doc = read(data, registry, f"{name}.txt")
    assert (doc.form, doc.layout) == ("box", layout[:4])
    want = by_hand(expected, ASCII if style.ascii_punctuation else None)
    got = measures(doc)
    if style.ascii_punctuation:
        got = [{**g, "cooperating": [c.translate(ASCII) for c in g["cooperating"]]} for g in got]
    assert not differences(got, want, underlines=False), "\n".join(differences(got, want, False))
    # box-drawn text keeps no underlines: nothing reads as amended
    assert not any(m.amended for m in doc.measures())


def test_box_drawn_wraps_as_the_moj_does(registry):
    """The rendering the tests use has what makes box-drawn text hard: lines that start with
    ，or 、, names broken across lines, a strategy's text going on over the rules of its
    measures, and (in its ASCII variant) rules out of line."""
    text = box.write(plan.layout_2014(), box.Style(widths=(4, 9, 6, 5)))
    cells = [seg.strip() for line in text.splitlines() for seg in line.split("│")[1:-1]]
    assert any(c.startswith("，") for c in cells) and any(c.startswith("、") for c in cells)
    assert any(c.endswith("法務") for c in cells), "no agency name broken across lines"
    spanning = [line for line in text.splitlines()
                if line.startswith("│") and "├" in line and line.split("├")[0].strip("│ ")]
    assert spanning, "no strategy text on the rule line between its measures"
    ascii_ = box.write(plan.layout_2014(), box.Style(ascii_punctuation=True)).splitlines()
    ends = {len(line) for line in ascii_ if line.startswith("│")}
    assert len(ends) > 1, "the ASCII variant has every rule in line: it tests nothing"


HTML_STYLES = {
    "u-thead-rowspan-br": html.Style(),
    "inline-css-no-thead-p": html.Style(underline="style", thead=False, targets="p"),
    "css-class-nbsp-subarea-cell": html.Style(underline="class", nbsp=True, subarea="cell"),
    "nested-spans-no-rowspan-one-line": html.Style(underline="nested", rowspan=False,
                                                   headings=False, indent=False),
    "inside-a-layout-table": html.Style(layout_table=True),
    "big5": html.Style(charset="big5"),
    "targets-as-numbered-list": html.Style(targets="ol", underline="style"),
}


@pytest.mark.parametrize("layout", ["2014", "flat", "2014-subarea-inline"])
@pytest.mark.parametrize("name", list(HTML_STYLES))
def test_html(registry, expected, name, layout):
    content = content_of(layout)
    data = html.write(content, HTML_STYLES[name])
    assert detect(data, "plan.html") == "html" and detect(data, "plan.txt") == "html"
    doc = read(data, registry, f"{name}.html")
    assert (doc.form, doc.layout) == ("html", layout[:4])
    want = by_hand(expected)
    assert not differences(measures(doc), want, True), "\n".join(
        differences(measures(doc), want, True))
    # underlined spans exactly where the seed has them, not just the flags
    seed = plan.seed()
    for got, was in zip(doc.measures(), seed.measures(), strict=True):
        assert [t.text.spans() for t in got.targets] == [t.text.spans() for t in was.targets]
        assert got.text.spans() == was.text.spans()
        assert got.agency_cell.spans() == was.agency_cell.spans()


@pytest.mark.parametrize("split", [True, False])
def test_html_made_line_by_line_from_the_extraction(registry, expected, split):
    """A page a quick script makes from data/'s text: the rows cut by page breaks stay two
    rows, the rules of dashes are rows, and (split) each page's rows a table of their own with
    no header. Rows that carry on a row cut mid-sentence, and headerless tables right after a
    table, go on with it; it reads as the seed does, underlines and all."""
    lines = plan.SEED.read_text(encoding="utf-8").split("\n")
    fix = plan.load_source(plan.SEED).errata[0]
    lines[fix.line - 1] = lines[fix.line - 1].replace(fix.find, fix.replace)
    doc = read(html.from_lines("\n".join(lines), split), registry, "naive.html")
    assert not differences(measures(doc), by_hand(expected), True), "\n".join(
        differences(measures(doc), by_hand(expected), True))


def test_a_row_that_starts_nothing_after_a_finished_row_is_refused(registry):
    """Where the form marks no page breaks, a row that starts no strategy or measure goes on
    with the row before only if that row stops mid-sentence: a measure that lost its number
    after a finished one is an error, not text added to the measure before it."""
    page = html.write(plan.layout_2014()).decode()
    lost = page.replace("<td>2. 推動檢察、司法警察", "<td>推動檢察、司法警察", 1)
    assert lost != page
    with pytest.raises(SourceError) as e:
        read(lost.encode(), registry, "lost.html")
    assert "table 1, row 5" in str(e.value) and "not cut mid-sentence" in str(e.value)


@pytest.mark.parametrize("paren", ["（）", "()"])
def test_flat_layout_in_tab_form(registry, expected, paren):
    doc = read(tab.write(plan.layout_flat(paren=paren)).encode(), registry, "flat.txt")
    assert (doc.form, doc.layout) == ("tab", "flat")
    assert not differences(measures(doc), by_hand(expected), True)
    # keys follow the flat layout's own numbering: strategy.measure, strategies 1…48
    assert [s.key for s in doc.strategies()] == [str(n) for n in range(1, 49)]
    assert doc.measures()[1].key == "2.1" and doc.measures()[2].key == "2.2"
    assert doc.parts[0].strategies and not doc.parts[0].areas


def test_full_width_numbers(registry, expected):
    """１．and （一） as some editions write them."""
    text = tab.write(plan.layout_2014())
    text = re.sub(r"(?<![\d<])(\d)\. ", lambda m: chr(ord(m.group(1)) + 0xFEE0) + "．", text)
    assert "１．" in text and "２．" in text
    doc = read(text.encode(), registry, "fullwidth.txt")
    assert not differences(measures(doc), by_hand(expected), True)


# -- through the real command ---------------------------------------------------------------------

def export(out) -> list[dict]:
    proc = run_cli("export", "measures", "--out", str(out))
    return [json.loads(line) for line in proc.stdout.splitlines()]


FIELDS = ["text", "targets", "agencies", "cooperating", "instruments", "bodies"]


@pytest.mark.parametrize("form", ["box", "html", "flat-tab", "flat-box", "flat-html"])
def test_each_form_builds_to_the_seeds_measures(tmp_path, built, form):
    """`plangraph build --source FILE --version-date … --allow-unverified`, then `plangraph
    export measures`: the same 91 measures, in the same order, as the seed's own build."""
    content = plan.layout_flat() if form.startswith("flat") else plan.layout_2014()
    kind = form.removeprefix("flat-")
    data = {"box": lambda: box.write(content).encode(), "html": lambda: html.write(content),
            "tab": lambda: tab.write(content).encode()}[kind]()
    source = tmp_path / f"plan.{'html' if kind == 'html' else 'txt'}"
    source.write_bytes(data)
    out = tmp_path / "out"
    proc = run_cli("build", "--source", str(source), "--version-date", "2014-04-15",
                   "--allow-unverified", "--out", str(out))
    assert "valid: conforms to every shape" in proc.stderr
    got, want = export(out), export(built.out)
    assert len(got) == len(want) == 91
    fields = FIELDS + (["amended"] if kind != "box" else [])
    for g, w in zip(got, want, strict=True):
        assert {f: g[f] for f in fields} == {f: w[f] for f in fields}, (g["key"], w["key"])
    if form.startswith("flat"):
        assert [r["key"] for r in got][:3] == ["1.1", "2.1", "2.2"]
    else:
        assert [r["key"] for r in got] == [r["key"] for r in want]


def test_build_format_option_forces_the_form(tmp_path, built):
    """--format html on a file named .txt; --format tab on box-drawn text is read as tab
    (and refused, naming its line): the option, not the content, decides."""
    source = tmp_path / "plan.txt"
    source.write_bytes(html.write(plan.layout_2014()))
    out = tmp_path / "out"
    run_cli("build", "--source", str(source), "--version-date", "2014-04-15",
            "--allow-unverified", "--format", "html", "--out", str(out))
    assert len(export(out)) == 91
    boxed = tmp_path / "boxed.txt"
    boxed.write_text(box.write(plan.layout_2014()), encoding="utf-8")
    proc = run_cli("build", "--source", str(boxed), "--version-date", "2014-04-15",
                   "--allow-unverified", "--format", "tab", "--out", str(out), check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert re.search(r"boxed\.txt, line \d+", proc.stderr), proc.stderr
    assert len(export(out)) == 91, "the refused build changed the previous one"


def test_diff_and_check_read_other_forms(tmp_path):
    """diff reads a version in another form (the seed and its HTML rendering: no change);
    check reads one, its form forced with --source-format."""
    page = tmp_path / "plan.html"
    page.write_bytes(html.write(plan.layout_2014()))
    assert json.loads(run_cli("diff", str(plan.SEED), str(page)).stdout) == []
    page.rename(tmp_path / "plan.txt")
    proc = run_cli("check", str(tmp_path / "plan.txt"), "--version-date", "2014-04-15",
                   "--source-format", "html", "--format", "json")
    assert proc.returncode == 0 and "finding(s)" in proc.stderr
    proc = run_cli("check", str(tmp_path / "plan.txt"), "--version-date", "2014-04-15",
                   "--source-format", "box", check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr


# -- form detection ----------------------------------------------------------------------------------

def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_detection_from_content():
    assert detect(plan.SEED.read_bytes(), plan.SEED) == "tab"
    assert detect(box.write(plan.layout_2014()).encode(), "x.html") == "box"
    assert detect(b"<p>x</p>", "page.htm") == "html"        # a fragment: the extension decides
    assert detect(b"<TABLE><TR><TD>x", "dump") == "html"
    assert detect(b"%PDF-1.7\n", "scan") == "pdf"
    assert detect(_zip({"word/document.xml": b"<w/>"}), "draft") == "docx"
    assert detect(_zip({"mimetype": b"application/vnd.oasis.opendocument.text",
                        "content.xml": b"<x/>"}), "draft") == "odt"
    assert set(FORMS) == {"tab", "box", "html", "docx", "odt", "pdf"}


@pytest.mark.parametrize("data,name,message", [
    (_zip({"a.txt": b"x"}), "a.zip", "neither a DOCX"),
    (b"PK\x03\x04truncated", "draft.odt", "truncated or damaged ODT"),
    (b"<html>", "draft.docx", "not a DOCX file"),
    ("肆、具體作為".encode(), "plan.pdf", "not a PDF file"),
])
def test_detection_refuses_what_is_not_its_name(data, name, message):
    with pytest.raises(SourceError, match=message):
        detect(data, name)


def test_errata_apply_to_text_forms_only(registry):
    with pytest.raises(SourceError, match="errata correct lines of a text form"):
        parse_document(html.write(plan.layout_2014()), registry, path="p.html",
                       errata=[Erratum(line=3, find="a", replace="b")])


def test_box_drawn_text_in_a_saved_page(registry, expected):
    """A saved page of the regulations system shows box-drawn text in a <pre>: read as box-drawn
    text, its errors naming the page's own lines."""
    text = box.write(plan.layout_2014())
    page = f"<html><body><h1>法規內容</h1>\n<pre>\n{html.escape_text(text)}</pre></body></html>"
    doc = read(page.encode(), registry, "saved.html")
    assert doc.form == "html"
    assert not differences(measures(doc), by_hand(expected), False)
    lines = text.split("\n")
    broken = next(i for i, line in enumerate(lines) if line.startswith("│1. "))
    lines[broken] = lines[broken][:-1]                       # its right border lost
    page = f"<html><body><h1>法規內容</h1>\n<pre>\n{html.escape_text(chr(10).join(lines))}</pre>"
    with pytest.raises(SourceError) as e:
        read(page.encode(), registry, "saved.html")
    assert f"line {broken + 3}, table 1" in str(e.value) and "right border" in str(e.value)


def test_errata_correct_lines_of_box_drawn_text(tmp_path):
    """A copy with one line broken (its right border lost), and an errata entry that restores
    it: the build applies it to that line before reading, and records the correction."""
    lines = box.write(plan.layout_2014()).split("\n")
    n = next(i for i, line in enumerate(lines) if line.startswith("│1. "))
    good = lines[n]
    lines[n] = good[:-1]
    source = tmp_path / "plan.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "plan.errata.toml").write_text(
        f'[[correction]]\nline = {n + 1}\nfind = "{good[-12:-1]}"\nreplace = "{good[-12:]}"\n'
        'reason = "the right border was lost in copying"\n', encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("build", "--source", str(source), "--version-date", "2014-04-15",
                   "--allow-unverified", "--out", str(out))
    assert "Correction             1" in proc.stdout
    assert len(export(out)) == 91


def test_a_framed_title_in_box_drawn_text(registry, expected):
    """The title drawn in a box of its own (a one-column table) is a line of text, not a table
    without a header."""
    title = plan.seed().heading.text.text
    framed = f"┌{'─' * 21}┐\n│ {title} │\n└{'─' * 21}┘"
    text = box.write(plan.layout_2014()).replace(title, framed, 1)
    doc = read(text.encode(), registry, "framed.txt")
    assert doc.heading.text.text == title and doc.heading.lines == [3]
    assert not differences(measures(doc), by_hand(expected), False)
