"""The plan as the document structures it: parts, areas, sub-areas, strategies, measures, targets.

Two layouts fill it (documents/layout.py): the 2014 one, part → area (→ sub-area) → strategy,
and the flat one of 2018 and later, part → strategy. Plain data, no RDF: model/rdf.py turns it
into triples.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .blocks import Place
from .markup import Marked


@dataclass
class Correction:
    """An errata entry applied to one source line before parsing."""

    number: int
    line: int
    original: str
    corrected: str
    reason: str


@dataclass
class Mention:
    """A registry entity named inside a text (an agency, instrument or body)."""

    entity: str          # registry id
    kind: str            # "agency" | "instrument" | "body"
    name: str            # as written
    start: int
    end: int


@dataclass
class Node:
    number: int
    text: Marked
    lines: list[int]                 # the source lines it was read from (text forms)
    mentions: list[Mention] = field(default_factory=list)
    # where it was read from, in every form (a text form's places are its lines)
    places: list[Place] = field(default_factory=list)


@dataclass
class TargetValue:
    """The value a target is to reach in a year: a cell under a header such as 112年績效目標值
    (the indicator edition of 2023). The year comes from the header, as data."""

    year: int                        # Gregorian (112年 → 2023)
    text: Marked
    places: list[Place] = field(default_factory=list)


@dataclass
class Target(Node):
    frequencies: list[str] = field(default_factory=list)   # frequency concept names
    deadline: dt.date | None = None
    # the indicator edition: the performance indicator (績效衡量指標) that measures this target,
    # and its target values, one per year column
    indicator: Marked | None = None
    values: list[TargetValue] = field(default_factory=list)


@dataclass
class Assignment:
    name: str            # as written, markup stripped and spacing normalised
    entity: str          # registry id
    cooperating: bool
    position: int
    # a body of this agency named in parentheses right after it, that does the work:
    # 最高法院檢察署（肅貪督導小組） (the task force the office runs, line 14)
    acting_unit: str | None = None
    acting_unit_name: str | None = None


@dataclass
class Measure(Node):
    key: str = ""
    numbered: bool = True
    targets: list[Target] = field(default_factory=list)
    agency_cell: Marked = field(default_factory=lambda: Marked.plain(""))
    agency_lines: list[int] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)

    @property
    def amended(self) -> bool:
        return (self.text.underlined or self.agency_cell.underlined
                or any(t.text.underlined for t in self.targets))


@dataclass
class Strategy(Node):
    key: str = ""
    measures: list[Measure] = field(default_factory=list)


@dataclass
class SubArea(Node):
    key: str = ""
    strategies: list[Strategy] = field(default_factory=list)


@dataclass
class Area(Node):
    key: str = ""
    subareas: list[SubArea] = field(default_factory=list)
    strategies: list[Strategy] = field(default_factory=list)   # when the area has no sub-areas

    def all_strategies(self) -> list[Strategy]:
        if self.subareas:
            return [s for sub in self.subareas for s in sub.strategies]
        return self.strategies


@dataclass
class Clause(Node):
    key: str = ""


@dataclass
class Part(Node):
    numeral: str = ""
    areas: list[Area] = field(default_factory=list)          # the 2014 layout
    strategies: list[Strategy] = field(default_factory=list)  # the flat layout (2018 and later)
    clauses: list[Clause] = field(default_factory=list)

    def all_strategies(self) -> list[Strategy]:
        return [s for a in self.areas for s in a.all_strategies()] + self.strategies


@dataclass
class PlanDocument:
    heading: Node
    parts: list[Part]
    lines: list[str]                 # text forms: the source lines as published (before errata),
    corrections: list[Correction]    # 1-based via line(); other forms: none
    form: str = "tab"                # the form it was read from (documents/readers)
    layout: str = "2014"             # "2014" (areas) or "flat" (strategies under the part)
    # forms without lines: the text read at each place, for the provenance of what was read there
    texts: dict[Place, str] = field(default_factory=dict)
    # lines before the first part that are not its heading (a saved page's breadcrumbs …)
    front_matter: list[Node] = field(default_factory=list)
    # paragraphs after the last clause of a page (a news release's contact line …)
    back_matter: list[Node] = field(default_factory=list)

    def line(self, n: int) -> str:
        return self.lines[n - 1]

    def source_text(self, numbers: list[int]) -> str:
        return "\n".join(self.line(n) for n in numbers)

    def source_of(self, node: Node) -> str:
        """The exact source a node was read from: its lines, or the texts at its places."""
        if node.lines and self.lines:
            return self.source_text(sorted(set(node.lines)))
        return "\n".join(self.texts.get(p, "") for p in dict.fromkeys(node.places))

    def areas(self) -> list[Area]:
        return [a for p in self.parts for a in p.areas]

    def strategies(self) -> list[Strategy]:
        return [s for p in self.parts for s in p.all_strategies()]

    def measures(self) -> list[Measure]:
        return [m for s in self.strategies() for m in s.measures]

    def clauses(self) -> list[Clause]:
        return [c for p in self.parts for c in p.clauses]
