"""The command line's conveniences and its answers to mistakes: a closed output, queries from
standard input or the command line, library parameters, names suggested, tables that fit,
charts saved as SVG, PNG or PDF or refused. Each mistake: one line, the documented exit code."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from plangraph.config import Settings

from .conftest import TESTS, run_cli

EXPECTED = json.loads((TESTS / "data" / "expected_measures.json").read_text(encoding="utf-8"))
MEASURES = {m["key"]: m for m in EXPECTED["measures"]}


def closed_pipe_run(*args: str, stderr_too: bool = False) -> subprocess.CompletedProcess[str]:
    """Run with standard output on a pipe whose reader has gone, as after `| head`."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run([sys.executable, "-m", "plangraph.cli", *args], stdout=write,
                              stderr=write if stderr_too else subprocess.PIPE, text=True,
                              timeout=300)
    finally:
        os.close(write)


@pytest.mark.parametrize("args", [
    ["export", "measures"], ["export", "measures", "--format", "csv"],
    ["query", "measures-per-agency"], ["query", "measure-source", "--format", "json"],
    ["query", "agency-subgraph", "--format", "csv"], ["query", "--list"], ["validate"],
    ["diff", "2014-04-15", "2014-04-15"], ["check", "2014-04-15"],
    ["serve", "--get", "/sparql?query=ASK%7B%7D"],
], ids=lambda a: " ".join(a))
def test_a_closed_output_is_one_line_and_exit_2(built: Settings, args):
    proc = closed_pipe_run(*args, "--out", str(built.out))
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr
    assert proc.stderr.splitlines()[-1] == \
        "plangraph: stopped: the output was closed before it was all written"


def test_a_closed_output_and_error_stream_build_and_leave_nothing(tmp_path):
    """`plangraph build 2>&1 | head -1`: stopped at the first progress line, cleaned up."""
    out = tmp_path / "out"
    proc = closed_pipe_run("build", "--out", str(out), stderr_too=True)
    assert proc.returncode == 2
    assert list(tmp_path.iterdir()) == []


def test_query_from_standard_input_and_from_the_command_line(built: Settings):
    count = "SELECT (COUNT(?m) AS ?n) WHERE { ?m a <https://w3id.org/plangraph/ontology#Measure> }"
    for args, stdin in ((["-"], count), (["--query", count], None)):
        proc = run_cli("query", *args, "--format", "csv", "--out", str(built.out), input=stdin)
        assert proc.stdout.split() == ["n", str(len(MEASURES))]
    proc = run_cli("query", "--out", str(built.out), check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == ("error: give a query: a file, a library query's name, - "
                                   "(standard input) or --query TEXT")
    proc = run_cli("query", "-", "--out", str(built.out), input="SELECT nonsense", check=False)
    assert proc.returncode == 1 and proc.stderr.startswith("error: the query does not parse")


def rows(stdout: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(stdout)))


def test_a_library_query_takes_a_declared_parameter(built: Settings):
    """measure-by-key for 2.0.6.1 (line 83: 行政院人事行政總處 and 各機關 lead), not 1.1.5.8."""
    default = rows(run_cli("query", "measure-by-key", "--format", "csv", "--out",
                           str(built.out)).stdout)
    assert {r["line"] for r in default} == {str(n) for n in MEASURES["1.1.5.8"]["lines"]}
    other = rows(run_cli("query", "measure-by-key", "--param", "key=2.0.6.1", "--format", "csv",
                         "--out", str(built.out)).stdout)
    assert [r["name"] for r in other] == MEASURES["2.0.6.1"]["agencies"]
    assert {r["line"] for r in other} == {"83"}
    assert {r["text"] for r in other} == {MEASURES["2.0.6.1"]["text"]}

    # an agency's name keeps the default's language tag: the partners of 金融監督管理委員會
    partners = rows(run_cli("query", "agency-partners", "--param", "agencyName=金融監督管理委員會",
                            "--format", "csv", "--out", str(built.out)).stdout)
    mine = {k for k, m in MEASURES.items()
            if "金融監督管理委員會" in m["agencies"] + m["cooperating"]}
    assert partners and all(set(r["keys"].split()) <= mine for r in partners)
    assert "金融監督管理委員會" not in {r["partnerName"] for r in partners}


@pytest.mark.parametrize(("args", "message"), [
    (["measure-by-key", "--param", "kee=2.0.6.1"],
     "error: --param kee: not a parameter of this query (it takes key); did you mean key?"),
    (["measures-per-agency", "--param", "key=2.0.6.1"],
     "error: --param key: this query takes no parameters"),
    (["measure-by-key", "--param", "2.0.6.1"], "error: --param '2.0.6.1': write NAME=VALUE"),
    (["measure-per-agency"], "error: no query file 'measure-per-agency' and no query of that name "
     "in the library; did you mean measures-per-agency or law-measure-agency-area or "
     "measures-by-area?; `plangraph query --list` lists them all"),
])
def test_mistakes_in_a_query_command(built: Settings, args, message):
    proc = run_cli("query", *args, "--out", str(built.out), check=False)
    assert (proc.returncode, proc.stderr.strip()) == (1, message)


def test_every_declared_parameter_is_set_on_one_line():
    """Each `# param:` of the library has its one FILTER or VALUES line (bind finds it)."""
    from plangraph.querying.runner import bind, library, parameters

    declared = 0
    for name, path in library(Settings()).items():
        text = path.read_text(encoding="utf-8")
        for param in parameters(text).values():
            value = param.default.split('"')[1] if param.default.startswith('"') else "x"
            assert bind(text, {param.name: value + "X"}) != text, name
            declared += 1
    assert declared >= 4   # measure-by-key, describe-measure, agency-partners, agency-subgraph


def test_the_list_names_every_query_and_its_parameters(built: Settings):
    listing = run_cli("query", "--list").stdout
    assert "measure-by-key [--param key=\"1.1.5.8\"]" in listing
    assert "agency-partners [--param agencyName=\"法務部廉政署\"@zh-Hant]" in listing


def test_a_table_fits_the_width_asked(built: Settings):
    from plangraph.querying.runner import _width

    wide = run_cli("query", "measure-by-key", "--width", "0", "--out", str(built.out)).stdout
    assert max(map(_width, wide.splitlines())) > 200      # the measure's whole text and IRIs
    for width in (80, 120):
        text = run_cli("query", "measure-by-key", "--width", str(width), "--out",
                       str(built.out)).stdout
        lines = text.splitlines()
        assert max(map(_width, lines)) <= width, text
        assert len(lines) == len(wide.splitlines())          # one line per row, still
        assert "…" in lines[2]
    # not a terminal and no --width: nothing cut (for pipes and files)
    assert run_cli("query", "measure-by-key", "--out", str(built.out)).stdout == wide


# -- charts ----------------------------------------------------------------------------------------

def test_chart_saved_as_svg_png_and_pdf(built: Settings, tmp_path):
    svg, png, pdf = (tmp_path / f"w.{s}" for s in ("svg", "png", "pdf"))
    for target in (svg, png, pdf):
        proc = run_cli("chart", "workload", "--save", str(target), "--out", str(built.out))
        assert proc.stderr.strip() == f"wrote {target}"
    assert svg.read_text(encoding="utf-8").startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert data.count(b"/Type /Page\n") + data.count(b"/Type /Page/") + \
        data.count(b"/Type/Page\n") == 1 or data.count(b"/MediaBox") == 1   # one page


def test_chart_suffix_refused_and_target_unwritable(built: Settings, tmp_path):
    target = tmp_path / "w.jpg"
    proc = run_cli("chart", "workload", "--save", str(target), "--out", str(built.out),
                   check=False)
    assert (proc.returncode, proc.stderr.strip()) == (
        1, f"error: {target}: cannot save a chart as .jpg: use .svg, .png, .pdf")
    assert not target.exists()
    proc = run_cli("chart", "workload", "--save", "/sys/w.svg", "--out", str(built.out),
                   check=False)
    assert (proc.returncode, proc.stderr.strip()) == (
        2, "error: cannot write the chart to /sys/w.svg: Permission denied")


def test_png_refused_without_a_cjk_font(built: Settings, tmp_path):
    """With no font for Chinese, a PNG would show empty boxes: refused, saying what to install."""
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
                     f"<fontconfig><dir>{tmp_path}</dir><cachedir>{tmp_path}/cache</cachedir>"
                     "</fontconfig>", encoding="utf-8")
    target = tmp_path / "w.png"
    proc = run_cli("chart", "workload", "--save", str(target), "--out", str(built.out),
                   check=False, env={**os.environ, "FONTCONFIG_FILE": str(empty)})
    assert proc.returncode == 2 and not target.exists()
    assert proc.stderr.strip() == (
        "error: PNG needs a font for Chinese, or every character is drawn as an empty box: as "
        "root, apt-get install fonts-noto-cjk; or save as .svg (a browser draws it with its own "
        "fonts)")


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["query", "--help"]])
def test_help_and_version_into_a_closed_output(args):
    proc = closed_pipe_run(*args)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == "plangraph: stopped: the output was closed before it was all written\n"
