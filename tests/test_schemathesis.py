"""Schemathesis against the server's own OpenAPI description (/openapi.json), taken as it is, on a
real server over the seed: generated requests for every operation, bounded
(PLANGRAPH_SCHEMATHESIS_EXAMPLES, 25 per operation by default). Checks: never a 5xx; where the
description declares a response's media type or schema, the response conforms.

Schemathesis finds what the server answers that the description does not declare. The tests below
it check the other way: that what the description declares is true — /sparql as the SPARQL 1.1
Protocol (its parameters, bodies, formats and error statuses), every declared format served by a
real request, every declared /sparql error status answered as declared.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import warnings
from collections.abc import Iterator

import httpx
import jsonschema
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from plangraph.config import Settings
from plangraph.web import sparql
from plangraph.web.app import create_app

from .server import LiveServer

EXAMPLES = int(os.environ.get("PLANGRAPH_SCHEMATHESIS_EXAMPLES", "25"))
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]
METHODS = ("get", "head", "post", "put", "delete", "patch", "options", "trace")


@pytest.fixture(scope="module")
def spec(seed_server) -> dict:
    return httpx.get(seed_server.url + "/openapi.json", timeout=30).json()


@pytest.fixture(scope="module")
def api_schema(spec):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return schemathesis.openapi.from_dict(spec)


schema = schemathesis.pytest.from_fixture("api_schema")
# A SPARQL query body is text: sent as it is generated (schemathesis knows no such media type)
schemathesis.serializer.alias("application/sparql-query", "text/plain")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api(case, seed_server):
    case.call_and_validate(base_url=seed_server.url, checks=CHECKS, timeout=30)


def media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip()


def test_operation_ids_are_unique(spec):
    ids = [op.get("operationId") for ops in spec["paths"].values()
           for method, op in ops.items() if method in METHODS]
    assert None not in ids
    assert len(set(ids)) == len(ids), sorted(i for i in ids if ids.count(i) > 1)


def test_the_description_declares_the_sparql_protocol(spec):
    ops = spec["paths"]["/sparql"]
    assert set(ops) == {"get", "head", "post"}
    served = set(sparql.RESULT_TYPES) | set(sparql.GRAPH_TYPES)
    for method, op in ops.items():
        params = {p["name"]: p for p in op.get("parameters", [])}
        graph_params = {"default-graph-uri", "named-graph-uri"}
        assert graph_params <= set(params), method
        for name in graph_params:  # repeatable: one IRI per occurrence
            assert params[name]["in"] == "query" and params[name]["schema"]["type"] == "array"
        responses = op["responses"]
        assert set(responses["200"]["content"]) == served, method
        errors = {"400", "406", "414", "422", "500", "503"} | (
            {"413", "415"} if method == "post" else set())
        assert errors <= set(responses), (method, sorted(responses))
        for status in errors:
            assert set(responses[status]["content"]) == {"application/json"}, (method, status)
        if method == "post":
            assert "query" not in params  # the query travels in the body
            body = op["requestBody"]
            assert body["required"] is True
            assert set(body["content"]) == {"application/sparql-query",
                                            "application/x-www-form-urlencoded"}
            form = body["content"]["application/x-www-form-urlencoded"]["schema"]
            assert "query" in form["required"] and graph_params <= set(form["properties"])
        else:
            assert params["query"]["in"] == "query" and not params["query"]["required"]
            assert "requestBody" not in op and "303" in responses


def test_the_site_declares_its_own_formats(spec):
    """No page or RDF route says application/json where it answers something else."""
    for path in ("/", "/id/{rest}", "/data/", "/.well-known/void", "/ontology",
                 "/ontology.{suffix}", "/charts", "/charts/{name}.svg", "/data/{name}"):
        for method in ("get", "head"):
            content = spec["paths"][path][method]["responses"]["200"]["content"]
            assert content and set(content) != {"application/json"}, (path, method)


# -- what the description declares is served ------------------------------------------------------

def _examples(param: dict) -> list[str]:
    found = list(param.get("schema", {}).get("examples", []))
    found += [e["value"] for e in param.get("examples", {}).values()]
    return found


def _requests(path: str, op: dict) -> Iterator[tuple[str, dict[str, str]]]:
    """(URL path, query parameters) from the operation's examples: every combination of the path
    parameters', and each query parameter's examples one at a time (or none)."""
    params = op.get("parameters", [])
    in_path = [p for p in params if p["in"] == "path"]
    in_query = [p for p in params if p["in"] == "query" and _examples(p)]
    for values in itertools.product(*(_examples(p) for p in in_path)):
        url = path
        for p, value in zip(in_path, values, strict=True):
            url = url.replace("{" + p["name"] + "}", value)
        yield url, {}
        for p in in_query:
            for value in _examples(p):
                yield url, {p["name"]: value}


# what a client may ask for: every type the description names, and the aliases the server takes
ASKED = {"*/*", "text/*", "application/*", "application/json", "application/xml", "text/xml",
         "text/plain", "application/x-turtle", "text/html", "image/png"}


def test_every_declared_format_is_served(spec, seed_server):
    """For each GET, the media types its 200 declares are exactly those it serves, over the
    examples the description gives (path parameters, `query`, `format`) and any Accept."""
    asked = ASKED | {m for ops in spec["paths"].values() for op in ops.values()
                     for m in op["responses"]["200"]["content"]}
    with httpx.Client(base_url=seed_server.url, timeout=30) as client:
        for path, ops in spec["paths"].items():
            declared = set(ops["get"]["responses"]["200"]["content"])
            served = set()
            for url, params in _requests(path, ops["get"]):
                for accept in sorted(asked):
                    r = client.get(url, params=params, headers={"Accept": accept})
                    assert r.status_code < 500, (url, params, accept, r.text)
                    if r.status_code == 200:
                        served.add(media_type(r))
            assert served == declared, path


@pytest.fixture(scope="module")
def tight(built: Settings) -> Iterator[httpx.Client]:
    """A server with low limits, to reach every limit the description declares."""
    limits = dataclasses.replace(built, query_timeout=1.0, max_rows=5, max_request_bytes=4096)
    with LiveServer(create_app(limits)) as live, \
            httpx.Client(base_url=live.url, timeout=30) as client:
        yield client


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SPARQL_QUERY = {"Content-Type": "application/sparql-query"}
PROVOKE = {  # status → (method, request keywords): each error /sparql declares, provoked
    400: ("get", {"params": {"query": "SELEC nothing"}}),
    406: ("get", {"params": {"query": "ASK {}"}, "headers": {"Accept": "image/png"}}),
    413: ("post", {"content": "ASK {} #" + "x" * 5000, "headers": SPARQL_QUERY}),
    414: ("get", {"params": {"query": "ASK {} #" + "x" * 5000}}),
    415: ("post", {"content": "ASK {}", "headers": {"Content-Type": "text/plain"}}),
    422: ("get", {"params": {"query": "SELECT * WHERE { ?s ?p ?o }"}}),
    503: ("get", {"params": {"query": RUNAWAY}}),
}


@pytest.mark.parametrize("status", sorted(PROVOKE))
def test_each_declared_sparql_error_is_answered_as_declared(spec, tight, status):
    """(500, a fault of ours, is provoked in test_sparql_limits by killing a worker.)"""
    method, request = PROVOKE[status]
    r = tight.request(method.upper(), "/sparql", **request)
    assert r.status_code == status, r.text
    declared = spec["paths"]["/sparql"][method]["responses"][str(status)]["content"]
    assert media_type(r) in declared
    jsonschema.validate(r.json(), declared[media_type(r)]["schema"])


# -- what the framework answers itself -------------------------------------------------------------

def test_a_path_no_route_matches_answers_the_error_body(seed_server):
    """Found by schemathesis (300 examples): /id/ with a newline inside matches no route, and
    Starlette answered its own {"detail": "Not Found"}, not the error body /id/ declares."""
    path = "/id/%C3%A6%0A%C3%9E%F3%AF%BD%85"
    r = httpx.get(seed_server.url + path, headers={"Accept": "application/json"}, timeout=30)
    assert r.status_code == 404 and media_type(r) == "application/json"
    assert r.json()["error"]["status"] == 404
    r = httpx.get(seed_server.url + path, headers={"Accept": "text/html"}, timeout=30)
    assert r.status_code == 404 and media_type(r) == "text/html"


@pytest.mark.parametrize(("method", "path", "allow"), [
    ("POST", "/id/plan", "GET, HEAD"),          # GET and HEAD are two routes (two operationIds)
    ("DELETE", "/charts", "GET, HEAD"),
    ("CONNECT", "/sparql", "GET, HEAD, POST, OPTIONS"),
    ("PUT", "/sparql", "GET, HEAD, POST, OPTIONS"),
])
def test_a_method_not_allowed_names_every_method_the_path_answers(seed_server, method, path,
                                                                    allow):
    r = httpx.request(method, seed_server.url + path, headers={"Accept": "application/json"},
                      timeout=30)
    assert r.status_code == 405 and r.headers["allow"] == allow
    assert r.json()["error"]["status"] == 405
