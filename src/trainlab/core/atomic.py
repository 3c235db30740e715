"""Atomic file writes: write beside the destination, then rename over it.

Every file trainlab writes for others to read (checkpoints, reports, figures,
cached and downloaded data) goes through :func:`atomic_path`, so a reader never
sees half a file and a failure leaves any previous file intact. The temporary
file is created as ``open(2)`` creates a new file with mode ``0o666``: the
process's umask (or the folder's default ACL) applies, and the final file
keeps those permissions whatever the writer did (``0o644`` under a umask of
``022``), not the private ``0o600`` of :func:`tempfile.mkstemp` or of a
library that writes its own temporary file.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from trainlab.core.atomic import atomic_path, write_text_atomic
    >>> folder = Path(tempfile.mkdtemp())
    >>> write_text_atomic(folder / "a.md", "# hi\\n").read_text(encoding="utf-8")
    '# hi\\n'
    >>> try:
    ...     with atomic_path(folder / "a.md") as tmp:
    ...         _ = tmp.write_text("half a rep")
    ...         raise RuntimeError("interrupted")
    ... except RuntimeError:
    ...     pass
    >>> (folder / "a.md").read_text(encoding="utf-8"), sorted(p.name for p in folder.iterdir())
    ('# hi\\n', ['a.md'])
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: temporary names tried before giving up (each is 32 random bits: a clash is very rare)
_ATTEMPTS = 100


def temp_path_beside(dest: Path, suffix: str = ".part") -> Path:
    """A new, empty temporary file in ``dest``'s folder (created), so ``os.replace`` is atomic.

    The file is created with mode ``0o666`` less the umask, as any new file, so
    that renaming it to ``dest`` gives ``dest`` the user's usual permissions.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(_ATTEMPTS):
        path = dest.parent / f".{dest.name}.{secrets.token_hex(4)}{suffix}"
        try:
            os.close(os.open(path, flags, 0o666))
        except FileExistsError:
            continue
        return path
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(dest.parent))


@contextmanager
def atomic_path(dest: str | Path, suffix: str = ".tmp") -> Iterator[Path]:
    """A temporary path to write to; it replaces ``dest`` when the block ends without error.

    On an error (or Ctrl-C) the temporary file is removed and ``dest`` is untouched.
    ``dest`` gets the temporary file's permissions as created (the user's usual
    ones), even where the writer replaced the file with one of its own (safetensors
    writes ``0o600`` files).
    """
    dest = Path(dest)
    tmp = temp_path_beside(dest, suffix)
    try:
        mode = stat.S_IMODE(tmp.stat().st_mode)
        yield tmp
        if stat.S_IMODE(tmp.stat().st_mode) != mode:
            os.chmod(tmp, mode)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)  # already gone after a successful replace


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically; returns ``path``."""
    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path
