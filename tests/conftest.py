"""Shared fixtures: the seed document, the registry, and one real build into a temporary folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from plangraph.config import Settings
from plangraph.model.registry import Registry

TESTS = Path(__file__).parent
PROJECT = TESTS.parent      # the checkout the tests run in
SEED = PROJECT / "data" / "plan-2014-04-15.txt"


@pytest.fixture(scope="session")
def registry() -> Registry:
    return Registry.load(PROJECT / "data" / "registry")


@pytest.fixture(scope="session")
def expected() -> dict:
    """The measures as read by hand from the document (tests/data/expected_measures.json)."""
    return json.loads((TESTS / "data" / "expected_measures.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """One real `plangraph build` of the seed, shared read-only by the tests that query it."""
    out = tmp_path_factory.mktemp("build") / "out"
    run_cli("build", "--out", str(out))
    settings = Settings()
    settings.out = out
    return settings


def run_cli(*args: str, check: bool = True, **kw) -> subprocess.CompletedProcess[str]:
    """The real command, in its own process, as a user runs it."""
    proc = subprocess.run([sys.executable, "-m", "plangraph.cli", *args], capture_output=True,
                          text=True, **kw)
    if check and proc.returncode != 0:
        raise AssertionError(f"plangraph {' '.join(args)} exited {proc.returncode}:\n"
                             f"{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def seed_server(built: Settings):
    """A real uvicorn server (127.0.0.1, free port) over the built seed, shared by the tests."""
    from plangraph.web.app import create_app

    from .server import LiveServer

    with LiveServer(create_app(built)) as server:
        yield server
