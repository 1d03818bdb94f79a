"""Marked text as runs of the same underline, the way office formats and HTML write it."""

from __future__ import annotations

from plangraph.documents.markup import Marked


def runs(m: Marked) -> list[tuple[str, bool]]:
    """'ab' with b underlined → [('a', False), ('b', True)]."""
    out: list[tuple[str, bool]] = []
    for ch, under in zip(m.text, m.under, strict=True):
        if out and out[-1][1] == under:
            out[-1] = (out[-1][0] + ch, under)
        else:
            out.append((ch, under))
    return out
