"""The query library on a store holding two versions of the plan: the seed (2014-04-15) and a later
synthetic version (bench/synthetic.py, plan 0: the seed's text with the marker 〔樣本0〕 written
into every measure and target cell, its errata applied in the text, dated 2015-01-01).

A question about the plan as it stands answers for the current version (dcat:hasCurrentVersion, the
later one): exactly what the seed alone answers, since the two versions differ only by the marker
in their texts, by their dates and by the seed's errata record; not the sum of both versions. The
one-version answers are those tests/test_queries.py checks against the document, read by hand;
the counts below are written out again from that reading (HAND). A question about history
(plan-as-of-date, the 2014 amendment, the errata) picks its version by date.
"""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest
from synthetic import generate, marker, version_date

from plangraph.querying.store import open_store

from .conftest import PROJECT, SEED, run_cli
from .test_queries import AAC, ALL, HAND, MJIB, MOJ, assignees, pairs, split, value

QUERIES = PROJECT / "queries"
BASE = "https://w3id.org/plangraph/id/"
SEED_DATE = "2014-04-15"                  # data/plan-2014-04-15.meta.toml, [version_date]
LATER = version_date(0)                   # 2015-01-01: plan i is dated 2015-01-01 plus i days
MARK = marker(0)                          # 〔樣本0〕
PREFIXES = ("PREFIX pg: <https://w3id.org/plangraph/ontology#>\n"
            "PREFIX dcat: <http://www.w3.org/ns/dcat#>\n")

# Lists in a cell (GROUP_CONCAT) come in no particular order: compared as sets.
LISTS = {"keys": " ", "areas": " ", "foundIn": ",", "partnerRoles": ",", "lines": ",",
         "nodes": " ", "targets": " | "}

# Every query of the library answers on the two versions as on the seed alone, but these two, and
# one row of EXTRA.
DIFFERENT = {
    # it reads the source document: the synthetic one has another file name and checksum
    "measure-source.rq",
    # every synthetic target carries 〔樣本0〕, and a digit makes a target quantitative by the
    # query's own rule ([0-9０-９]): the current version has no report-only measure
    "report-only-measures.rq",
}
# Where the later document itself says something else. Line 31 ends its measure cell with 各機關政 and
# line 33 goes on 風機構 after the page break; plan 0 writes its marker at the end of line 31's cell,
# so its measure 1.1.6.1 reads 各機關政〔樣本0〕風機構: its text names 各機關, not among the measure's
# assignees (line 31), where the seed's names 各機關政風機構, which is.
EXTRA = {
    "agencies-named-not-assigned.rq":
        [(("key", "1.1.6.1"), ("name", ALL), ("foundIn", frozenset({"measure"})))],
}
ALL_QUERIES = sorted(p.relative_to(QUERIES).as_posix() for p in QUERIES.rglob("*.rq"))


@pytest.fixture(scope="module")
def two(tmp_path_factory) -> ox.Store:
    tmp = tmp_path_factory.mktemp("two-versions")
    (later,) = generate(1, tmp / "src", start=0)
    out = tmp / "build"
    run_cli("build", "--source", str(SEED), str(later), "--out", str(out))
    return ox.Store.read_only(str(out / "store"))


@pytest.fixture(scope="module")
def one(built) -> ox.Store:
    return open_store(built.store_path)


def run(store: ox.Store, name: str, *, replace: tuple[str, str] | None = None):
    query = (QUERIES / name).read_text(encoding="utf-8")
    if replace is not None:
        assert replace[0] in query, f"{name} no longer holds {replace[0]!r}"
        query = query.replace(*replace)
    return store.query(query, use_default_graph_as_union=True)


def rows(store: ox.Store, name: str, **kw) -> list[dict]:
    result = run(store, name, **kw)
    names = [v.value for v in result.variables]
    return [{n: value(r[n]) for n in names} for r in result]


def same(v):
    """A value of the later version as the seed's: without the marker, dated as the seed."""
    if isinstance(v, str):
        return v.replace(MARK, "").replace(LATER, SEED_DATE)
    return v


def comparable(store: ox.Store, name: str) -> Counter:
    """The answer as a multiset of rows (a row twice counts twice), lists as sets."""
    result = run(store, name)
    if isinstance(result, ox.QueryTriples):
        return Counter((same(t.subject.value), t.predicate.value, same(t.object.value))
                       for t in result)
    names = [v.value for v in result.variables]
    out = Counter()
    for r in result:
        row = []
        for n in names:
            v = same(value(r[n]))
            if isinstance(v, str) and (n in LISTS or "；" in v):
                v = frozenset(split(v, LISTS.get(n, "；")))
            row.append((n, v))
        out[tuple(row)] += 1
    return out


# ------------------------------------------------------------------------------------------------
# The plan names its versions
# ------------------------------------------------------------------------------------------------

def test_the_plan_names_its_current_version_and_the_chain(two):
    def ask(query):
        return [tuple(t.value for t in r) for r in two.query(PREFIXES + query,
                                                              use_default_graph_as_union=True)]
    assert ask("SELECT ?v WHERE { ?p a pg:Plan ; dcat:hasCurrentVersion ?v }") == \
        [(f"{BASE}plan/{LATER}",)]
    assert sorted(ask("SELECT ?v WHERE { ?p a pg:Plan ; dcat:hasVersion ?v }")) == \
        [(f"{BASE}plan/{SEED_DATE}",), (f"{BASE}plan/{LATER}",)]
    assert ask("SELECT ?a ?b WHERE { ?a dcat:previousVersion ?b }") == \
        [(f"{BASE}plan/{LATER}", f"{BASE}plan/{SEED_DATE}")]


def test_one_version_is_its_own_current_version(one):
    assert [r["v"].value for r in one.query(
        PREFIXES + "SELECT ?v WHERE { ?p a pg:Plan ; dcat:hasCurrentVersion ?v }",
        use_default_graph_as_union=True)] == [f"{BASE}plan/{SEED_DATE}"]


# ------------------------------------------------------------------------------------------------
# Every query: as on the current version alone
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [n for n in ALL_QUERIES if n not in DIFFERENT])
def test_query_answers_as_on_one_version(one, two, name):
    assert comparable(two, name) == comparable(one, name) + Counter(EXTRA.get(name, []))


def test_the_exceptions_answer_for_the_current_version(two):
    (row,) = rows(two, "measure-source.rq")
    assert row["file"] == "plan-0000.txt" and split(row["lines"], ",") == {"18", "20"}
    assert MARK in row["sourceText"]
    assert rows(two, "report-only-measures.rq") == []


# ------------------------------------------------------------------------------------------------
# The plan as it stands, checked against the reading by hand
# ------------------------------------------------------------------------------------------------

def test_measures_per_agency_counts_one_version(two):
    got = {r["name"]: (r["measures"], r["asLead"], r["asCooperating"])
           for r in rows(two, "measures-per-agency.rq")}
    assert got == {name: (len(k["lead"] | k["coop"]), len(k["lead"]), len(k["coop"]))
                   for name, k in assignees().items()}
    assert (got[AAC][0], got[ALL][0], got[MJIB][0], got[MOJ][0]) == (31, 34, 17, 15)
    assert sum(m for m, _, _ in got.values()) == 215                  # not 430


def test_measures_by_area_counts_one_version(two):
    found = rows(two, "measures-by-area.rq")
    assert sum(r["measures"] for r in found) == len(HAND) == 91
    assert sum(r["targets"] for r in found) == 94
    assert sum(r["strategies"] for r in found) == 48


def test_co_assignment_pairs_of_one_version(two):
    got = {frozenset((r["nameA"], r["nameB"])): split(r["keys"], " ")
           for r in rows(two, "co-assignment-pairs.rq")}
    assert got == pairs() and len(got) == 135


def test_agency_partners_of_one_version(two):
    found = rows(two, "agency-partners.rq")
    assert found[0]["partnerName"] == MJIB and found[0]["shared"] == 16


@pytest.mark.parametrize("name, keys", [
    ("search-procurement.rq", {"1.1.5.1", "1.2.4.3", "6.0.1.1", "6.0.2.1"}),   # lines 21 … 138
    ("search-money-laundering.rq", {"1.1.5.4", "8.0.3.2"}),                  # lines 24, 158
])
def test_search_reads_the_current_texts(two, name, keys):
    found = rows(two, name)
    assert {r["key"] for r in found} == keys and len(found) == len(keys)
    assert all(MARK in r["text"] for r in found)                        # the later version's


def test_measure_by_key_is_the_current_measure(two):
    assert {r["measure"] for r in rows(two, "measure-by-key.rq")} == \
        {f"{BASE}plan/{LATER}/measure/1.1.5.8"}


# ------------------------------------------------------------------------------------------------
# History: each question picks its version by date
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("day, version", [
    ("2014-12-31", SEED_DATE),       # between the two: the seed is in force
    (LATER, LATER),                  # the later version's own date
    ("2099-01-01", LATER),           # after the last: the current version
    ("2014-01-01", None),            # before the first: nothing
])
def test_plan_as_of_date_picks_the_version_in_force(two, day, version):
    found = rows(two, "plan-as-of-date.rq", replace=("2015-01-01", day))
    if version is None:
        assert found == []
        return
    assert {r["versionDate"] for r in found} == {version}
    assert len(found) == 91                                             # HAND
    assert all((MARK in r["text"]) == (version == LATER) for r in found)
    assert {r["key"]: r["agencies"] for r in found}["1.1.5.8"] == AAC     # line 29


def test_the_2014_amendment_is_the_seeds(two):
    # the seed's underlined spans (lines 102-104, 125, 129, 156), not the later version's copies
    found = rows(two, "amendment-spans.rq")
    assert len(found) == 8 and not any(MARK in r["spanText"] for r in found)
    by_area = rows(two, "amendment-by-area.rq")
    assert [(r["areaNumber"], r["measures"], r["amended"]) for r in by_area] == \
        [(3, 11, 3), (5, 6, 2), (8, 6, 1)]


def test_errata_are_the_seeds(two):
    # the seed's line 152 was corrected at build time; the synthetic text has the tab already
    assert [(r["versionDate"], r["line"]) for r in rows(two, "errata-corrections.rq")] == \
        [(SEED_DATE, 152)]
