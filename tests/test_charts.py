"""The SVG pictures (plangraph.querying.charts) on one real build of the seed: well-formed, self-contained,
and showing what the document says (counts read by hand: tests/test_queries.py, HAND)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from plangraph.querying.charts import agency_network_svg, workload_svg
from plangraph.querying.store import open_store

from .test_queries import AAC, ALL, CY, FSC, MJIB, MOEA, MOJ, VIEW, assignees

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def store(built):
    return open_store(built.store_path)


@pytest.fixture(scope="module")
def workload(store) -> str:
    return workload_svg(store)


@pytest.fixture(scope="module")
def network(store) -> str:
    return agency_network_svg(store)


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(SVG + "text")]


def titles(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(SVG + "title")]


def self_contained(svg: str) -> None:
    lowered = svg.lower()
    for bad in ("<script", "href", "url(", "@import", "@font-face", "<foreignobject", "http://"
                "www.w3.org/1999/xlink"):
        assert bad not in lowered, bad


def test_workload_svg_is_well_formed_and_self_contained(workload):
    root = ET.fromstring(workload.encode("utf-8"))
    assert root.tag == SVG + "svg"
    assert root.find(SVG + "title") is not None and root.find(SVG + "desc") is not None
    self_contained(workload)


def test_workload_svg_rows_are_the_top_agencies_then_the_collectives(workload):
    root = ET.fromstring(workload.encode("utf-8"))
    rows = [["".join(t.itertext()) for t in g.iter(SVG + "text")][0]
            for g in root.iter(SVG + "g") if g.get("class") == "row"]
    everyone = assignees()
    collectives = {"各機關", "相關機關", "各地方法院檢察署", "各級法院檢察署",
                   "各直轄市、縣(市)政府", "高等法院及其分院檢察署", "各機關政風機構",
                   "各機關主(會)計機構", "各部會"}
    agencies = [n for n in everyone if n not in collectives]
    total = {n: len(k["lead"] | k["coop"]) for n, k in everyone.items()}
    # 25 agencies, sorted by measures (the agency cells of the 91 rows), then the 9 collectives
    assert len(rows) == 25 + len(collectives)
    assert rows[:4] == [AAC, MJIB, MOJ, FSC]                      # 31, 17, 15, 10
    assert [total[n] for n in rows[:25]] == sorted((total[n] for n in agencies), reverse=True)[:25]
    assert set(rows[25:]) == collectives and rows[25] == ALL       # 各機關: 34 measures
    assert f"另有 {len(agencies) - 25} 個機關未列出" in workload     # the agencies past the top 25


def test_workload_svg_shows_counts_read_from_the_document(workload):
    root = ET.fromstring(workload.encode("utf-8"))
    tips = titles(root)
    # 法務部廉政署 in area 一: 24 measures, all as lead (lines 10-65)
    aac = f"{AAC} — 一、加強肅貪防貪：24 項執行措施（主辦 24、協辦 0）"
    assert any(t.startswith(aac) for t in tips)
    # 金融監督管理委員會: all its 10 measures in area 三 (lines 90-104)
    assert any(t.startswith(f"{FSC} — 三、推動企業誠信：10 項執行措施") for t in tips)
    # 監察院 only cooperates: 1.2.5.1, 1.2.5.3 (lines 52, 54), 7.0.2.1 (line 146)
    assert f"{CY}：合計 3 項（主辦 0、協辦 3）" in tips
    assert f"{MOEA}：合計 9 項（主辦 9、協辦 0）" in tips
    shown = texts(root)
    assert "31" in shown and "3 (3)" in shown
    for title in ("加強肅貪", "防貪", "參與國際", "及兩岸合作"):      # area heads: lines 7, 149
        assert title in shown


def test_workload_svg_is_deterministic(store, workload):
    assert workload_svg(store) == workload


def test_network_svg_is_well_formed_and_self_contained(network):
    root = ET.fromstring(network.encode("utf-8"))
    assert root.tag == SVG + "svg"
    self_contained(network)


def test_network_svg_joins_agencies_that_share_measures(network):
    root = ET.fromstring(network.encode("utf-8"))
    shown = texts(root)
    for name in (AAC, MJIB, MOJ, FSC, MOEA):
        assert name in shown
    assert "各機關" not in shown                      # collectives are left out by default
    tips = titles(root)
    # 法務部廉政署 and 法務部調查局 share 16 measures (1.1.3.1 … 8.0.4.1);
    # 金融監督管理委員會 and 經濟部 share 8 (area 三)
    pair = re.compile(rf"^({AAC} — {MJIB}|{MJIB} — {AAC})：共同辦理 16 項執行措施")
    assert any(pair.match(t) for t in tips)
    assert any(re.match(rf"^({FSC} — {MOEA}|{MOEA} — {FSC})：共同辦理 8 項", t) for t in tips)
    shared = sum(1 for k, (_, lead, coop) in VIEW.items() if {AAC, MJIB} <= set(lead + coop))
    assert shared == 16
