"""`plangraph diff` on later versions made independently of the project's own fixtures
(tests/independent_versions.py): every planted change found, of the right kind and keys, nothing
else reported. Each version is written to a file and compared with the seed by the real command.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from . import independent_versions as iv
from .conftest import SEED, run_cli


def diff(old: Path | str, new: Path | str, *more: str) -> list[dict]:
    return json.loads(run_cli("diff", str(old), str(new), "--format", "json", *more).stdout)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("version", ["renames", "structure", "content", "hard", "flat"])
def test_every_planted_change_is_found_and_nothing_else(tmp_path, version):
    text, expected = getattr(iv, f"version_{version}")()
    changes = diff(SEED, write(tmp_path, f"{version}.txt", text))
    missing, spurious = iv.unmet(expected, changes)
    assert (missing, spurious) == ([], [])


def test_the_flat_layout_on_both_sides(tmp_path):
    old = write(tmp_path, "flat-seed.txt", iv.flat_box(iv.seed_rows()))
    text, expected = iv.version_flat_edits()
    changes = diff(old, write(tmp_path, "flat-edits.txt", text))
    assert iv.unmet(expected, changes) == ([], [])


def test_the_flat_copy_aligns_every_measure_and_changes_only_the_planted_ones(tmp_path):
    """The Must show of issue 15 on our own flat box-drawn copy: all 90 kept measures paired,
    content changes on exactly the six edited ones, one removed, one added."""
    text, _ = iv.version_flat()
    changes = diff(SEED, write(tmp_path, "flat.txt", text))
    paired = {(c["key"], c["new_key"]) for c in changes if c["change"] == "renumbered"}
    assert len(paired) == 90
    content = {c["key"] for c in changes if c["aspect"] == "content"
               and c["change"] not in ("removed", "added")}
    assert content == {"1.1.2.2", "2.0.2.2", "3.0.4.1", "8.0.2.2", "5.0.1.1", "6.0.4.1"}
    assert [c["key"] for c in changes if c["change"] == "removed"] == ["4.0.3.3"]
    assert [c["new_key"] for c in changes if c["change"] == "added"] == ["48.2"]
    assert not [c for c in changes if c["change"] == "ambiguous"]
