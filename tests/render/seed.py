"""The seed as a document a person would write in an office program: headings, paragraphs and
tables of whole rows (the text extraction's page-break fragments joined), each cell's text still
with its <u> underline markup. Read straight from data/ with the errata applied, so the renderings
do not depend on the reader or layout under test."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field

from plangraph.config import PROJECT

SEED = PROJECT / "data" / "plan-2014-04-15.txt"
HEADER = ["具體策略", "執行措施", "績效目標", "辦理機關"]
# a strategy (1. or (一)) or a measure (1.) starts a row; a sub-area row ((二)防貪) too
_NUMBERED = re.compile(r"^\s*(\d+\.|\([一二三四五六七八九十]+\))")


@dataclass
class Paragraph:
    text: str           # with <u> markup
    heading: int = 0    # 1 title, 2 part, 3 area; 0 a plain paragraph (a clause of 陸)


@dataclass
class Grid:
    """One table: its header and its rows of four cells. A row whose strategy cell is empty
    belongs to the strategy above it: the writers merge that cell over the strategy's rows."""

    rows: list[list[str]] = field(default_factory=list)
    header: list[str] = field(default_factory=lambda: list(HEADER))

    def strategy_spans(self) -> list[int]:
        """For each row, how many rows its strategy cell spans (0: covered by the one above)."""
        spans = [0] * len(self.rows)
        start = 0
        for i, row in enumerate(self.rows):
            if row[0].strip() or i == 0:
                start = i
            spans[start] += 1
        return spans


def strip_p(cell: str) -> str:
    return re.sub(r"</?p>", "", cell)


def seed_document() -> list[Paragraph | Grid]:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    errata = tomllib.loads(SEED.with_name(SEED.stem + ".errata.toml").read_text("utf-8"))
    for c in errata.get("correction", []):
        lines[c["line"] - 1] = lines[c["line"] - 1].replace(c["find"], c["replace"])
    out: list[Paragraph | Grid] = []
    grid: Grid | None = None
    after_break = False
    for line in lines:
        if not line.strip():
            after_break = True
            continue
        if "\t" in line:
            cells = [strip_p(c) for c in line.split("\t")]
            if [c.strip() for c in cells] == HEADER:
                grid = Grid()
                out.append(grid)
            elif all(not c.strip() or set(c.strip()) == {"-"} for c in cells):
                grid = None
            else:
                assert grid is not None and len(cells) == 4, line
                continues = after_break and not _NUMBERED.match(cells[0]) and not _NUMBERED.match(
                    cells[1])
                if continues:
                    grid.rows[-1] = [a + b for a, b in zip(grid.rows[-1], cells, strict=True)]
                else:
                    grid.rows.append(cells)
        else:
            text = line.strip()
            if re.match(r"^[壹貳參肆伍陸柒捌玖拾]、", text):
                out.append(Paragraph(text, heading=2))
            elif re.match(r"^[一二三四五六七八九十]+、", text):
                out.append(Paragraph(text, heading=3))
            elif text.startswith("- "):
                out.append(Paragraph(text[2:]))
            else:
                out.append(Paragraph(text, heading=1))
        after_break = False
    return out


def underlined_pieces(text: str) -> list[tuple[str, bool]]:
    """'a <u>b</u> c' → [('a ', False), ('b', True), (' c', False)]."""
    pieces = []
    for i, piece in enumerate(re.split(r"</?u>", text)):
        if piece:
            pieces.append((piece, i % 2 == 1))
    return pieces
