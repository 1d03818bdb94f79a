"""`plangraph export measures`: one record per measure, read by SPARQL from the built store."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox

from .store import union_query

PREFIX = "PREFIX pg: <https://w3id.org/plangraph/ontology#>\n"

MEASURES = PREFIX + """
SELECT ?m ?key ?text ?amended WHERE {
  ?m a pg:Measure ; pg:key ?key ; pg:text ?text ; pg:amended ?amended .
}"""
TARGETS = PREFIX + """
SELECT ?m ?n ?text WHERE { ?m pg:hasTarget ?t . ?t pg:number ?n ; pg:text ?text . }"""
ASSIGNMENTS = PREFIX + """
SELECT ?m ?pos ?name ?role WHERE {
  ?m pg:qualifiedAssignment ?a . ?a pg:position ?pos ; pg:nameAsWritten ?name ; pg:role ?role .
}"""
MENTIONS = PREFIX + """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?m ?kind ?name WHERE {
  ?m a pg:Measure .
  { ?m ?p ?e } UNION { ?m pg:hasTarget ?t . ?t ?p ?e }
  VALUES (?p ?kind) { (pg:mentionsInstrument "instruments") (pg:mentionsBody "bodies") }
  ?e skos:prefLabel ?name .
}"""
LINES = PREFIX + """
SELECT DISTINCT ?m ?line WHERE {
  ?m a pg:Measure .
  { ?m pg:sourceLine ?line } UNION { ?m pg:hasTarget/pg:sourceLine ?line }
}"""

FIELDS = ["key", "text", "targets", "agencies", "cooperating", "instruments", "bodies", "amended",
          "lines", "iri"]


def _key_order(key: str) -> tuple[int, ...]:
    return tuple(int(p) for p in key.split("."))


def measures(store: ox.Store) -> list[dict[str, Any]]:
    records: dict[str, dict[str, Any]] = {}
    for row in union_query(store, MEASURES):
        iri = row["m"].value
        records[iri] = {"key": row["key"].value, "text": row["text"].value, "targets": [],
                        "agencies": [], "cooperating": [], "instruments": [], "bodies": [],
                        "amended": row["amended"].value == "true", "lines": [], "iri": iri}
    ordered: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in union_query(store, TARGETS):
        ordered[row["m"].value].append((int(row["n"].value), "targets", row["text"].value))
    for row in union_query(store, ASSIGNMENTS):
        field = "cooperating" if row["role"].value.endswith("Cooperating") else "agencies"
        ordered[row["m"].value].append((int(row["pos"].value), field, row["name"].value))
    for row in union_query(store, MENTIONS):
        ordered[row["m"].value].append((row["name"].value, row["kind"].value, row["name"].value))
    for row in union_query(store, LINES):
        ordered[row["m"].value].append((int(row["line"].value), "lines", int(row["line"].value)))
    for iri, items in ordered.items():
        for _, field, value in sorted(items, key=lambda i: (i[1], i[0])):
            records[iri][field].append(value)
    return sorted(records.values(), key=lambda r: _key_order(r["key"]))


def to_jsonl(records: list[dict[str, Any]]) -> Iterator[str]:
    for r in records:
        yield json.dumps({k: r[k] for k in FIELDS}, ensure_ascii=False) + "\n"


def to_csv(records: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(FIELDS)
    for r in records:
        w.writerow([" | ".join(map(str, r[k])) if isinstance(r[k], list)
                    else str(r[k]).lower() if isinstance(r[k], bool) else r[k] for k in FIELDS])
    return buf.getvalue()
