"""The seed as the writers see it: lines of text and tables of rows, in either layout.

Read from the seed's own tree, so that the forms made from it say exactly what the seed says
(underlines included); what they must read back as is checked against the seed's build and the
measures read by hand (tests/data/expected_measures.json).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from plangraph.documents.markup import Marked
from plangraph.documents.numerals import int_to_cjk
from plangraph.documents.reading import parse_document
from plangraph.documents.source import load_source
from plangraph.documents.tree import Measure, PlanDocument, Strategy
from plangraph.model.registry import Registry

from ..conftest import PROJECT

SEED = PROJECT / "data" / "plan-2014-04-15.txt"
HEADER = ["具體策略", "執行措施", "績效目標", "辦理機關"]


@cache
def seed() -> PlanDocument:
    source = load_source(SEED)
    return parse_document(source.data, Registry.load(PROJECT / "data" / "registry"), path=SEED,
                          errata=source.errata, required_parts=source.required_parts)


@dataclass
class Line:
    """A line of text between the tables: a heading or a clause."""

    text: Marked
    kind: str = "heading"          # heading | part | area | clause


@dataclass
class Item:
    """One measure's row: the strategy cell (on the first row of its strategy only), the
    numbered measure, its targets (each numbered when there are several), the agency cell."""

    strategy: Marked | None
    measure: Marked
    targets: list[Marked]
    agencies: Marked
    strategy_rows: int = 1         # rows the strategy spans (on its first row)


@dataclass
class SubArea:
    """A row of its own: (一)肅貪."""

    text: Marked


@dataclass
class Grid:
    header: list[str]
    rows: list[Item | SubArea] = field(default_factory=list)


def plain(text: str) -> Marked:
    return Marked.plain(text)


def targets(m: Measure) -> list[Marked]:
    if len(m.targets) == 1:
        return [m.targets[0].text]
    return [plain(f"{t.number}. ") + t.text for t in m.targets]


def _items(strategy: Strategy, label: Marked, measure_label) -> list[Item]:  # noqa: ANN001
    rows = []
    for i, m in enumerate(strategy.measures):
        number = plain(measure_label(m.number)) if m.numbered else plain("")
        rows.append(Item(label + strategy.text if i == 0 else None, number + m.text, targets(m),
                         m.agency_cell, len(strategy.measures) if i == 0 else 1))
    return rows


def layout_2014(doc: PlanDocument | None = None, subareas: str = "row") -> list[Line | Grid]:
    """The seed as it is laid out: areas as lines, each with its table. `subareas`: (一)肅貪 as
    a row of its own ("row"), or before the first strategy in its cell, as the extraction has it
    ("inline": (一)肅貪： 1. 研議…)."""
    doc = doc or seed()
    out: list[Line | Grid] = [Line(doc.heading.text)]
    for part in doc.parts:
        out.append(Line(plain(f"{part.numeral}、") + part.text, "part"))
        for area in part.areas:
            out.append(Line(plain(f"{int_to_cjk(area.number)}、") + area.text, "area"))
            grid = Grid(list(HEADER))
            if area.subareas:
                for sub in area.subareas:
                    title = plain(f"({int_to_cjk(sub.number)})") + sub.text
                    if subareas == "row":
                        grid.rows.append(SubArea(title))
                    for k, s in enumerate(sub.strategies):
                        label = plain(f"{s.number}. ")
                        if subareas == "inline" and k == 0:
                            label = title + plain("： ") + label
                        grid.rows += _items(s, label, lambda n: f"{n}. ")
            else:
                for s in area.strategies:
                    grid.rows += _items(s, plain(f"({int_to_cjk(s.number)})"), lambda n: f"{n}. ")
            out.append(grid)
        for clause in part.clauses:
            out.append(Line(plain(f"{int_to_cjk(clause.number)}、") + clause.text, "clause"))
    return out


def layout_flat(doc: PlanDocument | None = None, paren: str = "（）") -> list[Line | Grid]:
    """The seed laid out as the plan is from 2018 on: no areas, its 48 strategies numbered
    一、二、… straight under 肆, measures (一)(二)… (`paren`: full-width or ASCII)."""
    doc = doc or seed()
    out: list[Line | Grid] = [Line(doc.heading.text)]
    for part in doc.parts:
        out.append(Line(plain(f"{part.numeral}、") + part.text, "part"))
        strategies = part.all_strategies()
        if strategies:
            grid = Grid(list(HEADER))
            for n, s in enumerate(strategies, start=1):
                grid.rows += _items(s, plain(f"{int_to_cjk(n)}、"),
                                    lambda k: f"{paren[0]}{int_to_cjk(k)}{paren[1]}")
            out.append(grid)
        for clause in part.clauses:
            out.append(Line(plain(f"{int_to_cjk(clause.number)}、") + clause.text, "clause"))
    return out
