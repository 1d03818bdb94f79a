"""The seed as other programs write it: LibreOffice saving the tests' DOCX as ODT and their ODT as
DOCX, importing the HTML rendering and saving it as DOCX and ODT, exporting PDFs; pandoc turning
the HTML into DOCX. Each must build the seed's 91 measures, amended flags included.

Neither program is a dependency of the project (LibreOffice is some 200 MB): they are test
dependencies, installed by scripts/install-test-deps (`apt-get install libreoffice-writer-nogui
pandoc`). Where they are not installed these tests are skipped, saying so. The files are made
here, from the seed, at test time: nothing third-party is committed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from plangraph.config import Settings

from .render import docx_writer, html, odt_writer, plan
from .test_formats_office import build, export

SOFFICE = shutil.which("soffice")
PANDOC = shutil.which("pandoc")


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("others")
    content = plan.layout_2014()
    (folder / "word.docx").write_bytes(docx_writer.write(content))
    (folder / "writer.odt").write_bytes(odt_writer.write(content, targets="breaks"))
    (folder / "page.html").write_bytes(html.write(content))
    return folder


def soffice(folder: Path, target: str, *files: str, infilter: str | None = None) -> Path:
    out = folder / f"by-libreoffice-{target}"
    cmd = [SOFFICE or "soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile",
           "--convert-to", target, "--outdir", str(out)]
    if infilter:
        cmd.insert(2, f"--infilter={infilter}")
    subprocess.run([*cmd, *(str(folder / f) for f in files)], check=True, capture_output=True,
                   timeout=300, env={**os.environ, "HOME": str(folder)})
    return out


CASES = {
    # (program, the file it makes from the sources)
    "libreoffice: DOCX saved as ODT": ("soffice", lambda f: soffice(f, "odt", "word.docx")
                                       / "word.odt"),
    "libreoffice: ODT saved as DOCX": ("soffice", lambda f: soffice(f, "docx", "writer.odt")
                                       / "writer.docx"),
    "libreoffice: HTML saved as DOCX": ("soffice", lambda f: soffice(
        f, "docx", "page.html", infilter="HTML (StarWriter)") / "page.docx"),
    "libreoffice: ODT exported as PDF": ("soffice", lambda f: soffice(f, "pdf", "writer.odt")
                                         / "writer.pdf"),
    "libreoffice: DOCX exported as PDF": ("soffice", lambda f: soffice(f, "pdf", "word.docx")
                                          / "word.pdf"),
    "pandoc: HTML to DOCX": ("pandoc", lambda f: _pandoc(f / "page.html", f / "pandoc.docx")),
}


def _pandoc(source: Path, out: Path) -> Path:
    subprocess.run([PANDOC or "pandoc", str(source), "-o", str(out)], check=True,
                   capture_output=True, timeout=120)
    return out


@pytest.mark.parametrize("case", CASES)
def test_another_programs_file_builds_the_seeds_measures(case, sources, built: Settings,
                                                         tmp_path):
    program, make = CASES[case]
    if not shutil.which(program):
        pytest.skip(f"{program} is not installed: not a dependency of the project, only a "
                    "second writer to check the readers against")
    source = make(sources)
    proc = build(source, tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    measures, seed = export(tmp_path / "out"), export(built.out)
    assert len(measures) == 91 == len(seed)
    for got, want in zip(measures, seed, strict=True):
        for field in ("key", "text", "targets", "agencies", "cooperating", "amended"):
            assert got[field] == want[field], (got["key"], field)
