"""Blocks → the typed tree: the plan read out of what a reader of any form produced.

The layout knows the plan and nothing of forms (blocks.py says what a reader gives). Point 肆 is
laid out in one of two ways, told apart by the content:

- the 2014 layout: areas 一…八 as lines of text, each followed by its table; area 一 has
  sub-areas (一)肅貪 / (二)防貪, rows of their own (or lines), whose strategies are numbered
  1. 2. …; the strategies of the other areas are numbered (一)(二)…; measures 1. 2. …, or one
  unnumbered measure. Keys `area.subarea.strategy.measure`, sub-area 0 outside area 一.
- the flat layout of 2018 and later: a table straight under the part, strategies 一、二、… in
  its first column, measures （一）（二）… (full-width or ASCII parentheses), targets 1. 2. ….
  Keys `strategy.measure`.

A table starts with its header row, whose labels say which column is which: 具體策略, 執行措施,
績效目標, 辦理機關, and in the indicator edition of 2023 績效衡量指標 and a target-value column
whose header carries the year (112年績效目標值). Other points (陸) are numbered clauses of prose.

A row after a page break that starts no new strategy or measure continues the cells of the row
before it. A cell covered by a cell spanning down from a row above (`spanned`) continues the
measure above when it is the measure's cell, and gives a new measure the text of the cell that
spans it otherwise. Anything else that does not fit is an error naming its place and section:
text never lands in the wrong cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import SourceError, UnknownNameError
from ..model.registry import ASSIGNEE_KINDS, Entity, Registry
from .blocks import Block, Cell, Place, Row, Table, TextLine
from .markup import Marked
from .numerals import NUMERAL, cjk_to_int, int_to_cjk, roc_year
from .targets import deadline_of, frequencies_of
from .tree import (
    Area,
    Assignment,
    Clause,
    Measure,
    Mention,
    Node,
    Part,
    Strategy,
    SubArea,
    Target,
    TargetValue,
)

# header labels (white space inside a label ignored: a PDF breaks them over lines)
COLUMNS = {"具體策略": "strategy", "執行措施": "measure", "績效目標": "target",
           "績效衡量指標": "indicator", "辦理機關": "agencies"}
REQUIRED = ["strategy", "measure", "target", "agencies"]
HEADER = ["具體策略", "執行措施", "績效目標", "辦理機關"]
# 112年績效目標值, 112年度績效目標值, 績效目標值(112年)
_VALUE_HEADER = re.compile(r"^(?:(\d+)年(?:度)?績效目標值|績效目標值[(（](\d+)年(?:度)?[)）])$")

_PART = re.compile(r"^([壹貳參肆伍陸柒捌玖拾])、\s*(\S.*)$")
_ITEM = re.compile(rf"^({NUMERAL})、\s*")                 # 一、 (an area, a clause, a flat strategy)
_AREA = re.compile(rf"^({NUMERAL})、\s*(\S.*)$")
_CLAUSE = re.compile(rf"^-\s*({NUMERAL})、\s*(\S.*)$")     # the tab form's clauses of 陸
_ARABIC = re.compile(r"^(\d+)[.．]\s*")                   # 1. (also １．: \d takes full-width)
_PAREN = re.compile(rf"^[(（]({NUMERAL})[)）]\s*")         # (一) or （一）
_STRATEGY_ITEM = re.compile(rf"^(?:\d+[.．]|[(（]{NUMERAL}[)）])")
_SUBAREA = re.compile(rf"^[(（]({NUMERAL})[)）]([^，。：:()（）]{{1,8}})(?:[：:]\s*(.*))?$")
_PART_NUMBERS = {"壹": 1, "貳": 2, "參": 3, "肆": 4, "伍": 5, "陸": 6, "柒": 7, "捌": 8, "玖": 9,
                 "拾": 10}
# 。 and . end an agency cell too (a copy whose punctuation was made ASCII has .)
_SEPARATORS = "、，,及。.; ；"
_OPEN, _CLOSE = "(（", ")）"
_SENTENCE_END = ("。", ".", "」", ")", "）")
_DASHES = re.compile(r"^[-\s]*-[-\s]*$")
_PLAN_NAME = "廉政建設行動方案"
_MEASURES_PART = "肆"                      # 具體作為: the table of measures
_BOX = re.compile("[\u2500-\u257f]")


@dataclass
class _Cell:
    """Fragments of one table cell, joined across page breaks."""

    parts: list[Marked] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)

    def add(self, text: Marked, place: Place) -> None:
        if text.text.strip():
            self.parts.append(text)
            self.places.append(place)

    def joined(self) -> Marked:
        out = Marked.plain("")
        for p in self.parts:
            out = out + p
        return out.normalised()

    @property
    def lines(self) -> list[int]:
        return [n for p in self.places for n in p.lines()]


@dataclass
class _Targets:
    """The target cells of one row of a measure (with its indicator and values), joined with
    their continuations across page breaks; a measure over several rows has one per row."""

    target: _Cell = field(default_factory=_Cell)
    indicator: _Cell = field(default_factory=_Cell)
    values: dict[int, _Cell] = field(default_factory=dict)


@dataclass
class _OpenStrategy:
    node: Strategy
    cell: _Cell


@dataclass
class _OpenMeasure:
    node: Measure
    text: _Cell
    targets: list[_Targets]
    agencies: list[_Cell]
    places: list[Place]


@dataclass
class _Columns:
    """Which column of a table holds what, read from its header row."""

    index: dict[str, int]
    values: list[tuple[int, int]]        # (year, column) of the target-value columns
    count: int
    header: list[str]

    def describe(self) -> str:
        return ", ".join(self.header)


class Layout:
    """Reads the blocks of one document into parts, areas, strategies, measures and clauses."""

    def __init__(self, registry: Registry, path: str, required_parts: list[str] | None = None):
        self.registry = registry
        self.path = path
        self.required_parts = required_parts or []
        self.heading: Node | None = None
        self.front_matter: list[Node] = []     # other lines before the first part heading
        self.back_matter: list[Node] = []      # a page's lines after the last clause
        self.parts: list[Part] = []
        self.area: Area | None = None
        self.subarea: SubArea | None = None
        self.strategy: _OpenStrategy | None = None
        self.measure: _OpenMeasure | None = None
        self.columns: _Columns | None = None
        self.breaks = True                # the form marks its page breaks (Table.breaks)
        self.cut = False                  # the row being read follows a page break
        self.flat = False                 # the part being read is in the flat layout
        self.layouts: set[str] = set()
        self.place = Place()
        self.texts: dict[Place, str] = {}
        # the cell of each column that spans down over the rows below it (for `spanned` cells)
        self.spanning: dict[int, Cell] = {}

    # -- errors ---------------------------------------------------------------------------------

    def section(self) -> str | None:
        bits = []
        if self.parts:
            bits.append(self.parts[-1].numeral + "、")
        if self.area is not None:
            bits.append(int_to_cjk(self.area.number) + "、")
        if self.subarea is not None:
            bits.append(f"({int_to_cjk(self.subarea.number)})")
        if self.strategy is not None:
            s = self.strategy.node
            if self.flat:
                bits.append(int_to_cjk(s.number) + "、")
            else:
                bits.append(f"{s.number}." if self.subarea is not None
                            else f"({int_to_cjk(s.number)})")
        if self.flat and self.measure is not None and self.measure.node.numbered:
            bits.append(f"({int_to_cjk(self.measure.node.number)})")
        return "".join(bits) or None

    def error(self, message: str, place: Place | None = None) -> SourceError:
        return SourceError(message, path=self.path, place=place or self.place,
                           section=self.section())

    # -- driving --------------------------------------------------------------------------------

    def read(self, blocks: list[Block], end: Place | None = None) -> list[Part]:
        """The parts of the document; `end` is its last place (a text form's last line), which
        errors about the whole document name."""
        for i, block in enumerate(blocks):
            if self.back_matter and not (isinstance(block, TextLine) and self.after_end(block)):
                first = self.back_matter[0]
                raise self.error(self.stray(first.text.text), place=first.places[0])
            if isinstance(block, TextLine):
                self.place = block.place
                self.texts[block.place] = block.text.text
                following = blocks[i + 1] if i + 1 < len(blocks) else None
                self.text_line(block.text, isinstance(following, Table))
            elif all(len(row.cells) == 1 for row in block.rows):
                # a one-column table is a frame around lines of text (a boxed title, a note)
                following = blocks[i + 1] if i + 1 < len(blocks) else None
                for row in block.rows:
                    self.place = row.cells[0].place
                    self.texts[self.place] = row.cells[0].text.text
                    for line in row.cells[0].text.text.split("\n"):
                        if line.strip():
                            self.text_line(Marked.plain(line.strip()),
                                           isinstance(following, Table))
            else:
                self.table(block, follows_table=i > 0 and isinstance(blocks[i - 1], Table))
        self.close_strategy()
        self.place = end or _last_place(blocks)
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
            if not part.areas and not part.strategies and not part.clauses:
                raise self.error(f"part {part.numeral} is empty: is the document truncated?")
            if part.numeral == _MEASURES_PART and part.clauses:
                raise self.error(f"part {part.numeral} holds lines of text where its table of "
                                 "measures (具體策略/執行措施/績效目標/辦理機關) should be: is the "
                                 "file in another form than it is read as?",
                                 place=part.clauses[0].places[0])
        last = self.parts[-1]
        ends: list[Node] = [*last.clauses] or [*self.measures_of(last)]
        final = ends[-1] if ends else None
        if final is not None and not final.text.text.endswith(_SENTENCE_END):
            raise self.error("the document ends in the middle of a sentence: is it truncated?",
                             place=final.places[-1] if final.places else None)
        return self.parts

    @staticmethod
    def measures_of(part: Part) -> list[Measure]:
        return [m for s in part.all_strategies() for m in s.measures]

    # -- lines of text between the tables --------------------------------------------------------

    def text_line(self, line: Marked, table_follows: bool) -> None:
        text = line.text
        if not self.parts and not _PART.match(text):
            # front matter: the title, and on a saved page whatever precedes the plan; the
            # heading is the line that names the plan, else the first line
            node = self.node(0, line.normalised())
            if self.heading is None or (_PLAN_NAME not in self.heading.text.text
                                        and _PLAN_NAME in text):
                if self.heading is not None:
                    self.front_matter.append(self.heading)
                self.heading = node
            else:
                self.front_matter.append(node)
            return
        if m := _PART.match(text):
            self.close_strategy()
            self.area, self.subarea, self.columns, self.flat = None, None, None, False
            numeral = m.group(1)
            self.parts.append(Part(_PART_NUMBERS[numeral], line[m.start(2):].normalised(),
                                   [n for n in self.place.lines()], places=[self.place],
                                   numeral=numeral))
            return
        part = self.parts[-1]
        clause = _CLAUSE.match(text)
        area = _AREA.match(text)
        # 一、… is an area heading in 肆 (the table of measures) or wherever its table follows
        # it, a clause of prose otherwise (the clauses of 陸; the tab form writes "- 一、…")
        if clause or (area and not table_follows and not part.areas
                      and part.numeral != _MEASURES_PART):
            m = clause or area
            assert m is not None
            if part.areas or part.strategies:
                raise self.error("a clause line inside a part made of areas or strategies")
            number = self.numeral(m.group(1))
            self.expect_number(number, len(part.clauses), "clause")
            node = Clause(number, line[m.start(2):].normalised(), self.place.lines(),
                          places=[self.place], key=f"{part.number}.{number}")
            node.mentions = self.mentions(node.text)
            part.clauses.append(node)
            return
        if area:
            if part.clauses:
                raise self.error("an area heading inside a part made of clauses")
            if part.strategies:
                raise self.error("an area heading in a part whose strategies stand straight "
                                 "under it (the flat layout)")
            self.close_strategy()
            self.columns = None
            number = self.numeral(area.group(1))
            self.expect_number(number, len(part.areas), "area")
            self.area = Area(number, line[area.start(2):].normalised(), self.place.lines(),
                             places=[self.place], key=str(number))
            self.subarea = None
            part.areas.append(self.area)
            return
        if (m := _SUBAREA.match(text)) and self.area is not None and not m.group(3):
            # a sub-area written as a line between tables rather than as a row of its own
            self.open_subarea(self.numeral(m.group(1)), line[m.start(2):m.end(2)].normalised())
            return
        if part.clauses and not part.clauses[-1].text.text.endswith(_SENTENCE_END) \
                and not _BOX.search(text) and not _ITEM.match(text):
            # a clause wrapped onto the next line (text forms cut long lines)
            last = part.clauses[-1]
            last.text = (last.text + line).normalised()
            last.lines += self.place.lines()
            last.places.append(self.place)
            last.mentions = self.mentions(last.text)
            return
        if self.after_end(TextLine(line, self.place)):
            self.back_matter.append(self.node(0, line.normalised()))
            return
        raise self.error(self.stray(text))

    @staticmethod
    def stray(text: str) -> str:
        if re.sub(r"\s+", "", text) in COLUMNS or any(h in text for h in HEADER[1:]):
            # 具體策略 … as text: the table was not seen as one (a PDF's table drawn without
            # ruling lines, whose cells are found by the rules)
            return (f"a column header of the table of measures as a line of text: {text[:40]!r}; "
                    "is the table drawn without ruling lines?")
        return f"a line that is no heading, clause or table row: {text[:40]!r}"

    def after_end(self, line: TextLine) -> bool:
        """A paragraph after the plan's last clause: a page's back matter (a news release's
        contact line, a print link). Only paragraphs of a form without lines (a wrapped line of a
        text form may go on a clause) after a clause that ended its sentence, with no number of
        their own; anything of the plan after them is an error naming the first."""
        part = self.parts[-1] if self.parts else None
        if line.place.paragraph is None or part is None or not part.clauses:
            return False
        text = line.text.text.strip()
        if _PART.match(text) or _ITEM.match(text) or _CLAUSE.match(text) or _PAREN.match(text) \
                or _ARABIC.match(text):
            return False
        return bool(self.back_matter) or part.clauses[-1].text.text.endswith(_SENTENCE_END)

    def node(self, number: int, text: Marked) -> Node:
        return Node(number, text, self.place.lines(), places=[self.place])

    def expect_number(self, number: int, count: int, what: str) -> None:
        if number != count + 1:
            raise self.error(f"{what} numbered {number} follows {count} {what}(s): numbering "
                             "must run 1, 2, 3 …")

    def numeral(self, text: str) -> int:
        try:
            return cjk_to_int(text)
        except ValueError:
            raise self.error(f"{text!r} is not a number") from None

    # -- tables ---------------------------------------------------------------------------------

    def table(self, table: Table, follows_table: bool = False) -> None:
        self.breaks = table.breaks
        started = False
        # a table with no header right after a table (nothing between them) goes on with it,
        # as a table cut in two by a page goes on, in a form that does not mark its pages
        goes_on = follows_table and not table.breaks and self.columns is not None
        for row in table.rows:
            self.place = row.place
            for cell in row.cells:
                self.texts[cell.place] = cell.text.text
            if all(_DASHES.match(c.text.text) or not c.text.text.strip() for c in row.cells):
                continue              # a rule drawn with dashes, or a row of nothing
            heading = self.heading_row(row)
            if heading is not None:
                # a heading written as a row across the table: 一、加強肅貪防貪 above its header,
                # or below a header that stands over every area (all of 肆 as one table)
                columns = self.columns if started else None
                if columns is not None:
                    self.flat = False        # read as flat until an area heading said otherwise
                    self.layouts.discard("flat")
                self.text_line(heading, table_follows=True)
                if columns is not None and self.area is not None:
                    self.start_table(columns)
                continue
            columns = self.header(row)
            if columns is not None:
                if started and self.columns is not None and columns.header == self.columns.header:
                    continue          # the header repeated (on a new page): not a row
                self.start_table(columns)
                started = True
                continue
            if not started and goes_on:
                started = True
                self.row(row, cut=True)
                continue
            if not started:
                labels = [re.sub(r"\s+", "", c.text.text) for c in row.cells]
                missing = [h for h in HEADER if h not in labels]
                if len(missing) < len(HEADER) - 1 and missing:
                    # a header, but not the table of measures' (a column lost, say)
                    raise self.error(f"a table whose header has {len(labels)} column(s) "
                                     f"({', '.join(labels)}): the table of measures has "
                                     f"{', '.join(HEADER)}; {', '.join(missing)} is missing")
                raise self.error("a table row outside a table (no 具體策略/執行措施/績效目標/辦理機關 "
                                 "header before it)")
            self.row(row)

    def heading_row(self, row: Row) -> Marked | None:
        """The text of a row that is one cell across the whole table, or a first cell with
        nothing beside it, when it is a part's or an area's heading (not a sub-area: (一)肅貪
        rows are the layout's own). In the flat layout, once its strategies 一、二、… have
        started, 一、 starts a strategy."""
        if len(row.cells) < 2 or any(c.text.text.strip() for c in row.cells[1:]):
            return None
        text = row.cells[0].text.normalised()
        flat = self.flat and bool(self.parts) and bool(self.parts[-1].strategies)
        if _PART.match(text.text) or (_AREA.match(text.text) and not flat):
            return text
        return None

    def header(self, row: Row) -> _Columns | None:
        labels = [re.sub(r"\s+", "", c.text.text) for c in row.cells]
        index: dict[str, int] = {}
        values: list[tuple[int, int]] = []
        for i, label in enumerate(labels):
            if label in COLUMNS and COLUMNS[label] not in index:
                index[COLUMNS[label]] = i
            elif m := _VALUE_HEADER.match(label):
                values.append((roc_year(int(m.group(1) or m.group(2))), i))
            elif label or not row.cells[i].spanned:
                return None
        if any(name not in index for name in REQUIRED):
            return None
        if index["strategy"] != 0:
            return None
        return _Columns(index, values, len(labels), labels)

    def start_table(self, columns: _Columns) -> None:
        if not self.parts:
            raise self.error("a table before the first part heading (such as 肆、具體作為)")
        part = self.parts[-1]
        if part.clauses:
            raise self.error("a table inside a part made of clauses")
        if self.area is None:
            if part.areas:
                raise self.error("a table header outside an area")
            self.flat = True          # strategies straight under the part: the flat layout
        self.layouts.add("flat" if self.flat else "2014")
        if len(self.layouts) > 1:
            raise self.error("a table in the flat layout (strategies straight under the part) "
                             "in a document whose other tables are in areas, or the reverse")
        self.close_strategy()
        self.columns = columns
        self.spanning = {}

    def cells(self, row: Row) -> dict[str, Cell]:
        assert self.columns is not None
        if len(row.cells) != self.columns.count:
            raise self.error(f"row has {len(row.cells)} cells, expected {self.columns.count} "
                             f"({self.columns.describe()}): a lost or extra tab, or cell?")
        return {name: row.cells[i] for name, i in self.columns.index.items()}

    def row(self, row: Row, cut: bool = False) -> None:
        """One row of a table; `cut`: the table was cut right before it (as by a page)."""
        assert self.columns is not None
        self.cut = cut or row.after_break
        cells = self.cells(row)
        for i, cell in enumerate(row.cells):
            if not cell.spanned:
                self.spanning[i] = cell
        strategy, measure = cells["strategy"], cells["measure"]
        first = strategy.text.normalised()
        others = [c for name, c in cells.items() if name != "strategy"] + \
            [row.cells[i] for _, i in self.columns.values]

        if not self.flat and "\n" in strategy.text.text:
            # (一)肅貪 on a line of its own, its first strategy on the next: as (一)肅貪： 1. …
            head, _, rest = strategy.text.text.partition("\n")
            m = _SUBAREA.match(head.strip())
            if m and not (m.group(3) or "").strip() and _ARABIC.match(rest.strip()):
                # (一)肅貪 or (一)肅貪： — the colon once, whether the line had it or not
                title = strategy.text[:m.end(2) + (len(head) - len(head.lstrip()))]
                first = (title.normalised() + Marked.plain("：")
                         + strategy.text[len(head) + 1:]).normalised()
        if not self.flat and first.text and (m := _SUBAREA.match(first.text)) and \
                self.is_subarea_heading(m, others):
            self.open_subarea(self.numeral(m.group(1)),
                              first[m.start(2):m.end(2)].normalised())
            rest = m.group(3) or ""
            if not rest.strip():
                return
            first = first[len(first.text) - len(rest):]

        self.one_item(strategy.text, "strategy", _ITEM if self.flat else _STRATEGY_ITEM)
        self.one_item(measure.text, "measure", _PAREN if self.flat else _ARABIC)
        new_strategy = bool(first.text) and self.strategy_number(first) is not None
        measure_text = measure.text.normalised()
        numbered = self.measure_number(measure_text)
        if new_strategy:
            self.open_strategy(first, strategy.place)
            if not measure_text.text:
                raise self.error("a strategy row with an empty measure cell")
            self.open_measure(row, numbered)
        elif not first.text and numbered is not None:
            if self.strategy is None:
                raise self.error("a measure row before any strategy")
            self.open_measure(row, numbered)
        elif not first.text and measure.spanned and self.measure is not None:
            self.more_targets(row)          # the measure's cell spans down over this row
        elif not first.text and not measure_text.text and self.measure is not None \
                and not self.cut and (self.columns.values or "indicator" in
                                             self.columns.index) and cells["target"].text.text.strip():
            self.more_targets(row)          # the indicator edition: a target per row
        else:
            self.continue_row(row)

    def one_item(self, text: Marked, what: str, number: re.Pattern[str]) -> None:
        """A cell holds one strategy or measure: a second numbered one on a line of its own
        means two rows ran together (a rule line lost in box-drawn text, say)."""
        paragraphs = [p.strip() for p in text.text.split("\n") if p.strip()]
        for before, paragraph in zip(paragraphs, paragraphs[1:], strict=False):
            heading = _SUBAREA.match(before)
            if heading and not (heading.group(3) or "").strip():
                continue      # (一)肅貪： on a line of its own, then its first strategy
            if number.match(paragraph):
                raise self.error(f"a {what} cell that holds a second numbered {what} on a line of "
                                 "its own: two rows run together (a rule between them lost?)",
                                 place=self.place)

    def is_subarea_heading(self, m: re.Match[str], others: list[Cell]) -> bool:
        rest = m.group(3)
        if rest is not None:
            return bool(_ARABIC.match(rest)) or not rest.strip()
        return all(not o.text.text.strip() for o in others)

    def strategy_number(self, text: Marked) -> int | None:
        arabic, paren, item = _ARABIC.match(text.text), _PAREN.match(text.text), \
            _ITEM.match(text.text)
        if self.flat:
            if arabic or paren:
                raise self.error("a strategy numbered 1. or (一) in the flat layout, whose "
                                 "strategies are numbered 一、二、…")
            return self.numeral(item.group(1)) if item else None
        if self.subarea is not None and paren:
            raise self.error("a strategy numbered (一)… inside a sub-area, whose strategies are "
                             "numbered 1. 2. …")
        if self.subarea is None and arabic:
            raise self.error("a strategy numbered 1. 2. … in an area without sub-areas, whose "
                             "strategies are numbered (一)(二)…")
        if arabic:
            return int(arabic.group(1))
        if paren:
            return self.numeral(paren.group(1))
        return None

    def measure_number(self, text: Marked) -> int | None:
        """The number a measure cell starts with: 1. 2. … (2014), (一)(二)… (flat)."""
        if self.flat:
            m = _PAREN.match(text.text)
            return self.numeral(m.group(1)) if m else None
        m = _ARABIC.match(text.text)
        return int(m.group(1)) if m else None

    def continue_row(self, row: Row) -> None:
        if not self.cut and not (not self.breaks and self.unfinished(row)):
            numbers = ("strategy (number like 一、) and no measure (number like (一))" if self.flat
                       else "strategy (number like 1. or (一)) and no measure (number like 1.)")
            why = ("it does not follow a page break" if self.breaks else
                   "the row before it is not cut mid-sentence")
            raise self.error(f"this row starts no {numbers}, and {why}, so it cannot continue "
                             "the row before it")
        if self.measure is None or self.strategy is None:
            raise self.error("a continuation row with no row before it to continue")
        cells = self.cells(row)
        self.strategy.cell.add(cells["strategy"].text, cells["strategy"].place)
        om = self.measure
        om.text.add(cells["measure"].text, cells["measure"].place)
        self.add_targets(om.targets[-1], row)
        if not cells["agencies"].spanned:
            om.agencies[-1].add(cells["agencies"].text, cells["agencies"].place)
        om.places.append(row.place)

    def unfinished(self, row: Row) -> bool:
        """In a form that does not mark its page breaks (all but tab-separated text), a row
        that starts nothing may carry on the row before it where that row was cut: each cell it
        goes on holds text that stops mid-sentence (an agency cell has no sentence to end)."""
        if self.measure is None or self.strategy is None:
            return False
        cells = self.cells(row)
        om = self.measure
        before = {"strategy": self.strategy.cell, "measure": om.text,
                  "target": om.targets[-1].target, "indicator": om.targets[-1].indicator}
        goes_on = False
        for name, cell in cells.items():
            if not cell.text.text.strip() or cell.spanned:
                continue
            goes_on = True
            if name in before and before[name].joined().text.endswith(_SENTENCE_END):
                return False
        return goes_on

    def more_targets(self, row: Row) -> None:
        """A further row of the open measure, with targets (and agencies) of its own."""
        om = self.measure
        assert om is not None
        group = _Targets()
        self.add_targets(group, row)
        om.targets.append(group)
        cells = self.cells(row)
        if not cells["agencies"].spanned and cells["agencies"].text.text.strip():
            agencies = _Cell()
            agencies.add(cells["agencies"].text, cells["agencies"].place)
            om.agencies.append(agencies)
        om.places.append(row.place)

    def add_targets(self, group: _Targets, row: Row, inherit: bool = False) -> None:
        assert self.columns is not None
        for name, cell in (("target", group.target), ("indicator", group.indicator)):
            if name in self.columns.index:
                source = self.source_cell(row, self.columns.index[name], inherit)
                if source is not None:
                    cell.add(source.text, source.place)
        for year, i in self.columns.values:
            source = self.source_cell(row, i, inherit)
            if source is not None:
                group.values.setdefault(year, _Cell()).add(source.text, source.place)

    def source_cell(self, row: Row, column: int, inherit: bool) -> Cell | None:
        """The row's cell in a column; for a new measure, the cell spanning down over it."""
        cell = row.cells[column]
        if not cell.spanned:
            return cell
        return self.spanning.get(column) if inherit else None

    # -- opening and closing nodes --------------------------------------------------------------

    def open_subarea(self, number: int, title: Marked) -> None:
        assert self.area is not None
        if self.area.strategies:
            raise self.error("a sub-area heading after strategies that belong to no sub-area")
        self.close_strategy()
        self.expect_number(number, len(self.area.subareas), "sub-area")
        self.subarea = SubArea(number, title, self.place.lines(), places=[self.place],
                               key=f"{self.area.number}.{number}")
        self.area.subareas.append(self.subarea)

    def siblings(self) -> list[Strategy]:
        if self.flat:
            return self.parts[-1].strategies
        assert self.area is not None
        return self.subarea.strategies if self.subarea is not None else self.area.strategies

    def open_strategy(self, first: Marked, place: Place) -> None:
        self.close_strategy()
        number = self.strategy_number(first)
        assert number is not None
        if any(s.number == number for s in self.siblings()):
            raise self.error(f"strategy number {number} appears twice")
        if self.flat:
            key = str(number)
        else:
            assert self.area is not None
            sub = self.subarea.number if self.subarea is not None else 0
            key = f"{self.area.number}.{sub}.{number}"
        node = Strategy(number, Marked.plain(""), [], key=key)
        cell = _Cell()
        cell.add(first, place)
        self.strategy = _OpenStrategy(node, cell)
        self.siblings().append(node)

    def open_measure(self, row: Row, number: int | None) -> None:
        self.close_measure()
        assert self.strategy is not None
        cells = self.cells(row)
        s = self.strategy.node
        n = number if number is not None else 1
        if number is None and s.measures:
            raise self.error("an unnumbered measure in a strategy that has several measures")
        if any(m.number == n for m in s.measures):
            raise self.error(f"measure number {n} appears twice in strategy {s.key}")
        node = Measure(n, Marked.plain(""), [], key=f"{s.key}.{n}", numbered=number is not None)
        self.measure = _OpenMeasure(node, _Cell(), [_Targets()], [_Cell()], [row.place])
        self.measure.text.add(cells["measure"].text, cells["measure"].place)
        self.add_targets(self.measure.targets[0], row, inherit=True)
        assert self.columns is not None
        agencies = self.source_cell(row, self.columns.index["agencies"], inherit=True)
        if agencies is not None:
            self.measure.agencies[0].add(agencies.text, agencies.place)
        s.measures.append(node)

    def close_measure(self) -> None:
        if self.measure is None:
            return
        om, self.measure = self.measure, None
        m = om.node
        text = om.text.joined()
        if m.numbered:
            number = (_PAREN if self.flat else _ARABIC).match(text.text)
            assert number is not None
            text = text[number.end():]
        m.text, m.places = text, om.places
        m.lines = [n for p in om.places for n in p.lines()]
        m.mentions = self.mentions(text)
        first = om.places[:1]
        m.targets = []
        for group in om.targets:
            m.targets += self.targets(group, first, len(m.targets))
        agencies = [a for a in om.agencies if a.parts]
        cell = Marked.plain("")
        for i, a in enumerate(agencies):
            cell = cell + (Marked.plain("、") if i else Marked.plain("")) + a.joined()
        m.agency_cell = cell
        m.agency_lines = [n for a in agencies for n in a.lines]
        places = [p for a in agencies for p in a.places] or first
        m.assignments = self.assignments(cell, places)

    def close_strategy(self) -> None:
        self.close_measure()
        if self.strategy is None:
            return
        os_, self.strategy = self.strategy, None
        text = os_.cell.joined()
        number = (_ITEM if self.flat else _ARABIC).match(text.text) or _PAREN.match(text.text)
        assert number is not None
        os_.node.text = text[number.end():]
        os_.node.lines = os_.cell.lines
        os_.node.places = os_.cell.places
        os_.node.mentions = self.mentions(os_.node.text)

    # -- cell contents --------------------------------------------------------------------------

    def targets(self, group: _Targets, fallback: list[Place], before: int) -> list[Target]:
        cell = group.target.joined()
        if not cell.text:
            return []
        places = group.target.places or fallback
        pieces = split_numbered(cell)
        indicators = self.paired(group.indicator, len(pieces), "績效衡量指標 (indicator)")
        values = {year: self.paired(c, len(pieces), f"{year - 1911}年績效目標值 (target value)")
                  for year, c in group.values.items()}
        out = []
        for i, piece in enumerate(pieces):
            t = Target(before + i + 1, piece, [n for p in places for n in p.lines()],
                       places=list(places), frequencies=frequencies_of(piece.text),
                       deadline=deadline_of(piece.text))
            t.mentions = self.mentions(piece)
            if indicators:
                t.indicator = indicators[i]
                t.mentions += self.mentions(indicators[i])
            for year, vs in sorted(values.items()):
                if vs:
                    t.values.append(TargetValue(year, vs[i], list(group.values[year].places)))
            out.append(t)
        return out

    def paired(self, cell: _Cell, count: int, what: str) -> list[Marked]:
        """The pieces of an indicator or value cell, one per target (numbered 1. 2. … as the
        targets are, or a single piece for a single target)."""
        text = cell.joined()
        if not text.text:
            return []
        pieces = split_numbered(text)
        if len(pieces) != count:
            raise self.error(f"the {what} cell has {len(pieces)} item(s) and the target cell "
                             f"{count}: each target needs its own, numbered as the targets are",
                             place=cell.places[0])
        return pieces

    def mentions(self, text: Marked) -> list[Mention]:
        return [Mention(e.id, "agency" if e.kind == "collective" else e.kind, name, pos,
                        pos + len(name))
                for e, name, pos in self.registry.find(text.text, ("agency", "collective",
                                                                   "body", "instrument"))]

    def assignments(self, cell: Marked, places: list[Place]) -> list[Assignment]:
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
                                     place=places[-1])
                before = out[-1] if out and not out[-1].cooperating else None
                attached = pos > 0 and text[pos - 1] not in _SEPARATORS
                inner = text[pos + 1:close].strip()
                sub = self.sub_agency(before, inner) if attached and before else None
                if sub is not None and before is not None:
                    # 法務部(廉政署): the agency's own sub-unit, written short (news pages do)
                    before.entity, before.name = sub.id, f"{before.name}{text[pos:close + 1]}"
                    pos = close + 1
                    continue
                for name in filter(None, re.split(r"[、，,]", text[pos + 1:close])):
                    a = self.assignee(name.strip(), True, len(out) + 1, places)
                    host = self.registry.get(a.entity).data.host
                    if before is not None and host == before.entity and attached:
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
                    path=self.path, place=places[0], section=self.section())
            out.append(Assignment(m[1], m[0].id, False, len(out) + 1))
            pos += len(m[1])
        return out

    def sub_agency(self, before: Assignment, inner: str) -> Entity | None:
        """The agency that `inner`, written in parentheses right after `before`, names as a
        sub-unit of it (法務部(廉政署) → 法務部廉政署), if the registry knows it as one."""
        for name in (before.name + inner, inner):
            e = self.registry.resolve(name, ("agency",))
            if e is not None and e.data.parent == before.entity:
                return e
        return None

    def assignee(self, name: str, cooperating: bool, position: int,
                 places: list[Place]) -> Assignment:
        e = self.registry.resolve(name)
        if e is None:
            raise UnknownNameError(f"unknown agency {name!r} in the agency cell: add it (or the "
                                   "spelling as an alias) to data/registry/agencies.toml",
                                   path=self.path, place=places[0], section=self.section())
        return Assignment(name, e.id, cooperating, position)


_NUMBER_AT = r"(?<![\d０-９]){}[.．](?![\d０-９])"


def _digits(n: int) -> str:
    """A pattern for n written in ASCII or full-width digits (12 → [1１][2２])."""
    return "".join(f"[{d}{chr(ord(d) + 0xFEE0)}]" for d in str(n))


def split_numbered(cell: Marked) -> list[Marked]:
    """'1. a 2. b' → [a, b]; a cell that does not start with '1.' is one piece."""
    if not re.match(_NUMBER_AT.format(_digits(1)), cell.text):
        return [cell]
    cuts = [0]
    n = 2
    while m := re.compile(_NUMBER_AT.format(_digits(n))).search(cell.text, cuts[-1] + 2):
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


def _last_place(blocks: list[Block]) -> Place:
    if not blocks:
        return Place(line=1)
    last = blocks[-1]
    return last.rows[-1].place if isinstance(last, Table) and last.rows else last.place
