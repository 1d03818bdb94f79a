"""/sparql: the SPARQL 1.1 Protocol, query operation only (https://www.w3.org/TR/sparql11-protocol/).

Requests: GET ?query=…, POST application/x-www-form-urlencoded (query=…), POST
application/sparql-query (the query as the body); default-graph-uri / named-graph-uri give the
dataset (they override FROM / FROM NAMED); without them the default graph is the union of all named
graphs. GET without a query answers the service description.

Answers are negotiated on Accept: SELECT/ASK as SPARQL JSON (the default), XML, CSV or TSV;
CONSTRUCT/DESCRIBE as Turtle (the default), N-Triples, JSON-LD or RDF/XML.

Statuses: 400 a query that does not parse (the parser's message), an update, a refused SERVICE or
file: IRI, a missing or repeated `query`, a body that is not UTF-8; 405 a method other than GET,
HEAD or POST; 406 no acceptable format; 413 a body over max_request_bytes (414 for a URL); 415 a
Content-Type other than the two above (or none); 422 a result over max_rows (never a silent partial
result); 503 a query stopped at query_timeout, or every worker busy that long; 500 our own faults,
logged. Every error has the body {"error": {"status", "title", "detail"}} — SPARQL clients show the
detail.

CORS is open (Access-Control-Allow-Origin: *): the data is public and read-only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from ..config import Settings
from ..errors import PlangraphError
from ..querying.guard import inspect_query
from .conneg import Variant
from .conneg import negotiate as choose
from .openapi import answers, api_error, ok
from .problems import HttpError, error_response, status_of
from .workers import Job, NotAcceptable, PoolBusy, WorkerPool, default_pool_size

log = logging.getLogger("plangraph.sparql")

PATH = "/sparql"
CONSOLE = "/"  # the query console (site.py), where a browser asking for /sparql is sent
_INLINE_INSPECTION = 4096  # characters of query tokenized on the event loop (about 1 ms)
CORS = {"Access-Control-Allow-Origin": "*"}
PREFLIGHT = {**CORS, "Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS",
             "Access-Control-Allow-Headers": "Accept, Content-Type",
             "Access-Control-Max-Age": "86400"}

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
                 "text/xml": "application/rdf+xml"}


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
    return Operation(queries[0] if queries else None,
                     _graph_iris(params, "default-graph-uri"),
                     _graph_iris(params, "named-graph-uri"))


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
        self._named_graphs: list[str] | None = None

    async def handle(self, request: Request) -> Response:
        try:
            op = await read_operation(request, self.settings)
            if op.query is None:
                if request.method == "POST":
                    raise HttpError(400, "no `query` in the request")
                return await self.describe(request)
            return await self.query(op, request.headers.get("accept"))
        except PlangraphError as e:
            status, title = status_of(e)
            if status >= 500:
                # 500: our fault, logged as an error; 503: a limit doing its job, a warning.
                level = logging.ERROR if status == 500 else logging.WARNING
                log.log(level, "%s %s → %d: %s", request.method, request.url.path, status, e)
            headers = {**CORS, **getattr(e, "headers", {})}
            if isinstance(e, PoolBusy):
                headers["Retry-After"] = "1"  # not for a timeout: the same query would time out
            return error_response(status, title, str(e), headers)
        except Exception:
            log.exception("%s %s failed", request.method, request.url.path)
            return error_response(500, "Internal Server Error",
                                  "the server failed to answer this request; the fault is logged",
                                  CORS)

    async def query(self, op: Operation, accept: str | None) -> Response:
        s = self.settings
        query = op.query or ""
        if len(query) > _INLINE_INSPECTION:  # a long query: tokenize it off the event loop
            found = await asyncio.to_thread(inspect_query, query, base=s.base,
                                            service_allow=s.service_allow)
        else:
            found = inspect_query(query, base=s.base, service_allow=s.service_allow)
        results_type = negotiate(accept, "results")
        graph_type = negotiate(accept, "graph")
        # Refuse before running when the form is known and nothing fits it.
        if found.form in ("SELECT", "ASK") and results_type is None:
            raise NotAcceptable(_not_acceptable(accept, RESULT_TYPES))
        if found.form in ("CONSTRUCT", "DESCRIBE") and graph_type is None:
            raise NotAcceptable(_not_acceptable(accept, GRAPH_TYPES))
        dataset = bool(op.default_graphs or op.named_graphs)
        job = Job(query=query, base_iri=s.base,
                  default_graphs=op.default_graphs if dataset else None,
                  named_graphs=op.named_graphs if dataset else None,
                  results_type=results_type, graph_type=graph_type, prefixes=found.prefixes,
                  max_rows=s.max_rows)
        try:
            answer = await self.pool.run(job)
        except NotAcceptable as e:
            offers = GRAPH_TYPES if e.kind == "graph" else RESULT_TYPES
            raise NotAcceptable(_not_acceptable(accept, offers)) from None
        return Response(answer.body, media_type=_charset(answer.media_type),
                        headers={**CORS, "Vary": "Accept"})

    async def describe(self, request: Request) -> Response:
        # A browser (text/html first, explicitly) goes to the query console; ties go to RDF.
        media_type = negotiate(request.headers.get("accept"), "service")
        if media_type == "text/html":
            return RedirectResponse(CONSOLE, status_code=303, headers=CORS)
        if media_type is None:
            raise NotAcceptable(_not_acceptable(request.headers.get("accept"), GRAPH_TYPES))
        if self._named_graphs is None:
            answer = await self.pool.run(Job(
                "SELECT DISTINCT ?g WHERE { GRAPH ?g {} } ORDER BY ?g",
                results_type="text/tab-separated-values", max_rows=self.settings.max_rows))
            rows = answer.body.decode("utf-8").splitlines()[1:]
            self._named_graphs = [row.strip("<>") for row in rows if row.startswith("<")]
        endpoint = str(request.url.replace(query="", fragment=""))
        triples = service_description(endpoint, self.settings, self._named_graphs)
        body = ox.serialize(triples, format=ox.RdfFormat.from_media_type(media_type),
                            prefixes={"sd": SD, "formats": FORMATS}) or b""
        return Response(body, media_type=_charset(media_type), headers={**CORS, "Vary": "Accept"})


def _not_acceptable(accept: str | None, offers: Sequence[str]) -> str:
    return f"Accept: {accept} matches none of the formats for this result: {', '.join(offers)}"


def _method_not_allowed(request: Request) -> Response:
    return error_response(405, "Method Not Allowed",
                          f"{request.method} is not a SPARQL query operation: use GET or POST",
                          {**CORS, "Allow": "GET, HEAD, POST, OPTIONS"})


def _preflight(request: Request) -> Response:
    return Response(status_code=204, headers=PREFLIGHT)


# -- the description (/openapi.json) -----------------------------------------------------------------
# What read_operation accepts and what handle answers, for each method (web/openapi.py).

_DESCRIPTION = (
    "The [SPARQL 1.1 Protocol](https://www.w3.org/TR/sparql11-protocol/) query operation, "
    "read-only. GET with `query` in the URL; POST with the query as an `application/sparql-query` "
    "body, or URL-encoded in an `application/x-www-form-urlencoded` body (`query=…`). "
    "`default-graph-uri` / `named-graph-uri` give the dataset (they override FROM / FROM NAMED); "
    "without them the default graph is the union of the named graphs. GET without `query` answers "
    "the service description. The answer's format is negotiated on `Accept`: SELECT and ASK as "
    "SPARQL JSON (the default), XML, CSV or TSV; CONSTRUCT and DESCRIBE as Turtle (the default), "
    "N-Triples, JSON-LD or RDF/XML. Every error has the body "
    '`{"error": {"status", "title", "detail"}}`.')

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
        return {"parameters": _GRAPH_PARAMS, "requestBody": _BODY}
    return {"parameters": [_QUERY_PARAM, *_GRAPH_PARAMS]}


def _responses(method: str) -> dict[int | str, dict[str, Any]]:
    out: dict[int | str, dict[str, Any]] = {
        200: ok("SELECT / ASK results, CONSTRUCT / DESCRIBE triples (or, for a GET without a "
                "query, the service description), in the negotiated format",
                RESULT_TYPES + GRAPH_TYPES, _SCHEMAS)}
    if method != "POST":
        out[303] = {"description": "a GET without a query from a browser (Accept: text/html "
                                   "first) is sent to the query console",
                    "headers": {"Location": {"schema": {"type": "string"}}}}
    out[400] = api_error("a query that does not parse, an update, a refused SERVICE or file: "
                         "IRI, a missing or repeated `query`, a graph IRI that is not absolute, "
                         "a request that is not UTF-8")
    out[406] = api_error("none of the formats for this result is acceptable (Accept)")
    if method == "POST":
        out[413] = api_error("a body over the limit (PLANGRAPH_MAX_REQUEST_BYTES)")
    out[414] = api_error("a URL over the limit (PLANGRAPH_MAX_REQUEST_BYTES): POST long queries")
    if method == "POST":
        out[415] = api_error(f"a Content-Type other than {DIRECT} or {FORM} (or none), or a "
                             "charset other than UTF-8")
    out[422] = api_error("a result over the row limit (PLANGRAPH_MAX_ROWS): never a silent "
                         "partial result")
    out[500] = api_error("a fault of the server (logged)")
    out[503] = {**api_error("the query ran past the timeout (PLANGRAPH_QUERY_TIMEOUT), or every "
                            "query worker stayed busy that long"),
                "headers": {"Retry-After": {"description": "when every worker was busy",
                                            "schema": {"type": "integer"}}}}
    return out


# -- wiring ----------------------------------------------------------------------------------------

def install(app: FastAPI, settings: Settings) -> None:
    """Add /sparql to the app, and run its worker pool for the app's lifetime."""
    size = settings.workers or default_pool_size()
    pool = WorkerPool(settings.store_path, size=size, timeout=settings.query_timeout)
    endpoint = SparqlEndpoint(settings, pool)
    app.state.sparql_pool = pool

    router = APIRouter()
    for method in ("GET", "HEAD", "POST"):  # one route each: each its own operationId
        router.add_api_route(PATH, endpoint.handle, methods=[method],
                             operation_id=f"sparql_query_{method.lower()}",
                             summary="SPARQL 1.1 Protocol query endpoint",
                             description=_DESCRIPTION, response_class=Response,
                             responses=_responses(method), openapi_extra=_extra(method))
    router.add_api_route(PATH, _preflight, methods=["OPTIONS"], include_in_schema=False)
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
