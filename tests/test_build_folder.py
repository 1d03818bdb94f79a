"""The build folder under concurrent and interrupted builds (build/output.py), and a build whose
output or validator fails: one-line errors, the previous build intact, nothing left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from plangraph.build.pipeline import ShapeCheck, build
from plangraph.config import Settings
from plangraph.errors import BuildError, ConfigError

from .conftest import SEED, run_cli


def cli(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "plangraph.cli", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def leftovers(parent: Path) -> list[str]:
    """What a build may leave beside its output folder: nothing once it is over."""
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".out."))


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(condition, seconds: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def test_two_builds_at_once_one_waits_and_the_folder_never_disappears(tmp_path):
    out = tmp_path / "out"
    run_cli("build", "--out", str(out))
    first_manifest = (out / "manifest.json").read_text(encoding="utf-8")
    missing: list[float] = []
    stop = threading.Event()

    def watch() -> None:      # a reader of the build, as the server is
        while not stop.is_set():
            if not (out / "manifest.json").is_file():
                missing.append(time.monotonic())

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        first = cli("build", "--out", str(out))
        wait_for((tmp_path / ".out.lock").exists, what="the first build's lock")
        second = cli("build", "--out", str(out))
        results = [p.communicate(timeout=300) for p in (first, second)]
    finally:
        stop.set()
        watcher.join()
    for proc, (stdout, stderr) in zip((first, second), results, strict=True):
        assert proc.returncode == 0, stderr
        assert "Traceback" not in stderr and "error" not in stderr, stderr
        assert "triples" in stdout
    assert "waiting: another build (process " in results[1][1]
    assert "waiting: another build" not in results[0][1]
    assert missing == [], "build/ did not exist for a moment during a swap"
    assert (out / "manifest.json").read_text(encoding="utf-8") == first_manifest
    assert leftovers(tmp_path) == []


def test_a_killed_build_leaves_nothing_after_the_next_build(tmp_path):
    out = tmp_path / "out"
    proc = cli("build", "--out", str(out))
    wait_for(lambda: list(tmp_path.glob(".out.building-*")) and children(proc.pid),
             what="the build's temporary folder and its validator")
    validator = children(proc.pid)[0]
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    # the validator dies with the build (PR_SET_PDEATHSIG): no process blocked on a pipe
    wait_for(lambda: not alive(validator), seconds=10, what="the validator to die")
    stale = [p.name for p in tmp_path.glob(".out.building-*")]
    assert stale, "the killed build left no temporary folder: the test killed it too late"

    after = run_cli("build", "--out", str(out))
    assert f"removing {stale[0]}, left by a build that did not finish" in after.stderr
    assert leftovers(tmp_path) == []
    assert (out / "manifest.json").is_file()


def test_an_output_folder_that_cannot_be_written(tmp_path):
    """Exit 2, one line naming the folder and the reason; nothing written anywhere."""
    afile = tmp_path / "a-file"
    afile.write_text("x")
    for out, reason in ((afile / "out", f"{afile}: a file is where a folder is needed"),
                        (Path("/sys/plangraph-out"), "Permission denied")):
        proc = run_cli("build", "--out", str(out), check=False)
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr
        [line] = [ln for ln in proc.stderr.splitlines() if ln.startswith("error:")]
        assert line.startswith(f"error: cannot write the build to {out}: ")
        assert line.endswith(reason)
    assert afile.read_text() == "x" and sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_a_validator_that_cannot_start_is_reported_not_a_broken_pipe(tmp_path):
    """Shapes that cannot be read: the validator child reports it, the build raises it."""
    settings = Settings()
    settings.shapes = tmp_path / "missing-shapes.ttl"
    out = tmp_path / "out"
    with pytest.raises(ConfigError, match=r"the SHACL shapes not found at .*missing-shapes\.ttl"):
        build([SEED], settings, out)
    assert not out.exists() and leftovers(tmp_path) == []


def test_a_validator_that_fails_is_named(tmp_path):
    """A real child given a file that is not there: its own error, as a BuildError."""
    check = ShapeCheck(Settings())
    try:
        check.send(tmp_path / "no-such.nt")
        with pytest.raises(BuildError, match=r"^the validation process failed: "
                                             r"FileNotFoundError: No such file"):
            check.result()
    finally:
        check.stop()


def test_a_validator_killed_is_named(tmp_path):
    check = ShapeCheck(Settings())
    try:
        [child] = [p for p in children(os.getpid()) if p == check._proc.pid]
        os.kill(child, signal.SIGKILL)
        with pytest.raises(BuildError, match=r"the validation process was killed by signal 9 "
                                             r"\(SIGKILL\) before it reported \(out of memory\?\)"):
            check.send(tmp_path / "x.nt")
            check.result()
    finally:
        check.stop()
