"""Running a query of the library, or any query, on the built store or on a remote endpoint,
and printing its result (table, CSV, JSON)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox

from ..config import Settings
from ..errors import EndpointUnreachable, QueryError
from ..vocab import PREFIXES
from .guard import Inspection, QueryRefused, inspect_query, query_form
from .store import dataset_options, open_store


def run(spec: str, settings: Settings, endpoint: str | None = None) -> tuple[object, dict[str, str]]:
    """The result of a query file (or queries/NAME.rq), and the prefixes to show it with.

    On the local store the query runs as the endpoint runs it: the project's prefixes
    predeclared (vocab.PREFIXES; its own PREFIX lines win), its FROM / FROM NAMED choosing its
    dataset, else the union of the named graphs as the default graph; but without the endpoint's
    limits."""
    text = query_text(spec, settings)
    found = _inspect(text, settings.base)
    if endpoint:
        result = remote(text, endpoint, query_form(text))
        return result, found.prefixes
    store = open_store(settings.store_path)
    try:
        result = store.query(text, base_iri=settings.base, prefixes=PREFIXES,
                             **dataset_options(None, None, found.declares_dataset))
    except SyntaxError as e:
        raise QueryError(f"the query does not parse: {e}") from None
    if isinstance(result, ox.QueryTriples):
        result = list(result)
    return result, found.output_prefixes(PREFIXES)


def _inspect(text: str, base: str) -> Inspection:
    try:
        return inspect_query(text, base=base, prefixes=PREFIXES, enforce=False)
    except QueryRefused:
        return Inspection(None)


def query_text(spec: str, settings: Settings) -> str:
    """A query file's text, or that of queries/NAME.rq."""
    path = Path(spec)
    if not path.is_file():
        path = settings.queries_dir / f"{spec.removesuffix('.rq')}.rq"
    if not path.is_file():
        names = sorted(p.stem for p in settings.queries_dir.glob("*.rq"))
        raise QueryError(f"no query file {spec!r} and no query of that name in "
                         f"{settings.queries_dir}; available: {', '.join(names) or 'none'}")
    return path.read_text(encoding="utf-8")


def remote(text: str, endpoint: str, form: str | None) -> object:
    """Run the query on a SPARQL endpoint; the result parsed by pyoxigraph, as a local one is."""
    import urllib.error

    from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

    graph = form in ("CONSTRUCT", "DESCRIBE")
    client = SPARQLWrapper(endpoint)
    client.setQuery(text)
    client.setMethod(POST)
    client.setReturnFormat(TURTLE if graph else JSON)
    try:
        body = client.query().response.read()
    except QueryBadFormed as e:
        detail = _detail(_wrapper_response(e))
        raise QueryError(f"{endpoint} refused the query: {detail}") from None
    except urllib.error.HTTPError as e:
        detail = _detail(e.read())
        if e.code < 500:
            raise QueryError(f"{endpoint} answered {e.code}: {detail}") from None
        raise EndpointUnreachable(f"{endpoint} answered {e.code}: {detail}") from None
    except (SPARQLWrapperException, urllib.error.URLError, OSError) as e:
        raise EndpointUnreachable(f"cannot query {endpoint}: {_detail(e)}") from None
    try:
        if graph:
            return list(ox.parse(body, format=ox.RdfFormat.TURTLE))
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    except SyntaxError as e:
        raise EndpointUnreachable(f"{endpoint} sent an answer that is not valid: {e}") from None


def _wrapper_response(error: Exception) -> object:
    """The body SPARQLWrapper read from the endpoint, which it keeps only as a repr in its text."""
    import ast

    _, found, raw = str(error).partition("Response:\n")
    try:
        return ast.literal_eval(raw) if found else error
    except (ValueError, SyntaxError):
        return error


def _detail(raw: object) -> str:
    """The detail of our JSON error body, or the text as it came."""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    try:
        return str(json.loads(text)["error"]["detail"])
    except (ValueError, KeyError, TypeError):
        return text.strip()


def render(result: object, fmt: str, prefixes: dict[str, str]) -> tuple[str, int | None]:
    """The result as text in `fmt`, and its row count (None for a boolean or a JSON dump)."""
    if isinstance(result, ox.QueryBoolean):
        if fmt == "json":
            return (result.serialize(format=ox.QueryResultsFormat.JSON) or b"").decode() + "\n", None
        return ("true" if bool(result) else "false") + "\n", None
    if isinstance(result, ox.QuerySolutions):
        if fmt in ("json", "csv"):
            kind = ox.QueryResultsFormat.JSON if fmt == "json" else ox.QueryResultsFormat.CSV
            text = (result.serialize(format=kind) or b"").decode("utf-8")
            return (text + "\n" if fmt == "json" else text), None
        names = [v.value for v in result.variables]
        rows = [[_cell(sol[name], prefixes) for name in names] for sol in result]
    else:
        triples = list(result)  # type: ignore[call-overload]
        if fmt == "json":
            return (ox.serialize(triples, format=ox.RdfFormat.JSON_LD) or b"").decode() + "\n", None
        names = ["subject", "predicate", "object"]
        rows = [[_cell(t.subject, prefixes), _cell(t.predicate, prefixes),
                 _cell(t.object, prefixes)] for t in triples]
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
        return buf.getvalue(), len(rows)
    return table(names, rows) + "\n", len(rows)


def _cell(term: object, prefixes: dict[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in prefixes.items():
            if term.value.startswith(ns) and ns:
                return f"{prefix}:{term.value[len(ns):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _width(text: str) -> int:
    """Columns on a terminal: CJK characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def table(names: list[str], rows: list[list[str]]) -> str:
    rows = [[" ".join(cell.split()) for cell in row] for row in rows]  # one line per row
    widths = [max([_width(n)] + [_width(r[i]) for r in rows]) for i, n in enumerate(names)]

    def line(cells: list[str]) -> str:
        padded = "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True))
        return padded.rstrip()

    return "\n".join([line(names), line(["-" * w for w in widths]), *map(line, rows)])


