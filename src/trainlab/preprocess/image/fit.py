"""Image preprocessing: pixel scaling, uniform size and aspect ratio, channels.

The lecture's image preprocessing (after Nikhil B., *Image Data
Pre-Processing for Neural Networks*, 2017):

- **pixel scaling**: uint8 values in {0, …, 255} become float32 x / 255 in [0, 1];
- **uniform aspect ratio**: every image is brought to one size (H, W) by one of
  three fits, for an image of size (h, w):

  - ``"pad"`` (letterbox): resize by s = min(H / h, W / w), keeping the aspect
    ratio so the image fits inside, then pad symmetrically with zeros;
  - ``"crop"``: resize by s = max(H / h, W / w) so the image covers the target,
    then crop the centre;
  - ``"squish"``: resize to (H, W), changing the aspect ratio.

  The resized size is (round(h·s), round(w·s)). All resizing is done with
  Pillow's ``Image.resize(..., Image.BILINEAR)`` one channel at a time (mode
  "L" for uint8, mode "F" for float), which antialiases when shrinking and
  gives the same values as resizing the "RGB" image; uint8 stays uint8
  (rounded by Pillow), float becomes float32.
- **channels**: grayscale → RGB repeats the channel; RGB → grayscale uses the
  ITU-R 601-2 luma L = 0.299 R + 0.587 G + 0.114 B (Pillow's ``convert("L")``);
  an alpha channel (2 or 4 channels) is dropped.

Images are channel-first numpy arrays (C, H, W); batches are (N, C, H, W).

Example:
    >>> import numpy as np
    >>> from trainlab.preprocess.image.fit import fit_image, make_uniform, scale_pixels
    >>> img = np.full((3, 20, 40), 255, dtype=np.uint8)
    >>> out = fit_image(img, (32, 32), fit="pad")
    >>> out.shape, int(out[:, :8].max()), int(out[:, 8:24].min())
    ((3, 32, 32), 0, 255)
    >>> batch = make_uniform([img, np.zeros((1, 32, 32), np.uint8)], (16, 16), "crop", None)
    >>> batch.shape, batch.dtype
    ((2, 3, 16, 16), dtype('uint8'))
    >>> float(scale_pixels(batch).max())
    1.0
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Literal, get_args

import numpy as np
from PIL import Image

from trainlab.core.errors import ConfigError, DataError

Fit = Literal["pad", "crop", "squish"]
FIT_CHOICES: tuple[str, ...] = get_args(Fit)

_BILINEAR = Image.Resampling.BILINEAR

#: ITU-R 601-2 luma weights for R, G, B (Pillow's ``convert("L")``)
LUMA_WEIGHTS: tuple[float, float, float] = (0.299, 0.587, 0.114)


def scale_pixels(x: np.ndarray) -> np.ndarray:
    """Scale uint8 pixels to float32 in [0, 1]; float input is only cast to float32.

    Args:
        x: an image or batch of any shape, uint8 or floating.

    Returns:
        float32 array: ``x / 255`` for uint8, ``x`` itself (no copy when already
        float32) for floating input.

    Raises:
        DataError: another dtype (e.g. int64), whose value range is ambiguous.

    Example:
        >>> import numpy as np
        >>> from trainlab.preprocess.image.fit import scale_pixels
        >>> scale_pixels(np.array([0, 51, 255], dtype=np.uint8))
        array([0. , 0.2, 1. ], dtype=float32)
    """
    x = np.asarray(x)
    if x.dtype == np.uint8:
        return x.astype(np.float32) / np.float32(255.0)
    if np.issubdtype(x.dtype, np.floating):
        return x.astype(np.float32, copy=False)
    raise DataError(
        f"pixel scaling: expected uint8 or float pixels, got {x.dtype}; "
        "cast the images to uint8 (0-255) or to float first"
    )


def fit_image(img: np.ndarray, size: tuple[int, int], fit: Fit = "pad") -> np.ndarray:
    """Bring one image (C, H, W) to ``size`` by padding, cropping or squishing.

    Args:
        img: a channel-first image, uint8 or float.
        size: target (height, width).
        fit: ``"pad"`` (resize to fit inside, zero-pad symmetrically),
            ``"crop"`` (resize to cover, crop the centre) or ``"squish"``
            (plain resize).

    Returns:
        Array (C, size[0], size[1]): uint8 for uint8 input, float32 otherwise.

    Example:
        >>> import numpy as np
        >>> from trainlab.preprocess.image.fit import fit_image
        >>> img = np.ones((1, 20, 40), dtype=np.float32)
        >>> out = fit_image(img, (32, 32), fit="pad")
        >>> out.shape, out[0, :, 0].nonzero()[0][[0, -1]].tolist()
        ((1, 32, 32), [8, 23])
        >>> fit_image(img, (32, 32), fit="crop").min()
        np.float32(1.0)
    """
    img = _as_image(img, "fit_image")
    target_h, target_w = _check_size(size)
    if fit not in FIT_CHOICES:
        raise ConfigError(
            f"preprocess.image.fit: expected one of {', '.join(FIT_CHOICES)}, got {fit!r}"
        )
    _, h, w = img.shape
    if (h, w) == (target_h, target_w):
        return img if img.dtype == np.uint8 else img.astype(np.float32, copy=False)
    if fit == "squish":
        return _resize(img, (target_h, target_w))
    scale = (min if fit == "pad" else max)(target_h / h, target_w / w)
    new_h, new_w = max(1, round(h * scale)), max(1, round(w * scale))
    if fit == "pad":
        new_h, new_w = min(new_h, target_h), min(new_w, target_w)
        resized = _resize(img, (new_h, new_w))
        top, left = (target_h - new_h) // 2, (target_w - new_w) // 2
        out = np.zeros((img.shape[0], target_h, target_w), dtype=resized.dtype)
        out[:, top : top + new_h, left : left + new_w] = resized
        return out
    new_h, new_w = max(new_h, target_h), max(new_w, target_w)
    resized = _resize(img, (new_h, new_w))
    top, left = (new_h - target_h) // 2, (new_w - target_w) // 2
    return np.ascontiguousarray(resized[:, top : top + target_h, left : left + target_w])


def convert_channels(img: np.ndarray, channels: int) -> np.ndarray:
    """Convert an image (C, H, W) to ``channels`` channels.

    1 → 3 repeats the channel; 3 → 1 is the ITU-R 601-2 luma
    0.299 R + 0.587 G + 0.114 B (rounded for uint8, as Pillow's ``convert("L")``);
    an alpha channel (2 = LA, 4 = RGBA) is dropped; converting to 2 or 4
    channels appends an opaque alpha (255 for uint8, 1.0 for float).

    Args:
        img: a channel-first image with 1 to 4 channels, uint8 or float.
        channels: 1, 2, 3 or 4.

    Returns:
        uint8 for uint8 input, float32 for float input (``img`` itself when it
        already has ``channels`` channels and one of these dtypes).

    Example:
        >>> import numpy as np
        >>> from trainlab.preprocess.image.fit import convert_channels
        >>> rgb = np.array([255, 0, 0], dtype=np.uint8).reshape(3, 1, 1)
        >>> convert_channels(rgb, 1).ravel(), convert_channels(rgb, 1).dtype
        (array([76], dtype=uint8), dtype('uint8'))
        >>> convert_channels(np.ones((1, 2, 2)), 3).shape
        (3, 2, 2)
    """
    img = _as_image(img, "convert_channels")
    if channels not in (1, 2, 3, 4):
        raise ConfigError(f"preprocess.image.channels: expected 1, 2, 3 or 4, got {channels}")
    c = img.shape[0]
    is_uint8 = img.dtype == np.uint8
    if c == channels:
        return img if is_uint8 else img.astype(np.float32, copy=False)
    if c not in (1, 2, 3, 4):
        raise DataError(f"convert_channels: expected 1 to 4 channels, got {c}")
    color = img[: c - 1] if c in (2, 4) else img  # drop alpha: 1 or 3 channels left
    want_color = 1 if channels in (1, 2) else 3
    if color.shape[0] == want_color:
        base = color
    elif want_color == 3:
        base = np.repeat(color, 3, axis=0)
    else:
        r, g, b = (color[i].astype(np.float64) for i in range(3))
        luma = LUMA_WEIGHTS[0] * r + LUMA_WEIGHTS[1] * g + LUMA_WEIGHTS[2] * b
        if is_uint8:
            base = np.clip(np.floor(luma + 0.5), 0, 255).astype(np.uint8)[None]
        else:
            base = luma.astype(np.float32)[None]
    if channels in (2, 4):
        alpha = np.full((1, *base.shape[1:]), 255 if is_uint8 else 1.0, dtype=base.dtype)
        base = np.concatenate([base, alpha], axis=0)
    base = np.ascontiguousarray(base)
    return base if is_uint8 else base.astype(np.float32, copy=False)


def make_uniform(
    images: Sequence[np.ndarray] | np.ndarray,
    size: tuple[int, int] | None = None,
    fit: Fit = "pad",
    channels: int | None = None,
) -> np.ndarray:
    """Stack images of mixed sizes and channel counts into one batch (N, C, H, W).

    Args:
        images: a list of images (C, H, W) (or (H, W), read as one channel), or
            an already stacked batch (N, C, H, W).
        size: target (height, width); None keeps a common size, or picks the
            median height and width when sizes differ (with a warning).
        fit: ``"pad"``, ``"crop"`` or ``"squish"`` (see :func:`fit_image`).
        channels: target channel count; None keeps a common count, or converts
            all to 3 (RGB) when counts differ.

    Returns:
        A batch (N, C, H, W): uint8 when every image is uint8, float32 when every
        image is float. A stacked batch that needs no change is returned as is
        (no copy).

    Raises:
        DataError: no images, bad shapes, or a mix of uint8 and float images
            (their value ranges differ; scale them first).

    Example:
        >>> import numpy as np
        >>> from trainlab.preprocess.image.fit import make_uniform
        >>> imgs = [np.zeros((1, 10, 10), np.uint8), np.zeros((3, 10, 20), np.uint8)]
        >>> make_uniform(imgs, size=(8, 8), fit="squish", channels=None).shape
        (2, 3, 8, 8)
    """
    if fit not in FIT_CHOICES:
        raise ConfigError(
            f"preprocess.image.fit: expected one of {', '.join(FIT_CHOICES)}, got {fit!r}"
        )
    if size is not None:
        size = _check_size(size)
    if isinstance(images, np.ndarray):
        if images.ndim != 4:
            raise DataError(
                f"make_uniform: expected a batch (N, C, H, W) or a list of images, "
                f"got an array of shape {images.shape}"
            )
        _, c, h, w = images.shape
        if (size is None or size == (h, w)) and (channels is None or channels == c):
            return images
    items = [_as_image(im, f"make_uniform image {i}") for i, im in enumerate(images)]
    if not items:
        raise DataError("make_uniform: got no images")
    kinds = {im.dtype == np.uint8 for im in items}
    if len(kinds) > 1:
        raise DataError(
            "make_uniform: got a mix of uint8 and float images; "
            "scale them to one range first (scale_pixels)"
        )

    counts = {im.shape[0] for im in items}
    if channels is None:
        channels = counts.pop() if len(counts) == 1 else 3
    sizes = {im.shape[1:] for im in items}
    if size is None:
        if len(sizes) == 1:
            size = next(iter(sizes))
        else:
            size = (
                round(float(np.median([im.shape[1] for im in items]))),
                round(float(np.median([im.shape[2] for im in items]))),
            )
            warnings.warn(
                f"images have {len(sizes)} different sizes; resizing all to "
                f"{size[0]}x{size[1]} (the median height and width) with fit={fit!r}; "
                f"set preprocess.image.size (e.g. preprocess.image.size=[{size[0]}, {size[1]}]) "
                "to choose the size",
                UserWarning,
                stacklevel=2,
            )
    out = [fit_image(convert_channels(im, channels), size, fit) for im in items]
    return np.stack(out)


# -- helpers -----------------------------------------------------------------
def _resize(img: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Bilinear (antialiased) Pillow resize of each channel of (C, H, W) to ``size``."""
    h, w = size
    if img.dtype == np.uint8:
        planes = [np.ascontiguousarray(p) for p in img]  # mode "L"
    else:
        planes = [np.ascontiguousarray(p, dtype=np.float32) for p in img]  # mode "F"
    out = [np.asarray(Image.fromarray(p).resize((w, h), _BILINEAR)) for p in planes]
    return np.stack(out)


def _as_image(img: np.ndarray, what: str) -> np.ndarray:
    """``img`` as a (C, H, W) uint8 or float array ((H, W) gets one channel)."""
    img = np.asarray(img)
    if img.ndim == 2:
        img = img[None]
    if img.ndim != 3 or min(img.shape) == 0:
        raise DataError(f"{what}: expected an image (C, H, W), got shape {img.shape}")
    if img.dtype != np.uint8 and not np.issubdtype(img.dtype, np.floating):
        raise DataError(
            f"{what}: expected uint8 or float pixels, got {img.dtype}; cast the image first"
        )
    return img


def _check_size(size: Sequence[int]) -> tuple[int, int]:
    """``size`` as a validated (height, width) pair of positive ints."""
    try:
        h, w = (int(s) for s in size)
    except (TypeError, ValueError):
        raise ConfigError(
            f"preprocess.image.size: expected [height, width], got {size!r}"
        ) from None
    if h <= 0 or w <= 0:
        raise ConfigError(f"preprocess.image.size: expected positive sizes, got {size!r}")
    return h, w
