"""Broken renderings of the seed (tests/independent/broken.py), and renderings forced through the
reader of another form: each is one line naming the file and the place, exit 1, and the build
folder as it was. Messages were read from each file, not from the program."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import run_cli
from .independent import box, broken, content, html, office, pdf

# where each broken file breaks, and what the message must say (a regular expression)
EXPECTED = {
    "box-cut.txt": r"line 41: the box-drawn table that starts at line 7 has no bottom border",
    "box-lost-rule.txt": r"lines 10-20, table 1, row 2, 肆、一、\(一\): a strategy cell that holds a "
                         r"second numbered strategy.*rule between them lost",
    "box-missing-bar.txt": r"line 13, table 1: the cells of this line do not line up .*missing │",
    "box-extra-bar.txt": r"line 13, table 1: a │ in this line stands under no column rule",
    "box-no-bottom.txt": r"line \d+: the box-drawn table that starts at line 7 has no bottom "
                         r"border \(└…┘\) before this line",
    "html-cell-too-few.html": r"table 1, row 3, 肆、一、\(一\)1\.: row has 3 cells, expected 4",
    "html-extra-cell.html": r"table 1, row 3, 肆、一、\(一\)1\.: row has 5 cells, expected 4",
    # a column lost: said so, not 'a table row outside a table'
    "docx-three-columns.docx": r"table 1, row 1, 肆、一、: a table whose header has 3 column\(s\) "
                               r"\(具體策略, 執行措施, 績效目標\).*辦理機關 is missing",
    "docx-truncated.docx": r"cannot be opened .*truncated or damaged DOCX",
    "odt-truncated.odt": r"cannot be opened .*truncated or damaged ODT",
    "odt-damaged-xml.odt": r"content\.xml is not well-formed XML",
    "tab-lost-tab.txt": r"line 52, 肆、一、\(二\)4\.: row has 3 cells, expected 4",
}


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A good build that every failed build must leave as it was."""
    out = tmp_path_factory.mktemp("previous") / "out"
    run_cli("build", "--out", str(out))
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.suffix in (".ttl", ".nt", ".json", ".nq", ".jsonld")}


def refused(source: Path, out: Path, *extra: str) -> str:
    """Build `source` into the folder of a good build: exit 1, one line, nothing changed."""
    before = snapshot(out)
    proc = run_cli("build", "--source", str(source), "--version-date", "2014-04-15",
                   "--allow-unverified", "--out", str(out), *extra, check=False)
    lines = [line for line in proc.stderr.splitlines()
             if "--allow-unverified" not in line]     # the warning every unverified file gets
    assert proc.returncode == 1, proc.stderr
    assert len(lines) == 1 and lines[0].startswith(f"error: {source}"), proc.stderr
    assert "Traceback" not in proc.stderr and "Warning" not in proc.stderr
    assert snapshot(out) == before
    return lines[0]


@pytest.mark.parametrize("name", list(broken.BROKEN))
def test_a_broken_file_is_one_line_with_its_place(name: str, tmp_path: Path,
                                                  previous: Path) -> None:
    import re

    source = tmp_path / name
    source.write_bytes(broken.BROKEN[name](content.load()))
    out = tmp_path / "out"
    shutil.copytree(previous, out)
    line = refused(source, out)
    assert re.search(EXPECTED[name], line), line


@pytest.mark.skipif(not pdf.CHROMIUM.exists(), reason="headless Chromium prints the PDF")
def test_a_pdf_table_without_rules_says_so(tmp_path: Path, previous: Path) -> None:
    """The PDF reader finds tables by their ruling lines: a table printed without borders is
    lines of text, and the first one the layout cannot place is the 具體策略 header — the
    message says what that means (it was 'a line that is no heading, clause or table row')."""
    source = tmp_path / "plan.pdf"
    source.write_bytes(pdf.render(content.load(), pdf.Style(rules=False)))
    out = tmp_path / "out"
    shutil.copytree(previous, out)
    line = refused(source, out)
    assert "page 1, paragraph 7, 肆、一、: a column header of the table of measures as a line of " \
        "text: '具體策略'; is the table drawn without ruling lines?" in line, line


@pytest.mark.parametrize("name,render,forced,hint", [
    ("page.html", lambda p: html.render(p), "box", "its content looks like HTML"),
    ("plan.txt", lambda p: box.render(p).encode(), "tab", "its content looks like box-drawn"),
    ("draft.docx", lambda p: office.docx(p), "odt", "its content looks like DOCX"),
    ("draft.odt", lambda p: office.odt(p), "docx", "its content looks like ODT"),
])
def test_a_form_forced_wrongly_says_what_the_content_looks_like(
        name: str, render, forced: str, hint: str, tmp_path: Path, previous: Path) -> None:
    source = tmp_path / name
    source.write_bytes(render(content.load()))
    out = tmp_path / "out"
    shutil.copytree(previous, out)
    line = refused(source, out, "--format", forced)
    assert f"as --format {forced} says; {hint}" in line, line
