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
from .report import diff_html, diff_json, diff_markdown, findings_json, findings_markdown


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


def run_diff(old: str, new: str, fmt: str, settings: Settings, form: str | None = None) -> str:
    registry = Registry.load(settings.registry_dir)
    (old_src, old_doc), (new_src, new_doc) = (open_version(s, registry, settings, form=form)
                                              for s in (old, new))
    changes = diff_documents(old_doc, new_doc, registry)
    names = [src.version if src.version_date else src.path.name for src in (old_src, new_src)]
    if fmt == "md":
        return diff_markdown(changes, *names)
    if fmt == "html":
        return diff_html(changes, *names)
    return diff_json(changes)


def run_check(spec: str, fmt: str, settings: Settings, as_of: str | None = None,
              version_date: str | None = None, form: str | None = None) -> tuple[str, int]:
    registry = Registry.load(settings.registry_dir)
    source, doc = open_version(spec, registry, settings, version_date, require_date=True,
                               form=form)
    date = dt.date.fromisoformat(as_of) if as_of else None
    findings = check(doc, source, registry, as_of=date, settings=settings)
    when = (date or source.version_date).isoformat()
    if fmt == "md":
        return findings_markdown(findings, f"Findings for {source.path.name} as of {when}"), \
            len(findings)
    return findings_json(findings), len(findings)
