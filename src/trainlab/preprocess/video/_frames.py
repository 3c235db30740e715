"""Frame checks and grayscale conversion shared by the video kernels.

Frames of one clip are a uint8 array (F, H, W, C), channels last (OpenCV's
layout), with C = 1 (gray), 3 (RGB) or 4 (RGBA, alpha ignored). Grayscale is
OpenCV's ``cv2.cvtColor`` (RGB → gray: 0.299 R + 0.587 G + 0.114 B, rounded),
applied to the whole clip at once (the colour conversion is per pixel, so it
equals converting frame by frame).

Example:
    >>> import numpy as np
    >>> from trainlab.preprocess.video._frames import to_gray
    >>> rgb = np.zeros((2, 1, 1, 3), np.uint8)
    >>> rgb[..., 0] = 255
    >>> to_gray(rgb).ravel().tolist()
    [76, 76]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from trainlab.core.errors import DataError


def as_frames(frames: Any, what: str) -> np.ndarray:
    """``frames`` as a contiguous uint8 array (F, H, W, C) with F >= 1, C in {1, 3, 4}."""
    x = np.asarray(frames)
    if x.ndim != 4 or min(x.shape) == 0 or x.shape[-1] not in (1, 3, 4):
        raise DataError(
            f"{what}: expected frames (F, H, W, C) with C = 1, 3 or 4 and no empty axis, "
            f"got shape {x.shape}"
        )
    if x.dtype != np.uint8:
        raise DataError(f"{what}: expected uint8 frames, got {x.dtype}")
    return np.ascontiguousarray(x)


def to_gray(frames: np.ndarray) -> np.ndarray:
    """Grayscale (F, H, W) uint8 of validated frames (F, H, W, C) by ``cv2.cvtColor``."""
    import cv2

    f, h, w, c = frames.shape
    if c == 1:
        return np.ascontiguousarray(frames[..., 0])
    code = cv2.COLOR_RGB2GRAY if c == 3 else cv2.COLOR_RGBA2GRAY
    return cv2.cvtColor(frames.reshape(f * h, w, c), code).reshape(f, h, w)


def color_planes(frames: np.ndarray) -> np.ndarray:
    """The colour frames without alpha: (F, H, W) for gray, (F, H, W, 3) for RGB(A)."""
    c = frames.shape[-1]
    if c == 1:
        return np.ascontiguousarray(frames[..., 0])
    return np.ascontiguousarray(frames[..., :3]) if c == 4 else frames
