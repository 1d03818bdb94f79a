"""A later version of the seed with fourteen planted changes (tests/later_versions.py): the diff
finds every one, in every cell, and nothing else.

The planted changes are text, target (frequency and deadline) and agency edits, renames in
agency cells (最高法院檢察署 → 最高檢察署 and 臺灣高等法院檢察署 → 臺灣高等檢察署, one of them the
only change of its measure), agencies replaced by their successors, a cooperating body added, a
strategy's text, a measure moved to another strategy, a deletion that renumbers the next measure,
an added measure and a clause of point 陸. Expected values are the document's words.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import SEED, run_cli
from .later_versions import LATER_DATE, PLANTED, Planted, write_version


def diff(old: Path, new: Path, *args: str) -> list[dict]:
    return json.loads(run_cli("diff", str(old), str(new), *args).stdout)


def as_expected(changes: list[dict]) -> list[tuple]:
    return [(c["change"], c["key"], c["new_key"], c["old"], c["new"]) for c in changes]


@pytest.fixture(scope="module")
def later(tmp_path_factory) -> Path:
    return write_version(tmp_path_factory.mktemp("later"), "later", PLANTED)


@pytest.fixture(scope="module")
def changes(later) -> list[dict]:
    return diff(SEED, later)


def test_every_planted_change_is_found_and_nothing_else(changes):
    expected = sorted(e for p in PLANTED for e in p.expected)
    got = as_expected(changes)
    missing = [e for e in expected if e not in got]
    spurious = [g for g in got if g not in expected]
    assert not missing and not spurious, f"missing: {missing}\nspurious: {spurious}"
    assert len(got) == len(expected) == 18


@pytest.mark.parametrize("planted", PLANTED, ids=lambda p: p.what)
def test_each_planted_change_alone(tmp_path, planted: Planted):
    """The same change, planted alone, is reported alone: no change leans on another."""
    got = as_expected(diff(SEED, write_version(tmp_path, "one", [planted])))
    assert sorted(got, key=str) == sorted(planted.expected, key=str)


def test_renames_name_the_registry_event_that_explains_them(changes):
    expected = {k: v for p in PLANTED for k, v in p.events.items()}
    got = {(c["key"], c["old"]): (c["events"][0]["kind"], c["events"][0]["date"])
           for c in changes if c["change"] == "renamed"}
    assert got == expected
    spo = next(c for c in changes if c["change"] == "renamed" and c["key"] == "1.1.5.5")
    assert spo["agency"] == "spo"
    assert spo["events"] == [{"kind": "renamed", "entity": "spo", "date": "2018-05-25",
                              "old_name": "最高法院檢察署", "new_name": "最高檢察署",
                              "basis": "法院組織法 §114-2（2018-05-23 公布）",
                              "source": "law-A0010053"}]


def test_a_rename_dated_after_the_new_version_explains_nothing(tmp_path):
    """Dated 2016-08-24, before the 2018 rename: the new name is still reported as a rename, but
    no event explains it, and the successor of 科技部 (2022) is not yet a successor."""
    planted = [p for p in PLANTED if p.what.startswith(("a rename the only", "agencies replaced"))]
    got = diff(SEED, write_version(tmp_path, "early", planted, date="2016-08-24"))
    summary = [(c["change"], c["key"], c["old"], c["new"], c.get("events")) for c in got]
    assert summary == [
        ("renamed", "1.1.5.5", "最高法院檢察署", "最高檢察署", []),
        ("agencies", "6.0.4.1", sorted(["教育部", "衛生福利部", "科技部", "行政院農業委員會"]),
         sorted(["教育部", "衛生福利部", "國家科學及技術委員會", "農業部"]), None),
    ]


def test_structure_and_content_are_kept_apart(changes):
    aspects = {(c["change"], c["aspect"]) for c in changes}
    assert ("moved", "structure") in aspects and ("renumbered", "structure") in aspects
    assert {a for k, a in aspects if k not in ("moved", "renumbered")} == {"content"}


def test_the_markdown_report_groups_by_aspect(later):
    md = run_cli("diff", str(SEED), str(later), "--format", "md").stdout
    content, structure = md.split("## Structure")
    assert "| renamed | 1.1.5.5 | 1.1.5.5 | 最高法院檢察署 | 最高檢察署 (renamed 2018-05-25" in content
    assert "| moved | 1.2.4.3 | 1.2.7.4 | 1.2.4 | 1.2.7 |" in structure
    assert "| moved |" not in content and "| renamed |" not in structure


def test_the_later_version_is_dated(later):
    assert f'value = "{LATER_DATE}"' in later.with_name("later.meta.toml").read_text()


# -- the same later version as a draft in an office form ---------------------------------------

@pytest.fixture(scope="module")
def drafts(later, tmp_path_factory) -> dict[str, Path]:
    """The later version as a ministry circulates it: a DOCX and an ODT (formats-office's test
    writers, from the version's own tree), without metadata."""
    from plangraph.documents.reading import read_version
    from plangraph.model.registry import Registry

    from .conftest import PROJECT
    from .render import docx_writer, odt_writer
    from .render.plan import layout_2014

    _, doc = read_version(later, Registry.load(PROJECT / "data" / "registry"))
    tmp = tmp_path_factory.mktemp("drafts")
    out = {"docx": tmp / "draft.docx", "odt": tmp / "draft.odt"}
    out["docx"].write_bytes(docx_writer.write(layout_2014(doc)))
    out["odt"].write_bytes(odt_writer.write(layout_2014(doc)))
    return out


@pytest.mark.parametrize("form", ["docx", "odt"])
def test_a_draft_in_an_office_form_gives_the_same_diff(drafts, changes, form):
    got = json.loads(run_cli("diff", str(SEED), str(drafts[form])).stdout)
    # the draft has no metadata, so no version date: events are not limited by one
    assert as_expected(got) == as_expected(changes)


@pytest.mark.parametrize("form", ["docx", "odt"])
def test_check_reads_a_draft_as_it_stands(drafts, form):
    proc = run_cli("check", str(drafts[form]), "--version-date", LATER_DATE)
    got = json.loads(proc.stdout)
    assert "not verified to be whole" in proc.stderr            # a draft has no checksum
    subjects = {(f["rule"], f["subject"]) for f in got}
    # renamed in the draft's agency cells, but still spelled out in texts and other cells
    assert ("agency-renamed", "最高法院檢察署") in subjects
    assert ("agency-replaced", "科技部") not in subjects        # replaced in its one cell
    assert ("deadline-passed", "108年底前提出「吹哨者保護法」研究報告及草案初稿。") in subjects
