"""Where trainlab keeps what it can make again (generated data, translations): one folder.

Example:
    >>> from trainlab.core.cache_dir import user_cache_dir
    >>> user_cache_dir().name
    'trainlab'
"""

from __future__ import annotations

import os
from pathlib import Path


def user_cache_dir() -> Path:
    """The trainlab cache folder, not created: ``$XDG_CACHE_HOME/trainlab``, else
    ``~/.cache/trainlab``."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "trainlab"
