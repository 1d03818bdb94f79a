"""The guard on its own (querying/guard.py): inspection in linear time, the complexity limits,
keywords glued to other text, predeclared and unknown prefixes, the normalised query; and the
short syntax errors (querying/syntax.py). The same refusals through a real server are in
tests/test_hostile.py.
"""

from __future__ import annotations

import time

import pyoxigraph as ox
import pytest

from plangraph.querying.guard import (
    DEFAULT_LIMITS,
    QueryRefused,
    QueryTooComplex,
    UnknownPrefix,
    inspect_query,
)
from plangraph.querying.syntax import short_syntax_error
from plangraph.vocab import PREFIXES

from .conftest import PROJECT

BASE = "https://w3id.org/plangraph/id/"
LIBRARY = sorted([*(PROJECT / "queries").rglob("*.rq"), *(PROJECT / "docs").rglob("*.rq")])


def inspect(query: str, **kw: object):
    return inspect_query(query, base=BASE, prefixes=PREFIXES, **kw)  # type: ignore[arg-type]


# -- the flat chains that overflow pyoxigraph's stack or stall its planner --------------------------

CHAINS = {
    "10 000 + terms": ("SELECT (1" + "+1" * 10_000 + " AS ?x) {}", "operators"),
    "a 10 000-step path": ("PREFIX : <http://e/> SELECT * { ?s " + "/".join([":p"] * 10_000)
                           + " ?o }", "path steps"),
    "10 000 alternatives": ("PREFIX : <http://e/> SELECT * { ?s " + "|".join([":p"] * 10_000)
                            + " ?o }", "path steps"),
    "20 000 OPTIONAL {}": ("SELECT * {" + " OPTIONAL {}" * 20_000 + " }", "OPTIONAL"),
    "10 000 BINDs": ("SELECT * {" + "".join(f" BIND(1 AS ?v{i})" for i in range(10_000)) + " }",
                     "BIND"),
    "10 000 MINUS {}": ("SELECT * {" + " MINUS {}" * 10_000 + " }", "MINUS"),
    "10 000 UNIONs": ("SELECT * {" + " UNION ".join(["{}"] * 10_001) + " }", "UNION"),
    "20 000 FILTERs": ("SELECT * {" + " FILTER(true)" * 20_000 + " }", "FILTER"),
    "20 000 && terms": ("SELECT * { FILTER(true" + " && true" * 20_000 + ") }", "operators"),
    "5 000 projections": ("SELECT " + " ".join(f"(1 AS ?v{i})" for i in range(5_000)) + " {}",
                          "AS"),
    "500 triple patterns": ("PREFIX : <http://e/> SELECT * {"
                            + " ".join(f"?s{i} :p ?o{i} ." for i in range(500)) + " }",
                            "triple patterns"),
    "300 objects of one subject": ("PREFIX : <http://e/> SELECT * { ?s :p "
                                   + ", ".join(["?o"] * 300) + " }", "triple patterns"),
    "300 VALUES blocks": ("SELECT * {" + " VALUES ?x {1}" * 300 + " }", "VALUES"),
    "20 000 NOT EXISTS": ("SELECT * {" + " FILTER NOT EXISTS {}" * 20_000 + " }", "FILTER"),
    "a 64 KB a.a.a…": ("a." * 32_768, "triple patterns"),
    "100 000 ORDER BY keys": ("SELECT * {} ORDER BY " + " ".join(f"?v{i}" for i in range(100_000)),
                              "terms"),
}


@pytest.mark.parametrize("name", CHAINS)
def test_flat_chains_are_refused_quickly(name: str) -> None:
    query, limit = CHAINS[name]
    started = time.perf_counter()
    with pytest.raises(QueryTooComplex, match=f"more than [0-9]+ {limit}") as refused:
        inspect(query)
    assert time.perf_counter() - started < 1.0
    assert "plangraph query" in str(refused.value)  # what to do instead


def test_inspection_is_linear_in_the_query_length() -> None:
    """Each size four times the last takes about four times as long (a quadratic scan took 16×:
    20 s for 64 KB of `a.a.a…`)."""
    def seconds(size: int) -> float:
        query = "SELECT * WHERE { ?s ?p ?o } # " + "a." * size
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            inspect(query)
            best = min(best, time.perf_counter() - started)
        return best

    small, large = seconds(16_000), seconds(64_000)
    assert large < 8 * small + 0.01, (small, large)
    for junk in ("a" * 65_536 + ":", "<" + "a" * 65_536, "'''" + "a" * 65_536,
                 '"' * 65_536, "_:" + "a." * 32_768, "?" * 65_536, " " * 65_536):
        started = time.perf_counter()
        try:
            inspect(junk)
        except QueryRefused:
            pass
        assert time.perf_counter() - started < 1.0, junk[:10]


def test_the_library_is_far_below_every_limit() -> None:
    """Every shipped query passes the guard with half of each limit to spare."""
    assert LIBRARY
    for path in LIBRARY:
        found = inspect(path.read_text(encoding="utf-8"), service_allow=[
            "https://query.wikidata.org/sparql", "http://127.0.0.1:8001/sparql"])
        limits = {"nesting": DEFAULT_LIMITS.nesting, "terms": DEFAULT_LIMITS.terms,
                  "operators": DEFAULT_LIMITS.operators,
                  "triple patterns": DEFAULT_LIMITS.triple_patterns,
                  "path steps": DEFAULT_LIMITS.path_steps,
                  **{k.lower(): v for k, v in DEFAULT_LIMITS.keywords.items()}}
        for name, value in found.counts.items():
            assert value <= limits[name] // 2, (path.name, name, value)


def test_limits_count_what_they_name() -> None:
    counts = inspect("PREFIX : <http://e/> SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s :p/:q|:r ?o ; "
                     ":t ?u, ?v . OPTIONAL { ?s :w ?w } FILTER(?u > 1 && ?v < 2) } GROUP BY ?s "
                     "ORDER BY DESC(?n)").counts
    assert counts["path steps"] == 2            # / and |
    assert counts["triple patterns"] == 3       # ; , .
    assert counts["optional"] == 1 and counts["filter"] == 1 and counts["as"] == 1
    assert counts["operators"] == 5             # / | > && <
    # Division in an expression is not a path step; a CONSTRUCT template's triples are not
    # patterns to join.
    counts = inspect("CONSTRUCT { ?s <p> ?a . ?s <q> ?b . ?s <r> ?c } WHERE { ?s <v> ?v "
                     "BIND(?v / 2 AS ?a) BIND(<f>(?v / 3) AS ?b) FILTER <g>(?v / 4) }").counts
    assert counts["path steps"] == 0 and counts["triple patterns"] == 0


# -- keywords glued to other text ------------------------------------------------------------------

@pytest.mark.parametrize("query", [
    "PREFIX : <http://127.0.0.1:9/> SELECT * { SERVICE:x {} }",
    "PREFIX : <http://127.0.0.1:9/> SELECT * { ?s ?p trueSERVICE:x {} }",
    "PREFIX : <http://127.0.0.1:9/> SELECT * { ?s ?p 1SERVICE<http://127.0.0.1:9/> {} }",
    "PREFIX : <http://127.0.0.1:9/> SELECT * { SERVICE SILENT:x {} }",
    "PREFIX service: <http://ok/> SELECT * { service:x ?p ?o }",
    "PREFIX : <http://e/> SELECT * FROM:x {}",
    "PREFIX : <http://e/> SELECT * FROMNAMED:x {}",
    "PREFIX : <http://e/> SELECT * FROM NAMED:x {}",
])
def test_keywords_glued_to_other_text_are_refused(query: str) -> None:
    """pyoxigraph reads `trueSERVICE:x` as `true SERVICE :x` (it calls :x); such text is refused
    rather than read one way here and another by the parser."""
    with pytest.raises(QueryRefused, match="joined to other text"):
        inspect(query, service_allow=["http://ok/sparql"])


def test_keywords_in_names_are_not_keywords() -> None:
    found = inspect("PREFIX ex: <http://e/> SELECT ?service ?from WHERE { ?s ex:SERVICE ?service ; "
                    "ex:fromage ?from }")
    assert found.services == () and not found.declares_dataset


# -- prefixes --------------------------------------------------------------------------------------

def test_predeclared_prefixes_resolve_and_a_query_own_prefix_wins() -> None:
    found = inspect("SELECT * { ?m a pg:Measure ; skos:notation ?n }")
    assert found.prefixes == {} and found.used_prefixes == {"pg", "skos"}
    assert found.output_prefixes(PREFIXES) == {"pg": PREFIXES["pg"], "skos": PREFIXES["skos"]}
    own = inspect("PREFIX pg: <http://example.org/mine#> SELECT * { ?m a pg:Measure }")
    assert own.output_prefixes(PREFIXES) == {"pg": "http://example.org/mine#"}
    # A predeclared prefix is resolved for the SERVICE check too.
    with pytest.raises(QueryRefused, match=f"SERVICE <{PREFIXES['dct']}x> is not allowed"):
        inspect("SELECT * { SERVICE dct:x {} }")
    assert inspect("SELECT * { SERVICE dct:x {} }",
                   service_allow=[PREFIXES["dct"] + "x"]).services == (PREFIXES["dct"] + "x",)


def test_an_unknown_prefix_is_named_with_its_prefix_line() -> None:
    with pytest.raises(UnknownPrefix) as refused:
        inspect("SELECT * WHERE {\n  ?s schema:name ?n\n}")
    assert str(refused.value) == ("unknown prefix `schema:` (line 2, column 6): declare it with a "
                                  "PREFIX line at the top of the query: "
                                  "PREFIX schema: <http://schema.org/>")
    with pytest.raises(UnknownPrefix, match=r"unknown prefix `mine:` \(line 1, column 12\)"):
        inspect("SELECT * { mine:a ?p ?o }")
    # Blank node labels are not prefixed names.
    assert inspect("SELECT * { _:b1 ?p ?o }").used_prefixes == frozenset()


# -- the normalised query (the cache's key) --------------------------------------------------------

def test_comments_and_white_space_do_not_make_another_query() -> None:
    a = inspect("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")
    b = inspect("# the same\nSELECT   ?s\nWHERE {\n  ?s ?p ?o # any\n}\tLIMIT 1\n")
    assert a.normalized == b.normalized == "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
    assert inspect('SELECT ?s WHERE { ?s ?p "a  #b" }').normalized.endswith('"a  #b" }')
    assert inspect("SELECT ?s WHERE { ?s ?p ?o } LIMIT 2").normalized != a.normalized
    # Where the query has no space, none is added.
    assert inspect("SELECT*{?s ?p ?o}").normalized == "SELECT*{?s ?p ?o}"


# -- short syntax errors ---------------------------------------------------------------------------

def parser_error(query: str) -> str:
    with pytest.raises(SyntaxError) as e:
        ox.Store().query(query)
    return str(e.value)


@pytest.mark.parametrize("query, expected", [
    ("ASK {", "syntax error: the `{` at line 1, column 5 is never closed: add a `}`"),
    ("SELECT * { ?s ?p ?o ) }", "syntax error: the `)` at line 1, column 21 closes nothing"),
    ("PREFIX pg: <https://w3id.org/plangraph/ontology#>\nSELECT * WHERE {\n ?s a pg:Measure ;\n"
     "  skos:notation ?n .\n}",
     "unknown prefix `skos:` (line 4, column 16): declare it at the top of the query: "
     "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>"),
])
def test_syntax_errors_are_short_and_say_what_to_do(query: str, expected: str) -> None:
    raw = parser_error(query)
    assert short_syntax_error(raw, query) == expected


def test_other_syntax_errors_give_the_place_and_a_few_expected_terminals() -> None:
    query = "SELECT * WHERE { ?s <http://x> ?o . FILTER(?o = ) }"
    raw = parser_error(query)
    assert len(raw) > 140
    message = short_syntax_error(raw, query)
    assert message.startswith("syntax error at line 1, column ")
    assert "(or " in message and "more)" in message and "\\u{" not in message
    assert len(message) < 200
