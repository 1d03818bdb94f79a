"""Broken renderings of the seed, each broken the way a copy goes wrong: a box table cut short or
missing a rule, a border or a │; an HTML row a cell short or long; a DOCX table with a column
lost; an office file cut short or with a damaged part; a PDF cut short or without a text layer;
a tab-separated row that lost a tab. Each maps a file name to its bytes."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from . import box, content, html, office

SEED = content.SEED


def _lines(plan: content.Plan) -> list[str]:
    return box.render(plan).split("\n")


def box_cut(plan: content.Plan) -> bytes:
    """The copy stops in the middle of area 一's table."""
    return ("\n".join(_lines(plan)[:40]) + "\n").encode()


def box_lost_rule(plan: content.Plan) -> bytes:
    """The rule between strategy 1. and strategy 2. of area 一 lost."""
    lines = _lines(plan)
    i = next(k for k, line in enumerate(lines) if k > 12 and line.startswith("├"))
    return ("\n".join(lines[:i] + lines[i + 1:]) + "\n").encode()


def _edit_line(plan: content.Plan, edit: Callable[[str], str]) -> bytes:
    lines = _lines(plan)
    lines[12] = edit(lines[12])        # a line of area 一's first row
    return ("\n".join(lines) + "\n").encode()


def box_missing_bar(plan: content.Plan) -> bytes:
    return _edit_line(plan, lambda s: s[:s.index("│", 1)] + " " + s[s.index("│", 1) + 1:])


def box_extra_bar(plan: content.Plan) -> bytes:
    return _edit_line(plan, lambda s: s[:s.index("│", 1) + 3] + "│" + s[s.index("│", 1) + 4:])


def box_no_bottom(plan: content.Plan) -> bytes:
    lines = _lines(plan)
    b = next(k for k, line in enumerate(lines) if line.startswith("└"))
    return ("\n".join(lines[:b] + lines[b + 1:]) + "\n").encode()


def html_cell_too_few(plan: content.Plan) -> bytes:
    return html.render(plan).replace("<td>定期提報研修進度。</td>".encode(), b"", 1)


def html_extra_cell(plan: content.Plan) -> bytes:
    cell = "<td>定期提報研修進度。</td>".encode()
    return html.render(plan).replace(cell, cell + b"<td>x</td>", 1)


def docx_three_columns(plan: content.Plan) -> bytes:
    """The first table without its 辦理機關 column."""
    import docx

    document = docx.Document(io.BytesIO(office.docx(plan)))
    table = document.tables[0]
    for row in table.rows:
        row._tr.remove(row._tr.tc_lst[-1])
    table._tbl.tblGrid.remove(table._tbl.tblGrid.gridCol_lst[-1])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_truncated(plan: content.Plan) -> bytes:
    data = office.docx(plan)
    return data[:len(data) // 2]


def odt_truncated(plan: content.Plan) -> bytes:
    data = office.odt(plan)
    return data[:len(data) // 2]


def odt_damaged_xml(plan: content.Plan) -> bytes:
    """content.xml with an end tag misspelt."""
    source = zipfile.ZipFile(io.BytesIO(office.odt(plan)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "content.xml":
                data = data.replace(b"</table:table>", b"</table:tabel>", 1)
            target.writestr(item, data)
    return out.getvalue()


def tab_lost_tab(plan: content.Plan) -> bytes:
    """A row of area 一 whose target and agency cells ran together."""
    text = Path(SEED).read_text(encoding="utf-8")
    return text.replace("定期提報修法進度。\t法務部廉政署 (監察院相關單位)",
                        "定期提報修法進度。法務部廉政署 (監察院相關單位)").encode()


BROKEN: dict[str, Callable[[content.Plan], bytes]] = {
    "box-cut.txt": box_cut,
    "box-lost-rule.txt": box_lost_rule,
    "box-missing-bar.txt": box_missing_bar,
    "box-extra-bar.txt": box_extra_bar,
    "box-no-bottom.txt": box_no_bottom,
    "html-cell-too-few.html": html_cell_too_few,
    "html-extra-cell.html": html_extra_cell,
    "docx-three-columns.docx": docx_three_columns,
    "docx-truncated.docx": docx_truncated,
    "odt-truncated.odt": odt_truncated,
    "odt-damaged-xml.odt": odt_damaged_xml,
    "tab-lost-tab.txt": tab_lost_tab,
}
