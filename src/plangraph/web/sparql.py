"""/sparql: the SPARQL 1.1 Protocol, query operation only (https://www.w3.org/TR/sparql11-protocol/).

Requests: GET ?query=…, POST application/x-www-form-urlencoded (query=…), POST
application/sparql-query (the query as the body). The dataset (SPARQL 1.1 §13.2, Protocol §2.1.4):
default-graph-uri / named-graph-uri when given (they override FROM / FROM NAMED), else the query's
own FROM / FROM NAMED, else the union of all named graphs as the default graph. GET without a query
answers the service description. The project's prefixes are predeclared (vocab.PREFIXES; a query's
own PREFIX wins).

Answers are negotiated on Accept, or chosen by `format=` / `output=` (as Fuseki and Virtuoso take
them: json, xml, csv, tsv, turtle, nt, jsonld, rdfxml, or a media type): SELECT/ASK as SPARQL JSON
(the default), XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle (the default), N-Triples, JSON-LD (also
for `application/json`) or RDF/XML.

Repeated queries are answered from a cache (web/cache.py); `Cache-Status` says whether an answer came
from it. A GET carries an ETag (web/headers.py: If-None-Match → 304).

Statuses: 400 a query that does not parse (a short message saying where and what to do), an
unknown prefix, an update, a refused SERVICE or file: IRI, a query over the complexity limits
(querying/guard.py), a missing or repeated `query`, a body that is not UTF-8, an unknown `format`;
405 a method other than GET, HEAD or POST; 406 no acceptable format (or one that cannot carry the
answer: JSON-LD and RDF 1.2 triple terms); 413 a body over max_request_bytes (414 for a URL); 415
a Content-Type other than the two above (or none); 422 a result over max_rows or
max_response_bytes, or a query that needs more than worker_memory (never a silent partial result);
502 an allow-listed SERVICE endpoint that fails; 503 a query stopped at query_timeout, every
worker busy that long (Retry-After: 1), or no worker running at all (the store cannot be opened;
Retry-After); 500 our own faults, logged. Every error has the body
{"error": {"status", "title", "detail"}} — SPARQL clients show the detail.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import AsyncIterator, Callable, Hashable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.requests import ClientDisconnect

from ..config import Settings
from ..errors import PlangraphError
from ..querying.guard import Inspection, inspect_query
from ..querying.store import store_identity
from ..vocab import PREFIXES
from .cache import ResultCache
from .conneg import Variant
from .conneg import negotiate as choose
from .openapi import answers, api_error, ok
from .problems import HttpError, error_response, status_of
from .workers import Answer, Job, NotAcceptable, NoWorkers, PoolBusy, WorkerPool, default_pool_size

log = logging.getLogger("plangraph.sparql")

PATH = "/sparql"
CONSOLE = "/"  # the query console (site.py), where a browser asking for /sparql is sent
_INLINE_INSPECTION = 16384  # characters of query inspected on the event loop (about 2 ms)
_REMEMBERED = 8192  # queries up to this long have their inspection remembered

FORM, DIRECT, UPDATE = ("application/x-www-form-urlencoded", "application/sparql-query",
                        "application/sparql-update")

# What we serve, in our order of preference (the first is the default), with accepted aliases.
RESULT_TYPES = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"]
RESULT_ALIASES = {"application/json": "application/sparql-results+json",
                  "application/xml": "application/sparql-results+xml",
                  "text/xml": "application/sparql-results+xml"}
GRAPH_TYPES = ["text/turtle", "application/n-triples", "application/ld+json",
               "application/rdf+xml"]
GRAPH_ALIASES = {"application/x-turtle": "text/turtle", "application/xml": "application/rdf+xml",
                 "text/xml": "application/rdf+xml", "application/json": "application/ld+json"}
# format= / output= names (Fuseki's, Virtuoso's and SPARQLWrapper's), for each kind of result
RESULT_FORMATS = {"json": "application/sparql-results+json",
                  "xml": "application/sparql-results+xml", "csv": "text/csv",
                  "tsv": "text/tab-separated-values"}
GRAPH_FORMATS = {"json": "application/ld+json", "jsonld": "application/ld+json",
                 "json-ld": "application/ld+json", "turtle": "text/turtle", "ttl": "text/turtle",
                 "n3": "text/turtle", "nt": "application/n-triples",
                 "ntriples": "application/n-triples", "n-triples": "application/n-triples",
                 "xml": "application/rdf+xml", "rdfxml": "application/rdf+xml",
                 "rdf+xml": "application/rdf+xml", "rdf": "application/rdf+xml"}
FORMAT_NAMES = sorted(RESULT_FORMATS.keys() | GRAPH_FORMATS.keys())


# -- content negotiation (conneg.py: one Accept parser for the whole site) -------------------------

def _variants(offers: Sequence[str], aliases: dict[str, str]) -> tuple[Variant, ...]:
    return tuple(Variant(o, o, tuple(a for a, served in aliases.items() if served == o))
                 for o in offers)


_OFFERS = {
    "results": _variants(RESULT_TYPES, RESULT_ALIASES),
    "graph": _variants(GRAPH_TYPES, GRAPH_ALIASES),
    # the service description: RDF, or the console for a browser that asks for HTML first
    "service": (*_variants(GRAPH_TYPES, GRAPH_ALIASES), Variant("text/html", "text/html")),
}


@lru_cache(maxsize=256)  # clients send the same few Accept headers again and again
def negotiate(accept: str | None, offers: str) -> str | None:
    """The media type of `offers` the client prefers (ties: ours); None: none acceptable."""
    chosen = choose(accept, list(_OFFERS[offers]))
    return chosen.media_type if chosen else None


def chosen_types(accept: str | None, fmt: str | None) -> tuple[str | None, str | None]:
    """(media type for results, for graphs): by `format=` / `output=` when given, else by
    Accept; None where nothing fits."""
    if fmt is None:
        return negotiate(accept, "results"), negotiate(accept, "graph")
    name = fmt.strip().lower().replace(" ", "+")  # a `+` sent unencoded in a URL
    if "/" in name:  # a media type, as Virtuoso's format= takes it
        return negotiate(name, "results"), negotiate(name, "graph")
    if name not in RESULT_FORMATS and name not in GRAPH_FORMATS:
        raise HttpError(400, f"unknown format {fmt!r}: use one of {', '.join(FORMAT_NAMES)}, "
                             "or a media type")
    return RESULT_FORMATS.get(name), GRAPH_FORMATS.get(name)


def _charset(media_type: str) -> str:
    textual = media_type.startswith("text/") or media_type == "application/n-triples"
    return f"{media_type}; charset=utf-8" if textual else media_type


# -- reading the request ---------------------------------------------------------------------------

def _params(raw: bytes | str, where: str) -> list[tuple[str, str]]:
    """URL-encoded parameters, percent-decoded exactly once, as UTF-8."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise HttpError(400, f"the {where} is not URL-encoded UTF-8") from None


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise HttpError(413, f"the request body ({declared} bytes) is over the limit of {limit} "
                             "bytes (max_request_bytes)")
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            raise HttpError(413, f"the request body is over the limit of {limit} bytes "
                                 "(max_request_bytes)")
    return bytes(data)


def _media_type(header: str | None) -> tuple[str, dict[str, str]]:
    if not header:
        return "", {}
    fields = [f.strip() for f in header.split(";")]
    params = {}
    for f in fields[1:]:
        name, _, value = f.partition("=")
        params[name.strip().lower()] = value.strip().strip('"').lower()
    return fields[0].lower(), params


def _utf8(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as e:
        raise HttpError(400, f"the {where} is not UTF-8 ({e.reason} at byte {e.start})") from None


@dataclass(frozen=True)
class Operation:
    query: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    format: str | None = None  # format= (or output=): overrides Accept

    @property
    def dataset(self) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
        """The protocol's dataset: (default graphs, named graphs), both None when not given."""
        if self.default_graphs or self.named_graphs:
            return self.default_graphs, self.named_graphs
        return None, None


async def read_operation(request: Request, settings: Settings) -> Operation:
    """The protocol's query operation out of a GET or POST, or the HttpError that says why not."""
    raw_query_string = request.scope.get("query_string", b"")
    if len(raw_query_string) > settings.max_request_bytes:
        raise HttpError(414, f"the URL is over the limit of {settings.max_request_bytes} bytes; "
                             "send long queries with POST")
    params = _params(raw_query_string, "URL query string")
    body_query: str | None = None
    if request.method == "POST":
        media_type, mt_params = _media_type(request.headers.get("content-type"))
        charset = mt_params.get("charset", "utf-8")
        if media_type in (FORM, DIRECT) and charset not in ("utf-8", "utf8"):
            raise HttpError(415, f"charset={charset} is not supported: send the query in UTF-8")
        data = await _body(request, settings.max_request_bytes)
        if media_type == FORM:
            params += _params(_utf8(data, "form body"), "form body")
        elif media_type == DIRECT:
            body_query = _utf8(data, "query body")
        elif media_type == UPDATE:
            raise HttpError(400, "this endpoint is read-only: SPARQL Update is not accepted")
        elif not media_type:
            raise HttpError(415, f"a POST needs a Content-Type: {FORM} (query=…) or {DIRECT} "
                                 "(the query as the body)")
        else:
            raise HttpError(415, f"Content-Type {media_type} is not supported: use {FORM} "
                                 f"(query=…) or {DIRECT} (the query as the body)")
    names = [name for name, _ in params]
    if "update" in names:
        raise HttpError(400, "this endpoint is read-only: SPARQL Update is not accepted")
    queries = [value for name, value in params if name == "query"]
    if body_query is not None:
        queries.append(body_query)
    if len(queries) > 1:
        raise HttpError(400, f"{len(queries)} queries in one request: send exactly one `query`")
    formats = [value for name, value in params if name in ("format", "output")]
    return Operation(queries[0] if queries else None,
                     _graph_iris(params, "default-graph-uri"),
                     _graph_iris(params, "named-graph-uri"),
                     formats[0] if formats else None)


def _graph_iris(params: list[tuple[str, str]], name: str) -> tuple[str, ...]:
    iris = tuple(value for key, value in params if key == name)
    for iri in iris:
        try:
            ox.NamedNode(iri)
        except ValueError as e:
            raise HttpError(400, f"{name}={iri!r} is not an absolute IRI ({e})") from None
    return iris


# -- the service description -----------------------------------------------------------------------

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def service_description(endpoint: str, settings: Settings,
                        named_graphs: Sequence[str]) -> list[ox.Triple]:
    sd = {name: ox.NamedNode(SD + name) for name in (
        "Service", "endpoint", "supportedLanguage", "SPARQL11Query", "resultFormat", "feature",
        "UnionDefaultGraph", "BasicFederatedQuery", "defaultDataset", "Dataset", "defaultGraph",
        "Graph", "namedGraph", "NamedGraph", "name")}
    service = ox.NamedNode(endpoint)
    dataset, default = ox.BlankNode("dataset"), ox.BlankNode("default")
    features = [sd["UnionDefaultGraph"]]
    if settings.service_allow:
        features.append(sd["BasicFederatedQuery"])
    formats = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
               "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML")
    # Grouped by subject, so that the Turtle reads as one block per node.
    triples = [
        ox.Triple(service, RDF_TYPE, sd["Service"]),
        ox.Triple(service, sd["endpoint"], service),
        ox.Triple(service, sd["supportedLanguage"], sd["SPARQL11Query"]),
        *(ox.Triple(service, sd["feature"], f) for f in features),
        *(ox.Triple(service, sd["resultFormat"], ox.NamedNode(FORMATS + f)) for f in formats),
        ox.Triple(service, sd["defaultDataset"], dataset),
        ox.Triple(dataset, RDF_TYPE, sd["Dataset"]),
        ox.Triple(dataset, sd["defaultGraph"], default),
        *(ox.Triple(dataset, sd["namedGraph"], ox.BlankNode(f"g{i}"))
          for i in range(len(named_graphs))),
        ox.Triple(default, RDF_TYPE, sd["Graph"]),
    ]
    for i, name in enumerate(named_graphs):
        node = ox.BlankNode(f"g{i}")
        triples += [ox.Triple(node, RDF_TYPE, sd["NamedGraph"]),
                    ox.Triple(node, sd["name"], ox.NamedNode(name))]
    return triples


# -- the route -------------------------------------------------------------------------------------

class SparqlEndpoint:
    def __init__(self, settings: Settings, pool: WorkerPool):
        self.settings = settings
        self.pool = pool
        self.cache = ResultCache(settings.cache_bytes)
        # Answers not from the cache, on their way to clients: a slow reader holds its answer in
        # the server until it has read it, so their bytes together are bounded.
        self.sending = 0
        self.max_sending = 4 * settings.max_response_bytes
        self._inspected: dict[str, Inspection] = {}  # query text → its inspection (bounded)
        self._graphs: tuple[Hashable, list[str]] | None = None  # (build, its named graphs)

    async def handle(self, request: Request) -> Response:
        try:
            op = await read_operation(request, self.settings)
            if op.query is None:
                if request.method == "POST":
                    raise HttpError(400, "no `query` in the request")
                return await self.describe(request, op)
            return await self.query(op, request.headers.get("accept"))
        except ClientDisconnect:
            # The client went away before sending its whole request: nobody to answer.
            log.info("%s %s: the client disconnected", request.method, request.url.path)
            return Response(status_code=400)
        except PlangraphError as e:
            status, title = status_of(e)
            if status >= 500:
                # 500: our fault, logged as an error; 502/503: a limit or a peer, a warning.
                level = logging.ERROR if status == 500 else logging.WARNING
                log.log(level, "%s %s → %d: %s", request.method, request.url.path, status, e)
            headers = dict(getattr(e, "headers", {}))
            if isinstance(e, PoolBusy):
                headers["Retry-After"] = "1"  # not for a timeout: the same query would time out
            elif isinstance(e, NoWorkers):
                headers["Retry-After"] = str(math.ceil(e.retry_after))
            return error_response(status, title, str(e), headers)
        except Exception:
            log.exception("%s %s failed", request.method, request.url.path)
            return error_response(500, "Internal Server Error",
                                  "the server failed to answer this request; the fault is logged")

    def inspect(self, query: str) -> Inspection:
        """The guard's inspection of a query (remembered for short queries: clients repeat
        theirs)."""
        found = self._inspected.get(query)
        if found is None:
            s = self.settings
            found = inspect_query(query, base=s.base, service_allow=s.service_allow,
                                  prefixes=PREFIXES)
            if len(query) <= _REMEMBERED:
                if len(self._inspected) >= 1024:
                    self._inspected.pop(next(iter(self._inspected)))
                self._inspected[query] = found
        return found

    async def query(self, op: Operation, accept: str | None) -> Response:
        s = self.settings
        query = op.query or ""
        if len(query) > _INLINE_INSPECTION and query not in self._inspected:
            found = await asyncio.to_thread(self.inspect, query)  # lets other requests in
        else:
            found = self.inspect(query)
        results_type, graph_type = chosen_types(accept, op.format)
        # Refuse before running when the form is known and nothing fits it.
        if found.form in ("SELECT", "ASK"):
            if results_type is None:
                raise NotAcceptable(_not_acceptable(accept, op.format, RESULT_TYPES))
            graph_type = None
        elif found.form in ("CONSTRUCT", "DESCRIBE"):
            if graph_type is None:
                raise NotAcceptable(_not_acceptable(accept, op.format, GRAPH_TYPES))
            results_type = None
        default_graphs, named_graphs = op.dataset
        key = (found.normalized, default_graphs, named_graphs, results_type, graph_type)
        build = store_identity(s.store_path)
        answer = self.cache.get(build, key)
        if answer is not None:
            return _respond(answer, "hit")
        job = Job(query=query, base_iri=s.base, default_graphs=default_graphs,
                  named_graphs=named_graphs, declares_dataset=found.declares_dataset,
                  results_type=results_type, graph_type=graph_type,
                  prefixes=found.predeclared_used(PREFIXES),
                  output_prefixes=found.output_prefixes(PREFIXES), services=found.services,
                  max_rows=s.max_rows, max_bytes=s.max_response_bytes)
        try:
            answer = await self.pool.run(job)
        except NotAcceptable as e:
            if e.kind == "terms":
                raise
            offers = GRAPH_TYPES if e.kind == "graph" else RESULT_TYPES
            raise NotAcceptable(_not_acceptable(accept, op.format, offers)) from None
        # An answer that calls another endpoint may change without a rebuild: not kept.
        stored = not found.services and self.cache.put(build, key, answer)
        if stored:  # the cache holds it anyway
            return _respond(answer, "fwd=miss; stored")
        size = len(answer.body)
        if self.sending + size > self.max_sending:
            raise PoolBusy(f"{self.sending >> 20} MiB of answers are still on their way to "
                           f"slow clients (at most {self.max_sending >> 20} MiB); try again "
                           "shortly")
        self.sending += size
        return _respond(answer, "fwd=miss", sent=lambda: self._sent(size))

    def _sent(self, size: int) -> None:
        self.sending -= size

    async def named_graphs(self) -> list[str]:
        """The named graphs of the build being served (asked again after a rebuild)."""
        build = store_identity(self.settings.store_path)
        if self._graphs is None or self._graphs[0] != build:
            answer = await self.pool.run(Job(
                "SELECT DISTINCT ?g WHERE { GRAPH ?g {} } ORDER BY ?g",
                results_type="text/tab-separated-values", max_rows=self.settings.max_rows,
                max_bytes=self.settings.max_response_bytes))
            rows = answer.body.decode("utf-8").splitlines()[1:]
            self._graphs = (build, [row.strip("<>") for row in rows if row.startswith("<")])
        return self._graphs[1]

    async def describe(self, request: Request, op: Operation) -> Response:
        # A browser (text/html first, explicitly) goes to the query console; ties go to RDF.
        accept = request.headers.get("accept")
        if op.format is not None:
            media_type = chosen_types(accept, op.format)[1]
        else:
            media_type = negotiate(accept, "service")
        if media_type == "text/html":
            return RedirectResponse(CONSOLE, status_code=303)
        if media_type is None:
            raise NotAcceptable(_not_acceptable(accept, op.format, GRAPH_TYPES))
        # The endpoint as published (settings), never as the request's Host header names it.
        endpoint = self.settings.site_root + PATH
        triples = service_description(endpoint, self.settings, await self.named_graphs())
        body = ox.serialize(triples, format=ox.RdfFormat.from_media_type(media_type),
                            prefixes={"sd": SD, "formats": FORMATS}) or b""
        return Response(body, media_type=_charset(media_type), headers={"Vary": "Accept"})


def _respond(answer: Answer, cache_status: str,
             sent: Callable[[], None] | None = None) -> Response:
    headers = {"Vary": "Accept", "Cache-Status": f"plangraph; {cache_status}"}
    if sent is None:
        return Response(answer.body, media_type=_charset(answer.media_type), headers=headers)
    return _Accounted(answer.body, media_type=_charset(answer.media_type), headers=headers,
                      sent=sent)


_CHUNK = 256 * 1024


class _Accounted(Response):
    """An answer sent in chunks, each once the client has taken the one before (the server's
    flow control), that says when it has all been sent or the client has gone: until then the
    server holds it."""

    def __init__(self, body: bytes, *, sent: Callable[[], None], **kwargs: Any):
        super().__init__(body, **kwargs)
        self._sent = sent

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await send({"type": "http.response.start", "status": self.status_code,
                        "headers": self.raw_headers})
            view = memoryview(self.body)
            end = len(view)
            for start in range(0, max(end, 1), _CHUNK):
                await send({"type": "http.response.body",
                            "body": bytes(view[start:start + _CHUNK]),
                            "more_body": start + _CHUNK < end})
        finally:
            self._sent()


def _not_acceptable(accept: str | None, fmt: str | None, offers: Sequence[str]) -> str:
    asked = f"format={fmt}" if fmt is not None else f"Accept: {accept}"
    return f"{asked} matches none of the formats for this result: {', '.join(offers)}"


def _method_not_allowed(request: Request) -> Response:
    return error_response(405, "Method Not Allowed",
                          f"{request.method} is not a SPARQL query operation: use GET or POST",
                          {"Allow": "GET, HEAD, POST, OPTIONS"})


def _options(request: Request) -> Response:
    """OPTIONS without a CORS preflight (web/headers.py answers those): what the path allows."""
    return Response(status_code=204, headers={"Allow": "GET, HEAD, POST, OPTIONS"})


# -- the description (/openapi.json) -----------------------------------------------------------------
# What read_operation accepts and what handle answers, for each method (web/openapi.py).

_DESCRIPTION = (
    "The [SPARQL 1.1 Protocol](https://www.w3.org/TR/sparql11-protocol/) query operation, "
    "read-only. GET with `query` in the URL; POST with the query as an `application/sparql-query` "
    "body, or URL-encoded in an `application/x-www-form-urlencoded` body (`query=…`). "
    "The dataset: `default-graph-uri` / `named-graph-uri` when given (they override FROM / FROM "
    "NAMED), else the query's own FROM / FROM NAMED, else the union of the named graphs as the "
    "default graph. The project's prefixes (pg, rdf, rdfs, owl, xsd, skos, dct, dcat, eli, org, "
    "prov, …) are predeclared; a query's own PREFIX wins. GET without `query` answers the service "
    "description. The answer's format is negotiated on `Accept`, or chosen by `format` (or "
    "`output`): SELECT and ASK as SPARQL JSON (the default), XML, CSV or TSV; CONSTRUCT and "
    "DESCRIBE as Turtle (the default), N-Triples, JSON-LD (also for `application/json`) or "
    "RDF/XML. Repeated queries are answered from a cache (`Cache-Status`); a GET has an ETag. "
    'Every error has the body `{"error": {"status", "title", "detail"}}`.')

_IRIS = {"type": "array", "items": {"type": "string", "format": "iri"}}
_GRAPH_PARAMS = [
    {"name": "default-graph-uri", "in": "query", "required": False, "style": "form",
     "explode": True, "schema": _IRIS,
     "description": "an IRI of a graph whose merge is the default graph (repeatable)"},
    {"name": "named-graph-uri", "in": "query", "required": False, "style": "form",
     "explode": True, "schema": _IRIS,
     "description": "an IRI of a named graph of the dataset (repeatable)"},
]
_EXAMPLES = {"ask": {"value": "ASK {}"},
             "select": {"value": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"},
             "construct": {"value": "CONSTRUCT WHERE { ?s a ?type } LIMIT 3"}}
_QUERY_PARAM = {"name": "query", "in": "query", "required": False, "schema": {"type": "string"},
                "examples": _EXAMPLES,
                "description": "the SPARQL query; without it, the service description"}
_FORMAT_PARAMS = [
    {"name": name, "in": "query", "required": False,
     "schema": {"type": "string", "examples": [*FORMAT_NAMES, "application/sparql-results+xml"]},
     "description": "the answer's format, overriding Accept: one of "
                    + ", ".join(FORMAT_NAMES) + " (json is SPARQL JSON for SELECT and ASK, "
                    "JSON-LD for CONSTRUCT and DESCRIBE), or a media type"
                    + (" (the same as `format`)" if name == "output" else "")}
    for name in ("format", "output")]
_BODY = {"required": True, "content": {
    DIRECT: {"schema": {"type": "string"}, "examples": _EXAMPLES},
    FORM: {"schema": {"type": "object", "required": ["query"], "properties": {
        "query": {"type": "string"}, "default-graph-uri": _IRIS, "named-graph-uri": _IRIS}},
        "encoding": {"default-graph-uri": {"style": "form", "explode": True},
                     "named-graph-uri": {"style": "form", "explode": True}}},
}}
_RESULTS_JSON = {
    "type": "object", "required": ["head"],
    "properties": {"head": {"type": "object"}, "boolean": {"type": "boolean"},
                   "results": {"type": "object", "required": ["bindings"],
                               "properties": {"bindings": {"type": "array"}}}},
    "anyOf": [{"required": ["results"]}, {"required": ["boolean"]}],
}
_SCHEMAS = {"application/sparql-results+json": _RESULTS_JSON}


def _extra(method: str) -> dict[str, Any]:
    if method == "POST":  # the query in the body; the dataset may be given in the URL
        return {"parameters": [*_GRAPH_PARAMS, *_FORMAT_PARAMS], "requestBody": _BODY}
    return {"parameters": [_QUERY_PARAM, *_GRAPH_PARAMS, *_FORMAT_PARAMS]}


def _responses(method: str) -> dict[int | str, dict[str, Any]]:
    out: dict[int | str, dict[str, Any]] = {
        200: ok("SELECT / ASK results, CONSTRUCT / DESCRIBE triples (or, for a GET without a "
                "query, the service description), in the negotiated format",
                RESULT_TYPES + GRAPH_TYPES, _SCHEMAS)}
    if method != "POST":
        out[303] = {"description": "a GET without a query from a browser (Accept: text/html "
                                   "first) is sent to the query console",
                    "headers": {"Location": {"schema": {"type": "string"}}}}
    out[400] = api_error("a query that does not parse, an unknown prefix, an update, a refused "
                         "SERVICE or file: IRI, a query over the complexity limits, a missing or "
                         "repeated `query`, a graph IRI that is not absolute, an unknown "
                         "`format`, a request that is not UTF-8")
    out[406] = api_error("none of the formats for this result is acceptable (Accept or "
                         "`format`), or the chosen one cannot carry it (JSON-LD and RDF 1.2 "
                         "triple terms)")
    if method == "POST":
        out[413] = api_error("a body over the limit (PLANGRAPH_MAX_REQUEST_BYTES)")
    out[414] = api_error("a URL over the limit (PLANGRAPH_MAX_REQUEST_BYTES): POST long queries")
    if method == "POST":
        out[415] = api_error(f"a Content-Type other than {DIRECT} or {FORM} (or none), or a "
                             "charset other than UTF-8")
    out[422] = api_error("a result over the row limit (PLANGRAPH_MAX_ROWS) or the size limit "
                         "(PLANGRAPH_MAX_RESPONSE_BYTES), or a query that needs more memory than "
                         "a worker may use (PLANGRAPH_WORKER_MEMORY): never a silent partial "
                         "result")
    out[500] = api_error("a fault of the server (logged)")
    out[502] = api_error("a SERVICE endpoint on the allow list failed or could not be reached")
    out[503] = {**api_error("the query ran past the timeout (PLANGRAPH_QUERY_TIMEOUT), every "
                            "query worker stayed busy that long, or no worker is running (the "
                            "store cannot be opened)"),
                "headers": {"Retry-After": {"description": "when the workers were busy, or "
                                            "none was running", "schema": {"type": "integer"}}}}
    return out


# -- wiring ----------------------------------------------------------------------------------------

def install(app: FastAPI, settings: Settings) -> None:
    """Add /sparql to the app, and run its worker pool for the app's lifetime."""
    size = settings.workers or default_pool_size()
    pool = WorkerPool(settings.store_path, size=size, timeout=settings.query_timeout,
                      memory=settings.worker_memory << 20,
                      memory_quads=settings.memory_store_quads)
    endpoint = SparqlEndpoint(settings, pool)
    app.state.sparql_pool = pool
    app.state.sparql = endpoint

    router = APIRouter()
    for method in ("GET", "HEAD", "POST"):  # one route each: each its own operationId
        router.add_api_route(PATH, endpoint.handle, methods=[method],
                             operation_id=f"sparql_query_{method.lower()}",
                             summary="SPARQL 1.1 Protocol query endpoint",
                             description=_DESCRIPTION, response_class=Response,
                             responses=_responses(method), openapi_extra=_extra(method))
    router.add_api_route(PATH, _options, methods=["OPTIONS"], include_in_schema=False)
    answers(endpoint.handle, "GET", "HEAD", "POST", "OPTIONS")
    router.add_api_route(PATH, _method_not_allowed, methods=["PUT", "DELETE", "PATCH", "TRACE"],
                         include_in_schema=False)
    app.include_router(router)

    outer = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app_: Any) -> AsyncIterator[Any]:
        await pool.start()  # fail at startup, not at the first query, if the store is unusable
        try:
            async with outer(app_) as state:
                yield state
        finally:
            await pool.close()

    app.router.lifespan_context = lifespan
