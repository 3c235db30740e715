"""Normalization statistics fitted by streaming the training files, a few at a time.

The in-memory path fits its ``Preprocessor`` on the stacked training images;
here the same statistics come from one pass over the files, never holding more
than a batch: per-channel (or global, or per-position) counts, means, sums of
squared deviations M₂ and extremes, merged batch by batch with the pairwise
update of Chan, Golub & LeVeque (1979/1983):

    n = n_a + n_b,  δ = x̄_b − x̄_a,  x̄ = x̄_a + δ·n_b / n,  M₂ = M₂_a + M₂_b + δ²·n_a·n_b / n,

in float64, so σ² = M₂ / n is the population variance of every pixel read
(the ``standard`` normalizer's, ``ddof=0``; a constant channel gets σ = 1 by
its rule). The pixels are scaled (x / 255) and made uniform first, exactly as
in the in-memory path. The batches are merged in file order, so the result
does not depend on the number of workers.

**The cap**: with more than ``max_images`` files, the statistics come from
``max_images`` files spread evenly over the list (every k-th, so each class
folder contributes in proportion to its size); the result says how many were
read.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from PIL import Image
    >>> from trainlab.data.stream.fit import fit_stream_preprocessor
    >>> d = Path(tempfile.mkdtemp())
    >>> Image.new("L", (2, 2), 0).save(d / "a.png"); Image.new("L", (2, 2), 255).save(d / "b.png")
    >>> fitted = fit_stream_preprocessor([d / "a.png", d / "b.png"], workers=0)
    >>> fitted.preprocessor.normalizer.stats["mean"].ravel().tolist(), fitted.read
    ([0.5], 2)
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

from trainlab.core.errors import ConfigError, DataError
from trainlab.data.stream.dataset import ImageFileDataset, ReadFailure
from trainlab.data.stream.transform import ImageTransform
from trainlab.preprocess.image.fit import Fit, scale_pixels
from trainlab.preprocess.normalize import Normalizer, build_normalizer
from trainlab.preprocess.pipeline import Preprocessor

_EPS64 = float(np.finfo(np.float64).eps)


@dataclass(frozen=True)
class StreamFit:
    """A preprocessor fitted by streaming, and how many files it read.

    Attributes:
        preprocessor: pixel scaling and the fitted normalizer.
        read: files read for the statistics (at most the cap).
        total: files given.
    """

    preprocessor: Preprocessor
    read: int
    total: int


class _Moments:
    """Running count, mean, M₂, min and max over the reduction axes (Chan et al.)."""

    def __init__(self) -> None:
        self.n = 0
        self.mean: np.ndarray | None = None
        self.m2: np.ndarray | None = None
        self.lo: np.ndarray | None = None
        self.hi: np.ndarray | None = None

    def add(self, x: np.ndarray, axes: tuple[int, ...]) -> None:
        """Merge the float64 batch ``x`` (B, C, H, W), reduced over ``axes`` (keepdims)."""
        nb = int(np.prod([x.shape[a] for a in axes]))
        mean_b = x.mean(axis=axes, keepdims=True)
        m2_b = ((x - mean_b) ** 2).sum(axis=axes, keepdims=True)
        lo_b, hi_b = x.min(axis=axes, keepdims=True), x.max(axis=axes, keepdims=True)
        if self.mean is None or self.m2 is None or self.lo is None or self.hi is None:
            self.n, self.mean, self.m2, self.lo, self.hi = nb, mean_b, m2_b, lo_b, hi_b
            return
        n = self.n + nb
        delta = mean_b - self.mean
        self.mean = self.mean + delta * (nb / n)
        self.m2 = self.m2 + m2_b + delta**2 * (self.n * nb / n)
        self.lo, self.hi = np.minimum(self.lo, lo_b), np.maximum(self.hi, hi_b)
        self.n = n


class _Uniform(Dataset):
    """The uniform uint8 images of a dataset (no scaling), for the statistics."""

    def __init__(self, dataset: ImageFileDataset) -> None:
        self.dataset = dataset

    def __len__(self) -> int:
        return len(self.dataset)

    def __getitem__(self, i: int) -> tuple[np.ndarray, int] | ReadFailure:
        try:
            return self.dataset.decode(i), i
        except DataError as exc:
            return ReadFailure(str(exc))


def _as_list(items: list) -> list:
    return items  # images may differ in size: merged one by one


def spread(total: int, cap: int | None) -> np.ndarray:
    """Indices of at most ``cap`` of ``total`` items, evenly spread and sorted (``None``: all).

    Example:
        >>> spread(10, 4).tolist(), spread(3, 5).tolist()
        ([0, 3, 6, 9], [0, 1, 2])
    """
    if cap is None or total <= cap:
        return np.arange(total, dtype=np.int64)
    return np.unique(np.round(np.linspace(0, total - 1, cap)).astype(np.int64))


def chosen_files(count: int, cap: int | None, cap_name: str) -> np.ndarray:
    """The indices of the training files a stream fit reads: :func:`spread`, the request checked.

    Raises:
        ConfigError: no files, or a cap below 1 (named ``cap_name``).

    Example:
        >>> chosen_files(5, 2, "max_images").tolist()
        [0, 4]
    """
    if count == 0:
        raise ConfigError("stream statistics: expected training files, got none")
    if cap is not None and cap < 1:
        raise ConfigError(f"stream statistics: {cap_name} must be at least 1, got {cap}")
    return spread(count, cap)


def fit_stream_preprocessor(
    paths: Sequence[str | Path] | np.ndarray,
    *,
    size: tuple[int, int] | None = None,
    fit: Fit = "pad",
    channels: int | None = None,
    pixel_scale: bool = True,
    normalize: str = "standard",
    per: str = "channel",
    max_images: int | None = 10_000,
    workers: int = 2,
    batch_size: int = 64,
) -> StreamFit:
    """Fit the preprocessing of the in-memory path on image files, streaming them.

    Args:
        paths: the training files (only these: nothing is fitted on other splits).
        size, fit, channels: the uniform size and channels, as in
            :class:`~trainlab.data.stream.transform.ImageTransform`.
        pixel_scale: scale uint8 pixels to [0, 1] first.
        normalize: ``standard`` (mean and σ), ``minmax``, ``unit-norm`` or ``none``.
        per: statistics per ``channel``, ``global`` or ``feature`` (per position:
            the images must then share one size).
        max_images: read at most this many files, spread evenly over ``paths``
            (``None``: every file). With the default, 10,000, the standard
            error of a channel mean is 1% of the spread of the images' own
            means (about 10⁻³ for a spread of 0.1 in pixels scaled to [0, 1]).
        workers: worker processes decoding the files (0 in a daemonic process).
        batch_size: files decoded per worker task.

    Returns:
        A :class:`StreamFit`: the fitted preprocessor, and the number of files read.

    Raises:
        ConfigError: no files, a cap below 1, or an unknown normalizer or ``per``.
        DataError: a file cannot be read (named), or ``per="feature"`` with mixed sizes.

    Example:
        >>> fit_stream_preprocessor([], workers=0)
        Traceback (most recent call last):
        ...
        trainlab.core.errors.ConfigError: stream statistics: expected training files, got none
    """
    index = chosen_files(len(paths), max_images, "max_images")
    normalizer = build_normalizer(normalize, per)
    dataset = ImageFileDataset(
        np.asarray([str(p) for p in paths])[index],
        np.zeros(len(index), dtype=np.int64),
        ImageTransform(size=size, fit=fit, channels=channels),
    )
    loader = DataLoader(
        _Uniform(dataset),
        batch_size=batch_size,
        num_workers=0 if multiprocessing.current_process().daemon else workers,
        collate_fn=_as_list,
        generator=torch.Generator(),  # the loader draws a seed: not from the global generator
    )
    moments, first, shapes = _read_moments(loader, dataset, normalizer, pixel_scale)
    state = {
        "pixel_scale": pixel_scale,
        "normalizer": _normalizer_state(normalizer, moments),
        "input_dtype": "uint8",
        "input_shape": list(first) if len(shapes) == 1 else None,
        "value_range": [float(moments.lo.min()), float(moments.hi.max())],  # type: ignore[union-attr]
    }
    return StreamFit(Preprocessor.from_state_dict(state), read=len(index), total=len(paths))


def _read_moments(loader, dataset: ImageFileDataset, normalizer, pixel_scale: bool):
    """The moments of every image the loader reads, the first image's shape, and all shapes."""
    moments = _Moments()
    shapes: set[tuple[int, ...]] = set()
    first: tuple[int, ...] = ()
    axes = normalizer.reduction_axes(4)
    for images in loader:
        for item in images:
            if isinstance(item, ReadFailure):
                raise DataError(item.message)
            img, i = item
            first = first or img.shape
            _check_like(img.shape, first, normalizer.per, dataset.path(i))
            shapes.add(img.shape)
            x = scale_pixels(img) if pixel_scale else img.astype(np.float32)
            moments.add(x[None].astype(np.float64), axes)
    return moments, first, shapes


def _check_like(shape: tuple[int, ...], first: tuple[int, ...], per: str, path: str) -> None:
    """A ``DataError`` naming ``path`` when its image cannot join the statistics of the first."""
    if shape[0] != first[0]:
        raise DataError(
            f"{path}: an image of {shape[0]} channels among images of {first[0]}; "
            "set one channel count (preprocess.image.channels)"
        )
    if per == "feature" and shape != first:
        raise DataError(
            f"{path}: an image of size {shape[1]}x{shape[2]} among images of "
            f"{first[1]}x{first[2]}; per-feature statistics need one size (preprocess.image.size)"
        )


def _normalizer_state(normalizer: Normalizer, m: _Moments) -> dict:
    """A ``Normalizer.state_dict`` from the merged moments, by the in-memory formulas."""
    assert m.mean is not None and m.m2 is not None and m.lo is not None and m.hi is not None
    name = normalizer.name
    stats: dict[str, np.ndarray] = {}
    if name == "standard":  # StandardNormalizer: population σ, constant → 1
        var = m.m2 / m.n
        constant = var <= m.n * _EPS64 * var + (m.n * m.mean * _EPS64) ** 2
        stats = {"mean": m.mean[0], "scale": np.where(constant, 1.0, np.sqrt(var))[0]}
    elif name == "minmax":  # MinMaxNormalizer: a range below 10 ε → 1
        rng = m.hi - m.lo
        stats = {"min": m.lo[0], "range": np.where(rng < 10 * _EPS64, 1.0, rng)[0]}
    shape = list(next(iter(stats.values())).shape) if stats else None
    return {
        "name": name,
        "per": normalizer.per,
        "shape": shape,
        "stats": {k: v.ravel().tolist() for k, v in stats.items()},
    }
