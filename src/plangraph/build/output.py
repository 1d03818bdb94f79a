"""Where a build writes: a lock on the output folder, a temporary folder beside it, and the swap
that puts the new build in place of the old one whole.

    with OutputFolder(out, progress) as folder:   # waits while another build holds `out`
        write everything into folder.tmp
        folder.commit()                             # the swap; without it, tmp is removed

Beside `out` (e.g. build/) while a build runs: `.build.lock` (an flock: a second build of the same
folder waits for the first; the kernel releases it if the build is killed) and
`.build.building-XXXX` (the temporary folder). A build that was killed leaves its temporary
folder behind; the next build of the same folder removes it, under the lock, so it can never be
one that is still being written.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from ..errors import OutputError, OutputFolderRefused
from .folder import MANIFEST

Progress = Callable[[str], None]

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class OutputFolder:
    def __init__(self, out: Path, progress: Progress = lambda _: None):
        self.out = out
        self.progress = progress
        self.lock_path = out.with_name(f".{out.name}.lock")
        self.lock_fd: int | None = None
        self.tmp: Path | None = None

    def __enter__(self) -> OutputFolder:
        if self.out.exists() and not self.out.is_dir():
            raise OutputFolderRefused(f"{self.out} is a file, not a folder: choose another --out")
        if self.out.is_dir() and any(self.out.iterdir()) and not (self.out / MANIFEST).exists():
            raise OutputFolderRefused(f"{self.out} exists and is not a plangraph build folder (no "
                             f"{MANIFEST}): refusing to replace it; choose another --out")
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            self.lock_fd = self._lock()
            self._remove_stale()
            self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.building-",
                                             dir=self.out.parent))
        except OSError as e:
            self._unlock()
            raise cannot_write(self.out, e) from None
        return self

    def commit(self) -> None:
        """Put the temporary folder in place of `out`, so that a reader sees the old build or
        the new one, whole, and `out` never stops existing."""
        assert self.tmp is not None
        try:
            if self.out.exists() and _exchange(self.tmp, self.out):
                shutil.rmtree(self.tmp, ignore_errors=True)   # now the old build
            else:
                self._replace()
        except OSError as e:
            raise cannot_write(self.out, e) from None
        self.tmp = None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.tmp is not None:       # not committed: a failed or interrupted build
            shutil.rmtree(self.tmp, ignore_errors=True)
        self._unlock()

    # -- the lock ---------------------------------------------------------------------------------

    def _lock(self) -> int:
        """An exclusive flock on the lock file, waiting while another build holds it. The file
        is removed when the build ends; a waiter that wakes on a removed file tries again."""
        said = False
        while True:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not said:
                    holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "?"
                    self.progress(f"waiting: another build (process {holder}) is writing "
                                  f"{self.out} …")
                    said = True
                fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.lock_path))
            except FileNotFoundError:
                same = False
            if same:
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
                return fd
            os.close(fd)           # the build before us removed this file: lock the new one

    def _unlock(self) -> None:
        if self.lock_fd is None:
            return
        try:
            self.lock_path.unlink()
        except FileNotFoundError:
            pass
        os.close(self.lock_fd)
        self.lock_fd = None

    # -- clean-up and swap ------------------------------------------------------------------------

    def _remove_stale(self) -> None:
        """Temporary and old folders left by a build that was killed (we hold the lock: no
        build is writing them)."""
        for pattern in (f".{self.out.name}.building-*", f".{self.out.name}.old-*"):
            for stale in self.out.parent.glob(pattern):
                if stale.is_dir() and not stale.is_symlink():
                    self.progress(f"removing {stale.name}, left by a build that did not finish")
                    shutil.rmtree(stale, ignore_errors=True)

    def _replace(self) -> None:
        """Where an atomic exchange is not available: move the old build aside, then the new
        one in (`out` is missing for the moment between the two renames)."""
        assert self.tmp is not None
        old = None
        if self.out.exists():
            old = self.out.with_name(f".{self.out.name}.old-{int(time.time() * 1000)}")
            self.out.rename(old)
        self.tmp.rename(self.out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE); False if the system or
    the file system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def cannot_write(out: Path, e: OSError, what: str = "the build") -> OutputError:
    where = e.filename if isinstance(e.filename, str) else str(out)
    reason = e.strerror or str(e)
    if isinstance(e, FileExistsError | NotADirectoryError):
        reason = "a file is where a folder is needed"
    return OutputError(f"cannot write {what} to {out}: {where}: {reason}" if where != str(out)
                       else f"cannot write {what} to {out}: {reason}")
