"""The `plangraph` command. The only place that prints and chooses exit codes.

Exit codes: 0 success; 1 the input is wrong (a bad document, a violation, a bad query);
2 the command could not run (missing build, unreadable files, an output it cannot write, an
output closed before it was all written, as by `| head`, a fault of ours).
`plangraph validate` follows pySHACL: 0 conforms, 1 does not conform, 2 could not run.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from .config import Settings
from .errors import (
    BuildError,
    ConfigError,
    EndpointUnreachable,
    OutputError,
    PlangraphError,
    RegistryError,
    StoreError,
    ValidationFailed,
)

EXIT_OK, EXIT_INPUT, EXIT_CANNOT_RUN = 0, 1, 2

_COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {}


def command(name: str) -> Callable[[Callable[[argparse.Namespace, Settings], int]],
                                   Callable[[argparse.Namespace, Settings], int]]:
    def register(fn: Callable[[argparse.Namespace, Settings], int]) -> Callable[..., int]:
        _COMMANDS[name] = fn
        return fn
    return register


class OutputClosed(Exception):
    """Standard output was closed before everything was written (`plangraph … | head`)."""


def say(message: str) -> None:
    try:
        print(message, file=sys.stderr, flush=True)
    except BrokenPipeError:     # `plangraph build 2>&1 | head`
        raise OutputClosed from None


def settings_from(args: argparse.Namespace) -> Settings:
    s = Settings()
    if getattr(args, "out", None):
        s.out = Path(args.out)
    if getattr(args, "base", None):
        s.base = args.base
    return s


# -- build -----------------------------------------------------------------------------------------

@command("build")
def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    from .build.pipeline import build

    sources = [Path(p) for p in args.source] if args.source else settings.default_sources()
    if not sources:
        say(f"error: no source documents: none given and no *.meta.toml in {settings.data_dir}")
        return EXIT_CANNOT_RUN
    result = build(sources, settings, settings.out, version_date=args.version_date,
                   validate=not args.no_validate, allow_unverified=args.allow_unverified,
                   form=args.form, progress=say)
    say(f"built {settings.out} in {result.seconds:.2f} s")
    width = max(map(len, result.counts))
    for kind, n in result.counts.items():
        print(f"  {kind:<{width}}  {n:>6}")
    for source in (v.source for v in result.versions if not v.source.verified):
        say(f"warning: {source.path}: built as it is, not verified to be whole "
            f"(--allow-unverified): {source.unverified_reason()}")
    return EXIT_OK


def _note_unverified(spec: str) -> None:
    """`check` and `diff` read the file they are given; they say when it is not verified."""
    from .documents.source import load_source

    if Path(spec).is_file():
        source = load_source(Path(spec), require_date=False)
        if not source.verified:
            say(f"note: {spec}: not verified to be whole ({source.unverified_reason()})")


# -- validate --------------------------------------------------------------------------------------

@command("validate")
def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    from .build.folder import NTRIPLES
    from .config import read_turtle
    from .validation.shapes import CompiledShapes

    # the data graphs merged (not the ontology): what the build validates, loaded the same way
    dump = settings.out / NTRIPLES
    try:
        if not dump.exists():
            raise StoreError(f"no built graph at {dump}: run `plangraph build` first")
        shapes = CompiledShapes(read_turtle(settings.shapes, "the SHACL shapes"))
        violations = shapes.check_file(dump)
    except PlangraphError as e:
        say(f"error: could not run validation: {e}")
        return EXIT_CANNOT_RUN
    except (OSError, SyntaxError) as e:   # a dump edited by hand that no longer parses
        say(f"error: could not run validation: {dump}: {e}")
        return EXIT_CANNOT_RUN
    with dump.open("rb") as fh:
        triples = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    if not violations:
        print(f"conforms: {triples} triples checked against {settings.shapes.name}")
        return EXIT_OK
    print(f"does not conform: {len(violations)} violation(s)")
    for v in violations:
        print(f"  {v}")
    return EXIT_INPUT


# -- export ----------------------------------------------------------------------------------------

@command("export")
def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from .querying.export import measures, to_csv, to_jsonl
    from .querying.store import open_store

    store = open_store(settings.store_path)
    records = measures(store)
    out = sys.stdout
    if args.format == "csv":
        out.write(to_csv(records))
    else:
        out.writelines(to_jsonl(records))
    return EXIT_OK


# -- serve ---------------------------------------------------------------------------------------

@command("chart")
def cmd_chart(args: argparse.Namespace, settings: Settings) -> int:
    from .querying import charts
    from .querying.store import open_store

    draw = {"workload": charts.workload_svg, "network": charts.agency_network_svg}[args.name]
    svg = draw(open_store(settings.store_path), queries_dir=settings.queries_dir)
    target = Path(args.save or f"{args.name}.svg")
    charts.save(svg, target)
    say(f"wrote {target}")
    return EXIT_OK


@command("diff")
def cmd_diff(args: argparse.Namespace, settings: Settings) -> int:
    from .versions.commands import BINARY_FORMATS, run_diff

    if args.format in BINARY_FORMATS and args.output is None and sys.stdout.isatty():
        say(f"error: --format {args.format} is a binary file: give --output FILE (or redirect "
            "the output to a file)")
        return EXIT_INPUT
    _note_unverified(args.old)
    _note_unverified(args.new)
    result = run_diff(args.old, args.new, args.format, settings, args.form)
    data = result if isinstance(result, bytes) else result.encode("utf-8")
    if args.output is None:
        sys.stdout.flush()
        try:        # the bytes go past sys.stdout's text layer, so its closed-pipe check too
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        except BrokenPipeError:
            raise OutputClosed from None
        return EXIT_OK
    try:
        _write_atomically(Path(args.output), data)
    except OSError as e:        # named by the file asked for, not by the temporary beside it
        raise OutputError(f"cannot write the diff to {args.output}: {e.strerror or e}") from None
    say(f"wrote {args.output}")
    return EXIT_OK


def _write_atomically(target: Path, data: bytes) -> None:
    """Written whole or not at all: a failure leaves what was at `target` as it was."""
    import os
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)          # as open() would have made it
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@command("check")
def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    from .versions.commands import run_check

    _note_unverified(args.version)
    text, count = run_check(args.version, args.format, settings, args.as_of, args.version_date,
                            args.form)
    sys.stdout.write(text)
    say(f"{count} finding(s)")
    return EXIT_OK


@command("serve")
def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import socket

    import uvicorn

    from .web.app import create_app
    from .web.serving import config

    if not (settings.store_path / "CURRENT").exists():
        from .build.pipeline import build

        sources = settings.default_sources()
        if not sources:
            say(f"error: no store at {settings.store_path} and no source documents in "
                f"{settings.data_dir} to build one from")
            return EXIT_CANNOT_RUN
        say(f"no store at {settings.store_path}: building it first")
        build(sources, settings, settings.out, progress=say)
    app = create_app(settings)
    if args.get:
        return _serve_get(app, args.get)
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    # Our own socket, to know the port before printing the URL (--port 0). Created with
    # IPPROTO_TCP: asyncio sets TCP_NODELAY only on sockets that say so, and without it every
    # response waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((args.host, args.port))
    except OSError as e:
        sock.close()
        say(f"error: cannot listen on {args.host}:{args.port}: {e.strerror or e}")
        return EXIT_CANNOT_RUN
    host, port = sock.getsockname()[:2]
    root = f"http://[{host}]:{port}" if family == socket.AF_INET6 else f"http://{host}:{port}"
    print(f"plangraph: serving {settings.out} at {root}/ (SPARQL endpoint {root}/sparql)",
          flush=True)
    try:
        uvicorn.Server(config(app, log_level="info")).run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn re-raises the Ctrl-C it shut down on: for `serve`, that is how one stops
    return EXIT_OK


def _serve_get(app: object, path: str) -> int:
    """`serve --get PATH`: answer one request in-process, print the body, exit (0 if 2xx)."""
    import asyncio

    import httpx

    async def get() -> httpx.Response:
        async with app.router.lifespan_context(app):  # type: ignore[attr-defined]
            transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
            async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as c:
                return await c.get(path)

    response = asyncio.run(get())
    sys.stdout.write(response.text)
    return EXIT_OK if response.is_success else EXIT_INPUT


# -- query -----------------------------------------------------------------------------------------

@command("query")
def cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    import shutil

    from .errors import UsageError
    from .querying.runner import bind, library, parameters, query_text, render, run

    if args.list:
        for name, path in library(settings).items():
            text = path.read_text(encoding="utf-8")
            question = text.splitlines()[0].removeprefix("# Question:").strip() if text else ""
            takes = "".join(f" [--param {p}={d.default}]" for p, d in parameters(text).items())
            print(f"{name}{takes}\n    {question}")
        return EXIT_OK
    if (args.query is None) == (args.text is None):
        raise UsageError("give a query: a file, a library query's name, - (standard input) or "
                         "--query TEXT")
    if args.text is not None:
        text = args.text
    elif args.query == "-":
        text = sys.stdin.read()
    else:
        text = query_text(args.query, settings)
    values = {}
    for item in args.param or []:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"--param {item!r}: write NAME=VALUE")
        values[name] = value
    text = bind(text, values)
    result, prefixes = run(text, settings, args.endpoint)
    width = args.width if args.width is not None else (
        shutil.get_terminal_size().columns if sys.stdout.isatty() else 0)
    rendered, rows = render(result, args.format, prefixes, width)
    sys.stdout.write(rendered)
    if rows is not None:
        say(f"({rows} row{'s' if rows != 1 else ''})")
    return EXIT_OK


# -- publish ---------------------------------------------------------------------------------------

@command("publish")
def cmd_publish(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 1 when the store refuses a request (4xx: credentials, path, data), 2 when it cannot be
    reached or fails (5xx); the message says which graphs were published before."""
    import os
    import time

    from .publish import PublishError, Target, publish

    password = args.password or os.environ.get("PLANGRAPH_PUBLISH_PASSWORD")
    token = args.token or os.environ.get("PLANGRAPH_PUBLISH_TOKEN")
    if password and not args.user:
        say("error: --password (or PLANGRAPH_PUBLISH_PASSWORD) needs --user")
        return EXIT_INPUT
    target = Target(args.endpoint, protocol=args.protocol, gsp_path=args.gsp_path,
                    update_path=args.update_path, into=args.graph, user=args.user,
                    password=password, auth=args.auth, token=token, chunk=args.chunk,
                    timeout=args.timeout)
    started = time.perf_counter()
    try:
        done = publish(settings.store_path, target, progress=say)
    except PublishError as e:
        say(f"error: {e}")
        return EXIT_CANNOT_RUN if e.cannot_run else EXIT_INPUT
    say(f"published {len(done)} graph(s), {sum(p.triples for p in done)} triples, to "
        f"{target.mask(target.service)} in {time.perf_counter() - started:.2f} s")
    from .querying.runner import table

    print(table(["graph", "triples", "seconds"],
                [[p.graph, str(p.triples), f"{p.seconds:.2f}"] for p in done]))
    return EXIT_OK


# -- the parser ------------------------------------------------------------------------------------

def make_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="plangraph", description=(
        "A knowledge graph of Taiwan's National Integrity Building Action Plan "
        "(國家廉政建設行動方案) with a SPARQL endpoint."))
    p.add_argument("--version", action="version", version=f"plangraph {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="source documents → validated graph, dumps and store")
    b.add_argument("--source", nargs="+", metavar="FILE",
                   help="documents to build (default: every document in data/ with a .meta.toml)")
    b.add_argument("--out", metavar="DIR", help="output folder (default: build/)")
    b.add_argument("--base", metavar="IRI", help="base IRI of minted resources")
    b.add_argument("--version-date", metavar="DATE",
                   help="version date (YYYY-MM-DD) of a document without a metadata file")
    _form_option(b, "--format")
    b.add_argument("--no-validate", action="store_true", help="skip SHACL validation")
    b.add_argument("--allow-unverified", action="store_true",
                   help="build documents whose metadata records no sha256 (whose completeness "
                        "cannot be verified: a copy cut after a whole row or clause reads as a "
                        "shorter plan); without it such a document is refused")

    v = sub.add_parser("validate", help="check the built graph against ontology/shapes.ttl "
                                        "(exit 0 conforms, 1 violations, 2 could not run)")
    v.add_argument("--out", metavar="DIR", help="build folder (default: build/)")

    e = sub.add_parser("export", help="export records from the built store")
    e.add_argument("what", choices=["measures"])
    e.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    e.add_argument("--out", metavar="DIR", help="build folder (default: build/)")

    ch = sub.add_parser("chart", help="draw a picture from the query library (SVG, PNG or PDF)")
    ch.add_argument("name", choices=["workload", "network"])
    ch.add_argument("--save", metavar="FILE", help="FILE.svg, FILE.png or FILE.pdf (PNG and PDF "
                                                   "drawn by Chromium; default: NAME.svg)")
    ch.add_argument("--out", metavar="DIR", help="build folder (default: build/)")

    d = sub.add_parser("diff", help="what changed between two versions (documents or built "
                                    "version dates)")
    d.add_argument("old", metavar="OLD")
    d.add_argument("new", metavar="NEW")
    d.add_argument("--format", choices=["json", "md", "html", "docx", "odt"], default="json",
                   help="json or md: the changes; html, docx or odt: a 修正對照表 (comparison "
                        "table of 修正規定 / 現行規定 / 說明)")
    d.add_argument("--output", metavar="FILE",
                   help="write to FILE (written whole or not at all) instead of standard output; "
                        "needed for docx and odt when standard output is a terminal")
    d.add_argument("--out", metavar="DIR", help="build folder, for built versions")
    _form_option(d)

    c = sub.add_parser("check", help="consistency findings of one version (rules: README)")
    c.add_argument("version", metavar="SOURCE_OR_VERSION")
    c.add_argument("--as-of", metavar="DATE", help="check at this date (default: the version's)")
    c.add_argument("--version-date", metavar="DATE", help="for a document without metadata")
    c.add_argument("--format", choices=["json", "md"], default="json")
    c.add_argument("--out", metavar="DIR", help="build folder, for built versions")
    _form_option(c)

    s = sub.add_parser("serve", help="the SPARQL endpoint and the site, over the built store "
                                     "(building it first if there is none)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000,
                   help="port to listen on (default: 8000; 0: any free port)")
    s.add_argument("--out", metavar="DIR", help="build folder (default: build/)")
    s.add_argument("--get", metavar="PATH",
                   help="answer one GET of PATH in-process, print the body and exit")

    q = sub.add_parser("query", help="run a SPARQL query on the built store or on an endpoint")
    q.add_argument("query", metavar="FILE_OR_NAME", nargs="?",
                   help="a query file, the name of a query of the library (`--list`), or - to "
                        "read the query from standard input")
    q.add_argument("--query", dest="text", metavar="TEXT", help="the query itself")
    q.add_argument("--param", action="append", metavar="NAME=VALUE",
                   help="a value for a parameter the query declares (`# param:` lines; "
                        "`--list` shows them), e.g. --param key=2.0.6.1; repeatable")
    q.add_argument("--list", action="store_true",
                   help="list the library's queries, their questions and parameters")
    q.add_argument("--endpoint", metavar="URL",
                   help="a SPARQL endpoint to query instead of the local store")
    q.add_argument("--format", choices=["table", "csv", "json"], default="table",
                   help="table: aligned columns; csv: SPARQL CSV; json: SPARQL JSON (JSON-LD "
                        "for CONSTRUCT/DESCRIBE)")
    q.add_argument("--width", type=int, metavar="COLUMNS",
                   help="cut table cells so that a line fits in COLUMNS (default: the "
                        "terminal's width; not cut when the output is not a terminal); 0: never")
    q.add_argument("--out", metavar="DIR", help="build folder (default: build/)")

    pub = sub.add_parser("publish", help="push the built graph to a triple store, one named "
                                         "graph per request, replacing what it held")
    pub.add_argument("--endpoint", required=True, metavar="URL",
                     help="the store's base URL, e.g. http://127.0.0.1:7878 (Oxigraph), "
                          "http://localhost:3030/ds (Fuseki)")
    pub.add_argument("--protocol", choices=["gsp", "update"], default="gsp",
                     help="gsp: SPARQL 1.1 Graph Store Protocol, one PUT per graph (default); "
                          "update: SPARQL Update, DROP SILENT GRAPH + INSERT DATA in chunks")
    pub.add_argument("--graph", metavar="IRI",
                     help="publish every triple into this one graph instead of one graph each")
    pub.add_argument("--gsp-path", default="/store", metavar="PATH",
                     help="Graph Store path under the endpoint, or a full URL (default: /store)")
    pub.add_argument("--update-path", default="/update", metavar="PATH",
                     help="SPARQL Update path under the endpoint, or a full URL (default: "
                          "/update)")
    pub.add_argument("--user", help="user name for HTTP authentication")
    pub.add_argument("--password", help="password (better: PLANGRAPH_PUBLISH_PASSWORD)")
    pub.add_argument("--auth", choices=["basic", "digest"], default="basic",
                     help="HTTP authentication scheme for --user (default: basic)")
    pub.add_argument("--token", help="bearer token (better: PLANGRAPH_PUBLISH_TOKEN), e.g. "
                                     "QLever's access token")
    pub.add_argument("--chunk", type=int, default=5000, metavar="N",
                     help="triples per INSERT DATA request with --protocol update (default: 5000)")
    pub.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS",
                     help="seconds one request may take (default: 120)")
    pub.add_argument("--out", metavar="DIR", help="build folder (default: build/)")
    return p


def _form_option(p: argparse.ArgumentParser, *names: str) -> None:
    """The form to read source documents as. `build --format`; `diff` and `check` already use
    --format for their output, so there it is --source-format (which build takes too)."""
    from .documents.readers import FORMS

    p.add_argument(*names, "--source-format", dest="form", choices=list(FORMS),
                   metavar="FORM", help="read the documents as this form ("
                   + ", ".join(f"{name}: {f.title}" for name, f in FORMS.items())
                   + "); default: found from each file's content, its extension a hint")


class _Stdout:
    """sys.stdout while a command runs: a closed pipe becomes OutputClosed, told apart from any
    other broken pipe (a child process's, a socket's), which is a fault to report as such."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise OutputClosed from None

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise OutputClosed from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _discard(stream: TextIO) -> None:
    """What is still buffered for a closed stream goes nowhere, so that Python's own last flush
    cannot fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, stream.fileno())
    os.close(devnull)


def main(argv: Sequence[str] | None = None) -> int:
    stdout = sys.stdout
    sys.stdout = _Stdout(stdout)  # type: ignore[assignment]
    try:
        try:
            args = make_parser().parse_args(argv)
        except SystemExit as e:     # --help, --version, or a usage error argparse reported
            sys.stdout.flush()
            return e.code if isinstance(e.code, int) else EXIT_INPUT
        code = _COMMANDS[args.command](args, settings_from(args))
        sys.stdout.flush()
        return code
    except OutputClosed:
        _discard(stdout)
        try:
            say("plangraph: stopped: the output was closed before it was all written")
        except OutputClosed:
            _discard(sys.stderr)
        return EXIT_CANNOT_RUN
    except ValidationFailed as e:
        say(f"error: the graph does not conform to the shapes ({e.count} violation(s)); nothing "
            f"was written:\n{e.report}")
        return EXIT_INPUT
    except (StoreError, RegistryError, ConfigError, EndpointUnreachable, BuildError,
            OutputError) as e:
        say(f"error: {e}")
        return EXIT_CANNOT_RUN
    except PlangraphError as e:
        say(f"error: {e}")
        return EXIT_INPUT
    except KeyboardInterrupt:
        say("interrupted")
        return 130
    finally:
        sys.stdout = stdout


if __name__ == "__main__":
    sys.exit(main())
