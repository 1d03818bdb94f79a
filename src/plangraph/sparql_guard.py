"""Inspect a SPARQL query before it runs: its form, its prefixes, and what it would reach.

pyoxigraph evaluates `SERVICE <iri>` by calling that IRI over HTTP, whatever it is, and offers no
hook to stop it. So every query is tokenized here first: comments, strings and IRIs are skipped as
whole tokens (a `SERVICE` inside a string or an IRI is not the keyword), every `SERVICE` keyword and
the IRI after it are found, and the query is refused unless that IRI is on the allow list.

The tokenizer follows the SPARQL 1.1 terminals closely enough to never *miss* a keyword that
pyoxigraph would see: anything it cannot place (a stray backslash) is refused rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin

from .errors import QueryError

FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


class QueryRefused(QueryError):
    """A query this endpoint will not run (an update, a SERVICE call, a local file)."""


@dataclass(frozen=True)
class Inspection:
    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE; None when the query is too broken to say
    prefixes: dict[str, str] = field(default_factory=dict)
    services: tuple[str, ...] = ()  # every SERVICE IRI, resolved
    datasets: tuple[str, ...] = ()  # every FROM / FROM NAMED IRI, resolved


# -- tokens ----------------------------------------------------------------------------------------

_HEX4, _HEX8 = r"[0-9A-Fa-f]{4}", r"[0-9A-Fa-f]{8}"
_UCHAR = rf"\\u{_HEX4}|\\U{_HEX8}"
# PN_CHARS_BASE and friends, approximated by Unicode word characters (letters, digits, _ and marks).
_PN_LOCAL_ESC = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_PLX = rf"%[0-9A-Fa-f]{{2}}|{_PN_LOCAL_ESC}"
_PN_PREFIX = r"[^\W\d_](?:[\w.\-\u00B7\u203F\u2040]*[\w\-\u00B7\u203F\u2040])?"
_PN_LOCAL = (rf"(?:[\w:]|{_PLX})(?:(?:[\w.:\-\u00B7\u203F\u2040]|{_PLX})*"
             rf"(?:[\w:\-\u00B7\u203F\u2040]|{_PLX}))?")

_TOKEN = re.compile(rf"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<long>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''|\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\")
  | (?P<string>'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*>)
  | (?P<var>[?$]\w[\w\u00B7\u203F\u2040]*)
  | (?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)
  | (?P<backslash>\\)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    at: int


def tokens(query: str) -> Iterator[Token]:
    """The query's tokens, without white space and comments."""
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup or "other"
        if kind in ("space", "comment"):
            continue
        if kind == "backslash":
            # Outside strings, IRIs and escaped local names SPARQL has no backslash; refusing it
            # keeps `\#` from being read as a comment here while the parser reads something else.
            raise QueryRefused(f"unexpected backslash at character {m.start() + 1}")
        yield Token(kind, m.group(), m.start())


def _unescape_iri(text: str) -> str:
    """<…> → the IRI, with \\uXXXX escapes applied as the parser applies them."""
    inner = text[1:-1]
    return re.sub(rf"{_UCHAR}", lambda m: chr(int(m.group()[2:], 16)), inner)


class _Resolver:
    """Prefixed names and relative IRIs → absolute IRIs, as the prologue declares them."""

    def __init__(self, base: str | None):
        self.base = base
        self.prefixes: dict[str, str] = {}

    def iri(self, token: Token) -> str | None:
        if token.kind == "iri":
            value = _unescape_iri(token.text)
            return urljoin(self.base, value) if self.base else value
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            if prefix not in self.prefixes:
                return None  # the parser will refuse it: an undeclared prefix
            return self.prefixes[prefix] + re.sub(_PN_LOCAL_ESC, lambda m: m.group()[1:], local)
        return None


# -- the inspection --------------------------------------------------------------------------------

def inspect_query(query: str, *, base: str | None = None,
                  service_allow: Iterable[str] = ()) -> Inspection:
    """The query's form and references; raises QueryRefused for what this endpoint does not run.

    Refused: updates; `SERVICE ?var`; `SERVICE` to an IRI not in `service_allow`; `file:` IRIs in
    FROM, FROM NAMED or SERVICE. A query that does not parse is not refused here: the parser gives
    the better message.
    """
    allow = set(service_allow)
    toks = list(tokens(query))
    resolver = _Resolver(base)
    form: str | None = None
    services: list[str] = []
    datasets: list[str] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        word = tok.text.upper() if tok.kind == "word" else ""
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if word == "PREFIX" and nxt is not None and nxt.kind == "pname" and i + 2 < len(toks):
            if toks[i + 2].kind == "iri":
                resolved = resolver.iri(toks[i + 2])
                if resolved is not None:
                    resolver.prefixes[nxt.text.partition(":")[0]] = resolved
            i += 3
            continue
        if word == "BASE" and nxt is not None and nxt.kind == "iri":
            resolver.base = resolver.iri(nxt)
            i += 2
            continue
        if form is None and word:
            if word in UPDATES:
                raise QueryRefused(f"this endpoint is read-only: {word} is an update, not a query")
            if word in FORMS:
                form = word
        if word == "SERVICE":
            services.append(_service_target(toks, i, resolver, allow))
        elif word == "FROM":
            j = i + 1
            if j < len(toks) and toks[j].kind == "word" and toks[j].text.upper() == "NAMED":
                j += 1
            if j < len(toks):
                target = resolver.iri(toks[j])
                if target is not None:
                    _refuse_local(target, "FROM")
                    datasets.append(target)
        i += 1
    return Inspection(form, dict(resolver.prefixes), tuple(services), tuple(datasets))


def _service_target(toks: list[Token], i: int, resolver: _Resolver, allow: set[str]) -> str:
    j = i + 1
    if j < len(toks) and toks[j].kind == "word" and toks[j].text.upper() == "SILENT":
        j += 1
    if j >= len(toks):
        raise QueryRefused("SERVICE without an endpoint IRI")
    target_tok = toks[j]
    if target_tok.kind == "var":
        raise QueryRefused(f"SERVICE {target_tok.text}: a SERVICE endpoint must be an IRI, "
                           "not a variable, so that it can be checked before the query runs")
    target = resolver.iri(target_tok)
    if target is None:
        raise QueryRefused(f"SERVICE {target_tok.text}: cannot tell which endpoint this names")
    _refuse_local(target, "SERVICE")
    if target not in allow:
        allowed = ", ".join(sorted(allow)) if allow else "none"
        raise QueryRefused(f"SERVICE <{target}> is not allowed: this endpoint calls only the "
                           f"endpoints on its allow list (service_allow: {allowed})")
    return target


def _refuse_local(iri: str, where: str) -> None:
    if iri.lower().startswith("file:"):
        raise QueryRefused(f"{where} <{iri}>: local files are not accessible through this endpoint")


def query_form(query: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE — the first form keyword — or None; refuses nothing."""
    try:
        for tok in tokens(query):
            if tok.kind == "word" and tok.text.upper() in FORMS:
                return tok.text.upper()
    except QueryRefused:
        return None
    return None
