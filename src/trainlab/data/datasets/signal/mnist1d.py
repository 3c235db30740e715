"""MNIST-1D: a procedurally generated 1-D analogue of MNIST.

Greydanus & Kobak (2020/2024), "Scaling down deep learning with MNIST-1D"
(ICML 2024). Each digit's template is padded, translated, scaled, sheared and
noised into a signal of length 40. The paper reports test accuracies of about
32% for logistic regression, 68% for an MLP, 94% for a CNN and 91% for a GRU.

Generation (``mnist1d.data.make_dataset``) takes about a second; the arrays are
cached in ``$XDG_CACHE_HOME/trainlab/mnist1d-seed<seed>.npz`` (written to a
temporary file, then renamed), so later loads are instant.

Example:
    >>> from trainlab.data.datasets import load_dataset
    >>> b = load_dataset("mnist1d", {})
    >>> b.train.x.shape, b.test.x.shape, b.train.x.dtype.name
    ((4000, 1, 40), (1000, 1, 40), 'float32')
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from trainlab.core.cache_dir import user_cache_dir
from trainlab.core.errors import ConfigError
from trainlab.data._bundle import ArrayData, DataBundle
from trainlab.data.datasets._cache import read_npz, write_npz

CLASSES = [str(d) for d in range(10)]
_KEYS = ("x", "y", "x_test", "y_test")


def mnist1d_cache_path(seed: int) -> Path:
    """The cache file for the arrays generated with ``seed``."""
    return user_cache_dir() / f"mnist1d-seed{seed}.npz"


def _generate(seed: int) -> dict[str, np.ndarray]:
    from mnist1d.data import get_dataset_args, make_dataset

    args = get_dataset_args()
    args.seed = seed
    # make_dataset seeds the global `random` and `numpy.random` states: restore them
    py_state, np_state = random.getstate(), np.random.get_state()
    try:
        data = make_dataset(args)
    finally:
        random.setstate(py_state)
        np.random.set_state(np_state)
    return {
        "x": np.asarray(data["x"], dtype=np.float32),
        "y": np.asarray(data["y"], dtype=np.int64),
        "x_test": np.asarray(data["x_test"], dtype=np.float32),
        "y_test": np.asarray(data["y_test"], dtype=np.int64),
    }


def _read_cache(path: Path) -> dict[str, np.ndarray] | None:
    arrays = read_npz(path, _KEYS)
    if arrays is None:
        return None  # absent or damaged: regenerate
    ok = (
        arrays["x"].ndim == 2
        and arrays["x_test"].ndim == 2
        and len(arrays["x"]) == len(arrays["y"])
        and len(arrays["x_test"]) == len(arrays["y_test"])
    )
    return arrays if ok else None


def load_mnist1d(*, seed: int | None = None) -> DataBundle:
    """MNIST-1D: 4,000 + 1,000 generated 1-D digit signals of length 40 (Greydanus & Kobak).

    Args:
        seed: generation seed; ``None`` uses the package's default (42), which
            gives the data set of the paper.

    Returns:
        A signal bundle, ``x`` float32 ``(N, 1, 40)``, with its own test split.

    Example:
        >>> b = load_mnist1d()
        >>> len(b.train), len(b.test), b.modality
        (4000, 1000, 'signal')
    """
    if seed is None:
        from mnist1d.data import get_dataset_args

        seed = int(get_dataset_args().seed)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ConfigError(f"data.options.seed: expected a non-negative integer, got {seed!r}")
    path = mnist1d_cache_path(int(seed))
    arrays = _read_cache(path)
    origin = f"mnist1d.data.make_dataset (seed {seed}, cached in {path})"
    if arrays is None:
        arrays = _generate(int(seed))
        write_npz(path, arrays)
    return DataBundle(
        name="mnist1d",
        modality="signal",
        train=ArrayData(arrays["x"].astype(np.float32)[:, None, :], arrays["y"]),
        test=ArrayData(arrays["x_test"].astype(np.float32)[:, None, :], arrays["y_test"]),
        classes=list(CLASSES),
        source=origin,
    )
