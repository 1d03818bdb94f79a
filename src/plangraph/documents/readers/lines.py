"""Text forms (tab-separated, box-drawn): bytes → lines, and the errata applied to lines.

The errata (a document's .errata.toml) correct lines of a text form before it is read; a form
without lines (HTML, DOCX, ODT, PDF) has nothing for them to apply to.
"""

from __future__ import annotations

from ...errors import SourceError
from ..source import Erratum
from ..tree import Correction


def decode(data: bytes, path: str) -> list[str]:
    """Bytes → lines. Strict UTF-8; a bad byte or a control character is an error naming its line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise SourceError(f"not UTF-8: byte 0x{data[e.start]:02x} cannot be decoded ({e.reason})"
                          + _big5_hint(data), path=path, line=line) from None
    text = text.removeprefix("\ufeff")
    lines = [ln.removesuffix("\r") for ln in text.split("\n")]
    for n, ln in enumerate(lines, start=1):
        bad = next((c for c in ln if ord(c) < 32 and c != "\t" or c == "\x7f"), None)
        if bad is not None:
            raise SourceError(f"control character U+{ord(bad):04X} in the text", path=path, line=n)
    return lines


def _big5_hint(data: bytes) -> str:
    """Text saved in Big5 (older Windows in Taiwan saves so) reads whole as Big5 and holds CJK:
    say so, and how to convert it, rather than guess an encoding the file does not declare."""
    try:
        text = data.decode("cp950")
    except UnicodeDecodeError:
        return ""
    if not any("\u4e00" <= c <= "\u9fff" for c in text):
        return ""
    return "; it reads as Big5: convert it to UTF-8 first (iconv -f BIG5 -t UTF-8)"


def apply_errata(lines: list[str], corrections: list[Erratum], path: str
                 ) -> tuple[list[str], list[Correction]]:
    fixed = list(lines)
    applied = []
    for i, c in enumerate(corrections, start=1):
        n, find, replace = c.line, c.find, c.replace
        if n > len(fixed):
            raise SourceError(f"errata correction {i} is for this line, but the document has only "
                              f"{len(fixed)} lines: is it truncated?", path=path, line=n)
        if n < 1 or fixed[n - 1].count(find) != 1:
            raise SourceError(f"errata correction {i} does not apply: its text is not found once "
                              "on this line (has the document changed?)", path=path, line=n)
        fixed[n - 1] = fixed[n - 1].replace(find, replace)
        applied.append(Correction(i, n, lines[n - 1], fixed[n - 1], c.reason.strip()))
    return fixed, applied
