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
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin

from ..errors import QueryError

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


Token = tuple[str, str]  # (kind, text): plain tuples, as tokenizing is on every request's path

_SKIPPED = {"space", "comment"}


def tokens(query: str) -> list[Token]:
    """The query's tokens as (kind, text), without white space and comments."""
    found = [(kind, m.group()) for m in _TOKEN.finditer(query)
             if (kind := m.lastgroup or "other") not in _SKIPPED]
    if any(kind == "backslash" for kind, _ in found):
        # Outside strings, IRIs and escaped local names SPARQL has no backslash; refusing it
        # keeps `\#` from being read as a comment here while the parser reads something else.
        raise QueryRefused("unexpected backslash outside a string, an IRI or a prefixed name")
    return found


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
        kind, text = token
        if kind == "iri":
            value = _unescape_iri(text)
            return urljoin(self.base, value) if self.base else value
        if kind == "pname":
            prefix, _, local = text.partition(":")
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
    toks = tokens(query)
    _refuse_deep(toks)
    end = (("", ""), ("", ""), ("", ""))
    resolver = _Resolver(base)
    form: str | None = None
    services: list[str] = []
    datasets: list[str] = []
    for i, (kind, text) in enumerate(toks):
        if kind != "word":
            continue
        word = text.upper()
        following = toks[i + 1:i + 4] + list(end)  # the next tokens, padded
        if word == "PREFIX" and following[0][0] == "pname" and following[1][0] == "iri":
            resolved = resolver.iri(following[1])
            if resolved is not None:
                resolver.prefixes[following[0][1].partition(":")[0]] = resolved
        elif word == "BASE" and following[0][0] == "iri":
            resolver.base = resolver.iri(following[0])
        elif form is None and word in UPDATES:
            raise QueryRefused(f"this endpoint is read-only: {word} is an update, not a query")
        elif form is None and word in FORMS:
            form = word
        elif word == "SERVICE":
            services.append(_service_target(following, resolver, allow))
        elif word == "FROM":
            named = following[0][0] == "word" and following[0][1].upper() == "NAMED"
            target = resolver.iri(following[1] if named else following[0])
            if target is not None:
                _refuse_local(target, "FROM")
                datasets.append(target)
    return Inspection(form, dict(resolver.prefixes), tuple(services), tuple(datasets))


# pyoxigraph's parser recurses once per nesting level: a few thousand levels overflow the query
# worker's stack and kill it. No real query comes near this.
MAX_NESTING = 256


def _refuse_deep(toks: list[Token]) -> None:
    depth = 0
    for _, text in toks:
        if text in ("{", "(", "["):
            depth += 1
            if depth > MAX_NESTING:
                raise QueryRefused(f"the query nests groups, brackets or parentheses more than "
                                   f"{MAX_NESTING} deep")
        elif text in ("}", ")", "]"):
            depth -= 1


def _service_target(following: list[Token], resolver: _Resolver, allow: set[str]) -> str:
    """The endpoint of a SERVICE, from the tokens after the keyword; refused unless allowed."""
    silent = following[0][0] == "word" and following[0][1].upper() == "SILENT"
    kind, text = target = following[1] if silent else following[0]
    if kind == "var":
        raise QueryRefused(f"SERVICE {text}: a SERVICE endpoint must be an IRI, not a variable, "
                           "so that it can be checked before the query runs")
    iri = resolver.iri(target)
    if iri is None:
        raise QueryRefused(f"SERVICE {text or '(nothing)'}: cannot tell which endpoint this names")
    _refuse_local(iri, "SERVICE")
    if iri not in allow:
        allowed = ", ".join(sorted(allow)) if allow else "none"
        raise QueryRefused(f"SERVICE <{iri}> is not allowed: this endpoint calls only the "
                           f"endpoints on its allow list (service_allow: {allowed})")
    return iri


def _refuse_local(iri: str, where: str) -> None:
    if iri.lower().startswith("file:"):
        raise QueryRefused(f"{where} <{iri}>: local files are not accessible through this endpoint")


def query_form(query: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE — the first form keyword — or None; refuses nothing."""
    try:
        toks = tokens(query)
    except QueryRefused:
        return None
    return next((text.upper() for kind, text in toks
                 if kind == "word" and text.upper() in FORMS), None)
