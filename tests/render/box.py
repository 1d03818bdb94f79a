"""Box-drawn text as the MOJ regulations system prints a table (and variants of it).

Cells are cut at a fixed display width with no line-breaking rules (a CJK character or
full-width punctuation 2 columns, ASCII 1; box characters 2 columns when `wide`, as in the
MOJ's East Asian rendering, else 1); padded with ASCII spaces; a numbered item starts at the
cell's left edge and its continuation lines are indented under its text; a strategy spans the
rows of its measures, with no rule under it in its column, its text going on over those rule
lines (`flow`) or not.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .plan import Grid, Item, Line, SubArea

_ITEM = re.compile(r"^(?:\d+\.\s?|[(（][一二三四五六七八九十百]+[)）]|[一二三四五六七八九十百]+、)")


@dataclass
class Style:
    widths: tuple[int, ...] = (9, 15, 9, 7)    # in full-width units (one ─ each when wide)
    wide: bool = True                          # box characters take two columns
    margin: int = 0                            # spaces on each side of a cell's text
    flow: bool = True                          # a spanning strategy's text runs over rules
    hanging: bool = True                       # continuation lines indented under the item
    indent: int = 0                            # spaces before every line of the table
    subarea_colspan: bool = False              # (一)肅貪 as a row spanning every column
    blank_lines: int = 1                       # blank lines around headings
    ascii_punctuation: bool = False            # full-width punctuation made ASCII afterwards


def width(ch: str, wide: bool = True) -> int:
    if "\u2500" <= ch <= "\u257f":
        return 2 if wide else 1
    eaw = unicodedata.east_asian_width(ch)
    return 2 if eaw in "WF" or (eaw == "A" and wide) else 1


def text_width(s: str, wide: bool = True) -> int:
    return sum(width(c, wide) for c in s)


def wrap(paragraph: str, room: int, style: Style) -> list[str]:
    """Cut at the width, mid-word and before punctuation alike; continuation lines of a
    numbered item indented by the width of its number."""
    m = _ITEM.match(paragraph)
    hang = text_width(m.group(0), style.wide) if m and style.hanging else 0
    lines, current, used = [], "", 0
    for ch in paragraph:
        w = width(ch, style.wide)
        if used + w > room:
            lines.append(current)
            current, used = " " * hang, hang
        current += ch
        used += w
    lines.append(current)
    return lines


def cell_lines(paragraphs: list[str], room: int, style: Style) -> list[str]:
    out: list[str] = []
    for p in paragraphs:
        if p:
            out += wrap(p, room, style)
    return out


def pad(text: str, room: int, style: Style) -> str:
    return " " * style.margin + text + " " * (room - text_width(text, style.wide)) \
        + " " * style.margin


def write(content: list[Line | Grid], style: Style | None = None) -> str:
    style = style or Style()
    out: list[str] = []
    for block in content:
        if isinstance(block, Line):
            out += [""] * style.blank_lines + [block.text.text] + [""] * style.blank_lines
        else:
            out += [" " * style.indent + line for line in table(block, style)]
    text = "\n".join(out) + "\n"
    if style.ascii_punctuation:
        text = text.translate(str.maketrans("，：；（）！？", ",:;()!?"))
    return text


def table(grid: Grid, style: Style) -> list[str]:
    rule_width = 2 if style.wide else 1                          # of one box character
    rooms = [2 * w - 2 * style.margin for w in style.widths]     # display columns for text
    dash = [2 * w // rule_width for w in style.widths]

    def rule(left: str, mid: str, right: str, keep: list[str | None] | None = None) -> str:
        parts = []
        for i, n in enumerate(dash):
            seg = "─" * n if keep is None or keep[i] is None else keep[i]
            parts.append(seg)
        s = left
        for i, seg in enumerate(parts):
            s += seg
            if i < len(parts) - 1:
                s += mid if keep is None or keep[i] is None else "├"
        return s + right

    def content(cells: list[str]) -> str:
        return "│" + "│".join(cells) + "│"

    lines = [rule("┌", "┬", "┐")]
    header = [cell_lines([h], r, style) for h, r in zip(grid.header, rooms, strict=True)]
    for k in range(max(map(len, header))):
        lines.append(content([pad(h[k] if k < len(h) else "", r, style)
                              for h, r in zip(header, rooms, strict=True)]))
    rows = grid.rows
    i = 0
    while i < len(rows):
        row = rows[i]
        if isinstance(row, SubArea):
            if style.subarea_colspan:
                total = sum(2 * w for w in style.widths) + rule_width * (len(rooms) - 1) \
                    - 2 * style.margin
                lines.append(rule("├", "┴", "┤"))
                for t in cell_lines([row.text.text], total, style):
                    lines.append("│" + pad(t, total, style) + "│")
                lines.append(rule("├", "┬", "┤"))
            else:
                lines.append(rule("├", "┼", "┤"))
                first = cell_lines([row.text.text], rooms[0], style)
                for t in first:
                    lines.append(content([pad(t, rooms[0], style)] +
                                         [pad("", r, style) for r in rooms[1:]]))
            i += 1
            continue
        group = [row] + [r for r in rows[i + 1:i + row.strategy_rows]]
        assert all(isinstance(g, Item) for g in group)
        strategy = cell_lines([row.strategy.text if row.strategy else ""], rooms[0], style)
        bands = []
        for g in group:
            assert isinstance(g, Item)
            cells = [cell_lines(p, r, style) for p, r in zip(
                [[g.measure.text], [t.text for t in g.targets], [g.agencies.text]], rooms[1:],
                strict=True)]
            bands.append(cells)
        # the strategy's lines go down its column, over the rules between its measures
        heights = [max(1, *(len(c) for c in b)) for b in bands]
        room_lines = sum(heights) + (len(bands) - 1 if style.flow else 0)
        if len(strategy) > room_lines:
            heights[-1] += len(strategy) - room_lines
        lines.append(rule("├", "┼", "┤"))
        s_iter = iter(strategy)
        for b, (cells, h) in enumerate(zip(bands, heights, strict=True)):
            if b:
                keep: list[str | None] = [pad(next(s_iter, "") if style.flow else "", rooms[0],
                                              style), None, None, None]
                lines.append(rule("├", "┼", "┤", keep).replace("├", "│", 1))
            for k in range(h):
                s = next(s_iter, "")
                lines.append(content([pad(s, rooms[0], style)] +
                                     [pad(c[k] if k < len(c) else "", r, style)
                                      for c, r in zip(cells, rooms[1:], strict=True)]))
        i += len(group)
    lines.append(rule("└", "┴", "┘"))
    return lines
