"""`plangraph diff` on later versions made independently of the project's own fixtures
(tests/independent_versions.py): every planted change found, of the right kind and keys, nothing
else reported. Each version is written to a file and compared with the seed by the real command.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from . import independent_versions as iv
from .conftest import SEED, run_cli


def diff(old: Path | str, new: Path | str, *more: str) -> list[dict]:
    return json.loads(run_cli("diff", str(old), str(new), "--format", "json", *more).stdout)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("version", ["renames", "structure", "content", "hard", "flat",
                                     "flat_2018"])
def test_every_planted_change_is_found_and_nothing_else(tmp_path, version):
    text, expected = getattr(iv, f"version_{version}")()
    changes = diff(SEED, write(tmp_path, f"{version}.txt", text))
    missing, spurious = iv.unmet(expected, changes)
    assert (missing, spurious) == ([], [])


def test_the_flat_layout_on_both_sides(tmp_path):
    old = write(tmp_path, "flat-seed.txt", iv.flat_box(iv.seed_rows()))
    text, expected = iv.version_flat_edits()
    changes = diff(old, write(tmp_path, "flat-edits.txt", text))
    assert iv.unmet(expected, changes) == ([], [])


def test_the_flat_copy_aligns_every_measure_and_changes_only_the_planted_ones(tmp_path):
    """The Must show of issue 15 on our own flat box-drawn copy: all 90 kept measures paired,
    content changes on exactly the six edited ones, one removed, one added."""
    text, _ = iv.version_flat()
    changes = diff(SEED, write(tmp_path, "flat.txt", text))
    paired = {(c["key"], c["new_key"]) for c in changes if c["change"] == "renumbered"}
    assert len(paired) == 90
    content = {c["key"] for c in changes if c["aspect"] == "content"
               and c["change"] not in ("removed", "added")}
    assert content == {"1.1.2.2", "2.0.2.2", "3.0.4.1", "8.0.2.2", "5.0.1.1", "6.0.4.1"}
    assert [c["key"] for c in changes if c["change"] == "removed"] == ["4.0.3.3"]
    assert [c["new_key"] for c in changes if c["change"] == "added"] == ["48.2"]
    assert not [c for c in changes if c["change"] == "ambiguous"]


def ascii_punctuation(text: str) -> str:
    """What a copy that made full-width punctuation ASCII after layout holds (DOMAIN.md: stored
    copies of the MOJ pages): ，；：（）！？ → , ; : ( ) ! ? — the box rules then out of line."""
    return "".join(unicodedata.normalize("NFKC", ch) if 0xFF01 <= ord(ch) <= 0xFF5E
                   and not ch.isalnum() else ch for ch in text)


def test_a_copy_with_ascii_punctuation_says_the_same_thing(tmp_path):
    flat = ascii_punctuation(iv.flat_box(iv.seed_rows()))
    assert "，" not in flat and "," in flat
    changes = diff(SEED, write(tmp_path, "flat-ascii.txt", flat))
    assert [c for c in changes if c["aspect"] != "structure"] == []
    assert len([c for c in changes if c["change"] == "renumbered"]) == 91


def test_only_the_words_changed_beside_punctuation_made_ascii_are_a_change(tmp_path):
    e = iv.repair_line_152(iv.Edits())
    # 1.1.2.2 (line 12): its commas made ASCII, and one word changed
    e.sub(12, "廉政人員取得財務金融專業證照，以提昇偵辦", "廉政人員取得財務金融專業證照,以提升偵辦")
    # clause 三 (line 168): （構） made ASCII, nothing else
    e.sub(168, "中央機關（構），得參考", "中央機關(構),得參考")
    new = write(tmp_path, "commas.txt", e.text())
    changes = diff(SEED, new)
    assert [(c["change"], c["key"]) for c in changes] == [("text", "1.1.2.2")]
    edits = [(op, a, b) for op, a, b in changes[0]["diff"] if op != "equal"]
    assert edits == [("replace", "昇", "升")]
    # the 修正對照表 underlines 升 alone, not the comma
    html = run_cli("diff", str(SEED), str(new), "--format", "html").stdout
    assert "以提<u>升</u>偵辦" in html
    assert "<u>,</u>" not in html and "證照,以提" in html


def notes_of(html: str) -> list[str]:
    """The 說明 cells of a 修正對照表 in HTML, each as its text."""
    import lxml.html
    page = lxml.html.fromstring(html)
    rows = page.xpath("//tbody/tr[not(contains(@class, 'heading'))]")
    return [" ".join(p.text_content() for p in row.xpath("td[3]/p")) for row in rows]


def test_the_notes_on_targets_pair_the_targets_by_what_they_say(tmp_path):
    """A removed, an added and two swapped targets: the 說明 counts them, and says nothing about a
    frequency or a wording that did not change (targets were compared by position: removing the
    first of two targets gave 「績效目標辦理頻率由每年改為定期」, the second one's own)."""
    e = iv.repair_line_152(iv.Edits())
    # 1.1.5.6 (line 27): its first target removed; the second stays as it was
    e.sub(27, "<p>1. 統計貪瀆案件發生之比率，並逐年比較分析。 2. 定期提報辦理肅貪講習場次及人數。</p>",
          "<p>定期提報辦理肅貪講習場次及人數。</p>")
    # 1.1.6.3 (line 35): its two targets swapped
    e.sub(35, "\t1. 定期召開「法務部審核貪瀆案件檢舉獎金委員會」會議，並統計申請、核發件數及發給獎金之金額。"
              " 2. 定期提報修法進度。\t",
          "\t1. 定期提報修法進度。 2. 定期召開「法務部審核貪瀆案件檢舉獎金委員會」會議，並統計申請、"
          "核發件數及發給獎金之金額。\t")
    # 1.2.2.1 (line 44): a target put before its one target, whose frequency changes too
    e.sub(44, "\t每年辦理廉政指標民意調查一次，並公布結果。\t",
          "\t1. 每二年辦理廉政指標國際比較研究一次。 2. 每半年辦理廉政指標民意調查一次，並公布結果。\t")
    html = run_cli("diff", str(SEED), str(write(tmp_path, "targets.txt", e.text())),
                   "--format", "html").stdout
    assert notes_of(html) == [
        "刪除績效目標1項。",
        "績效目標項次調整。",
        "一、增列績效目標1項。 二、績效目標第2項辦理頻率由每年改為每半年。",
    ]


def test_targets_are_underlined_against_the_target_each_one_was(tmp_path):
    """Two targets swapped: their numbers changed, their words did not (the whole cell's text was
    compared: 「1<u>. 定期提報修法進度。<br>2</u>. 定期召開…」). A target put before the one
    there was: it is new, underlined whole; the old one underlined where it changed."""
    e = iv.repair_line_152(iv.Edits())
    e.sub(35, "\t1. 定期召開「法務部審核貪瀆案件檢舉獎金委員會」會議，並統計申請、核發件數及發給獎金之金額。"
              " 2. 定期提報修法進度。\t",
          "\t1. 定期提報修法進度。 2. 定期召開「法務部審核貪瀆案件檢舉獎金委員會」會議，並統計申請、"
          "核發件數及發給獎金之金額。\t")
    e.sub(44, "\t每年辦理廉政指標民意調查一次，並公布結果。\t",
          "\t1. 每二年辦理廉政指標國際比較研究一次。 2. 每半年辦理廉政指標民意調查一次，並公布結果。\t")
    html = run_cli("diff", str(SEED), str(write(tmp_path, "targets.txt", e.text())),
                   "--format", "html").stdout
    label = '<span class="label">績效目標：</span>'
    assert (f"{label}<u>1.</u> 定期提報修法進度。<br><u>2.</u> 定期召開「法務部審核貪瀆案件檢舉獎金委員會」"
            "會議，並統計申請、核發件數及發給獎金之金額。</p>") in html
    assert (f"{label}<u>1. 每二年辦理廉政指標國際比較研究一次。</u><br><u>2.</u> 每<u>半</u>年辦理"
            "廉政指標民意調查一次，並公布結果。</p>") in html


def test_the_flat_version_as_a_docx_draft_with_its_changes_underlined(tmp_path):
    """The same planted version as a DOCX written by python-docx (strategy cells merged down,
    changes as underlined runs): the same changes as from the box-drawn text, and nothing else —
    the underlines mark, they do not change."""
    rows, expected = iv.flat_rows(underline=True)
    path = tmp_path / "flat.docx"
    path.write_bytes(iv.flat_docx(rows))
    assert iv.unmet(expected, diff(SEED, path)) == ([], [])


def docx_rows(path: Path) -> list[list[str]]:
    """A 修正對照表's rows read back with python-docx, underlined runs as [..]; headings (one
    merged cell across the row) left out."""
    import docx
    out = []
    for row in docx.Document(str(path)).tables[0].rows[1:]:
        cells = ["\n".join("".join(f"[{r.text}]" if r.underline else r.text for r in p.runs)
                           for p in c.paragraphs) for c in row.cells]
        if len(set(cells)) > 1:
            out.append(cells)
    return out


def test_the_renames_table_in_docx_gives_each_rename_with_its_law(tmp_path):
    text, _ = iv.version_renames()
    new = write(tmp_path, "renames.txt", text)
    out = tmp_path / "table.docx"
    run_cli("diff", str(SEED), str(new), "--format", "docx", "--output", str(out))
    rows = docx_rows(out)
    # 14 measures and one clause changed; the 2014 underlines dropped are no row
    assert len(rows) == 15
    def row(old_start: str) -> list[str]:
        (found,) = [r for r in rows if r[1].startswith(old_start)]
        return found

    only_rename = row("5. 貫徹檢察一體")
    assert only_rename[0].endswith("辦理機關：法務部、[最高檢察署]（肅貪督導小組）")
    assert only_rename[2] == ("機關名稱配合組織調整修正（最高法院檢察署→最高檢察署，"
                              "依法院組織法 §114-2（2018-05-23 公布），2018-05-25起）。")
    split_by_page = row("強化法務部調查局「追緝外逃")
    assert "[內政部移民署](司法院)" in split_by_page[0]
    assert "內政部入出國及移民署→內政部移民署" in split_by_page[2] and "2015-01-02起" in split_by_page[2]
    assert rows[-1] == ["一、本方案具體作為之執行措施，由法務部[每年]召集相關機關檢討修正。",
                        "一、本方案具體作為之執行措施，得由法務部召集相關機關視需要檢討修正。",
                        "本點文字修正。"]


def test_a_target_changed_by_a_rename_is_explained_by_it(tmp_path):
    """1.1.5.9 of the renames version: its target names 各地方檢察署 now; the 說明 gives the
    rename and its law, as it does for a measure's text (it said 「績效目標文字修正」)."""
    text, _ = iv.version_renames()
    html = run_cli("diff", str(SEED), str(write(tmp_path, "renames.txt", text)),
                   "--format", "html").stdout
    (notes,) = [n for n in notes_of(html) if "臺灣高等法院檢察署→臺灣高等檢察署" in n
                and "各地方法院檢察署" in n]
    assert ("二、績效目標所提機關名稱配合組織調整修正（各地方法院檢察署→各地方檢察署，"
            "依法院組織法 §114-2（2018-05-23 公布），2018-05-25起）。") in notes
    assert "文字修正" not in notes
