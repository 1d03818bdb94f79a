"""Pictures of the graph as self-contained SVG: hand-written markup, no scripts, no external fonts.

Each picture runs a query of the library (queries/*.rq) on a built store and draws its answer:

- `workload_svg`: agencies (rows, zh-Hant names) × the eight areas of point 肆 (columns), each cell
  a square sized and shaded by the agency's measures in that area, lead and cooperating told apart
  (queries/agency-area-workload.rq);
- `agency_network_svg`: agencies on a circle, an edge between two agencies assigned to the same
  measures, its width the number of those measures (queries/co-assignment-pairs.rq).

Every cell, node and edge carries a <title> (the tooltip a browser shows on hover). The output is
deterministic: the same store gives the same bytes.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..config import Settings

PG = "https://w3id.org/plangraph/ontology#"
FONT = ("'Noto Sans CJK TC','Noto Sans TC','Source Han Sans TC','PingFang TC',"
        "'Microsoft JhengHei','Heiti TC',sans-serif")
NUMERALS = "一二三四五六七八九十"
LEAD, COOP, MIXED_EDGE = "#1f5fa8", "#d9822b", "#7a4fa0"
INK, MUTED, GRID = "#222222", "#666666", "#dddddd"


def _query(store: ox.Store, name: str, queries_dir: Path | None) -> list[dict[str, str]]:
    path = (queries_dir or Settings().queries_dir) / name
    result = store.query(path.read_text(encoding="utf-8"), use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else "") for n in names} for row in result]


def _text(x: float, y: float, content: str, *, size: int = 12, anchor: str = "start",
          fill: str = INK, weight: str = "normal", extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{fill}" font-weight="{weight}"{extra}>{escape(content)}</text>')


def _title(content: str) -> str:
    return f"<title>{escape(content)}</title>"


def _svg(width: float, height: float, title: str, desc: str, body: list[str]) -> str:
    return "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" font-family={quoteattr(FONT)}>',
        _title(title),
        f"<desc>{escape(desc)}</desc>",
        f'<rect x="0" y="0" width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
        *body,
        "</svg>",
        "",
    ])


def _chunks(text: str, width: int) -> list[str]:
    """Break a CJK title into lines of `width` characters (a last line may take one more):
    加強肅貪防貪 → 加強肅貪 / 防貪; 參與國際及兩岸合作 → 參與國際 / 及兩岸合作."""
    lines = []
    while len(text) > width + 1:
        lines.append(text[:width])
        text = text[width:]
    return lines + [text] if text else lines


def _mix(hex_colour: str, share: float) -> str:
    """The colour at `share` (0..1) of the way from white to hex_colour."""
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    share = max(0.0, min(1.0, share))
    return "#{:02x}{:02x}{:02x}".format(*(round(255 - (255 - c) * share) for c in (r, g, b)))


# -------------------------------------------------------------------------------------- workload

@dataclass
class _Row:
    agency: str
    name: str
    collective: bool
    # area → (measures, lead, cooperating)
    cells: dict[int, tuple[int, int, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(c[0] for c in self.cells.values())

    @property
    def lead(self) -> int:
        return sum(c[1] for c in self.cells.values())

    @property
    def coop(self) -> int:
        return sum(c[2] for c in self.cells.values())


def workload_rows(store: ox.Store, queries_dir: Path | None = None
                  ) -> tuple[list[_Row], dict[int, str]]:
    """The answer of queries/agency-area-workload.rq, one _Row per assignee, and the area titles."""
    rows: dict[str, _Row] = {}
    areas: dict[int, str] = {}
    for r in _query(store, "agency-area-workload.rq", queries_dir):
        area = int(r["areaNumber"])
        areas[area] = r["areaTitle"]
        row = rows.setdefault(r["agency"], _Row(r["agency"], r["name"],
                                                r["class"] == PG + "CollectiveAgency"))
        row.cells[area] = (int(r["measures"]), int(r["lead"]), int(r["cooperating"]))
    return sorted(rows.values(), key=lambda w: (-w.total, w.name)), dict(sorted(areas.items()))


def workload_svg(store: ox.Store, *, top: int = 25, queries_dir: Path | None = None) -> str:
    """Agencies × areas: the top `top` agencies by measures, then every collective (各機關 …)."""
    all_rows, areas = workload_rows(store, queries_dir)
    agencies = [r for r in all_rows if not r.collective]
    shown, left_out = agencies[:top], agencies[top:]
    collectives = [r for r in all_rows if r.collective]
    biggest = max((c[0] for r in all_rows for c in r.cells.values()), default=1)

    name_w, col_w, row_h, total_w = 200, 76, 26, 78
    x0, y0 = 20, 150
    width = x0 + name_w + col_w * len(areas) + total_w + 20
    body: list[str] = []
    body.append(_text(x0, 30, "國家廉政建設行動方案：各機關於各項目辦理之執行措施數",
                      size=18, weight="bold"))
    body.append(_text(x0, 50, "Measures per agency and area of point 肆 — lead (blue) and "
                              "cooperating (orange); the larger and darker the square, "
                              "the more measures", size=12, fill=MUTED))
    sources = "資料：queries/agency-area-workload.rq，依合計排序" + \
        (f"；另有 {len(left_out)} 個機關未列出" if left_out else "")
    body.append(_text(x0, 68, sources, size=11, fill=MUTED))

    # column heads: numeral and title of each area, and the total
    for i, (number, title) in enumerate(areas.items()):
        cx = x0 + name_w + col_w * i + col_w / 2
        head = [f"{NUMERALS[number - 1]}、"] + _chunks(title, 4)
        top_y = y0 - 12 - 15 * (len(head) - 1)
        body.append(f"<g>{_title(f'{NUMERALS[number - 1]}、{title} (area {number})')}")
        for j, line in enumerate(head):
            body.append(_text(cx, top_y + 15 * j, line, anchor="middle", size=12,
                              weight="bold" if j == 0 else "normal"))
        body.append("</g>")
    tx = x0 + name_w + col_w * len(areas)
    body.append(_text(tx + total_w / 2, y0 - 27, "合計", anchor="middle", weight="bold"))
    body.append(_text(tx + total_w / 2, y0 - 12, "total (協辦)", anchor="middle", size=10,
                      fill=MUTED))

    def draw(row: _Row, y: float) -> None:
        body.append('<g class="row">')
        body.append(_text(x0 + name_w - 10, y + row_h / 2 + 4, row.name, anchor="end",
                          extra=' lang="zh-Hant"'))
        body.append(f'<line x1="{x0}" y1="{y + row_h:.1f}" x2="{tx + total_w:.1f}" '
                    f'y2="{y + row_h:.1f}" stroke="{GRID}" stroke-width="0.5"/>')
        for i, number in enumerate(areas):
            measures, lead, coop = row.cells.get(number, (0, 0, 0))
            if not measures:
                continue
            cx = x0 + name_w + col_w * i + col_w / 2
            cy = y + row_h / 2
            side = 6 + (row_h - 8) * math.sqrt(measures / biggest)
            hue = COOP if lead == 0 else LEAD
            fill = _mix(hue, 0.35 + 0.65 * measures / biggest)
            stroke = COOP if coop and lead else fill
            plural = "s" if measures != 1 else ""
            tip = (f"{row.name} — {NUMERALS[number - 1]}、{areas[number]}：{measures} 項執行措施"
                   f"（主辦 {lead}、協辦 {coop}） / {measures} measure{plural}"
                   f" in area {number} ({lead} lead, {coop} cooperating)")
            body.append(f"<g>{_title(tip)}"
                        f'<rect x="{cx - side / 2:.1f}" y="{cy - side / 2:.1f}" width="{side:.1f}" '
                        f'height="{side:.1f}" rx="2" fill="{fill}" stroke="{stroke}" '
                        f'stroke-width="{2 if stroke != fill else 0.5}"/>')
            dark = measures / biggest > 0.45
            body.append(_text(cx + side / 2 + 3 if side < 16 else cx, cy + 4, str(measures),
                              anchor="start" if side < 16 else "middle", size=10,
                              fill="#ffffff" if dark and side >= 16 else INK))
            body.append("</g>")
        total = f"{row.total}" + (f" ({row.coop})" if row.coop else "")
        tip = f"{row.name}：合計 {row.total} 項（主辦 {row.lead}、協辦 {row.coop}）"
        body.append(f"<g>{_title(tip)}"
                    + _text(tx + total_w / 2, y + row_h / 2 + 4, total, anchor="middle",
                            weight="bold") + "</g>")
        body.append("</g>")

    y = y0
    for row in shown:
        draw(row, y)
        y += row_h
    if collectives:
        y += 10
        body.append(_text(x0, y + 14, "機關集合 Collective assignees（各機關、相關機關…）", size=12,
                          weight="bold", fill=MUTED))
        y += 22
        for row in collectives:
            draw(row, y)
            y += row_h

    # legend: sizes and colours
    y += 24
    body.append(_text(x0, y, "圖例 Legend", weight="bold"))
    lx = x0 + 90
    for n in sorted({1, max(1, biggest // 4), max(1, biggest // 2), biggest}):
        side = 6 + (row_h - 8) * math.sqrt(n / biggest)
        body.append(f'<rect x="{lx:.1f}" y="{y - 4 - side / 2:.1f}" width="{side:.1f}" '
                    f'height="{side:.1f}" rx="2" fill="{_mix(LEAD, 0.35 + 0.65 * n / biggest)}"/>')
        body.append(_text(lx + side + 4, y, f"{n}", size=11))
        lx += side + 34
    body.append(f'<rect x="{lx:.1f}" y="{y - 13:.1f}" width="16" height="16" rx="2" '
                f'fill="{_mix(LEAD, 0.7)}"/>')
    body.append(_text(lx + 20, y, "主辦 lead", size=11))
    lx += 90
    body.append(f'<rect x="{lx:.1f}" y="{y - 13:.1f}" width="16" height="16" rx="2" '
                f'fill="{_mix(COOP, 0.7)}"/>')
    body.append(_text(lx + 20, y, "僅協辦 cooperating only", size=11))
    lx += 160
    body.append(f'<rect x="{lx:.1f}" y="{y - 13:.1f}" width="16" height="16" rx="2" '
                f'fill="{_mix(LEAD, 0.7)}" stroke="{COOP}" stroke-width="2"/>')
    body.append(_text(lx + 20, y, "主辦及協辦 both", size=11))
    height = y + 24
    return _svg(width, height, "各機關於各項目辦理之執行措施數 / Measures per agency and area",
                "Rows: agencies (zh-Hant names) sorted by total measures, then collective "
                "assignees; columns: the eight areas of point 肆 of the National Integrity "
                "Building Action Plan.",
                body)


# --------------------------------------------------------------------------------------- network

def agency_network_svg(store: ox.Store, *, top: int = 24, include_collectives: bool = False,
                       queries_dir: Path | None = None) -> str:
    """Agencies on a circle; an edge joins two agencies assigned to the same measures.

    The `top` agencies with most measures (collectives too when include_collectives) are the nodes;
    edge width and darkness grow with the number of shared measures.
    """
    all_rows, _ = workload_rows(store, queries_dir)
    nodes = [r for r in all_rows if include_collectives or not r.collective][:top]
    index = {r.agency: i for i, r in enumerate(nodes)}
    edges = []
    for e in _query(store, "co-assignment-pairs.rq", queries_dir):
        if e["agencyA"] in index and e["agencyB"] in index:
            edges.append((e["agencyA"], e["agencyB"], int(e["measures"]), e["keys"]))
    edges.sort(key=lambda e: (e[2], e[0], e[1]))            # heaviest drawn last, on top
    heaviest = max((e[2] for e in edges), default=1)
    biggest = max((r.total for r in nodes), default=1)

    size, margin = 860, 190
    cx = cy = size / 2
    radius = size / 2 - margin
    pos = {}
    for i, r in enumerate(nodes):
        angle = -math.pi / 2 + 2 * math.pi * i / max(1, len(nodes))
        pos[r.agency] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle), angle)

    body: list[str] = []
    body.append(_text(20, 30, "國家廉政建設行動方案：機關協作網絡", size=18, weight="bold"))
    body.append(_text(20, 50, "Agencies assigned to the same measures; edge width ∝ shared "
                              "measures (queries/co-assignment-pairs.rq)", size=12, fill=MUTED))
    degree: dict[str, int] = defaultdict(int)
    body.append('<g class="edges" fill="none" stroke-linecap="round">')
    for a, b, n, keys in edges:
        degree[a] += 1
        degree[b] += 1
        (x1, y1, _), (x2, y2, _) = pos[a], pos[b]
        share = n / heaviest
        name_a, name_b = nodes[index[a]].name, nodes[index[b]].name
        tip = f"{name_a} — {name_b}：共同辦理 {n} 項執行措施 / {n} shared measure" + \
            ("s" if n != 1 else "") + f" ({keys})"
        # a curve bent towards the centre: short for neighbours, deep for opposite agencies
        qx, qy = (x1 + x2) / 2 * 0.55 + cx * 0.45, (y1 + y2) / 2 * 0.55 + cy * 0.45
        body.append(f'<path d="M{x1:.1f},{y1:.1f} Q{qx:.1f},{qy:.1f} {x2:.1f},{y2:.1f}" '
                    f'stroke="{_mix(MIXED_EDGE, 0.25 + 0.75 * share)}" '
                    f'stroke-width="{0.8 + 9 * share:.1f}" opacity="{0.45 + 0.5 * share:.2f}">'
                    f"{_title(tip)}</path>")
    body.append("</g>")
    body.append('<g class="nodes">')
    for r in nodes:
        x, y, angle = pos[r.agency]
        rad = 5 + 13 * math.sqrt(r.total / biggest)
        colour = _mix(COOP if r.lead == 0 else LEAD, 0.9)
        tip = (f"{r.name}：{r.total} 項執行措施（主辦 {r.lead}、協辦 {r.coop}），"
               f"與 {degree[r.agency]} 個機關共同辦理 / {r.total} measures, shares measures "
               f"with {degree[r.agency]} of the agencies shown")
        lx, ly = x + (rad + 6) * math.cos(angle), y + (rad + 6) * math.sin(angle)
        anchor = "start" if math.cos(angle) > 0.2 else "end" if math.cos(angle) < -0.2 else "middle"
        dy = 4 if anchor != "middle" else (14 if math.sin(angle) > 0 else -4)
        body.append(f"<g>{_title(tip)}"
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{rad:.1f}" fill="{colour}" '
                    f'stroke="#ffffff" stroke-width="1.5"/>'
                    + _text(lx, ly + dy, r.name, anchor=anchor, size=12, extra=' lang="zh-Hant"')
                    + "</g>")
    body.append("</g>")
    # legend: edge widths
    ly = size - 40
    body.append(_text(20, ly, "圖例 Legend：", weight="bold", size=12))
    lx = 110
    for n in sorted({1, max(1, heaviest // 2), heaviest}):
        share = n / heaviest
        body.append(f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 40}" y2="{ly - 4}" '
                    f'stroke="{_mix(MIXED_EDGE, 0.25 + 0.75 * share)}" '
                    f'stroke-width="{0.8 + 9 * share:.1f}"/>')
        body.append(_text(lx + 46, ly, f"{n} 項共同措施", size=11))
        lx += 140
    body.append(_text(20, ly + 20, "節點大小 ∝ 機關之執行措施數；藍：主辦，橙：僅協辦 — "
                                   "node size ∝ measures; blue: lead, orange: cooperating only",
                      size=11, fill=MUTED))
    return _svg(size, size, "機關協作網絡 / Co-assignment network of agencies",
                "Agencies on a circle; an edge joins two agencies assigned to the same "
                "measures, its width the number of those measures.", body)


SUFFIXES = (".svg", ".png", ".pdf")


def save(svg: str, target: Path) -> None:
    """Write a picture as SVG, or as PNG or PDF drawn by headless Chromium (Debian's chromium,
    the browser the tests use) with a CJK font: without one, every Chinese character would be
    an empty box. Any other suffix is refused rather than written as SVG under a false name."""
    from ..build.output import cannot_write
    from ..errors import UsageError

    suffix = target.suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError(f"{target}: cannot save a chart as {suffix or 'a file without a suffix'}"
                         f": use {', '.join(SUFFIXES)}")
    try:
        if suffix == ".svg":
            target.write_text(svg, encoding="utf-8")
        else:
            _chromium(svg, target, suffix)
    except OSError as e:
        raise cannot_write(target, e, "the chart") from None


def cjk_fonts() -> list[str]:
    """The families fontconfig has for Traditional Chinese (what Chromium draws 中文 with)."""
    import shutil
    import subprocess

    if shutil.which("fc-list") is None:
        return []
    listed = subprocess.run(["fc-list", ":lang=zh-tw", "family"], capture_output=True,
                            text=True, timeout=30).stdout
    return sorted({line.split(",")[0].strip() for line in listed.splitlines() if line.strip()})


def _chromium(svg: str, target: Path, suffix: str) -> None:
    import shutil
    import subprocess
    import tempfile

    from ..errors import ConfigError, OutputError

    kind = suffix[1:].upper()
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise ConfigError(f"{kind} needs Chromium (as root: apt-get install chromium); save as "
                          ".svg instead")
    if not cjk_fonts():
        raise ConfigError(f"{kind} needs a font for Chinese, or every character is drawn as an "
                          "empty box: as root, apt-get install fonts-noto-cjk; or save as .svg "
                          "(a browser draws it with its own fonts)")
    if target.parent != Path() and not target.parent.is_dir():
        raise FileNotFoundError(2, "No such folder", str(target.parent))
    size = re.search(r'width="([\d.]+)" height="([\d.]+)"', svg)
    width, height = (int(float(v)) for v in size.groups()) if size else (1200, 900)
    with tempfile.TemporaryDirectory() as tmp:
        # one page the size of the picture, nothing around it
        page = Path(tmp) / "chart.html"
        page.write_text(f"<!doctype html><meta charset=utf-8><style>@page {{ size: {width}px "
                        f"{height}px; margin: 0 }} html, body {{ margin: 0 }} svg {{ display: "
                        f"block }}</style>{svg.split('?>', 1)[-1]}", encoding="utf-8")
        written = Path(tmp) / f"chart{suffix}"
        output = ([f"--screenshot={written}", f"--window-size={width},{height}"]
                  if suffix == ".png" else [f"--print-to-pdf={written}", "--no-pdf-header-footer"])
        try:
            run = subprocess.run([browser, "--headless=new", "--no-sandbox", "--disable-gpu",
                                  "--disable-background-networking", "--disable-component-update",
                                  "--disable-sync", "--no-first-run",
                                  f"--user-data-dir={tmp}/profile", *output, page.as_uri()],
                                 capture_output=True, text=True, timeout=120)
        except subprocess.TimeoutExpired:
            raise OutputError(f"{target}: Chromium did not draw the {kind} within 120 s") from None
        if run.returncode != 0 or not written.is_file():
            last = (run.stderr.strip().splitlines() or ["no message"])[-1]
            raise OutputError(f"{target}: Chromium could not draw the {kind} (exit "
                              f"{run.returncode}): {last}")
        shutil.copyfile(written, target)
