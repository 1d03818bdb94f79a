"""A document is taken as whole only when its metadata records its checksum (source.py,
SourceFile.verified): `plangraph build` refuses one without, unless --allow-unverified, and then
says so; `check` and `diff` note it. (The cut that only the checksum can catch: test_fuzz.py.)"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from plangraph.documents.source import load_source

from .conftest import SEED, run_cli

ERRATA = SEED.with_name("plan-2014-04-15.errata.toml")
META = SEED.with_name("plan-2014-04-15.meta.toml")


def copy(folder: Path, name: str, meta: str | None = None) -> Path:
    """The seed under another name, with its errata, and `meta` as its metadata if given."""
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.txt"
    path.write_bytes(SEED.read_bytes())
    shutil.copy(ERRATA, folder / f"{name}.errata.toml")
    if meta is not None:
        (folder / f"{name}.meta.toml").write_text(meta, encoding="utf-8")
    return path


def test_what_is_verified(tmp_path):
    assert load_source(SEED).verified
    bare = load_source(copy(tmp_path, "bare"), "2016-08-24")
    assert not bare.verified and "no bare.meta.toml beside it" in bare.unverified_reason()
    nosum = copy(tmp_path, "nosum", '[version_date]\nvalue = "2016-08-24"\n')
    assert "nosum.meta.toml records no sha256" in load_source(nosum).unverified_reason()
    summed = copy(tmp_path, "summed", f'sha256 = "{load_source(SEED).sha256}"\n')
    assert load_source(summed, "2016-08-24").verified


def test_the_build_names_each_unverified_document_and_writes_nothing(tmp_path):
    a = copy(tmp_path / "a", "plan-a")
    b = copy(tmp_path / "b", "plan-b", '[version_date]\nvalue = "2018-07-27"\n')
    out = tmp_path / "build"
    proc = run_cli("build", "--source", str(SEED), str(a), str(b), "--version-date", "2016-08-24",
                   "--out", str(out), check=False)
    assert proc.returncode == 1, proc.stderr
    assert f"{a}: no checksum" in proc.stderr and f"{b}: no checksum" in proc.stderr
    assert f"{SEED}:" not in proc.stderr  # the seed's metadata records its checksum
    assert not out.exists()


def test_allow_unverified_builds_it_and_says_so(tmp_path):
    later = copy(tmp_path, "later")
    out = tmp_path / "build"
    proc = run_cli("build", "--source", str(SEED), str(later), "--version-date", "2016-08-24",
                   "--allow-unverified", "--out", str(out))
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [f"warning: {later}: built as it is, not verified to be whole "
                        "(--allow-unverified): no checksum: there is no later.meta.toml beside it"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [(v["version"], v["verified"]) for v in manifest["versions"]] == [
        ("2014-04-15", True), ("2016-08-24", False)]   # the output keeps saying so


def test_check_notes_an_unverified_document(tmp_path):
    path = copy(tmp_path, "plan")
    proc = run_cli("check", str(path), "--version-date", "2014-04-15")
    assert f"note: {path}: not verified to be whole" in proc.stderr
    proc = run_cli("check", str(SEED))
    assert "not verified" not in proc.stderr
