"""SHACL validation, and a report a person can read: which node, which rule, which source line.

Core constraints run in pyshacl. SPARQL-based constraints (sh:sparql) run in pyoxigraph, each ONE
query over the whole graph: the constraint's SELECT with the shape's targets joined first inside
its WHERE, binding $this. pyshacl would run them once per focus node through rdflib's SPARQL
engine (about 150 s on the seed, against well under a second here). The rows are the same for
constraints that are plain SELECTs correlated on $this, as every one in ontology/shapes.ttl is;
tests/test_shapes.py shows each shape firing on its mutation case, exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from .errors import ConfigError
from .namespaces import PG
from .ntriples import quad_lines, term

SHAPES_NS = "https://w3id.org/plangraph/shapes#"


@dataclass(frozen=True)
class Violation:
    focus: str
    key: str | None
    shape: str
    path: str | None
    value: str | None
    message: str
    lines: tuple[int, ...]

    def __str__(self) -> str:
        where = f"{self.key} " if self.key else ""
        line = f" (line {', '.join(map(str, self.lines))})" if self.lines else ""
        path = f" [{self.path}]" if self.path else ""
        value = f" value {self.value}" if self.value else ""
        return f"{where}<{self.focus}>{line}: {self.message}{path}{value}  — {self.shape}"


@dataclass(frozen=True)
class SparqlConstraint:
    shape: URIRef
    query: str           # runs over the whole data graph; ?this is the focus node
    message: str | None


def short(node: object) -> str:
    s = str(node)
    for prefix, ns in (("pgsh:", SHAPES_NS), ("pg:", str(PG._NS))):
        if s.startswith(ns):
            return prefix + s[len(ns):]
    return s


# SHACL Core components simple enough to state as one whole-graph SPARQL query each; the others
# (sh:and, sh:xone, sh:not, qualified shapes, sh:lessThan …) stay with pyshacl.
_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
_CASTABLE = {XSD[t] for t in ("integer", "decimal", "double", "float", "boolean", "date",
                              "dateTime")}
_NODE_KINDS = {SH.IRI: "!isIRI(?value)", SH.Literal: "!isLiteral(?value)",
               SH.BlankNode: "!isBlank(?value)", SH.BlankNodeOrIRI: "isLiteral(?value)",
               SH.IRIOrLiteral: "isBlank(?value)", SH.BlankNodeOrLiteral: "isIRI(?value)"}
_COMPARISONS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">",
                SH.maxExclusive: "<"}


def _violates(shapes: Graph, p: URIRef, o: object) -> str | None:
    """A SPARQL expression true when ?value breaks the component (p, o); None: not compiled."""
    if p == SH["class"]:
        return f"NOT EXISTS {{ ?value <{RDF.type}>/{_SUBCLASS}* <{o}> }}"
    if p == SH.datatype:
        ill_typed = (f" || !COALESCE(sameTerm(datatype(<{o}>(?value)), <{o}>), false)"
                     if o in _CASTABLE else "")
        return f"(!isLiteral(?value) || datatype(?value) != <{o}>{ill_typed})"
    if p == SH.nodeKind:
        return _NODE_KINDS.get(o)
    if p == SH["in"]:
        values = " ".join(term(v) for v in Collection(shapes, o))
        return f"NOT EXISTS {{ VALUES ?__in {{ {values} }} FILTER (sameTerm(?value, ?__in)) }}"
    if p == SH.pattern:
        flags = shapes.value(next(iter(shapes.subjects(SH.pattern, o))), SH.flags) or ""
        return f"(isBlank(?value) || !REGEX(STR(?value), {term(Literal(str(o)))}, " \
               f"{term(Literal(str(flags)))}))"
    if p == SH.languageIn:
        tags = " || ".join(f"langMatches(lang(?value), {term(Literal(str(t)))})"
                           for t in Collection(shapes, o))
        return f"(!isLiteral(?value) || !({tags or 'false'}))"
    if p in _COMPARISONS:
        return f"!COALESCE(?value {_COMPARISONS[p]} {term(o)}, false)"
    if p == SH.minLength:
        return f"(isBlank(?value) || STRLEN(STR(?value)) < {int(o)})"
    if p == SH.maxLength:
        return f"(isBlank(?value) || STRLEN(STR(?value)) > {int(o)})"
    if p == SH["or"]:
        # each member a shape with a single compilable component: broken when all are
        members = []
        for member in Collection(shapes, o):
            parts = [(mp, mo) for mp, mo in shapes.predicate_objects(member) if mp != RDF.type]
            cond = _violates(shapes, *parts[0]) if len(parts) == 1 else None
            if cond is None:
                return None
            members.append(f"({cond})")
        return " && ".join(members) if members else None
    return None


def _value_step(shapes: Graph, shape: URIRef) -> str | None:
    """Binds ?value: the path's values for a property shape, the focus node for a node shape."""
    path = shapes.value(shape, SH.path)
    if path is None:
        return "BIND (?this AS ?value)"
    if isinstance(path, URIRef):
        return f"?this <{path}> ?value ."
    inverse = shapes.value(path, SH.inversePath)
    if isinstance(inverse, URIRef):
        return f"?value <{inverse}> ?this ."
    return None


def _compile_core(shapes: Graph, shape: URIRef, prefixes: str) -> tuple[list[str], list[tuple]]:
    """Queries for the compilable components of a shape, and the triples they replace."""
    step = _value_step(shapes, shape)
    if step is None:
        return [], []
    queries, done = [], []
    target = _targets(shapes, shape)
    path = shapes.value(shape, SH.path)
    count = (f"{{ SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {step} }} "
             "GROUP BY ?this }")
    for p, o in list(shapes.predicate_objects(shape)):
        if path is not None and p == SH.minCount:
            queries.append(f"SELECT ?this WHERE {{ {{ {target} }} OPTIONAL {count} "
                           f"FILTER (COALESCE(?n, 0) < {int(o)}) }}")
        elif path is not None and p == SH.maxCount:
            queries.append(f"SELECT ?this WHERE {{ {{ {target} }} {count} FILTER (?n > {int(o)}) }}")
        elif path is not None and p == SH.uniqueLang and o == Literal(True):
            queries.append(f"SELECT DISTINCT ?this WHERE {{ {{ {target} }} {step} "
                           f"{step.replace('?value', '?other')} FILTER (lang(?value) != '' && "
                           "lang(?value) = lang(?other) && !sameTerm(?value, ?other)) }")
        else:
            cond = _violates(shapes, p, o)
            if cond is None:
                continue
            queries.append(f"SELECT ?this ?value WHERE {{ {{ {target} }} {step} FILTER ({cond}) }}")
        done.append((shape, p, o))
    return [prefixes + q for q in queries], done


def split_shapes(shapes: Graph) -> tuple[Graph, list[SparqlConstraint]]:
    """(what is left for pyshacl, every constraint that runs as one whole-graph query)."""
    core = Graph()
    for t in shapes:
        if t[1] != SH.sparql:
            core.add(t)
    # every prefix the shapes declare (sh:declare), for constraints and targets alike
    prefixes = "".join(sorted({
        f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
        for d in shapes.objects(None, SH.declare)}))
    constraints = []
    for shape, constraint in shapes.subject_objects(SH.sparql):
        if shapes.value(constraint, SH.deactivated) == Literal(True):
            continue
        select = str(shapes.value(constraint, SH.select))
        body = re.sub(r"\$this\b", "?this", select)
        # The focus nodes go first inside the constraint's own WHERE: joined there, ?this is
        # bound before an OPTIONAL or FILTER of the constraint is evaluated, as SHACL's
        # pre-binding of $this has it (joined afterwards, OPTIONAL { $this p ?v } would lose the
        # focus nodes that have no p).
        brace = body.index("{")
        query = (f"{prefixes}{body[:brace + 1]}\n  {{ {_targets(shapes, shape)} }}\n"
                 f"{body[brace + 1:]}")
        message = shapes.value(constraint, SH.message) or shapes.value(shape, SH.message)
        constraints.append(SparqlConstraint(shape, query, str(message) if message else None))
    targeting = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target)
    for shape in {s for t in targeting for s in shapes.subjects(t, None)}:
        # only shapes with targets of their own: a property shape inside sh:or, sh:node … is
        # evaluated in its parent's context, which pyshacl keeps
        if shapes.value(shape, SH.deactivated) == Literal(True) or not any(
                shapes.value(shape, t) is not None for t in targeting):
            continue
        queries, done = _compile_core(shapes, shape, prefixes)
        message = shapes.value(shape, SH.message)
        for q in queries:
            constraints.append(SparqlConstraint(shape, q, str(message) if message else None))
        for t in done:
            core.remove(t)
    # a shape left with no core component has nothing for pyshacl to check
    for kind in (SH.NodeShape, SH.PropertyShape):
        for shape in list(core.subjects(RDF.type, kind)):
            if not any(p in _CORE_COMPONENTS for p in core.predicates(shape, None)):
                core.remove((shape, None, None))
    return core, constraints


# the constraint parameters of SHACL Core (a shape without any has nothing to check)
_CORE_COMPONENTS = {SH[n] for n in (
    "class datatype nodeKind minCount maxCount minExclusive minInclusive maxExclusive "
    "maxInclusive minLength maxLength pattern languageIn uniqueLang equals disjoint lessThan "
    "lessThanOrEquals not and or xone node property qualifiedValueShape closed hasValue in"
).split()}


def shapes_subset(shapes: Graph, keep: list[URIRef]) -> Graph:
    """Only the shapes `keep`, each with everything it says (its blank nodes, its property
    shapes), and the prefix declarations its SPARQL needs."""
    out = Graph()
    todo = list(keep) + list(shapes.subjects(SH.declare, None))
    seen: set = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in shapes.predicate_objects(node):
            out.add((node, p, o))
            if isinstance(o, BNode) or p in (SH.property, SH.node, SH.declare):
                todo.append(o)
    return out


def _targets(shapes: Graph, shape: URIRef) -> str:
    """A graph pattern binding ?this to every focus node of `shape`."""
    parts = []
    classes = list(shapes.objects(shape, SH.targetClass))
    if classes:
        parts.append("VALUES ?__class { " + " ".join(f"<{c}>" for c in classes) + " } "
                     "?this a ?__class .")
    for p in shapes.objects(shape, SH.targetSubjectsOf):
        parts.append(f"?this <{p}> [] .")
    for p in shapes.objects(shape, SH.targetObjectsOf):
        parts.append(f"[] <{p}> ?this .")
    nodes = list(shapes.objects(shape, SH.targetNode))
    if nodes:
        parts.append("VALUES ?this { " + " ".join(f"<{n}>" for n in nodes) + " }")
    for target in shapes.objects(shape, SH.target):      # SHACL-AF SPARQL-based targets
        select = shapes.value(target, SH.select)
        if select is None:
            raise ConfigError(f"shape {shape}: only SPARQL-based custom targets are supported")
        parts.append(f"{{ {select} }}")
    if not parts:
        raise ConfigError(f"shape {shape} has a SPARQL constraint but no target")
    return " UNION ".join(f"{{ {p} }}" for p in parts)


def _fill(message: str, row: ox.QuerySolution) -> str:
    def value(m: re.Match[str]) -> str:
        term = row[m.group(1)]
        return term.value if term is not None else m.group(0)
    return re.sub(r"\{[?$](\w+)\}", value, message)


def run_sparql_constraints(store: ox.Store, constraints: list[SparqlConstraint]) -> list[dict]:
    results = []
    for c in constraints:
        solutions = store.query(c.query)
        has_value = "value" in {v.value for v in solutions.variables}
        for row in solutions:
            value = row["value"] if has_value else None
            results.append({"focus": row["this"].value, "shape": short(c.shape), "path": None,
                            "value": value.value if value is not None else None,
                            "message": _fill(c.message, row) if c.message else "violation"})
    return results


def run_core(data: Graph, core: Graph) -> list[dict]:
    if not _has_shapes(core):
        return []
    from pyshacl import validate as shacl_validate  # only when a shape is left for it

    _, report, _ = shacl_validate(data, shacl_graph=core, inference="none", advanced=False,
                                  allow_warnings=True)
    results = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        path, value = report.value(result, SH.resultPath), report.value(result, SH.value)
        results.append({"focus": str(report.value(result, SH.focusNode)),
                        "shape": short(report.value(result, SH.sourceShape)),
                        "path": short(path) if path is not None else None,
                        "value": str(value) if value is not None else None,
                        "message": str(report.value(result, SH.resultMessage) or "violation")})
    return results


def to_store(data: Graph) -> ox.Store:
    store = ox.Store()
    store.bulk_load("".join(quad_lines([(None, data)])).encode("utf-8"),
                    format=ox.RdfFormat.N_TRIPLES)
    return store


class CompiledShapes:
    """Shapes split once into what pyshacl checks and the whole-graph queries; then run on data."""

    def __init__(self, shapes: Graph):
        self.core, self.constraints = split_shapes(shapes)
        if _has_shapes(self.core):
            import pyshacl  # noqa: F401 — loaded now, before the data arrives

    def check_ntriples(self, data: bytes) -> list[Violation]:
        store = ox.Store()
        store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
        graph = Graph().parse(data=data.decode("utf-8"), format="nt")
        return self.check(graph, store)

    def check(self, data: Graph, store: ox.Store) -> list[Violation]:
        return _violations(data, run_core(data, self.core)
                           + run_sparql_constraints(store, self.constraints))


def _has_shapes(g: Graph) -> bool:
    return any(g.subjects(RDF.type, SH.NodeShape)) or any(g.subjects(RDF.type, SH.PropertyShape))


def run_shacl(data: Graph, shapes: Graph, store: ox.Store | None = None) -> list[Violation]:
    """Every violation of `shapes` in `data` (pass `store` if the same triples are loaded there)."""
    return CompiledShapes(shapes).check(data, store or to_store(data))


def _violations(data: Graph, found: list[dict]) -> list[Violation]:
    violations = set()
    for r in found:
        focus = URIRef(r["focus"])
        key = data.value(focus, PG.key)
        lines = tuple(sorted(int(n) for n in data.objects(focus, PG.sourceLine)))
        violations.add(Violation(r["focus"], str(key) if key else None, r["shape"], r["path"],
                                 r["value"], r["message"], lines))
    return sorted(violations, key=lambda v: (v.lines[:1] or (0,), v.focus, v.shape))
