"""create_app(settings): the whole server, built from explicit inputs (tests build their own)."""

from __future__ import annotations

from fastapi import FastAPI

from ..config import Settings
from ..querying.store import store_identity
from .headers import SiteHeaders


def create_app(settings: Settings) -> FastAPI:
    # No /docs nor /redoc: FastAPI's pages load Swagger UI and ReDoc from a CDN, and nothing here
    # comes from the network; /openapi.json describes every route.
    app = FastAPI(title="plangraph", summary="SPARQL endpoint and linked data for Taiwan's "
                  "National Integrity Building Action Plan (國家廉政建設行動方案)",
                  docs_url=None, redoc_url=None)
    app.state.settings = settings
    # One router per resource. sparql: the SPARQL 1.1 Protocol endpoint (/sparql);
    # site: console (/), linked-data pages (/id/…), dumps (/data/), VoID, ontology.
    from . import site, sparql

    sparql.install(app, settings)
    site.install(app, settings)
    from .openapi import describe

    app.openapi = lambda: describe(app)  # type: ignore[method-assign]
    # CORS, security headers, ETag and Cache-Control, on every response (web/headers.py)
    app.add_middleware(SiteHeaders, build=lambda: store_identity(settings.store_path))
    return app
