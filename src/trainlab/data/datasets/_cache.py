"""Where loaders keep files they generate or download, and how they write them.

The cache folder follows the XDG Base Directory Specification:
``$XDG_CACHE_HOME/trainlab`` when the variable is set, else
``~/.cache/trainlab``.

Example:
    >>> from trainlab.data.datasets._cache import user_cache_dir
    >>> user_cache_dir().name
    'trainlab'
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def user_cache_dir() -> Path:
    """The trainlab cache folder (not created)."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    root = Path(base) if base else Path.home() / ".cache"
    return root / "trainlab"


def temp_path_beside(dest: Path, suffix: str = ".part") -> Path:
    """A new, empty temporary file in ``dest``'s folder, so ``os.replace`` is atomic."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=suffix, dir=dest.parent)
    os.close(fd)
    return Path(name)
