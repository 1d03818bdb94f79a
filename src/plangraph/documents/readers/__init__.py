"""The forms a version of the plan comes in, how to tell them apart, and one reader for each.

A reader turns a file of its form into blocks (documents/blocks.py) and knows nothing of the
plan; the layout (documents/layout.py) reads the plan out of the blocks. One module per form:
a text form (lines of UTF-8 text, which errata can correct) has `read_lines(lines, path)`, any
other form `read_bytes(data, path)`; each returns the list of blocks.

The form is found from the content: magic bytes (a ZIP archive holding word/document.xml is
DOCX, one whose mimetype is ODF text is ODT, %PDF is PDF), then HTML markup, box-drawing
characters, and otherwise tab-separated text. The file's extension is a hint only where the
content leaves it open (an HTML fragment without <html> or <table>). `form=` forces a form.
"""

from __future__ import annotations

import importlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import ConfigError, SourceError
from ..blocks import Block
from ..source import Erratum
from ..tree import Correction
from .lines import apply_errata, decode


@dataclass(frozen=True)
class Form:
    name: str                      # as --format names it
    title: str                     # as messages name it
    extensions: tuple[str, ...]
    lines: bool                    # a text form: read as lines, errata apply, places are lines


FORMS: dict[str, Form] = {f.name: f for f in [
    Form("tab", "tab-separated text", (".txt", ".tsv"), True),
    Form("box", "box-drawn text", (".txt",), True),
    Form("html", "HTML", (".html", ".htm", ".xhtml"), False),
    Form("docx", "DOCX", (".docx",), False),
    Form("odt", "ODT", (".odt",), False),
    Form("pdf", "PDF", (".pdf",), False),
]}

_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_HTML = re.compile(rb"<(?:!doctype\s+html|html|body|table|tr|h[1-6])[\s>/]", re.IGNORECASE)
_BOX = re.compile("[\u2500-\u257f]")


@dataclass
class Reading:
    """What reading a file gives: its blocks, its form, and for a text form its lines as
    published (before errata) and the corrections applied to them."""

    form: str
    blocks: list[Block]
    lines: list[str] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)


def detect(data: bytes, path: str | Path = "") -> str:
    """The form of a file, from its content (the extension only where the content leaves it
    open)."""
    name = str(path)
    suffix = Path(name).suffix.lower()
    if data.startswith(b"PK\x03\x04"):
        return _zip_form(data, name)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF"):
        return "pdf"
    hinted = next((f for f in FORMS.values() if suffix in f.extensions and not f.lines
                   and f.name != "html"), None)
    if hinted is not None:
        # named .docx/.odt/.pdf but without their magic bytes: not what its name says
        raise SourceError(f"the file is named {suffix} but is not a {hinted.title} file (it "
                          f"does not begin as one does); if it is another form, give --format",
                          path=name)
    if _HTML.search(data[:65536]):
        return "html"
    if _BOX.search(data.decode("utf-8", errors="replace")):
        return "box"
    if suffix in FORMS["html"].extensions:
        return "html"         # a fragment without <html> or <table>: its name says HTML
    return "tab"


def _zip_form(data: bytes, name: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "mimetype" in names and z.read("mimetype").strip() == _ODT_MIMETYPE:
                return "odt"
    except (zipfile.BadZipFile, OSError, KeyError, EOFError) as e:
        # a truncated archive: tell which it was meant to be from its name, if it says
        suffix = Path(name).suffix.lower()
        meant = {".docx": "DOCX", ".odt": "ODT"}.get(suffix, "DOCX or ODT")
        raise SourceError(f"a ZIP archive that cannot be opened ({e}): a truncated or damaged "
                          f"{meant} file?", path=name) from None
    raise SourceError("a ZIP archive that is neither a DOCX (no word/document.xml) nor an ODT "
                      "text document (no mimetype application/vnd.oasis.opendocument.text)",
                      path=name)


def read(data: bytes, path: str, form: str | None = None,
         errata: list[Erratum] | None = None) -> Reading:
    """A file → its blocks, by the reader of its form (detected unless given)."""
    name = form or detect(data, path)
    spec = FORMS.get(name)
    if spec is None:
        raise SourceError(f"unknown form {name!r}: one of {', '.join(FORMS)}", path=path)
    module = _reader(spec)
    if spec.lines:
        published = decode(data, path)
        lines, corrections = apply_errata(published, errata or [], path)
        return Reading(name, module.read_lines(lines, path), published, corrections)
    if errata:
        raise SourceError(f"errata correct lines of a text form, and this document is "
                          f"{spec.title}: remove its .errata.toml, or correct the file itself",
                          path=path)
    return Reading(name, module.read_bytes(data, path))


def _reader(form: Form) -> Any:
    try:
        return importlib.import_module(f"{__name__}.{form.name}")
    except ModuleNotFoundError as e:
        if e.name != f"{__name__}.{form.name}":
            raise
        raise ConfigError(f"this plangraph has no reader for {form.title} yet") from None
