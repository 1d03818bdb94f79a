"""`plangraph diff` and `plangraph check`: open versions by file or by built version date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..build.folder import Manifest
from ..config import Settings
from ..documents.reading import read_version
from ..documents.source import SourceFile
from ..documents.tree import PlanDocument
from ..errors import SourceError
from ..model.registry import Registry
from .consistency import check
from .diff import diff_documents
from .report import diff_json, diff_markdown, findings_json, findings_markdown
from .table import comparison_table
from .table_writers import to_docx, to_html, to_odt


def open_version(spec: str, registry: Registry, settings: Settings,
                 version_date: str | None = None, require_date: bool = False,
                 form: str | None = None) -> tuple[SourceFile, PlanDocument]:
    """A source document (a path), or a built version (its date, as in build/manifest.json).

    Not strict: a measure without target or agency is a finding here, not a refusal."""
    path = Path(spec)
    if not path.exists():
        manifest = Manifest.read_if_present(settings.out)
        built = manifest.versions if manifest is not None else []
        match = [v for v in built if v.version == spec]
        if not match:
            known = ", ".join(v.version for v in built) or "none built"
            raise SourceError(f"{spec!r} is neither a file nor a built version ({known})")
        path = settings.data_dir / match[0].file
        form = None    # a built version is read as it was built: its form detected
    return read_version(path, registry, version_date, strict=False, require_date=require_date,
                        form=form)


DIFF_FORMATS = ("json", "md", "html", "docx", "odt")
BINARY_FORMATS = ("docx", "odt")


def run_diff(old: str, new: str, fmt: str, settings: Settings,
             form: str | None = None) -> str | bytes:
    """The diff as JSON or Markdown, or as a 修正對照表 (html, docx, odt: bytes for the last two)."""
    registry = Registry.load(settings.registry_dir)
    (old_src, old_doc), (new_src, new_doc) = (open_version(s, registry, settings, form=form)
                                              for s in (old, new))
    d = diff_documents(old_doc, new_doc, registry, new_src.version_date)
    names = [src.version if src.version_date else src.path.name for src in (old_src, new_src)]
    if fmt == "json":
        return diff_json(d.changes)
    if fmt == "md":
        return diff_markdown(d.changes, *names)
    table = comparison_table(d, registry, names[0], names[1], as_of=new_src.version_date)
    if fmt == "html":
        return to_html(table)
    return to_docx(table) if fmt == "docx" else to_odt(table)


def run_check(spec: str, fmt: str, settings: Settings, as_of: str | None = None,
              version_date: str | None = None, form: str | None = None) -> tuple[str, int]:
    registry = Registry.load(settings.registry_dir)
    source, doc = open_version(spec, registry, settings, version_date, require_date=True,
                               form=form)
    date = dt.date.fromisoformat(as_of) if as_of else None
    findings = check(doc, source, registry, as_of=date, settings=settings)
    when = (date or source.version_date or dt.date.min).isoformat()   # open_version required one
    if fmt == "md":
        return findings_markdown(findings, f"Findings for {source.path.name} as of {when}"), \
            len(findings)
    return findings_json(findings), len(findings)
