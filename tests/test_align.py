"""Alignment by content (src/plangraph/versions/align.py): what pairs with what, what is ambiguous,
where the threshold cuts, and structure kept apart from content. Versions are the seed with one
edit each (line numbers of data/plan-2014-04-15.txt)."""

from __future__ import annotations

import json
from pathlib import Path

from plangraph.versions.align import (
    AMBIGUITY_MARGIN,
    MATCH_THRESHOLD,
    _best_assignment,
    _rivals,
    ratio,
)

from .conftest import SEED, run_cli
from .later_versions import Lines, Planted, write_version


def diff(tmp_path: Path, edit, *args: str) -> list[dict]:
    later = write_version(tmp_path, "edited", [Planted("edit", edit, [])])
    return json.loads(run_cli("diff", str(SEED), str(later), *args).stdout)


def summary(changes: list[dict]) -> list[tuple]:
    return [(c["change"], c["key"], c["new_key"]) for c in changes]


def test_the_assignment_maximises_the_total_not_the_first_best():
    # old 0 is most like new 1 (0.9), but taking that pair leaves old 1 with nothing: the
    # one-to-one assignment pairs 0–0 and 1–1 (0.85 + 0.8 > 0.9)
    scores = {(0, 0): 0.85, (0, 1): 0.9, (1, 1): 0.8}
    assert sorted(_best_assignment(scores)) == [(0, 0), (1, 1)]


def test_a_nearly_as_good_swap_is_a_rival():
    pairs = [(0, 0), (1, 1)]
    close = {(0, 0): 0.95, (1, 1): 0.95, (0, 1): 0.94, (1, 0): 0.94}
    assert _rivals(pairs, close) == {(0, 0): ((1,), (1,)), (1, 1): ((0,), (0,))}
    far = {(0, 0): 0.95, (1, 1): 0.95, (0, 1): 0.95 - AMBIGUITY_MARGIN - 0.01,
           (1, 0): 0.95 - AMBIGUITY_MARGIN - 0.01}
    assert _rivals(pairs, far) == {(0, 0): ((), ()), (1, 1): ((), ())}


def test_two_equally_good_partners_are_reported_as_ambiguous(tmp_path):
    # line 46, 防貪 3.2 舉辦廉政座談會。 is edited to 舉辦廉政座談會議。 and a measure 3
    # 舉辦廉政座談會報。 is added with the same target and agency: either could be the old one
    def edit(ls: Lines) -> None:
        ls.replace(46, "舉辦廉政座談會。", "舉辦廉政座談會議。")
        ls.insert_after(46, "\t3. 舉辦廉政座談會報。\t定期提報辦理成果。\t各機關")
    changes = diff(tmp_path, edit)
    assert summary(changes) == [("text", "1.2.3.2", "1.2.3.2"), ("ambiguous", "1.2.3.2", "1.2.3.2"),
                                ("added", "1.2.3.3", "1.2.3.3")]
    assert changes[1]["aspect"] == "alignment"
    assert (changes[1]["old"], changes[1]["new"]) == ([], ["1.2.3.3"])   # the rival: new 3
    # the table flags the row and names the rival
    table = diff_table(tmp_path)
    assert table.count('<tr class="ambiguous">') == 1
    assert "比對存疑：本列之對應亦可能為修正規定具體策略一、(二)3.之執行措施3.，請確認。" in table


def test_below_the_threshold_a_rewrite_is_a_removal_and_an_addition(tmp_path):
    # line 46: 舉辦廉政座談會。 → 辦理公務倫理研習。 shares too little to be the same measure
    assert ratio("舉辦廉政座談會。", "辦理公務倫理研習。") < MATCH_THRESHOLD
    changes = diff(tmp_path, lambda ls: ls.replace(46, "舉辦廉政座談會。", "辦理公務倫理研習。"))
    assert summary(changes) == [("removed", "1.2.3.2", None), ("added", "1.2.3.2", "1.2.3.2")]


def test_above_the_threshold_a_rewrite_is_a_text_change(tmp_path):
    # line 45: 專案拜訪往來廠商、民間團體、專業人士及民眾 → …、專家學者及民眾 (one phrase of five)
    old = "專案拜訪往來廠商、民間團體、專業人士及民眾，瞭解施政缺失，並提出改進建議。"
    new = "專案拜訪往來廠商、民間團體、專家學者及民眾，瞭解施政缺失，並提出改進建議。"
    assert MATCH_THRESHOLD < ratio(old, new) < 0.95
    changes = diff(tmp_path, lambda ls: ls.replace(45, "專業人士", "專家學者"))
    assert summary(changes) == [("text", "1.2.3.1", "1.2.3.1")]


def test_two_measures_swapped_are_renumbered_not_rewritten(tmp_path):
    # lines 45, 46: 防貪 3.1 and 3.2 change places (the strategy cell stays on the first row)
    def edit(ls: Lines) -> None:
        one, two = ls.get(45).split("\t"), ls.get(46).split("\t")
        ls.set(45, "\t".join([one[0], "1. " + two[1].removeprefix("2. "), *two[2:]]))
        ls.set(46, "\t".join(["", "2. " + one[1].removeprefix("1. "), *one[2:]]))
    changes = diff(tmp_path, edit)
    assert summary(changes) == [("renumbered", "1.2.3.1", "1.2.3.2"),
                                ("renumbered", "1.2.3.2", "1.2.3.1")]
    assert {c["aspect"] for c in changes} == {"structure"}


def test_a_deleted_strategy_renumbers_the_next_ones_as_structure(tmp_path):
    # line 80: strategy 二、(四) (one measure) goes; (五)(六)(七) (lines 81, 83, 85) become
    # (四)(五)(六): their five measures keep their texts, so only their numbers change
    def edit(ls: Lines) -> None:
        ls.delete(80)
        ls.replace(81, "(五)", "(四)")
        ls.replace(83, "(六)", "(五)")
        ls.replace(85, "(七)", "(六)")
    changes = diff(tmp_path, edit)
    content = [(c["change"], c["key"]) for c in changes if c["aspect"] == "content"]
    structure = summary(c for c in changes if c["aspect"] == "structure")
    assert content == [("strategy-removed", "2.0.4"), ("removed", "2.0.4.1")]
    assert structure == [("strategy-renumbered", "2.0.5", "2.0.4"), ("renumbered", "2.0.5.1", "2.0.4.1"),
                         ("renumbered", "2.0.5.2", "2.0.4.2"),
                         ("strategy-renumbered", "2.0.6", "2.0.5"), ("renumbered", "2.0.6.1", "2.0.5.1"),
                         ("renumbered", "2.0.6.2", "2.0.5.2"),
                         ("strategy-renumbered", "2.0.7", "2.0.6"), ("renumbered", "2.0.7.1", "2.0.6.1")]
    # the comparison table has the two deleted rows only, and says what else moved
    table = diff_table(tmp_path)
    assert table.count("（刪除）") == 2
    assert "具體策略3項調整編號。" in table and "執行措施5項僅調整項次，內容未修正，不列入本表。" in table


def diff_table(tmp_path: Path) -> str:
    out = tmp_path / "table.html"
    run_cli("diff", str(SEED), str(tmp_path / "edited.txt"), "--format", "html", "--output",
            str(out))
    return out.read_text(encoding="utf-8")
