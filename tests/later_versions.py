"""Later versions of the seed, made here by planting changes in it, and what a diff must report.

Each planted change says which lines of the seed it edits (line numbers of
data/plan-2014-04-15.txt) and the changes it must cause, read from the document by hand: the
expected values are the document's words, never the program's output.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plangraph.documents.markup import Marked

from .conftest import PROJECT

SEED = PROJECT / "data" / "plan-2014-04-15.txt"
SEED_ERRATA = SEED.with_name("plan-2014-04-15.errata.toml")
ERRATA_LINE = 152           # the seed line its one errata correction applies to


class Lines:
    """The seed's lines, edited by their original line numbers (1-based), whatever moved."""

    def __init__(self, text: str):
        self.rows: list[tuple[int | None, str]] = list(enumerate(text.split("\n"), start=1))

    def at(self, number: int) -> int:
        return next(k for k, (n, _) in enumerate(self.rows) if n == number)

    def replace(self, number: int, old: str, new: str) -> None:
        k = self.at(number)
        n, text = self.rows[k]
        assert text.count(old) == 1, f"line {number}: {old!r} is not there once"
        self.rows[k] = (n, text.replace(old, new))

    def get(self, number: int) -> str:
        return self.rows[self.at(number)][1]

    def set(self, number: int, text: str) -> None:
        self.rows[self.at(number)] = (number, text)

    def delete(self, number: int) -> str:
        return self.rows.pop(self.at(number))[1]

    def insert_after(self, number: int, text: str) -> None:
        self.rows.insert(self.at(number) + 1, (None, text))

    def position(self, number: int) -> int:
        """Where seed line `number` now is (1-based)."""
        return self.at(number) + 1

    def text(self) -> str:
        return "\n".join(t for _, t in self.rows)


Expected = tuple   # (change, key, new_key, old, new); lists of agency names are sorted


@dataclass
class Planted:
    what: str
    edit: Callable[[Lines], None]
    expected: list[Expected]
    # renamed changes: (key, old name) → the kind and date of the registry event that explains
    # it, or None where the registry records none
    events: dict[tuple[str, str], tuple[str, str] | None] = field(default_factory=dict)


def _move_measure(ls: Lines) -> None:
    # 防貪 4.3 (line 51) moves to strategy 7 as its measure 4, after 7.3 (lines 63–65)
    row = ls.delete(51).replace("\t3. 落實監辦採購", "\t4. 落實監辦採購", 1)
    ls.insert_after(65, row)


def _delete_measure(ls: Lines) -> None:
    # 肅貪 5.8 (line 29) goes; 5.9 (line 30) becomes 5.8 and names the renamed high office
    ls.delete(29)
    ls.replace(30, "<p>9. ", "<p>8. ")
    ls.replace(30, "<p>臺灣高等法院檢察署、", "<p>臺灣高等檢察署、")


PLANTED: list[Planted] = [
    Planted("a measure's text edited (line 44)",
            lambda ls: ls.replace(44, "並發展反貪策略。", "並據以發展反貪策略。"),
            [("text", "1.2.2.1", "1.2.2.1", "辦理廉政指標研究及民意調查，落實指標管理，並發展反貪策略。",
              "辦理廉政指標研究及民意調查，落實指標管理，並據以發展反貪策略。")]),
    Planted("a target's frequency edited (line 46)",
            lambda ls: ls.replace(46, "定期提報辦理成果。", "每半年提報辦理成果。"),
            [("targets", "1.2.3.2", "1.2.3.2", ["定期提報辦理成果。"], ["每半年提報辦理成果。"])]),
    Planted("a target's deadline edited (line 34)",
            lambda ls: ls.replace(34, "101 年底前提出", "108 年底前提出"),
            [("targets", "1.1.6.2", "1.1.6.2", ["101年底前提出「吹哨者保護法」研究報告及草案初稿。"],
              ["108年底前提出「吹哨者保護法」研究報告及草案初稿。"])]),
    Planted("an agency added to a cell (line 53)",
            lambda ls: ls.replace(53, "\t各機關", "\t各機關、法務部廉政署"),
            [("agencies", "1.2.5.2", "1.2.5.2", ["各機關"], sorted(["各機關", "法務部廉政署"]))]),
    Planted("an agency removed from a cell (line 22)",
            lambda ls: ls.replace(22, "\t法務部廉政署、法務部調查局", "\t法務部廉政署"),
            [("agencies", "1.1.5.2", "1.1.5.2", sorted(["法務部廉政署", "法務部調查局"]),
              ["法務部廉政署"])]),
    Planted("a rename the only change of its measure (line 25)",
            lambda ls: ls.replace(25, "法務部、最高法院檢察署（", "法務部、最高檢察署（"),
            [("renamed", "1.1.5.5", "1.1.5.5", "最高法院檢察署", "最高檢察署")],
            {("1.1.5.5", "最高法院檢察署"): ("renamed", "2018-05-25")}),
    Planted("two renames in one agency cell (line 13)",
            lambda ls: ls.replace(13, "\t法務部、最高法院檢察署、臺灣高等法院檢察署、",
                                  "\t法務部、最高檢察署、臺灣高等檢察署、"),
            [("renamed", "1.1.3.1", "1.1.3.1", "最高法院檢察署", "最高檢察署"),
             ("renamed", "1.1.3.1", "1.1.3.1", "臺灣高等法院檢察署", "臺灣高等檢察署")],
            {("1.1.3.1", "最高法院檢察署"): ("renamed", "2018-05-25"),
             ("1.1.3.1", "臺灣高等法院檢察署"): ("renamed", "2018-05-25")}),
    Planted("agencies replaced by their successors (line 140)",
            lambda ls: ls.replace(140, "科技部、行政院農業委員會", "國家科學及技術委員會、農業部"),
            [("renamed", "6.0.4.1", "6.0.4.1", "科技部", "國家科學及技術委員會"),
             ("renamed", "6.0.4.1", "6.0.4.1", "行政院農業委員會", "農業部")],
            {("6.0.4.1", "科技部"): ("replaced", "2022-07-27"),
             ("6.0.4.1", "行政院農業委員會"): ("replaced", "2023-08-01")}),
    Planted("a cooperating body added (line 126)",
            lambda ls: ls.replace(126, "\t各機關", "\t各機關 (監察院)"),
            [("cooperating", "5.0.2.1", "5.0.2.1", [], ["監察院"])]),
    Planted("a strategy's text edited (line 61)",
            lambda ls: ls.replace(61, "實施專案稽核，加強內控機制。", "實施專案稽核，強化內部控制機制。"),
            [("strategy-text", "1.2.7", "1.2.7", "實施專案稽核，加強內控機制。",
              "實施專案稽核，強化內部控制機制。")]),
    Planted("a measure moved to another strategy (line 51)", _move_measure,
            [("moved", "1.2.4.3", "1.2.7.4", "1.2.4", "1.2.7")]),
    Planted("a measure deleted, the next renumbered (lines 29, 30)", _delete_measure,
            [("removed", "1.1.5.8", None,
              "對涉有風紀或貪瀆不法情事之高階及其他身分特殊之公務人員，啟動「廉政查緝隊」積極執行蒐證。",
              None),
             ("renumbered", "1.1.5.9", "1.1.5.8", "1.1.5.9", "1.1.5.8"),
             ("renamed", "1.1.5.9", "1.1.5.8", "臺灣高等法院檢察署", "臺灣高等檢察署")],
            {("1.1.5.9", "臺灣高等法院檢察署"): ("renamed", "2018-05-25")}),
    Planted("a measure added (after line 84)",
            lambda ls: ls.insert_after(84, "\t3. 定期辦理公務員品德考核講習。\t定期提報執行情形。\t"
                                           "行政院人事行政總處"),
            [("added", "2.0.6.3", "2.0.6.3", None, "定期辦理公務員品德考核講習。")]),
    Planted("a clause of point 陸 edited (line 166)",
            lambda ls: ls.replace(166, "召集相關機關視需要檢討修正", "召集相關機關每年檢討修正"),
            [("clause-text", "6.1", "6.1", "本方案具體作為之執行措施，得由法務部召集相關機關視需要檢討修正。",
              "本方案具體作為之執行措施，得由法務部召集相關機關每年檢討修正。")]),
]

LATER_DATE = "2023-08-18"


def write_version(folder: Path, name: str, planted: list[Planted], date: str = LATER_DATE) -> Path:
    """The seed with `planted` applied, with its errata (moved to where line 152 now is) and a
    metadata file recording its checksum and version date."""
    lines = Lines(SEED.read_text(encoding="utf-8"))
    for p in planted:
        p.edit(lines)
    data = lines.text().encode("utf-8")
    path = folder / f"{name}.txt"
    path.write_bytes(data)
    errata = SEED_ERRATA.read_text(encoding="utf-8")
    path.with_name(f"{name}.errata.toml").write_text(
        errata.replace(f"line = {ERRATA_LINE}", f"line = {lines.position(ERRATA_LINE)}"),
        encoding="utf-8")
    path.with_name(f"{name}.meta.toml").write_text(
        f'# a later version of the seed with planted changes (tests/later_versions.py)\n'
        f'sha256 = "{hashlib.sha256(data).hexdigest()}"\n'
        f'[version_date]\nvalue = "{date}"\n[amends]\npoints = ["肆", "陸"]\n', encoding="utf-8")
    return path


# -- the seed in the flat layout of 2018 and later, as box-drawn text, with planted edits ----------
#
# Made from the seed's tree by formats-core's test writers (tests/render: layout_flat puts the 48
# strategies straight under 肆 as 一、二、…, measures （一）（二）…; box.write draws the MOJ's
# box-drawn table), after editing the tree. In the flat layout a measure's key is
# strategy.measure, the strategy numbered in document order.

SEED_DATE = "2014-04-15"
FLAT_DATE = "2018-07-27"


def flat_keys() -> dict[str, str]:
    """Seed measure key → its key in the flat layout (its strategy's place among the 48)."""
    from .render.plan import seed

    return {m.key: f"{n}.{m.number}" for n, s in enumerate(seed().strategies(), start=1)
            for m in s.measures}


@dataclass
class FlatEdit:
    what: str
    edit: Callable[[Any], None]     # on a copy of the seed's tree (documents/tree.PlanDocument)
    expected: list[Expected]        # keys: the seed's (old) and the flat layout's (new)


def _measure(doc: Any, key: str) -> Any:
    return next(m for m in doc.measures() if m.key == key)


def _edit_text(key: str, old: str, new: str) -> Callable[[Any], None]:
    def edit(doc: Any) -> None:
        m = _measure(doc, key)
        assert m.text.text.count(old) == 1
        m.text = Marked.plain(m.text.text.replace(old, new))
    return edit


def _edit_target(key: str, old: str, new: str) -> Callable[[Any], None]:
    def edit(doc: Any) -> None:
        t = _measure(doc, key).targets[0]
        assert t.text.text == old
        t.text = Marked.plain(new)
    return edit


def _edit_agencies(key: str, old: str, new: str) -> Callable[[Any], None]:
    def edit(doc: Any) -> None:
        m = _measure(doc, key)
        assert m.agency_cell.text == old
        m.agency_cell = Marked.plain(new)
    return edit


def _remove_measure(key: str) -> Callable[[Any], None]:
    def edit(doc: Any) -> None:
        s = next(s for s in doc.strategies() if any(m.key == key for m in s.measures))
        s.measures = [m for m in s.measures if m.key != key]
        for n, m in enumerate(s.measures, start=1):
            m.number = n
    return edit


def _add_measure(strategy: str, text: str, target: str, agencies: str) -> Callable[[Any], None]:
    def edit(doc: Any) -> None:
        from plangraph.documents.tree import Measure, Target

        s = next(s for s in doc.strategies() if s.key == strategy)
        n = len(s.measures) + 1
        s.measures.append(Measure(n, Marked.plain(text), [], key=f"{strategy}.{n}",
                                  targets=[Target(1, Marked.plain(target), [])],
                                  agency_cell=Marked.plain(agencies)))
    return edit


def flat_edits() -> list[FlatEdit]:
    k = flat_keys()
    return [
        FlatEdit("a measure's text (防貪 2, line 44)",
                 _edit_text("1.2.2.1", "並發展反貪策略。", "並據以發展反貪策略。"),
                 [("text", "1.2.2.1", k["1.2.2.1"],
                   "辦理廉政指標研究及民意調查，落實指標管理，並發展反貪策略。",
                   "辦理廉政指標研究及民意調查，落實指標管理，並據以發展反貪策略。")]),
        FlatEdit("another measure's text (七、(一), line 145)",
                 _edit_text("7.0.1.1", "監督及公開機制", "監督及資訊公開機制"),
                 [("text", "7.0.1.1", k["7.0.1.1"],
                   "強化政治獻金監督及公開機制，促進政治環境之公正、公平。",
                   "強化政治獻金監督及資訊公開機制，促進政治環境之公正、公平。")]),
        FlatEdit("a target (防貪 3.2, line 46)",
                 _edit_target("1.2.3.2", "定期提報辦理成果。", "每半年提報辦理成果。"),
                 [("targets", "1.2.3.2", k["1.2.3.2"], ["定期提報辦理成果。"], ["每半年提報辦理成果。"])]),
        FlatEdit("an agency removed (肅貪 5.2, line 22)",
                 _edit_agencies("1.1.5.2", "法務部廉政署、法務部調查局", "法務部廉政署"),
                 [("agencies", "1.1.5.2", k["1.1.5.2"], sorted(["法務部廉政署", "法務部調查局"]),
                   ["法務部廉政署"])]),
        FlatEdit("an agency added (防貪 5.2, line 53)",
                 _edit_agencies("1.2.5.2", "各機關", "各機關、法務部廉政署"),
                 [("agencies", "1.2.5.2", k["1.2.5.2"], ["各機關"], sorted(["各機關", "法務部廉政署"]))]),
        FlatEdit("a measure removed (肅貪 5.8, line 29)", _remove_measure("1.1.5.8"),
                 [("removed", "1.1.5.8", None,
                   "對涉有風紀或貪瀆不法情事之高階及其他身分特殊之公務人員，啟動「廉政查緝隊」積極執行蒐證。",
                   None)]),
        FlatEdit("a measure added (二、(六) 3., after line 84)",
                 _add_measure("2.0.6", "定期辦理公務員品德考核講習。", "定期提報執行情形。",
                              "行政院人事行政總處"),
                 [("added", f"{k['2.0.6.1'].split('.')[0]}.3", f"{k['2.0.6.1'].split('.')[0]}.3",
                   None, "定期辦理公務員品德考核講習。")]),
    ]


def write_flat_version(folder: Path, name: str, edits: list[FlatEdit],
                       date: str = FLAT_DATE) -> Path:
    """The seed, edited, laid out flat and drawn as box-drawn text, with its metadata."""
    import copy

    from .render import box
    from .render.plan import layout_flat, seed

    doc = copy.deepcopy(seed())
    for e in edits:
        e.edit(doc)
    data = box.write(layout_flat(doc)).encode("utf-8")
    path = folder / f"{name}.txt"
    path.write_bytes(data)
    path.with_name(f"{name}.meta.toml").write_text(
        f'# the seed in the flat layout as box-drawn text, with planted edits '
        f'(tests/later_versions.py)\nsha256 = "{hashlib.sha256(data).hexdigest()}"\n'
        f'[version_date]\nvalue = "{date}"\n[amends]\npoints = ["肆", "陸"]\n', encoding="utf-8")
    return path
