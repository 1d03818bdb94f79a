"""Inspect a SPARQL query before it runs: its form, prefixes and dataset, what it would reach, and
whether it is small enough to run.

pyoxigraph evaluates `SERVICE <iri>` by calling that IRI over HTTP, whatever it is, and offers no
hook to stop it. So every query is tokenized here first: comments, strings and IRIs are skipped as
whole tokens (a `SERVICE` inside a string or an IRI is not the keyword), every `SERVICE` keyword and
the IRI after it are found, and the query is refused unless that IRI is on the allow list.

The tokenizer follows the SPARQL 1.1 terminals closely enough to never *miss* a keyword that
pyoxigraph would see: anything it cannot place (a stray backslash) is refused rather than guessed.
pyoxigraph's parser reads keywords without word boundaries (`trueSERVICE:x` is `true SERVICE :x`
to it), so a run of name characters in which SERVICE, SILENT, FROM or NAMED appears other than as
the whole word, or in the local part of a prefixed name, is refused too.

The scan is one pass of a regular expression that never backtracks over a run of characters
(runs of name characters are matched whole, possessively, then split in Python), so inspection
takes time linear in the query's length. The same pass counts what makes a query expensive before
it returns a single row (Limits): pyoxigraph's parser and evaluator recurse once per element of a
flat chain (`1+1+…`, `OPTIONAL {} OPTIONAL {} …`, BINDs), which overflows a worker's stack after
a few thousand, and its join planner takes seconds for a few hundred triple patterns or VALUES
blocks. Such a query is refused here with a 400, before any worker is involved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin

from ..errors import QueryError
from ..vocab import KNOWN_PREFIXES

FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
# Keywords whose place decides what the query reaches: they must stand apart from other text.
GLUED = ("service", "silent", "from", "named")


class QueryRefused(QueryError):
    """A query this endpoint will not run (an update, a SERVICE call, a local file)."""


class QueryTooComplex(QueryRefused):
    """A query over one of the complexity limits (Limits)."""


class UnknownPrefix(QueryRefused):
    """A prefixed name whose prefix the query does not declare (nor the endpoint predeclare)."""


@dataclass(frozen=True)
class Limits:
    """How much of each costly construct one query may hold.

    Measured on pyoxigraph 0.5 (an 8 MiB stack): a worker's stack overflows at about 8 000 `+`
    terms, 8 000 OPTIONALs, 4 000 BINDs or MINUSes, 16 000 FILTERs; planning takes 0.5 s for 100
    objects of one subject, 0.3 s for 100 VALUES blocks or 200 path steps. The limits are far
    below the crashes and keep planning under a second; the query library stays far below them
    (tests/test_guard.py)."""

    nesting: int = 256          # groups, brackets and parentheses inside each other
    terms: int = 20_000         # IRIs, prefixed names, variables, literals, blank nodes
    operators: int = 2000       # + - * / = != < > <= >= && || ! | ^ anywhere
    triple_patterns: int = 100  # separators . ; , between triple patterns, and [ … ] nodes
    path_steps: int = 100       # / | ^ in property paths
    keywords: Mapping[str, int] = field(default_factory=lambda: {
        "OPTIONAL": 256, "MINUS": 256, "UNION": 256, "BIND": 256, "AS": 256, "FILTER": 256,
        "GRAPH": 256, "EXISTS": 256, "SELECT": 64, "VALUES": 64, "SERVICE": 16})


DEFAULT_LIMITS = Limits()
_UNLIMITED = Limits(nesting=1 << 62, terms=1 << 62, operators=1 << 62, triple_patterns=1 << 62,
                    path_steps=1 << 62, keywords={})


@dataclass(frozen=True)
class Inspection:
    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE; None when the query is too broken to say
    prefixes: dict[str, str] = field(default_factory=dict)  # declared by the query itself
    used_prefixes: frozenset[str] = frozenset()  # the prefixes of its prefixed names
    services: tuple[str, ...] = ()  # every SERVICE IRI, resolved
    default_graphs: tuple[str, ...] = ()  # FROM, resolved
    named_graphs: tuple[str, ...] = ()  # FROM NAMED, resolved
    declares_dataset: bool = False  # the query has FROM or FROM NAMED (SPARQL 1.1 §13.2)
    normalized: str = ""  # the query without comments, white space cut to one space
    counts: dict[str, int] = field(default_factory=dict)  # what Limits bounds, as counted

    @property
    def datasets(self) -> tuple[str, ...]:
        return self.default_graphs + self.named_graphs

    def predeclared_used(self, predeclared: Mapping[str, str]) -> dict[str, str]:
        """The predeclared prefixes the query uses without declaring them (what its parser needs
        to be given)."""
        return {p: predeclared[p] for p in sorted(self.used_prefixes)
                if p in predeclared and p not in self.prefixes}

    def output_prefixes(self, predeclared: Mapping[str, str]) -> dict[str, str]:
        """The prefixes to write an answer with: the query's own, and the predeclared ones it
        uses."""
        return {**self.predeclared_used(predeclared), **self.prefixes}


# -- tokens ----------------------------------------------------------------------------------------

_HEX4, _HEX8 = r"[0-9A-Fa-f]{4}", r"[0-9A-Fa-f]{8}"
_UCHAR = rf"\\u{_HEX4}|\\U{_HEX8}"
# PN_CHARS and friends, approximated by Unicode word characters (letters, digits, _ and marks).
_PN_EXTRA = r"\-\u00B7\u203F\u2040"
_PN_LOCAL_ESC = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = re.compile(rf"[^\W\d_](?:[\w.{_PN_EXTRA}]*[\w{_PN_EXTRA}])?")
# A run of name characters: a prefixed name, a keyword, a number, or several of them glued. `.`
# belongs to it only before another name character (`ex:a.b` but not the `.` ending a triple).
# Matched possessively (`++`): never rescanned, whatever follows.
_RUN = (rf"[\w:](?:[\w:%{_PN_EXTRA}]|{_PN_LOCAL_ESC}"
        rf"|\.(?=[\w:%{_PN_EXTRA}\\]))*+")

# One match per token, the white space and comments before it included (so half as many matches);
# at the end of the query, the white space and comments alone (no group).
_TOKEN = re.compile(rf"""
    (?:\s++|\#[^\n\r]*+)*+
    (?:
      (?P<bnode>_:[\w{_PN_EXTRA}]*+(?:\.(?=[\w{_PN_EXTRA}])[\w{_PN_EXTRA}]*+)*+)
    | (?P<run>{_RUN})
    | (?P<var>[?$][\w\u00B7\u203F\u2040]++)
    | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*+>)
    | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*+'''|\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*+\"\"\"
                |'(?:[^'\\\n\r]|\\.)*+'|"(?:[^"\\\n\r]|\\.)*+")
    | (?P<lang>@[A-Za-z]++(?:-[A-Za-z0-9]++)*+)
    | (?P<op>\^\^|&&|\|\||!=|<=|>=)
    | (?P<backslash>\\)
    | (?P<punct>.)
    | \Z
    )
""", re.VERBOSE | re.DOTALL)

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?")
_PIECE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|.", re.DOTALL)

# (kind, text, offset): kinds are string, iri, var, bnode, lang, pname, word, number, op, punct.
Token = tuple[str, str, int]


def tokens(query: str, *, enforce: bool = True) -> list[Token]:
    """The query's tokens, without white space and comments (`enforce`: refuse what cannot be
    read safely)."""
    found: list[Token] = []
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup
        if kind is None:  # the white space and comments at the end
            break
        text, start = m.group(kind), m.start(kind)
        if kind == "run":
            found.extend(_split_run(text, start, enforce))
        elif kind == "backslash" and enforce:
            # Outside strings, IRIs and escaped local names SPARQL has no backslash; refusing it
            # keeps `\#` from being read as a comment here while the parser reads something else.
            raise QueryRefused(f"unexpected backslash outside a string, an IRI or a prefixed name "
                               f"({_where(query, start)})")
        else:
            found.append((kind, text, start))
    return found


_GLUED = re.compile("|".join(GLUED), re.IGNORECASE)


def _split_run(text: str, start: int, enforce: bool = True) -> list[Token]:
    colon = text.find(":")
    head = text if colon < 0 else text[:colon]
    glued = _GLUED.search(head) if enforce else None
    if glued is not None:
        keyword = glued.group().lower()
        if colon >= 0 or head.lower() != keyword:
            raise QueryRefused(
                f"`{text}`: the keyword {keyword.upper()} is joined to other text, which a SPARQL "
                f"parser may read apart from it; write {keyword.upper()} on its own (and rename "
                "a prefix that contains it)")
    if colon >= 0:
        return [("pname", text, start)]
    if _WORD.fullmatch(text):
        return [("word", text, start)]
    if _NUMBER.fullmatch(text):
        return [("number", text, start)]
    pieces: list[Token] = []
    for m in _PIECE.finditer(text):
        piece = m.group()
        kind = "word" if piece[0].isalpha() or piece[0] == "_" else \
            "number" if piece[0].isdigit() else "punct"
        pieces.append((kind, piece, start + m.start()))
    return pieces


def _where(query: str, offset: int) -> str:
    line = query.count("\n", 0, offset) + 1
    column = offset - (query.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def _unescape_iri(text: str) -> str:
    """<…> → the IRI, with \\uXXXX escapes applied as the parser applies them."""
    inner = text[1:-1]
    return re.sub(rf"{_UCHAR}", lambda m: chr(int(m.group()[2:], 16)), inner)


class _Resolver:
    """Prefixed names and relative IRIs → absolute IRIs, as the prologue declares them."""

    def __init__(self, base: str | None, predeclared: Mapping[str, str]):
        self.base = base
        self.predeclared = predeclared
        self.prefixes: dict[str, str] = {}

    def namespace(self, prefix: str) -> str | None:
        found = self.prefixes.get(prefix)
        return found if found is not None else self.predeclared.get(prefix)

    def iri(self, token: Token) -> str | None:
        kind, text, _ = token
        if kind == "iri":
            value = _unescape_iri(text)
            return urljoin(self.base, value) if self.base else value
        if kind == "pname":
            prefix, _, local = text.partition(":")
            namespace = self.namespace(prefix)
            if namespace is None:
                return None  # an undeclared prefix: refused as such
            return namespace + re.sub(_PN_LOCAL_ESC, lambda m: m.group()[1:], local)
        return None


# -- the inspection --------------------------------------------------------------------------------

# Where a parenthesis opens an expression rather than a path or a collection.
_OPERATORS = {"+", "-", "*", "/", "=", "!=", "<", ">", "<=", ">=", "&&", "||", "!", "|", "^"}
_TERMS = {"iri", "pname", "var", "string", "number", "bnode"}
_PATH_OPS = {"/", "|", "^"}
_SEPARATORS = {".", ";", ","}
_END_OF_MODIFIERS = {"LIMIT", "OFFSET", "VALUES", "WHERE", "FROM"}


def inspect_query(query: str, *, base: str | None = None, service_allow: Iterable[str] = (),
                  prefixes: Mapping[str, str] | None = None, limits: Limits = DEFAULT_LIMITS,
                  enforce: bool = True) -> Inspection:
    """The query's form, prefixes, dataset and references, in one linear pass; raises
    QueryRefused for what this endpoint does not run.

    Refused: updates; `SERVICE ?var`; `SERVICE` to an IRI not in `service_allow`; `file:` IRIs in
    FROM, FROM NAMED or SERVICE; a prefix neither declared nor in `prefixes` (the predeclared
    ones); a query over `limits` (QueryTooComplex). A query that does not parse for another reason
    is not refused here: the parser gives the better message. `enforce=False` refuses nothing
    (for a query run locally, where the parser has the last word).
    """
    allow = set(service_allow)
    toks = tokens(query, enforce=enforce)
    if not enforce:
        limits = _UNLIMITED
    resolver = _Resolver(base, prefixes or {})
    form: str | None = None
    services: list[str] = []
    default_graphs: list[str] = []
    named_graphs: list[str] = []
    declares_dataset = False
    used: set[str] = set()
    counts = {"nesting": 0, "terms": 0, "operators": 0, "triple patterns": 0, "path steps": 0}
    keyword_counts: dict[str, int] = {}

    # What each open bracket is: { a group, t a CONSTRUCT template, v a VALUES block, [ a blank
    # node, e an expression's parenthesis, p a path's or a collection's.
    stack: list[str] = []
    clause = ""  # "select" or "modifiers": a parenthesis there opens an expression
    pending = ""  # "template" after CONSTRUCT, "values" after VALUES: what the next { opens
    normalized: list[str] = []
    end = 0
    previous: Token = ("", "", 0)
    before: Token = previous  # the token before `previous`
    n = len(toks)
    for i in range(n):
        token = toks[i]
        kind, text, start = token
        if start > end and normalized:
            normalized.append(" ")
        normalized.append(text)
        end = start + len(text)
        if kind in _TERMS:
            counts["terms"] += 1
        if i & 1023 == 1023 and enforce:  # refuse a long query early, not after reading all of it
            _check_limits(counts, keyword_counts, limits)
        if kind == "punct" or kind == "op":
            top = stack[-1] if stack else ""
            if text in ("{", "(", "["):
                if text == "{":
                    opened = ("t" if pending == "template" else "v" if pending == "values"
                              else "{")
                    pending, clause = "", ""
                elif text == "[":
                    opened = "["
                    if top in ("{", "[", ""):
                        counts["triple patterns"] += 1
                else:
                    opened = "e" if _opens_expression(top, clause, previous, before) else "p"
                stack.append(opened)
                if len(stack) > counts["nesting"]:
                    counts["nesting"] = len(stack)
                    if len(stack) > limits.nesting:
                        raise QueryTooComplex(
                            f"the query nests groups, brackets or parentheses more than "
                            f"{limits.nesting} deep")
            elif text in ("}", ")", "]"):
                if stack:
                    stack.pop()
                if text == "}":
                    clause = ""
            else:
                if text in _OPERATORS:  # counted anywhere: the chains that overflow a stack
                    counts["operators"] += 1
                if top in ("e", "t", "v") or clause:
                    pass
                elif text in _SEPARATORS and top != "p":
                    counts["triple patterns"] += 1
                elif text in _PATH_OPS:
                    counts["path steps"] += 1
        elif kind == "pname":
            prefix = text.partition(":")[0]
            declaring = previous[0] == "word" and previous[1].upper() == "PREFIX"
            if not declaring:
                used.add(prefix)
                if enforce and resolver.namespace(prefix) is None:
                    raise UnknownPrefix(_unknown_prefix(query, prefix, start))
        elif kind == "word":
            word = text.upper()
            following = toks[i + 1:i + 4]
            following += [("", "", 0)] * (3 - len(following))
            if word in limits.keywords:
                keyword_counts[word] = keyword_counts.get(word, 0) + 1
            if word == "PREFIX" and following[0][0] == "pname" and following[1][0] == "iri":
                resolved = resolver.iri(following[1])
                if resolved is not None:
                    resolver.prefixes[following[0][1].partition(":")[0]] = resolved
            elif word == "BASE" and following[0][0] == "iri":
                resolver.base = resolver.iri(following[0])
            elif form is None and word in UPDATES and enforce:
                raise QueryRefused(f"this endpoint is read-only: {word} is an update, not a query")
            elif word in FORMS:
                form = form or word
                if word == "SELECT":
                    clause = "select"
                elif word == "CONSTRUCT" and following[0][1] == "{":
                    pending = "template"
            elif word == "SERVICE" and enforce:
                services.append(_service_target(following, resolver, allow))
            elif word == "FROM":
                declares_dataset = True
                named = following[0][0] == "word" and following[0][1].upper() == "NAMED"
                target_token = following[1] if named else following[0]
                target = resolver.iri(target_token)
                if target is not None:
                    if enforce:
                        _refuse_local(target, "FROM")
                    (named_graphs if named else default_graphs).append(target)
                if clause == "select":
                    clause = ""
            elif word == "VALUES":
                pending = "values"
                clause = ""
            elif word in ("BY", "HAVING"):
                clause = "modifiers"
            elif word in _END_OF_MODIFIERS:
                clause = ""
        before, previous = previous, token

    counts.update({k.lower(): v for k, v in keyword_counts.items()})
    _check_limits(counts, keyword_counts, limits)
    return Inspection(form, dict(resolver.prefixes), frozenset(used), tuple(services),
                      tuple(default_graphs), tuple(named_graphs), declares_dataset,
                      "".join(normalized), counts)


def _opens_expression(top: str, clause: str, previous: Token, before: Token) -> bool:
    """Whether a `(` opens an expression (an argument list, a bracketed expression) rather than a
    property path or a collection."""
    if top == "e" or clause:  # inside an expression, or in SELECT / GROUP BY / ORDER BY / HAVING
        return True
    if previous[0] == "word":  # FILTER(, BIND(, a function's name
        return previous[1] != "a"
    if previous[0] in ("pname", "iri"):  # a function call only right after FILTER
        return before[0] == "word" and before[1].upper() == "FILTER"
    return False


def _check_limits(counts: dict[str, int], keyword_counts: dict[str, int], limits: Limits) -> None:
    over = [(name, counts[name], limit) for name, limit in (
        ("terms", limits.terms), ("operators", limits.operators),
        ("triple patterns", limits.triple_patterns), ("path steps", limits.path_steps))
        if counts[name] > limit]
    over += [(word, count, limits.keywords[word]) for word, count in keyword_counts.items()
             if count > limits.keywords[word]]
    if over:
        what = ", ".join(f"more than {limit} {name}" for name, _, limit in over)
        raise QueryTooComplex(
            f"the query is over this endpoint's complexity limits: {what}. Split it into "
            "smaller queries, or run it on a local build with `plangraph query`, which has no "
            "such limits")


def _unknown_prefix(query: str, prefix: str, offset: int) -> str:
    shown = prefix if len(prefix) <= 40 else prefix[:40] + "…"
    message = f"unknown prefix `{shown}:` ({_where(query, offset)}): declare it with a PREFIX line"
    if prefix in KNOWN_PREFIXES:
        return f"{message} at the top of the query: PREFIX {prefix}: <{KNOWN_PREFIXES[prefix]}>"
    return f"{message} at the top of the query, e.g. PREFIX {prefix}: <http://example.org/ns#>"


def _service_target(following: list[Token], resolver: _Resolver, allow: set[str]) -> str:
    """The endpoint of a SERVICE, from the tokens after the keyword; refused unless allowed."""
    silent = following[0][0] == "word" and following[0][1].upper() == "SILENT"
    target = following[1] if silent else following[0]
    kind, text, _ = target
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
    return next((text.upper() for kind, text, _ in toks
                 if kind == "word" and text.upper() in FORMS), None)
