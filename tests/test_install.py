"""The package as a user gets it: a wheel built from this checkout, installed into a fresh
virtual environment, run from an empty directory. It builds, validates, serves and answers a
library query with nothing but what the wheel holds (the ontology, shapes, queries, registry and
seed ship inside it, read with importlib.resources), and takes the user's own documents.

Building the wheel and installing its dependencies use pip as a user would (the package index,
or pip's cache and configured wheel folders)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from .conftest import PROJECT, SEED, TESTS
from .render import box, html, plan

RESOURCE_FOLDERS = ("ontology", "data", "queries")   # shipped under plangraph/resources/
EXPECTED = json.loads((TESTS / "data" / "expected_measures.json").read_text(encoding="utf-8"))
COUNT_MEASURES = ("SELECT (COUNT(?m) AS ?n) WHERE { ?m a "
                  "<https://w3id.org/plangraph/ontology#Measure> }")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                           "--disable-pip-version-check", "-w", str(folder), str(PROJECT)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    [found] = folder.glob("plangraph-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment (not this one's packages) with the wheel installed."""
    root = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True, timeout=300,
                   env=user_env())
    proc = subprocess.run([str(root / "bin" / "python"), "-m", "pip", "install", "-q",
                           "--disable-pip-version-check", str(wheel)],
                          capture_output=True, text=True, timeout=900, env=user_env())
    assert proc.returncode == 0, proc.stderr
    return root


def user_env(**extra: str) -> dict[str, str]:
    """The environment of a user: no PYTHONPATH pointing into this checkout, no PLANGRAPH_*."""
    env = {k: v for k, v in os.environ.items()
           if k != "PYTHONPATH" and not k.startswith("PLANGRAPH_")}
    return {**env, **extra}


def plangraph(venv: Path, cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(venv / "bin" / "plangraph"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600, env=user_env(**env))
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def test_the_wheel_holds_the_project_files_and_its_metadata(wheel: Path):
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        metadata = z.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
        entry_points = z.read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
        # every file of the checkout's ontology/, data/ and queries/, as it is in the checkout
        project_files = sorted(p.relative_to(PROJECT).as_posix() for folder in RESOURCE_FOLDERS
                               for p in (PROJECT / folder).rglob("*") if p.is_file())
        differ = [f for f in project_files if f"plangraph/resources/{f}" not in names
                  or z.read(f"plangraph/resources/{f}") != (PROJECT / f).read_bytes()]
    assert len(project_files) > 60 and not differ, differ
    shipped = {"ontology/plangraph.ttl", "ontology/shapes.ttl", "data/plan-2014-04-15.txt",
               "data/plan-2014-04-15.meta.toml", "data/plan-2014-04-15.errata.toml",
               "data/plan-2014-04-15.txt.sha256", "data/registry/agencies.toml",
               "data/registry/sources.toml", "queries/measure-by-key.rq",
               "queries/qc/measure-without-target-violation.rq", "queries/README.md"}
    assert {f"plangraph/resources/{n}" for n in shipped} <= names
    queries = {p.relative_to(PROJECT).as_posix() for p in (PROJECT / "queries").rglob("*.rq")}
    assert {f"plangraph/resources/{q}" for q in queries} <= names
    assert not [n for n in names if n.startswith(("tests/", "bench/", "plangraph/resources/build"))]
    assert "License-Expression: MIT AND OGDL-Taiwan-1.0" in metadata
    assert "Requires-Python: >=3.11" in metadata
    assert re.search(r"^Requires-Dist: pyoxigraph", metadata, re.M)
    assert "Classifier: Programming Language :: Python :: 3.11" in metadata
    assert re.search(r"^Project-URL: ", metadata, re.M)
    assert "plangraph = plangraph.cli:main" in entry_points


def test_the_installed_wheel_builds_validates_serves_and_answers(venv: Path, tmp_path: Path):
    empty = tmp_path / "empty"
    empty.mkdir()
    where = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import plangraph; print(plangraph.__file__)"], cwd=empty,
                           capture_output=True, text=True, env=user_env(), check=True)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout   # not this checkout

    built = plangraph(venv, empty, "build")
    assert built.returncode == 0, built.stderr
    manifest = json.loads((empty / "build" / "manifest.json").read_text(encoding="utf-8"))
    assert [v["version"] for v in manifest["versions"]] == ["2014-04-15"]
    assert manifest["counts"]["Measure"] == len(EXPECTED["measures"])

    valid = plangraph(venv, empty, "validate")
    assert valid.returncode == 0 and valid.stdout.startswith("conforms:"), valid.stderr

    # a library query, by name: the measures 法務部廉政署 is assigned (read by hand)
    answer = plangraph(venv, empty, "query", "measures-per-agency", "--format", "csv")
    assert answer.returncode == 0, answer.stderr
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(answer.stdout))}
    aac = [m for m in EXPECTED["measures"] if "法務部廉政署" in m["agencies"] + m["cooperating"]]
    assert rows["法務部廉政署"]["measures"] == str(len(aac))

    server = subprocess.Popen([str(venv / "bin" / "plangraph"), "serve", "--port", "0"],
                              cwd=empty, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=user_env())
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        root = re.search(r" at (http://127\.0\.0\.1:\d+)/ ", line)
        assert root, line
        deadline = time.monotonic() + 60
        while True:
            try:
                count = httpx.get(root.group(1) + "/sparql", params={"query": COUNT_MEASURES},
                                  headers={"Accept": "application/sparql-results+json"},
                                  timeout=30)
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.1)
        assert count.json()["results"]["bindings"][0]["n"]["value"] == \
            str(len(EXPECTED["measures"]))
        page = httpx.get(root.group(1) + "/id/plan/2014-04-15/measure/1.1.5.8",
                         headers={"Accept": "text/html"}, timeout=30)
        assert page.status_code == 200 and "1.1.5.8" in page.text
        console = httpx.get(root.group(1) + "/", timeout=30)
        assert console.status_code == 200 and "measure-by-key" in console.text
    finally:
        server.send_signal(signal.SIGINT)
        _, stderr = server.communicate(timeout=60)
    assert server.returncode == 0 and "Traceback" not in stderr, stderr


def test_the_installed_wheel_takes_the_users_own_documents(venv: Path, tmp_path: Path):
    """PLANGRAPH_DATA_DIR: the documents of that folder instead of the packaged plan; --source:
    the files named. The registry, ontology and shapes still come from the package."""
    mine = tmp_path / "mine"
    mine.mkdir()
    shutil.copy(SEED, mine / "plan-2016-08-24.txt")
    shutil.copy(SEED.with_name("plan-2014-04-15.errata.toml"), mine / "plan-2016-08-24.errata.toml")
    sha256 = SEED.with_name("plan-2014-04-15.txt.sha256").read_text().split()[0]
    (mine / "plan-2016-08-24.meta.toml").write_text(
        f'sha256 = "{sha256}"\n[version_date]\nvalue = "2016-08-24"\n', encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()

    proc = plangraph(venv, work, "build", PLANGRAPH_DATA_DIR=str(mine))
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((work / "build" / "manifest.json").read_text(encoding="utf-8"))
    assert [v["version"] for v in manifest["versions"]] == ["2016-08-24"]

    proc = plangraph(venv, work, "build", "--out", "both", "--source",
                     str(mine / "plan-2016-08-24.txt"), "--allow-unverified")
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((work / "both" / "manifest.json").read_text(encoding="utf-8"))
    assert [v["version"] for v in manifest["versions"]] == ["2016-08-24"]

    empty = tmp_path / "nothing"
    empty.mkdir()
    proc = plangraph(venv, work, "build", "--out", "none", PLANGRAPH_DATA_DIR=str(empty))
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"error: no source documents: none given and no *.meta.toml "
                                   f"in {empty}")


@pytest.mark.parametrize("name, write, form", [
    ("plan.html", lambda: html.write(plan.layout_2014()), "HTML"),
    ("plan-box.txt", lambda: box.write(plan.layout_2014()).encode(), "box-drawn text"),
])
def test_the_installed_wheel_reads_the_other_forms(venv: Path, tmp_path: Path, name, write, form):
    """The readers of the other forms are in the wheel, and what they need (lxml) is among its
    dependencies: the seed brought as HTML or box-drawn text builds from an installed wheel."""
    (tmp_path / name).write_bytes(write())
    proc = plangraph(venv, tmp_path, "build", "--source", name, "--version-date", "2014-04-15",
                     "--allow-unverified", "--no-validate")
    assert proc.returncode == 0, proc.stderr
    assert f"{name}: version 2014-04-15, {form}, 2014 layout, 91 measures" in proc.stderr
    manifest = json.loads((tmp_path / "build" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["Measure"] == len(EXPECTED["measures"])
