"""SHACL validation, and a report a person can read: which node, which rule, which source line.

Every shape runs in pyoxigraph as whole-graph SPARQL: each constraint component of a targeted
shape is ONE query, the shape's targets joined first, binding ?this (and ?value, the value node);
pyshacl would check every focus node one by one, through rdflib's SPARQL engine for sh:sparql
(about 150 s on the seed, against well under a second here), on an rdflib Graph of the data
(about a kilobyte per triple).

- sh:sparql: the constraint's SELECT with the targets joined first inside its WHERE. The rows are
  the same as SHACL's pre-binding of $this for plain SELECTs correlated on $this, as every one in
  ontology/shapes.ttl is.
- SHACL Core: a shape nested in sh:and / sh:or / sh:not / sh:xone / sh:node /
  sh:qualifiedValueShape becomes a SPARQL expression true when the node bound to a variable
  conforms to it (its value components negated; a property shape's in EXISTS / NOT EXISTS over
  its path), so the logical components are boolean combinations, sh:xone "exactly one member
  conforms", a qualified count a COUNT of the values that conform.

Whatever the compiler cannot state (sh:closed, sh:equals, sh:qualifiedValueShapesDisjoint,
sh:minCount above 3 or sh:maxCount above 2 inside a nested shape, a top-level shape's
sh:property …) stays with pyshacl, and only then is the data read into rdflib.
tests/test_shapes.py shows each shape of ontology/shapes.ttl firing on its mutation case, exactly;
tests/test_validate_compiled.py that none is left to pyshacl, and the components on small graphs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from ..errors import ConfigError
from ..model.ntriples import quad_lines, term
from ..vocab import PG

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
    kind: str = "sparql"         # the component: sparql, minCount, xone, qualifiedMinCount …
    path: str | None = None      # a property shape's path, when it is one property


def short(node: object) -> str:
    s = str(node)
    for prefix, ns in (("pgsh:", SHAPES_NS), ("pg:", str(PG._NS)), ("sh:", str(SH))):
        if s.startswith(ns):
            return prefix + s[len(ns):]
    return s


# -- SHACL Core as SPARQL ------------------------------------------------------------------------

_SUBCLASS = f"<{RDFS.subClassOf}>"
_CASTABLE = {XSD[t] for t in ("integer", "decimal", "double", "float", "boolean", "date",
                              "dateTime")}
_NODE_KINDS = {SH.IRI: "!isIRI({v})", SH.Literal: "!isLiteral({v})",
               SH.BlankNode: "!isBlank({v})", SH.BlankNodeOrIRI: "isLiteral({v})",
               SH.IRIOrLiteral: "isBlank({v})", SH.BlankNodeOrLiteral: "isIRI({v})"}
_COMPARISONS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">",
                SH.maxExclusive: "<"}
# components that look at one value node at a time
_VALUE_LEVEL = {SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.pattern, SH.languageIn,
                *_COMPARISONS, SH.minLength, SH.maxLength, SH["or"], SH["and"], SH["not"],
                SH.xone, SH.node}
# sh: properties of a shape that are not constraints (or are read with the one they go with)
_NOT_CONSTRAINTS = {SH.path, SH.message, SH.name, SH.description, SH.severity, SH.order, SH.group,
                    SH.defaultValue, SH.flags, SH.deactivated, SH.targetClass, SH.targetNode,
                    SH.targetSubjectsOf, SH.targetObjectsOf, SH.target, SH.qualifiedMinCount,
                    SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint}
_TARGETING = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target)
_MAX_NESTED_COUNT = 3     # sh:minCount / sh:maxCount in a nested shape: n values pairwise distinct
_MAX_DEPTH = 16           # nested shapes (sh:node may refer back to a shape that holds it)


class _Compiler:
    """SPARQL text for the components of the shapes in `shapes`; None where it cannot say it."""

    def __init__(self, shapes: Graph):
        self.g = shapes
        self._vars = 0

    def var(self) -> str:
        self._vars += 1
        return f"?__v{self._vars}"

    # paths ------------------------------------------------------------------------------------

    def path(self, node: object) -> str | None:
        """A SHACL property path as a SPARQL property path (the same semantics by definition)."""
        g = self.g
        if isinstance(node, URIRef):
            return f"<{node}>"
        if not isinstance(node, BNode):
            return None
        if g.value(node, RDF.first) is not None:
            steps = [self.path(s) for s in Collection(g, node)]
            return None if len(steps) < 2 or None in steps else "(" + "/".join(steps) + ")"
        alternatives = g.value(node, SH.alternativePath)
        if alternatives is not None:
            steps = [self.path(s) for s in Collection(g, alternatives)]
            return None if len(steps) < 2 or None in steps else "(" + "|".join(steps) + ")"
        for p, form in ((SH.inversePath, "(^{})"), (SH.zeroOrMorePath, "({})*"),
                        (SH.oneOrMorePath, "({})+"), (SH.zeroOrOnePath, "({})?")):
            inner = g.value(node, p)
            if inner is not None:
                step = self.path(inner)
                return None if step is None else form.format(step)
        return None

    def step(self, subject: str, path_node: object, value: str) -> str | None:
        """A graph pattern binding `value` to the values of the path at `subject`."""
        inverse = self.g.value(path_node, SH.inversePath) if isinstance(path_node, BNode) else None
        if isinstance(inverse, URIRef):
            return f"{value} <{inverse}> {subject} ."
        path = self.path(path_node)
        return None if path is None else f"{subject} {path} {value} ."

    # one value node ---------------------------------------------------------------------------

    def violates(self, shape: object, p: object, o: object, v: str, depth: int = 0) -> str | None:
        """An expression true when the node bound to `v` breaks the component (p, o) of `shape`."""
        g = self.g
        if p == SH["class"]:
            return (f"NOT EXISTS {{ {v} <{RDF.type}>/{_SUBCLASS}* <{o}> }}"
                    if isinstance(o, URIRef) else None)
        if p == SH.datatype:
            if not isinstance(o, URIRef):
                return None
            ill_typed = (f" || !COALESCE(sameTerm(datatype(<{o}>({v})), <{o}>), false)"
                         if o in _CASTABLE else "")
            return f"(!isLiteral({v}) || datatype({v}) != <{o}>{ill_typed})"
        if p == SH.nodeKind:
            form = _NODE_KINDS.get(o)  # type: ignore[call-overload]
            return form.format(v=v) if form else None
        if p == SH["in"]:
            member = self.var()
            values = " ".join(term(x) for x in Collection(g, o))
            return (f"NOT EXISTS {{ VALUES {member} {{ {values} }} "
                    f"FILTER (sameTerm({v}, {member})) }}")
        if p == SH.pattern:
            flags = g.value(shape, SH.flags) or ""
            return (f"(isBlank({v}) || !REGEX(STR({v}), {term(Literal(str(o)))}, "
                    f"{term(Literal(str(flags)))}))")
        if p == SH.languageIn:
            tags = " || ".join(f"langMatches(lang({v}), {term(Literal(str(t)))})"
                               for t in Collection(g, o))
            return f"(!isLiteral({v}) || !({tags or 'false'}))"
        if p in _COMPARISONS:
            return (f"!COALESCE({v} {_COMPARISONS[p]} {term(o)}, false)"  # type: ignore[index]
                    if isinstance(o, Literal) else None)
        if p in (SH.minLength, SH.maxLength):
            return f"(isBlank({v}) || STRLEN(STR({v})) {'<' if p == SH.minLength else '>'} {int(o)})"
        if p in (SH["or"], SH["and"], SH.xone):
            members = [self.conforms(m, v, depth + 1) for m in Collection(g, o)]
            if None in members:
                return None
            if p == SH["or"]:      # conforms to none
                return "!(" + (" || ".join(f"({m})" for m in members) or "false") + ")"
            if p == SH["and"]:     # fails one
                return "!(" + (" && ".join(f"({m})" for m in members) or "true") + ")"
            # sh:xone: the number of members it conforms to is not exactly one
            return "(" + (" + ".join(f"IF({m}, 1, 0)" for m in members) or "0") + ") != 1"
        if p in (SH["not"], SH.node):
            member = self.conforms(o, v, depth + 1)
            if member is None:
                return None
            return f"({member})" if p == SH["not"] else f"!({member})"
        return None

    # conformance to a whole shape ---------------------------------------------------------------

    def conforms(self, shape: object, v: str, depth: int = 0) -> str | None:
        """An expression true when the node bound to `v` conforms to `shape` (its targets play no
        part: this is the shape as a member of sh:and, sh:or … or a qualified value shape)."""
        g = self.g
        if depth > _MAX_DEPTH:
            return None
        if g.value(shape, SH.deactivated) == Literal(True):
            return "true"
        path_node = g.value(shape, SH.path)
        parts = []
        for p, o in g.predicate_objects(shape):
            if p in _NOT_CONSTRAINTS or not str(p).startswith(str(SH)):
                continue
            cond = (self._node_part(shape, p, o, v, depth) if path_node is None
                    else self._path_part(shape, path_node, p, o, v, depth))
            if cond is None:
                return None
            parts.append(cond)
        return " && ".join(f"({c})" for c in parts) if parts else "true"

    def _node_part(self, shape: object, p: object, o: object, v: str, depth: int) -> str | None:
        if p in _VALUE_LEVEL:
            cond = self.violates(shape, p, o, v, depth)
            return None if cond is None else f"!({cond})"
        if p == SH.hasValue:
            return f"sameTerm({v}, {term(o)})"
        if p == SH.property:
            return self.conforms(o, v, depth + 1)
        return None

    def _path_part(self, shape: object, path_node: object, p: object, o: object, v: str,
                   depth: int) -> str | None:
        if p in _VALUE_LEVEL or p == SH.property:
            w = self.var()
            step = self.step(v, path_node, w)
            if p == SH.property:
                member = self.conforms(o, w, depth + 1)
                cond = None if member is None else f"!({member})"
            else:
                cond = self.violates(shape, p, o, w, depth)
            return None if step is None or cond is None else \
                f"NOT EXISTS {{ {step} FILTER ({cond}) }}"
        if p in (SH.minCount, SH.maxCount):
            n = int(o) if p == SH.minCount else int(o) + 1    # n distinct values exist
            if n <= 0:
                return "true"
            if n > _MAX_NESTED_COUNT:
                return None
            ws = [self.var() for _ in range(n)]
            steps = [self.step(v, path_node, w) for w in ws]
            if None in steps:
                return None
            distinct = " && ".join(f"!sameTerm({a}, {b})" for a, b in combinations(ws, 2))
            pattern = " ".join(steps) + (f" FILTER ({distinct})" if distinct else "")  # type: ignore[arg-type]
            return f"EXISTS {{ {pattern} }}" if p == SH.minCount else f"NOT EXISTS {{ {pattern} }}"
        if p == SH.hasValue:
            w = self.var()
            step = self.step(v, path_node, w)
            return None if step is None else \
                f"EXISTS {{ {step} FILTER (sameTerm({w}, {term(o)})) }}"
        if p == SH.lessThan and isinstance(o, URIRef):
            w, other = self.var(), self.var()
            step = self.step(v, path_node, w)
            return None if step is None else (
                f"NOT EXISTS {{ {step} {v} <{o}> {other} . "
                f"FILTER (!COALESCE({w} < {other}, false)) }}")
        return None

    # a targeted shape: one query per component ------------------------------------------------

    def compile(self, shape: URIRef, prefixes: str, message: str | None
                ) -> tuple[list[SparqlConstraint], list[tuple]]:
        """Queries for the components of `shape` that can be compiled, and the triples they
        replace (what is left of the shape is for pyshacl)."""
        g = self.g
        path_node = g.value(shape, SH.path)
        if path_node is None:
            step: str | None = "BIND (?this AS ?value)"
        else:
            step = self.step("?this", path_node, "?value")
        if step is None:
            return [], []
        path = short(path_node) if isinstance(path_node, URIRef) else None
        target = _targets(g, shape, distinct=True)
        out: list[SparqlConstraint] = []
        done: list[tuple] = []

        def add(kind: str, query: str) -> None:
            out.append(SparqlConstraint(shape, prefixes + query,
                                        message or f"breaks sh:{kind}", kind, path))

        count = (f"{{ SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {step} }} "
                 "GROUP BY ?this }")
        for p, o in list(g.predicate_objects(shape)):
            kind = str(p)[len(str(SH)):] if str(p).startswith(str(SH)) else str(p)
            if path_node is not None and p in (SH.minCount, SH.maxCount):
                # a few values: looked for at each focus node (EXISTS); more: counted
                has = self._path_part(shape, path_node, p, o, "?this", 0)
                if has is not None:
                    add(kind, f"SELECT ?this WHERE {{ {{ {target} }} FILTER (!({has})) }}")
                elif p == SH.minCount:
                    add(kind, f"SELECT ?this WHERE {{ {{ {target} }} OPTIONAL {count} "
                              f"FILTER (COALESCE(?n, 0) < {int(o)}) }}")
                else:
                    add(kind, f"SELECT ?this WHERE {{ {{ {target} }} {count} "
                              f"FILTER (?n > {int(o)}) }}")
            elif path_node is not None and p == SH.uniqueLang:
                if o != Literal(True):
                    done.append((shape, p, o))     # false: no constraint
                    continue
                add(kind, f"SELECT DISTINCT ?this WHERE {{ {{ {target} }} {step} "
                          f"{step.replace('?value', '?other')} FILTER (lang(?value) != '' && "
                          "lang(?value) = lang(?other) && !sameTerm(?value, ?other)) }")
            elif path_node is not None and p == SH.lessThan and isinstance(o, URIRef):
                # every pair (value, value of the other property) where value < other is not
                # true, an error (incomparable terms) included
                add(kind, f"SELECT ?this ?value WHERE {{ {{ {target} }} {step} "
                          f"?this <{o}> ?__other . "
                          "FILTER (!COALESCE(?value < ?__other, false)) }")
            elif path_node is not None and p == SH.qualifiedValueShape:
                queries = self._qualified(shape, o, target, step)
                if queries is None:
                    continue
                for k, q in queries:
                    add(k, q)
                done += [(shape, count_p, n) for count_p in (SH.qualifiedMinCount,
                                                             SH.qualifiedMaxCount)
                         for n in g.objects(shape, count_p)]
            elif p == SH.hasValue:
                if path_node is None:
                    add(kind, f"SELECT ?this ?value WHERE {{ {{ {target} }} {step} "
                              f"FILTER (!sameTerm(?value, {term(o)})) }}")
                else:
                    add(kind, f"SELECT ?this WHERE {{ {{ {target} }} FILTER NOT EXISTS {{ "
                              f"{step} FILTER (sameTerm(?value, {term(o)})) }} }}")
            elif p in _VALUE_LEVEL:
                cond = self.violates(shape, p, o, "?value")
                if cond is None:
                    continue
                add(kind, f"SELECT ?this ?value WHERE {{ {{ {target} }} {step} FILTER ({cond}) }}")
            else:
                continue
            done.append((shape, p, o))
        return out, done

    def _qualified(self, shape: URIRef, qualified: object, target: str, step: str
                   ) -> list[tuple[str, str]] | None:
        """sh:qualifiedMinCount / sh:qualifiedMaxCount: the number of values of the path that
        conform to the qualified value shape, per focus node (one result per focus node)."""
        g = self.g
        if g.value(shape, SH.qualifiedValueShapesDisjoint) == Literal(True):
            return None          # sibling shapes: left to pyshacl
        conform = self.conforms(qualified, "?value", 1)
        if conform is None:
            return None
        # the focus nodes inside the count, so that one with no conforming value counts 0
        count = (f"{{ SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {{ {target} }} "
                 f"OPTIONAL {{ {step} FILTER ({conform}) }} }} GROUP BY ?this }}")
        queries = []
        for p, op in ((SH.qualifiedMinCount, "<"), (SH.qualifiedMaxCount, ">")):
            for n in g.objects(shape, p):
                queries.append((str(p)[len(str(SH)):],
                                f"SELECT ?this WHERE {{ {count} FILTER (?n {op} {int(n)}) }}"))
        return queries


def _has_targets(shapes: Graph, shape: object) -> bool:
    return any(shapes.value(shape, t) is not None for t in _TARGETING) or _is_class(shapes, shape)


def _is_class(shapes: Graph, shape: object) -> bool:
    """A shape that is also a class targets its instances (SHACL's implicit class target)."""
    return (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes


def _reports_violations(shapes: Graph, shape: object) -> bool:
    severity = shapes.value(shape, SH.severity)
    return shapes.value(shape, SH.deactivated) != Literal(True) and severity in (None, SH.Violation)


def split_shapes(shapes: Graph) -> tuple[Graph, list[SparqlConstraint]]:
    """(what is left for pyshacl, every constraint that runs as one whole-graph query).

    The first is empty when everything compiles; else it holds the shapes that still have a
    component to check, with everything they refer to."""
    remaining = Graph()
    for t in shapes:
        if t[1] != SH.sparql:
            remaining.add(t)
    # every prefix the shapes declare (sh:declare), for constraints and targets alike
    prefixes = "".join(sorted({
        f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
        for d in shapes.objects(None, SH.declare)}))
    constraints = []
    for shape, constraint in shapes.subject_objects(SH.sparql):
        if shapes.value(constraint, SH.deactivated) == Literal(True) \
                or not _reports_violations(shapes, shape):
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
    compiler = _Compiler(shapes)
    targeted = sorted({s for s in shapes.subjects() if _has_targets(shapes, s)}, key=str)
    live = []
    for shape in targeted:
        # only shapes with targets of their own: a shape inside sh:or, sh:node … is checked in
        # its parent's context, as a SPARQL expression in its parent's queries
        if not _reports_violations(shapes, shape):
            continue      # deactivated, or its results are warnings: no violation to report
        message = shapes.value(shape, SH.message)
        queries, done = compiler.compile(shape, prefixes, str(message) if message else None)
        constraints += queries
        for t in done:
            remaining.remove(t)
        if any(p in _CORE_COMPONENTS for p in remaining.predicates(shape, None)):
            live.append(shape)
    return _closure(shapes, remaining, live), constraints


def _closure(shapes: Graph, remaining: Graph, roots: list) -> Graph:
    """The shapes `roots` as `remaining` has them (without their compiled components), and every
    node they lead to (lists, nested shapes) whole, as `shapes` has it: pyshacl checks a nested
    shape with all its components."""
    out = Graph()
    todo, seen = [], set(roots)
    for root in roots:
        for p, o in remaining.predicate_objects(root):
            out.add((root, p, o))
            todo.append(o)
    while todo:
        node = todo.pop()
        if node in seen or not (isinstance(node, BNode) or (node, None, None) in shapes):
            continue
        seen.add(node)
        for p, o in shapes.predicate_objects(node):
            out.add((node, p, o))
            todo.append(o)
    return out


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


def _targets(shapes: Graph, shape: URIRef, distinct: bool = False) -> str:
    """A graph pattern binding ?this to every focus node of `shape`. A node may come more than
    once: once per target class it has (harmless: results are sets), once per triple of a
    sh:targetSubjectsOf / sh:targetObjectsOf property (thousands of times for an agency: not
    when `distinct`)."""
    parts = []
    classes = list(shapes.objects(shape, SH.targetClass))
    if _is_class(shapes, shape):
        classes.append(shape)
    if classes:
        parts.append("VALUES ?__class { " + " ".join(f"<{c}>" for c in classes) + " } "
                     "?this a ?__class .")
    for p in shapes.objects(shape, SH.targetSubjectsOf):
        parts.append(f"?this <{p}> [] .")
    for p in shapes.objects(shape, SH.targetObjectsOf):
        parts.append(f"[] <{p}> ?this .")
    nodes = list(shapes.objects(shape, SH.targetNode))
    if nodes:
        parts.append("VALUES ?this { " + " ".join(term(n) for n in nodes) + " }")
    for target in shapes.objects(shape, SH.target):      # SHACL-AF SPARQL-based targets
        select = shapes.value(target, SH.select)
        if select is None:
            raise ConfigError(f"shape {shape}: only SPARQL-based custom targets are supported")
        parts.append(f"{{ {select} }}")
    if not parts:
        raise ConfigError(f"shape {shape} has a SPARQL constraint but no target")
    union = " UNION ".join(f"{{ {p} }}" for p in parts)
    if distinct and any(shapes.value(shape, t) is not None
                        for t in (SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)):
        return f"SELECT DISTINCT ?this WHERE {{ {union} }}"
    return union


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
            results.append({"focus": row["this"].value, "node": row["this"],
                            "shape": short(c.shape), "path": c.path,
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
        focus = report.value(result, SH.focusNode)
        path, value = report.value(result, SH.resultPath), report.value(result, SH.value)
        results.append({"focus": str(focus),
                        "node": ox.NamedNode(str(focus)) if isinstance(focus, URIRef) else None,
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


def store_graph(store: ox.Store) -> Graph:
    """The store's default graph as an rdflib Graph: only for what pyshacl has to check."""
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return Graph().parse(data=(data or b"").decode("utf-8"), format="nt")


class CompiledShapes:
    """Shapes split once into the whole-graph queries and what is left for pyshacl (if anything);
    then run on data, in the default graph of a pyoxigraph store."""

    def __init__(self, shapes: Graph):
        self.core, self.constraints = split_shapes(shapes)
        self.needs_pyshacl = _has_shapes(self.core)
        if self.needs_pyshacl:
            import pyshacl  # noqa: F401 — loaded now, before the data arrives

    def check_file(self, path: Path) -> list[Violation]:
        """An N-Triples file, bulk-loaded into an in-memory store."""
        store = ox.Store()
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
        return self.check_store(store)

    def check_ntriples(self, data: bytes) -> list[Violation]:
        store = ox.Store()
        store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
        return self.check_store(store)

    def check_store(self, store: ox.Store, data: Graph | None = None) -> list[Violation]:
        """The data in the store's default graph (`data`: the same triples in rdflib, if they
        are at hand, for pyshacl; read from the store only when a shape is left for it)."""
        found = run_sparql_constraints(store, self.constraints)
        if self.needs_pyshacl:
            found += run_core(data if data is not None else store_graph(store), self.core)
        return _violations(store, found)

    def check(self, data: Graph, store: ox.Store) -> list[Violation]:
        return self.check_store(store, data)


def _has_shapes(g: Graph) -> bool:
    return any(g.subjects(RDF.type, SH.NodeShape)) or any(g.subjects(RDF.type, SH.PropertyShape)) \
        or any(_has_targets(g, s) for s in set(g.subjects()))


def run_shacl(data: Graph, shapes: Graph, store: ox.Store | None = None) -> list[Violation]:
    """Every violation of `shapes` in `data` (pass `store` if the same triples are loaded there)."""
    return CompiledShapes(shapes).check(data, store or to_store(data))


_LOOKUP_BATCH = 1000


def _node_facts(store: ox.Store, nodes: Iterable[object]
                ) -> dict[object, tuple[str | None, tuple[int, ...]]]:
    """pg:key and pg:sourceLine of each node, from the store's default graph."""
    keys: dict[object, set[str]] = {}
    lines: dict[object, set[int]] = {}

    def note(node: object, p: str, o: ox.Literal | None) -> None:
        if o is None:
            return
        if p == "key":
            keys.setdefault(node, set()).add(o.value)
        else:
            try:
                lines.setdefault(node, set()).add(int(o.value))
            except ValueError:
                pass       # not a number: the shapes say so; no line to cite

    nodes = set(nodes)
    iris = sorted((n for n in nodes if isinstance(n, ox.NamedNode)), key=lambda n: n.value)
    for i in range(0, len(iris), _LOOKUP_BATCH):
        batch = " ".join(str(n) for n in iris[i:i + _LOOKUP_BATCH])
        for row in store.query(f"SELECT ?this ?key ?line WHERE {{ VALUES ?this {{ {batch} }} "
                               f"{{ ?this <{PG.key}> ?key }} UNION "
                               f"{{ ?this <{PG.sourceLine}> ?line }} }}"):
            note(row["this"], "key", row["key"])
            note(row["this"], "line", row["line"])
    for node in nodes:
        if isinstance(node, ox.BlankNode):   # no blank node in a query: looked up directly
            for p in ("key", "sourceLine"):
                for q in store.quads_for_pattern(node, ox.NamedNode(str(PG[p])), None,
                                                 ox.DefaultGraph()):
                    note(node, "key" if p == "key" else "line", q.object)
    return {n: (min(keys[n]) if n in keys else None, tuple(sorted(lines.get(n, ()))))
            for n in nodes}


def _violations(store: ox.Store, found: list[dict]) -> list[Violation]:
    facts = _node_facts(store, (r["node"] for r in found if r.get("node") is not None))
    violations = set()
    for r in found:
        key, lines = facts.get(r.get("node"), (None, ()))
        violations.add(Violation(r["focus"], key, r["shape"], r["path"], r["value"],
                                 r["message"], lines))
    return sorted(violations, key=lambda v: (v.lines[:1] or (0,), v.focus, v.shape))
