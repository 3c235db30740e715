"""One trainlab process per study folder: an advisory ``flock(2)`` on ``study.lock``.

The kernel releases the lock when its holder exits or is killed, so a crash
never leaves a stale lock. The holder writes its pid into the lock file, so a
refused process can name it.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from trainlab.workflows.study.store_lock import FolderLock
    >>> lock = FolderLock(Path(tempfile.mkdtemp()) / "study.lock")
    >>> with lock.hold():
    ...     with lock.hold():  # nested use: the outer one releases it
    ...         lock.held
    True
    >>> lock.held
    False
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from trainlab.workflows.study.store_schema import StoreError

LOCK_FILE = "study.lock"


class StudyLocked(StoreError):
    """Another process holds the study folder's lock."""


def _read_pid(path: Path) -> str:
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return "unknown"
    return text if text.isdigit() else "unknown"


class FolderLock:
    """The exclusive, non-blocking lock of one study folder (its ``study.lock`` file).

    Args:
        path: the lock file; ``path.parent`` is the study folder named in errors.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock now."""
        return self._fd is not None

    def _acquire(self) -> int:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StudyLocked(
                f"study folder {self.path.parent} is in use by another trainlab process "
                f"(pid {_read_pid(self.path)})"
            ) from None
        except BaseException:
            os.close(fd)
            raise
        return fd

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        """Hold the lock for the ``with`` block (nested use is allowed).

        Raises:
            StudyLocked: another process holds the lock.
        """
        if self._fd is not None:  # already held: the outer use releases it
            yield
            return
        fd = self._acquire()
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
            self._fd = fd
            yield
        finally:
            self._fd = None
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
