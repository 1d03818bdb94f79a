"""Point 肆 drawn as box text, the way the MOJ regulations system prints a table.

Widths are in full-width units: one ─ is one unit, two display columns. A CJK character or a
full-width mark takes two columns, ASCII one; cells are padded with ASCII spaces and cut at the width
with no line-breaking rules. A numbered item starts at the cell's left edge and its further lines are
indented. A strategy's cell runs down beside all of its measures, so the rule between those rows is
drawn only from the second column on.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .content import HEADER, Cell, Plan, Row, Table

# full-width forms made ASCII (as NFKC does: ，；：（）！？ but not 。、), or every mark a
# person would type in ASCII (。 too)
ASCII_FORMS = str.maketrans("，；：（）！？", ",;:()!?")
ASCII_ALL = str.maketrans("，。；：（）！？", ",.;:()!?")
HEAVY = str.maketrans("┌┬┐├┼┤└┴┘─│", "┏┳┓┣╋┫┗┻┛━┃")
DOUBLE = str.maketrans("┌┬┐├┼┤└┴┘─│", "╔╦╗╠╬╣╚╩╝═║")


def width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WFA" else 1


def text_width(s: str) -> int:
    return sum(width(c) for c in s)


@dataclass
class Style:
    widths: tuple[int, int, int, int] = (8, 15, 9, 9)   # full-width units per column
    indent: int = 3            # display columns of a numbered item's further lines
    through_rule: bool = False  # a spanning strategy's text also fills the rule lines
    one_table: bool = False    # all of 肆 in one table, areas as spanning rows
    ascii_punct: str = ""      # a stored copy with punctuation made ASCII afterwards: forms, all
    break_subarea: bool = True  # (一)肅貪： on a line of its own above strategy 1.
    pad: str = " "             # what pads a cell: ASCII spaces, or full-width spaces (U+3000)
    margin: str = ""           # what every line of a table starts with (a copy indented)
    lines: str = "light"       # the drawing characters: light ┌─┐, heavy ┏━┓, double ╔═╗
    newline: str = "\n"
    encoding: str = "utf-8"    # utf-8, utf-8-sig (a BOM), cp950 (Big5, as older Windows saves)


def wrap(text: str, cols: int, indent: int) -> list[str]:
    """Cut text into lines of at most cols display columns, each item `N. ` on a new line."""
    items = [t for t in re.split(r"(?<=[^0-9])\s*(?=(?<![0-9])[0-9]+\. )", text) if t.strip()] or [""]
    lines: list[str] = []
    for item in items:
        numbered = re.match(r"[0-9]+\. ", item) is not None
        line, used = "", 0
        first = True
        for ch in item.strip():
            w = width(ch)
            if used + w > cols:
                lines.append(line)
                first = False
                line = " " * indent if numbered else ""
                used = len(line)
            line += ch
            used += w
        if line or first:
            lines.append(line)
    return lines


def pad(line: str, cols: int, char: str = " ") -> str:
    room = cols - text_width(line)
    if char == " ":
        return line + " " * room
    return line + char * (room // 2) + " " * (room % 2)


def rule(left: str, mid: str, right: str, widths: tuple[int, ...], skip_first: bool = False,
         first_text: str = "") -> str:
    parts = ["─" * w for w in widths]
    if skip_first:
        return "│" + pad(first_text, 2 * widths[0]) + "├" + "┼".join(parts[1:]) + right
    return left + mid.join(parts) + right


def draw_rows(rows: list[Row], style: Style) -> list[str]:
    """The lines between the header's rule and the bottom rule, rules between rows included."""
    w = style.widths
    cols = [2 * x for x in w]
    out: list[str] = []
    # group rows by strategy: a group is a row with a strategy and the rows that carry it on
    groups: list[tuple[Cell, list[Row]]] = []
    for row in rows:
        if row.strategy is not None:
            groups.append((row.strategy, [row]))
        else:
            groups[-1][1].append(row)
    for g, (strategy, members) in enumerate(groups):
        text = strategy.text
        if style.break_subarea:
            text = re.sub(r"^(\([一二]\)[^：]{2,3}：)\s*", r"\1\n", text)
        s_lines = [ln for part in text.split("\n") for ln in wrap(part, cols[0], style.indent)]
        cells = [[wrap(c.text, cols[i + 1], style.indent) for i, c in
                  enumerate((r.measure, r.target, r.agency))] for r in members]
        heights = [max(1, *(len(c) for c in cs)) for cs in cells]
        room = sum(heights) + (len(members) - 1 if style.through_rule else 0)
        if len(s_lines) > room:
            heights[-1] += len(s_lines) - room
        s_iter = iter(s_lines)
        for m, (cs, h) in enumerate(zip(cells, heights, strict=False)):
            if m:
                out.append(rule("├", "┼", "┤", w, skip_first=True,
                                first_text=next(s_iter, "") if style.through_rule else ""))
            for i in range(h):
                line = [next(s_iter, "")] + [c[i] if i < len(c) else "" for c in cs]
                out.append("│" + "│".join(pad(t, n, style.pad) for t, n in zip(line, cols, strict=False))
                           + "│")
        if g < len(groups) - 1:
            out.append(rule("├", "┼", "┤", w))
    return out


def header_lines(style: Style) -> list[str]:
    """The header row, its labels cut as any cell is where a column is narrow (具體 / 策略)."""
    cols = [2 * x for x in style.widths]
    cells = [wrap(h, n, 0) for h, n in zip(HEADER, cols, strict=True)]
    return ["│" + "│".join(pad(c[i] if i < len(c) else "", n, style.pad)
                          for c, n in zip(cells, cols, strict=True)) + "│"
            for i in range(max(len(c) for c in cells))]


def draw_table(table: Table, style: Style) -> list[str]:
    w = style.widths
    out = [rule("┌", "┬", "┐", w)]
    out += header_lines(style)
    out.append(rule("├", "┼", "┤", w))
    out += draw_rows(table.rows, style)
    out.append(rule("└", "┴", "┘", w))
    return out


def draw_one_table(plan: Plan, style: Style) -> list[str]:
    """All of 肆 as one table: the header once, each area's heading as a row across all columns."""
    w = style.widths
    cols = [2 * x for x in w]
    span = sum(cols) + 2 * (len(cols) - 1)     # a │ takes two columns, as ─ does
    out = [rule("┌", "┬", "┐", w)]
    out += header_lines(style)
    for table in plan.tables:
        out.append(rule("├", "┴", "┤", w))
        out.append("│" + pad(table.heading, span) + "│")
        out.append(rule("├", "┬", "┤", w))
        out += draw_rows(table.rows, style)
    out.append(rule("└", "┴", "┘", w))
    return out


def render(plan: Plan, style: Style | None = None) -> str:
    style = style or Style()
    lines = [plan.title, "", plan.point4, ""]
    if style.one_table:
        lines += draw_one_table(plan, style) + [""]
    else:
        for table in plan.tables:
            # the flat layout has no area headings
            lines += ([table.heading, ""] if table.heading else []) + draw_table(table, style) + [""]
    lines += [plan.point6, ""] + plan.clauses
    text = "\n".join(lines) + "\n"
    if style.ascii_punct:
        text = text.translate(ASCII_ALL if style.ascii_punct == "all" else ASCII_FORMS)
    if style.lines != "light":
        text = text.translate(HEAVY if style.lines == "heavy" else DOUBLE)
    if style.margin:
        text = "\n".join(style.margin + line if line[:1] in "┌├│└┏┣┃┗╔╠║╚" else line
                         for line in text.split("\n"))
    return text.replace("\n", style.newline)


def encode(text: str, style: Style) -> bytes:
    return text.encode(style.encoding)
