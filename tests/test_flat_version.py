"""Across a change of layout: the seed against itself in the flat layout of 2018 and later (no
areas, 48 strategies 一、二、… straight under 肆, measures （一）（二）…, every key new), drawn as
box-drawn text by formats-core's test writers, with planted edits (tests/later_versions.py).

Every measure is aligned by its content; exactly the planted text, target and agency edits are
reported, with one removed and one added measure; the other 85 measures have no content change,
only their new numbers (structure, reported apart).
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from plangraph.documents.reading import read_version
from plangraph.model.registry import Registry
from plangraph.versions.diff import diff_documents

from .conftest import PROJECT, SEED, run_cli
from .later_versions import FLAT_DATE, flat_edits, flat_keys, write_flat_version

AREAS = {"1": "加強肅貪防貪", "1.1": "肅貪", "1.2": "防貪", "2": "落實公務倫理", "3": "推動企業誠信",
         "4": "擴大教育宣導", "5": "提升效能透明", "6": "貫徹採購公開", "7": "實踐公平參政",
         "8": "參與國際及兩岸合作"}                      # lines 7, 10, 41, 68, 87, 106, 122, 132, 142, 149


@pytest.fixture(scope="module")
def flat(tmp_path_factory) -> Path:
    return write_flat_version(tmp_path_factory.mktemp("flat"), "flat", flat_edits())


@pytest.fixture(scope="module")
def changes(flat) -> list[dict]:
    return json.loads(run_cli("diff", str(SEED), str(flat)).stdout)


def test_the_fixture_is_box_drawn_and_flat(flat):
    text = flat.read_text(encoding="utf-8")
    assert text.count("┌") == 1 and "│一、研議強化政風機" in text and "（一）研修「獎勵保護" in text
    assert "一、加強肅貪防貪" not in text and "(一)肅貪" not in text        # no areas, no sub-areas


def test_every_measure_is_aligned(flat):
    registry = Registry.load(PROJECT / "data" / "registry")
    _, old = read_version(SEED, registry, strict=False)
    _, new = read_version(flat, registry, strict=False)
    assert new.layout == "flat" and old.layout == "2014"
    d = diff_documents(old, new, registry)
    a = d.alignment
    # the flat key each seed measure has once 肅貪 5.8 is gone (5.9 moves up) and 二、(六) has a 3.
    keys = flat_keys()
    keys["1.1.5.9"] = keys["1.1.5.8"]
    del keys["1.1.5.8"]
    assert {p.old.key: p.new.key for p in a.pairs} == keys
    assert [m.key for m in a.removed] == ["1.1.5.8"]
    assert [m.key for m in a.added] == [f"{flat_keys()['2.0.6.1'].split('.')[0]}.3"]
    assert not any(p.ambiguous for p in a.pairs)
    assert len(a.strategies) == 48 and not a.removed_strategies and not a.added_strategies


def test_exactly_the_planted_content_changes(changes):
    expected = sorted(e for f in flat_edits() for e in f.expected)
    content = sorted((c["change"], c["key"], c["new_key"], c["old"], c["new"])
                     for c in changes if c["aspect"] == "content")
    assert content == expected
    # no content change for the other 85 measures
    touched = {c["key"] for c in changes if c["aspect"] == "content" and c["change"] != "added"}
    assert len(touched) == 6 and 91 - len(touched) == 85
    assert not [c for c in changes if c["aspect"] == "alignment"]


def test_the_layout_change_is_structure_only(changes):
    structure = [c for c in changes if c["aspect"] == "structure"]
    assert {(c["key"], c["old"]) for c in structure if c["change"] == "area-removed"} == \
        set(AREAS.items())
    renumbered = [c for c in structure if c["change"] == "strategy-renumbered"]
    assert len(renumbered) == 48
    assert ("1.1.1", "1") in {(c["key"], c["new_key"]) for c in renumbered}
    assert ("8.0.4", "48") in {(c["key"], c["new_key"]) for c in renumbered}
    assert sum(c["change"] == "renumbered" for c in structure) == 90
    assert {c["change"] for c in structure} == {"area-removed", "strategy-renumbered", "renumbered"}


def test_the_comparison_table_lists_the_changed_measures_only(flat, tmp_path):
    out = tmp_path / "flat.html"
    run_cli("diff", str(SEED), str(flat), "--format", "html", "--output", str(out))
    page = out.read_text(encoding="utf-8")
    assert page.count("<tr><td") + page.count('<tr class="ambiguous"><td') == 7
    assert page.count("（刪除）") == 1 and page.count("（新增）") == 1
    # grouped under the new version's headings: its strategies, no areas
    assert "十、持續指標研究，掌握貪腐趨勢。" in page and "一、加強肅貪防貪" not in page.split("<table")[1]
    assert "刪除面向之分層10個" in page and "具體策略直接列於各點之下" in page
    assert "具體策略48項調整編號。" in page and "執行措施85項僅調整項次，內容未修正，不列入本表。" in page
    # the one measure of strategy 十、 (防貪 2.) is unnumbered; its edit underlined
    assert "<p>辦理廉政指標研究及民意調查，落實指標管理，並<u>據以</u>發展反貪策略。</p>" in page
    # only the deletion's own shift is said; the layout's renumbering is in the notes
    assert "項次由" not in page and "以下執行措施項次配合遞移（第9項→第8項）。" in page


def test_persistent_measures_follow_the_alignment_across_layouts(flat, tmp_path):
    out = tmp_path / "build"
    run_cli("build", "--source", str(SEED), str(flat), "--out", str(out))
    store = ox.Store.read_only(str(out / "store"))
    base = "https://w3id.org/plangraph/id/"
    rows = {(r["m"].value, r["p"].value) for r in store.query(
        "SELECT ?m ?p WHERE { ?m <http://data.europa.eu/eli/ontology#is_member_of> ?p }",
        use_default_graph_as_union=True)}
    flat_v = f"{base}plan/{FLAT_DATE}/measure/"
    keys = flat_keys()
    assert (flat_v + keys["1.2.2.1"], base + "measure/1.2.2.1") in rows        # text edited
    assert (flat_v + keys["1.1.5.8"], base + "measure/1.1.5.9") in rows        # moved up a place
    assert (flat_v + keys["8.0.4.1"], base + "measure/8.0.4.1") in rows        # the last one
    new_one = f"{keys['2.0.6.1'].split('.')[0]}.3"
    assert (flat_v + new_one, base + f"measure/{new_one}") in rows             # added: its own
    assert sum(1 for m, _ in rows if m.startswith(flat_v)) == 91


def test_check_reads_the_box_drawn_flat_version(flat):
    """`plangraph check` on this form, as of its version date (2018-07-27): the prosecutors
    offices renamed on 2018-05-25 (法院組織法 §114-2) are still named by their old names."""
    got = json.loads(run_cli("check", str(flat)).stdout)
    renamed = {(f["subject"], f["successor"]) for f in got if f["rule"] == "agency-renamed"}
    assert ("最高法院檢察署", "最高檢察署") in renamed and ("臺灣高等法院檢察署", "臺灣高等檢察署") in renamed
    keys = flat_keys()
    assert ("deadline-passed", keys["1.1.6.2"]) in {(f["rule"], f["key"]) for f in got}  # 101年底前
