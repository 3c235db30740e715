"""Frame sampling: k frames of a clip, spread evenly or where the motion is.

- **Uniform** (segment-based, as Temporal Segment Networks sample a clip at test
  time: L. Wang et al., *Temporal Segment Networks: Towards Good Practices for
  Deep Action Recognition*, ECCV 2016): the clip of n frames is cut into k equal
  segments and the frame at each segment's centre is taken,
  index_i = floor((i + 1/2) · n / k), i = 0 … k−1 (exact integer arithmetic).
- **Motion-based** (key frames where the motion is, after W. Wolf, *Key Frame
  Selection by Motion Analysis*, ICASSP 1996, who picks frames at the local
  minima of a flow-based motion measure; here the frames with the MOST motion, as the
  lecture asks): every frame gets a motion score and the k highest-scoring frames
  are kept, in temporal order. The score of frame t measures the change from
  frame t to t+1: the mean absolute difference of their grayscale pixels
  (``"difference"``) or the mean magnitude of the optical flow between them
  (``"flow"``, see :mod:`~trainlab.preprocess.video.flow`); the last frame
  takes the score of the one before it.

Example:
    >>> import numpy as np
    >>> from trainlab.preprocess.video.sampling import motion_indices, uniform_indices
    >>> uniform_indices(20, 4).tolist()
    [2, 7, 12, 17]
    >>> clip = np.zeros((10, 16, 16, 1), np.uint8)
    >>> for t in range(10):  # a bright square that moves only from frame 3 to frame 6
    ...     x = 2 + 2 * min(max(t - 3, 0), 3)
    ...     clip[t, 4:10, x : x + 6] = 255
    >>> motion_indices(clip, 3).tolist()
    [3, 4, 5]
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from trainlab.core.errors import ConfigError, DataError
from trainlab.preprocess.audio._checks import check_choice, check_int
from trainlab.preprocess.video._frames import as_frames, to_gray
from trainlab.preprocess.video.flow import gray_flow


def uniform_indices(n_frames: int, k: int) -> np.ndarray:
    """The centre frames of k equal segments of a clip of ``n_frames`` frames, int64 (k,).

    index_i = floor((2i + 1) · n_frames / (2k)): strictly increasing, so k distinct frames.

    Raises:
        ConfigError: ``k`` < 1, ``n_frames`` < 1, or ``k > n_frames`` (both named).

    Example:
        >>> from trainlab.preprocess.video.sampling import uniform_indices
        >>> uniform_indices(16, 8).tolist(), uniform_indices(5, 5).tolist()
        ([1, 3, 5, 7, 9, 11, 13, 15], [0, 1, 2, 3, 4])
    """
    n_frames = check_int("n_frames", n_frames, low=1)
    k = check_int("k", k, low=1)
    _check_budget(n_frames, k)
    i = np.arange(k, dtype=np.int64)
    return ((2 * i + 1) * n_frames) // (2 * k)


def _difference_scores(gray: np.ndarray) -> np.ndarray:
    d = np.abs(np.diff(gray.astype(np.int16), axis=0))  # (F-1, H, W)
    return d.reshape(d.shape[0], -1).mean(axis=1, dtype=np.float64).astype(np.float32)


def _flow_scores(flow: np.ndarray) -> np.ndarray:
    mag = np.sqrt(np.square(flow[:, 0], dtype=np.float64) + np.square(flow[:, 1]))
    return mag.reshape(mag.shape[0], -1).mean(axis=1).astype(np.float32)


#: score name → what it measures
MOTION_METHODS: tuple[str, ...] = ("difference", "flow")


def scores_of(
    gray: np.ndarray,
    method: str = "difference",
    *,
    flow: np.ndarray | None = None,
    flow_method: str = "farneback",
) -> np.ndarray:
    """:func:`motion_scores` of a grayscale clip (F, H, W) uint8 (``flow`` reused if given)."""
    method = check_choice("motion method", method, MOTION_METHODS)
    n = gray.shape[0]
    if n == 1:
        return np.zeros(1, dtype=np.float32)
    if method == "difference":
        pairs = _difference_scores(gray)
    else:
        if flow is None:
            flow = gray_flow(gray, flow_method)
        pairs = _flow_scores(flow[: n - 1])
    return np.append(pairs, pairs[-1]).astype(np.float32)


def motion_scores(
    frames: np.ndarray,
    method: str = "difference",
    *,
    flow: np.ndarray | None = None,
    flow_method: str = "farneback",
) -> np.ndarray:
    """The motion score of every frame of a clip, float32 (F,).

    Args:
        frames: one clip, uint8 (F, H, W, C), C = 1, 3 (RGB) or 4 (RGBA).
        method: ``"difference"``: score_t = mean |gray_{t+1} − gray_t| over the
            pixels (grayscale by ``cv2.cvtColor``, in 0-255 units); ``"flow"``:
            score_t = mean √(dx² + dy²) of the flow from t to t+1 (pixels).
        flow: for ``"flow"``, the clip's flow (F, 2, H, W) already computed
            (:func:`~trainlab.preprocess.video.flow.optical_flow`); None computes it.
        flow_method: the flow method when ``flow`` is None (``"farneback"`` or ``"dis"``).

    Returns:
        Scores (F,); score_{F-1} = score_{F-2}; a one-frame clip scores 0.

    Example:
        >>> import numpy as np
        >>> from trainlab.preprocess.video.sampling import motion_scores
        >>> clip = np.zeros((3, 2, 2, 1), np.uint8)
        >>> clip[1:] = 10
        >>> motion_scores(clip).tolist()
        [10.0, 0.0, 0.0]
    """
    frames = as_frames(frames, "motion_scores")
    method = check_choice("motion method", method, MOTION_METHODS)
    if flow is not None:
        flow = np.asarray(flow, dtype=np.float32)
        f, h, w = frames.shape[:3]
        if flow.shape != (f, 2, h, w):
            raise DataError(
                f"motion_scores: expected a flow of shape {(f, 2, h, w)} for these frames, "
                f"got {flow.shape}"
            )
    return scores_of(to_gray(frames), method, flow=flow, flow_method=flow_method)


def top_indices(scores: np.ndarray, k: int, min_gap: int = 0) -> np.ndarray:
    """The k highest scores' indices in temporal order (ties: the earliest), int64 (k,).

    Greedy: frames are taken by decreasing score (equal scores: earlier first),
    skipping any frame within ``min_gap`` frames of one already taken (two
    taken frames i, j have |i − j| > ``min_gap``, i.e. at least ``min_gap``
    frames between them: 0 allows neighbours, 1 forbids them).

    Raises:
        ConfigError: ``k`` > the number of frames, or the greedy pass finds
            fewer than k frames ``min_gap`` apart.

    Example:
        >>> import numpy as np
        >>> from trainlab.preprocess.video.sampling import top_indices
        >>> s = np.array([0, 5, 9, 9, 1, 7], np.float32)
        >>> top_indices(s, 2).tolist(), top_indices(s, 3, min_gap=1).tolist()
        ([2, 3], [0, 2, 5])
    """
    s = np.asarray(scores, dtype=np.float64)
    if s.ndim != 1 or s.size == 0:
        raise DataError(f"top_indices: expected scores (F,) with F >= 1, got shape {s.shape}")
    k = check_int("k", k, low=1)
    min_gap = check_int("min_gap", min_gap, low=0)
    _check_budget(s.size, k)
    order = np.argsort(-s, kind="stable")
    if min_gap == 0:
        return np.sort(order[:k]).astype(np.int64)
    taken: list[int] = []
    free = np.ones(s.size, dtype=bool)
    for i in order.tolist():
        if free[i]:
            taken.append(i)
            free[max(0, i - min_gap) : i + min_gap + 1] = False
            if len(taken) == k:
                return np.array(sorted(taken), dtype=np.int64)
    raise ConfigError(
        f"min_gap: picking k={k} frames more than min_gap={min_gap} frames apart from "
        f"{s.size} frames found only {len(taken)} (greedy, by score); lower k or min_gap"
    )


def motion_indices(
    frames: np.ndarray,
    k: int,
    method: str = "difference",
    min_gap: int = 0,
    **score_args: Any,
) -> np.ndarray:
    """The k frames with the most motion, in temporal order, int64 (k,).

    :func:`top_indices` of :func:`motion_scores` (``score_args``: its ``flow``
    and ``flow_method``).

    Example:
        >>> import numpy as np
        >>> from trainlab.preprocess.video.sampling import motion_indices
        >>> clip = np.zeros((6, 4, 4, 1), np.uint8)
        >>> clip[4:] = 50  # the only change: frame 3 to frame 4
        >>> motion_indices(clip, 2).tolist()  # frame 3, then the earliest of the ties
        [0, 3]
    """
    frames = as_frames(frames, "motion_indices")
    _check_budget(frames.shape[0], check_int("k", k, low=1))
    return top_indices(motion_scores(frames, method, **score_args), k, min_gap)


def _check_budget(n_frames: int, k: Any) -> None:
    if isinstance(k, numbers.Integral) and k > n_frames:
        raise ConfigError(
            f"k: asked for k={k} frames from a clip of n_frames={n_frames} frames; "
            f"expected k <= n_frames"
        )


#: sampler name → function (scores or None, n_frames, k) → indices
SAMPLERS: dict[str, Callable[..., np.ndarray]] = {
    "uniform": lambda scores, n, k: uniform_indices(n, k),
    "motion": lambda scores, n, k: top_indices(scores, k),
}
