"""Seeing prepared clips: their frames, flow and masks, before and after augmentation.

A prepared clip is float32 (k, C', H, W): the pixel channels, then the flow
(dx, dy) divided by the pipeline's flow scale when ``preprocess.video.flow`` is
on, then a motion mask when ``preprocess.video.masks`` is
(:mod:`~trainlab.preprocess.video.pipeline`). :func:`clip_pictures` splits it
back into frames, flow in pixels a frame, and masks, for
:func:`~trainlab.report.figures.video_clips.plot_video_clips`.

- ``trainlab augment-preview`` on a video recipe (:func:`video_preview`): per
  clip (one per class first), the original and the augmented draws, each as
  its strip of frames and, when the data have them, its flow and mask strips:
  what the training loop feeds the model, channels moved with the pixels;
- the run report (:func:`example_clips`): one test clip per class.

Example:
    >>> import torch
    >>> from trainlab.preprocess.video.pipeline import VideoPipeline
    >>> from trainlab.workflows.preview_video import clip_pictures
    >>> pipe = VideoPipeline(frames=2, flow="dis", masks="flow", flow_scale=4.0)
    >>> clip = clip_pictures(torch.ones(2, 1 + 2 + 1, 8, 8), pipe)
    >>> clip.frames.shape, clip.flow.shape, float(clip.flow.max()), clip.masks.shape
    ((2, 8, 8), (2, 2, 8, 8), 4.0, (2, 8, 8))
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch

from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError
from trainlab.report.figures.video_clips import Clip, plot_video_clips
from trainlab.workflows.prepare import PreparedData


def clip_pictures(x: torch.Tensor, video: Any, preprocessor: Any = None) -> Clip:
    """One prepared clip (k, C', H, W) as a :class:`Clip`, split by ``video``'s layout.

    ``video`` is the data's fitted :class:`~trainlab.preprocess.video.pipeline.VideoPipeline`;
    ``preprocessor``: the data's numeric preprocessing, undone first (a standardized
    clip's flow and masks are not what they mean); the flow channels are then
    multiplied back by the flow scale (pixels a frame).
    """
    a = x.detach().float().cpu().numpy()
    if preprocessor is not None:  # frame by frame: the frames are the normalizer's examples
        a = np.asarray(preprocessor.normalizer.inverse_transform(a), dtype=np.float32)
    has_flow, has_masks = video.flow != "none", video.masks != "none"
    c = a.shape[1] - 2 * has_flow - has_masks
    if c < 1:
        raise ConfigError(
            f"clip_pictures: a clip of {a.shape[1]} channels cannot hold the pipeline's "
            f"flow and mask channels; expected at least {1 + 2 * has_flow + has_masks}"
        )
    frames = a[:, 0] if c < 3 else np.moveaxis(a[:, :3], 1, -1)
    flow = a[:, c : c + 2] * float(video.scale or 1.0) if has_flow else None
    masks = a[:, c + 2 * has_flow] if has_masks else None
    return Clip(frames, flow=flow, masks=masks)


def _class_names(data: PreparedData, y: torch.Tensor) -> list[str] | None:
    return [data.classes[int(c)] for c in y] if data.classes else None


def _labels(data: PreparedData, labels: Any) -> torch.Tensor:
    return labels[data.targets[0].name] if isinstance(labels, dict) else labels


def video_preview(
    recipe: Recipe, data: PreparedData, path: Path, *, rows: int = 4, draws: int = 3, seed: int = 0
) -> Path:
    """Write the video augmentation preview (PNG): per clip, the original and ``draws`` draws."""
    from trainlab.workflows.preview import augmented_draws, preview_rows

    x, batches, _ = augmented_draws(recipe, rows=rows, draws=draws, seed=seed, data=data)
    labels = _labels(data, data.train[1])
    y = labels[preview_rows(labels, rows)]
    grid = [
        [clip_pictures(v[r], data.video, data.preprocessor) for v in (x, *batches)]
        for r in range(len(x))
    ]
    names = ", ".join(str(a.get("name")) for a in recipe.augment)
    return plot_video_clips(
        grid,
        Path(path),
        columns=["original", *(f"draw {c}" for c in range(1, len(batches) + 1))],
        rows=_class_names(data, y),
        title=f"{recipe.name}: {names}",
    )


def clips_caption(video: Any) -> str:
    """The run report's caption: "Example clips, one per class: frames, flow, masks"
    (naming only the rows the clips have)."""
    rows = ["frames"] + ["flow"] * (video.flow != "none") + ["masks"] * (video.masks != "none")
    return f"Example clips, one per class: {', '.join(rows)}"


def example_clips(data: PreparedData, path: Path, title: str) -> Path:
    """The run report's figure: one test clip per class (training clips without a test
    split), as the model sees it."""
    from trainlab.workflows.preview_audio import examples

    if data.video is None or not data.classes:
        raise ConfigError("example clips need video data with a classification target")
    part = data.test if data.test is not None else data.train
    x, y = examples(part, data.targets, len(data.classes))
    grid = [[clip_pictures(clip, data.video, data.preprocessor)] for clip in x]
    return plot_video_clips(grid, Path(path), rows=_class_names(data, y), title=title)
