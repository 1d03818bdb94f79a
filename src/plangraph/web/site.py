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

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from ..config import Settings
from . import charts, console, dumps, ontodoc, resources, void
from .deps import STATIC, Site, StoreUnavailable
from .errors import status_of
from .layout import error


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
