"""The recipe's ``preprocess.video`` section: which frames a model sees, and their motion.

Frame sampling, optical flow and motion masks are fitted and applied once,
when the data are prepared (:mod:`trainlab.preprocess.video`): each clip of
F frames becomes ``frames`` sampled frames, their pixels scaled to [0, 1],
with 2 flow channels (dx, dy) and a motion mask channel when asked.

Example:
    >>> from trainlab.config.video import VideoConfig
    >>> VideoConfig().sampling, VideoConfig(flow="dis").flow
    ('uniform', 'dis')
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from trainlab.config.section import Section


class VideoConfig(Section):
    """Frame sampling (uniform or by motion), optical flow channels, motion masks."""

    #: the frames a model sees per clip (k)
    frames: int = Field(default=8, ge=1)
    #: uniform: the centres of k equal segments (TSN); motion: the k frames that move most
    sampling: Literal["uniform", "motion"] = "uniform"
    #: how motion sampling scores a frame: frame difference, or optical flow magnitude
    motion: Literal["difference", "flow"] = "difference"
    #: optical flow as 2 extra channels (dx, dy): Farnebäck 2003, or DIS (Kroeger et al. 2016)
    flow: Literal["none", "farneback", "dis"] = "none"
    #: a motion-mask channel: flow magnitude above mask_threshold, or MOG2 background subtraction
    masks: Literal["none", "flow", "background"] = "none"
    #: pixels per frame a flow mask needs
    mask_threshold: float = Field(default=1.0, gt=0.0)
