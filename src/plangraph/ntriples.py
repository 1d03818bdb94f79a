"""N-Triples / N-Quads lines from rdflib terms: canonical, fast, sortable.

rdflib's own serialisers walk hash-ordered indexes (their output order changes with the hash seed)
and are slow; a sorted list of lines is the canonical dump everything else is made from.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def term(t: object) -> str:
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, Literal):
        s = '"' + str(t).translate(_ESCAPES) + '"'
        if t.language:
            return f"{s}@{t.language.lower()}"  # as Oxigraph stores it
        if t.datatype is not None and t.datatype != XSD.string:
            return f"{s}^^<{t.datatype}>"
        return s
    if isinstance(t, BNode):
        return f"_:{t}"
    raise TypeError(f"not an RDF term: {t!r}")


def quad_lines(graphs: Iterable[tuple[URIRef | None, Graph]]) -> list[str]:
    """Sorted, de-duplicated N-Quads lines (graph None: the default graph)."""
    lines = set()
    for name, g in graphs:
        suffix = f" <{name}> .\n" if name is not None else " .\n"
        for s, p, o in g:
            lines.add(f"{term(s)} {term(p)} {term(o)}{suffix}")
    return sorted(lines)
