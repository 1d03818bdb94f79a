"""plangraph diff and check, on versions written from the seed by hand.

Each edited version changes one thing; the diff must report exactly that and nothing else.
Expected values come from reading the document (line numbers in comments).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import SEED, run_cli

SEED_LINES = SEED.read_text(encoding="utf-8").split("\n")
ERRATA = SEED.with_name("plan-2014-04-15.errata.toml").read_text(encoding="utf-8")


def version(tmp_path: Path, name: str, edit, errata_line: int = 152) -> Path:
    """The seed with `edit` applied to its lines (0-based list), its errata moved along."""
    lines = list(SEED_LINES)
    edit(lines)
    path = tmp_path / f"{name}.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    path.with_name(f"{name}.errata.toml").write_text(
        ERRATA.replace("line = 152", f"line = {errata_line}"), encoding="utf-8")
    return path


def diff(old: Path, new: Path) -> list[dict]:
    return json.loads(run_cli("diff", str(old), str(new)).stdout)


def summary(changes: list[dict]) -> list[tuple]:
    return [(c["change"], c["key"], c["new_key"]) for c in changes]


@pytest.fixture
def seed(tmp_path) -> Path:
    return version(tmp_path, "seed", lambda ls: None)


def test_same_document_no_changes(seed):
    assert diff(seed, seed) == []


def test_rename_an_agency_everywhere(tmp_path, seed):
    # 最高法院檢察署 (lines 13, 14, 16, 25, 40) → 最高檢察署, its name after 2018. The texts that
    # spell it out change: 1.1.3.1 (line 13) and 1.1.4.1 (lines 14, 16); every agency cell that
    # names it names it anew: 1.1.3.1, 1.1.4.1, 1.1.5.5 (line 25) and 1.1.8.1 (line 40).
    new = version(tmp_path, "renamed",
                  lambda ls: ls.__setitem__(slice(None), [x.replace("最高法院檢察署", "最高檢察署")
                                                          for x in ls]))
    changes = diff(seed, new)
    assert summary(changes) == [("text", "1.1.3.1", "1.1.3.1"), ("renamed", "1.1.3.1", "1.1.3.1"),
                                ("text", "1.1.4.1", "1.1.4.1"), ("renamed", "1.1.4.1", "1.1.4.1"),
                                ("renamed", "1.1.5.5", "1.1.5.5"), ("renamed", "1.1.8.1", "1.1.8.1")]
    text = changes[0]
    assert "最高法院檢察署" in text["old"] and "最高檢察署" in text["new"]
    assert ["replace", "法院", ""] in text["diff"] or ["delete", "法院", ""] in text["diff"]
    for c in changes[1:]:
        if c["change"] == "renamed":
            assert (c["old"], c["new"], c["agency"]) == ("最高法院檢察署", "最高檢察署", "spo")
            # no version date here (no metadata): every recorded rename may explain it
            assert [(e["kind"], e["date"]) for e in c["events"]] == [("renamed", "2018-05-25")]


def test_delete_a_measure_in_the_middle_renumbers_the_next(tmp_path, seed):
    # line 29 is measure 8 of 1.1.5; line 30 (measure 9) becomes measure 8
    def edit(ls):
        del ls[28]
        ls[28] = ls[28].replace("<p>9. ", "<p>8. ", 1)
    changes = diff(seed, version(tmp_path, "deleted", edit, errata_line=151))
    assert summary(changes) == [("removed", "1.1.5.8", None), ("renumbered", "1.1.5.9", "1.1.5.8")]
    assert changes[0]["old"].startswith("對涉有風紀或貪瀆不法情事之高階")


def test_add_a_measure(tmp_path, seed):
    # a third measure for 2.0.6 (lines 83–84)
    row = "\t3. 定期辦理公務員品德考核講習。\t定期提報執行情形。\t行政院人事行政總處"
    changes = diff(seed, version(tmp_path, "added", lambda ls: ls.insert(84, row),
                                 errata_line=153))
    assert summary(changes) == [("added", "2.0.6.3", "2.0.6.3")]
    assert changes[0]["new"] == "定期辦理公務員品德考核講習。"


def test_change_a_target(tmp_path, seed):
    # line 44, strategy 2 of 防貪: 每年 → 每半年
    changes = diff(seed, version(tmp_path, "target", lambda ls: ls.__setitem__(
        43, ls[43].replace("每年辦理廉政指標民意調查一次", "每半年辦理廉政指標民意調查一次"))))
    assert summary(changes) == [("targets", "1.2.2.1", "1.2.2.1")]
    assert changes[0]["old"] == ["每年辦理廉政指標民意調查一次，並公布結果。"]
    assert changes[0]["new"] == ["每半年辦理廉政指標民意調查一次，並公布結果。"]


def test_drop_an_agency_from_a_cell(tmp_path, seed):
    # line 22 (1.1.5.2): 法務部廉政署、法務部調查局 → 法務部廉政署
    changes = diff(seed, version(tmp_path, "dropped", lambda ls: ls.__setitem__(
        21, ls[21].replace("法務部廉政署、法務部調查局", "法務部廉政署"))))
    assert summary(changes) == [("agencies", "1.1.5.2", "1.1.5.2")]
    assert changes[0]["old"] == ["法務部廉政署", "法務部調查局"]
    assert changes[0]["new"] == ["法務部廉政署"]


def test_whitespace_and_underlines_are_not_changes(tmp_path, seed):
    def edit(ls):
        ls[101] = ls[101].replace("<u>", "").replace("</u>", "")            # line 102
        ls[44] = ls[44].replace("專案拜訪往來廠商", "<u>專案拜訪</u>  往來廠商")  # line 45
        ls[12] = ls[12].replace("、", " 、 ")                               # line 13
    assert diff(seed, version(tmp_path, "cosmetic", edit)) == []


def test_a_new_spelling_of_an_agency_is_a_rename_with_no_event(tmp_path, seed):
    # line 113 has the typo 各地方方法院檢察署; fixing it names the same agency by another name,
    # which no reorganisation explains: a change, with no event recorded
    changes = diff(seed, version(tmp_path, "typo", lambda ls: ls.__setitem__(
        112, ls[112].replace("各地方方法院檢察署", "各地方法院檢察署"))))
    assert [(c["change"], c["key"], c["old"], c["new"], c["agency"], c["events"])
            for c in changes] == [("renamed", "4.0.2.2", "各地方方法院檢察署", "各地方法院檢察署",
                                   "district-prosecutors-offices", [])]


def test_diff_formats(tmp_path, seed):
    new = version(tmp_path, "target", lambda ls: ls.__setitem__(
        43, ls[43].replace("每年辦理", "每半年辦理")))
    md = run_cli("diff", str(seed), str(new), "--format", "md").stdout
    assert "| targets | 1.2.2.1 |" in md
    page = run_cli("diff", str(seed), str(new), "--format", "html").stdout
    assert "<th scope=\"col\">修正規定</th>" in page
    assert "每<u>半</u>年辦理" in page and "績效目標辦理頻率由每年改為每半年。" in page


# -- check ---------------------------------------------------------------------------------------

def findings(*args: str) -> list[dict]:
    return json.loads(run_cli("check", *args).stdout)


def test_check_at_the_version_date_lists_the_passed_deadline():
    # line 34: 101 年底前 (2012-12-31) was already past on 2014-04-15; nothing else was
    got = findings(str(SEED))
    assert [(f["rule"], f["key"]) for f in got] == [("deadline-passed", "1.1.6.2")]


def test_check_as_of_2026_lists_every_renamed_or_abolished_agency():
    got = findings(str(SEED), "--as-of", "2026-11-23")
    agencies = {(f["rule"], f["subject"], f["successor"]) for f in got
                if f["rule"].startswith("agency-")}
    # DOMAIN.md's reorganisations after 2014-04-15, for every name the document uses
    assert agencies == {
        ("agency-renamed", "最高法院檢察署", "最高檢察署"),                 # lines 13, 14, 25, 40
        ("agency-renamed", "臺灣高等法院檢察署", "臺灣高等檢察署"),          # lines 13, 30
        ("agency-renamed", "高等法院及其分院檢察署", "高等檢察署及其檢察分署"),  # lines 14, 40
        ("agency-renamed", "各地方法院檢察署", "各地方檢察署"),             # lines 17, 18, …
        ("agency-renamed", "各地方方法院檢察署", "各地方檢察署"),           # line 113 (typo)
        ("agency-renamed", "各級法院檢察署", "各級檢察署"),                 # lines 31, 35, 36
        ("agency-renamed", "內政部入出國及移民署", "內政部移民署"),          # lines 159/161
        ("agency-abolished", "特別偵查組", None),                        # line 14
        ("agency-replaced", "行政院農業委員會", "農業部"),                  # lines 102, 104, 140
        ("agency-replaced", "科技部", "國家科學及技術委員會"),              # line 140
    }
    rules = {f["rule"] for f in got}
    assert {"deadline-passed", "bill-enacted", "leftover-old-name"} <= rules
    assert ("bill-enacted", "政黨法") in {(f["rule"], f["subject"]) for f in got}  # line 147
    # the collective's own rename event explains 各級法院檢察署 (no longer a bare leftover name); its
    # other spellings, 各級檢察機關 (24) and 各級檢察署 (27), name no court and stay right
    assert {f["key"] for f in got if f["subject"] == "各級法院檢察署"} == {"1.1.6.1", "1.1.6.3", "1.1.7.1"}
    assert {f["rule"] for f in got if f["subject"] == "各級法院檢察署"} == {"agency-renamed"}
    assert not [f for f in got if f["subject"] in ("各級檢察機關", "各級檢察署")]


def test_check_finds_a_numbering_gap_a_missing_target_and_a_duplicate(tmp_path):
    def edit(ls):
        del ls[28]                                                   # 1.1.5.8 gone, 9 stays 9
        ls[41] = ls[41].replace("定期提報辦理件數並統計首長親自主持會議之次數與比率。", "")  # line 43
        ls.insert(50, ls[48].replace("\t2. ", "\t4. "))               # line 50 again, as 4.
    path = version(tmp_path, "broken", edit, errata_line=152)
    got = findings(str(path), "--version-date", "2014-04-15")
    rules = {(f["rule"], f["key"]) for f in got}
    assert ("numbering-gap", "1.1.5.9") in rules
    assert ("no-target", "1.2.1.2") in rules
    assert any(f["rule"] == "duplicate-measure" for f in got)


def test_check_without_a_date_is_a_clear_error(tmp_path):
    path = tmp_path / "undated.txt"
    path.write_bytes(SEED.read_bytes())
    proc = run_cli("check", str(path), check=False)
    assert proc.returncode == 1 and "no version date" in proc.stderr


def test_a_rename_in_texts_is_explained_as_one_in_the_table(tmp_path, seed):
    # 最高法院檢察署 → 最高檢察署 everywhere (lines 13, 14, 16, 25, 40): the text of 1.1.4.1 (lines
    # 14, 16) changes by that rename alone, though it also names 高等法院及其分院檢察署, which
    # the family rename of the same law would change and this version does not
    new = version(tmp_path, "renamed",
                  lambda ls: ls.__setitem__(slice(None), [x.replace("最高法院檢察署", "最高檢察署")
                                                          for x in ls]))
    out = tmp_path / "table.html"
    run_cli("diff", str(seed), str(new), "--format", "html", "--output", str(out))
    page = out.read_text(encoding="utf-8")
    assert page.count("執行措施所提機關名稱配合組織調整修正（最高法院檢察署→最高檢察署，"
                      "依法院組織法 §114-2（2018-05-23 公布），2018-05-25起）。") == 2   # 1.1.3.1, 1.1.4.1
    assert "文字修正" not in page


def test_a_broken_new_version_is_a_clear_error(tmp_path, seed):
    # line 44 loses the tab between its target and agency cells
    def drop_tab(ls):
        cells = ls[43].split("\t")
        ls[43] = "\t".join(cells[:2] + [cells[2] + cells[3]])
    out = tmp_path / "table.docx"
    proc = run_cli("diff", str(seed), str(version(tmp_path, "broken", drop_tab)), "--format",
                   "docx", "--output", str(out), check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "line 44" in proc.stderr and "row has 3 cells" in proc.stderr
    assert not out.exists()


def test_a_deleted_clause_renumbers_the_next(tmp_path, seed):
    # line 167, clause 二 of 陸, goes; 三、四、五 (lines 168–170) become 二、三、四
    def edit(ls):
        del ls[166]
        for k, (a, b) in enumerate((("三", "二"), ("四", "三"), ("五", "四")), start=166):
            ls[k] = ls[k].replace(f"- {a}、", f"- {b}、", 1)
    changes = diff(seed, version(tmp_path, "clause", edit))
    assert [(c["change"], c["aspect"], c["key"], c["new_key"]) for c in changes] == [
        ("clause-removed", "content", "6.2", None),
        ("clause-renumbered", "structure", "6.3", "6.2"),
        ("clause-renumbered", "structure", "6.4", "6.3"),
        ("clause-renumbered", "structure", "6.5", "6.4")]
    out = tmp_path / "table.html"
    run_cli("diff", str(seed), str(tmp_path / "clause.txt"), "--format", "html", "--output",
            str(out))
    page = out.read_text(encoding="utf-8")
    assert page.count("<tr><td") == 1 and "（刪除）" in page and "本點刪除。" in page
    assert "第陸點之分項3項調整項次。" in page
