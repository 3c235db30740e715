"""One streamed image to model input: uniform size and channels, pixel scaling, normalization.

The steps and the arithmetic of the in-memory path, applied to one image:
``convert_channels`` then ``fit_image`` (``preprocess.image``: pad, crop or
squish to (H, W)), then a fitted :class:`~trainlab.preprocess.pipeline.Preprocessor`:
pixel scaling x / 255 and the normalizer, e.g. standardization per channel
x' = (x − μ_c) / σ_c (LeCun, Bottou, Orr & Müller, 1998, "Efficient BackProp").

For uint8 images and a normalizer that maps each value on its own with one
statistic per channel or one in all (standard, minmax, none), an 8-bit channel
has only 256 values: the preprocessor itself maps them once into a table
(C, 256), and an image costs one table look-up per pixel, with values
bit-identical to ``Preprocessor.transform`` on the stacked images (by
OpenCV's ``cv2.LUT`` when it imports, else ``numpy.take``: the same values).
Other normalizers (``per="feature"``, unit-norm) call ``transform`` on each image.

Example:
    >>> import numpy as np
    >>> from trainlab.data.stream.transform import ImageTransform, standard_preprocessor
    >>> t = ImageTransform(size=(4, 4), fit="squish", channels=3,
    ...                    preprocessor=standard_preprocessor([0.5] * 3, [0.25] * 3))
    >>> out = t(np.full((1, 8, 8), 255, np.uint8))
    >>> out.shape, out.dtype.name, float(out.max())
    ((3, 4, 4), 'float32', 2.0)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from trainlab.core.errors import ConfigError, DataError
from trainlab.preprocess.image.fit import (
    FIT_CHOICES,
    Fit,
    convert_channels,
    fit_image,
    scale_pixels,
)
from trainlab.preprocess.pipeline import Preprocessor

#: normalizers that map every value on its own (a look-up table is exact for them)
_ELEMENTWISE = ("standard", "minmax", "none")


def standard_preprocessor(
    mean: Sequence[float], std: Sequence[float], *, pixel_scale: bool = True
) -> Preprocessor:
    """A fitted preprocessor that scales pixels and standardizes with given per-channel statistics.

    Args:
        mean: one mean per channel (of the scaled pixels), e.g. ImageNet's
            ``(0.485, 0.456, 0.406)``; one value for every channel alike.
        std: one standard deviation per channel, all positive.
        pixel_scale: scale uint8 pixels to [0, 1] before standardizing.

    Returns:
        A :class:`~trainlab.preprocess.pipeline.Preprocessor` with the statistics
        of a ``standard`` normalizer ``per="channel"`` (``"global"`` for one value).

    Raises:
        ConfigError: the lengths differ, or a value is not finite or a std not positive.

    Example:
        >>> pre = standard_preprocessor([0.5], [0.5])
        >>> pre.transform(np.array([[[[0, 255]]]], np.uint8)).tolist()
        [[[[-1.0, 1.0]]]]
    """
    m = np.asarray(mean, dtype=np.float64).ravel()
    s = np.asarray(std, dtype=np.float64).ravel()
    if len(m) != len(s) or len(m) == 0:
        raise ConfigError(
            f"stream normalization: expected as many means as stds, got {len(m)} and {len(s)}"
        )
    if not (np.isfinite(m).all() and np.isfinite(s).all() and (s > 0).all()):
        raise ConfigError(
            f"stream normalization: expected finite means and positive stds, got "
            f"mean={m.tolist()}, std={s.tolist()}"
        )
    normalizer = {
        "name": "standard",
        "per": "channel" if len(m) > 1 else "global",
        "shape": [len(m), 1, 1],
        "stats": {"mean": m.tolist(), "scale": s.tolist()},
    }
    state = {"pixel_scale": pixel_scale, "normalizer": normalizer, "input_dtype": "uint8"}
    return Preprocessor.from_state_dict({**state, "input_shape": None, "value_range": None})


@dataclass(frozen=True)
class ImageTransform:
    """Bring a decoded uint8 image (C, H, W) to model input, float32 (C', H', W').

    Args:
        size: target (height, width); ``None`` keeps each image's size (the
            images of a batch must then share one).
        fit: ``"pad"``, ``"crop"`` or ``"squish"`` (see ``preprocess.image.fit``).
        channels: target channel count (1 to 4); ``None`` keeps each image's.
        preprocessor: a fitted preprocessor (pixel scaling and normalization);
            ``None`` only scales the pixels to [0, 1].

    Example:
        >>> t = ImageTransform(size=(2, 2), channels=1)
        >>> t.uniform(np.zeros((3, 4, 4), np.uint8)).shape, t(np.zeros((3, 4, 4), np.uint8)).dtype
        ((1, 2, 2), dtype('float32'))
    """

    size: tuple[int, int] | None = None
    fit: Fit = "pad"
    channels: int | None = None
    preprocessor: Preprocessor | None = None
    _table: np.ndarray | None = field(default=None, init=False, repr=False, compare=False)
    _lut: Callable[..., Any] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.size is not None:
            try:
                h, w = (int(v) for v in self.size)
            except (TypeError, ValueError):
                raise ConfigError(
                    f"stream size: expected [height, width], got {self.size!r}"
                ) from None
            if h <= 0 or w <= 0:
                raise ConfigError(f"stream size: expected positive sizes, got {self.size!r}")
            object.__setattr__(self, "size", (h, w))
        if self.fit not in FIT_CHOICES:
            raise ConfigError(
                f"stream fit: expected one of {', '.join(FIT_CHOICES)}, got {self.fit!r}"
            )
        if self.channels is not None and self.channels not in (1, 2, 3, 4):
            raise ConfigError(f"stream channels: expected 1, 2, 3 or 4, got {self.channels!r}")
        pre = self.preprocessor
        if pre is not None and not pre.normalizer.fitted:
            raise ConfigError(
                "stream preprocessor: not fitted; fit it on the training images first"
            )
        object.__setattr__(self, "_table", _lookup_table(pre))
        object.__setattr__(self, "_lut", _opencv_lut())

    def uniform(self, img: np.ndarray) -> np.ndarray:
        """The image with the target channels and size, still uint8 (C', H', W')."""
        if self.channels is not None:
            img = convert_channels(img, self.channels)
        if self.size is not None:
            img = fit_image(img, self.size, self.fit)
        return img

    def normalize(self, img: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """Model input for a uniform image (see :meth:`uniform`): float32, written to ``out``.

        Args:
            img: a uint8 (or float) image (C, H, W).
            out: a float32 array (C, H, W) to write into (e.g. a slot of a batch).

        Returns:
            ``out``, or a new float32 array.
        """
        if out is None:
            out = np.empty(img.shape, dtype=np.float32)
        table = self._table
        if table is None or img.dtype != np.uint8:
            pre = self.preprocessor
            out[...] = scale_pixels(img) if pre is None else pre.transform(img[None])[0]
            return out
        if table.shape[0] not in (1, img.shape[0]):
            raise DataError(
                f"stream normalization: an image has {img.shape[0]} channels, the statistics "
                f"were fitted on {table.shape[0]}; set one channel count "
                "(preprocess.image.channels)"
            )
        for c in range(img.shape[0]):
            row = table[c if table.shape[0] > 1 else 0]
            if self._lut is not None:  # no index temporaries: about 1.4x faster
                dst = out[c]
                got = self._lut(img[c], row, dst=dst)
                if got.ctypes.data != dst.ctypes.data:  # OpenCV wrote elsewhere
                    dst[...] = got
            else:
                np.take(row, img[c], out=out[c])
        return out

    def __call__(self, img: np.ndarray) -> np.ndarray:
        """Model input for a decoded uint8 image: float32 (C', H', W')."""
        return self.normalize(self.uniform(img))


def _opencv_lut() -> Callable[..., Any] | None:
    """``cv2.LUT``, or None when OpenCV does not import (an optional dependency)."""
    try:
        import cv2
    except Exception:  # missing, or a broken install (libGL, ABI): numpy does it
        return None
    return cv2.LUT


def _lookup_table(pre: Preprocessor | None) -> np.ndarray | None:
    """(C, 256) float32: the model input for each uint8 value of each channel, or ``None``.

    Computed by the preprocessor itself on a (1, C, 256, 1) batch of every value.
    """
    values = np.arange(256, dtype=np.uint8)
    if pre is None:
        return scale_pixels(values)[None]
    norm = pre.normalizer
    if norm.name not in _ELEMENTWISE or (norm.per == "feature" and not norm.stateless):
        return None
    shape = norm.stats_shape
    c = shape[0] if shape else 1
    probe = np.ascontiguousarray(np.broadcast_to(values[None, None, :, None], (1, c, 256, 1)))
    return np.ascontiguousarray(pre.transform(probe)[0, :, :, 0], dtype=np.float32)
