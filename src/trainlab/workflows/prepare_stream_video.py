"""A video folder streamed from its files: the in-memory path's clips, one batch at a time.

``data.stream: true`` (or ``auto`` above ``data.memory_budget``) for a
``video-folder`` keeps the file names and labels in memory; the same split
as in memory is drawn on that index, the recipe's ``preprocess.video``
pipeline (and the frames' normalization, ``preprocess.normalize``) is fitted
on at most 256 training clips spread over the files
(:func:`~trainlab.data.stream.video.fit_stream_video`: every one of them when
there are no more, so the flow scale is the in-memory one) and saved with
the model as the in-memory path's, and the workers decode, sample and
transform the clips of each batch (:mod:`trainlab.data.stream.video`). The
frame cache (``data.options.cache``) serves both paths alike.

Bad files: a file that cannot be decoded stops the run with one line
naming it. With ``data.options.on_error: skip`` every file is decoded once
before the run (as the in-memory path does; with the frame cache that read
fills it) and those that fail are left out with a warning, so the same files
are left out as in memory. Short clips are padded with their last frame
(``on_short: pad``) without the in-memory path's warning for each.

Example:
    >>> from trainlab.config.recipe import Recipe
    >>> from trainlab.workflows.prepare_stream_video import video_spec
    >>> spec, cache, on_error = video_spec(Recipe().override(
    ...     {"data.dataset": "video-folder", "data.options": {"path": "v", "frames": 8}}))
    >>> spec.shape, cache, on_error
    ((8, 3, 64, 64), None, 'fail')
"""

from __future__ import annotations

from typing import Any

from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError, DataError
from trainlab.data.datasets import dataset_options
from trainlab.data.datasets.video.folder import (
    VideoFolderIndex,
    VideoSpec,
    decode_items,
    index_video_folder,
)
from trainlab.data.datasets.video.frame_cache import FrameCache
from trainlab.data.stream import video as stream_video
from trainlab.data.stream.video import (
    VideoFileDataset,
    VideoTransform,
    estimate_video_bytes,
    fit_stream_video,
)
from trainlab.preprocess.pipeline import Preprocessor
from trainlab.workflows.prepare_stream_parts import folder_path, split_index, streamed_data
from trainlab.workflows.prepare_video import frame_preprocessor, video_pipeline

_NAME = "video-folder"


def video_spec(recipe: Recipe) -> tuple[VideoSpec, FrameCache | None, str]:
    """The clips, frame cache and ``on_error`` of the recipe's ``data.options`` (the loader's
    defaults), checked as the loader checks them.

    Raises:
        ConfigError: an unknown option, or one out of range or of the wrong type.
    """
    params = dataset_options(_NAME)
    options = dict(recipe.data.options)
    for option in options:
        if option not in params:
            raise ConfigError(
                f"data.options: unknown option {option!r} for dataset {_NAME!r}; "
                f"expected one of: {', '.join(params)}"
            )
    o = {k: options.get(k, d) for k, d in params.items()}
    spec = VideoSpec.from_options(o)
    return spec, FrameCache.from_option(o["cache"]), o["on_error"]


def _probed(index: VideoFolderIndex, spec: VideoSpec, cache: FrameCache | None) -> VideoFolderIndex:
    """The index less the files that cannot be decoded whole (each named in a warning).

    Every file is decoded once, as in memory, so the same files are left out
    (a file damaged anywhere, or too short with ``on_short: fail``); with the
    frame cache that read fills it.
    """
    bad = {item.path for item, clip, _ in decode_items(index, spec, cache, "skip") if clip is None}
    kept = index.without(bad)
    if not any(i.split == "train" for i in kept.items):
        raise DataError(f"{index.root}: no usable video files in train ({len(bad)} skipped)")
    return kept


def video_index(
    recipe: Recipe, spec: VideoSpec, on_error: str, cache: FrameCache | None = None
) -> VideoFolderIndex:
    """The recipe's video folder indexed (checked and pruned with ``on_error: skip``)."""
    index = index_video_folder(path=folder_path(recipe, "video"))
    if on_error != "skip":
        return index
    return _probed(index, spec, cache)


def video_bytes(recipe: Recipe) -> int:
    """What the in-memory path would hold for the recipe's video folder (its clips and inputs)."""
    spec, _, _ = video_spec(recipe)
    index = index_video_folder(path=folder_path(recipe, "video"))
    pipe = video_pipeline(recipe)
    inputs = (min(pipe.frames, spec.frames), pipe.channels_out(spec.channels), *spec.size)
    return estimate_video_bytes([i.path for i in index.items], spec, inputs)


def prepare_video_stream(recipe: Recipe, fitted: dict[str, Any] | None):
    """The recipe's video folder as streamed splits of model inputs (k, C', H, W)."""
    spec, cache, on_error = video_spec(recipe)
    index = video_index(recipe, spec, on_error, cache)
    splits, bundle = split_index(recipe, index.bundle())
    pipe = video_pipeline(recipe, fitted.get("video") if fitted else None)
    pipe.check_frames(spec.frames, f"the clips of {bundle.name!r}")
    if len(splits.train) == 0:
        raise DataError(f"dataset {bundle.name!r}: the training split is empty")
    new = not (fitted or {}).get("video")  # a new pipeline, or an image checkpoint's data
    measured = fitted is None  # the frames' statistics (and value range) from the same clips
    fit = (
        fit_stream_video(
            splits.train.x,
            spec,
            pipe,
            cache=cache,
            workers=recipe.data.workers,
            inputs=measured,
            max_clips=stream_video.FIT_CLIPS,
        )
        if new
        else None
    )
    if new:
        sample = fit.inputs
        if sample is None:  # an image checkpoint's data: one training clip for the frame size
            probe = VideoTransform(spec, pipe, cache)
            sample = probe(probe.clip(splits.train.x[0]))[None]
        pre = frame_preprocessor(recipe, sample, int(sample.shape[2]), fitted)
    else:  # the model's own: nothing to decode before the batches
        pre = Preprocessor.from_state_dict(fitted["pipeline"])
    transform = VideoTransform(spec, pipe, cache, pre)
    data = streamed_data(
        recipe,
        splits,
        bundle,
        VideoFileDataset,
        transform,
        pre,
        transform.shape,
        summary={"clip_frames": spec.frames, "sampling": pipe.sampling},
        video=pipe,
    )
    if fit is not None and 0 < fit.read < fit.total:  # not every training clip: say so
        data.summary["notes"].append(
            f"flow scale and frame statistics fitted on {fit.read} of {fit.total} training "
            "clips, spread over the files"
        )
    return data
