"""One error hierarchy. Library code raises these; only the CLI prints and picks exit codes."""

from __future__ import annotations


class PlangraphError(Exception):
    """Base of every error a user can cause and fix."""


class SourceError(PlangraphError):
    """The source document (or its metadata/errata) cannot be read as a plan.

    Its place: the line of a text form, or `place` (a documents.blocks.Place: page, table, row,
    cell …) where the form has no lines; `line` is then the place's line, if it has one."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 section: str | None = None, place: object | None = None):
        self.message = message
        self.path = path
        self.place = place
        self.line = line if line is not None else getattr(place, "line", None)
        self.section = section
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.path:
            where.append(self.path)
        if self.place is not None and str(self.place):
            where.append(str(self.place))
        elif self.line is not None:
            where.append(f"line {self.line}")
        if self.section:
            where.append(self.section)
        return (", ".join(where) + ": " if where else "") + self.message


class RegistryError(PlangraphError):
    """The reference data in data/registry is inconsistent."""


class ConfigError(PlangraphError):
    """A file the project itself provides (ontology, shapes) is missing or broken."""


class BuildError(PlangraphError):
    """The build could not finish: an output folder it cannot write, a validation process that
    failed. Nothing was replaced (exit 2)."""


class OutputError(PlangraphError):
    """An output file or folder that cannot be written (exit 2)."""


class UsageError(PlangraphError):
    """Options a command cannot act on: a file suffix it cannot write, an unknown parameter."""


class OutputFolderRefused(PlangraphError):
    """--out names something the build must not replace: a file, a folder that is not a build."""


class UnknownNameError(SourceError):
    """A name in the document that the registry does not know."""


class ValidationFailed(PlangraphError):
    """The graph does not conform to the shapes."""

    def __init__(self, report: str, count: int):
        self.report = report
        self.count = count
        super().__init__(f"{count} SHACL violation(s)")


class StoreError(PlangraphError):
    """The built store is missing or unusable."""


class EndpointUnreachable(PlangraphError):
    """A remote SPARQL endpoint cannot be reached, or fails (5xx)."""


class QueryError(PlangraphError):
    """A query that cannot be run (bad syntax, unknown name, remote failure)."""
