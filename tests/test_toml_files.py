"""The TOML files beside a document and in the registry: valid TOML of the wrong shape is a
one-line error naming the file, the key and the type expected, never a traceback and never a key
silently ignored (tomlfiles.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from plangraph.tomlfiles import TomlShapeError, from_table

from .conftest import PROJECT, SEED, run_cli

META = SEED.with_name("plan-2014-04-15.meta.toml").read_text(encoding="utf-8")
ERRATA = SEED.with_name("plan-2014-04-15.errata.toml").read_text(encoding="utf-8")


def document(folder: Path, meta: str = META, errata: str = ERRATA) -> Path:
    """The seed under another name, with the metadata and errata given."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "plan.txt"
    shutil.copy(SEED, path)
    (folder / "plan.meta.toml").write_text(meta, encoding="utf-8")
    (folder / "plan.errata.toml").write_text(errata, encoding="utf-8")
    return path


def refused(tmp_path: Path, path: Path, *env: tuple[str, str]) -> tuple[int, str]:
    """Build `path` into a folder that holds a previous build; the exit code and stderr, after
    checking that there is one line of error, no traceback, and the previous build intact."""
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    (out / "manifest.json").write_text('{"versions": [], "base": "x"}\n', encoding="utf-8")
    proc = run_cli("build", "--source", str(path), "--out", str(out), check=False,
                   env={**_environ(), **dict(env)})
    assert "Traceback" not in proc.stderr, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, proc.stderr
    assert (out / "manifest.json").read_text(encoding="utf-8") == '{"versions": [], "base": "x"}\n'
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json"]
    assert not list(tmp_path.glob(".out.building-*"))
    return proc.returncode, errors[0]


def _environ() -> dict[str, str]:
    return dict(os.environ)


def test_version_date_as_a_string_where_a_table_is_expected(tmp_path):
    sha256 = META.split('sha256 = "')[1].split('"')[0]
    meta = f'sha256 = "{sha256}"\nversion_date = "2014-04-15"\n'
    path = document(tmp_path / "doc", meta=meta)
    code, line = refused(tmp_path, path)
    assert code == 1
    assert line == (f"error: {path.with_name('plan.meta.toml')}: version_date: expected a table "
                    '(keys: value, source, note), found a string ("2014-04-15")')


def test_an_erratum_without_find(tmp_path):
    errata = ERRATA.replace('find = "亞洲開發銀行(定期統計參加國際廉政會議及論壇次數。"\n', "")
    assert errata != ERRATA
    path = document(tmp_path / "doc", errata=errata)
    code, line = refused(tmp_path, path)
    assert code == 1
    assert line == (f"error: {path.with_name('plan.errata.toml')}: correction[1].find: missing: "
                    "expected a string")


def test_an_erratum_line_written_as_a_string(tmp_path):
    errata = ERRATA.replace("line = 152", 'line = "152"')
    assert errata != ERRATA
    path = document(tmp_path / "doc", errata=errata)
    code, line = refused(tmp_path, path)
    assert code == 1
    assert line == (f"error: {path.with_name('plan.errata.toml')}: correction[1].line: expected "
                    'an integer, found a string ("152")')


def test_a_mistyped_key_is_refused_not_ignored(tmp_path):
    errata = ERRATA.replace("reason = ", "raeson = ")
    path = document(tmp_path / "doc", errata=errata)
    code, line = refused(tmp_path, path)
    assert code == 1
    assert line == (f"error: {path.with_name('plan.errata.toml')}: correction[1].raeson: unknown "
                    "key (known: line, find, replace, reason); did you mean 'reason'?")

    meta = META.replace("[licence]", "[license]")
    path = document(tmp_path / "doc2", meta=meta)
    code, line = refused(tmp_path, path)
    assert code == 1
    assert line.startswith(f"error: {path.with_name('plan.meta.toml')}: license: unknown key")
    assert line.endswith("did you mean 'licence'?")


def test_a_version_date_that_is_no_date(tmp_path):
    meta = META.replace('value = "2014-04-15"', 'value = "2014-04-31"')
    path = document(tmp_path / "doc", meta=meta)
    code, line = refused(tmp_path, path)
    assert code == 1
    assert line == (f"error: {path.with_name('plan.meta.toml')}: version_date.value: expected a "
                    'date (YYYY-MM-DD), found a string ("2014-04-31")')


def test_a_registry_file_of_the_wrong_shape(tmp_path):
    registry = tmp_path / "registry"
    shutil.copytree(PROJECT / "data" / "registry", registry)
    bodies = registry / "bodies.toml"
    text = bodies.read_text(encoding="utf-8")
    bodies.write_text(text.replace("lines = [14, 16, 25]", 'lines = [14, "16", 25]', 1),
                      encoding="utf-8")
    path = document(tmp_path / "doc")
    code, line = refused(tmp_path, path, ("PLANGRAPH_REGISTRY_DIR", str(registry)))
    assert code == 2     # the registry is reference data, as the ontology: "could not run"
    assert line == (f"error: {bodies}: body[1].lines[2]: expected an integer, found a string "
                    '("16")')

    bodies.write_text(text.replace("meets = ", "meet = ", 1), encoding="utf-8")
    code, line = refused(tmp_path, path, ("PLANGRAPH_REGISTRY_DIR", str(registry)))
    assert line.startswith(f"error: {bodies}: body[1].meet: unknown key (known: id, name, ")
    assert line.endswith("did you mean 'meets'?")


def test_not_toml_at_all(tmp_path):
    path = document(tmp_path / "doc", meta=META.replace("[title]", "[title"))
    code, line = refused(tmp_path, path)
    assert code == 1
    assert line.startswith(f"error: {path.with_name('plan.meta.toml')}: not valid TOML: ")


# -- the reader itself, on invented tables -------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Inner:
    when: dt.date
    ratio: float = 0.0


@dataclasses.dataclass(frozen=True)
class Outer:
    name: str
    count: int
    flag: bool = False
    tags: list[str] = dataclasses.field(default_factory=list)
    inner: Inner | None = None
    rows: list[Inner] = dataclasses.field(default_factory=list)


def test_the_reader_converts_what_it_declares():
    value = from_table({"name": "a", "count": 3, "tags": ["x"], "inner": {"when": "2020-02-29"},
                        "rows": [{"when": dt.date(2021, 1, 1), "ratio": 2}]}, Outer, Path("f"))
    assert value == Outer("a", 3, False, ["x"], Inner(dt.date(2020, 2, 29)),
                          [Inner(dt.date(2021, 1, 1), 2.0)])
    assert isinstance(value.rows[0].ratio, float)


@pytest.mark.parametrize(("table", "where", "message"), [
    ({"name": "a", "count": True}, "count", "expected an integer, found a boolean (True)"),
    ({"name": "a", "count": 1, "flag": 1}, "flag",
     "expected a boolean (true or false), found an integer (1)"),
    ({"name": "a", "count": 1, "tags": "x"}, "tags", 'expected an array of strings, found a '
                                                     'string ("x")'),
    ({"name": "a", "count": 1, "rows": [{"when": "2020-01-01"}, {"ratio": 1.5}]}, "rows[2].when",
     "missing: expected a date (YYYY-MM-DD)"),
    ({"name": "a", "count": 1, "inner": [1]}, "inner",
     "expected a table (keys: when, ratio), found an array"),
    ({"count": 1}, "name", "missing: expected a string"),
])
def test_the_reader_names_key_and_type(table, where, message):
    with pytest.raises(TomlShapeError) as caught:
        from_table(table, Outer, Path("f.toml"))
    assert (caught.value.where, caught.value.message) == (where, message)
    assert str(caught.value) == f"f.toml: {where}: {message}"
