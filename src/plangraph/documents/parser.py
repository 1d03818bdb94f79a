"""Document → typed tree.

The document is a text extraction of tables (see docs/document.md). Each line is one of:
a blank line (a page break), the document heading, a part heading (肆、具體作為), an area heading
(一、加強肅貪防貪), a table header, a separator of dashes, a table row of four tab-separated cells
(strategy | measure | target | agencies), or a clause of part 陸 ("- 一、…").

A row after a page break that starts no new strategy or measure continues the cells of the row
before it. Anything else that does not fit is an error naming the line: text never lands in the
wrong cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SourceError, UnknownNameError
from ..model.registry import ASSIGNEE_KINDS, Registry
from .markup import Marked, MarkupError
from .numerals import cjk_to_int
from .source import Erratum
from .targets import deadline_of, frequencies_of
from .tree import (
    Area,
    Assignment,
    Clause,
    Correction,
    Measure,
    Mention,
    Node,
    Part,
    PlanDocument,
    Strategy,
    SubArea,
    Target,
)

HEADER = ["具體策略", "執行措施", "績效目標", "辦理機關"]
_PART = re.compile(r"^([壹貳參肆伍陸柒捌玖拾])、\s*(\S.*)$")
_AREA = re.compile(r"^([一二三四五六七八九十]+)、\s*(\S.*)$")
_CLAUSE = re.compile(r"^-\s*([一二三四五六七八九十]+)、\s*(\S.*)$")
_DASHES = re.compile(r"^[-\s]*-[-\s]*$")
_ARABIC = re.compile(r"^(\d+)\.\s*")
_PAREN = re.compile(r"^\(([一二三四五六七八九十]+)\)\s*")
_SUBAREA = re.compile(r"^\(([一二三四五六七八九十]+)\)([^，。：:()]{1,8})(?:[：:]\s*(.*))?$")
_PART_NUMBERS = {"壹": 1, "貳": 2, "參": 3, "肆": 4, "伍": 5, "陸": 6, "柒": 7, "捌": 8, "玖": 9,
                 "拾": 10}
_SEPARATORS = "、，,及。; ；"
_OPEN, _CLOSE = "(（", ")）"


@dataclass
class _Cell:
    """Fragments of one table cell, joined across page breaks."""

    parts: list[Marked] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    def add(self, text: Marked, line: int) -> None:
        if text.text.strip():
            self.parts.append(text)
            self.lines.append(line)

    def joined(self) -> Marked:
        out = Marked.plain("")
        for p in self.parts:
            out = out + p
        return out.normalised()


@dataclass
class _OpenStrategy:
    node: Strategy
    cell: _Cell


@dataclass
class _OpenMeasure:
    node: Measure
    text: _Cell
    target: _Cell
    agencies: _Cell
    lines: list[int]


class Parser:
    def __init__(self, registry: Registry, path: str, required_parts: list[str] | None = None):
        self.registry = registry
        self.path = path
        self.required_parts = required_parts or []
        self.heading: Node | None = None
        self.parts: list[Part] = []
        self.area: Area | None = None
        self.subarea: SubArea | None = None
        self.strategy: _OpenStrategy | None = None
        self.measure: _OpenMeasure | None = None
        self.in_table = False
        self.after_break = False
        self.line_no = 0

    # -- errors ---------------------------------------------------------------------------------

    def section(self) -> str | None:
        bits = []
        if self.parts:
            bits.append(self.parts[-1].numeral + "、")
        if self.area is not None:
            bits.append(_cjk(self.area.number) + "、")
        if self.subarea is not None:
            bits.append(f"({_cjk(self.subarea.number)})")
        if self.strategy is not None:
            s = self.strategy.node
            bits.append(f"{s.number}." if self.subarea is not None else f"({_cjk(s.number)})")
        return "".join(bits) or None

    def error(self, message: str, line: int | None = None) -> SourceError:
        return SourceError(message, path=self.path, line=line or self.line_no, section=self.section())

    # -- driving --------------------------------------------------------------------------------

    def parse(self, lines: list[str]) -> list[Part]:
        for n, line in enumerate(lines, start=1):
            self.line_no = n
            self.feed(line)
        self.close_strategy()
        self.line_no = len(lines)
        # The heading of an amendment names the points it holds (修正…第肆點、第陸點): each must
        # be there, or the document was cut short. Metadata, where given, says the same.
        named = re.findall(r"第([壹貳參肆伍陸柒捌玖拾])點", self.heading.text.text if self.heading
                           else "")
        for numeral in dict.fromkeys(self.required_parts + named):
            if numeral not in {p.numeral for p in self.parts}:
                raise self.error(f"part {numeral} is missing (the heading or the metadata says "
                                 "the document holds it): is the document truncated?")
        if not self.parts:
            raise self.error("no part heading (such as 肆、具體作為) found: not a plan document")
        for part in self.parts:
            if not part.areas and not part.clauses:
                raise self.error(f"part {part.numeral} is empty: is the document truncated?")
        last = self.parts[-1]
        final = (last.clauses or [None])[-1] or (self.measures_of(last) or [None])[-1]
        if final is not None and not final.text.text.endswith(("。", "」", ")", "）")):
            raise self.error("the document ends in the middle of a sentence: is it truncated?",
                             line=final.lines[-1])
        return self.parts

    @staticmethod
    def measures_of(part: Part) -> list[Measure]:
        return [m for a in part.areas for s in a.all_strategies() for m in s.measures]

    def feed(self, line: str) -> None:
        if not line.strip():
            self.after_break = True
            return
        if "\t" in line:
            self.row(line.split("\t"))
        else:
            self.plain_line(line.strip())
        self.after_break = False

    def plain_line(self, text: str) -> None:
        if _DASHES.match(text):
            self.end_table()
            return
        if self.heading is None and not self.parts:
            self.heading = Node(0, self.marked(text).normalised(), [self.line_no])
            return
        if m := _PART.match(text):
            self.close_strategy()
            self.end_table()
            self.area = None
            numeral = m.group(1)
            self.parts.append(Part(_PART_NUMBERS[numeral], self.marked(m.group(2)).normalised(),
                                   [self.line_no], numeral=numeral))
            return
        if not self.parts:
            raise self.error(f"text before the first part heading: {text[:30]!r}")
        part = self.parts[-1]
        if m := _CLAUSE.match(text):
            if part.areas:
                raise self.error("a clause line inside a part made of areas")
            number = cjk_to_int(m.group(1))
            self.expect_number(number, len(part.clauses), "clause")
            clause = Clause(number, self.marked(m.group(2)).normalised(), [self.line_no],
                            key=f"{part.number}.{number}")
            clause.mentions = self.mentions(clause.text)
            part.clauses.append(clause)
            return
        if m := _AREA.match(text):
            if part.clauses:
                raise self.error("an area heading inside a part made of clauses")
            self.close_strategy()
            self.end_table()
            number = cjk_to_int(m.group(1))
            self.expect_number(number, len(part.areas), "area")
            self.area = Area(number, self.marked(m.group(2)).normalised(), [self.line_no],
                             key=str(number))
            self.subarea = None
            part.areas.append(self.area)
            return
        raise self.error(f"a line that is no heading, clause or table row: {text[:40]!r}")

    def end_table(self) -> None:
        self.close_strategy()
        self.in_table = False

    def expect_number(self, number: int, count: int, what: str) -> None:
        if number != count + 1:
            raise self.error(f"{what} numbered {number} follows {count} {what}(s): numbering "
                             "must run 1, 2, 3 …")

    def marked(self, raw: str) -> Marked:
        try:
            return Marked.parse(raw)
        except MarkupError as e:
            raise self.error(str(e)) from None

    # -- table rows -----------------------------------------------------------------------------

    def row(self, cells: list[str]) -> None:
        if [c.strip() for c in cells] == HEADER:
            if self.area is None:
                raise self.error("a table header outside an area")
            self.close_strategy()
            self.in_table = True
            return
        if all(_DASHES.match(c) or not c.strip() for c in cells):
            self.end_table()
            return
        if not self.in_table:
            raise self.error("a table row outside a table (no 具體策略/執行措施/績效目標/辦理機關 "
                             "header before it)")
        if len(cells) != 4:
            raise self.error(f"row has {len(cells)} cells, expected 4 (strategy, measure, target, "
                             "agencies): a lost or extra tab?")
        strategy, measure, target, agencies = (self.marked(c) for c in cells)
        first = strategy.normalised()

        if first.text and (m := _SUBAREA.match(first.text)) and self.is_subarea_heading(
                m, measure, target, agencies):
            self.open_subarea(cjk_to_int(m.group(1)), self.marked(m.group(2)).normalised())
            rest = m.group(3) or ""
            if not rest.strip():
                return
            first = first[len(first.text) - len(rest):]

        new_strategy = bool(first.text) and self.strategy_number(first) is not None
        measure_text = measure.normalised()
        numbered = _ARABIC.match(measure_text.text)
        if new_strategy:
            self.open_strategy(first)
            if not measure_text.text:
                raise self.error("a strategy row with an empty measure cell")
            self.open_measure(measure, numbered, target, agencies)
        elif not first.text and numbered:
            if self.strategy is None:
                raise self.error("a measure row before any strategy")
            self.open_measure(measure, numbered, target, agencies)
        else:
            self.continue_row(strategy, measure, target, agencies)

    def is_subarea_heading(self, m: re.Match[str], *others: Marked) -> bool:
        rest = m.group(3)
        if rest is not None:
            return bool(_ARABIC.match(rest)) or not rest.strip()
        return all(not o.text.strip() for o in others)

    def strategy_number(self, text: Marked) -> int | None:
        arabic, paren = _ARABIC.match(text.text), _PAREN.match(text.text)
        if self.subarea is not None and paren:
            raise self.error("a strategy numbered (一)… inside a sub-area, whose strategies are "
                             "numbered 1. 2. …")
        if self.subarea is None and arabic:
            raise self.error("a strategy numbered 1. 2. … in an area without sub-areas, whose "
                             "strategies are numbered (一)(二)…")
        if arabic:
            return int(arabic.group(1))
        if paren:
            return cjk_to_int(paren.group(1))
        return None

    def continue_row(self, *cells: Marked) -> None:
        if not self.after_break:
            raise self.error("this row starts no strategy (number like 1. or (一)) and no "
                             "measure (number like 1.), and it does not follow a page break, so it "
                             "cannot continue the row before it")
        if self.measure is None or self.strategy is None:
            raise self.error("a continuation row with no row before it to continue")
        strategy, measure, target, agencies = cells
        self.strategy.cell.add(strategy, self.line_no)
        self.measure.text.add(measure, self.line_no)
        self.measure.target.add(target, self.line_no)
        self.measure.agencies.add(agencies, self.line_no)
        self.measure.lines.append(self.line_no)

    # -- opening and closing nodes --------------------------------------------------------------

    def open_subarea(self, number: int, title: Marked) -> None:
        assert self.area is not None
        if self.area.strategies:
            raise self.error("a sub-area heading after strategies that belong to no sub-area")
        self.close_strategy()
        self.expect_number(number, len(self.area.subareas), "sub-area")
        self.subarea = SubArea(number, title, [self.line_no], key=f"{self.area.number}.{number}")
        self.area.subareas.append(self.subarea)

    def siblings(self) -> list[Strategy]:
        assert self.area is not None
        return self.subarea.strategies if self.subarea is not None else self.area.strategies

    def open_strategy(self, first: Marked) -> None:
        self.close_strategy()
        assert self.area is not None
        number = self.strategy_number(first)
        assert number is not None
        if any(s.number == number for s in self.siblings()):
            raise self.error(f"strategy number {number} appears twice")
        sub = self.subarea.number if self.subarea is not None else 0
        node = Strategy(number, Marked.plain(""), [], key=f"{self.area.number}.{sub}.{number}")
        cell = _Cell()
        cell.add(first, self.line_no)
        self.strategy = _OpenStrategy(node, cell)
        self.siblings().append(node)

    def open_measure(self, measure: Marked, numbered: re.Match[str] | None, target: Marked,
                     agencies: Marked) -> None:
        self.close_measure()
        assert self.strategy is not None
        s = self.strategy.node
        number = int(numbered.group(1)) if numbered else 1
        if not numbered and s.measures:
            raise self.error("an unnumbered measure in a strategy that has several measures")
        if any(m.number == number for m in s.measures):
            raise self.error(f"measure number {number} appears twice in strategy {s.key}")
        node = Measure(number, Marked.plain(""), [], key=f"{s.key}.{number}",
                       numbered=bool(numbered))
        self.measure = _OpenMeasure(node, _Cell(), _Cell(), _Cell(), [self.line_no])
        self.measure.text.add(measure, self.line_no)
        self.measure.target.add(target, self.line_no)
        self.measure.agencies.add(agencies, self.line_no)
        s.measures.append(node)

    def close_measure(self) -> None:
        if self.measure is None:
            return
        om, self.measure = self.measure, None
        m = om.node
        text = om.text.joined()
        if m.numbered:
            number = _ARABIC.match(text.text)
            assert number is not None
            text = text[number.end():]
        m.text, m.lines = text, om.lines
        m.mentions = self.mentions(text)
        m.targets = self.targets(om.target.joined(), om.target.lines or om.lines[:1], m.key)
        m.agency_cell, m.agency_lines = om.agencies.joined(), om.agencies.lines
        m.assignments = self.assignments(m.agency_cell, om.agencies.lines or om.lines[:1])

    def close_strategy(self) -> None:
        self.close_measure()
        if self.strategy is None:
            return
        os_, self.strategy = self.strategy, None
        text = os_.cell.joined()
        number = _ARABIC.match(text.text) or _PAREN.match(text.text)
        assert number is not None
        os_.node.text = text[number.end():]
        os_.node.lines = os_.cell.lines
        os_.node.mentions = self.mentions(os_.node.text)

    # -- cell contents --------------------------------------------------------------------------

    def targets(self, cell: Marked, lines: list[int], key: str) -> list[Target]:
        if not cell.text:
            return []
        pieces = split_numbered(cell)
        out = []
        for i, piece in enumerate(pieces, start=1):
            t = Target(i, piece, lines, frequencies=frequencies_of(piece.text),
                       deadline=deadline_of(piece.text))
            t.mentions = self.mentions(piece)
            out.append(t)
        return out

    def mentions(self, text: Marked) -> list[Mention]:
        return [Mention(e.id, "agency" if e.kind == "collective" else e.kind, name, pos,
                        pos + len(name))
                for e, name, pos in self.registry.find(text.text, ("agency", "collective",
                                                                   "body", "instrument"))]

    def assignments(self, cell: Marked, lines: list[int]) -> list[Assignment]:
        text = cell.text
        out: list[Assignment] = []
        pos = 0
        while pos < len(text):
            ch = text[pos]
            if ch in _SEPARATORS:
                pos += 1
                continue
            if ch in _OPEN:
                close = _find_close(text, pos)
                if close < 0:
                    raise self.error(f"unclosed parenthesis in the agency cell: {text[pos:]!r}",
                                     line=lines[-1])
                for name in filter(None, re.split(r"[、，,]", text[pos + 1:close])):
                    a = self.assignee(name.strip(), True, len(out) + 1, lines)
                    before = out[-1] if out and not out[-1].cooperating else None
                    host = self.registry.get(a.entity).data.host
                    if before is not None and host == before.entity and pos > 0 \
                            and text[pos - 1] not in _SEPARATORS:
                        # a body of the agency just before it: the unit that acts, not a
                        # cooperating body outside the Executive Yuan
                        before.acting_unit, before.acting_unit_name = a.entity, a.name
                    else:
                        out.append(a)
                pos = close + 1
                continue
            m = self.registry.match_at(text, pos, ASSIGNEE_KINDS)
            end = pos + len(m[1]) if m else pos
            # a known name must end where the name ends: 法務部廉政局 is not 法務部 + 廉政局
            if m is None or (end < len(text) and text[end] not in _SEPARATORS + _OPEN):
                name = re.split(r"[、，,()（）]", text[pos:], maxsplit=1)[0]
                raise UnknownNameError(
                    f"unknown agency {name!r} in the agency cell {text!r}: add it (or the "
                    "spelling as an alias) to data/registry/agencies.toml",
                    path=self.path, line=lines[0], section=self.section())
            out.append(Assignment(m[1], m[0].id, False, len(out) + 1))
            pos += len(m[1])
        return out

    def assignee(self, name: str, cooperating: bool, position: int, lines: list[int]) -> Assignment:
        e = self.registry.resolve(name)
        if e is None:
            raise UnknownNameError(f"unknown agency {name!r} in the agency cell: add it (or the "
                                   "spelling as an alias) to data/registry/agencies.toml",
                                   path=self.path, line=lines[0], section=self.section())
        return Assignment(name, e.id, cooperating, position)


def split_numbered(cell: Marked) -> list[Marked]:
    """'1. a 2. b' → [a, b]; a cell that does not start with '1.' is one piece."""
    if not re.match(r"1\.", cell.text):
        return [cell]
    cuts = [0]
    n = 2
    while m := re.compile(rf"(?<!\d){n}\.(?!\d)").search(cell.text, cuts[-1] + 2):
        cuts.append(m.start())
        n += 1
    cuts.append(len(cell.text))
    pieces = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = cell[a:b]
        number = _ARABIC.match(piece.text)
        assert number is not None
        pieces.append(piece[number.end():].normalised())
    return pieces


def _find_close(text: str, start: int) -> int:
    depth = 0
    for i in range(start, len(text)):
        if text[i] in _OPEN:
            depth += 1
        elif text[i] in _CLOSE:
            depth -= 1
            if depth == 0:
                return i
    return -1


def _cjk(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n <= 10:
        return "十" if n == 10 else digits[n]
    tens, ones = divmod(n, 10)
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")


def decode(data: bytes, path: str) -> list[str]:
    """Bytes → lines. Strict UTF-8; a bad byte or a control character is an error naming its line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise SourceError(f"not UTF-8: byte 0x{data[e.start]:02x} cannot be decoded ({e.reason})",
                          path=path, line=line) from None
    text = text.removeprefix("\ufeff")
    lines = [ln.removesuffix("\r") for ln in text.split("\n")]
    for n, ln in enumerate(lines, start=1):
        bad = next((c for c in ln if ord(c) < 32 and c != "\t" or c == "\x7f"), None)
        if bad is not None:
            raise SourceError(f"control character U+{ord(bad):04X} in the text", path=path, line=n)
    return lines


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


def parse_document(data: bytes, registry: Registry, *, path: str | Path = "<document>",
                   errata: list[Erratum] | None = None,
                   required_parts: list[str] | None = None) -> PlanDocument:
    path = str(path)
    published = decode(data, path)
    lines, corrections = apply_errata(published, errata or [], path)
    parser = Parser(registry, path, required_parts)
    parts = parser.parse(lines)
    heading = parser.heading or Node(0, Marked.plain(""), [])
    return PlanDocument(heading, parts, published, corrections)
