"""Running a query of the library, or any query, on the built store or on a remote endpoint,
and printing its result (table, CSV, JSON)."""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..config import Settings
from ..errors import EndpointUnreachable, QueryError, UsageError
from ..vocab import PREFIXES
from .guard import Inspection, QueryRefused, inspect_query, query_form
from .store import dataset_options, open_store
from .syntax import short_syntax_error


def run(text: str, settings: Settings, endpoint: str | None = None
        ) -> tuple[object, dict[str, str]]:
    """The result of a query's text on the built store or on `endpoint`, and the prefixes to show
    it with.

    On the local store the query runs as the endpoint runs it: the project's prefixes
    predeclared (vocab.PREFIXES; its own PREFIX lines win), its FROM / FROM NAMED choosing its
    dataset, else the union of the named graphs as the default graph; but without the endpoint's
    limits."""
    found = _inspect(text, settings.base)
    if endpoint:
        result = remote(text, endpoint, query_form(text))
        return result, found.prefixes
    store = open_store(settings.store_path)
    try:
        result = store.query(text, base_iri=settings.base, prefixes=PREFIXES,
                             **dataset_options(None, None, found.declares_dataset))
    except SyntaxError as e:
        raise QueryError(f"the query does not parse: {short_syntax_error(str(e), text)}") from None
    if isinstance(result, ox.QueryTriples):
        result = list(result)
    return result, found.output_prefixes(PREFIXES)


def _inspect(text: str, base: str) -> Inspection:
    try:
        return inspect_query(text, base=base, prefixes=PREFIXES, enforce=False)
    except QueryRefused:
        return Inspection(None)


def library(settings: Settings) -> dict[str, Path]:
    """The query library by name: queries/NAME.rq."""
    return {p.stem: p for p in sorted(settings.queries_dir.glob("*.rq")) if p.is_file()}


def query_text(spec: str, settings: Settings) -> str:
    """A query file's text, or that of queries/NAME.rq."""
    path = Path(spec)
    if not path.is_file():
        queries = library(settings)
        name = spec.removesuffix(".rq")
        if name not in queries:
            close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.5)
            hint = (f"; did you mean {' or '.join(close)}?" if close
                    else f" ({len(queries)} in the library)")
            raise QueryError(f"no query file {spec!r} and no query of that name in the library"
                             f"{hint}; `plangraph query --list` lists them all")
        path = queries[name]
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise QueryError(f"{path}: cannot be read: {e}") from None


# -- parameters ------------------------------------------------------------------------------------

# `# param: NAME = TERM — what it is`, among a query's first comment lines; TERM, the default, is
# written as in SPARQL ("1.1.5.8", "法務部廉政署"@zh-Hant, <https://…>, 2014)
_PARAM = re.compile(r'^#\s*param:\s*(\w+)\s*=\s*("(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>\s]*>)?'
                    r'|<[^>\s]*>|[-+\w.:]+)\s*(?:[—–-]+\s*(.*))?$')


@dataclass(frozen=True)
class Parameter:
    """A value a library query asks for, bound where the query sets it: its one line
    `FILTER (?NAME = TERM)` or `VALUES ?NAME { TERM }` (queries/README.md: Conventions)."""

    name: str
    default: str
    help: str

    def term(self, value: str) -> str:
        """`value` written as a SPARQL term of the default's kind (same tag or datatype)."""
        if self.default.startswith("<"):
            if re.search(r'[\s<>"{}|\\^`]', value):
                raise UsageError(f"--param {self.name}: {value!r} is not an IRI")
            return f"<{value}>"
        if self.default.startswith('"'):
            suffix = self.default[self.default.rindex('"') + 1:]
            escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            return f'"{escaped}"{suffix}'
        if not re.fullmatch(r"[-+]?\d+(\.\d+)?|true|false", value):
            raise UsageError(f"--param {self.name}: {value!r} is not a number or boolean, as "
                             f"its default {self.default} is")
        return value


def parameters(text: str) -> dict[str, Parameter]:
    found = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _PARAM.match(line)
        if m:
            found[m.group(1)] = Parameter(m.group(1), m.group(2), m.group(3) or "")
    return found


def _replacing(term: str) -> Callable[[re.Match[str]], str]:
    """The replacement of a FILTER or VALUES line's term by `term`, keeping the line around it."""
    def replace(m: re.Match[str]) -> str:
        return f"{m.group(1) or m.group(3)}{term}{m.group(2) or m.group(4)}"
    return replace


def bind(text: str, values: dict[str, str]) -> str:
    """The query with each parameter in `values` set; a name the query does not declare, or
    declares without the line that sets it, is refused."""
    declared = parameters(text)
    for name, value in values.items():
        if name not in declared:
            if not declared:
                raise UsageError(f"--param {name}: this query takes no parameters")
            close = difflib.get_close_matches(name, list(declared), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise UsageError(f"--param {name}: not a parameter of this query (it takes "
                             f"{', '.join(declared)}){hint}")
        param = declared[name]
        var, term = re.escape(f"?{name}"), re.escape(param.default)
        setting = re.compile(rf"(FILTER\s*\(\s*{var}\s*=\s*){term}(\s*\))"
                             rf"|(VALUES\s*{var}\s*\{{\s*){term}(\s*\}})")
        if len(setting.findall(text)) != 1:
            raise QueryError(f"the query declares the parameter {name} but has no one line "
                             f"FILTER (?{name} = {param.default}) or VALUES ?{name} "
                             f"{{ {param.default} }} to set it")
        text = setting.sub(_replacing(param.term(value)), text)
    return text


def remote(text: str, endpoint: str, form: str | None) -> object:
    """Run the query on a SPARQL endpoint; the result parsed by pyoxigraph, as a local one is."""
    import urllib.error

    from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

    graph = form in ("CONSTRUCT", "DESCRIBE")
    client = SPARQLWrapper(endpoint)
    client.setQuery(text)
    client.setMethod(POST)
    client.setReturnFormat(TURTLE if graph else JSON)
    try:
        body = client.query().response.read()
    except QueryBadFormed as e:
        detail = _detail(_wrapper_response(e))
        raise QueryError(f"{endpoint} refused the query: {detail}") from None
    except urllib.error.HTTPError as e:
        detail = _detail(e.read())
        if e.code < 500:
            raise QueryError(f"{endpoint} answered {e.code}: {detail}") from None
        raise EndpointUnreachable(f"{endpoint} answered {e.code}: {detail}") from None
    except (SPARQLWrapperException, urllib.error.URLError, OSError) as e:
        raise EndpointUnreachable(f"cannot query {endpoint}: {_detail(e)}") from None
    try:
        if graph:
            return list(ox.parse(body, format=ox.RdfFormat.TURTLE))
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    except SyntaxError as e:
        raise EndpointUnreachable(f"{endpoint} sent an answer that is not valid: {e}") from None


def _wrapper_response(error: Exception) -> object:
    """The body SPARQLWrapper read from the endpoint, which it keeps only as a repr in its text."""
    import ast

    _, found, raw = str(error).partition("Response:\n")
    try:
        return ast.literal_eval(raw) if found else error
    except (ValueError, SyntaxError):
        return error


def _detail(raw: object) -> str:
    """The detail of our JSON error body, or the text as it came."""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    try:
        return str(json.loads(text)["error"]["detail"])
    except (ValueError, KeyError, TypeError):
        return text.strip()


def render(result: object, fmt: str, prefixes: dict[str, str], width: int | None = None
           ) -> tuple[str, int | None]:
    """The result as text in `fmt`, and its row count (None for a boolean or a JSON dump);
    a table fits in `width` columns."""
    if isinstance(result, ox.QueryBoolean):
        if fmt == "json":
            return (result.serialize(format=ox.QueryResultsFormat.JSON) or b"").decode() + "\n", None
        return ("true" if bool(result) else "false") + "\n", None
    if isinstance(result, ox.QuerySolutions):
        if fmt in ("json", "csv"):
            kind = ox.QueryResultsFormat.JSON if fmt == "json" else ox.QueryResultsFormat.CSV
            text = (result.serialize(format=kind) or b"").decode("utf-8")
            return (text + "\n" if fmt == "json" else text), None
        names = [v.value for v in result.variables]
        rows = [[_cell(sol[name], prefixes) for name in names] for sol in result]
    else:
        triples = list(result)  # type: ignore[call-overload]
        if fmt == "json":
            return (ox.serialize(triples, format=ox.RdfFormat.JSON_LD) or b"").decode() + "\n", None
        names = ["subject", "predicate", "object"]
        rows = [[_cell(t.subject, prefixes), _cell(t.predicate, prefixes),
                 _cell(t.object, prefixes)] for t in triples]
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
        return buf.getvalue(), len(rows)
    return table(names, rows, width) + "\n", len(rows)


def _cell(term: object, prefixes: dict[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in prefixes.items():
            if term.value.startswith(ns) and ns:
                return f"{prefix}:{term.value[len(ns):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _width(text: str) -> int:
    """Columns on a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cut(text: str, width: int) -> str:
    """`text` in at most `width` columns, cut with … if it is longer."""
    if _width(text) <= width:
        return text
    out, used = [], 0
    for c in text:
        w = _width(c)
        if used + w > width - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…"


MIN_COLUMN = 6      # a column is never cut narrower than this


def table(names: list[str], rows: list[list[str]], width: int | None = None) -> str:
    """Aligned columns, one line per row. With `width` (a terminal's), the widest columns are
    cut, their cells ending in …, until a line fits."""
    rows = [[" ".join(cell.split()) for cell in row] for row in rows]  # one line per row
    widths = [max([_width(n)] + [_width(r[i]) for r in rows]) for i, n in enumerate(names)]
    if width:
        room = width - 2 * (len(names) - 1)
        while sum(widths) > room:
            widest = max(range(len(widths)), key=lambda i: widths[i])
            if widths[widest] <= MIN_COLUMN:
                break
            widths[widest] -= 1

    def line(cells: list[str]) -> str:
        cut = [_cut(c, w) for c, w in zip(cells, widths, strict=True)]
        padded = "  ".join(c + " " * (w - _width(c)) for c, w in zip(cut, widths, strict=True))
        return padded.rstrip()

    return "\n".join([line(names), line(["-" * w for w in widths]), *map(line, rows)])
