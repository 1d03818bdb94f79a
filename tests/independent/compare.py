"""Build a rendering with the real command and compare its measures with the seed's own build."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

FIELDS = ("text", "targets", "agencies", "cooperating")


@dataclass
class Outcome:
    returncode: int
    stderr: str
    seconds: float
    measures: list[dict]


def plangraph(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"}
    return subprocess.run([sys.executable, "-m", "plangraph.cli", *args], capture_output=True,
                          text=True, env=env)


def build(source: Path | None, out: Path, *extra: str) -> Outcome:
    args = ["build", "--out", str(out)]
    if source is not None:
        args += ["--source", str(source), "--version-date", "2014-04-15", "--allow-unverified"]
    start = time.perf_counter()
    proc = plangraph(*args, *extra)
    seconds = time.perf_counter() - start
    measures: list[dict] = []
    if proc.returncode == 0:
        exp = plangraph("export", "measures", "--out", str(out))
        measures = [json.loads(line) for line in exp.stdout.splitlines() if line.strip()]
    return Outcome(proc.returncode, proc.stderr, seconds, measures)


FOLD = str.maketrans("，。；：（）！？", ",.;:()!?")


def folded(value: object) -> object:
    """A field with its punctuation made ASCII, for a copy whose punctuation was."""
    if isinstance(value, str):
        return value.translate(FOLD)
    if isinstance(value, list):
        return [folded(v) for v in value]
    return value


def differences(got: list[dict], want: list[dict], *, keys: bool = True,
                amended: bool = True, fold: bool = False) -> list[str]:
    """What differs, measure by measure in document order; empty when they agree. `fold`: the
    rendering's punctuation was made ASCII, so compare with it folded on both sides."""
    out: list[str] = []
    if fold:
        got = [{k: folded(v) for k, v in g.items()} for g in got]
        want = [{k: folded(v) for k, v in w.items()} for w in want]
    if len(got) != len(want):
        out.append(f"{len(got)} measures, expected {len(want)}")
    fields = FIELDS + (("amended",) if amended else ())
    for g, w in zip(got, want, strict=False):
        if keys and g["key"] != w["key"]:
            out.append(f"key {g['key']} where {w['key']} was expected")
        for f in fields:
            if g[f] != w[f]:
                out.append(f"{w['key']} {f}: {g[f]!r} expected {w[f]!r}")
    return out


# -- in process: the document tree of a rendering against the seed's --------------------------


def measure_records(doc: object, *, underlines: bool = True) -> list[dict]:
    """What the build makes of each measure, read from the tree: its text, its targets, its
    agencies and cooperating bodies, and (where the form keeps them) the underlined spans of
    each of those, which a measure's amended flag comes from."""
    out = []
    for m in doc.measures():    # type: ignore[attr-defined]
        record = {
            "key": m.key,
            "text": m.text.text,
            "targets": [t.text.text for t in m.targets],
            "agencies": [(a.name, a.entity, a.acting_unit) for a in m.assignments
                         if not a.cooperating],
            "cooperating": [(a.name, a.entity) for a in m.assignments if a.cooperating],
        }
        if underlines:
            record["underlined"] = [m.text.spans(), [t.text.spans() for t in m.targets],
                                    [m.agency_cell.text[a:b] for a, b in m.agency_cell.spans()]]
        out.append(record)
    return out


def tree_differences(got: list[dict], want: list[dict], *, keys: bool = True,
                     fold: bool = False) -> list[str]:
    out: list[str] = []
    if len(got) != len(want):
        out.append(f"{len(got)} measures, expected {len(want)}")
    for g, w in zip(got, want, strict=False):
        for name in w:
            if name == "key" and not keys:
                continue
            a, b = (folded(g[name]), folded(w[name])) if fold else (g[name], w[name])
            if a != b:
                out.append(f"{w['key']} {name}: {g[name]!r} expected {w[name]!r}")
    return out
