"""The tab-separated form (as data/ holds the seed), for the flat layout."""

from __future__ import annotations

from plangraph.documents.markup import Marked

from .plan import Grid, Item, Line


def tagged(m: Marked) -> str:
    """Text with <u>…</u> around its underlined runs."""
    out, under = [], False
    for ch, fl in zip(m.text, m.under, strict=True):
        if fl != under:
            out.append("<u>" if fl else "</u>")
            under = fl
        out.append(ch)
    if under:
        out.append("</u>")
    return "".join(out)


def write(content: list[Line | Grid]) -> str:
    lines: list[str] = []
    for block in content:
        if isinstance(block, Line):
            lines += ["", ("- " if block.kind == "clause" else "") + tagged(block.text)]
            continue
        lines += ["", "\t".join(block.header)]
        for row in block.rows:
            if isinstance(row, Item):
                lines.append("\t".join([tagged(row.strategy) if row.strategy else "",
                                        tagged(row.measure),
                                        " ".join(tagged(t) for t in row.targets),
                                        tagged(row.agencies)]))
            else:
                lines.append(tagged(row.text) + "\t" * (len(block.header) - 1))
        lines.append("\t".join("--" for _ in block.header))
    return "\n".join(lines) + "\n"
