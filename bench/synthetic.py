"""Synthetic plan versions shaped like the seed, for benchmarks: N documents that `plangraph build`
parses, each its own version (own date, own named graph), each with different triples.

Plan i is the seed (data/plan-2014-04-15.txt) with its errata applied in the text (so it needs no
errata file) and a marker 〔樣本i〕 written into every measure and target cell before the cell's last
full stop: every measure, target and span text differs from plan to plan, the structure, the
agencies and the row layout (page breaks, continuation rows, underlines) are the seed's. Its
metadata file is the seed's with the file name, the checksum and the version date replaced; the
version date of plan i is 2015-01-01 plus i days, so dates never collide with the seed's.

    python bench/generate.py 100 --out /tmp/plans      # plan-0000.txt … plan-0099.txt (+ .meta.toml)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]   # the checkout

SEED = PROJECT / "data" / "plan-2014-04-15.txt"
SEED_DATE = "2014-04-15"
FIRST_DATE = dt.date(2015, 1, 1)


def version_date(index: int) -> str:
    return (FIRST_DATE + dt.timedelta(days=index)).isoformat()


def marker(index: int) -> str:
    return f"〔樣本{index}〕"


def seed_lines(seed: Path = SEED) -> list[str]:
    """The seed's lines with its errata applied (the same corrections the build would apply)."""
    lines = seed.read_text(encoding="utf-8").split("\n")
    errata = seed.with_name(f"{seed.stem}.errata.toml")
    if errata.exists():
        with errata.open("rb") as fh:
            for c in tomllib.load(fh).get("correction", []):
                n = c["line"] - 1
                assert lines[n].count(c["find"]) == 1, f"errata for line {c['line']} do not apply"
                lines[n] = lines[n].replace(c["find"], c["replace"])
    return lines


def _mark_cell(cell: str, mark: str) -> str:
    """Insert `mark` before the cell's last 。 (or at its end, inside a closing </p>)."""
    if not cell.strip() or re.fullmatch(r"[-\s]*", cell):
        return cell
    i = cell.rfind("。")
    if i >= 0:
        return cell[:i] + mark + cell[i:]
    if cell.rstrip().endswith("</p>"):
        j = cell.rstrip().rfind("</p>")
        return cell[:j] + mark + cell[j:]
    return cell.rstrip() + mark + cell[len(cell.rstrip()):]


def plan_text(index: int, lines: list[str] | None = None) -> str:
    """The text of synthetic plan `index`."""
    mark = marker(index)
    out = []
    for line in lines if lines is not None else seed_lines():
        cells = line.split("\t")
        if len(cells) == 4 and cells[1].strip() != "執行措施":
            cells[1] = _mark_cell(cells[1], mark)
            cells[2] = _mark_cell(cells[2], mark)
            line = "\t".join(cells)
        out.append(line)
    return "\n".join(out)


def meta_text(name: str, data: bytes, date: str, seed: Path = SEED) -> str:
    meta = seed.with_name(f"{seed.stem}.meta.toml").read_text(encoding="utf-8")
    meta = meta.replace(f'file = "{seed.name}"', f'file = "{name}"', 1)
    meta = re.sub(r'^sha256 = "[0-9a-f]+"', f'sha256 = "{hashlib.sha256(data).hexdigest()}"',
                  meta, count=1, flags=re.M)
    meta = meta.replace(f'value = "{SEED_DATE}"', f'value = "{date}"', 1)
    meta = f"# Synthetic plan (bench/synthetic.py): the seed, marked, dated {date}.\n" + meta
    assert tomllib.loads(meta)["version_date"]["value"] == date
    return meta


def generate(count: int, out: Path, *, start: int = 0) -> list[Path]:
    """Write plans start … start+count-1 into `out`, each with its metadata; their paths."""
    out.mkdir(parents=True, exist_ok=True)
    lines = seed_lines()
    paths = []
    for i in range(start, start + count):
        path = out / f"plan-{i:04d}.txt"
        data = plan_text(i, lines).encode("utf-8")
        path.write_bytes(data)
        path.with_name(f"{path.stem}.meta.toml").write_text(
            meta_text(path.name, data, version_date(i)), encoding="utf-8")
        paths.append(path)
    return paths
