"""The browser side of the server: query console, linked-data pages, dumps, VoID, ontology.

`install(app, settings)` adds, beside the SPARQL endpoint (sparql.py):

    /                       the query console (console.py)
    /id/…                   every minted IRI, HTML or RDF by conneg (resources.py)
    /data/                  the dumps of the build folder (dumps.py)
    /.well-known/void       the VoID description (void.py)
    /ontology               the ontology, documented (ontodoc.py)
    /charts                 pictures drawn from the query library (charts.py)
    /static/…               our CSS and JS, and static/vendor/ (YASGUI, from npm)
"""

from __future__ import annotations

from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from ..config import Settings
from . import chart_pages as charts
from . import console, dumps, ontodoc, resources, void
from .deps import STATIC, Site, StoreUnavailable
from .layout import error
from .openapi import allowed
from .problems import status_of


def install(app: FastAPI, settings: Settings) -> None:
    site = Site(settings)
    app.state.site = site
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (console, resources, dumps, void, ontodoc, charts):
        app.include_router(module.router)

    @app.exception_handler(StoreUnavailable)
    def store_unavailable(request: Request, exc: StoreUnavailable) -> Response:
        status, _ = status_of(exc.cause)
        return error(request, site, status, str(exc))

    # What the framework answers itself (no route matches the path, as /id/ followed by a
    # newline, or a file /static/ does not have; a method a route does not take): the same error
    # body as every other error (problems.py), not Starlette's {"detail": …}.
    @app.exception_handler(HTTPException)
    def http_error(request: Request, exc: HTTPException) -> Response:
        detail = exc.detail if exc.detail != HTTPStatus(exc.status_code).phrase else (
            f"nothing is served at {request.url.path}" if exc.status_code == 404
            else f"{request.method} {request.url.path}: {exc.detail}")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            # every method the path answers, not only those of the route Starlette tried first
            headers["Allow"] = allowed(request.scope.get("endpoint")) or headers.get("Allow", "")
        return error(request, site, exc.status_code, detail, headers=headers)

