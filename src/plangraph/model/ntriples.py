"""N-Triples / N-Quads lines from rdflib terms: canonical, fast, sortable.

rdflib's own serialisers walk hash-ordered indexes (their output order changes with the hash seed)
and are slow, and an rdflib Graph costs about a kilobyte per triple. The build makes its graphs as
`Triples`, sets of N-Triples lines: a sorted list of lines is the canonical dump everything else is
made from, and a thousand versions of the plan fit in a few gigabytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


class Lit(NamedTuple):
    """A literal for `Triples.add`, made without rdflib's Literal (whose constructor parses and
    normalises its value: most of the cost of making a version's triples)."""

    lexical: str
    lang: str | None = None
    datatype: str | None = None


def plain(value: str, lang: str | None = None) -> Lit:
    """A plain string, or a language-tagged one."""
    return Lit(value, lang)


def typed(value: object, datatype: str) -> Lit:
    """A typed literal in its canonical lexical form (booleans true/false, dates ISO)."""
    if isinstance(value, bool):
        lexical = "true" if value else "false"
    elif isinstance(value, dt.date):
        lexical = value.isoformat()
    else:
        lexical = str(value)
    return Lit(lexical, None, str(datatype))


def term(t: object) -> str:
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, Lit):
        s = '"' + t.lexical.translate(_ESCAPES) + '"'
        if t.lang:
            return f"{s}@{t.lang.lower()}"
        if t.datatype is not None and t.datatype != str(XSD.string):
            return f"{s}^^<{t.datatype}>"
        return s
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


class Triples:
    """A set of triples kept as N-Triples lines without the final " .": what a graph builder
    `add`s (the same call as rdflib's Graph.add), what the dumps are written from."""

    __slots__ = ("lines",)

    def __init__(self) -> None:
        self.lines: set[str] = set()

    def add(self, triple: tuple[object, object, object]) -> None:
        s, p, o = triple
        self.lines.add(f"{term(s)} {term(p)} {term(o)}")

    def __len__(self) -> int:
        return len(self.lines)

    def __iter__(self) -> Iterator[str]:
        return iter(self.lines)

    def ntriples(self) -> str:
        return "".join(f"{line} .\n" for line in sorted(self.lines))

    def graph(self) -> Graph:
        """As an rdflib Graph, for the small graphs that are read triple by triple."""
        return Graph().parse(data=self.ntriples(), format="nt")


def quad_lines(graphs: Iterable[tuple[URIRef | None, Graph]]) -> list[str]:
    """Sorted, de-duplicated N-Quads lines of rdflib graphs (graph None: the default graph)."""
    lines = set()
    for name, g in graphs:
        suffix = f" <{name}> .\n" if name is not None else " .\n"
        for s, p, o in g:
            lines.add(f"{term(s)} {term(p)} {term(o)}{suffix}")
    return sorted(lines)
