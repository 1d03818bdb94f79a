"""The RDF formats the site serves: media type, file suffix and pyoxigraph serializer of each."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from fastapi.responses import Response

from ..vocab import PREFIXES as VOCAB_PREFIXES
from . import conneg


@dataclass(frozen=True)
class RdfFormat:
    variant: conneg.Variant
    suffix: str
    ox_format: ox.RdfFormat
    content_type: str


TURTLE = RdfFormat(conneg.TURTLE, ".ttl", ox.RdfFormat.TURTLE, "text/turtle; charset=utf-8")
JSONLD = RdfFormat(conneg.JSONLD, ".jsonld", ox.RdfFormat.JSON_LD, "application/ld+json")
NTRIPLES = RdfFormat(conneg.NTRIPLES, ".nt", ox.RdfFormat.N_TRIPLES,
                     "application/n-triples; charset=utf-8")
RDFXML = RdfFormat(conneg.RDFXML, ".rdf", ox.RdfFormat.RDF_XML, "application/rdf+xml")
FORMATS = (TURTLE, JSONLD, NTRIPLES, RDFXML)
BY_KEY = {f.variant.key: f for f in FORMATS}
BY_SUFFIX = {f.suffix: f for f in FORMATS}

# prefixes written into Turtle and JSON-LD (and shown on pages): the project's (vocab.py)
PREFIXES = VOCAB_PREFIXES


def serialize(triples: Iterable[ox.Triple], fmt: RdfFormat,
              prefixes: dict[str, str] | None = None) -> bytes:
    """Triples in one format; sorted, so the same description always gives the same bytes."""
    ordered = sorted(set(triples), key=str)
    if fmt is NTRIPLES:
        return ox.serialize(ordered, format=fmt.ox_format) or b""
    return ox.serialize(ordered, format=fmt.ox_format, prefixes=prefixes or PREFIXES) or b""


def rdf_response(triples: Iterable[ox.Triple], fmt: RdfFormat, *,
                 prefixes: dict[str, str] | None = None,
                 headers: dict[str, str] | None = None) -> Response:
    return Response(serialize(triples, fmt, prefixes), media_type=fmt.content_type,
                    headers=headers)


def curie(iri: str, prefixes: dict[str, str] | None = None) -> str:
    """`pg:Measure` for https://w3id.org/plangraph/ontology#Measure; the IRI when no prefix fits."""
    best, best_ns = "", ""
    for prefix, ns in (prefixes or PREFIXES).items():
        if iri.startswith(ns) and len(ns) > len(best_ns) and iri != ns:
            best, best_ns = prefix, ns
    return f"{best}:{iri[len(best_ns):]}" if best else iri
