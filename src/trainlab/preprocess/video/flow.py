"""Dense optical flow of a clip, frame t to frame t+1, through OpenCV.

The flow of frame t is the displacement (dx, dy), in pixels, that carries
each pixel of frame t to where it appears in frame t+1:
frame_t(y, x) ≈ frame_{t+1}(y + dy, x + dx). The last frame has no successor
and repeats the flow of the frame before it (a one-frame clip has zero flow).
Frames are converted to grayscale with ``cv2.cvtColor`` first.

Two methods:

- ``"farneback"``: Farnebäck's polynomial-expansion flow (G. Farnebäck, *Two-Frame
  Motion Estimation Based on Polynomial Expansion*, SCIA 2003), by
  ``cv2.calcOpticalFlowFarneback`` with the parameters of OpenCV's optical-flow
  tutorial and ``samples/python/opt_flow.py`` unless given: ``pyr_scale=0.5,
  levels=3, winsize=15, iterations=3, poly_n=5, poly_sigma=1.2, flags=0``;
- ``"dis"``: Dense Inverse Search (T. Kroeger, R. Timofte, D. Dai, L. Van Gool,
  *Fast Optical Flow using Dense Inverse Search*, ECCV 2016), by
  ``cv2.DISOpticalFlow_create`` with ``preset="medium"`` (default), ``"fast"`` or
  ``"ultrafast"``.

:func:`flow_to_color` draws a flow field the usual way (hue = direction,
brightness = speed) for previews.

Example:
    >>> import numpy as np
    >>> from trainlab.preprocess.video.flow import flow_to_color, optical_flow
    >>> rng = np.random.default_rng(0)
    >>> img = rng.integers(0, 256, (48, 48), dtype=np.uint8).repeat(2, 0).repeat(2, 1)
    >>> clip = np.stack([np.roll(img, 2 * t, axis=1) for t in range(3)])[..., None]
    >>> flow = optical_flow(clip, "farneback")
    >>> flow.shape, flow.dtype
    ((3, 2, 96, 96), dtype('float32'))
    >>> round(float(np.median(flow[:, 0, 16:-16, 16:-16])), 1)  # dx: 2 pixels right
    2.0
    >>> flow_to_color(flow[0]).shape
    (96, 96, 3)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from trainlab.core.errors import ConfigError, DataError
from trainlab.preprocess.audio._checks import check_choice, check_float
from trainlab.preprocess.video._frames import as_frames, to_gray

#: the parameters of ``cv2.calcOpticalFlowFarneback`` used unless given (OpenCV's tutorial)
FARNEBACK_DEFAULTS: dict[str, float | int] = {
    "pyr_scale": 0.5,
    "levels": 3,
    "winsize": 15,
    "iterations": 3,
    "poly_n": 5,
    "poly_sigma": 1.2,
    "flags": 0,
}
#: the presets of ``cv2.DISOpticalFlow_create``
DIS_PRESETS: tuple[str, ...] = ("medium", "fast", "ultrafast")
DIS_DEFAULTS: dict[str, str] = {"preset": "medium"}
#: OpenCV's DIS needs frames at least this wide or tall
DIS_MIN_SIZE = 12


def _farneback(params: dict[str, Any]) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    import cv2

    p = {**FARNEBACK_DEFAULTS, **params}
    args = (p["pyr_scale"], p["levels"], p["winsize"], p["iterations"], p["poly_n"])
    sigma, flags = float(p["poly_sigma"]), int(p["flags"])

    def pair(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return cv2.calcOpticalFlowFarneback(a, b, None, *args, sigma, flags)

    return pair


def _dis(params: dict[str, Any]) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    import cv2

    preset = check_choice("dis preset", {**DIS_DEFAULTS, **params}["preset"], DIS_PRESETS)
    code = getattr(cv2, f"DISOPTICAL_FLOW_PRESET_{preset.upper()}")
    dis = cv2.DISOpticalFlow_create(code)
    return lambda a, b: dis.calc(a, b, None)


#: method name → (factory of a pair function, the parameters it accepts)
FLOW_METHODS: dict[str, tuple[Callable[..., Any], tuple[str, ...]]] = {
    "farneback": (_farneback, tuple(FARNEBACK_DEFAULTS)),
    "dis": (_dis, tuple(DIS_DEFAULTS)),
}


def check_flow_params(method: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """``(method, params)`` checked: a known method and only the parameters it takes."""
    method = check_choice("flow method", method, tuple(FLOW_METHODS))
    allowed = FLOW_METHODS[method][1]
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise ConfigError(
            f"optical_flow({method!r}): unknown parameter {unknown[0]!r}; "
            f"expected {', '.join(allowed)}"
        )
    return method, params


def gray_flow(gray: np.ndarray, method: str = "farneback", **params: Any) -> np.ndarray:
    """:func:`optical_flow` of a grayscale clip (F, H, W) uint8 (no colour conversion)."""
    method, params = check_flow_params(method, params)
    f, h, w = gray.shape
    if method == "dis" and max(h, w) < DIS_MIN_SIZE:
        raise DataError(
            f"optical_flow('dis'): expected frames at least {DIS_MIN_SIZE} pixels wide or "
            f"tall, got {h}x{w}; use 'farneback' for such small frames"
        )
    out = np.zeros((f, 2, h, w), dtype=np.float32)
    if f < 2:
        return out
    pair = FLOW_METHODS[method][0](params)
    for t in range(f - 1):
        out[t] = pair(gray[t], gray[t + 1]).transpose(2, 0, 1)
    out[f - 1] = out[f - 2]
    return out


def optical_flow(frames: np.ndarray, method: str = "farneback", **params: Any) -> np.ndarray:
    """Dense optical flow of each frame to the next, (F, 2, H, W) float32 (dx, dy in pixels).

    Args:
        frames: one clip, uint8 (F, H, W, C), C = 1, 3 (RGB) or 4 (RGBA).
        method: ``"farneback"`` or ``"dis"``.
        **params: for ``"farneback"``, any of ``pyr_scale, levels, winsize,
            iterations, poly_n, poly_sigma, flags`` (``cv2.calcOpticalFlowFarneback``'s
            arguments; defaults in :data:`FARNEBACK_DEFAULTS`); for ``"dis"``,
            ``preset`` (``"medium"``, ``"fast"`` or ``"ultrafast"``).

    Returns:
        ``flow[t]`` = the flow from frame t to frame t+1; ``flow[F-1] = flow[F-2]``;
        zeros for a one-frame clip.

    Raises:
        ConfigError: an unknown method or parameter.
        DataError: frames that are not uint8 (F, H, W, C).

    Example:
        >>> import numpy as np
        >>> from trainlab.preprocess.video.flow import optical_flow
        >>> still = np.full((4, 32, 32, 3), 128, np.uint8)
        >>> float(np.abs(optical_flow(still, "dis", preset="fast")).max())
        0.0
    """
    check_flow_params(method, params)
    return gray_flow(to_gray(as_frames(frames, "optical_flow")), method, **params)


def flow_to_color(flow: np.ndarray, max_magnitude: float | None = None) -> np.ndarray:
    """An RGB picture (H, W, 3) uint8 of one flow field (2, H, W): hue = angle, value = speed.

    The angle of (dx, dy) sets the hue (OpenCV's convention: 0° red, the hue
    turning with the angle measured from +x towards +y, image y pointing down),
    saturation is full, and the magnitude sets the value, 255 at
    ``max_magnitude`` (None: the field's largest magnitude; a zero field is black).

    Example:
        >>> import numpy as np
        >>> from trainlab.preprocess.video.flow import flow_to_color
        >>> right = np.zeros((2, 2, 2), np.float32)
        >>> right[0] = 1.0
        >>> flow_to_color(right)[0, 0].tolist()  # rightwards: red, full brightness
        [255, 0, 0]
    """
    import cv2

    f = np.asarray(flow, dtype=np.float32)
    if f.ndim != 3 or f.shape[0] != 2:
        raise DataError(f"flow_to_color: expected one flow field (2, H, W), got shape {f.shape}")
    mag, ang = cv2.cartToPolar(np.ascontiguousarray(f[0]), np.ascontiguousarray(f[1]))
    top = (
        float(mag.max())
        if max_magnitude is None
        else check_float("max_magnitude", max_magnitude, low=0.0, low_open=True)
    )
    hsv = np.empty((*mag.shape, 3), dtype=np.uint8)
    hsv[..., 0] = np.round(ang * (90.0 / np.pi)).astype(np.int64) % 180  # OpenCV hue: 0-179
    hsv[..., 1] = 255
    scale = 255.0 / top if top > 0 else 0.0
    hsv[..., 2] = np.clip(np.round(mag * scale), 0, 255).astype(np.uint8)
    return cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)
