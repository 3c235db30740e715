"""Video preprocessing: frame sampling, optical flow, motion masks, the clip pipeline.

Applied once when the data are prepared: full clips in, k sampled frames out.

- ``sampling``: :func:`uniform_indices` (segment centres, TSN), :func:`motion_scores`
  and :func:`motion_indices` (the frames with the most motion, after Wolf 1996);
- ``flow``: :func:`optical_flow` (Farnebäck 2003 or DIS, Kroeger et al. 2016, by
  OpenCV) and :func:`flow_to_color` for previews;
- ``motion``: :func:`flow_masks` (flow magnitude threshold) and
  :func:`background_masks` (MOG2, Zivkovic 2004);
- ``pipeline``: :class:`VideoPipeline`, uint8 clips (N, F, C, H, W) to float32
  (N, k, C', H, W) with optional flow and mask channels.

OpenCV (``cv2``, the ``video`` extra) is imported inside the functions that use it.

Example:
    >>> import numpy as np
    >>> from trainlab.preprocess.video import VideoPipeline, uniform_indices
    >>> uniform_indices(10, 3).tolist()
    [1, 5, 8]
    >>> clips = np.zeros((1, 10, 1, 8, 8), np.uint8)
    >>> VideoPipeline(frames=3, masks="background").transform(clips).shape
    (1, 3, 2, 8, 8)
"""

from trainlab.preprocess.video.flow import (
    DIS_PRESETS,
    FARNEBACK_DEFAULTS,
    FLOW_METHODS,
    flow_to_color,
    gray_flow,
    optical_flow,
)
from trainlab.preprocess.video.motion import background_masks, flow_masks
from trainlab.preprocess.video.pipeline import FLOWS, MASKS, MOTION, SAMPLING, VideoPipeline
from trainlab.preprocess.video.sampling import (
    MOTION_METHODS,
    motion_indices,
    motion_scores,
    top_indices,
    uniform_indices,
)

__all__ = [
    "DIS_PRESETS",
    "FARNEBACK_DEFAULTS",
    "FLOWS",
    "FLOW_METHODS",
    "MASKS",
    "MOTION",
    "MOTION_METHODS",
    "SAMPLING",
    "VideoPipeline",
    "background_masks",
    "flow_masks",
    "flow_to_color",
    "gray_flow",
    "motion_indices",
    "motion_scores",
    "optical_flow",
    "top_indices",
    "uniform_indices",
]
