"""The seed's content, read from data/plan-2014-04-15.txt by this module's own small parser.

A plan is its title, point 肆 as one table per area (a heading line, then rows of four cells), and
point 陸 as numbered clauses. A cell is a list of runs (text, underlined). A row whose strategy is
None goes on with the strategy of the row above (a rowspan in a drawn table). Rows the extraction
split at a page break (after a blank line, no item number of their own) are joined back, and the
one lost tab the seed's errata names is put back, so that every writer starts from whole cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "data" / "plan-2014-04-15.txt"
HEADER = ("具體策略", "執行措施", "績效目標", "辦理機關")

Run = tuple[str, bool]


@dataclass
class Cell:
    runs: list[Run] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.runs)

    def extend(self, other: Cell) -> None:
        for text, under in other.runs:
            if self.runs and self.runs[-1][1] == under:
                self.runs[-1] = (self.runs[-1][0] + text, under)
            else:
                self.runs.append((text, under))

    def strip(self) -> Cell:
        runs = [r for r in self.runs if r[0]]
        while runs and not runs[0][0].strip():
            runs.pop(0)
        while runs and not runs[-1][0].strip():
            runs.pop()
        if runs:
            runs[0] = (runs[0][0].lstrip(), runs[0][1])
            runs[-1] = (runs[-1][0].rstrip(), runs[-1][1])
        return Cell(runs)

    def items(self) -> list[Cell]:
        """The cell cut before each item number `N. ` (a list of targets or of measures)."""
        out: list[Cell] = [Cell()]
        for text, under in self.runs:
            parts = re.split(r"(?=(?<![0-9])[0-9]+\. )", text)
            for i, part in enumerate(parts):
                if i and out[-1].text.strip():
                    out.append(Cell())
                if part:
                    out[-1].extend(Cell([(part, under)]))
        return [c.strip() for c in out if c.text.strip()]


@dataclass
class Row:
    strategy: Cell | None
    measure: Cell
    target: Cell
    agency: Cell

    @property
    def cells(self) -> list[Cell | None]:
        return [self.strategy, self.measure, self.target, self.agency]

    @property
    def is_heading(self) -> bool:
        """A sub-area row: (二)防貪 with nothing beside it."""
        return self.strategy is not None and not (self.measure.text or self.target.text
                                                  or self.agency.text)


@dataclass
class Table:
    heading: str
    rows: list[Row]


@dataclass
class Plan:
    title: str
    point4: str
    tables: list[Table]
    point6: str
    clauses: list[str]


def parse_cell(raw: str) -> Cell:
    raw = raw.replace("<p>", "").replace("</p>", "")
    cell = Cell()
    under = False
    for piece in re.split(r"(</?u>)", raw):
        if piece == "<u>":
            under = True
        elif piece == "</u>":
            under = False
        elif piece:
            cell.extend(Cell([(piece, under)]))
    return cell


def tidy(cell: Cell) -> Cell:
    """Spaces the extraction left beside tags and at cell edges dropped, where both sides are CJK
    (a draft would not hold them: 國家發展委員會 檔案管理局 is one name)."""
    cjk = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
    text = cell.text
    keep = [True] * len(text)
    for m in re.finditer(rf"(?<={cjk}) +(?={cjk})", text):
        for i in range(m.start(), m.end()):
            keep[i] = False
    runs: list[Run] = []
    pos = 0
    for t, u in cell.runs:
        kept = "".join(ch for i, ch in enumerate(t) if keep[pos + i])
        pos += len(t)
        if kept:
            runs.append((kept, u))
    return Cell(runs).strip()


def is_new_row(cells: list[str]) -> bool:
    """After a page break: a row of its own starts with an item number in the strategy or measure
    column, or is a sub-area heading; otherwise it carries on the cells of the row before."""
    plain = [re.sub(r"</?(u|p)>", "", c).strip() for c in cells]
    return bool(re.match(r"([0-9]+\.|\([一二三四五六七八九十]+\))", plain[0])
                or re.match(r"[0-9]+\.", plain[1]))


def load(path: Path = SEED) -> Plan:
    lines = path.read_text(encoding="utf-8").split("\n")
    # the one tab the extraction lost (data/plan-2014-04-15.errata.toml)
    lines = [ln.replace("亞洲開發銀行(定期統計", "亞洲開發銀行(\t定期統計") for ln in lines]
    title = point4 = point6 = ""
    tables: list[Table] = []
    clauses: list[str] = []
    in_table = after_blank = False
    for line in lines:
        text = line.strip()
        if not text:
            after_blank = True
            continue
        if "\t" in line and in_table:
            if set(text) <= set("-\t"):
                in_table = False
                continue
            cells = (line.split("\t") + ["", "", "", ""])[:4]
            if after_blank and tables[-1].rows and not is_new_row(cells):
                last = tables[-1].rows[-1]
                for i, raw in enumerate(cells):
                    if i == 0 and last.strategy is None:
                        continue
                    target = last.cells[i]
                    assert target is not None
                    target.extend(parse_cell(raw))
            else:
                parsed = [parse_cell(c) for c in cells]
                tables[-1].rows.append(Row(parsed[0] if parsed[0].text.strip() else None,
                                           parsed[1], parsed[2], parsed[3]))
            after_blank = False
            continue
        after_blank = False
        if text.startswith("具體策略"):
            in_table = True
        elif text.startswith("修正"):
            title = text
        elif text.startswith("肆、"):
            point4 = text
        elif text.startswith("陸、"):
            point6, in_table = text, False
        elif point6:
            clauses.append(text.lstrip("- ").strip())
        elif re.match(r"[一二三四五六七八]、", text):
            tables.append(Table(text, []))
            in_table = False
    for table in tables:
        for row in table.rows:
            row.strategy = tidy(row.strategy) if row.strategy else None
            row.measure, row.target, row.agency = (tidy(row.measure), tidy(row.target),
                                                   tidy(row.agency))
    return Plan(title, point4, tables, point6, clauses)


def measure_rows(plan: Plan) -> list[Row]:
    return [row for table in plan.tables for row in table.rows if not row.is_heading]


def subarea_rows(plan: Plan, colon: bool = False) -> Plan:
    """Both sub-areas as rows of their own: (一)肅貪 above strategy 1. as (二)防貪 is (the seed
    writes (一)肅貪： 1. … in strategy 1.'s cell)."""
    tables = []
    for table in plan.tables:
        rows: list[Row] = []
        for row in table.rows:
            m = re.match(r"^(\([一二]\)[^：]{2,3})：\s*", row.strategy.text) if row.strategy else None
            if m and row.strategy is not None:
                rows.append(Row(Cell([(m.group(1) + ("：" if colon else ""), False)]), Cell(),
                                Cell(), Cell()))
                first, under = row.strategy.runs[0]
                rest = Cell([(first[m.end():], under)] + row.strategy.runs[1:])
                rows.append(Row(rest, row.measure, row.target, row.agency))
            else:
                rows.append(row)
        tables.append(Table(table.heading, rows))
    return Plan(plan.title, plan.point4, tables, plan.point6, plan.clauses)
