"""source → tree → RDF → validate → dumps and a pyoxigraph store, written atomically.

A failed build leaves the previous output untouched: everything is written to a temporary folder
beside the output folder and swapped in only when complete.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, Graph, URIRef

from .amendment.changeset import change_set, compare_versions, persistent_ids
from .catalog import catalog_graph, catalog_graph_iri
from .config import Settings, read_turtle
from .document.parser import parse_document
from .document.tree import PlanDocument
from .errors import PlangraphError, SourceError, ValidationFailed
from .graph import Iris, plan_graph, registry_graph, version_graph
from .namespaces import PG
from .ntriples import quad_lines
from .registry import Registry
from .source import SourceFile, load_source

Progress = Callable[[str], None]

# file names inside the output folder
TURTLE, NTRIPLES, JSONLD, NQUADS, STORE, MANIFEST = (
    "plangraph.ttl", "plangraph.nt", "plangraph.jsonld", "plangraph.nq", "store", "manifest.json")

_PREFIXES = {
    "pg": str(PG._NS), "eli": "http://data.europa.eu/eli/ontology#",
    "org": "http://www.w3.org/ns/org#", "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#", "dct": "http://purl.org/dc/terms/",
    "adms": "http://www.w3.org/ns/adms#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#", "owl": "http://www.w3.org/2002/07/owl#",
    "freq": "http://publications.europa.eu/resource/authority/frequency/",
}


@dataclass
class Version:
    source: SourceFile
    doc: PlanDocument
    graph: Graph


@dataclass
class BuildResult:
    out: Path
    versions: list[Version]
    graphs: dict[URIRef, Graph]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def require_complete(doc: PlanDocument, path: str) -> None:
    """Every measure has a target and a lead agency: the plan's form requires them."""
    for m in doc.measures():
        if not m.agency_cell.text:
            raise SourceError(f"measure {m.key} has an empty agency cell (辦理機關): every measure "
                              "needs a responsible agency", path=path, line=m.lines[0])
        if not any(not a.cooperating for a in m.assignments):
            raise SourceError(f"measure {m.key} names no lead agency, only cooperating bodies",
                              path=path, line=m.lines[0])
        if not m.targets:
            raise SourceError(f"measure {m.key} has an empty target cell (績效目標)", path=path,
                              line=m.lines[0])


def read_version(path: Path, registry: Registry, version_date: str | None = None,
                 strict: bool = True, require_date: bool = True) -> tuple[SourceFile, PlanDocument]:
    source = load_source(path, version_date, require_date=require_date)
    doc = parse_document(source.data, registry, path=path, errata=source.errata,
                         required_parts=source.required_parts)
    if strict:
        require_complete(doc, str(path))
    return source, doc


def make_graphs(sources: list[Path], settings: Settings, version_date: str | None = None,
                progress: Progress = lambda _: None) -> tuple[list[Version], dict[URIRef, Graph]]:
    """The data graphs: one per version, and the registry (the ontology is added when writing)."""
    registry = Registry.load(settings.registry_dir)
    iris = Iris(settings.base)
    read: list[tuple[SourceFile, PlanDocument]] = []
    for path in sources:
        source, doc = read_version(path, registry, version_date)
        if any(s.version == source.version for s, _ in read):
            raise SourceError(f"two documents for the version of {source.version}", path=str(path))
        read.append((source, doc))
    read.sort(key=lambda r: r[0].version)
    dated = [(s.version, d) for s, d in read]
    comparisons = compare_versions(dated, registry)
    ids = persistent_ids(dated, comparisons)
    versions: list[Version] = []
    graphs: dict[URIRef, Graph] = {}
    for source, doc in read:
        g = version_graph(doc, source, registry, iris, ids[source.version])
        versions.append(Version(source, doc, g))
        graphs[iris.version_graph(source.version)] = g
        progress(f"parsed {source.path.name}: version {source.version}, "
                 f"{len(doc.measures())} measures, {len(g)} triples")
    for c in comparisons:
        graphs[iris.base[f"graph/changes/{c.old}/{c.new}"]] = change_set(c, iris)
        progress(f"compared {c.old} with {c.new}")
    graphs[iris.base["graph/plan"]] = plan_graph([s for s, _ in read], iris)
    graphs[iris.registry_graph()] = registry_graph(registry, iris)
    graphs[catalog_graph_iri(iris)] = catalog_graph(versions, graphs, registry, iris)
    return versions, graphs


def count_kinds(graphs: dict[URIRef, Graph]) -> dict[str, int]:
    kinds = ["PlanVersion", "Part", "Area", "SubArea", "Strategy", "Measure", "Target", "Clause",
             "Assignment", "Agency", "CollectiveAgency", "Body", "Instrument", "UnderlinedSpan",
             "Correction"]
    counts = {k: sum(1 for g in graphs.values() for _ in g.subjects(RDF.type, PG[k]))
              for k in kinds}
    counts["triples"] = sum(len(g) for g in graphs.values())
    return counts


def build(sources: list[Path], settings: Settings, out: Path, *, version_date: str | None = None,
          validate: bool = True, progress: Progress = lambda _: None) -> BuildResult:
    """Build into a temporary folder, validating in a second process meanwhile; swap in if valid.

    The validator starts first: it loads pyshacl and compiles the shapes while this process
    parses and makes the graphs, then checks them while this process writes the outputs."""
    started = time.perf_counter()
    checker = ShapeCheck(settings) if validate else None
    tmp = None
    try:
        versions, graphs = make_graphs(sources, settings, version_date, progress)
        result = BuildResult(out, versions, graphs, count_kinds(graphs))
        if checker:
            checker.send(graphs, settings)
            progress("validating against ontology/shapes.ttl (in parallel) …")
        tmp = _temporary_folder(out)
        write_outputs(result, settings, tmp, progress)
        if checker:
            checker.result()  # raises ValidationFailed
            progress("valid: conforms to every shape")
        _swap(tmp, out)
    except BaseException:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        if checker:
            checker.stop()
        raise
    result.seconds = time.perf_counter() - started
    return result


class ShapeCheck:
    """SHACL validation in a forked process, overlapping the making and writing of the graphs."""

    def __init__(self, settings: Settings):
        ctx = mp.get_context("fork")
        self._recv, send = ctx.Pipe(duplex=False)
        data_recv, self._data = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_check, args=(settings, data_recv, send), daemon=True)
        self._proc.start()
        send.close()
        data_recv.close()

    def send(self, graphs: dict[URIRef, Graph], settings: Settings) -> None:
        """The data graphs (not the ontology), as N-Triples: what the shapes are checked on."""
        ontology = Iris(settings.base).ontology_graph()
        lines = quad_lines([(None, g) for name, g in graphs.items() if name != ontology])
        self._data.send_bytes("".join(lines).encode("utf-8"))
        self._data.close()

    def result(self) -> None:
        try:
            kind, payload = self._recv.recv()
        except EOFError:
            self._proc.join()
            raise RuntimeError(f"the validation process died (exit code {self._proc.exitcode})"
                               ) from None
        self._proc.join()
        if kind == "error":
            raise payload
        if payload:
            raise ValidationFailed("\n".join(map(str, payload)), len(payload))

    def stop(self) -> None:
        if self._proc.is_alive():
            self._proc.kill()
        self._proc.join()


def _check(settings: Settings, data: Connection, send: Connection) -> None:
    try:
        from .validate import CompiledShapes

        shapes = CompiledShapes(read_turtle(settings.shapes, "the SHACL shapes"))
        try:
            triples = data.recv_bytes()
        except EOFError:
            return   # the build stopped before it had graphs to check
        send.send(("ok", shapes.check_ntriples(triples)))
    except PlangraphError as e:
        send.send(("error", e))


def _temporary_folder(out: Path) -> Path:
    if out.exists() and any(out.iterdir()) and not (out / MANIFEST).exists():
        raise SourceError(f"{out} exists and is not a plangraph build folder (no {MANIFEST}): "
                          "refusing to replace it; choose another --out")
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))


def write_outputs(result: BuildResult, settings: Settings, tmp: Path, progress: Progress) -> None:
    iris = Iris(settings.base)
    data_lines = quad_lines(result.graphs.items())
    ontology_quads = _ontology_quads(settings, iris)
    ontology_lines = (ox.serialize(ontology_quads, format=ox.RdfFormat.N_QUADS) or b"").decode()
    nquads = "".join(sorted(set(data_lines) | set(ontology_lines.splitlines(keepends=True))))
    (tmp / NQUADS).write_text(nquads, encoding="utf-8")

    # the data graphs without graph names: N-Triples, Turtle and JSON-LD
    triples = sorted({line.rsplit(" <", 1)[0] + " .\n" for line in data_lines})
    (tmp / NTRIPLES).write_text("".join(triples), encoding="utf-8")
    parsed = list(ox.parse("".join(triples), format=ox.RdfFormat.N_TRIPLES))
    (tmp / TURTLE).write_bytes(ox.serialize(parsed, format=ox.RdfFormat.TURTLE,
                                            prefixes=_PREFIXES) or b"")
    (tmp / JSONLD).write_bytes(ox.serialize(parsed, format=ox.RdfFormat.JSON_LD,
                                            prefixes=_PREFIXES) or b"")
    progress("loading the pyoxigraph store …")
    store = ox.Store(str(tmp / STORE))
    store.bulk_load(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    manifest = {
        "versions": [{"version": v.source.version, "file": v.source.path.name,
                      "sha256": v.source.sha256} for v in result.versions],
        "base": str(iris.base),
        "counts": result.counts,
        "graphs": {**{str(name): len(g) for name, g in sorted(result.graphs.items())},
                   str(iris.ontology_graph()): len(ontology_quads)},
    }
    (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                encoding="utf-8")


def _ontology_quads(settings: Settings, iris: Iris) -> list[ox.Quad]:
    """The ontology in its named graph, blank nodes labelled in parse order (stable across runs)."""
    labels: dict[ox.BlankNode, ox.BlankNode] = {}

    def stable(term: Any) -> Any:
        if isinstance(term, ox.BlankNode):
            return labels.setdefault(term, ox.BlankNode(f"o{len(labels) + 1}"))
        return term

    graph = ox.NamedNode(str(iris.ontology_graph()))
    return [ox.Quad(stable(t.subject), t.predicate, stable(t.object), graph)
            for t in ox.parse(path=str(settings.ontology), format=ox.RdfFormat.TURTLE)]


def _swap(tmp: Path, out: Path) -> None:
    """Replace `out` by `tmp` so that a reader sees either the old or the new build, whole."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{int(time.time() * 1000)}")
        out.rename(old)
    tmp.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
