"""`plangraph build` and `plangraph export`: what the real command writes, read back."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os

import pyoxigraph as ox

from plangraph.build.folder import MANIFEST, NQUADS, NTRIPLES, TURTLE

from .conftest import PROJECT, run_cli

PG = "https://w3id.org/plangraph/ontology#"
BASE = "https://w3id.org/plangraph/id/"


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_two_builds_give_identical_bytes(tmp_path, built):
    """Different hash seeds too: nothing may depend on set or dict order."""
    other = tmp_path / "again"
    run_cli("build", "--out", str(other), env={**os.environ, "PYTHONHASHSEED": "12345"})
    for name in (TURTLE, NTRIPLES, NQUADS, "plangraph.jsonld", MANIFEST):
        assert digest(built.out / name) == digest(other / name), name


def test_summary_counts_each_kind(built):
    counts = json.loads((built.out / MANIFEST).read_text())["counts"]
    assert counts["Measure"] == 91
    assert counts["Strategy"] == 48
    assert counts["Area"] == 8 and counts["SubArea"] == 2 and counts["Clause"] == 5
    assert counts["Correction"] == 1


def test_store_has_one_named_graph_per_version_and_the_registry(built):
    store = ox.Store.read_only(str(built.out / "store"))
    graphs = {g.value for g in store.named_graphs()}
    assert graphs == {BASE + "graph/plan", BASE + "graph/plan/2014-04-15", BASE + "graph/registry",
                      BASE + "graph/ontology", BASE + "graph/catalog"}


def test_turtle_dump_parses_and_holds_the_measures(built):
    from rdflib import Graph, URIRef
    g = Graph().parse(built.out / TURTLE, format="turtle")
    measures = set(g.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                              URIRef(PG + "Measure")))
    assert len(measures) == 91


def test_export_measures_jsonl_matches_the_document(built, expected, registry):
    proc = run_cli("export", "measures", "--format", "jsonl", "--out", str(built.out))
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["key"] for r in records] == [m["key"] for m in expected["measures"]]
    for r, exp in zip(records, expected["measures"], strict=True):
        for field in ("text", "targets", "agencies", "cooperating", "amended", "lines"):
            assert r[field] == exp[field], (exp["key"], field)
        want = sorted(registry.resolve(n, ["instrument"]).name for n in exp["instruments"])
        assert sorted(r["instruments"]) == want, exp["key"]
        assert r["iri"] == f"{BASE}plan/2014-04-15/measure/{exp['key']}"


def test_export_names_bodies(built):
    proc = run_cli("export", "measures", "--out", str(built.out))
    by_key = {r["key"]: r for r in map(json.loads, proc.stdout.splitlines())}
    assert by_key["1.1.5.8"]["bodies"] == ["廉政查緝隊"]              # line 29
    assert "廉政政策研究小組" in by_key["1.1.3.1"]["bodies"]           # line 13
    assert by_key["1.1.6.2"]["instruments"] == ["吹哨者保護法"]        # line 34


def test_export_measures_csv(built):
    proc = run_cli("export", "measures", "--format", "csv", "--out", str(built.out))
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert len(rows) == 91
    row = next(r for r in rows if r["key"] == "2.0.1.1")
    assert row["agencies"] == "行政院人事行政總處" and row["cooperating"] == "考試院"  # line 71
    assert row["amended"] == "false"


def test_export_without_a_build_is_a_clear_error(tmp_path):
    proc = run_cli("export", "measures", "--out", str(tmp_path / "nothing"), check=False)
    assert proc.returncode == 2
    assert "run `plangraph build` first" in proc.stderr and "Traceback" not in proc.stderr


def test_readme_counts_match_the_build(built):
    """The README's table of what is in the graph cannot drift from the build."""

    counts = json.loads((built.out / MANIFEST).read_text())["counts"]
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    rows = {
        "areas (一…八), sub-areas ((一)肅貪, (二)防貪)": f"{counts['Area']}, {counts['SubArea']}",
        "strategies / measures / targets":
            f"{counts['Strategy']} / {counts['Measure']} / {counts['Target']}",
        "agency assignments (lead and cooperating)": str(counts["Assignment"]),
        "clauses of point 陸": str(counts["Clause"]),
        "agencies / collective assignees / named bodies / instruments in the registry":
            f"{counts['Agency']} / {counts['CollectiveAgency']} / {counts['Body']} / "
            f"{counts['Instrument']}",
    }
    for label, value in rows.items():
        assert f"| {label} | {value} |" in readme, label


def test_a_graph_that_breaks_a_shape_is_not_written(tmp_path, built):
    """The validator runs beside the writer; a violation discards what was written."""
    import pytest

    from plangraph.build.pipeline import build
    from plangraph.config import Settings
    from plangraph.errors import ValidationFailed

    strict = tmp_path / "strict.ttl"
    strict.write_text("""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix pg: <https://w3id.org/plangraph/ontology#> .
        <urn:x:EveryMeasureTwoTargets> a sh:PropertyShape ;
            sh:targetClass pg:Measure ; sh:path pg:hasTarget ; sh:minCount 2 ;
            sh:message "at least two targets" .
    """, encoding="utf-8")
    settings = Settings()
    settings.shapes = strict
    out = tmp_path / "out"
    with pytest.raises(ValidationFailed) as failed:
        build(settings.default_sources(), settings, out)
    # 94 targets for 91 measures: most measures have one (read from the document)
    assert failed.value.count >= 85 and "1.1.5.8" in failed.value.report
    assert not out.exists() and not list(tmp_path.glob(".out.building-*"))


def test_validate_checks_the_build_and_names_a_violation(built, tmp_path):
    """`plangraph validate` on a build: conforms; then, with a measure given a second number in
    the dump, exit 1 and a report naming the measure's key and the rule it breaks."""
    import shutil

    out = tmp_path / "out"
    shutil.copytree(built.out, out)
    proc = run_cli("validate", "--out", str(out))
    lines = (out / "plangraph.nt").read_text(encoding="utf-8").count("\n")
    assert proc.stdout.strip() == f"conforms: {lines} triples checked against shapes.ttl"

    measure = "https://w3id.org/plangraph/id/plan/2014-04-15/measure/1.1.1.1"
    with (out / "plangraph.nt").open("a", encoding="utf-8") as fh:
        fh.write(f'<{measure}> <https://w3id.org/plangraph/ontology#number> '
                 '"99"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')
    proc = run_cli("validate", "--out", str(out), check=False)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith("does not conform:")
    assert f"1.1.1.1 <{measure}> (line 10)" in proc.stdout          # key and source line
    assert "[pg:number]  — pgsh:NodeNumber" in proc.stdout             # exactly one number

    (out / "plangraph.nt").write_text("<not an IRI\n", encoding="utf-8")
    proc = run_cli("validate", "--out", str(out), check=False)
    assert proc.returncode == 2 and "could not run validation" in proc.stderr
    assert "Traceback" not in proc.stderr
