"""A PDF of the seed printed from its HTML rendering by headless Chromium (/usr/bin/chromium)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def print_pdf(page: str, *, page_furniture: bool = True) -> bytes:
    """Print an HTML page to PDF. page_furniture: Chromium's own header and footer (date, title,
    file address, page numbers) on every page, as a user printing from the browser gets."""
    with tempfile.TemporaryDirectory(prefix="plangraph-pdf-") as tmp:
        source, out = Path(tmp) / "plan.html", Path(tmp) / "plan.pdf"
        source.write_text(page, encoding="utf-8")
        cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}"]
        if not page_furniture:
            cmd.append("--no-pdf-header-footer")
        subprocess.run([*cmd, source.as_uri()], check=True, capture_output=True, timeout=120)
        return out.read_bytes()
