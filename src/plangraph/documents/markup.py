"""Cell text with its underlines: markup stripped, fragments joined, whitespace normalised.

Underlining (<u>…</u>) marks what an amendment changed, so it is kept per character through every
step (joining page-break fragments, normalising space, removing numbering, splitting targets).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TAG = re.compile(r"<(/?)([A-Za-z]+)\s*>")
_KNOWN_TAGS = {"p", "u"}


def is_cjk(ch: str) -> bool:
    """CJK ideographs and CJK / full-width punctuation: no space belongs next to them."""
    o = ord(ch)
    return 0x3400 <= o <= 0x9FFF or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF


class MarkupError(ValueError):
    """Raised with a short description; the caller adds line and section."""


@dataclass(frozen=True)
class Marked:
    """Text with one underline flag per character."""

    text: str
    under: tuple[bool, ...]

    @classmethod
    def plain(cls, text: str) -> Marked:
        return cls(text, (False,) * len(text))

    @classmethod
    def parse(cls, raw: str) -> Marked:
        """Strip <p> and <u> tags; anything else that looks like a tag is an error."""
        out: list[str] = []
        flags: list[bool] = []
        underline = False
        pos = 0
        for m in _TAG.finditer(raw):
            chunk = raw[pos:m.start()]
            out.append(chunk)
            flags.extend([underline] * len(chunk))
            closing, name = m.group(1) == "/", m.group(2).lower()
            if name not in _KNOWN_TAGS:
                raise MarkupError(f"unknown markup <{m.group(1)}{m.group(2)}>")
            if name == "u":
                if closing != underline:
                    raise MarkupError("unbalanced <u> underline tags")
                underline = not closing
            pos = m.end()
        if underline:
            raise MarkupError("<u> underline not closed in its cell")
        rest = raw[pos:]
        if "<" in rest or ">" in rest:
            raise MarkupError("stray '<' or '>' (broken markup)")
        out.append(rest)
        flags.extend([False] * len(rest))
        return cls("".join(out), tuple(flags))

    def __add__(self, other: Marked) -> Marked:
        return Marked(self.text + other.text, self.under + other.under)

    def __getitem__(self, s: slice) -> Marked:
        return Marked(self.text[s], self.under[s])

    def __len__(self) -> int:
        return len(self.text)

    @property
    def underlined(self) -> bool:
        return any(self.under)

    def normalised(self) -> Marked:
        """Runs of white space become one space; a space next to CJK goes; ends are stripped."""
        chars: list[str] = []
        flags: list[bool] = []
        for ch, fl in zip(self.text, self.under, strict=True):
            if ch.isspace():
                if chars and chars[-1] == " ":
                    continue
                ch = " "
            chars.append(ch)
            flags.append(fl)
        keep = []
        for i, ch in enumerate(chars):
            if ch == " ":
                before = chars[i - 1] if i > 0 else None
                after = chars[i + 1] if i + 1 < len(chars) else None
                if before is None or after is None or is_cjk(before) or is_cjk(after):
                    continue
            keep.append(i)
        return Marked("".join(chars[i] for i in keep), tuple(flags[i] for i in keep))

    def spans(self) -> list[tuple[int, int]]:
        """Underlined runs as [start, end) offsets."""
        runs: list[tuple[int, int]] = []
        start = None
        for i, fl in enumerate(self.under + (False,)):
            if fl and start is None:
                start = i
            elif not fl and start is not None:
                runs.append((start, i))
                start = None
        return runs
