"""`plangraph diff` on later versions made independently of the project's own fixtures
(tests/independent_versions.py): every planted change found, of the right kind and keys, nothing
else reported. Each version is written to a file and compared with the seed by the real command.
"""

from __future__ import annotations

import json
import unicodedata
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


def ascii_punctuation(text: str) -> str:
    """What a copy that made full-width punctuation ASCII after layout holds (DOMAIN.md: stored
    copies of the MOJ pages): ，；：（）！？ → , ; : ( ) ! ? — the box rules then out of line."""
    return "".join(unicodedata.normalize("NFKC", ch) if 0xFF01 <= ord(ch) <= 0xFF5E
                   and not ch.isalnum() else ch for ch in text)


def test_a_copy_with_ascii_punctuation_says_the_same_thing(tmp_path):
    flat = ascii_punctuation(iv.flat_box(iv.seed_rows()))
    assert "，" not in flat and "," in flat
    changes = diff(SEED, write(tmp_path, "flat-ascii.txt", flat))
    assert [c for c in changes if c["aspect"] != "structure"] == []
    assert len([c for c in changes if c["change"] == "renumbered"]) == 91


def test_only_the_words_changed_beside_punctuation_made_ascii_are_a_change(tmp_path):
    e = iv.repair_line_152(iv.Edits())
    # 1.1.2.2 (line 12): its commas made ASCII, and one word changed
    e.sub(12, "廉政人員取得財務金融專業證照，以提昇偵辦", "廉政人員取得財務金融專業證照,以提升偵辦")
    # clause 三 (line 168): （構） made ASCII, nothing else
    e.sub(168, "中央機關（構），得參考", "中央機關(構),得參考")
    new = write(tmp_path, "commas.txt", e.text())
    changes = diff(SEED, new)
    assert [(c["change"], c["key"]) for c in changes] == [("text", "1.1.2.2")]
    edits = [(op, a, b) for op, a, b in changes[0]["diff"] if op != "equal"]
    assert edits == [("replace", "昇", "升")]
    # the 修正對照表 underlines 升 alone, not the comma
    html = run_cli("diff", str(SEED), str(new), "--format", "html").stdout
    assert "以提<u>升</u>偵辦" in html
    assert "<u>,</u>" not in html and "證照,以提" in html
