"""The parser against the measures read by hand from the document (tests/data/expected_measures.json)."""

from __future__ import annotations

import pytest

from plangraph.documents.reading import parse_document
from plangraph.documents.source import load_source
from plangraph.documents.tree import PlanDocument

from .conftest import SEED


@pytest.fixture(scope="module")
def doc(registry) -> PlanDocument:
    source = load_source(SEED)
    return parse_document(source.data, registry, path=SEED, errata=source.errata,
                          required_parts=source.required_parts)


def test_parts_areas_and_subareas(doc, expected):
    assert [p.numeral for p in doc.parts] == ["肆", "陸"]
    assert [(a.number, a.text.text) for a in doc.areas()] == [
        (a["number"], a["title"]) for a in expected["areas"]]
    subareas = [s for a in doc.areas() for s in a.subareas]
    assert [(s.key, s.text.text) for s in subareas] == [
        (s["key"], s["title"]) for s in expected["subareas"]]


def test_every_strategy(doc, expected):
    assert [(s.key, s.text.text) for s in doc.strategies()] == [
        (s["key"], s["text"]) for s in expected["strategies"]]


def test_every_measure_key_in_document_order(doc, expected):
    assert [m.key for m in doc.measures()] == [m["key"] for m in expected["measures"]]
    assert len(doc.measures()) == 91


def _by_key(doc):
    return {m.key: m for m in doc.measures()}


@pytest.mark.parametrize("field", ["text", "targets", "agencies", "cooperating", "amended",
                                   "lines"])
def test_measure_fields(doc, expected, field):
    measures = _by_key(doc)
    wrong = []
    for exp in expected["measures"]:
        m = measures[exp["key"]]
        got = {
            "text": m.text.text,
            "targets": [t.text.text for t in m.targets],
            "agencies": [a.name for a in m.assignments if not a.cooperating],
            "cooperating": [a.name for a in m.assignments if a.cooperating],
            "amended": m.amended,
            "lines": m.lines,
        }[field]
        if got != exp[field]:
            wrong.append(f"{exp['key']}: expected {exp[field]!r}\n{' ' * len(exp['key'])}  got      {got!r}")
    assert not wrong, "\n".join(wrong)


def test_instruments_per_measure(doc, expected, registry):
    """Instruments named in a measure or its targets: compared as registry entities, so that an
    alias written in the text (廉政倫理規範) counts as the instrument it names."""
    measures = _by_key(doc)
    wrong = []
    for exp in expected["measures"]:
        m = measures[exp["key"]]
        want = set()
        for name in exp["instruments"]:
            e = registry.resolve(name, kinds=["instrument"])
            assert e is not None, f"{exp['key']}: the registry does not know instrument {name!r}"
            want.add(e.id)
        mentions = m.mentions + [x for t in m.targets for x in t.mentions]
        got = {x.entity for x in mentions if x.kind == "instrument"}
        if got != want:
            wrong.append(f"{exp['key']}: expected {sorted(want)}, got {sorted(got)}")
    assert not wrong, "\n".join(wrong)


def test_clauses_of_part_6(doc, expected):
    assert [(c.number, c.text.text) for c in doc.clauses()] == [
        (c["number"], c["text"]) for c in expected["clauses"]]


def test_agency_names_resolve_to_registry_entities(doc, registry):
    m = _by_key(doc)
    assert [a.entity for a in m["4.0.2.2"].assignments] == [
        registry.resolve("法務部").id, registry.resolve("各地方法院檢察署").id,
        registry.resolve("各直轄市、縣(市)政府").id]
    # a typo in the text resolves to the same agency as the right spelling
    assert m["4.0.2.2"].assignments[1].name == "各地方方法院檢察署"
    # a name split by underline tags is one agency
    assert [a.name for a in m["5.0.3.3"].assignments] == ["國家發展委員會檔案管理局"]


def test_frequencies_and_deadlines(doc):
    m = _by_key(doc)
    assert m["1.1.4.1"].targets[0].frequencies == ["QUARTERLY"]        # 每季召開會議一次
    assert m["1.1.2.2"].targets[0].frequencies == ["ANNUAL"]           # 每年一月提報
    # line 30: 提報全年度…目標案件數，並每季檢討達成率 — a yearly report and a quarterly review
    assert m["1.1.5.9"].targets[0].frequencies == ["QUARTERLY", "ANNUAL"]
    # a measure's period is not its target's: 每半年召開會議一次 is in 1.1.3.1's text (line 13)
    assert m["1.1.3.1"].targets[0].frequencies == ["Regular"]
    assert "MONTHLY" in m["1.2.5.3"].targets[0].frequencies            # 每月統計
    assert m["1.1.6.2"].targets[0].deadline.isoformat() == "2012-12-31"  # 101 年底前
    assert m["1.1.5.8"].targets[0].frequencies == ["PerCase"]          # 個案辦理。
    assert m["1.2.1.1"].targets[0].deadline is None


def test_underlined_spans(doc):
    m = _by_key(doc)["3.0.7.1"]
    assert m.amended
    spans = [m.text.text[a:b] for a, b in m.text.spans()]
    assert spans == ["由各公股股權管理機關邀集所管公股事業召開業務研討會"]
    assert [m.agency_cell.text[a:b] for a, b in m.agency_cell.spans()] == ["國家發展委員會"]


def test_errata_correction_is_applied_and_recorded(doc):
    assert [(c.line, c.number) for c in doc.corrections] == [(152, 1)]
    m = _by_key(doc)["8.0.1.1"]
    assert m.targets[0].text.text == "定期統計參加國際廉政會議及論壇次數。"
    assert m.text.text.endswith("亞洲開發銀行(ADB)之反貪腐倡議會議等及其他相關會議。")
    # the published line is kept as published
    assert "\t" not in doc.line(152).split("亞洲開發銀行(")[1][:2]


def test_a_parenthesised_body_of_the_agency_before_it_is_its_acting_unit(doc, expected):
    # line 25: 法務部、最高法院檢察署（肅貪督導小組）: the office's own task force (line 14) does the
    # work; it is not a cooperating body outside the Executive Yuan
    m = _by_key(doc)["1.1.5.5"]
    exp = next(e for e in expected["measures"] if e["key"] == "1.1.5.5")
    acting = {a.name: a.acting_unit_name for a in m.assignments if a.acting_unit}
    assert acting == exp["acting_units"] == {"最高法院檢察署": "肅貪督導小組"}
    assert [a.cooperating for a in m.assignments] == [False, False]
