"""Video data prepared for a run: frames sampled, flow and masks added, then tensors.

The split is the one every modality gets; only the inputs differ: each clip
of F frames (uint8 (N, F, C, H, W)) goes through the recipe's
``preprocess.video`` (:class:`~trainlab.preprocess.video.pipeline.VideoPipeline`),
fitted on the training clips only (the flow's scale), into float32
(N, k, C', H, W): k sampled frames, pixels in [0, 1], with flow and mask
channels when asked. The numeric preprocessing is the identity here (its
state records the inputs' shape and type, as for any run).

Example:
    >>> from trainlab.workflows.prepare_video import video_pipeline
    >>> from trainlab.config.recipe import Recipe
    >>> video_pipeline(Recipe().override({"preprocess.video.frames": 4})).frames
    4
"""

from __future__ import annotations

from typing import Any

import torch

from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError, DataError
from trainlab.data._bundle import DataBundle, Target
from trainlab.workflows.prepare_encoded import encoded_data


def video_pipeline(recipe: Recipe, fitted: dict[str, Any] | None = None):
    """The recipe's ``preprocess.video`` as a pipeline (``fitted``: a checkpoint's state)."""
    from trainlab.preprocess.video.pipeline import VideoPipeline

    if fitted is not None:
        return VideoPipeline.from_state_dict(fitted)
    v = recipe.preprocess.video
    try:
        return VideoPipeline(
            frames=v.frames,
            sampling=v.sampling,
            motion=v.motion,
            flow=v.flow,
            masks=v.masks,
            mask_threshold=v.mask_threshold,
        )
    except ValueError as exc:
        raise ConfigError(f"preprocess.video: {exc}") from None


def prepare_video(
    recipe: Recipe, bundle: DataBundle, splits, targets: list[Target], fitted: dict[str, Any] | None
):
    """The :class:`~trainlab.workflows.prepare.PreparedData` of a video data set's splits."""
    pipe = video_pipeline(recipe, fitted.get("video") if fitted else None)
    frames = int(splits.train.x.shape[1]) if len(splits.train) else 0
    if pipe.frames > frames:
        raise DataError(
            f"preprocess.video.frames: {pipe.frames} frames asked, but the clips of "
            f"{bundle.name!r} have {frames}; ask for at most {frames}"
        )
    if fitted is None:
        pipe.fit(splits.train.x)
    return encoded_data(
        bundle,
        splits,
        targets,
        fitted,
        lambda x: torch.from_numpy(pipe.transform(x)),
        {"clip_frames": frames, "sampling": pipe.sampling},
        video=pipe,
    )
