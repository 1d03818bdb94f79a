"""The SPARQL parser's syntax errors, made short and useful.

pyoxigraph reports `error at LINE:COLUMN: expected one of …`, listing every terminal it could have
read, Unicode ranges included (600 characters for `ASK {`). A person needs the place, what is
there, a few of the things that could be, and what to do: an unknown prefix is named, with its
PREFIX line when it is a known vocabulary; a bracket never closed (or closing nothing) is pointed
at. The parser's own position is where it gave up, often further on than the mistake (the end of
the query), so it comes last.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..vocab import KNOWN_PREFIXES, PREFIXES
from .guard import QueryRefused, tokens

_AT = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
# a character class of the parser's grammar, quotes inside included: ['0'..='9'], ['\\']
_CLASS = re.compile(r"\[(?:'(?:[^'\\]|\\.)*'|[^\]'])*\]")
_PNAME_BEFORE = re.compile(r"([^\W\d_][\w.\-]*)?:[\w.\-:%]*$")
SHOWN = 6  # expected terminals listed at most
NEAR = 30  # characters of the query shown before the error


def short_syntax_error(message: str, query: str,
                       vocabularies: Mapping[str, str] | None = None) -> str:
    """A one-line message for a pyoxigraph SyntaxError on `query`."""
    found = _AT.match(message)
    if not found:
        return message if len(message) <= 300 else message[:300] + "…"
    line, column, rest = int(found[1]), int(found[2]), found[3]
    lines = query.split("\n")
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    before = text[:max(column - 1, 0)]
    if "Prefix not found" in rest:
        prefix = _PNAME_BEFORE.search(before)
        if prefix:
            return unknown_prefix(prefix[1] or "", line, column, vocabularies)
    unbalanced = _unbalanced(query)
    if unbalanced:
        return f"syntax error: {unbalanced}"
    where = f"line {line}, column {column}"
    if not query[_offset(lines, line, column):].strip():
        where += " (the end of the query)"
    near = before[-NEAR:].lstrip()
    shown = f" after `{near}`" if near else ""
    return f"syntax error at {where}{shown}: expected {_expected(rest)}"


_PAIRS = {"{": "}", "(": ")", "[": "]"}


def _unbalanced(query: str) -> str | None:
    """The first bracket that is never closed, or that closes nothing (or the wrong one)."""
    try:
        toks = tokens(query, enforce=False)
    except QueryRefused:
        return None
    opened: list[tuple[str, int]] = []
    for kind, text, start in toks:
        if kind != "punct":
            continue
        if text in _PAIRS:
            opened.append((text, start))
        elif text in _PAIRS.values():
            if not opened or _PAIRS[opened[-1][0]] != text:
                return f"the `{text}` at {_place(query, start)} closes nothing"
            opened.pop()
    if opened:
        text, start = opened[-1]
        return f"the `{text}` at {_place(query, start)} is never closed: add a `{_PAIRS[text]}`"
    return None


def _place(query: str, offset: int) -> str:
    line = query.count("\n", 0, offset) + 1
    return f"line {line}, column {offset - (query.rfind(chr(10), 0, offset) + 1) + 1}"


def unknown_prefix(prefix: str, line: int, column: int,
                   vocabularies: Mapping[str, str] | None = None) -> str:
    known = {**KNOWN_PREFIXES, **PREFIXES, **(vocabularies or {})}
    message = f"unknown prefix `{prefix}:` (line {line}, column {column}): declare it"
    if prefix in known:
        return f"{message} at the top of the query: PREFIX {prefix}: <{known[prefix]}>"
    return f"{message} with a PREFIX line at the top of the query"


def _offset(lines: list[str], line: int, column: int) -> int:
    """The character offset of LINE:COLUMN (1-based) in the query."""
    return sum(len(x) + 1 for x in lines[:line - 1]) + max(column - 1, 0)


def _expected(rest: str) -> str:
    rest = rest.removeprefix("expected one of ").removeprefix("expected ").strip()
    classes = _CLASS.findall(rest)
    items = [i.strip().strip('"') for i in _CLASS.sub("", rest).split(", ")]
    items = [i for i in items if i and i not in ("[_]", "_")]
    if any("'0'" in c for c in classes):
        items.append("a number")
    if any("'A'" in c for c in classes):
        items.append("a name")
    if not items:
        return "something else here"
    listed = ", ".join(f"`{i}`" if not i.startswith("a ") else i for i in items[:SHOWN])
    more = f" (or {len(items) - SHOWN} more)" if len(items) > SHOWN else ""
    return f"one of {listed}{more}" if len(items) > 1 else listed
