"""The `plangraph` command. The only place that prints and chooses exit codes.

Exit codes: 0 success; 1 the input is wrong (a bad document, a violation, a bad query);
2 the command could not run (missing build, unreadable files, a fault of ours).
`plangraph validate` follows pySHACL: 0 conforms, 1 does not conform, 2 could not run.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .config import Settings
from .errors import ConfigError, PlangraphError, RegistryError, StoreError, ValidationFailed

EXIT_OK, EXIT_INPUT, EXIT_CANNOT_RUN = 0, 1, 2

_COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {}


def command(name: str) -> Callable[[Callable[[argparse.Namespace, Settings], int]],
                                   Callable[[argparse.Namespace, Settings], int]]:
    def register(fn: Callable[[argparse.Namespace, Settings], int]) -> Callable[..., int]:
        _COMMANDS[name] = fn
        return fn
    return register


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


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
    from .build import build

    sources = [Path(p) for p in args.source] if args.source else settings.default_sources()
    if not sources:
        say(f"error: no source documents: none given and no *.meta.toml in {settings.data_dir}")
        return EXIT_CANNOT_RUN
    result = build(sources, settings, settings.out, version_date=args.version_date,
                   validate=not args.no_validate, progress=say)
    say(f"built {settings.out} in {result.seconds:.2f} s")
    width = max(map(len, result.counts))
    for kind, n in result.counts.items():
        print(f"  {kind:<{width}}  {n:>6}")
    return EXIT_OK


# -- validate --------------------------------------------------------------------------------------

@command("validate")
def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    from rdflib import Dataset

    from .build import NQUADS
    from .validate import run_shacl

    dump = settings.out / NQUADS
    try:
        if not dump.exists():
            raise StoreError(f"no built graph at {dump}: run `plangraph build` first")
        ds = Dataset()
        ds.parse(dump, format="nquads")
        from rdflib import Graph
        shapes = Graph().parse(settings.shapes, format="turtle")
    except Exception as e:  # noqa: BLE001 — anything here means validation could not run
        say(f"error: could not run validation: {e}")
        return EXIT_CANNOT_RUN
    data = Graph()
    for g in ds.graphs():
        if not str(g.identifier).endswith("graph/ontology"):
            data += g
    conforms, violations = run_shacl(data, shapes)
    if conforms:
        print(f"conforms: {len(data)} triples checked against {settings.shapes.name}")
        return EXIT_OK
    print(f"does not conform: {len(violations)} violation(s)")
    for v in violations:
        print(f"  {v}")
    return EXIT_INPUT


# -- export ----------------------------------------------------------------------------------------

@command("export")
def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from .export import measures, to_csv, to_jsonl
    from .store import open_store

    store = open_store(settings.store_path)
    records = measures(store)
    out = sys.stdout
    if args.format == "csv":
        out.write(to_csv(records))
    else:
        out.writelines(to_jsonl(records))
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
    b.add_argument("--no-validate", action="store_true", help="skip SHACL validation")

    v = sub.add_parser("validate", help="check the built graph against ontology/shapes.ttl "
                                        "(exit 0 conforms, 1 violations, 2 could not run)")
    v.add_argument("--out", metavar="DIR", help="build folder (default: build/)")

    e = sub.add_parser("export", help="export records from the built store")
    e.add_argument("what", choices=["measures"])
    e.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    e.add_argument("--out", metavar="DIR", help="build folder (default: build/)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    settings = settings_from(args)
    try:
        return _COMMANDS[args.command](args, settings)
    except ValidationFailed as e:
        say(f"error: the graph does not conform to the shapes ({e.count} violation(s)); nothing "
            f"was written:\n{e.report}")
        return EXIT_INPUT
    except (StoreError, RegistryError, ConfigError) as e:
        say(f"error: {e}")
        return EXIT_CANNOT_RUN
    except PlangraphError as e:
        say(f"error: {e}")
        return EXIT_INPUT
    except KeyboardInterrupt:
        say("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
