"""The 修正對照表 of the seed against a later version (tests/later_versions.py), written by
`plangraph diff --format odt|docx|html`, read back with the libraries that wrote it (odfdo,
python-docx) and looked at in headless Chromium.

The expected rows are read from the document and the planted changes: which words of the new
text are underlined, where the current text starts, what the 說明 says, and which rows say
（新增）/（刪除）. Only changed measures have rows.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SEED, run_cli
from .later_versions import PLANTED, write_version

NEW, DELETED = "（新增）", "（刪除）"
TITLE = "國家廉政建設行動方案第肆點、第陸點修正對照表"
SCREENSHOT = Path("/tmp/plangraph-comparison-table.png")

# (修正規定: its underlined words, or （刪除）; 現行規定: how it starts, or （新增）; 說明: a phrase)
ROWS = [
    (["最高檢察署、臺灣高等檢察署"], "由法務部召集最高法院檢察署",                            # line 13
     "最高法院檢察署→最高檢察署、臺灣高等法院檢察署→臺灣高等檢察署，依法院組織法 §114-2"),
    ([], "2. 針對上述各類業務", "辦理機關刪除法務部調查局。"),                                 # line 22
    (["最高檢察署"], "5. 貫徹檢察一體", "機關名稱配合組織調整修正（最高法院檢察署→最高檢察署"),  # line 25
    (DELETED, "8. 對涉有風紀或貪瀆不法情事", "以下執行措施項次配合遞移（第9項→第8項）"),        # line 29
    (["8", "臺灣高等檢察署"], "9. 由臺灣高等法院檢察署", "項次由第9項調整為第8項。"),          # line 30
    (["108"], "2. 研議制定「吹哨者保護法」", "完成期限由2012-12-31改為2019-12-31。"),        # line 34
    (["據以"], "辦理廉政指標研究及民意調查", "執行措施文字修正。"),                           # line 44
    (["每半年"], "2. 舉辦廉政座談會。", "績效目標辦理頻率由定期改為每半年。"),                  # line 46
    (["、法務部廉政署"], "2. 加強宣導公職人員財產申報法", "辦理機關增列法務部廉政署。"),          # line 53
    (["強化內部控制"], "7. 實施專案稽核，加強內控機制。", "具體策略文字修正。"),               # line 61
    (["4"], "3. 落實監辦採購", "本執行措施原列於具體策略一、(二)4.，移列至本具體策略。"),        # line 51
    (["3. 定期辦理公務員品德考核講習。", "定期提報執行情形。", "行政院人事行政總處"], NEW,
     "新增執行措施。"),                                                                 # after 84
    (["(監察院)"], "加強檢討修正主管不合時宜", "配合機關（括號所列）增列監察院。"),            # line 126
    (["國家科學及技術委員會、農業部"], "研議公開補助經費相關資訊",                            # line 140
     "辦理機關由科技部改為國家科學及技術委員會"),
    (["每年"], "一、本方案具體作為之執行措施", "本點文字修正。"),                             # line 166
]
# the headings of the new version above those rows, in order (a level is shown where it changes)
HEADINGS = ["肆、具體作為", "一、加強肅貪防貪", "(一)肅貪",
            "3. 定期檢討修正廉政肅貪執行策略，掌握國內外反貪腐趨勢。",
            "5. 加強發掘不法線索，打擊重大貪瀆犯罪。", "6. 獎勵檢舉不法，落實檢舉人保護。",
            "(二)防貪", "2. 持續指標研究，掌握貪腐趨勢。", "3. 發掘民意脈動，廣徵興革建言。",
            "5. 健全陽光法令，促進課責透明。", "7. 實施專案稽核，強化內部控制機制。",
            "二、落實公務倫理", "(六)落實公務員品德考核及輪調機制。", "五、提升效能透明",
            "(二)推動法規鬆綁，修正不合時宜法規。", "六、貫徹採購公開",
            "(四)推動研究計畫資訊公開，強化外界監督。", "陸、分工及績效考核"]
# how many rows each heading has right under it
ROWS_UNDER = [0, 0, 0, 1, 4, 1, 0, 1, 1, 1, 2, 0, 1, 0, 1, 0, 1, 1]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("table")
    later = write_version(tmp, "later", PLANTED)
    out = {}
    for fmt in ("odt", "docx", "html"):
        out[fmt] = tmp / f"table.{fmt}"
        proc = run_cli("diff", str(SEED), str(later), "--format", fmt, "--output", str(out[fmt]))
        assert proc.stdout == "" and f"wrote {out[fmt]}" in proc.stderr
    return out


def _lines(texts: list[str]) -> list[str]:
    """Underlined runs, cut at line breaks (each form breaks a run there differently)."""
    return [x for t in texts for x in t.split("\n") if x]


def _check(table: list[tuple]) -> None:
    """`table`: ("heading", text) | ("row", underlined, new text, old text, notes) in order."""
    headings = [t[1] for t in table if t[0] == "heading"]
    assert headings == HEADINGS
    under: list[int] = []
    for t in table:
        if t[0] == "heading":
            under.append(0)
        else:
            under[-1] += 1
    assert under == ROWS_UNDER
    rows = [t for t in table if t[0] == "row"]
    assert len(rows) == len(ROWS), "one row per changed measure, strategy or clause, no more"
    for (_, underlined, new_text, old_text, notes), (want_under, want_old, want_note) in \
            zip(rows, ROWS, strict=True):
        if want_under == DELETED:
            assert new_text == DELETED and underlined == []
        else:
            assert _lines(underlined) == want_under, new_text
        if want_old == NEW:
            assert old_text == NEW
        else:
            assert old_text.startswith(want_old), old_text
            assert NEW not in old_text
        assert want_note in notes
        assert "<" not in new_text + old_text + notes          # no markup leaked into a cell


# -- ODT, read with odfdo ---------------------------------------------------------------------------

def read_odt(path: Path) -> tuple[str, list[tuple]]:
    from odfdo import Document

    doc = Document(str(path))
    underline_styles = {s.name for s in doc.get_styles("text")
                        if s.get_properties(area="text")
                        and s.get_properties(area="text").get("style:text-underline-style")
                        == "solid"}
    title = doc.body.get_header(0).text_recursive
    table = doc.body.get_table(0)
    rows = list(table.traverse())
    def text(cell) -> str:
        return "\n".join(p.text_recursive for p in cell.get_paragraphs())
    header = [text(c) for c in rows[0].traverse()]
    assert header == ["修正規定", "現行規定", "說明"]
    out: list[tuple] = []
    for row in rows[1:]:
        cells = list(row.traverse())
        if cells[0].get_attribute("table:number-columns-spanned") == "3":
            out.append(("heading", text(cells[0])))
            continue
        underlined = [s.text for p in cells[0].get_paragraphs() for s in p.get_spans()
                      if s.style in underline_styles]
        out.append(("row", underlined, *(text(c) for c in cells)))
    return title, out


def test_odt_reads_back_with_its_rows_underlines_and_marks(files):
    title, table = read_odt(files["odt"])
    assert title == TITLE
    _check(table)


# -- DOCX, read with python-docx ----------------------------------------------------------------------

def read_docx(path: Path) -> tuple[str, list[tuple]]:
    import docx

    doc = docx.Document(str(path))
    title = doc.paragraphs[0].text
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["修正規定", "現行規定", "說明"]
    out: list[tuple] = []
    for row in table.rows[1:]:
        cells = row.cells
        if cells[0]._tc is cells[2]._tc:                       # merged across the three columns
            out.append(("heading", cells[0].text))
            continue
        underlined = []
        for p in cells[0].paragraphs:
            run_text = ""
            for r in p.runs:
                if r.underline:
                    run_text += r.text
                elif run_text:
                    underlined.append(run_text)
                    run_text = ""
            if run_text:
                underlined.append(run_text)
        out.append(("row", underlined, *(c.text for c in cells)))
    return title, out


def test_docx_reads_back_with_its_rows_underlines_and_marks(files):
    title, table = read_docx(files["docx"])
    assert title == TITLE
    _check(table)


def test_odt_and_docx_say_the_same(files):
    assert read_odt(files["odt"]) == read_docx(files["docx"])


# -- HTML, in headless Chromium ----------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium")
def test_html_in_chromium(files):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM),
                                    args=["--headless=new", "--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900}, locale="zh-TW")
            outside: list[str] = []

            def route(r: sync_api.Route) -> None:
                if r.request.url.startswith("file://"):
                    r.continue_()
                else:
                    outside.append(r.request.url)
                    r.abort()
            page.route("**/*", route)
            page.goto(files["html"].as_uri())
            title = page.locator("h1").inner_text()
            table = page.evaluate("""() => [...document.querySelectorAll('tbody tr')].map(tr =>
                tr.classList.contains('heading') ? ['heading', tr.innerText.trim()] :
                ['row', [...tr.cells[0].querySelectorAll('u')].map(u => u.innerText),
                 ...[...tr.cells].map(c => c.innerText.trim())])""")
            # underlines are drawn: the computed style of a <u> says so
            decoration = page.evaluate(
                "getComputedStyle(document.querySelector('td u')).textDecorationLine")
            widths = page.evaluate("[...document.querySelectorAll('thead th')]"
                                   ".map(th => th.getBoundingClientRect().width)")
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            browser.close()
    assert outside == []                       # nothing fetched: the page is self-contained
    assert title == TITLE
    assert decoration == "underline"
    assert widths[0] == pytest.approx(widths[1], rel=0.01) and widths[2] < widths[0]
    _check([tuple(t) for t in table])
    assert SCREENSHOT.stat().st_size > 10_000


# -- the command ------------------------------------------------------------------------------------

def test_binary_output_is_refused_on_a_terminal(files, tmp_path):
    """ODT to a terminal would be noise: refused, exit 1, with what to do instead."""
    later = files["odt"].with_name("later.txt")
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "plangraph.cli", "diff", str(SEED),
                               str(later), "--format", "odt"], stdout=follower,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(follower)
    os.set_blocking(leader, False)
    try:
        written = os.read(leader, 1 << 16)
    except OSError:                 # nothing was written (EAGAIN, or EIO once the other end closed)
        written = b""
    os.close(leader)
    assert proc.returncode == 1
    assert "--format odt is a binary file: give --output FILE" in proc.stderr
    assert b"PK" not in written and "Traceback" not in proc.stderr


def test_binary_output_to_a_pipe_is_the_file(files):
    later = files["odt"].with_name("later.txt")
    proc = subprocess.run([sys.executable, "-m", "plangraph.cli", "diff", str(SEED), str(later),
                           "--format", "docx"], capture_output=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.startswith(b"PK\x03\x04")   # a ZIP: the DOCX


def test_a_failed_diff_leaves_the_previous_output(files, tmp_path):
    target = tmp_path / "table.odt"
    target.write_bytes(files["odt"].read_bytes())
    before = target.read_bytes()
    proc = run_cli("diff", str(SEED), str(tmp_path / "missing.txt"), "--format", "odt",
                   "--output", str(target), check=False)
    assert proc.returncode == 1 and "missing.txt" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["table.odt"]       # no temporary left


def test_an_unwritable_output_is_a_clear_error(files, tmp_path):
    later = files["odt"].with_name("later.txt")
    proc = run_cli("diff", str(SEED), str(later), "--format", "html", "--output",
                   str(tmp_path / "no" / "such" / "table.html"), check=False)
    assert proc.returncode == 2                 # an output it cannot write, as for every command
    assert proc.stderr.strip().splitlines() == [
        f"error: cannot write the diff to {tmp_path}/no/such/table.html: No such file or "
        "directory"]
    assert not (tmp_path / "no").exists()


def test_same_version_gives_an_empty_table_that_says_so(tmp_path):
    out = tmp_path / "same.html"
    run_cli("diff", str(SEED), str(SEED), "--format", "html", "--output", str(out))
    page = out.read_text(encoding="utf-8")
    assert "兩版本內容相同，無修正。" in page and "<tbody>\n</tbody>" in page
