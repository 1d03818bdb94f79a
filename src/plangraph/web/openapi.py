"""What /openapi.json says about the server: every route with the media types it really answers.

FastAPI writes a route's description from its Python signature. Our routes return Response
objects whose media type comes from content negotiation (conneg.py) and whose errors come from
web/problems.py, so each route declares them itself with `responses=` (and /sparql its protocol
parameters and bodies with `openapi_extra=`, sparql.py). This module holds the shared pieces:

- `site_error` / `api_error`: an error response as the site answers it (HTML page or the JSON
  error body, by Accept: layout.error) or as the endpoint answers it (the JSON error body);
- `content`: media types with the schema of each;
- `get_and_head`: one route for GET and one for HEAD, so that each has its own operationId
  (`allowed` then says which methods a path answers: Starlette's 405 names one route's only);
- `describe`: the app's description, without the "422 Validation Error" FastAPI adds to every
  route with parameters when the route cannot answer it (all its parameters are optional or path
  strings, which no request can fail to match), and with the 304 that web/headers.py answers for
  every GET and HEAD of what comes from the build.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi

from .headers import CONDITIONAL
from .problems import ERROR_MEDIA_TYPE

# The body of every error (web/problems.py error_response).
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["status", "title", "detail"],
        "properties": {"status": {"type": "integer"}, "title": {"type": "string"},
                       "detail": {"type": "string"}},
    }},
}
TEXT: dict[str, Any] = {"type": "string"}
# A JSON-LD document is an object or an array, whichever route serves it.
JSONLD_SCHEMA: dict[str, Any] = {"type": ["object", "array"]}


def content(media_types: Iterable[str],
            schemas: Mapping[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """{media type: {"schema": …}}; JSON-LD is JSON-LD's, any other type without a schema of its
    own is text."""
    known = {"application/ld+json": JSONLD_SCHEMA, **(schemas or {})}
    return {m: {"schema": known.get(m, TEXT)} for m in media_types}


def api_error(description: str) -> dict[str, Any]:
    """An error of the SPARQL endpoint: always the JSON error body."""
    return {"description": description,
            "content": {ERROR_MEDIA_TYPE: {"schema": ERROR_SCHEMA}}}


def site_error(description: str) -> dict[str, Any]:
    """An error of a page: an HTML page for a browser, else the JSON error body (layout.error)."""
    return {"description": description,
            "content": {"text/html": {"schema": TEXT},
                        ERROR_MEDIA_TYPE: {"schema": ERROR_SCHEMA}}}


def ok(description: str, media_types: Iterable[str],
       schemas: Mapping[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"description": description, "content": content(media_types, schemas)}


# endpoint function → every method it answers, over the routes it has one per method
_METHODS: dict[Callable[..., Any], tuple[str, ...]] = {}


def answers(endpoint: Callable[..., Any], *methods: str) -> None:
    _METHODS[getattr(endpoint, "__func__", endpoint)] = methods


def allowed(endpoint: Any) -> str | None:
    """The Allow header of a 405 from a route of `endpoint` (None: not one of ours)."""
    methods = _METHODS.get(getattr(endpoint, "__func__", endpoint))
    return ", ".join(methods) if methods else None


def get_and_head(router: APIRouter, path: str, **kwargs: Any
                 ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the function for GET and, as its own route, HEAD: FastAPI gives one route one
    operationId for all its methods, and operationIds must be unique (OpenAPI 3.1 §4.8.10)."""
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        for method in ("GET", "HEAD"):
            router.add_api_route(path, fn, methods=[method], response_model=None, **kwargs)
        answers(fn, "GET", "HEAD")
        return fn
    return register


def _cannot_fail_validation(op: dict[str, Any]) -> bool:
    """No request that reaches the route can fail FastAPI's validation of these parameters."""
    if "requestBody" in op:
        return False
    for p in op.get("parameters", []):
        schema = p.get("schema", {})
        types = {s.get("type") for s in schema.get("anyOf", [schema])}
        if not types <= {"string", "null"} or (p.get("required") and p.get("in") != "path"):
            return False
    return True


NOT_MODIFIED = {"description": "not modified: the request's If-None-Match names the ETag of this "
                               "representation (the build has not changed since)"}


def describe(app: FastAPI) -> dict[str, Any]:
    """app.openapi(): FastAPI's description, its impossible 422s taken out (computed once)."""
    if app.openapi_schema:
        return app.openapi_schema
    spec = get_openapi(title=app.title, version=app.version, summary=app.summary,
                       description=app.description, routes=app.routes)
    for path, ops in spec.get("paths", {}).items():
        for method, op in ops.items():
            generated = op.get("responses", {}).get("422", {})
            if generated.get("description") == "Validation Error" and \
                    _cannot_fail_validation(op):
                del op["responses"]["422"]
            if method in ("get", "head") and path.startswith(CONDITIONAL):
                op["responses"]["304"] = NOT_MODIFIED  # web/headers.py
    schemas = spec.get("components", {}).get("schemas", {})
    if schemas and "HTTPValidationError" not in repr(spec.get("paths")):
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        if not schemas:
            del spec["components"]["schemas"]
        if not spec["components"]:
            del spec["components"]
    app.openapi_schema = spec
    return spec
