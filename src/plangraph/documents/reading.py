"""Reading a version: a source file (with its metadata and errata) → the typed document tree.

The file's form is detected (or forced), its reader gives blocks (readers/), the layout reads
the plan out of them (layout.py). Strict reading, as the build does it, also requires what the
plan's form requires of every measure.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import SourceError, UnknownNameError
from ..model.registry import Registry
from . import readers
from .blocks import Place
from .layout import Layout
from .markup import Marked
from .source import Erratum, SourceFile, load_source
from .tree import Node, PlanDocument


def parse_document(data: bytes, registry: Registry, *, path: str | Path = "<document>",
                   errata: list[Erratum] | None = None,
                   required_parts: list[str] | None = None,
                   form: str | None = None) -> PlanDocument:
    """The bytes of a document → its tree (form detected from the content unless given)."""
    path = str(path)
    try:
        reading = readers.read(data, path, form, errata)
        layout = Layout(registry, path, required_parts)
        end = Place(line=len(reading.lines)) if reading.lines else None
        parts = layout.read(reading.blocks, end)
    except SourceError as e:
        raise _with_form_hint(e, data, path, form) from None
    heading = layout.heading or Node(0, Marked.plain(""), [])
    return PlanDocument(heading, parts, reading.lines, reading.corrections, form=reading.form,
                        layout="flat" if "flat" in layout.layouts else "2014",
                        texts={} if reading.lines else layout.texts,
                        front_matter=layout.front_matter, back_matter=layout.back_matter)


def _with_form_hint(error: SourceError, data: bytes, path: str, form: str | None) -> SourceError:
    """A document read as the form --format forced, which its content says it is not: the
    error says so, as the likelier cause than whatever the reader of the wrong form tripped on."""
    if form is None or isinstance(error, UnknownNameError):
        return error
    try:
        found = readers.detect(data, path)
    except SourceError:
        return error
    if found == form:
        return error
    hint = (f" (read as {readers.FORMS[form].title}, as --format {form} says; its content looks "
            f"like {readers.FORMS[found].title})")
    return SourceError(error.message + hint, path=error.path, line=error.line,
                       section=error.section, place=error.place)


def require_complete(doc: PlanDocument, path: str) -> None:
    """Every measure has a target and a lead agency: the plan's form requires them."""
    for m in doc.measures():
        where = m.places[0] if m.places else None
        if not m.agency_cell.text:
            raise SourceError(f"measure {m.key} has an empty agency cell (辦理機關): every measure "
                              "needs a responsible agency", path=path, place=where)
        if not any(not a.cooperating for a in m.assignments):
            raise SourceError(f"measure {m.key} names no lead agency, only cooperating bodies",
                              path=path, place=where)
        if not m.targets:
            raise SourceError(f"measure {m.key} has an empty target cell (績效目標)", path=path,
                              place=where)


def read_document(source: SourceFile, registry: Registry, form: str | None = None,
                  strict: bool = True) -> PlanDocument:
    doc = parse_document(source.data, registry, path=source.path, errata=source.errata,
                         required_parts=source.required_parts, form=form)
    if strict:
        require_complete(doc, str(source.path))
    return doc


def read_version(path: Path, registry: Registry, version_date: str | None = None,
                 strict: bool = True, require_date: bool = True, form: str | None = None
                 ) -> tuple[SourceFile, PlanDocument]:
    source = load_source(path, version_date, require_date=require_date)
    return source, read_document(source, registry, form, strict)
