"""Hand-broken files of the core's forms: each gives a one-line error naming its place (the line
for text; table, row and cell for HTML), exit 1, and the previous build untouched.

Each file is a rendering of the seed (tests/render/) with one thing broken, as a file goes wrong
in real life: a border lost, a rule lost, a cell lost, a span that covers one row too many.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from plangraph.documents.reading import parse_document
from plangraph.errors import SourceError

from .conftest import run_cli
from .render import box, html, plan

BOX = box.write(plan.layout_2014()).split("\n")
PAGE = html.write(plan.layout_2014()).decode("utf-8")


@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("previous") / "build"
    run_cli("build", "--out", str(out))
    return out


def fingerprint(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build_fails(tmp_path: Path, previous: Path, name: str, data: bytes) -> str:
    source = tmp_path / name
    source.write_bytes(data)
    before = fingerprint(previous)
    proc = run_cli("build", "--source", str(source), "--version-date", "2014-04-15",
                   "--allow-unverified", "--out", str(previous), check=False)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and proc.stderr.rstrip().endswith(errors[0]), proc.stderr
    assert fingerprint(previous) == before, "a failed build changed the previous output"
    return errors[0]


def at(pred, start: int = 0) -> int:
    """The index of the first line of the box-drawn rendering from `start` that matches."""
    return next(i for i in range(start, len(BOX)) if pred(BOX[i]))


def edited(lines: list[str]) -> bytes:
    return "\n".join(lines).encode("utf-8")


FIRST_ROW = at(lambda s: s.startswith("│1. "))       # strategy 1.1.1's first line


def test_box_table_missing_its_bottom_border(tmp_path, previous):
    bottom = at(lambda s: s.startswith("└"))
    lines = BOX[:bottom] + BOX[bottom + 1:]
    heading = next(i for i in range(bottom, len(lines)) if lines[i].strip())   # 二、落實公務倫理
    err = build_fails(tmp_path, previous, "plan.txt", edited(lines))
    assert f"line {heading + 1}:" in err and "no bottom border" in err
    assert f"starts at line {at(lambda s: s.startswith('┌')) + 1}" in err


def test_box_table_missing_its_top_border(tmp_path, previous):
    top = at(lambda s: s.startswith("┌"))
    err = build_fails(tmp_path, previous, "plan.txt", edited(BOX[:top] + BOX[top + 1:]))
    assert f"line {top + 1}:" in err and "top border" in err


@pytest.mark.parametrize("side", ["left", "right"])
def test_box_line_missing_its_outer_border(tmp_path, previous, side):
    lines = list(BOX)
    lines[FIRST_ROW] = lines[FIRST_ROW][1:] if side == "left" else lines[FIRST_ROW][:-1]
    err = build_fails(tmp_path, previous, "plan.txt", edited(lines))
    assert f"line {FIRST_ROW + 1}, table 1:" in err and f"without its {side} border" in err


@pytest.mark.parametrize("rule", [1, 2, 3])
@pytest.mark.parametrize("fill", ["", " ", "  "])
def test_box_line_missing_an_inner_rule(registry, rule, fill):
    """One │ between two cells lost (with or without the space it took): the text of two
    columns would run together, so it is refused, wherever the │ was."""
    lines = list(BOX)
    cut = [i for i, c in enumerate(lines[FIRST_ROW]) if c == "│"][rule]
    lines[FIRST_ROW] = lines[FIRST_ROW][:cut] + fill + lines[FIRST_ROW][cut + 1:]
    with pytest.raises(SourceError) as e:
        parse_document(edited(lines), registry, path="plan.txt")
    assert f"line {FIRST_ROW + 1}, table 1" in str(e.value) and "│" in str(e.value)


def test_box_line_with_an_extra_rule(registry):
    lines = list(BOX)
    lines[FIRST_ROW] = lines[FIRST_ROW][:6] + "│" + lines[FIRST_ROW][7:]
    with pytest.raises(SourceError) as e:
        parse_document(edited(lines), registry, path="plan.txt")
    assert f"line {FIRST_ROW + 1}, table 1" in str(e.value) and "extra │" in str(e.value)


def test_box_rule_lost_between_two_measures(tmp_path, previous):
    """The rule under measure 1.1.2.1 lost: its row and the next run together, and the measure
    cell would hold two measures."""
    rule = at(lambda s: s.startswith("│") and "├" in s, FIRST_ROW)
    err = build_fails(tmp_path, previous, "plan.txt", edited(BOX[:rule] + BOX[rule + 1:]))
    assert re.search(r"lines \d+-\d+, table 1, row \d+", err) and "second numbered measure" in err


def test_box_drawn_text_cut_short(tmp_path, previous):
    err = build_fails(tmp_path, previous, "plan.txt", edited(BOX[:FIRST_ROW + 3]))
    assert f"line {FIRST_ROW + 3}:" in err and "cut short" in err


def _row(page: str, n: int) -> tuple[int, int]:
    """Start and end of the n-th <tr> (from 1) of the page."""
    start = [m.start() for m in re.finditer("<tr>", page)][n - 1]
    return start, page.index("</tr>", start) + len("</tr>")


def test_html_row_with_a_cell_too_few(tmp_path, previous):
    start, end = _row(PAGE, 6)                 # table 1, row 6: measure 1.1.2.2
    row = PAGE[start:end]
    row = row[:row.rindex("<td>")] + "</tr>"
    err = build_fails(tmp_path, previous, "plan.html", (PAGE[:start] + row + PAGE[end:]).encode())
    assert "table 1, row 6" in err and "row has 3 cells, expected 4" in err


def test_html_row_with_a_cell_too_many(tmp_path, previous):
    start, end = _row(PAGE, 4)
    row = PAGE[start:end].replace("</tr>", "<td>法務部</td></tr>")
    err = build_fails(tmp_path, previous, "plan.html", (PAGE[:start] + row + PAGE[end:]).encode())
    assert "table 1, row 4" in err and "row has 5 cells, expected 4" in err


@pytest.mark.parametrize("change", [1, -1])
def test_html_strategy_spanning_one_row_too_many_or_too_few(registry, change):
    m = re.search(r'rowspan="(\d+)"', PAGE)
    page = PAGE[:m.start()] + f'rowspan="{int(m.group(1)) + change}"' + PAGE[m.end():]
    with pytest.raises(SourceError) as e:
        parse_document(page.encode(), registry, path="plan.html")
    assert re.search(r"table 1, row \d+", str(e.value)) and "cells, expected 4" in str(e.value)


def test_html_table_without_its_header(registry):
    page = re.sub(r"<thead>.*?</thead>", "", PAGE, count=1)
    with pytest.raises(SourceError) as e:
        parse_document(page.encode(), registry, path="plan.html")
    assert "table 1, row 1" in str(e.value) and "header" in str(e.value)


def test_html_unknown_agency_names_its_cell(tmp_path, previous):
    page = PAGE.replace("<td>法務部廉政署</td>", "<td>法務部廉政局</td>", 1)
    err = build_fails(tmp_path, previous, "plan.html", page.encode())
    assert "table 1, row 3, cell 4" in err and "unknown agency '法務部廉政局'" in err


def test_html_cut_short(tmp_path, previous):
    cut = PAGE.index("二、落實公務倫理")
    err = build_fails(tmp_path, previous, "plan.html", PAGE[:cut].encode())
    assert "part 陸 is missing" in err and "table 1" in err


def test_html_not_in_its_declared_character_set(tmp_path, previous):
    data = PAGE.encode("utf-8").replace("肅貪".encode(), b"\xa8\xc3", 1)
    err = build_fails(tmp_path, previous, "plan.html", data)
    assert re.search(r"line \d+: not utf-8: byte 0xa8", err)


@pytest.mark.parametrize("name,data,message", [
    ("draft.docx", b"PK\x03\x04\x14\x00cut", "truncated or damaged DOCX"),
    ("final.pdf", "肆、具體作為".encode(), "not a PDF file"),
])
def test_files_that_are_not_what_their_names_say(tmp_path, previous, name, data, message):
    err = build_fails(tmp_path, previous, name, data)
    assert message in err and name in err
