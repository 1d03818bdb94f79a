"""Bad sources: a clear error naming the line, a non-zero exit, and the previous build untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from .conftest import SEED, run_cli

SEED_LINES = SEED.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> Path:
    """A good build that every bad build below must leave exactly as it was."""
    out = tmp_path_factory.mktemp("previous") / "build"
    run_cli("build", "--out", str(out))
    return out


def fingerprint(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def edited(tmp_path: Path, edit, errata_line: int | None = 152) -> Path:
    """The seed with `edit` applied, and the seed's errata (line 152's lost tab) moved to
    `errata_line` (None: no errata, for a document cut short before it)."""
    lines = list(SEED_LINES)
    edit(lines)
    path = tmp_path / "plan-edited.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    if errata_line is not None:
        errata = SEED.with_name("plan-2014-04-15.errata.toml").read_text(encoding="utf-8")
        path.with_name("plan-edited.errata.toml").write_text(
            errata.replace("line = 152", f"line = {errata_line}"), encoding="utf-8")
    return path


def build_fails(source: Path, out: Path) -> str:
    before = fingerprint(out)
    proc = run_cli("build", "--source", str(source), "--version-date", "2014-04-15",
                   "--out", str(out), check=False)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert fingerprint(out) == before, "a failed build changed the previous output"
    return proc.stderr


def test_truncated_mid_row(tmp_path, previous):
    # cut line 97 after its second cell: the row has two cells
    path = edited(tmp_path, lambda ls: ls.__setitem__(slice(96, None), [ls[96].split("\t")[0] + "\t"
                                                                       + ls[96].split("\t")[1]]),
                  errata_line=None)
    err = build_fails(path, previous)
    assert "line 97" in err and "row has 2 cells, expected 4" in err


def test_truncated_at_a_row_boundary(tmp_path, previous):
    # everything after line 120 is gone: part 陸, named in the heading, is missing
    path = edited(tmp_path, lambda ls: ls.__delitem__(slice(120, None)), errata_line=None)
    err = build_fails(path, previous)
    assert "part 陸 is missing" in err and "truncated" in err


def test_truncated_mid_sentence(tmp_path, previous):
    path = edited(tmp_path, lambda ls: ls.__setitem__(169, ls[169][:20]))
    err = build_fails(path, previous)
    assert "line 170" in err and "middle of a sentence" in err


def test_lost_tab_without_the_errata_names_the_line(tmp_path, previous):
    path = tmp_path / "plan-no-errata.txt"
    path.write_bytes(SEED.read_bytes())
    err = build_fails(path, previous)
    assert "line 152" in err and "row has 3 cells, expected 4" in err


def test_truncated_before_an_errata_line(tmp_path, previous):
    path = edited(tmp_path, lambda ls: ls.__delitem__(slice(130, None)))
    err = build_fails(path, previous)
    assert "line 152" in err and "only 130 lines" in err and "truncated" in err


def test_not_utf8(tmp_path, previous):
    data = SEED.read_bytes()
    cut = data.index("二、落實公務倫理".encode()) + 3          # inside line 68
    path = tmp_path / "plan-latin1.txt"
    path.write_bytes(data[:cut] + b"\xff" + data[cut:])
    err = build_fails(path, previous)
    assert "line 68" in err and "not UTF-8" in err and "0xff" in err


def test_big5_document(tmp_path, previous):
    path = tmp_path / "plan-big5.txt"
    path.write_bytes(SEED.read_text(encoding="utf-8").encode("cp950", errors="replace"))
    err = build_fails(path, previous)
    assert "line 3" in err and "not UTF-8" in err


def test_row_with_a_missing_cell(tmp_path, previous):
    # line 44 (防貪 strategy 2) loses the tab between its target and agency cells
    def drop_tab(ls):
        cells = ls[43].split("\t")
        ls[43] = "\t".join(cells[:2] + [cells[2] + cells[3]])
    err = build_fails(edited(tmp_path, drop_tab), previous)
    assert "line 44" in err and "row has 3 cells, expected 4" in err
    assert "一、(二)" in err  # the section: area 一, sub-area (二)


def test_unknown_agency_is_reported_not_dropped(tmp_path, previous):
    def rename(ls):
        ls[28] = ls[28].replace("<p>法務部廉政署</p>", "<p>法務部廉政局</p>")
    err = build_fails(edited(tmp_path, rename), previous)
    assert "line 29" in err and "unknown agency '法務部廉政局'" in err


def test_empty_agency_cell(tmp_path, previous):
    def empty(ls):
        ls[28] = ls[28].replace("<p>法務部廉政署</p>", "")
    err = build_fails(edited(tmp_path, empty), previous)
    assert "line 29" in err and "measure 1.1.5.8 has an empty agency cell" in err


def test_continuation_without_a_page_break(tmp_path, previous):
    # remove the page break (blank line 15) before the continuation row 16
    err = build_fails(edited(tmp_path, lambda ls: ls.__delitem__(14), errata_line=151), previous)
    assert "line 15" in err and "does not follow a page break" in err


def test_broken_markup(tmp_path, previous):
    err = build_fails(edited(tmp_path, lambda ls: ls.__setitem__(
        101, ls[101].replace("</u> ，就其", " ，就其"))), previous)
    assert "line 102" in err and "<u>" in err


def test_seed_metadata_checksum_guards_against_any_edit(tmp_path, previous):
    """A copy of the seed with its own metadata beside it, one character changed."""
    folder = tmp_path / "data"
    folder.mkdir()
    meta = SEED.with_name("plan-2014-04-15.meta.toml")
    (folder / meta.name).write_bytes(meta.read_bytes())
    doc = folder / SEED.name
    doc.write_bytes(SEED.read_bytes().replace("每季".encode(), "每月".encode(), 1))
    before = fingerprint(previous)
    proc = run_cli("build", "--source", str(doc), "--out", str(previous), check=False)
    assert proc.returncode == 1 and "checksum mismatch" in proc.stderr
    assert fingerprint(previous) == before


def test_out_folder_that_is_not_a_build_is_never_replaced(tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work")
    proc = run_cli("build", "--out", str(precious), check=False)
    assert proc.returncode == 1 and "not a plangraph build folder" in proc.stderr
    assert (precious / "thesis.txt").read_text() == "years of work"
