"""Video data prepared for a run: frames sampled, flow and masks added, then tensors.

The split is the one every modality gets; only the inputs differ: each clip
of F frames (uint8 (N, F, C, H, W)) goes through the recipe's
``preprocess.video`` (:class:`~trainlab.preprocess.video.pipeline.VideoPipeline`),
fitted on the training clips only (the flow's scale), into float32
(N, k, C', H, W): k sampled frames, pixels in [0, 1], with flow and mask
channels when asked. The numeric preprocessing (``preprocess.normalize``,
``per``) then acts **frame by frame**, as the image pipeline does on images:
fitted on every training frame, it is what a 2-D image checkpoint's
normalization is compared with, and adopted from, when it initializes a
frame CNN (``transfer.preprocessing``).

Example:
    >>> from trainlab.workflows.prepare_video import video_pipeline
    >>> from trainlab.config.recipe import Recipe
    >>> video_pipeline(Recipe().override({"preprocess.video.frames": 4})).frames
    4
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError, DataError
from trainlab.data._bundle import DataBundle, Target
from trainlab.preprocess.pipeline import Preprocessor
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


def frame_preprocessor(
    recipe: Recipe, train: np.ndarray, channels: int, fitted: dict[str, Any] | None
) -> Preprocessor:
    """The numeric preprocessing of the sampled frames: the checkpoint's, or fitted on ``train``.

    A 2-D image checkpoint's (no ``video`` state) applies to every frame, when its
    images had the frames' ``channels``.

    Raises:
        DataError: an image checkpoint's channels differ from the frames'.
    """
    if fitted is None:
        p = recipe.preprocess
        return Preprocessor(pixel_scale=False, normalize=p.normalize, per=p.per, frames=True).fit(
            train
        )
    pre = Preprocessor.from_state_dict(fitted["pipeline"])
    if "video" not in fitted:  # an image model's: one frame is one of its images
        theirs = (pre.input_shape or [channels])[0]
        if theirs != channels:
            raise DataError(
                f"transfer: the checkpoint's preprocessing reads images of {theirs} channel(s); "
                f"the frames have {channels} (pixels, flow, masks): set "
                "transfer.preprocessing: own, or preprocess.video.flow/masks: none"
            )
        pre.frames = True
        try:  # statistics per feature hold for one image size only
            pre.transform(train[:1])
        except DataError:
            raise DataError(
                f"transfer: the checkpoint's normalization ({pre.normalizer.name} per "
                f"{pre.normalizer.per}) is for images of {_shape(pre.input_shape)}; the frames "
                f"are {_shape(train.shape[2:])}: set transfer.preprocessing: own, or the "
                "frame size to the checkpoint's (data.options.size)"
            ) from None
        pre.input_shape = [channels, *frame_size(train)]  # the frames keep their own size
    return pre


def _shape(shape) -> str:
    return "×".join(str(int(s)) for s in shape) if shape is not None else "?"


def frame_size(train: np.ndarray) -> list[int]:
    """The (H, W) of the sampled frames (N, k, C, H, W)."""
    return [int(s) for s in train.shape[3:]]


def prepare_video(
    recipe: Recipe, bundle: DataBundle, splits, targets: list[Target], fitted: dict[str, Any] | None
):
    """The :class:`~trainlab.workflows.prepare.PreparedData` of a video data set's splits."""
    if len(splits.train) == 0:
        raise DataError(f"dataset {bundle.name!r}: the training split is empty")
    pipe = video_pipeline(recipe, fitted.get("video") if fitted else None)
    frames = int(splits.train.x.shape[1])
    pipe.check_frames(frames, f"the clips of {bundle.name!r}")
    if (fitted or {}).get("video"):
        train = pipe.transform(splits.train.x)
    else:  # a new pipeline, or the data of an image checkpoint's model
        train = pipe.fit_transform(splits.train.x)
    pre = frame_preprocessor(recipe, train, int(train.shape[2]), fitted)

    def encode(x: np.ndarray) -> torch.Tensor:
        out = train if x is splits.train.x else pipe.transform(x)  # the flow once per split
        return torch.from_numpy(np.ascontiguousarray(pre.transform(out)))

    return encoded_data(
        bundle,
        splits,
        targets,
        fitted,
        encode,
        {"clip_frames": frames, "sampling": pipe.sampling},
        preprocessor=pre,
        video=pipe,
    )
