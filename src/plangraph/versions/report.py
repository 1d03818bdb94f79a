"""Diffs and findings as JSON, Markdown or HTML."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

from .consistency import Finding
from .diff import Change


def diff_json(changes: Sequence[Change]) -> str:
    return json.dumps([c.as_dict() for c in changes], ensure_ascii=False, indent=1) + "\n"


def _value(v: Any) -> str:
    if isinstance(v, list):
        return "; ".join(map(str, v)) or "—"
    return "—" if v is None else str(v)


def _inline_diff_md(ops: list[tuple[str, str, str]]) -> str:
    out = []
    for op, old, new in ops:
        if op == "equal":
            out.append(old)
        else:
            if old:
                out.append(f"~~{old}~~")
            if new:
                out.append(f"**{new}**")
    return "".join(out)


def diff_markdown(changes: Sequence[Change], old: str, new: str) -> str:
    lines = [f"# Changes from {old} to {new}", "", f"{len(changes)} change(s).", "",
             "| change | key | new key | old | new |", "|---|---|---|---|---|"]
    for c in changes:
        new_value = _inline_diff_md(c.diff) if c.diff else _value(c.new)
        lines.append(f"| {c.change} | {c.key} | {c.new_key or '—'} | {_value(c.old)} | "
                     f"{new_value} |")
    return "\n".join(lines) + "\n"


def diff_html(changes: Sequence[Change], old: str, new: str) -> str:
    e = html.escape
    rows = []
    for c in changes:
        if c.diff:
            new_cell = "".join(
                e(o) if op == "equal" else
                (f"<del>{e(o)}</del>" if o else "") + (f"<ins>{e(n)}</ins>" if n else "")
                for op, o, n in c.diff)
        else:
            new_cell = e(_value(c.new))
        rows.append(f"<tr><td>{e(c.change)}</td><td>{e(c.key)}</td><td>{e(c.new_key or '—')}</td>"
                    f"<td>{e(_value(c.old))}</td><td>{new_cell}</td></tr>")
    return (f'<!doctype html>\n<html lang="zh-Hant"><head><meta charset="utf-8">'
            f"<title>Changes from {e(old)} to {e(new)}</title>"
            "<style>body{font-family:sans-serif}td{vertical-align:top;padding:.3em;"
            "border-bottom:1px solid #ddd}del{background:#fdd}ins{background:#dfd}</style>"
            f"</head><body><h1>Changes from {e(old)} to {e(new)}</h1>"
            f"<p>{len(changes)} change(s).</p><table><tr><th>change</th><th>key</th>"
            f"<th>new key</th><th>old</th><th>new</th></tr>{''.join(rows)}</table></body></html>\n")


def findings_json(findings: Sequence[Finding]) -> str:
    return json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=1) + "\n"


def findings_markdown(findings: Sequence[Finding], title: str) -> str:
    lines = [f"# {title}", "", f"{len(findings)} finding(s).", "",
             "| rule | key | subject | successor | message |", "|---|---|---|---|---|"]
    for f in findings:
        lines.append(f"| {f.rule} | {f.key or '—'} | {f.subject or '—'} | {f.successor or '—'} | "
                     f"{f.message} |")
    return "\n".join(lines) + "\n"
