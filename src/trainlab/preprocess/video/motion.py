"""Motion segmentation: 0/1 masks of the moving pixels of a clip.

- :func:`flow_masks`: a pixel moves when its optical-flow magnitude
  √(dx² + dy²) exceeds a threshold (pixels per frame);
- :func:`background_masks`: background subtraction with OpenCV's adaptive
  Gaussian mixture, MOG2 (Z. Zivkovic, *Improved Adaptive Gaussian Mixture
  Model for Background Subtraction*, ICPR 2004), by
  ``cv2.createBackgroundSubtractorMOG2`` fed every frame of the clip in order
  (its learning rate chosen automatically: 1 / min(2 · frames seen, history)).
  MOG2 has no background model yet at the first frame and marks all of it as
  foreground; the first frame's mask is therefore the second frame's.

Example:
    >>> import numpy as np
    >>> from trainlab.preprocess.video.motion import background_masks, flow_masks
    >>> flow = np.zeros((2, 2, 4, 4), np.float32)
    >>> flow[:, 0, 1:3, 1:3] = 2.0  # a 2x2 patch moving 2 pixels right
    >>> int(flow_masks(flow).sum()), flow_masks(flow).dtype
    (8, dtype('uint8'))
    >>> clip = np.full((6, 16, 16, 3), 40, np.uint8)
    >>> clip[5, 4:8, 4:8] = 250  # something appears in the last frame
    >>> masks = background_masks(clip)
    >>> int(masks[:5].sum()), int(masks[5, 4:8, 4:8].sum())
    (0, 16)
"""

from __future__ import annotations

import numpy as np

from trainlab.core.errors import ConfigError, DataError
from trainlab.preprocess.audio._checks import check_float, check_int
from trainlab.preprocess.video._frames import as_frames, color_planes

#: OpenCV's ``createBackgroundSubtractorMOG2`` defaults for ``history`` and ``varThreshold``
MOG2_HISTORY = 500
MOG2_VAR_THRESHOLD = 16.0


def flow_masks(flow: np.ndarray, threshold: float = 1.0) -> np.ndarray:
    """Masks (F, H, W) uint8: 1 where the flow (F, 2, H, W) is faster than ``threshold``.

    Args:
        flow: optical flow (dx, dy) per frame, in pixels.
        threshold: the magnitude (pixels per frame, >= 0) a pixel must exceed.

    Example:
        >>> import numpy as np
        >>> from trainlab.preprocess.video.motion import flow_masks
        >>> flow = np.array([[[[0.6, 3.0]], [[0.6, 0.0]]]], np.float32)  # (1, 2, 1, 2)
        >>> flow_masks(flow, threshold=0.5).tolist(), flow_masks(flow).tolist()
        ([[[1, 1]]], [[[0, 1]]])
    """
    threshold = check_float("threshold", threshold, low=0.0)
    f = np.asarray(flow)
    if f.ndim != 4 or f.shape[1] != 2:
        raise DataError(f"flow_masks: expected a flow (F, 2, H, W), got shape {f.shape}")
    f = f.astype(np.float32, copy=False)
    mag2 = np.square(f[:, 0]) + np.square(f[:, 1])
    return (mag2 > np.float32(threshold) ** 2).astype(np.uint8)


def background_masks(
    frames: np.ndarray,
    history: int = MOG2_HISTORY,
    var_threshold: float = MOG2_VAR_THRESHOLD,
    shadows: bool = False,
) -> np.ndarray:
    """Foreground masks (F, H, W) uint8 0/1 of one clip by MOG2 background subtraction.

    Args:
        frames: one clip, uint8 (F, H, W, C), C = 1, 3 (RGB) or 4 (RGBA, alpha ignored).
        history: frames the background model remembers (OpenCV's default 500).
        var_threshold: squared Mahalanobis distance above which a pixel is
            foreground (OpenCV's default 16).
        shadows: detect shadows and leave them out of the mask (OpenCV marks
            them 127); False (default) skips the detection, so shadows count
            as moving.

    Returns:
        1 for the moving (foreground) pixels; frame 0 gets frame 1's mask (a
        one-frame clip: all 0).

    Example:
        >>> import numpy as np
        >>> from trainlab.preprocess.video.motion import background_masks
        >>> int(background_masks(np.zeros((3, 4, 4, 1), np.uint8)).sum())
        0
    """
    import cv2

    frames = color_planes(as_frames(frames, "background_masks"))
    history = check_int("history", history, low=1)
    var_threshold = check_float("var_threshold", var_threshold, low=0.0, low_open=True)
    if not isinstance(shadows, bool):
        raise ConfigError(f"shadows: expected true or false, got {shadows!r}")
    model = cv2.createBackgroundSubtractorMOG2(history, var_threshold, shadows)
    out = np.empty(frames.shape[:3], dtype=np.uint8)
    for t, frame in enumerate(frames):
        out[t] = model.apply(frame) == 255
    out[0] = out[1] if len(out) > 1 else 0
    return out
