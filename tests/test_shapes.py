"""Every shape shown to fire, as data (tests/shapes/mutations/*.ru), and the real graph to conform.

Each case is a SPARQL Update making one small change to the built graph; its `# expect:` lines
name every shape the change must make fire. The shapes reported must be exactly those.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from plangraph.build.pipeline import NQUADS
from plangraph.config import read_turtle
from plangraph.validation.shapes import run_shacl

MUTATIONS = sorted((Path(__file__).parent / "shapes" / "mutations").glob("*.ru"))
ONTOLOGY_GRAPH = "https://w3id.org/plangraph/id/graph/ontology"


@pytest.fixture(scope="module")
def nquads(built) -> bytes:
    return (built.out / NQUADS).read_bytes()


@pytest.fixture(scope="module")
def shapes(built) -> Graph:
    return read_turtle(built.shapes, "shapes")


def violations_after(nquads: bytes, shapes: Graph, update: str | None) -> set[str]:
    store = ox.Store()
    store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
    if update:
        store.update(update)
    # the data graphs (not the ontology), as validation sees them
    data = ox.Store()
    data.bulk_load(b"".join(
        ox.serialize([ox.Triple(q.subject, q.predicate, q.object)], format=ox.RdfFormat.N_TRIPLES)
        for q in store if not (isinstance(q.graph_name, ox.NamedNode)
                               and q.graph_name.value == ONTOLOGY_GRAPH)),
        format=ox.RdfFormat.N_TRIPLES)
    graph = Graph().parse(data=ox.serialize(data, format=ox.RdfFormat.N_TRIPLES).decode(),
                          format="nt")
    return {v.shape for v in run_shacl(graph, shapes, data)}


def test_there_are_at_least_20_cases_and_every_shape_has_one(shapes):
    assert len(MUTATIONS) >= 20
    expected = {name for path in MUTATIONS for name in expectations(path)}
    declared = {"pgsh:" + str(s).rsplit("#", 1)[1] for s in shapes.subjects()
                if str(s).startswith("https://w3id.org/plangraph/shapes#")}
    missing = declared - expected
    assert not missing, f"shapes that no mutation case shows to fire: {sorted(missing)}"


def expectations(path: Path) -> set[str]:
    return set(re.findall(r"^# expect:\s*(\S+)", path.read_text(encoding="utf-8"), re.M))


def test_the_built_graph_conforms(nquads, shapes):
    assert violations_after(nquads, shapes, None) == set()


@pytest.mark.parametrize("case", MUTATIONS, ids=lambda p: p.stem)
def test_mutation_is_caught_by_the_intended_shape(case: Path, nquads, shapes):
    expected = expectations(case)
    assert expected, f"{case.name} names no expected shape"
    got = violations_after(nquads, shapes, case.read_text(encoding="utf-8"))
    assert got == expected, f"{case.name}: expected {sorted(expected)}, got {sorted(got)}"
