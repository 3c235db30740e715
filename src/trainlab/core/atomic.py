"""Atomic file writes: write beside the destination, then rename over it.

Every file trainlab writes for others to read (checkpoints, reports, figures,
cached and downloaded data) goes through :func:`atomic_path`, so a reader never
sees half a file and a failure leaves any previous file intact.

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

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def temp_path_beside(dest: Path, suffix: str = ".part") -> Path:
    """A new, empty temporary file in ``dest``'s folder (created), so ``os.replace`` is atomic."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=suffix, dir=dest.parent)
    os.close(fd)
    return Path(name)


@contextmanager
def atomic_path(dest: str | Path, suffix: str = ".tmp") -> Iterator[Path]:
    """A temporary path to write to; it replaces ``dest`` when the block ends without error.

    On an error (or Ctrl-C) the temporary file is removed and ``dest`` is untouched.
    """
    dest = Path(dest)
    tmp = temp_path_beside(dest, suffix)
    try:
        yield tmp
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)  # already gone after a successful replace


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically; returns ``path``."""
    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path
