"""Later versions of the seed, made independently of the project's own fixtures, each with the list
of changes planted in it, written by hand.

A red-team check of `plangraph diff`: the versions here were written without reading
tests/later_versions.py, tests/test_flat_version.py or tests/render/, from the seed and DOMAIN.md
only, the way someone holding back a test version would make one:

* tab-separated versions, made by editing the seed's lines (`Edits`: each edit names the seed line
  it touches and the text it replaces there, which must occur exactly once in that line);
* the seed in the flat layout of 2018 and later (strategies 一、二、… straight under 肆, measures
  （一）（二）…, targets 1. 2. …) as MOJ box-drawn text, by our own reading of the seed's rows
  (`seed_rows`) and our own writer (`box_table`).

The expected changes are `Expect`s: the change's kind and keys, and the fields that say what
changed (names of a rename and its event's date, the new targets, the agencies), written from what
was planted, never from the program's output.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SEED = Path(__file__).resolve().parent.parent / "data" / "plan-2014-04-15.txt"


# -- expected changes ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Expect:
    """One change planted: its kind, old key and new key, and the fields that must hold.

    `fields` are compared with the reported change's: `old` and `new` exactly; `contains_new` /
    `contains_old`: fragments the new (old) text must contain; `event_dates`: the dates of the
    registry events given for a rename (() when none is recorded)."""

    change: str
    key: str
    new_key: str | None
    fields: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


def renamed(key: str, old: str, new: str, *event_dates: str, new_key: str | None = None) -> Expect:
    return Expect("renamed", key, new_key or key,
                  {"old": old, "new": new, "event_dates": tuple(event_dates)})


def text(key: str, *fragments: str, new_key: str | None = None, kind: str = "text") -> Expect:
    return Expect(kind, key, new_key or key, {"contains_new": fragments})


def unmet(expected: list[Expect], changes: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """(what was planted and not reported as planted, what was reported and not planted).

    A reported change matches an expected one by (change, key, new_key); then each field must
    hold. Each reported change answers for one expected change at most."""
    left = list(changes)
    missing: list[str] = []
    for e in expected:
        same = [c for c in left if (c["change"], c["key"], c["new_key"]) == (e.change, e.key,
                                                                            e.new_key)]
        good = [c for c in same if not _field_problems(e, c)]
        if good:
            left.remove(good[0])
            continue
        why = "; ".join(_field_problems(e, same[0])) if same else "not reported"
        missing.append(f"{e.change} {e.key}→{e.new_key}: {why}")
    spurious = [f"{c['change']} {c['key']}→{c['new_key']}: {c.get('old')!r} → {c.get('new')!r}"
                for c in left]
    return missing, spurious


def _squeeze(x: Any) -> Any:
    """Whitespace is not content: 101 年底前 is 101年底前."""
    if isinstance(x, str):
        return re.sub(r"\s+", "", x)
    if isinstance(x, list):
        return [_squeeze(y) for y in x]
    return x


def _field_problems(e: Expect, c: dict[str, Any]) -> list[str]:
    out = []
    for name, want in e.fields.items():
        if name in ("old", "new"):
            if _squeeze(c.get(name)) != _squeeze(want):
                out.append(f"{name} {c.get(name)!r}, expected {want!r}")
        elif name == "contains_new":
            for frag in want:
                if frag not in (c.get("new") or ""):
                    out.append(f"new text lacks {frag!r}")
        elif name == "contains_old":
            for frag in want:
                if frag not in (c.get("old") or ""):
                    out.append(f"old text lacks {frag!r}")
        elif name == "event_dates":
            got = tuple(ev["date"] for ev in c.get("events") or [])
            if got != want:
                out.append(f"events dated {got}, expected {want}")
        else:
            raise ValueError(name)
    return out


# -- tab-separated versions: edits of the seed's lines ---------------------------------------------

class Edits:
    """The seed's lines, edited by their seed line numbers (which stay valid while editing)."""

    def __init__(self, text: str | None = None):
        seed = text if text is not None else SEED.read_text(encoding="utf-8")
        self.lines: list[list[str]] = [[line] for line in seed.split("\n")]

    def line(self, n: int) -> str:
        (only,) = self.lines[n - 1]
        return only

    def sub(self, n: int, old: str, new: str) -> Edits:
        line = self.line(n)
        if line.count(old) != 1:
            raise ValueError(f"line {n}: {old!r} occurs {line.count(old)} times")
        self.lines[n - 1] = [line.replace(old, new)]
        return self

    def sub_all(self, old: str, new: str, lines: range | list[int]) -> Edits:
        for n in lines:
            if old in self.line(n):
                self.lines[n - 1] = [self.line(n).replace(old, new)]
        return self

    def delete(self, n: int) -> Edits:
        self.line(n)
        self.lines[n - 1] = []
        return self

    def insert_after(self, n: int, *new_lines: str) -> Edits:
        self.lines[n - 1] = self.lines[n - 1] + list(new_lines)
        return self

    def text(self) -> str:
        return "\n".join(x for group in self.lines for x in group)


def repair_line_152(e: Edits) -> Edits:
    """The seed's line 152 lost a tab (its errata say so); a later text would have it."""
    return e.sub(152, "亞洲開發銀行(定期統計", "亞洲開發銀行(\t定期統計")


def drop_2014_underlines(e: Edits) -> Edits:
    """A later consolidated text no longer underlines what the 2014 amendment changed; the name
    the tags split in two is written whole."""
    e.sub(129, "<u>國家發展委員會</u> <u>檔案管理局</u>", "國家發展委員會檔案管理局")
    for n in (102, 103, 104, 125, 156):
        line = e.line(n)
        line = re.sub(r" ?<u>(.*?)</u> ?", r"\1", line)
        e.lines[n - 1] = [line]
    return e


# V1: the 2018 renames of the prosecutors offices (法院組織法 §114-2), and 入出國及移民署 (2015)

RENAMES_2018 = "2018-05-25"


def version_renames() -> tuple[str, list[Expect]]:
    e = repair_line_152(drop_2014_underlines(Edits()))
    ex: list[Expect] = []
    # 1.1.3.1 (line 13): renamed in the measure's text and in its agency cell
    e.sub(13, "召集最高法院檢察署、臺灣高等法院檢察署、法務部廉政署",
          "召集最高檢察署、臺灣高等檢察署、法務部廉政署")
    e.sub(13, "法務部、最高法院檢察署、臺灣高等法院檢察署、法務部廉政署",
          "法務部、最高檢察署、臺灣高等檢察署、法務部廉政署")
    ex += [text("1.1.3.1", "召集最高檢察署、臺灣高等檢察署"),
           renamed("1.1.3.1", "最高法院檢察署", "最高檢察署", RENAMES_2018),
           renamed("1.1.3.1", "臺灣高等法院檢察署", "臺灣高等檢察署", RENAMES_2018)]
    # 1.1.4.1 (line 14): the agency cell only; its text keeps the old names
    e.sub(14, "法務部、最高法院檢察署、高等法院及其分院檢察署、法務部廉政署",
          "法務部、最高檢察署、高等檢察署及其檢察分署、法務部廉政署")
    ex += [renamed("1.1.4.1", "最高法院檢察署", "最高檢察署", RENAMES_2018),
           renamed("1.1.4.1", "高等法院及其分院檢察署", "高等檢察署及其檢察分署", RENAMES_2018)]
    # 1.1.4.2 (line 17): text and cell
    e.sub(17, "<p>2. 各地方法院檢察署加強", "<p>2. 各地方檢察署加強")
    e.sub(17, "<p>各地方法院檢察署、法務部廉政署", "<p>各地方檢察署、法務部廉政署")
    ex += [text("1.1.4.2", "各地方檢察署加強"),
           renamed("1.1.4.2", "各地方法院檢察署", "各地方檢察署", RENAMES_2018)]
    # 1.1.4.3 (line 18), 1.1.5.1 (line 21), 1.1.5.7 (line 28): the cell only
    e.sub(18, "<p>法務部、各地方法院檢察署", "<p>法務部、各地方檢察署")
    e.sub(21, "\t各地方法院檢察署、法務部廉政署", "\t各地方檢察署、法務部廉政署")
    e.sub(28, "<p>法務部、各地方法院檢察署", "<p>法務部、各地方檢察署")
    ex += [renamed(k, "各地方法院檢察署", "各地方檢察署", RENAMES_2018)
           for k in ("1.1.4.3", "1.1.5.1", "1.1.5.7")]
    # 1.1.5.5 (line 25): a rename is the measure's only change
    e.sub(25, "法務部、最高法院檢察署（肅貪督導小組）", "法務部、最高檢察署（肅貪督導小組）")
    ex += [renamed("1.1.5.5", "最高法院檢察署", "最高檢察署", RENAMES_2018)]
    # 1.1.5.9 (line 30): text, target and cell
    e.sub(30, "<p>9. 由臺灣高等法院檢察署及所屬", "<p>9. 由臺灣高等檢察署及所屬")
    e.sub(30, "，由臺灣高等法院檢察署造冊列管", "，由臺灣高等檢察署造冊列管")
    e.sub(30, "<p>由各地方法院檢察署提報", "<p>由各地方檢察署提報")
    e.sub(30, "<p>臺灣高等法院檢察署、各地方法院檢察署</p>", "<p>臺灣高等檢察署、各地方檢察署</p>")
    ex += [text("1.1.5.9", "由臺灣高等檢察署及所屬", "由臺灣高等檢察署造冊列管"),
           Expect("targets", "1.1.5.9", "1.1.5.9", {"new": [
               "由各地方檢察署提報全年度符合重大危害政府廉能之目標案件數，並每季檢討達成率。"]}),
           renamed("1.1.5.9", "臺灣高等法院檢察署", "臺灣高等檢察署", RENAMES_2018),
           renamed("1.1.5.9", "各地方法院檢察署", "各地方檢察署", RENAMES_2018)]
    # 1.1.6.1 (line 31), 1.1.6.3 (line 35), 1.1.7.1 (line 36): 各級法院檢察署, renamed with its
    # family by the same law
    e.sub(31, "<p>各級法院檢察署、法務部廉政署", "<p>各級檢察署、法務部廉政署")
    e.sub(35, "\t各級法院檢察署、法務部廉政署", "\t各級檢察署、法務部廉政署")
    e.sub(36, "\t各級法院檢察署、法務部廉政署", "\t各級檢察署、法務部廉政署")
    ex += [renamed(k, "各級法院檢察署", "各級檢察署", RENAMES_2018)
           for k in ("1.1.6.1", "1.1.6.3", "1.1.7.1")]
    # 1.1.8.1 (line 40): three renames, nothing else
    e.sub(40, "\t最高法院檢察署、高等法院及其分院檢察署、各地方法院檢察署、",
          "\t最高檢察署、高等檢察署及其檢察分署、各地方檢察署、")
    ex += [renamed("1.1.8.1", "最高法院檢察署", "最高檢察署", RENAMES_2018),
           renamed("1.1.8.1", "高等法院及其分院檢察署", "高等檢察署及其檢察分署", RENAMES_2018),
           renamed("1.1.8.1", "各地方法院檢察署", "各地方檢察署", RENAMES_2018)]
    # 4.0.2.2 (line 113): the seed's typo 各地方方法院檢察署, now the new name
    e.sub(113, "法務部、各地方方法院檢察署、", "法務部、各地方檢察署、")
    ex += [renamed("4.0.2.2", "各地方方法院檢察署", "各地方檢察署", RENAMES_2018)]
    # 8.0.4.1 (lines 159/161): the name split by the page break: 內政部入出國及 + 移民署
    e.sub(159, "法務部調查局、內政部入出國及", "法務部調查局、內政部")
    ex += [renamed("8.0.4.1", "內政部入出國及移民署", "內政部移民署", "2015-01-02")]
    # point 陸, clause 一
    e.sub(166, "得由法務部召集相關機關視需要檢討修正", "由法務部每年召集相關機關檢討修正")
    ex += [text("6.1", "由法務部每年召集相關機關檢討修正", kind="clause-text")]
    return e.text(), ex


# V2: structure: a measure deleted (the rest renumbered), one inserted, one moved, a strategy
# deleted (the rest renumbered), strategy texts edited, point 陸's clauses removed and added

def version_structure() -> tuple[str, list[Expect]]:
    e = repair_line_152(Edits())
    ex: list[Expect] = []
    # 1.1.5.3 (line 23) deleted: 4…9 become 3…8
    e.delete(23)
    ex.append(Expect("removed", "1.1.5.3", None))
    e.sub(24, "\t4. 積極追查", "\t3. 積極追查")
    e.sub(25, "\t5. 貫徹檢察一體", "\t4. 貫徹檢察一體")
    e.sub(27, "<p>6. 提升承辦", "<p>5. 提升承辦")
    e.sub(28, "<p>7. 嚴守程序正義", "<p>6. 嚴守程序正義")
    e.sub(29, "<p>8. 對涉有風紀", "<p>7. 對涉有風紀")
    e.sub(30, "<p>9. 由臺灣高等法院", "<p>8. 由臺灣高等法院")
    ex += [Expect("renumbered", f"1.1.5.{n}", f"1.1.5.{n - 1}") for n in range(4, 10)]
    # 1.2.3.1 (line 45) moved to strategy 1.2.1 as its third measure; 1.2.3.2 is now its
    # strategy's only measure, unnumbered
    e.sub(45, "\t1. 專案拜訪往來廠商、民間團體、專業人士及民眾，瞭解施政缺失，並提出改進建議。"
              "\t定期提報訪查成果。\t相關機關", "\t舉辦廉政座談會。\t定期提報辦理成果。\t各機關")
    e.delete(46)
    e.insert_after(43, "\t3. 專案拜訪往來廠商、民間團體、專業人士及民眾，瞭解施政缺失，並提出改進建議。"
                       "\t定期提報訪查成果。\t相關機關")
    ex += [Expect("moved", "1.2.3.1", "1.2.1.3", {"old": "1.2.3", "new": "1.2.1"}),
           Expect("renumbered", "1.2.3.2", "1.2.3.1")]
    # strategy 1.2.2's text (line 44)
    e.sub(44, "2. 持續指標研究，掌握貪腐趨勢。", "2. 持續廉政指標研究，掌握貪腐趨勢及成因。")
    ex.append(text("1.2.2", "持續廉政指標研究", "貪腐趨勢及成因", kind="strategy-text"))
    # strategy 3.0.1's text, in its part after the page break (line 92)
    e.sub(92, "保障投資人及員工權益", "保障投資人、消費者及員工權益")
    ex.append(text("3.0.1", "保障投資人、消費者及員工權益", kind="strategy-text"))
    # strategy 6.0.2 (line 138) deleted with its measure: (三)(四) become (二)(三)
    e.delete(138)
    e.sub(139, "(三)加強政府採購稽核", "(二)加強政府採購稽核")
    e.sub(140, "(四)推動研究計畫", "(三)推動研究計畫")
    ex += [Expect("strategy-removed", "6.0.2", None), Expect("removed", "6.0.2.1", None),
           Expect("strategy-renumbered", "6.0.3", "6.0.2"),
           Expect("strategy-renumbered", "6.0.4", "6.0.3"),
           Expect("renumbered", "6.0.3.1", "6.0.2.1"), Expect("renumbered", "6.0.4.1", "6.0.3.1")]
    # a measure inserted after 5.0.3.3 (line 129)
    e.insert_after(129, "\t4. 推動政府資料開放，以機器可讀格式提供資料集並訂定開放時程。"
                        "\t定期提報資料集開放數量。\t國家發展委員會、各機關")
    ex.append(text("5.0.3.4", "推動政府資料開放", kind="added"))
    # point 陸: clause 三 removed, 四 五 become 三 四, a new 五
    e.delete(168)
    e.sub(169, "- 四、各直轄市", "- 三、各直轄市")
    e.sub(170, "- 五、本方案由國家發展委員會", "- 四、本方案由國家發展委員會")
    e.insert_after(170, "- 五、本方案執行成效，由法務部每年彙整陳報行政院。")
    ex += [Expect("clause-removed", "6.3", None),
           Expect("clause-renumbered", "6.4", "6.3"), Expect("clause-renumbered", "6.5", "6.4"),
           text("6.5", "本方案執行成效，由法務部每年彙整陳報行政院。", kind="clause-added")]
    return e.text(), ex


# V3: content, small and large: one character, a number, a word, a long rewrite; targets (a
# deadline year, a frequency, a numbered target added, one removed); agencies added and removed; a
# cooperating body added; edits in the rows a page break continues; underlines where the official
# marks the change; a clause of point 陸

def version_content(base: str | None = None) -> tuple[str, list[Expect]]:
    """`base`: a version to make these edits on (the seed's lines, line 152 repaired), the
    seed by default."""
    e = Edits(base) if base is not None else repair_line_152(Edits())
    ex: list[Expect] = []
    # one character (令 → 規), underlined as changed
    e.sub(11, "等法令。\t定期提報研修進度", "等法<u>規</u>。\t定期提報研修進度")
    ex.append(text("1.1.2.1", "中關於貪瀆犯罪所得沒收規定」等法規。"))
    # a number in a text (每2個月 → 每3個月)
    e.sub(43, "每2個月召開會議1次", "每<u>3</u>個月召開會議1次")
    ex.append(text("1.2.1.2", "每3個月召開會議1次"))
    # a word (跨國司法互助 → 國際司法互助)
    e.sub(24, "並尋求跨國司法互助", "並尋求國際司法互助")
    ex.append(text("1.1.5.4", "並尋求國際司法互助"))
    # a long rewrite of half a text (4.0.3.1, line 114)
    e.sub(114, "中央及地方教育部門，應加強與所屬學校合作，推動學生反貪腐教育，如協助成立廉政治理研究中心、"
               "開發反貪腐教材、開設大學廉政課程、培育相關課程的師資、輔導成立廉政社團。",
          "<u>結合十二年國民基本教育課程綱要，將誠信、公民責任及反貪腐議題融入各領域教學；</u>"
          "中央及地方教育部門，應加強與所屬學校合作，推動學生反貪腐教育，如開發反貪腐教材、"
          "<u>辦理教師增能研習、鼓勵大專校院開設廉政通識課程</u>。")
    ex.append(text("4.0.3.1", "結合十二年國民基本教育課程綱要", "鼓勵大專校院開設廉政通識課程"))
    # a deadline year (101 年底前 → 108 年底前)
    e.sub(34, "\t101 年底前提出", "\t<u>108</u> 年底前提出")
    ex.append(Expect("targets", "1.1.6.2", "1.1.6.2",
                     {"new": ["108 年底前提出「吹哨者保護法」研究報告及草案初稿。"]}))
    # a frequency (定期 → 每半年)
    e.sub(13, "\t定期提報研究成果。\t", "\t<u>每半年</u>提報研究成果。\t")
    ex.append(Expect("targets", "1.1.3.1", "1.1.3.1", {"new": ["每半年提報研究成果。"]}))
    # a numbered target added
    e.sub(44, "\t每年辦理廉政指標民意調查一次，並公布結果。\t",
          "\t1. 每年辦理廉政指標民意調查一次，並公布結果。 <u>2. 每二年辦理廉政指標國際比較研究一次。</u>\t")
    ex.append(Expect("targets", "1.2.2.1", "1.2.2.1", {"new": [
        "每年辦理廉政指標民意調查一次，並公布結果。", "每二年辦理廉政指標國際比較研究一次。"]}))
    # a numbered target removed
    e.sub(27, "<p>1. 統計貪瀆案件發生之比率，並逐年比較分析。 2. 定期提報辦理肅貪講習場次及人數。</p>",
          "<p>定期提報辦理肅貪講習場次及人數。</p>")
    ex.append(Expect("targets", "1.1.5.6", "1.1.5.6", {"new": ["定期提報辦理肅貪講習場次及人數。"]}))
    # an agency added; one removed; a cooperating body added
    e.sub(126, "\t定期提報執行情形。\t各機關", "\t定期提報執行情形。\t各機關、<u>法務部</u>")
    ex.append(Expect("agencies", "5.0.2.1", "5.0.2.1", {"old": ["各機關"],
                                                        "new": ["各機關", "法務部"]}))
    e.sub(93, "<p>經濟部、交通部、財政部、", "<p>經濟部、財政部、")
    ex.append(Expect("agencies", "3.0.2.1", "3.0.2.1", {
        "old": sorted(["經濟部", "交通部", "財政部", "金融監督管理委員會", "衛生福利部", "相關機關"]),
        "new": sorted(["經濟部", "財政部", "金融監督管理委員會", "衛生福利部", "相關機關"])}))
    e.sub(145, "處罰情形。\t內政部", "處罰情形。\t內政部 (監察院)")
    ex.append(Expect("cooperating", "7.0.1.1", "7.0.1.1", {"old": [], "new": ["監察院"]}))
    # edits in rows continued after a page break: a measure's text (line 20), a target (line 59),
    # an agency cell (line 65)
    e.sub(20, "提高貪瀆案件定罪率。", "提高貪瀆案件定罪率<u>及追訴效能</u>。")
    ex.append(text("1.1.4.3", "提高貪瀆案件定罪率及追訴效能。"))
    e.sub(59, "受懲戒確定之人員姓名、事由。\t", "受懲戒確定之人員姓名、事由<u>及處分結果</u>。\t")
    ex.append(Expect("targets", "1.2.6.3", "1.2.6.3", {"new": [
        "按季公布請託關說事件登錄統計類型及數量及違反「行政院及所屬機關機構請託關說登錄查察作業要點」"
        "受懲戒確定之人員姓名、事由及處分結果。"]}))
    e.sub(65, "\t署、各機關", "\t署、各機關、<u>行政院主計總處</u>")
    ex.append(Expect("agencies", "1.2.7.3", "1.2.7.3", {
        "old": sorted(["法務部廉政署", "各機關"]),
        "new": sorted(["法務部廉政署", "各機關", "行政院主計總處"])}))
    # point 陸, clause 四: one character (應 → 得)
    e.sub(169, "政府應依本方案", "政府<u>得</u>依本方案")
    ex.append(text("6.4", "政府得依本方案", kind="clause-text"))
    return e.text(), ex


# -- the seed read by our own rules, for the flat layout --------------------------------------------

@dataclass
class Row:
    """A measure as the seed's table gives it: the cells, joined across page breaks."""

    area: int
    subarea: int
    strategy: str            # the strategy's text, without its number
    measure: str             # the measure's text, without its number
    targets: list[str]       # each target without its number
    agencies: str            # the agency cell as written (spaces before parentheses kept)
    first_line: int
    key: str = ""            # area.subarea.strategy.measure, as the 2014 layout numbers it


_AREA = re.compile(r"^([一二三四五六七八])、")
_NUM = re.compile(r"^(\d+)\.\s*")
_STRATEGY_2014 = re.compile(r"^\((?:[一二三四五六七八九十]+)\)\s*")


def _cells(line: str) -> list[str]:
    return [re.sub(r"</?p>", "", c) for c in line.split("\t")]


def _targets(cell: str) -> list[str]:
    parts = re.split(r"(?:^|\s)\d+\.\s", cell.strip())
    return [p.strip() for p in parts if p.strip()]


def _agency_cell(cell: str) -> str:
    """The cell as a later text writes it: no space around 、, and the one name the seed's
    underline tags split in two (國家發展委員會 檔案管理局) written whole."""
    cell = re.sub(r"\s*、\s*", "、", cell.strip())
    return cell.replace("國家發展委員會 檔案管理局", "國家發展委員會檔案管理局")


def seed_rows(text: str | None = None) -> list[Row]:
    """The seed's 91 measures in order, by these rules: a row after an empty line continues the row
    before it (a page break), cell by cell, joined without a space; a row whose first cell is empty
    is another measure of the strategy before it; line 152's lost tab is put back; markup goes."""
    lines = (text if text is not None else repair_line_152(Edits()).text()).split("\n")
    raw: list[tuple[int, int, list[str], int]] = []       # area, subarea, 4 cells, first line
    area = subarea = 0
    in_table = False
    for n, line in enumerate(lines, 1):
        line = re.sub(r"</?u>", "", line)
        if n >= 164:
            break
        if not line.strip():
            continue
        m = _AREA.match(line)
        if m and "\t" not in line:
            area, subarea, in_table = "一二三四五六七八".index(m.group(1)) + 1, 0, False
            continue
        if line.startswith("具體策略\t"):
            in_table = True
            continue
        if not in_table or line.startswith("--"):
            continue
        cells = _cells(line)
        if len(cells) == 5 and cells[0] == "":
            cells = cells[1:]                         # line 161: one tab too many before 移民署
        assert len(cells) == 4, (n, cells)
        if cells[0].startswith("(二)防貪"):
            subarea = 2
            continue
        if cells[0].startswith("(一)肅貪："):
            subarea = 1
            cells[0] = cells[0].removeprefix("(一)肅貪：").strip()
        numbered = _NUM.match(cells[1].strip()) or _STRATEGY_2014.match(cells[0].strip())
        if not lines[n - 2].strip() and raw and not numbered:
            # after a page break, a row that starts no numbered item goes on with the row before
            a, s, before, first = raw[-1]
            raw[-1] = (a, s, [x + y.strip() for x, y in zip(before, cells, strict=True)], first)
            continue
        raw.append((area, subarea, [c.strip() for c in cells], n))
    rows: list[Row] = []
    strategy = ""
    s_no = m_no = 0
    for a, s, (st, me, ta, ag), first in raw:
        if st:
            strategy = _STRATEGY_2014.sub("", _NUM.sub("", st, count=1), count=1).strip()
            same_heading = rows and (rows[-1].area, rows[-1].subarea) == (a, s)
            s_no, m_no = (s_no + 1 if same_heading else 1), 0
        m_no += 1
        rows.append(Row(a, s, strategy, _NUM.sub("", me, count=1).strip(), _targets(ta),
                        _agency_cell(ag), first, f"{a}.{s}.{s_no}.{m_no}"))
    return rows


def strategies(rows: list[Row]) -> list[tuple[str, list[Row]]]:
    out: list[tuple[str, list[Row]]] = []
    for r in rows:
        if out and out[-1][1][-1].strategy == r.strategy and out[-1][1][-1].area == r.area \
                and out[-1][1][-1].subarea == r.subarea:
            out[-1][1].append(r)
        else:
            out.append((r.strategy, [r]))
    return out


def clauses(text: str | None = None) -> list[str]:
    lines = (text if text is not None else SEED.read_text(encoding="utf-8")).split("\n")
    return [re.sub(r"^- [一二三四五六七八九十]+、", "", re.sub(r"</?u>", "", x))
            for x in lines[165:] if x.startswith("- ")]


# -- the MOJ box-drawn text writer -----------------------------------------------------------------

CJK_DIGITS = "〇一二三四五六七八九"


def cjk(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 48 → 四十八."""
    if n < 10:
        return CJK_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CJK_DIGITS[tens]) + "十" + (CJK_DIGITS[ones] if ones else "")


def width(s: str) -> int:
    """Display columns: East Asian wide, full-width and ambiguous characters (box rules too) are
    two, the rest one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in s)


def wrap(item: str, cols: int, indent: int) -> list[str]:
    """One paragraph of a cell cut at `cols` display columns with no line-breaking rules (a line
    may begin with ，, a name may break in its middle); lines after the first indented by `indent`
    columns (a hanging indent under a number)."""
    out: list[str] = []
    line, used = "", 0
    for ch in item:
        w = width(ch)
        if used + w > cols:
            out.append(line)
            line, used = " " * indent, indent
        line += ch
        used += w
    out.append(line)
    return out


def cell_lines(items: list[tuple[str, str]], cols: int) -> list[str]:
    """A cell of numbered items (label, text): each starts at the cell's left edge, its wrapped
    lines hang under its text."""
    out: list[str] = []
    for label, body in items:
        out += wrap(label + body, cols, width(label))
    return out


def pad(s: str, cols: int) -> str:
    return s + " " * (cols - width(s))


@dataclass
class BoxRow:
    cells: list[list[str]]        # each cell's lines, one list per column


def box_table(widths: list[int], header: list[str],
              groups: list[tuple[list[str], list[list[list[str]]]]]) -> list[str]:
    """A table as the MOJ regulations system draws it. `widths` in full-width units (one ─, two
    display columns). Each group is a first-column cell spanning its rows (no rule between them in
    that column; its text flows on over their rules), with the rows' other cells."""
    cols = [2 * w for w in widths]

    def rule(left: str, mid: str, right: str, skip_first: str | None = None) -> str:
        parts = ["─" * w for w in widths]
        if skip_first is not None:
            return "│" + pad(skip_first, cols[0]) + "├" + mid.join(parts[1:]) + right
        return left + mid.join(parts) + right

    out = [rule("┌", "┬", "┐"),
           "│" + "│".join(pad(h, c) for h, c in zip(header, cols, strict=True)) + "│"]
    for first, rows in groups:
        out.append(rule("├", "┼", "┤"))
        flow = list(first)                   # the spanning cell's lines, taken as rows go by
        for k, row in enumerate(rows):
            if k:
                out.append(rule("", "┼", "┤", skip_first=flow.pop(0) if flow else ""))
            height = max(len(c) for c in row)
            if k == len(rows) - 1:
                height = max(height, len(flow))
            for h in range(height):
                line = [flow.pop(0) if flow else ""] + [c[h] if h < len(c) else "" for c in row]
                out.append("│" + "│".join(pad(x, c) for x, c in zip(line, cols, strict=True)) + "│")
    out.append(rule("└", "┴", "┘"))
    return out


FLAT_WIDTHS = [9, 21, 10, 8]


def flat_box(rows: list[Row], title: str = "修正國家廉政建設行動方案第肆點、第陸點",
             clause_texts: list[str] | None = None) -> str:
    """The plan in the flat layout as box-drawn text: strategies 一、二、… (by their order in
    `rows`), measures （一）（二）… (none when a strategy has one), targets 1. 2. … (none when one)."""
    cols = [2 * w for w in FLAT_WIDTHS]
    groups = []
    for s_no, (s_text, measures) in enumerate(strategies(rows), 1):
        first = cell_lines([(f"{cjk(s_no)}、", s_text)], cols[0])
        body = []
        for m_no, r in enumerate(measures, 1):
            label = f"（{cjk(m_no)}）" if len(measures) > 1 else ""
            targets = [(f"{t_no}. " if len(r.targets) > 1 else "", t)
                       for t_no, t in enumerate(r.targets, 1)]
            body.append([cell_lines([(label, r.measure)], cols[1]), cell_lines(targets, cols[2]),
                         wrap(r.agencies, cols[3], 0)])
        groups.append((first, body))
    out = [title, "", "肆、具體作為", ""]
    out += box_table(FLAT_WIDTHS, ["具體策略", "執行措施", "績效目標", "辦理機關"], groups)
    out += ["", "陸、分工及績效考核", ""]
    out += [f"{cjk(k)}、{c}" for k, c in enumerate(clause_texts or clauses(), 1)]
    return "\n".join(out) + "\n"


# -- the flat layout's versions ---------------------------------------------------------------------

SEED_HEADINGS = ("1", "1.1", "1.2", "2", "3", "4", "5", "6", "7", "8")


def flat_keys(rows: list[Row]) -> dict[int, str]:
    """id(row) → its key in the flat layout: strategy.measure."""
    out = {}
    for s_no, (_, measures) in enumerate(strategies(rows), 1):
        for m_no, r in enumerate(measures, 1):
            out[id(r)] = f"{s_no}.{m_no}"
    return out


def _edit(rows: list[Row], key: str, **changes: Any) -> Row:
    """Replace the row of seed key `key` by a copy with `changes` (a function of the old value,
    or the new value)."""
    from dataclasses import replace
    (k,) = [i for i, r in enumerate(rows) if r.key == key]
    r = rows[k]
    rows[k] = replace(r, **{f: (v(getattr(r, f)) if callable(v) else v) for f, v in changes.items()})
    return rows[k]


def _sub1(old: str, new: str) -> Any:
    def f(t: str) -> str:
        if t.count(old) != 1:
            raise ValueError(f"{old!r} occurs {t.count(old)} times in {t!r}")
        return t.replace(old, new)
    return f


def version_flat() -> tuple[str, list[Expect]]:
    """The seed in the flat layout as box-drawn text, with six measures edited (text, targets,
    agencies, renames), one removed and one added; compared with the seed itself (tab, 2014)."""
    rows, ex = flat_rows()
    return flat_box(rows), ex


def flat_rows(underline: bool = False) -> tuple[list[Row], list[Expect]]:
    """The rows of `version_flat`, with its expected changes; `underline`: what changed marked
    <u>…</u>, as an official marks a draft (for the forms that keep underlines)."""
    def u(x: str) -> str:
        return f"<u>{x}</u>" if underline else x

    rows = seed_rows()
    old_strategy_keys = [ms[0].key.rsplit(".", 1)[0] for _, ms in strategies(rows)]
    planted: list[tuple[str, Expect]] = []   # (seed key, expected with its new key to fill in)
    # one character (昇 → 升)
    _edit(rows, "1.1.2.2", measure=_sub1("以提昇偵辦", f"以提{u('升')}偵辦"))
    planted.append(("1.1.2.2", text("", "以提升偵辦公私部門")))
    # a long rewrite of the second half of a text
    _edit(rows, "2.0.2.2", measure=_sub1(
        "蒐集全國公務人員俸給態度意見並加以分析，作為制度修訂參考。",
        u("定期蒐集全國公務人員對俸給制度之意見，並分析各國公部門待遇趨勢，據以研提待遇制度修正方案。")))
    planted.append(("2.0.2.2", text("", "並分析各國公部門待遇趨勢，據以研提待遇制度修正方案。")))
    # a frequency in a target (定期 → 每年)
    _edit(rows, "3.0.4.1", targets=[f"{u('每年')}提報通過公司治理評量認證家數成長率。"])
    planted.append(("3.0.4.1", Expect("targets", "", "", {
        "old": ["定期提報通過公司治理評量認證家數成長率。"],
        "new": ["每年提報通過公司治理評量認證家數成長率。"]})))
    # a numbered target added
    _edit(rows, "8.0.2.2", targets=["提升我國清廉印象指數排名。", u("每年更新英文網站廉政成果資料。")])
    planted.append(("8.0.2.2", Expect("targets", "", "", {
        "old": ["提升我國清廉印象指數排名。"],
        "new": ["提升我國清廉印象指數排名。", "每年更新英文網站廉政成果資料。"]})))
    # an agency added
    _edit(rows, "5.0.1.1", agencies=_sub1("國家發展委員會、各機關", f"國家發展委員會、各機關、{u('法務部')}"))
    planted.append(("5.0.1.1", Expect("agencies", "", "", {
        "old": sorted(["國家發展委員會", "各機關"]),
        "new": sorted(["國家發展委員會", "各機關", "法務部"])})))
    # two agencies named by their successors (科技部 2022-07-27, 行政院農業委員會 2023-08-01)
    _edit(rows, "6.0.4.1", agencies=_sub1("科技部、行政院農業委員會",
                                          f"{u('國家科學及技術委員會')}、{u('農業部')}"))
    planted.append(("6.0.4.1", renamed("", "科技部", "國家科學及技術委員會", "2022-07-27")))
    planted.append(("6.0.4.1", renamed("", "行政院農業委員會", "農業部", "2023-08-01")))
    # one measure removed: 4.0.3.3, the last of its strategy
    removed = [r for r in rows if r.key == "4.0.3.3"]
    rows = [r for r in rows if r.key != "4.0.3.3"]
    # one measure added: a second measure of 8.0.4, whose first is now numbered （一）
    (k,) = [i for i, r in enumerate(rows) if r.key == "8.0.4.1"]
    added = Row(8, 0, rows[k].strategy,
                u("強化與入出境管理機關之聯繫，即時掌握外逃罪犯行蹤，通報相關機關協緝。"),
                [u("定期統計協緝通報件數。")], u("內政部移民署、法務部調查局"), 0, "new")
    rows.insert(k + 1, added)

    new_keys = flat_keys(rows)
    by_seed_key = {r.key: new_keys[id(r)] for r in rows}
    ex: list[Expect] = [Expect("area-removed", h, None) for h in SEED_HEADINGS]
    ex += [Expect("strategy-renumbered", k, str(n)) for n, k in enumerate(old_strategy_keys, 1)]
    ex += [Expect("renumbered", r.key, new_keys[id(r)]) for r in rows if r is not added]
    for key, e in planted:
        ex.append(Expect(e.change, key, by_seed_key[key], e.fields))
    ex += [Expect("removed", r.key, None) for r in removed]
    ex.append(text(new_keys[id(added)], "強化與入出境管理機關之聯繫", kind="added"))
    return rows, ex


def version_flat_edits() -> tuple[str, list[Expect]]:
    """The flat layout on both sides (the old one: `flat_box(seed_rows())`): a measure moved to
    another strategy, one deleted (the rest renumbered), a strategy's text, a rename the only
    change of its measure, a name split over two lines of its cell, a rename in a measure's text,
    a clause of 陸."""
    rows = seed_rows()
    old_keys = flat_keys(rows)
    old_key = {r.key: old_keys[id(r)] for r in rows}
    ex: list[Expect] = []
    # a rename is the only change (1.1.5.5, flat 5.5)
    _edit(rows, "1.1.5.5", agencies=_sub1("最高法院檢察署", "最高檢察署"))
    # a rename of a name that the box cuts over two lines (內政部入出國及移民署, 8.0.4.1)
    _edit(rows, "8.0.4.1", agencies=_sub1("內政部入出國及移民署", "內政部移民署"))
    # a rename inside a measure's text only (1.1.4.1: its cell keeps its names)
    _edit(rows, "1.1.4.1", measure=_sub1("1. 最高法院檢察署加強"[3:], "最高檢察署加強"))
    # the text of strategy 八 (1.1.8)
    strategy_8 = "加強查察賄選，淨化政治風氣。"
    for r in [r for r in rows if r.strategy == strategy_8]:
        _edit(rows, r.key, strategy="加強查察賄選，淨化選舉風氣。")
    # 1.1.5.2 deleted: 1.1.5.3 … 1.1.5.9 move up
    rows = [r for r in rows if r.key != "1.1.5.2"]
    # 1.2.6.4 moved to the end of 2.0.5, 1.2.6's last measure: nothing else renumbers
    (k,) = [i for i, r in enumerate(rows) if r.key == "1.2.6.4"]
    moving = rows.pop(k)
    target = [i for i, r in enumerate(rows) if r.key.startswith("2.0.5.")][-1]
    from dataclasses import replace
    moved = replace(moving, area=2, subarea=0, strategy=rows[target].strategy)
    rows.insert(target + 1, moved)
    # point 陸, clause 五
    clause_texts = clauses()
    clause_texts[4] = clause_texts[4].replace("本方案由國家發展委員會會同有關機關",
                                              "本方案由法務部會同有關機關")

    new_keys = flat_keys(rows)
    new_key = {r.key: new_keys[id(r)] for r in rows}
    new_key["1.2.6.4"] = new_keys[id(moved)]
    ex += [renamed(old_key["1.1.5.5"], "最高法院檢察署", "最高檢察署", RENAMES_2018,
                   new_key=new_key["1.1.5.5"]),
           renamed(old_key["8.0.4.1"], "內政部入出國及移民署", "內政部移民署", "2015-01-02"),
           text(old_key["1.1.4.1"], "最高檢察署加強「肅貪督導小組」運作"),
           text(old_key["1.1.8.1"].split(".")[0], "淨化選舉風氣", kind="strategy-text"),
           Expect("removed", old_key["1.1.5.2"], None)]
    ex += [Expect("renumbered", old_key[f"1.1.5.{n}"], new_key[f"1.1.5.{n}"]) for n in range(3, 10)]
    ex.append(Expect("moved", old_key["1.2.6.4"], new_keys[id(moved)], {
        "old": old_key["1.2.6.4"].split(".")[0], "new": new_keys[id(moved)].split(".")[0]}))
    ex.append(text("6.5", "本方案由法務部會同有關機關", kind="clause-text"))
    return flat_box(rows, clause_texts=clause_texts), ex



# V6: harder cases: a deletion next to the one measure of nearly the same text (which is edited
# too), two measures swapped, a measure inserted first in its strategy, a measure moved and edited,
# a rename beside a removal in one cell, underlined names in agency cells, targets swapped.
# (A rewrite in place that keeps half the text, similarity 0.55, is below align.py's documented
# MATCH_THRESHOLD: a removal and an addition, not planted here as a text edit.)

def version_hard() -> tuple[str, list[Expect]]:
    e = repair_line_152(Edits())
    ex: list[Expect] = []
    # 1.2.5.2 (line 53) deleted; 1.2.5.3 (line 54), the one measure of nearly its text (0.76),
    # becomes 1.2.5.2 and is edited
    e.delete(53)
    e.sub(54, "\t3. 執行公職人員財產申報法", "\t2. 執行公職人員財產申報法")
    e.sub(54, "強化相關案件審核調查。", "強化相關案件審核調查及裁罰。")
    ex += [Expect("removed", "1.2.5.2", None), Expect("renumbered", "1.2.5.3", "1.2.5.2"),
           text("1.2.5.3", "強化相關案件審核調查及裁罰。", new_key="1.2.5.2")]
    # 2.0.6.1 and 2.0.6.2 (lines 83, 84) swapped
    e.sub(83, "\t1. 落實平時考核", "\t2. 落實平時考核")
    e.sub(84, "\t2. 落實職期輪調制度", "\t1. 落實職期輪調制度")
    first, second = e.line(83), e.line(84)
    strategy_cell, rest = first.split("\t", 1)
    e.lines[82] = [strategy_cell + "\t" + second.split("\t", 1)[1]]
    e.lines[83] = ["\t" + rest]
    ex += [Expect("renumbered", "2.0.6.1", "2.0.6.2"), Expect("renumbered", "2.0.6.2", "2.0.6.1")]
    # a measure inserted first in strategy 1.2.7 (line 61): the others move down
    e.sub(61, "加強內控機制。\t1. 落實行政院", "加強內控機制。\t2. 落實行政院")
    strategy_cell, rest = e.line(61).split("\t", 1)
    e.lines[60] = [strategy_cell + "\t1. 建立機關內部控制自主評估機制，每年辦理內部控制自行評估。"
                   "\t每年提報自行評估結果。\t各機關", "\t" + rest]
    e.sub(62, "\t2. 加強財務控管", "\t3. 加強財務控管")
    e.sub(63, "\t3. 針對各類業務", "\t4. 針對各類業務")
    ex += [text("1.2.7.1", "建立機關內部控制自主評估機制", kind="added"),
           Expect("renumbered", "1.2.7.1", "1.2.7.2"), Expect("renumbered", "1.2.7.2", "1.2.7.3"),
           Expect("renumbered", "1.2.7.3", "1.2.7.4")]
    # 1.1.5.8 (line 29) moved to strategy 1.1.4 as its fourth measure, and edited; 1.1.5.9 moves up
    moving = e.line(29)
    e.delete(29)
    e.sub(30, "<p>9. 由臺灣高等法院", "<p>8. 由臺灣高等法院")
    e.insert_after(20, moving.replace("<p>8. 對涉有風紀", "<p>4. 對涉有風紀")
                   .replace("積極執行蒐證。", "積極執行蒐證及查緝。"))
    ex += [Expect("moved", "1.1.5.8", "1.1.4.4", {"old": "1.1.5", "new": "1.1.4"}),
           text("1.1.5.8", "積極執行蒐證及查緝。", new_key="1.1.4.4"),
           Expect("renumbered", "1.1.5.9", "1.1.5.8")]
    # a rename beside a removal, in one cell (1.1.8.1, line 40)
    e.sub(40, "\t最高法院檢察署、高等法院及其分院檢察署、各地方法院檢察署、法務部調查局、內政部警政署",
          "\t最高檢察署、各地方檢察署、法務部調查局")
    ex += [renamed("1.1.8.1", "最高法院檢察署", "最高檢察署", RENAMES_2018),
           renamed("1.1.8.1", "各地方法院檢察署", "各地方檢察署", RENAMES_2018),
           Expect("agencies", "1.1.8.1", "1.1.8.1", {
               "old": sorted(["最高法院檢察署", "高等法院及其分院檢察署", "各地方法院檢察署",
                              "法務部調查局", "內政部警政署"]),
               "new": sorted(["最高法院檢察署", "各地方法院檢察署", "法務部調查局"])})]
    # renamed names underlined as an official marks them, spaced as the seed spaces its tags
    e.sub(25, "法務部、最高法院檢察署（肅貪督導小組）", "法務部、 <u>最高檢察署</u> （肅貪督導小組）")
    ex.append(renamed("1.1.5.5", "最高法院檢察署", "最高檢察署", RENAMES_2018))
    e.sub(140, "衛生福利部、科技部、行政院農業委員會",
          "衛生福利部、 <u>國家科學及技術委員會</u> 、 <u>農業部</u>")
    ex += [renamed("6.0.4.1", "科技部", "國家科學及技術委員會", "2022-07-27"),
           renamed("6.0.4.1", "行政院農業委員會", "農業部", "2023-08-01")]
    # numbered targets swapped (1.1.6.3, line 35)
    e.sub(35, "\t1. 定期召開「法務部審核貪瀆案件檢舉獎金委員會」會議，並統計申請、核發件數及發給獎金之金額。 "
              "2. 定期提報修法進度。\t",
          "\t1. 定期提報修法進度。 2. 定期召開「法務部審核貪瀆案件檢舉獎金委員會」會議，並統計申請、"
          "核發件數及發給獎金之金額。\t")
    ex.append(Expect("targets", "1.1.6.3", "1.1.6.3", {"new": [
        "定期提報修法進度。",
        "定期召開「法務部審核貪瀆案件檢舉獎金委員會」會議，並統計申請、核發件數及發給獎金之金額。"]}))
    return e.text(), ex


# -- the same flat version as a DOCX draft: python-docx, merged strategy cells, underlined runs ------

def _runs(paragraph: Any, text: str) -> None:
    """`text` into `paragraph`, <u>…</u> as underlined runs."""
    for k, piece in enumerate(re.split(r"</?u>", text)):
        if piece:
            paragraph.add_run(piece).underline = bool(k % 2)


def _cell(cell: Any, paragraphs: list[str]) -> None:
    first, *rest = paragraphs
    _runs(cell.paragraphs[0], first)
    for p in rest:
        _runs(cell.add_paragraph(), p)


def flat_docx(rows: list[Row], title: str = "修正國家廉政建設行動方案第肆點、第陸點") -> bytes:
    """The plan in the flat layout as a DOCX draft: title and points as paragraphs, one table of
    four columns, each strategy's cell merged down over its measures' rows (w:vMerge)."""
    import io

    import docx

    doc = docx.Document()
    doc.add_paragraph(title)
    doc.add_paragraph("肆、具體作為")
    groups = strategies(rows)
    table = doc.add_table(rows=1 + sum(len(ms) for _, ms in groups), cols=4)
    table.style = "Table Grid"
    for c, h in zip(table.rows[0].cells, ["具體策略", "執行措施", "績效目標", "辦理機關"],
                    strict=True):
        c.paragraphs[0].add_run(h)
    at = 1
    for s_no, (s_text, measures) in enumerate(groups, 1):
        _cell(table.cell(at, 0), [f"{cjk(s_no)}、{s_text}"])
        for m_no, r in enumerate(measures):
            cells = table.rows[at + m_no].cells
            label = f"（{cjk(m_no + 1)}）" if len(measures) > 1 else ""
            _cell(cells[1], [label + r.measure])
            _cell(cells[2], [(f"{k}. " if len(r.targets) > 1 else "") + t
                             for k, t in enumerate(r.targets, 1)])
            _cell(cells[3], [r.agencies])
        if len(measures) > 1:
            table.cell(at, 0).merge(table.cell(at + len(measures) - 1, 0))
        at += len(measures)
    doc.add_paragraph("陸、分工及績效考核")
    for k, c in enumerate(clauses(), 1):
        doc.add_paragraph(f"{cjk(k)}、{c}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def version_flat_2018() -> tuple[str, list[Expect]]:
    """What a 2018 text might be: the renames (V1) and the content edits (V3) together, in the
    flat layout as box-drawn text; compared with the seed. Every planted change with its flat key,
    and the layout's structure: areas gone, every strategy and measure renumbered."""
    renamed_text, ex1 = version_renames()
    text, ex3 = version_content(base=renamed_text)
    rows = seed_rows(text)
    new_keys = flat_keys(rows)
    measure_key = {r.key: new_keys[id(r)] for r in rows}
    strategy_key = {k.rsplit(".", 1)[0]: v.split(".")[0] for k, v in measure_key.items()}
    ex = [Expect("area-removed", h, None) for h in SEED_HEADINGS]
    ex += [Expect("strategy-renumbered", k, v) for k, v in strategy_key.items()]
    ex += [Expect("renumbered", k, v) for k, v in measure_key.items()]
    for e in ex1 + ex3:
        new_key = e.new_key if e.change.startswith("clause-") else measure_key[e.key]
        ex.append(Expect(e.change, e.key, new_key, e.fields))
    return flat_box(rows, clause_texts=clauses(text)), ex
