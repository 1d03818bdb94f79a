"""Point 肆 as tab-separated text, as the seed's extraction is: a row of four cells a line,
underlines as <u>…</u>, the clauses of 陸 as "- 一、…" lines."""

from __future__ import annotations

from .content import HEADER, Cell, Plan


def cell_text(cell: Cell | None) -> str:
    if cell is None:
        return ""
    return "".join(f"<u>{t}</u>" if u else t for t, u in cell.runs)


def render(plan: Plan) -> str:
    lines = [plan.title, "", plan.point4, ""]
    for table in plan.tables:
        if table.heading:
            lines += [table.heading, ""]
        lines.append("\t".join(HEADER))
        for row in table.rows:
            lines.append("\t".join(cell_text(c) for c in row.cells))
        lines.append("")
    lines += [plan.point6, ""] + [f"- {c}" for c in plan.clauses]
    return "\n".join(lines) + "\n"
