"""The seed laid out as the plan is from 2018 on: no areas, the strategies numbered 一、二、…
straight under 肆 in one table, measures （一）（二）… and targets 1. 2. … inside them."""

from __future__ import annotations

import re

from .content import Cell, Plan, Row, Table

CJK = "零一二三四五六七八九"


def cjk(n: int) -> str:
    """1 → 一, 10 → 十, 14 → 十四, 20 → 二十, 48 → 四十八."""
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else CJK[tens]) + "十" if tens else "") + (CJK[ones] if ones else "")


def renumber(cell: Cell, pattern: str, number: str) -> Cell:
    """The cell with its leading number (and a sub-area before it) replaced by `number`."""
    runs = list(cell.runs)
    text, under = runs[0]
    runs[0] = (number + re.sub(pattern, "", text, count=1), under)
    return Cell(runs)


def flat(plan: Plan, *, parens: str = "（）", number_single: bool = False) -> Plan:
    """`parens`: the measures' parentheses, full-width or ASCII. `number_single`: a strategy with
    one measure numbers it （一） too, or leaves it unnumbered as the seed does."""
    rows: list[Row] = []
    strategy = 0
    for table in plan.tables:
        groups: list[list[Row]] = []
        for row in table.rows:
            if row.is_heading:
                continue
            if row.strategy is not None:
                groups.append([row])
            else:
                groups[-1].append(row)
        for group in groups:
            strategy += 1
            head = group[0].strategy
            assert head is not None
            for m, row in enumerate(group, 1):
                measure = row.measure
                if len(group) > 1 or number_single:
                    measure = renumber(measure, r"^[0-9]+\. ", f"{parens[0]}{cjk(m)}{parens[1]}")
                rows.append(Row(
                    renumber(head, r"^(\([一二]\)[^：]{2,3}：\s*)?([0-9]+\. |\([一二三四五六七八九十]+\)\s*)",
                             f"{cjk(strategy)}、") if m == 1 else None,
                    measure, row.target, row.agency))
    return Plan(plan.title, plan.point4, [Table("", rows)], plan.point6, plan.clauses)


def keys(plan: Plan) -> list[str]:
    """The flat layout's keys: strategy.measure."""
    out, s, m = [], 0, 0
    for row in plan.tables[0].rows:
        if row.strategy is not None:
            s, m = s + 1, 0
        m += 1
        out.append(f"{s}.{m}")
    return out
