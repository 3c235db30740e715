"""Where loaders keep files they generate or download (written with :mod:`trainlab.core.atomic`).

The cache folder follows the XDG Base Directory Specification:
``$XDG_CACHE_HOME/trainlab`` when the variable is set, else
``~/.cache/trainlab``.

Example:
    >>> import tempfile, pathlib, numpy as np
    >>> from trainlab.core.cache_dir import user_cache_dir
    >>> from trainlab.data.datasets._cache import read_npz, write_npz
    >>> user_cache_dir().name
    'trainlab'
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.npz"
    >>> write_npz(path, {"x": np.arange(3)})
    >>> read_npz(path, ("x",))["x"].tolist(), read_npz(path, ("y",))
    ([0, 1, 2], None)
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from trainlab.core.atomic import atomic_path


def read_npz(path: Path, keys: Sequence[str]) -> dict[str, np.ndarray] | None:
    """The arrays ``keys`` of the cache file ``path``; None when absent, damaged or incomplete."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            return {k: npz[k] for k in keys}
    except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile):
        return None


def write_npz(path: Path, arrays: Mapping[str, np.ndarray]) -> None:
    """Write ``arrays`` to ``path`` atomically; a read-only cache is not an error."""
    try:
        with atomic_path(path, ".npz") as tmp, open(tmp, "wb") as f:
            np.savez(f, **arrays)
    except OSError:
        return
