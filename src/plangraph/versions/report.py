"""Diffs and findings as JSON, Markdown or HTML."""

from __future__ import annotations

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


def _events(c: Change) -> str:
    if c.events is None:
        return ""
    if not c.events:
        return " (no event recorded)"
    return "".join(f" ({e.kind} {e.date}: {e.old_name} → {e.new_name}"
                   + (f", {e.basis}" if e.basis else "") + ")" for e in c.events)


def diff_markdown(changes: Sequence[Change], old: str, new: str) -> str:
    lines = [f"# Changes from {old} to {new}", ""]
    for aspect, title in (("content", "Content"), ("structure", "Structure"),
                          ("alignment", "Alignment")):
        part = [c for c in changes if c.aspect == aspect]
        lines += [f"## {title}: {len(part)} change(s)", ""]
        if not part:
            continue
        lines += ["| change | key | new key | old | new |", "|---|---|---|---|---|"]
        for c in part:
            new_value = _inline_diff_md(c.diff) if c.diff else _value(c.new)
            lines.append(f"| {c.change} | {c.key} | {c.new_key or '—'} | {_value(c.old)} | "
                         f"{new_value}{_events(c)} |")
        lines.append("")
    return "\n".join(lines)


def findings_json(findings: Sequence[Finding]) -> str:
    return json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=1) + "\n"


def findings_markdown(findings: Sequence[Finding], title: str) -> str:
    lines = [f"# {title}", "", f"{len(findings)} finding(s).", "",
             "| rule | key | subject | successor | message |", "|---|---|---|---|---|"]
    for f in findings:
        lines.append(f"| {f.rule} | {f.key or '—'} | {f.subject or '—'} | {f.successor or '—'} | "
                     f"{f.message} |")
    return "\n".join(lines) + "\n"
