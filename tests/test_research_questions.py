"""Research questions held back from the library: each answered first from the document's text
(the line is beside it), then asked of the built store in SPARQL, as a reader of the data would ask
it, with the standard vocabularies (SKOS, ELI, VoID, DCAT) where the question is theirs.

The second half checks what issue 14 asks to be *stated* in the data (no reasoner): SKOS
hierarchy, ELI expression, formats and document types, identifiers, linksets, the licence.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from plangraph.config import Settings

PREFIXES = """PREFIX pg:   <https://w3id.org/plangraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX eli:  <http://data.europa.eu/eli/ontology#>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dct:  <http://purl.org/dc/terms/>
PREFIX void: <http://rdfs.org/ns/void#>
PREFIX adms: <http://www.w3.org/ns/adms#>
PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
CURRENT = "?plan a pg:Plan ; dcat:hasCurrentVersion ?version ."


@pytest.fixture(scope="module")
def store(built: Settings) -> ox.Store:
    return ox.Store.read_only(str(built.store_path))


def rows(store: ox.Store, query: str) -> list[dict[str, str | None]]:
    result = store.query(PREFIXES + query, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]   # type: ignore[union-attr]
    return [{n: (row[n].value if row[n] is not None else None) for n in names}
            for row in result]   # type: ignore[union-attr]


def column(store: ox.Store, query: str, name: str) -> set[str | None]:
    return {r[name] for r in rows(store, query)}


def addressed(store: ox.Store, clause: str) -> set[str | None]:
    return column(store, f"""SELECT ?name WHERE {{ {CURRENT}
        ?c skos:inScheme ?version ; a pg:Clause ; pg:key "{clause}" ; pg:addresses ?p .
        ?p skos:prefLabel ?name }}""", "name")


# ------------------------------------------------------------------------------------------------
# Point 陸: who is given what (lines 166-170)
# ------------------------------------------------------------------------------------------------

def test_q1_clause_three_addresses_the_central_agencies_outside_the_executive_yuan(store):
    # 168: 行政院以外其他中央機關（構），得參考本方案… — 行政院 is named only to be excluded
    assert addressed(store, "6.3") == {"行政院以外其他中央機關（構）"}
    assert "行政院" not in column(store, f"""SELECT ?name WHERE {{ {CURRENT}
        ?c skos:inScheme ?version ; pg:key "6.3" ; pg:mentionsAgency|pg:addresses ?p .
        ?p skos:prefLabel ?name }}""", "name")


def test_q2_clause_five_assigns_work_to_four_parties(store):
    # 170: 本方案由國家發展委員會會同有關機關，分年選定重點項目，由院列管；未選入由院列管及未併案
    # 列管之項目，由各辦理機關自行列管。 (院 = the Executive Yuan; 有關機關 = 相關機關)
    assert addressed(store, "6.5") == {"國家發展委員會", "相關機關", "行政院", "各辦理機關"}
    got = {(r["party"], r["with"], r["action"]) for r in rows(store, f"""
        SELECT ?party ?with ?action WHERE {{ {CURRENT}
          ?c skos:inScheme ?version ; pg:key "6.5" ; pg:assigns ?d .
          ?d pg:party/skos:prefLabel ?party ; pg:action ?action .
          OPTIONAL {{ ?d pg:actsWith/skos:prefLabel ?with }} }}""")}
    assert got == {("國家發展委員會", "相關機關", "分年選定重點項目"), ("行政院", None, "列管"),
                   ("各辦理機關", None, "自行列管")}


def test_q3_only_clause_four_imposes_a_shall(store):
    # 166-169: 得 in clauses 一, 二, 三 (may); 應 in 四 (shall); 五 assigns with 由 and no modal verb
    got = {(r["key"], r["modality"]) for r in rows(store, f"""
        SELECT ?key ?modality WHERE {{ {CURRENT}
          ?c skos:inScheme ?version ; pg:key ?key ; pg:assigns/pg:modality ?m .
          ?m rdfs:label ?modality . FILTER (LANG(?modality) = "en") }}""")}
    assert got == {("6.1", "may"), ("6.2", "may"), ("6.3", "may"), ("6.4", "shall"),
                   ("6.5", "assigned")}


# ------------------------------------------------------------------------------------------------
# Provisions and laws
# ------------------------------------------------------------------------------------------------

def law_of(store: ox.Store, instrument: str) -> list[dict[str, str | None]]:
    return rows(store, f"""SELECT ?law ?pcode ?line WHERE {{
        ?i skos:prefLabel "{instrument}"@zh-Hant ; pg:provisionOf|pg:comprisesLaw ?l .
        ?l skos:prefLabel ?law ; eli:id_local ?pcode .
        ?st rdf:subject ?i ; rdf:object ?l ; pg:sourceLine ?line }}""")


def test_q4_the_confiscation_provisions_are_in_the_criminal_code(store):
    # 11: 研修「…」、「刑法及相關刑事特別法中關於貪瀆犯罪所得沒收規定」等法令
    assert law_of(store, "刑法及相關刑事特別法中關於貪瀆犯罪所得沒收規定") == [
        {"law": "中華民國刑法", "pcode": "C0000001", "line": "11"}]
    # as ELI reads the link: a part of the law (the ontology declares the property so)
    assert store.query(PREFIXES + """ASK {
        ?i skos:prefLabel "刑法及相關刑事特別法中關於貪瀆犯罪所得沒收規定"@zh-Hant ; ?p ?l .
        ?l skos:prefLabel "中華民國刑法"@zh-Hant . ?p rdfs:subPropertyOf eli:is_part_of }""",
                       use_default_graph_as_union=True)


def test_q5_the_revolving_door_provisions_are_in_the_civil_servant_work_act(store):
    # 85: 推動修正公務員服務法或相關法律，嚴密「旋轉門條款」規範 — led by 行政院人事行政總處
    assert law_of(store, "旋轉門條款") == [{"law": "公務員服務法", "pcode": "S0020038", "line": "85"}]
    assert column(store, f"""SELECT ?lead WHERE {{ {CURRENT}
        ?m skos:inScheme ?version ; a pg:Measure ; pg:leadAgency/skos:prefLabel ?lead ;
           ^pg:hasMeasure/pg:mentionsInstrument/skos:prefLabel "旋轉門條款"@zh-Hant }}""",
                  "lead") == {"行政院人事行政總處"}


def test_q6_the_political_donations_regime_comprises_the_act(store):
    # 145: (一)健全政治獻金法制 … 內政部
    assert law_of(store, "政治獻金法制") == [{"law": "政治獻金法", "pcode": "D0020049", "line": "145"}]


# ------------------------------------------------------------------------------------------------
# Quantities, asked as values
# ------------------------------------------------------------------------------------------------

def test_q7_ten_million_dollars_or_more(store):
    # 30: 不法所得金額新臺幣一千萬元以上 (measure 1.1.5.9)
    assert column(store, f"""SELECT ?key WHERE {{ {CURRENT}
        ?n skos:inScheme ?version ; pg:key ?key ; pg:quantity ?q .
        ?q pg:unit pg:NewTaiwanDollar ; pg:value ?v ; pg:comparator pg:AtLeast .
        FILTER (?v >= 10000000) }}""", "key") == {"1.1.5.9"}


def test_q8_senior_civil_servants_of_grade_twelve_and_above(store):
    # 79: 對簡任第十二職等以上高階公務員宣導 (2.0.3.2); 80: strategy (四) and its measure
    assert column(store, f"""SELECT ?key WHERE {{ {CURRENT}
        ?n skos:inScheme ?version ; pg:key ?key ; pg:quantity ?q .
        ?q pg:unit pg:Grade ; pg:value 12 ; pg:comparator pg:AtLeast }}""", "key") == {
        "2.0.3.2", "2.0.4", "2.0.4.1"}


def test_q9_meetings_a_year_of_the_policy_research_group(store):
    # 13: 組成「廉政政策研究小組」，每半年召開會議一次 — one meeting per half year
    (row,) = rows(store, f"""SELECT ?value ?period WHERE {{ {CURRENT}
        ?m skos:inScheme ?version ; pg:key "1.1.3.1" ; pg:quantity ?q .
        ?q pg:unit pg:Times ; pg:value ?value ; pg:period ?period }}""")
    assert row == {"value": "1",
                   "period": "http://publications.europa.eu/resource/authority/frequency/ANNUAL_2"}


# ------------------------------------------------------------------------------------------------
# The hierarchy in SKOS
# ------------------------------------------------------------------------------------------------

def test_q10_where_measure_1_1_5_8_sits(store):
    # 21: 5. 加強發掘不法線索，打擊重大貪瀆犯罪 (strategy 1.1.5) under (一)肅貪, under 一、加強肅貪防貪,
    # under 肆、具體作為 (lines 5, 7, 10)
    chain = rows(store, f"""SELECT ?s ?a ?sub ?part WHERE {{ {CURRENT}
        ?m skos:inScheme ?version ; a pg:Measure ; pg:key "1.1.5.8" ; skos:broader ?st .
        ?st pg:key ?s ; skos:broader ?sa . ?sa pg:title ?sub ; skos:broader ?ar .
        ?ar pg:title ?a ; skos:broader ?p . ?p pg:title ?part ; skos:topConceptOf ?version }}""")
    assert chain == [{"s": "1.1.5", "sub": "肅貪", "a": "加強肅貪防貪", "part": "具體作為"}]


def test_q11_strategies_of_area_eight_by_skos_narrower(store):
    # 152, 155, 157, 159: (一) … (四) of 八、
    assert column(store, f"""SELECT ?key WHERE {{ {CURRENT}
        ?a skos:inScheme ?version ; a pg:Area ; pg:key "8" ; skos:narrower ?s .
        ?s pg:key ?key }}""", "key") == {"8.0.1", "8.0.2", "8.0.3", "8.0.4"}


def test_q12_leads_of_the_internal_audit_measure(store):
    # 104: 每年至少辦理內部稽核1次 — 財政部、經濟部、交通部、金融監督管理委員會、國軍退除役官兵輔導委員會、
    # 行政院農業委員會、相關機關: which of them have a government OID, as an IRI?
    got = {(r["name"], r["oid"]) for r in rows(store, f"""SELECT ?name ?oid WHERE {{ {CURRENT}
        ?t skos:inScheme ?version ; pg:key "3.0.7.3.1" ; pg:quantity/pg:comparator pg:AtLeast ;
           skos:broader/pg:leadAgency ?a .
        ?a skos:prefLabel ?name . OPTIONAL {{ ?a pg:oid ?oid }} }}""")}
    assert got == {("財政部", "urn:oid:2.16.886.101.20003.20004"),
                   ("經濟部", "urn:oid:2.16.886.101.20003.20007"),
                   ("交通部", "urn:oid:2.16.886.101.20003.20008"),
                   ("金融監督管理委員會", "urn:oid:2.16.886.101.20003.20052"),
                   ("國軍退除役官兵輔導委員會", "urn:oid:2.16.886.101.20003.20016"),
                   ("行政院農業委員會", "urn:oid:2.16.886.101.20003.20024"),
                   ("相關機關", None)}     # a collective: no OID


# ------------------------------------------------------------------------------------------------
# Stated in the data (no inference), asked with SPARQL of the built store
# ------------------------------------------------------------------------------------------------

def count(store: ox.Store, query: str) -> int:
    (row,) = rows(store, query)
    return int(row["n"] or 0)


def test_91_measures_and_48_strategies_with_skos_broader(store):
    for cls, expected in (("Measure", 91), ("Strategy", 48), ("Target", 94), ("Area", 8)):
        assert count(store, f"""SELECT (COUNT(DISTINCT ?n) AS ?n) WHERE {{
            ?n a skos:Concept , pg:{cls} , eli:LegalResourceSubdivision ; skos:broader ?b .
            ?b skos:narrower ?n ; eli:has_part ?n . ?n eli:is_part_of ?b }}""") == expected, cls
    assert count(store, """SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {
        ?p a pg:Part ; skos:topConceptOf ?v . ?v a skos:ConceptScheme ; skos:hasTopConcept ?p }""") == 2
    assert count(store, """SELECT (COUNT(*) AS ?n) WHERE {
        ?n a pg:Measure ; skos:notation ?k . FILTER (DATATYPE(?k) = pg:Numbering) }""") == 91


def test_a_legal_expression_with_title_and_language(store):
    got = rows(store, """SELECT ?title ?language ?date WHERE {
        ?v a eli:LegalResource ; eli:is_member_of ?plan ; eli:version_date ?date ;
           eli:is_realized_by ?e .
        ?e a eli:LegalExpression ; eli:title ?title ; eli:language ?language }""")
    assert got == [{"title": "國家廉政建設行動方案", "date": "2014-04-15",
                    "language": "http://publications.europa.eu/resource/authority/language/ZHO"}]
    # the amending act's title is the amendment's, not the version's
    assert column(store, """SELECT ?t WHERE { ?a eli:amends ?plan ; dct:title ?t }""", "t") == {
        "修正國家廉政建設行動方案第肆點、第陸點"}


def test_formats_and_document_types(store):
    formats = rows(store, """SELECT ?f ?media WHERE { ?f a eli:Format ; eli:embodies ?e ;
        eli:format ?media . ?e a eli:LegalExpression }""")
    media = {r["media"].rsplit("media-types/", 1)[1] for r in formats}   # type: ignore[union-attr]
    assert {"text/plain", "text/html", "text/turtle", "application/ld+json",
            "application/n-triples", "application/n-quads"} <= media
    assert column(store, """SELECT ?t WHERE { ?r a eli:LegalResource ; eli:type_document ?t }""",
                  "t") == {"https://w3id.org/plangraph/ontology#ActionPlan",
                           "https://w3id.org/plangraph/ontology#AmendingAct"}
    assert column(store, """SELECT ?j WHERE { ?r eli:jurisdiction ?j }""", "j") == {
        "http://publications.europa.eu/resource/authority/country/TWN"}


def test_at_least_27_agencies_with_a_code_or_an_oid(store):
    assert count(store, """SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a pg:Agency ;
        adms:identifier/dct:type ?t . FILTER (?t IN (pg:OID, pg:AgencyCode)) }""") >= 27
    assert count(store, """SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a pg:Agency ; pg:oid ?o .
        FILTER STRSTARTS(STR(?o), "urn:oid:") }""") >= 27


def test_linksets(store):
    got = {(r["predicate"], int(r["n"] or 0)) for r in rows(store, """SELECT ?predicate ?n WHERE {
        ?ls a void:Linkset ; void:linkPredicate ?predicate ; void:triples ?n ;
            void:subjectsTarget ?ds ; void:objectsTarget ?target .
        ?ds a dcat:Dataset . ?target a void:Dataset }""")}
    assert {p for p, _ in got} == {"http://www.w3.org/2000/01/rdf-schema#seeAlso",
                                   "https://w3id.org/plangraph/ontology#oid",
                                   "http://purl.org/dc/terms/subject"}
    assert all(n > 0 for _, n in got)


def test_the_dataset_licence_names_ogdl(store):
    got = rows(store, """SELECT ?licence ?title WHERE { ?ds a dcat:Dataset , void:Dataset ;
        dct:license ?licence ; ^dcat:dataset ?catalog . ?licence dct:title ?title .
        FILTER (LANG(?title) = "en") }""")
    assert got == [{"licence": "https://spdx.org/licenses/OGDL-Taiwan-1.0",
                    "title": "Open Government Data License, version 1.0 (OGDL-Taiwan-1.0)"}]
