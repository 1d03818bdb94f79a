"""Ontology health as "no match" checks whose failures read well (schema.org's habit)."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from plangraph.config import read_turtle
from plangraph.vocab import PG, PG_IRI

from .conftest import PROJECT


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return read_turtle(PROJECT / "ontology" / "plangraph.ttl", "the ontology")


def declared(g: Graph) -> set[str]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual,
             RDF.Property, SKOS.Concept, OWL.AnnotationProperty, RDFS.Datatype)
    return {str(s)[len(PG_IRI):] for k in kinds for s in g.subjects(RDF.type, k)
            if str(s).startswith(PG_IRI)}


def test_every_term_the_code_uses_is_declared_and_no_other(ontology):
    in_code = {name for name in PG.__annotations__}
    in_ontology = declared(ontology)
    assert not in_code - in_ontology, f"used but not declared: {sorted(in_code - in_ontology)}"
    assert not in_ontology - in_code, f"declared but unused: {sorted(in_ontology - in_code)}"


def test_every_term_has_labels_in_both_languages_and_a_definition(ontology):
    missing = []
    for name in sorted(declared(ontology)):
        term = URIRef(PG_IRI + name)
        langs = {o.language for o in ontology.objects(term, RDFS.label) if isinstance(o, Literal)}
        if not {"zh-Hant", "en"} <= {(lang or "").replace("zh-hant", "zh-Hant") for lang in langs}:
            missing.append(f"pg:{name}: labels {sorted(map(str, langs))}")
        if not any(isinstance(d, Literal) and d.language == "en"
                   for d in ontology.objects(term, SKOS.definition)):
            missing.append(f"pg:{name}: no English skos:definition")
    assert not missing, "\n".join(missing)


def test_no_owl_imports(ontology):
    """Nothing is fetched at run time: external terms are declared here, by IRI."""
    assert not list(ontology.objects(None, OWL.imports))
