"""The SHACL compiler (plangraph.validation.shapes): the project's shapes need no pyshacl, and the logical,
qualified and property-pair components give SHACL's results on small graphs made for them.

Expected results are read off the SHACL recommendation (https://www.w3.org/TR/shacl/):
- sh:lessThan: a result for each pair of a value node and a value of the other property at the
  focus node where the first is not less than the second by SPARQL's <, "or where the two values
  cannot be compared";
- sh:qualifiedValueShape: the number of value nodes that conform to the shape, against
  sh:qualifiedMinCount / sh:qualifiedMaxCount, one result per focus node;
- sh:xone: a result for each value node that conforms to a number of members other than one;
  sh:and / sh:or / sh:not: all, at least one, none.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

import plangraph.validation.shapes as validate
from plangraph.config import Settings, read_turtle
from plangraph.validation.shapes import CompiledShapes, split_shapes

PREFIXES = """
@prefix sh:   <http://www.w3.org/ns/shacl#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex:   <http://example.org/> .
@prefix pg:   <https://w3id.org/plangraph/ontology#> .
"""
EX = "http://example.org/"


def shapes_of(turtle: str) -> Graph:
    return Graph().parse(data=PREFIXES + turtle, format="turtle")


def ntriples(tmp_path: Path, turtle: str) -> Path:
    path = tmp_path / "data.nt"
    path.write_bytes(ox.serialize(ox.parse(PREFIXES + turtle, format=ox.RdfFormat.TURTLE),
                                  format=ox.RdfFormat.N_TRIPLES) or b"")
    return path


def no_rdflib_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make reading the data into rdflib, or running pyshacl, an error."""
    def refuse(*_: object) -> None:
        raise AssertionError("the data was read into rdflib / pyshacl was run")
    monkeypatch.setattr(validate, "store_graph", refuse)
    monkeypatch.setattr(validate, "run_core", refuse)


def found(violations: list) -> set[tuple[str, str | None]]:
    return {(v.focus.removeprefix(EX), v.value.removeprefix(EX) if v.value else None)
            for v in violations}


# -- the project's shapes --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def project_shapes() -> Graph:
    return read_turtle(Settings().shapes, "the SHACL shapes")


def test_the_project_shapes_leave_nothing_to_pyshacl(project_shapes):
    core, constraints = split_shapes(project_shapes)
    assert len(core) == 0, core.serialize(format="turtle")
    assert not CompiledShapes(project_shapes).needs_pyshacl
    # and every named shape has its queries (none was dropped on the way)
    named = {s for s in project_shapes.subjects() if str(s).startswith(validate.SHAPES_NS)}
    assert named <= {c.shape for c in constraints}


def test_check_file_reads_no_rdflib_graph_and_finds_key_and_lines_in_the_store(
        tmp_path, monkeypatch, project_shapes):
    no_rdflib_data(monkeypatch)
    shapes = CompiledShapes(project_shapes)
    measure = "https://w3id.org/plangraph/id/plan/x/measure/1.1.1.1"
    path = ntriples(tmp_path, f"""
        <{measure}> a pg:Measure ; pg:key "1.1.1.1" ; pg:sourceLine 30, 29 .
    """)
    violations = shapes.check_file(path)
    by_shape = {v.shape: v for v in violations if v.focus == measure}
    # a measure with only a key and lines is in no scheme, has no number, no text …
    assert {"pgsh:NodeInScheme", "pgsh:NodeNumber", "pgsh:NodeDerivedFromSource",
            "pgsh:NodeLabel"} <= set(by_shape)
    assert by_shape["pgsh:NodeInScheme"].key == "1.1.1.1"
    assert by_shape["pgsh:NodeInScheme"].lines == (29, 30)
    assert by_shape["pgsh:NodeInScheme"].path == "http://www.w3.org/2004/02/skos/core#inScheme"


def test_check_ntriples_and_check_store_agree_with_check_file(tmp_path, project_shapes):
    shapes = CompiledShapes(project_shapes)
    path = ntriples(tmp_path, """
        <https://w3id.org/plangraph/id/x> a pg:Measure ; pg:number 0 .
    """)
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    from_file = shapes.check_file(path)
    assert "pgsh:NodeNumber" in {v.shape for v in from_file}   # 0 is below sh:minInclusive 1
    assert shapes.check_ntriples(path.read_bytes()) == from_file
    assert shapes.check_store(store) == from_file


# -- sh:lessThan -----------------------------------------------------------------------------------

LESS_THAN = """
ex:S a sh:PropertyShape ; sh:targetClass ex:T ; sh:path ex:start ; sh:lessThan ex:end .
"""


def test_less_than_reports_every_pair_not_less_incomparable_ones_included(tmp_path, monkeypatch):
    no_rdflib_data(monkeypatch)
    path = ntriples(tmp_path, """
        ex:less       a ex:T ; ex:start 1 ; ex:end 2 .
        ex:greater    a ex:T ; ex:start 3 ; ex:end 2 .
        ex:equal      a ex:T ; ex:start 2 ; ex:end 2 .
        ex:decimal    a ex:T ; ex:start 1.5 ; ex:end 2 .
        ex:noEnd      a ex:T ; ex:start 1 .
        ex:noStart    a ex:T ; ex:end 1 .
        ex:string     a ex:T ; ex:start "abc" ; ex:end 5 .
        ex:date       a ex:T ; ex:start 1 ; ex:end "2020-01-01"^^xsd:date .
        ex:iri        a ex:T ; ex:start ex:thing ; ex:end 5 .
        ex:oneBadEnd  a ex:T ; ex:start 1 ; ex:end 5, "x" .
        ex:twoStarts  a ex:T ; ex:start 1, 4 ; ex:end 3 .
        ex:dates      a ex:T ; ex:start "2020-01-01"^^xsd:date ; ex:end "2021-01-01"^^xsd:date .
        ex:notTarget  ex:start 9 ; ex:end 1 .
    """)
    violations = CompiledShapes(shapes_of(LESS_THAN)).check_file(path)
    assert found(violations) == {
        ("greater", "3"), ("equal", "2"),            # not less
        ("string", "abc"), ("date", "1"), ("iri", "thing"),   # cannot be compared
        ("oneBadEnd", "1"),                           # 1 < 5, but 1 and "x" cannot be compared
        ("twoStarts", "4"),                           # 1 < 3 holds, 4 < 3 does not
    }
    assert {v.shape for v in violations} == {EX + "S"}


# -- qualified value shapes ------------------------------------------------------------------------

QUALIFIED = """
ex:Q a sh:PropertyShape ; sh:targetClass ex:T ; sh:path ex:p ;
    sh:qualifiedValueShape [ sh:class ex:C ] ; sh:qualifiedMinCount 1 ; sh:qualifiedMaxCount 1 .
"""
QUALIFIED_DATA = """
    ex:D rdfs:subClassOf ex:C .
    ex:c1 a ex:C .  ex:c2 a ex:C .  ex:d1 a ex:D .  ex:other a ex:Other .
    ex:none      a ex:T .
    ex:one       a ex:T ; ex:p ex:c1 .
    ex:two       a ex:T ; ex:p ex:c1, ex:c2 .
    ex:wrong     a ex:T ; ex:p ex:other .
    ex:oneOfTwo  a ex:T ; ex:p ex:c1, ex:other .
    ex:subclass  a ex:T ; ex:p ex:d1 .
    ex:literal   a ex:T ; ex:p "c1" .
"""


def test_qualified_counts_only_the_values_that_conform(tmp_path, monkeypatch):
    no_rdflib_data(monkeypatch)
    shapes = CompiledShapes(shapes_of(QUALIFIED))
    assert {c.kind for c in shapes.constraints} == {"qualifiedMinCount", "qualifiedMaxCount"}
    violations = shapes.check_file(ntriples(tmp_path, QUALIFIED_DATA))
    # one result per focus node, without a value: 0 conforming (none, wrong, literal) or 2 (two)
    assert found(violations) == {("none", None), ("wrong", None), ("literal", None),
                                 ("two", None)}


def test_qualified_shapes_disjoint_is_left_to_pyshacl_and_still_checked(tmp_path):
    shapes = CompiledShapes(shapes_of(QUALIFIED + """
        ex:Q sh:qualifiedValueShapesDisjoint true .
    """))
    assert shapes.needs_pyshacl
    assert not shapes.constraints
    # no sibling shapes here, so disjointness changes nothing: the same four
    assert found(shapes.check_file(ntriples(tmp_path, QUALIFIED_DATA))) == {
        ("none", None), ("wrong", None), ("literal", None), ("two", None)}


# -- logical components ----------------------------------------------------------------------------

def test_xone_is_exactly_one_member(tmp_path, monkeypatch):
    no_rdflib_data(monkeypatch)
    shapes = CompiledShapes(shapes_of("""
        ex:X a sh:NodeShape ; sh:targetClass ex:T ; sh:xone (
            [ sh:path ex:a ; sh:minCount 1 ]
            [ sh:path ex:b ; sh:minCount 1 ]
            [ sh:class ex:K ] ) .
    """))
    violations = shapes.check_file(ntriples(tmp_path, """
        ex:zero   a ex:T .
        ex:onlyA  a ex:T ; ex:a 1 .
        ex:onlyK  a ex:T , ex:K .
        ex:aAndB  a ex:T ; ex:a 1 ; ex:b 1 .
        ex:all    a ex:T , ex:K ; ex:a 1 ; ex:b 1 .
    """))
    # a node shape's value node is the focus node itself
    assert found(violations) == {("zero", "zero"), ("aAndB", "aAndB"), ("all", "all")}


def test_and_of_nested_property_shapes_and_not(tmp_path, monkeypatch):
    no_rdflib_data(monkeypatch)
    shapes = CompiledShapes(shapes_of("""
        ex:A a sh:NodeShape ; sh:targetClass ex:T ; sh:and (
            [ sh:path ex:v ; sh:minCount 1 ; sh:maxCount 1 ; sh:class ex:V ]
            [ sh:not [ sh:path ex:bad ; sh:minCount 1 ] ] ) .
    """))
    violations = shapes.check_file(ntriples(tmp_path, """
        ex:v1 a ex:V .  ex:v2 a ex:V .  ex:w a ex:W .
        ex:good      a ex:T ; ex:v ex:v1 .
        ex:noValue   a ex:T .
        ex:twoValues a ex:T ; ex:v ex:v1, ex:v2 .
        ex:wrongType a ex:T ; ex:v ex:w .
        ex:hasBad    a ex:T ; ex:v ex:v1 ; ex:bad 0 .
    """))
    assert found(violations) == {("noValue", "noValue"), ("twoValues", "twoValues"),
                                 ("wrongType", "wrongType"), ("hasBad", "hasBad")}


def test_or_of_members_with_several_components_on_each_value(tmp_path, monkeypatch):
    no_rdflib_data(monkeypatch)
    shapes = CompiledShapes(shapes_of("""
        ex:O a sh:PropertyShape ; sh:targetClass ex:T ; sh:path ex:n ; sh:or (
            [ sh:datatype xsd:integer ; sh:minInclusive 1 ]
            [ sh:in ( "none" ) ] ) .
    """))
    violations = shapes.check_file(ntriples(tmp_path, """
        ex:t a ex:T ; ex:n 5, 0, "none", "x", "7" .
    """))
    # 0 is an integer below 1, "x" and "7" (a string) neither an integer nor "none"
    assert found(violations) == {("t", "0"), ("t", "x"), ("t", "7")}


def test_a_component_the_compiler_cannot_state_is_left_to_pyshacl(tmp_path):
    shapes = CompiledShapes(shapes_of("""
        ex:Closed a sh:NodeShape ; sh:targetClass ex:T ; sh:closed true ;
            sh:ignoredProperties ( <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ) ;
            sh:property [ sh:path ex:a ] .
        ex:Count a sh:PropertyShape ; sh:targetClass ex:T ; sh:path ex:a ; sh:minCount 1 .
    """))
    assert shapes.needs_pyshacl
    assert {c.shape for c in shapes.constraints} == {URIRef(EX + "Count")}
    violations = shapes.check_file(ntriples(tmp_path, """
        ex:open   a ex:T ; ex:a 1 ; ex:z 2 ; pg:key "9" ; pg:sourceLine 7 .
        ex:empty  a ex:T .
        ex:fine   a ex:T ; ex:a 1 .
    """))
    assert {(v.focus.removeprefix(EX), v.shape.removeprefix(EX)) for v in violations} == {
        ("open", "Closed"), ("empty", "Count")}
    closed = next(v for v in violations if v.shape == EX + "Closed")
    assert (closed.key, closed.lines) == ("9", (7,))    # looked up in the store all the same
