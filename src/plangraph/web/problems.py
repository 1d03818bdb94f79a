"""One error body for every HTTP error: {"error": {"status": N, "title": "…", "detail": "…"}}.

Library code raises typed errors (plangraph.errors, querying.guard, web.workers); this module picks
the status and title for each, so that a status always means the same thing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from http import HTTPStatus

from fastapi.responses import Response

from ..errors import PlangraphError, StoreError
from ..querying.guard import QueryRefused, QueryTooComplex, UnknownPrefix
from .workers import (
    NotAcceptable,
    NoWorkers,
    PoolBusy,
    QuerySyntaxError,
    QueryTimeout,
    QueryTooLarge,
    ResultTooLarge,
    ServiceFailed,
    TooManyResults,
    WorkerFailure,
)

ERROR_MEDIA_TYPE = "application/json"


class HttpError(PlangraphError):
    """An error found while reading the request itself (method, media type, size, parameters)."""

    def __init__(self, status: int, detail: str, *, title: str | None = None,
                 headers: Mapping[str, str] | None = None):
        self.status = status
        self.title = title or HTTPStatus(status).phrase
        self.detail = detail
        self.headers = dict(headers or {})
        super().__init__(detail)


# Typed error → (status, title). Order matters: the first class that matches wins.
STATUS: list[tuple[type[PlangraphError], int, str]] = [
    (QuerySyntaxError, 400, "Query syntax error"),
    (UnknownPrefix, 400, "Query syntax error"),
    (QueryTooComplex, 400, "Query too complex"),
    (QueryRefused, 400, "Query refused"),
    (NotAcceptable, 406, "Not Acceptable"),
    # The query is well formed but its answer (or what it takes to compute it) is over the
    # endpoint's limit: the client can fix it (LIMIT/OFFSET, less), so a 4xx; 422 as
    # "understood, but not processed as asked".
    (TooManyResults, 422, "Result too large"),
    (ResultTooLarge, 422, "Result too large"),
    (QueryTooLarge, 422, "Query too large"),
    # A SERVICE endpoint the query calls (on the allow list) failed: the fault is upstream.
    (ServiceFailed, 502, "Bad Gateway"),
    # 503, as Fuseki answers a query past its timeout: the server will not finish this now.
    (QueryTimeout, 503, "Query timeout"),
    (PoolBusy, 503, "Busy"),
    (NoWorkers, 503, "No workers"),
    (WorkerFailure, 500, "Internal Server Error"),
    (StoreError, 500, "Internal Server Error"),
]


def status_of(error: PlangraphError) -> tuple[int, str]:
    if isinstance(error, HttpError):
        return error.status, error.title
    for cls, status, title in STATUS:
        if isinstance(error, cls):
            return status, title
    return 500, "Internal Server Error"


def error_response(status: int, title: str, detail: str,
                   headers: Mapping[str, str] | None = None) -> Response:
    body = {"error": {"status": status, "title": title, "detail": detail}}
    return Response(json.dumps(body, ensure_ascii=False), status_code=status,
                    media_type=ERROR_MEDIA_TYPE, headers=dict(headers or {}))
