"""What the office readers (DOCX, ODT, PDF) share: errors that name their place in the file, the
broken part of a ZIP-packaged file, and text with underlines built run by run."""

from __future__ import annotations

import io
import zipfile
import zlib

from lxml import etree

from ...errors import SourceError
from ..blocks import Place
from ..markup import Marked


def error(message: str, path: str, place: Place | None = None) -> SourceError:
    """A one-line error naming the file and the place in it (page, table, row, cell)."""
    return SourceError(message, path=path, place=place)


def broken_part(data: bytes) -> str:
    """Which XML part of an office file (a ZIP archive) does not parse, and why."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for name in z.namelist():
                if name.endswith((".xml", ".rels")):
                    try:
                        etree.fromstring(z.read(name))
                    except etree.XMLSyntaxError as e:
                        return f"{name} is not well-formed XML ({e.msg})"
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as e:
        return f"the ZIP archive is damaged ({e})"
    return "an XML part is not well-formed"


class MarkedText:
    """Text gathered run by run, each run underlined or not, turned into `Marked` at the end."""

    def __init__(self) -> None:
        self._chars: list[str] = []
        self._under: list[bool] = []

    def add(self, text: str, underline: bool) -> None:
        self._chars.append(text)
        self._under.extend([underline] * len(text))

    def marked(self) -> Marked:
        return Marked("".join(self._chars), tuple(self._under))


def join_lines(lines: list[Marked]) -> Marked:
    """Paragraphs (or lines) of one cell, joined by newlines."""
    under: list[bool] = []
    for i, line in enumerate(lines):
        under.extend(((False,) if i else ()) + line.under)
    return Marked("\n".join(line.text for line in lines), tuple(under))
