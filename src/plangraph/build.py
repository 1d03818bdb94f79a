"""source → tree → RDF → validate → dumps and a pyoxigraph store, written atomically.

A failed build leaves the previous output untouched: everything is written to a temporary folder
beside the output folder and swapped in only when complete.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Dataset, Graph, URIRef

from .config import Settings, read_turtle
from .document.parser import parse_document
from .document.tree import PlanDocument
from .errors import SourceError
from .graph import Iris, registry_graph, version_graph
from .namespaces import PG
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
                 strict: bool = True) -> tuple[SourceFile, PlanDocument]:
    source = load_source(path, version_date)
    doc = parse_document(source.data, registry, path=path, errata=source.errata,
                         required_parts=source.required_parts)
    if strict:
        require_complete(doc, str(path))
    return source, doc


def make_graphs(sources: list[Path], settings: Settings, version_date: str | None = None,
                progress: Progress = lambda _: None) -> tuple[list[Version], dict[URIRef, Graph]]:
    registry = Registry.load(settings.registry_dir)
    iris = Iris(settings.base)
    versions: list[Version] = []
    graphs: dict[URIRef, Graph] = {}
    for path in sources:
        source, doc = read_version(path, registry, version_date)
        if any(v.source.version == source.version for v in versions):
            raise SourceError(f"two documents for the version of {source.version}", path=str(path))
        g = version_graph(doc, source, registry, iris)
        versions.append(Version(source, doc, g))
        graphs[iris.version_graph(source.version)] = g
        progress(f"parsed {path.name}: version {source.version}, {len(doc.measures())} measures, "
                 f"{len(g)} triples")
    graphs[iris.registry_graph()] = registry_graph(registry, iris)
    graphs[iris.ontology_graph()] = read_turtle(settings.ontology, "the ontology")
    return versions, graphs


def count_kinds(graphs: dict[URIRef, Graph]) -> dict[str, int]:
    kinds = ["PlanVersion", "Part", "Area", "SubArea", "Strategy", "Measure", "Target", "Clause",
             "Assignment", "Agency", "CollectiveAgency", "Body", "Instrument", "UnderlinedSpan",
             "Correction"]
    counter: Counter[str] = Counter()
    for g in graphs.values():
        for kind in kinds:
            counter[kind] += sum(1 for _ in g.subjects(RDF.type, PG[kind]))
    counts = {k: counter[k] for k in kinds}
    counts["triples"] = sum(len(g) for g in graphs.values())
    return counts


def build(sources: list[Path], settings: Settings, out: Path, *, version_date: str | None = None,
          validate: bool = True, progress: Progress = lambda _: None) -> BuildResult:
    started = time.perf_counter()
    versions, graphs = make_graphs(sources, settings, version_date, progress)
    if validate:
        from .validate import validate_graphs
        progress("validating against ontology/shapes.ttl …")
        validate_graphs(graphs, settings)  # raises ValidationFailed
        progress("valid: conforms to every shape")
    result = BuildResult(out, versions, graphs, count_kinds(graphs))
    write_outputs(result, settings, progress)
    result.seconds = time.perf_counter() - started
    return result


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted(set(data.decode("utf-8").splitlines()))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _quads(graphs: dict[URIRef, Graph]) -> bytes:
    """All graphs as N-Quads, sorted: the canonical dump everything else is made from."""
    ds = Dataset()
    for name, g in graphs.items():
        target = ds.graph(name)
        for t in g:
            target.add(t)
    return _sorted_lines(ds.serialize(format="nquads", encoding="utf-8"))


def write_outputs(result: BuildResult, settings: Settings, progress: Progress) -> None:
    out = result.out
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        nquads = _quads(result.graphs)
        (tmp / NQUADS).write_bytes(nquads)
        data_graphs = [g for name, g in result.graphs.items()
                       if name != Iris(settings.base).ontology_graph()]
        union = Graph()
        for prefix, ns in _PREFIXES.items():
            union.bind(prefix, ns)
        for g in data_graphs:
            for t in g:
                union.add(t)
        (tmp / TURTLE).write_bytes(_turtle(union))
        (tmp / NTRIPLES).write_bytes(_sorted_lines(union.serialize(format="nt", encoding="utf-8")))
        triples = sorted(ox.parse((tmp / NTRIPLES).read_bytes(), format=ox.RdfFormat.N_TRIPLES),
                         key=str)
        (tmp / JSONLD).write_bytes(ox.serialize(triples, format=ox.RdfFormat.JSON_LD,
                                                prefixes=_PREFIXES) or b"")
        progress("loading the pyoxigraph store …")
        store = ox.Store(str(tmp / STORE))
        store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
        store.flush()
        del store
        manifest = {
            "versions": [{"version": v.source.version, "file": v.source.path.name,
                          "sha256": v.source.sha256} for v in result.versions],
            "base": str(Iris(settings.base).base),
            "counts": result.counts,
            "graphs": {str(name): len(g) for name, g in sorted(result.graphs.items())},
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                    encoding="utf-8")
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _turtle(g: Graph) -> bytes:
    """Turtle through pyoxigraph from sorted triples: the same graph always gives the same bytes."""
    nt = _sorted_lines(g.serialize(format="nt", encoding="utf-8"))
    triples = list(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=_PREFIXES) or b""


def _swap(tmp: Path, out: Path) -> None:
    """Replace `out` by `tmp` so that a reader sees either the old or the new build, whole."""
    old = None
    if out.exists() and any(out.iterdir()) and not (out / MANIFEST).exists():
        raise SourceError(f"{out} exists and is not a plangraph build folder (no {MANIFEST}): "
                          "refusing to replace it; choose another --out")
    if out.exists():
        old = out.with_name(f".{out.name}.old-{int(time.time() * 1000)}")
        out.rename(old)
    tmp.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
