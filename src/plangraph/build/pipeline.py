"""source → tree → RDF → validate → dumps and a pyoxigraph store, written atomically.

A failed build leaves the previous output untouched: everything is written to a temporary folder
beside the output folder and swapped in only when complete (output.py).
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing as mp
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, URIRef

from ..config import Settings, read_turtle
from ..documents.readers import FORMS
from ..documents.reading import read_document
from ..documents.source import UNVERIFIED, SourceFile, load_source
from ..documents.tree import PlanDocument
from ..errors import BuildError, PlangraphError, SourceError, ValidationFailed
from ..model.catalog import catalog_graph, catalog_graph_iri
from ..model.ntriples import Triples
from ..model.rdf import Iris, plan_graph, registry_graph, version_graph
from ..model.registry import Registry
from ..versions.changeset import PersistentIds, change_set, compare
from ..vocab import PG
from .folder import JSONLD, NQUADS, NTRIPLES, STORE, TURTLE, BuiltVersion, Manifest
from .output import OutputFolder, cannot_write

Progress = Callable[[str], None]
_FORMS = {name: f.title for name, f in FORMS.items()}


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
    """A built version: its source (the graph is in the build's graphs, under
    iris.version_graph(date); the parsed document is not kept)."""

    source: SourceFile


@dataclass
class BuildResult:
    out: Path
    versions: list[Version]
    graphs: dict[URIRef, Triples]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def refuse_unverified(sources: list[SourceFile], registry: Registry, form: str | None = None
                      ) -> None:
    """An error naming every document whose metadata records no checksum, once each has been
    parsed (a malformed one gets its own error, naming the line, first).

    Without a checksum nothing tells a whole document from one cut after a whole row or clause
    (source.py, SourceFile.verified), so the build does not take one as its source unless told
    to (allow_unverified), and then the manifest says so."""
    found = [s for s in sources if not s.verified]
    if not found:
        return
    for source in found:
        read_document(source, registry, form)
    raise SourceError("; ".join(f"{s.path}: {s.unverified_reason()} (the file's SHA-256 is "
                                f"{s.sha256})" for s in found)
                      + f". It cannot be known to be whole: {UNVERIFIED}. Check the file against "
                      "the published document and record its sha256 in its metadata (a "
                      '.meta.toml beside it with sha256 = "…" is enough), or pass '
                      "--allow-unverified to build it as it is, unverified")


def make_graphs(sources: list[Path], settings: Settings, version_date: str | None = None,
                progress: Progress = lambda _: None, *, allow_unverified: bool = False,
                form: str | None = None) -> tuple[list[Version], dict[URIRef, Triples]]:
    """The data graphs: one per version, one change set per pair of consecutive versions, the
    plan, the registry and the catalogue (the ontology is added when writing). `form` forces the
    form every source is read as (documents/readers); by default each one's is detected.

    Versions are read in date order and only the previous one's document is held, so memory
    grows with the triples made, not with the parsed documents."""
    registry = Registry.load(settings.registry_dir)
    iris = Iris(settings.base)
    files: dict[str, SourceFile] = {}
    for path in sources:
        source = load_source(path, version_date)
        if source.version in files:
            raise SourceError(f"two documents for the version of {source.version} (the other is "
                              f"{files[source.version].path})", path=str(path))
        files[source.version] = source
    ordered = [files[v] for v in sorted(files)]
    if not allow_unverified:
        refuse_unverified(ordered, registry, form)
    versions: list[Version] = []
    graphs: dict[URIRef, Triples] = {}
    ids = PersistentIds()
    previous: tuple[str, PlanDocument] | None = None
    for n, source in enumerate(ordered, start=1):
        doc = read_document(source, registry, form)
        comparison = None
        if previous is not None:
            comparison = compare(*previous, source.version, doc, registry)
            graphs[iris.base[f"graph/changes/{comparison.old}/{comparison.new}"]] = \
                change_set(comparison, iris)
        g = version_graph(doc, source, registry, iris, ids.next(source.version, doc, comparison))
        graphs[iris.version_graph(source.version)] = g
        versions.append(Version(source))
        progress(f"[{n}/{len(ordered)}] {source.path.name}: version {source.version}, "
                 f"{_FORMS.get(doc.form, doc.form)}, {doc.layout} layout, "
                 f"{len(doc.measures())} measures, {len(g)} triples"
                 + (f", {len(comparison.changes)} changes since {comparison.old}"
                    if comparison else ""))
        previous = (source.version, doc)
    graphs[iris.base["graph/plan"]] = plan_graph(ordered, iris)
    graphs[iris.registry_graph()] = registry_graph(registry, iris)
    graphs[catalog_graph_iri(iris)] = catalog_graph(versions, graphs, registry, iris)
    return versions, graphs


_KINDS = ["PlanVersion", "Part", "Area", "SubArea", "Strategy", "Measure", "Target", "Clause",
          "Assignment", "Agency", "CollectiveAgency", "Body", "Instrument", "UnderlinedSpan",
          "Correction"]


def count_kinds(graphs: dict[URIRef, Triples]) -> dict[str, int]:
    """Instances of the main classes (a resource typed in two graphs counts twice, as before)."""
    suffixes = {f" <{RDF.type}> <{PG[k]}>": k for k in _KINDS}
    counts = dict.fromkeys(_KINDS, 0)
    type_marker = f" <{RDF.type}> <"
    for g in graphs.values():
        for line in g:
            i = line.find(type_marker)
            if i >= 0:
                kind = suffixes.get(line[i:])
                if kind is not None:
                    counts[kind] += 1
    counts["triples"] = sum(len(g) for g in graphs.values())
    return counts


def build(sources: list[Path], settings: Settings, out: Path, *, version_date: str | None = None,
          validate: bool = True, allow_unverified: bool = False, form: str | None = None,
          progress: Progress = lambda _: None) -> BuildResult:
    """Build into a temporary folder, validating in a second process meanwhile; swap in if valid.

    One build at a time writes `out` (output.py: a second one waits for the lock). The
    validator starts first (so that it forks small): it compiles the shapes while this process
    parses and makes the graphs, then loads the N-Triples dump and checks it while this process
    writes the other outputs."""
    started = time.perf_counter()
    say = progress

    def timed(message: str) -> None:   # each step with the time since the build began
        say(f"{time.perf_counter() - started:7.1f} s  {message}")

    with OutputFolder(out, timed) as folder:
        assert folder.tmp is not None
        checker = ShapeCheck(settings, close=[folder.lock_fd]) if validate else None
        try:
            versions, graphs = make_graphs(sources, settings, version_date, timed,
                                           allow_unverified=allow_unverified, form=form)
            result = BuildResult(out, versions, graphs, count_kinds(graphs))
            try:
                write_outputs(result, settings, folder.tmp, timed, checker)
            except OSError as e:
                raise cannot_write(out, e) from None
            if checker:
                timed("waiting for the validation …")
                checker.result()  # raises ValidationFailed
                timed("valid: conforms to every shape")
            folder.commit()
        finally:
            if checker:
                checker.stop()
    result.seconds = time.perf_counter() - started
    return result


class ShapeCheck:
    """SHACL validation in a forked process, overlapping the making and writing of the graphs.

    The child closes the ends of the pipes it inherited that are not its own (and any other
    descriptor in `close`, such as the build's lock), so that it sees the end of its input when
    the build stops; and it is killed when the build process dies (PR_SET_PDEATHSIG), so that a
    killed build leaves no validator behind. Whatever stops the child is reported as the error
    it met, or a BuildError naming how it ended, never as a broken pipe."""

    def __init__(self, settings: Settings, close: Iterable[int | None] = ()):
        ctx = mp.get_context("fork")
        self._recv, send = ctx.Pipe(duplex=False)
        path_recv, self._path = ctx.Pipe(duplex=False)
        inherited = [self._recv.fileno(), self._path.fileno(), *(fd for fd in close if fd)]
        self._proc = ctx.Process(target=_check, daemon=True,
                                 args=(settings, path_recv, send, inherited, os.getpid()))
        self._proc.start()
        send.close()
        path_recv.close()

    def send(self, ntriples: Path) -> None:
        """The data graphs (not the ontology) merged, as an N-Triples file: what the shapes
        are checked on."""
        try:
            self._path.send(str(ntriples))
        except OSError:           # the child has stopped: its own report says why
            self.result()
            raise BuildError("the validation process stopped before it was given the graph"
                             ) from None
        finally:
            self._path.close()

    def result(self) -> None:
        try:
            kind, payload = self._recv.recv()
        except (EOFError, OSError):
            self._proc.join()
            code = self._proc.exitcode
            how = (f"was killed by signal {-code} ({signal.Signals(-code).name})"
                   if code is not None and code < 0 else f"exited with code {code}")
            hint = " (out of memory?)" if code == -signal.SIGKILL else ""
            raise BuildError(f"the validation process {how} before it reported{hint}") from None
        self._proc.join()
        if kind == "error":
            raise payload
        if kind == "failed":
            raise BuildError(f"the validation process failed: {payload}")
        if payload:
            raise ValidationFailed("\n".join(map(str, payload)), len(payload))

    def stop(self) -> None:
        if self._proc.is_alive():
            self._proc.kill()
        self._proc.join()
        self._recv.close()
        self._path.close()


def _check(settings: Settings, path: Connection, send: Connection, inherited: list[int],
           parent: int) -> None:
    for fd in inherited:
        with contextlib.suppress(OSError):
            os.close(fd)
    _die_with(parent)
    try:
        from ..validation.shapes import CompiledShapes

        shapes = CompiledShapes(read_turtle(settings.shapes, "the SHACL shapes"))
        try:
            ntriples = Path(path.recv())
        except EOFError:
            return   # the build stopped before it had graphs to check
        send.send(("ok", shapes.check_file(ntriples)))
    except PlangraphError as e:
        send.send(("error", e))
    except Exception as e:  # noqa: BLE001 — reported to the build, which names it
        send.send(("failed", f"{type(e).__name__}: {e}"))


def _die_with(parent: int) -> None:
    """Have the kernel kill this process when its parent dies (Linux prctl PR_SET_PDEATHSIG)."""
    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:      # the parent died before the signal was asked for
        os._exit(1)


def write_outputs(result: BuildResult, settings: Settings, tmp: Path, progress: Progress,
                  checker: ShapeCheck | None = None) -> None:
    """The dumps, the store and the manifest. Each is streamed from sorted lines or from the
    file before it, so that no second copy of the data is held in memory."""
    iris = Iris(settings.base)

    # the data graphs merged, without graph names: N-Triples, sorted (the canonical dump)
    merged: set[str] = set()
    for g in result.graphs.values():
        merged.update(g.lines)
    with (tmp / NTRIPLES).open("w", encoding="utf-8") as fh:
        fh.writelines(f"{line} .\n" for line in sorted(merged))
    progress(f"wrote {NTRIPLES}: {len(merged)} distinct triples")
    del merged
    if checker:
        checker.send(tmp / NTRIPLES)
        progress("validating against ontology/shapes.ttl (in parallel) …")

    # every graph with its name: N-Quads, graph by graph (sorted by name), each sorted
    ontology = _ontology(settings)
    named = sorted([*result.graphs.items(), (iris.ontology_graph(), ontology)],
                   key=lambda item: str(item[0]))
    with (tmp / NQUADS).open("w", encoding="utf-8") as fh:
        for name, g in named:
            fh.writelines(f"{line} <{name}> .\n" for line in sorted(g.lines))
    progress(f"wrote {NQUADS}: {len(named)} named graphs")

    progress("loading the pyoxigraph store …")
    store = ox.Store(str(tmp / STORE))
    store.bulk_load(path=str(tmp / NQUADS), format=ox.RdfFormat.N_QUADS)
    store.flush()
    # compacted once, as `oxigraph load` leaves its stores: queries over a thousand versions
    # run about twice as fast (38 s of compaction for 7 M quads)
    store.optimize()
    del store

    # Turtle and JSON-LD: the whole dataset merged, data and ontology, as the endpoint's default
    # graph and its VoID description count it (distinct triples)
    whole = tmp / f".{NTRIPLES}.whole"
    with whole.open("w", encoding="utf-8") as fh:
        fh.writelines(_merged_lines(tmp / NTRIPLES, ontology))
    for name, fmt in ((TURTLE, ox.RdfFormat.TURTLE), (JSONLD, ox.RdfFormat.JSON_LD)):
        ox.serialize(ox.parse(path=str(whole), format=ox.RdfFormat.N_TRIPLES),
                     output=str(tmp / name), format=fmt, prefixes=_PREFIXES)
        progress(f"wrote {name}")
    whole.unlink()
    Manifest(
        versions=[BuiltVersion(v.source.version, v.source.path.name, v.source.sha256,
                               v.source.verified) for v in result.versions],
        base=str(iris.base),
        counts=result.counts,
        graphs={**{str(name): len(g) for name, g in sorted(result.graphs.items())},
                str(iris.ontology_graph()): len(ontology)},
    ).write(tmp)


def _merged_lines(ntriples: Path, ontology: Triples) -> Iterator[str]:
    """The sorted data dump's lines with the ontology's merged in, in order, without repeats."""
    extra = sorted(f"{line} .\n" for line in ontology.lines)
    i = 0
    with ntriples.open(encoding="utf-8") as fh:
        for line in fh:
            while i < len(extra) and extra[i] < line:
                yield extra[i]
                i += 1
            if i < len(extra) and extra[i] == line:
                i += 1
            yield line
    yield from extra[i:]


def _ontology(settings: Settings) -> Triples:
    """The ontology's triples, blank nodes labelled in parse order (stable across runs)."""
    labels: dict[ox.BlankNode, ox.BlankNode] = {}

    def stable(term: Any) -> Any:
        if isinstance(term, ox.BlankNode):
            return labels.setdefault(term, ox.BlankNode(f"o{len(labels) + 1}"))
        return term

    triples = [ox.Triple(stable(t.subject), t.predicate, stable(t.object))
               for t in ox.parse(path=str(settings.ontology), format=ox.RdfFormat.TURTLE)]
    ontology = Triples()
    ontology.lines.update(line.removesuffix(" .") for line in
                          (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
                          .decode().splitlines())
    return ontology
