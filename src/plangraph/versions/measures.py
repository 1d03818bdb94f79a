"""A version as the amendment tools compare it: its headings, strategies, measures and clauses,
texts normalised, names resolved to registry entities, each node with the numbering the document
shows for it.

Nothing here depends on the layout: the 2014 layout (areas, sub-areas, strategies) and the flat
one (strategies straight under the point) give the same views, a strategy simply having no
headings above it in the flat one.

Texts are kept as the document writes them (a 修正對照表 quotes them); `comparable` is what two
texts are compared by.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..documents.numerals import int_to_cjk
from ..documents.tree import Area, Clause, Measure, Part, PlanDocument, Strategy, SubArea
from ..model.registry import Registry

# The full-width forms of ASCII characters (U+FF01–U+FF5E: ，；：（）！？１Ａ…) and their ASCII
# twins write the same text: stored copies of the ministry's pages have their punctuation made
# ASCII, drafts are typed either way, and the seed itself writes 縣(市) and 機關（構）. One to one,
# so positions in a comparable text are positions in the text.
_WIDTH_TWINS = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}


def comparable(text: str) -> str:
    """The text as versions are compared: full-width ASCII forms made ASCII, same length."""
    return text.translate(_WIDTH_TWINS)


@dataclass(frozen=True)
class HeadingView:
    """An area (key "1") or a sub-area (key "1.2") of the 2014 layout."""

    key: str
    kind: str                 # "area" | "subarea"
    label: str                # the number as the document writes it: "一、", "(二)"
    title: str


@dataclass(frozen=True)
class StrategyView:
    key: str
    label: str                # "4.", "(三)", "一、"
    text: str
    part: str                 # the point it stands under, as headed: 肆、具體作為
    headings: tuple[HeadingView, ...]     # outermost first; () in the flat layout
    measures: tuple[str, ...]             # its measures' keys
    node: Strategy


@dataclass(frozen=True)
class Named:
    """An agency cell's name as written, and the registry entity it names."""

    entity: str
    name: str
    cooperating: bool


@dataclass(frozen=True)
class MeasureView:
    key: str
    label: str                # "1.", "（一）", "" for the one unnumbered measure of a strategy
    text: str
    targets: tuple[str, ...]
    lead: frozenset[str]          # registry ids: two spellings of one agency are one agency
    cooperating: frozenset[str]
    instruments: frozenset[str]
    names: tuple[Named, ...]      # the agency cell, name by name, as written
    agency_cell: str
    lines: tuple[int, ...]
    strategy: StrategyView
    measure: Measure

    @property
    def agencies(self) -> frozenset[str]:
        return self.lead | self.cooperating


@dataclass(frozen=True)
class ClauseView:
    key: str
    label: str
    text: str
    node: Clause


@dataclass(frozen=True)
class DocumentView:
    title: str                    # the document's heading: 修正國家廉政建設行動方案第肆點、第陸點
    clause_part: str              # the point of the clauses, as headed: 陸、分工及績效考核
    headings: tuple[HeadingView, ...]
    strategies: tuple[StrategyView, ...]
    measures: tuple[MeasureView, ...]
    clauses: tuple[ClauseView, ...]

    layout: str                   # "2014" (areas) or "flat" (strategies straight under the point)


def _heading(node: Area | SubArea, kind: str) -> HeadingView:
    label = f"{int_to_cjk(node.number)}、" if kind == "area" else f"({int_to_cjk(node.number)})"
    return HeadingView(node.key, kind, label, node.text.text)


def _strategy_label(s: Strategy, headings: tuple[HeadingView, ...]) -> str:
    if not headings:
        return f"{int_to_cjk(s.number)}、"             # flat: 一、二、… straight under 肆
    if headings[-1].kind == "subarea":
        return f"{s.number}."                         # (一)肅貪 1. 2. …
    return f"({int_to_cjk(s.number)})"                 # areas 二…八: (一)(二)…


def _measure_label(m: Measure, headings: tuple[HeadingView, ...]) -> str:
    if not m.numbered:
        return ""
    return f"{m.number}." if headings else f"（{int_to_cjk(m.number)}）"


def _part_heading(part: Part) -> str:
    return f"{part.numeral}、{part.text.text}"


def _outline(doc: PlanDocument) -> list[tuple[Strategy, str, tuple[HeadingView, ...]]]:
    """Every strategy with the point and the headings above it, in document order."""
    out: list[tuple[Strategy, str, tuple[HeadingView, ...]]] = []
    for part in doc.parts:
        point = _part_heading(part)
        for area in part.areas:
            a = _heading(area, "area")
            if area.subareas:
                for sub in area.subareas:
                    out += [(s, point, (a, _heading(sub, "subarea"))) for s in sub.strategies]
            else:
                out += [(s, point, (a,)) for s in area.strategies]
        out += [(s, point, ()) for s in part.strategies]    # the flat layout: no heading above
    return out


def document_view(doc: PlanDocument) -> DocumentView:
    headings: list[HeadingView] = []
    strategies: list[StrategyView] = []
    measures: list[MeasureView] = []
    for s, part, above in _outline(doc):
        for h in above:
            if h not in headings:
                headings.append(h)
        sv = StrategyView(s.key, _strategy_label(s, above), s.text.text, part, above,
                          tuple(m.key for m in s.measures), s)
        strategies.append(sv)
        measures += [_measure_view(m, sv) for m in s.measures]
    clauses = tuple(ClauseView(c.key, f"{int_to_cjk(c.number)}、", c.text.text, c)
                    for c in doc.clauses())
    clause_part = next((_part_heading(p) for p in doc.parts if p.clauses), "")
    return DocumentView(doc.heading.text.text, clause_part, tuple(headings), tuple(strategies),
                        tuple(measures), clauses, doc.layout)


def _measure_view(m: Measure, strategy: StrategyView) -> MeasureView:
    mentions = m.mentions + [x for t in m.targets for x in t.mentions]
    return MeasureView(
        m.key, _measure_label(m, strategy.headings), m.text.text,
        tuple(t.text.text for t in m.targets),
        frozenset(a.entity for a in m.assignments if not a.cooperating),
        frozenset(a.entity for a in m.assignments if a.cooperating),
        frozenset(x.entity for x in mentions if x.kind == "instrument"),
        tuple(Named(a.entity, a.name, a.cooperating) for a in m.assignments),
        m.agency_cell.text, tuple(m.lines), strategy, m)


def views(doc: PlanDocument) -> list[MeasureView]:
    return list(document_view(doc).measures)


def names(registry: Registry, ids: frozenset[str]) -> list[str]:
    return sorted(registry.get(i).name for i in ids)
