"""Where loaders keep files they generate or download (written with :mod:`trainlab.core.atomic`).

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
from pathlib import Path


def user_cache_dir() -> Path:
    """The trainlab cache folder (not created)."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    root = Path(base) if base else Path.home() / ".cache"
    return root / "trainlab"
