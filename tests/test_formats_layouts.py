"""The layouts beyond the seed's: the flat layout's numbering, the 2023 indicator edition's
columns (indicator and year-valued target value, as data), CJK numerals of any size, and agency
names abbreviated as news pages write them. The documents here are invented, small, and shaped
as DOMAIN.md describes the later versions; none is a copy of a published text."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from plangraph.documents.numerals import cjk_to_int, int_to_cjk
from plangraph.documents.reading import parse_document
from plangraph.errors import SourceError

from .conftest import run_cli

PG = "https://w3id.org/plangraph/ontology#"

HEADER = ["具體策略", "執行措施", "績效目標", "績效衡量指標", "112年績效目標值", "辦理機關"]
ROWS = [
    ["一、強化廉政風險管理。", "（一）辦理機關廉政風險評估。", "1. 每年辦理風險評估。 2. 公布評估結果。",
     "1. 完成評估之機關比率 2. 公布結果之次數", "1. 90% 2. 1次", "各機關"],
    ["", "（二）辦理廉政座談會。", "定期提報辦理成果。", "座談會場次", "每年2場", "法務部廉政署"],
    ["二、推動校園誠信教育。", "宣導公務員廉政倫理規範。", "1. 辦理宣導活動。", "1. 宣導場次", "1. 10場",
     "法務部、各機關"],
]
INDICATORS = "修正國家廉政建設行動方案第肆點\n\n肆、具體作為\n\n" + "".join(
    "\t".join(row) + "\n" for row in [HEADER, *ROWS])

def parse(text: str | bytes, registry, name="plan.txt", form=None):
    data = text.encode() if isinstance(text, str) else text
    return parse_document(data, registry, path=name, form=form)


def test_indicator_edition_columns_found_by_their_labels(registry):
    doc = parse(INDICATORS, registry)
    assert doc.layout == "flat"
    m1, m2, m3 = doc.measures()
    assert [m.key for m in (m1, m2, m3)] == ["1.1", "1.2", "2.1"]
    assert [t.text.text for t in m1.targets] == ["每年辦理風險評估。", "公布評估結果。"]
    assert [t.indicator.text for t in m1.targets if t.indicator] == ["完成評估之機關比率",
                                                                    "公布結果之次數"]
    # the year is data, from the header (112年 = 2023); the value is the cell's text, alone
    assert [(v.year, v.text.text) for t in m1.targets for v in t.values] == [(2023, "90%"),
                                                                            (2023, "1次")]
    assert m2.targets[0].indicator.text == "座談會場次"
    assert [(v.year, v.text.text) for v in m2.targets[0].values] == [(2023, "每年2場")]
    # nothing of the indicator or the value is folded into the target's text
    assert all("場" not in t.text.text and "%" not in t.text.text for t in m1.targets)
    assert [a.entity for a in m3.assignments] == ["moj", "all-agencies"]


def test_indicator_edition_columns_in_any_order_and_two_years(registry):
    text = INDICATORS.replace(
        "具體策略\t執行措施\t績效目標\t績效衡量指標\t112年績效目標值\t辦理機關",
        "具體策略\t執行措施\t績效目標\t112年度績效目標值\t績效衡量指標\t113年績效目標值\t辦理機關")
    rows = []
    for line in text.split("\n"):
        cells = line.split("\t")
        if len(cells) == 6 and not line.startswith("具體策略"):
            cells = cells[:3] + [cells[4], cells[3], cells[4].replace("90%", "95%")] + cells[5:]
        rows.append("\t".join(cells))
    doc = parse("\n".join(rows), registry)
    t = doc.measures()[0].targets[0]
    assert t.indicator.text == "完成評估之機關比率"
    assert [(v.year, v.text.text) for v in t.values] == [(2023, "90%"), (2024, "95%")]


def test_indicator_edition_a_target_per_row(registry):
    """A measure over several rows, each row one target with its indicator and value (the
    measure's cell spans them in HTML; in tab-separated text it is empty)."""
    text = INDICATORS.replace(
        "\t1. 每年辦理風險評估。 2. 公布評估結果。\t1. 完成評估之機關比率 2. 公布結果之次數\t1. 90% 2. 1次"
        "\t各機關\n",
        "\t每年辦理風險評估。\t完成評估之機關比率\t90%\t各機關\n\t\t公布評估結果。\t公布結果之次數\t1次\t\n")
    doc = parse(text, registry)
    m1 = doc.measures()[0]
    assert [(t.number, t.text.text, t.indicator.text if t.indicator else None,
             [v.text.text for v in t.values]) for t in m1.targets] == [
        (1, "每年辦理風險評估。", "完成評估之機關比率", ["90%"]),
        (2, "公布評估結果。", "公布結果之次數", ["1次"])]
    html = """<html><body><h1>修正國家廉政建設行動方案第肆點</h1><h2>肆、具體作為</h2>
    <table><tr><th>具體策略</th><th>執行措施</th><th>績效目標</th><th>績效衡量指標</th>
    <th>112年績效目標值</th><th>辦理機關</th></tr>
    <tr><td rowspan="2">一、強化廉政風險管理。</td><td rowspan="2">（一）辦理機關廉政風險評估。</td>
    <td>每年辦理風險評估。</td><td>完成評估之機關比率</td><td>90%</td><td rowspan="2">各機關</td></tr>
    <tr><td>公布評估結果。</td><td>公布結果之次數</td><td>1次</td></tr></table></body></html>"""
    m = parse(html, registry, "p.html").measures()[0]
    assert [(t.text.text, t.indicator.text, t.values[0].text.text) for t in m.targets] == [
        ("每年辦理風險評估。", "完成評估之機關比率", "90%"), ("公布評估結果。", "公布結果之次數", "1次")]
    assert [a.entity for a in m.assignments] == ["all-agencies"]   # spanned: not read twice


def test_an_indicator_cell_that_does_not_pair_with_the_targets_is_refused(registry):
    text = INDICATORS.replace("2. 公布結果之次數", "2. 公布結果之次數 3. 其他")
    with pytest.raises(SourceError) as e:
        parse(text, registry)
    assert "line 6" in str(e.value) and "indicator" in str(e.value) and "3 item(s)" in str(e.value)


def test_indicator_edition_builds_with_the_year_as_data(tmp_path):
    source = tmp_path / "plan-2023.txt"
    source.write_text(INDICATORS, encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("build", "--source", str(source), "--version-date", "2023-08-18",
                   "--allow-unverified", "--out", str(out))
    assert "valid: conforms to every shape" in proc.stderr
    store = ox.Store.read_only(str(out / "store"))
    rows = list(store.query(f"""
        PREFIX pg: <{PG}> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?key ?indicator ?year ?value WHERE {{ GRAPH ?g {{
            ?t pg:key ?key ; pg:hasIndicator/skos:prefLabel ?indicator ;
               pg:hasTargetValue [ pg:year ?year ; pg:valueText ?value ] }} }} ORDER BY ?key"""))
    assert [(r["key"].value, r["indicator"].value, r["year"].value, r["year"].datatype.value,
             r["value"].value) for r in rows] == [
        ("1.1.1", "完成評估之機關比率", "2023", "http://www.w3.org/2001/XMLSchema#gYear", "90%"),
        ("1.1.2", "公布結果之次數", "2023", "http://www.w3.org/2001/XMLSchema#gYear", "1次"),
        ("1.2.1", "座談會場次", "2023", "http://www.w3.org/2001/XMLSchema#gYear", "每年2場"),
        ("2.1.1", "宣導場次", "2023", "http://www.w3.org/2001/XMLSchema#gYear", "10場")]


# -- the flat layout -----------------------------------------------------------------------------

def test_flat_layout_refuses_2014_numbering(registry):
    text = INDICATORS.replace("（二）辦理廉政座談會。", "2. 辦理廉政座談會。")
    with pytest.raises(SourceError) as e:
        parse(text, registry)
    assert "line 7" in str(e.value) and "(一)" in str(e.value) and "肆、一、" in str(e.value)


def test_areas_and_flat_tables_do_not_mix(registry):
    text = INDICATORS.replace("肆、具體作為\n", "肆、具體作為\n\n一、加強肅貪防貪\n")
    with pytest.raises(SourceError, match="strategy numbered 1. or|一、"):
        parse(text, registry)


@pytest.mark.parametrize("text,value", [("一", 1), ("十", 10), ("十一", 11), ("二十三", 23),
                                        ("四十八", 48), ("九十九", 99), ("一百", 100),
                                        ("一百零五", 105), ("一百一十", 110), ("兩", 2)])
def test_cjk_numerals_of_any_size(text, value):
    assert cjk_to_int(text) == value
    if text != "兩":
        assert int_to_cjk(value) == text


@pytest.mark.parametrize("text", ["十十", "二二十", "", "百十百", "x"])
def test_what_is_no_cjk_numeral(text):
    with pytest.raises(ValueError):
        cjk_to_int(text)


def test_strategies_numbered_past_ten(registry):
    rows = "\n".join(f"{int_to_cjk(n)}、策略第{n}項。\t辦理第{n}項措施。\t定期提報辦理情形。\t各機關"
                     for n in range(1, 24))
    head = "修正國家廉政建設行動方案第肆點\n\n肆、具體作為\n\n具體策略\t執行措施\t績效目標\t辦理機關\n"
    doc = parse(f"{head}{rows}\n", registry)
    assert [s.key for s in doc.strategies()] == [str(n) for n in range(1, 24)]
    assert doc.strategies()[22].text.text == "策略第23項。"


# -- agency names as news pages write them -------------------------------------------------------

def test_a_sub_agency_in_parentheses_after_its_parent(registry):
    """法務部(廉政署): the ministry's own agency, written short; (考試院) after an agency it is
    not part of stays a cooperating body outside the Executive Yuan."""
    text = INDICATORS.replace("\t法務部廉政署\n", "\t法務部(廉政署)、行政院人事行政總處(考試院)\n")
    m = parse(text, registry).measures()[1]
    assert [(a.name, a.entity, a.cooperating) for a in m.assignments] == [
        ("法務部(廉政署)", "moj-aac", False), ("行政院人事行政總處", "dgpa", False),
        ("考試院", "exy", True)]
