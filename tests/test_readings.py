"""The two readings of prose the model makes: duties and powers in clauses (documents/duties.py)
and quantities in texts (documents/quantities.py), on invented sentences and on edge cases.
What they find in the seed is checked against the document in test_queries.py and
test_research_questions.py."""

from __future__ import annotations

import pytest

from plangraph.documents.duties import ASSIGNED, MAY, SHALL, duties_of
from plangraph.documents.quantities import cjk_number, quantities_of


def parties(text: str, registry) -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    return [(d.party.entity, d.modality, d.action, [(r, p.entity) for r, p in d.joint])
            for d in duties_of(text, registry)]


def test_a_subject_with_shall_or_may(registry):
    assert parties("各機關應於每年底前提報成果。", registry) == [
        ("all-agencies", SHALL, "於每年底前提報成果", [])]
    assert parties("法務部，得視需要邀集專家。", registry) == [
        ("moj", MAY, "視需要邀集專家", [])]


def test_a_task_given_with_you_and_a_partner(registry):
    assert parties("本計畫由法務部會同財政部辦理；由內政部召集相關機關檢討。", registry) == [
        ("moj", ASSIGNED, "辦理", [("actsWith", "mof")]),
        ("moi", ASSIGNED, "檢討", [("convenes", "relevant-agencies")])]


def test_a_you_phrase_inside_a_noun_phrase_gives_nothing(registry):
    # …由院列管之項目: "the items tracked by the 院" describes items, it assigns nothing
    assert parties("由院列管之項目，由各辦理機關自行列管。", registry) == [
        ("responsible-agencies", ASSIGNED, "自行列管", [])]


def test_the_contextual_name_resolves_only_as_a_party_with_its_reason(registry):
    (duty,) = duties_of("重點項目由院列管。", registry)
    assert duty.party.entity == "ey" and duty.party.name == "院"
    assert duty.party.resolution is not None and duty.party.resolution.lines == [170]
    assert registry.find("送法院審理", ["agency"]) == []      # 院 is no mention by itself


@pytest.mark.parametrize("text", ["", "由", "本方案由", "應", "各機關", "未載明任何機關。"])
def test_no_party_no_duty_and_no_error(registry, text):
    assert duties_of(text, registry) == []


@pytest.mark.parametrize(("numeral", "value"), [
    ("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("一百零五", 105), ("一千萬", 10_000_000),
    ("三億五千萬", 350_000_000), ("萬", 10_000), ("兩千", 2000), ("1,000", 1000), ("80", 80)])
def test_cjk_numbers(numeral, value):
    assert cjk_number(numeral) == value


def test_quantities_with_their_units_bounds_and_periods():
    found = [(q.value, q.unit, q.comparator, q.period, q.text) for q in quantities_of(
        "每季至少召開會議2次，比率達95%以上，金額新臺幣五百萬元以下，三人以上，薦任第九職等以下。")]
    assert found == [
        (2, "Times", "AtLeast", "QUARTERLY", "每季至少召開會議2次"),
        (95, "Percent", "AtLeast", None, "達95%以上"),
        (5_000_000, "NewTaiwanDollar", "AtMost", None, "新臺幣五百萬元以下"),
        (3, "Persons", "AtLeast", None, "三人以上"),
        (9, "Grade", "AtMost", None, "薦任第九職等以下"),
    ]


def test_no_quantity_in_words_that_only_look_like_one():
    # 人員 is staff, not a number of persons; 若干人 (some people) has no number
    assert quantities_of("指定人員若干人協助辦理。") == []
    assert quantities_of("定期提報辦理情形。") == []
