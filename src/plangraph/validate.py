"""SHACL validation with pyshacl, and a report a person can read: which node, which rule, which line."""

from __future__ import annotations

from dataclasses import dataclass

from pyshacl import validate as shacl_validate
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH

from .config import Settings, read_turtle
from .errors import ValidationFailed
from .namespaces import PG


@dataclass
class Violation:
    focus: str
    key: str | None
    shape: str
    path: str | None
    value: str | None
    message: str
    lines: list[int]

    def __str__(self) -> str:
        where = f"{self.key} " if self.key else ""
        line = f" (line {', '.join(map(str, self.lines))})" if self.lines else ""
        path = f" [{self.path}]" if self.path else ""
        value = f" value {self.value}" if self.value else ""
        return f"{where}<{self.focus}>{line}: {self.message}{path}{value}  — {self.shape}"


def run_shacl(data: Graph, shapes: Graph) -> tuple[bool, list[Violation]]:
    conforms, report, _ = shacl_validate(data, shacl_graph=shapes, inference="none",
                                         advanced=True, allow_warnings=True)
    violations = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        focus = report.value(result, SH.focusNode)
        key = data.value(focus, PG.key)
        lines = sorted(int(n) for n in data.objects(focus, PG.sourceLine))
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        violations.append(Violation(
            str(focus), str(key) if key else None,
            _short(report.value(result, SH.sourceShape)),
            _short(path) if path is not None else None,
            str(value) if value is not None else None,
            str(report.value(result, SH.resultMessage) or "violation"), lines))
    violations.sort(key=lambda v: (v.lines[:1] or [0], v.focus, v.shape))
    return conforms or not violations, violations


def _short(node: object) -> str:
    s = str(node)
    for prefix, ns in (("pgsh:", "https://w3id.org/plangraph/shapes#"), ("pg:", str(PG._NS))):
        if s.startswith(ns):
            return prefix + s[len(ns):]
    return s


def union(graphs: dict[URIRef, Graph], settings: Settings) -> Graph:
    """The data graphs together: every version and the registry (not the ontology)."""
    from .graph import Iris

    ontology = Iris(settings.base).ontology_graph()
    data = Graph()
    for name, g in graphs.items():
        if name != ontology:
            data += g
    return data


def validate_graphs(graphs: dict[URIRef, Graph], settings: Settings) -> list[Violation]:
    shapes = read_turtle(settings.shapes, "the SHACL shapes")
    conforms, violations = run_shacl(union(graphs, settings), shapes)
    if not conforms:
        raise ValidationFailed("\n".join(map(str, violations)), len(violations))
    return violations
