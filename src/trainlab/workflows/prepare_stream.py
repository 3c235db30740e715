"""Data larger than memory: an image, audio or video folder streamed from its files, batch by batch.

``data.stream: true`` (or ``auto``, when the decoded images or clips and their
float copy would take more than ``data.memory_budget`` GiB) keeps only the file
names and labels in memory. The split, the class selection and ``data.limit``
work on that index as on any data set; the preprocessing is fitted on the
training files in one streamed pass (:func:`trainlab.data.stream.fit_stream_preprocessor`)
and saved with the model like the in-memory path's; each split becomes a
:class:`~trainlab.data.stream.StreamSource` whose worker processes decode,
resize and normalize the images of each batch. A split is ``(source, labels)``:
the labels stay in memory, the pixels never all do. An ``audio-folder`` streams
the same way: its clips are decoded, resampled and cut or padded to
``data.options.seconds`` by the workers (:mod:`trainlab.data.stream.audio`),
its preprocessor fitted on at most 1,024 training clips spread over the files.
A ``video-folder`` streams its clips, sampled and transformed by the recipe's
video pipeline in the workers (:mod:`~trainlab.workflows.prepare_stream_video`).
Each kind is one :class:`StreamedKind` of :data:`STREAMED_KINDS`: what its
in-memory path would hold, and how its streamed splits are prepared.

Example:
    >>> from trainlab.config.recipe import Recipe
    >>> from trainlab.workflows.prepare_stream import streams
    >>> streams(Recipe.load("digits-cnn"))  # not an image folder: in memory
    False
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError, DataError
from trainlab.data.datasets.audio._clips import ClipSpec
from trainlab.data.datasets.audio.audio_folder import (
    index_audio_folder,
    load_audio_folder,
)
from trainlab.data.datasets.image.image_folder import index_image_folder
from trainlab.data.datasets.registry import DATASETS
from trainlab.data.stream import (
    ImageFileDataset,
    ImageTransform,
    estimate_decoded_bytes,
    fit_stream_preprocessor,
)
from trainlab.data.stream.audio import (
    AudioFileDataset,
    AudioTransform,
    clip_channels,
    estimate_audio_bytes,
    fit_stream_audio,
)
from trainlab.preprocess.pipeline import Preprocessor
from trainlab.workflows.audio_setup import build_frontend, check_clip_shape
from trainlab.workflows.prepare_stream_parts import folder_path, split_index, streamed_data
from trainlab.workflows.prepare_stream_video import prepare_video_stream, video_bytes

#: bytes the in-memory path holds per decoded uint8 value: the value and its float32 copy
IN_MEMORY_BYTES = 5
#: copies of the float32 clips the in-memory path holds: the loaded clips and the model inputs
AUDIO_IN_MEMORY = 2
GIB = 1024**3


def streams(recipe: Recipe) -> bool:
    """Whether the recipe's data are streamed from their files (see the module's notes).

    Raises:
        ConfigError: ``data.stream: true`` for a data set that is not a streamed folder.
    """
    kind = STREAMED_KINDS.get(DATASETS.canonical(recipe.data.dataset))
    setting = recipe.data.stream
    if setting is True and kind is None:
        raise ConfigError(
            f"data.stream: only an image-folder, audio-folder or video-folder data set streams "
            f"from its files; {recipe.data.dataset!r} is loaded in memory "
            "(set data.stream: false)"
        )
    if setting is False or kind is None:
        return False
    if setting is True:
        return True
    return kind.in_memory_bytes(recipe) > recipe.data.memory_budget * GIB


def _geometry(recipe: Recipe, paths: np.ndarray, fitted: dict[str, Any] | None):
    """The uniform (height, width) and channels: the checkpoint's, the recipe's, or the files'."""
    if fitted is not None and fitted.get("image"):
        image = fitted["image"]
        return tuple(image["size"]), int(image["channels"])
    cfg = recipe.preprocess.image
    size, channels = cfg.size, cfg.channels
    if size is None or channels is None:
        from PIL import Image

        seen = set()
        for p in paths[:: max(1, len(paths) // 64)]:
            try:
                with Image.open(p) as im:
                    seen.add((im.size[1], im.size[0], 1 if im.mode in ("L", "1", "LA") else 3))
            except OSError:
                raise DataError(f"{p}: not a readable image") from None
        if size is None and len({s[:2] for s in seen}) > 1:
            raise ConfigError(
                "preprocess.image.size: the streamed images have several sizes; "
                "set one, e.g. --set preprocess.image.size=[224,224]"
            )
        size = size or next(iter(seen))[:2]
        channels = channels or max(s[2] for s in seen)
    return tuple(size), int(channels)


def prepare_stream(recipe: Recipe, fitted: dict[str, Any] | None = None):
    """The recipe's image, audio or video folder as streamed splits (a :class:`PreparedData`)."""

    if recipe.task.targets is not None and list(recipe.task.targets) != ["label"]:
        raise ConfigError("task.targets: a streamed folder has one target, 'label'")
    kind = STREAMED_KINDS.get(DATASETS.canonical(recipe.data.dataset))
    if kind is None:
        raise ConfigError(f"data.stream: {recipe.data.dataset!r} does not stream from its files")
    return kind.prepare(recipe, fitted)


def _prepare_image(recipe: Recipe, fitted: dict[str, Any] | None):
    """The recipe's image folder as streamed splits of images (C, H, W)."""
    index = index_image_folder(path=folder_path(recipe, "image"))
    splits, bundle = split_index(recipe, index.bundle())
    size, channels = _geometry(recipe, splits.train.x, fitted)
    fit = recipe.preprocess.image.fit
    if fitted is not None:
        pre = Preprocessor.from_state_dict(fitted["pipeline"])
    else:
        p = recipe.preprocess
        pre = fit_stream_preprocessor(
            splits.train.x,
            size=size,
            fit=fit,
            channels=channels,
            pixel_scale=p.pixel_scale,
            normalize=p.normalize,
            per=p.per,
            workers=recipe.data.workers,
        ).preprocessor
    transform = ImageTransform(size=size, fit=fit, channels=channels, preprocessor=pre)
    in_shape = (channels, *size)
    image = {"size": list(size), "channels": channels, "fit": fit}
    return streamed_data(
        recipe, splits, bundle, ImageFileDataset, transform, pre, in_shape, image=image
    )


def _clip_spec(recipe: Recipe) -> ClipSpec:
    """The clips of the recipe's audio folder, from its ``data.options`` (the loader's defaults)."""
    defaults = inspect.signature(load_audio_folder).parameters
    names = ClipSpec.__dataclass_fields__
    return ClipSpec(**{k: recipe.data.options.get(k, defaults[k].default) for k in names})


def _prepare_audio(recipe: Recipe, fitted: dict[str, Any] | None):
    """The recipe's audio folder as streamed splits of clips (C, L)."""

    spec = _clip_spec(recipe)
    if recipe.data.options.get("on_error") == "skip":
        warnings.warn(
            "data.options.on_error: 'skip' does not apply to a streamed audio folder; "
            "an unusable file stops the epoch, naming it",
            stacklevel=3,
        )
    index = index_audio_folder(path=folder_path(recipe, "audio"))
    splits, bundle = split_index(recipe, index.bundle(spec.sample_rate))
    channels = clip_channels(splits.train.x, spec)
    if fitted is not None:
        pre = Preprocessor.from_state_dict(fitted["pipeline"])
        frontend = build_frontend(recipe, spec.sample_rate, None, fitted.get("audio"))
        check_clip_shape((channels, spec.length), spec.sample_rate, fitted)
    else:
        p = recipe.preprocess
        fit = fit_stream_audio(
            splits.train.x,
            spec,
            channels=channels,
            normalize=p.normalize,
            per=p.per,
            pixel_scale=p.pixel_scale,
        )
        pre = fit.preprocessor
        clips = torch.from_numpy(np.ascontiguousarray(pre.transform(fit.clips)))
        frontend = build_frontend(recipe, spec.sample_rate, clips)
    transform = AudioTransform(spec, channels, pre)
    return streamed_data(
        recipe,
        splits,
        bundle,
        AudioFileDataset,
        transform,
        pre,
        transform.shape,
        summary={"sample_rate": spec.sample_rate},
        frontend=frontend,
    )


def _image_bytes(recipe: Recipe) -> int:
    """What the in-memory path would hold: the decoded images and their float32 copy."""
    index = index_image_folder(path=folder_path(recipe, "image"))
    return estimate_decoded_bytes(index.paths) * IN_MEMORY_BYTES


def _audio_bytes(recipe: Recipe) -> int:
    """What the in-memory path would hold: the float32 clips and the model inputs."""
    index = index_audio_folder(path=folder_path(recipe, "audio"))
    paths = [i.path for i in index.items]
    return estimate_audio_bytes(paths, _clip_spec(recipe)) * AUDIO_IN_MEMORY


@dataclass(frozen=True)
class StreamedKind:
    """A data set that streams from its files.

    Attributes:
        in_memory_bytes: the recipe → what its in-memory path would hold, for ``auto``.
        prepare: ``(recipe, fitted)`` → its streamed splits (a ``PreparedData``).
    """

    in_memory_bytes: Callable[[Recipe], int]
    prepare: Callable[[Recipe, dict[str, Any] | None], Any]


#: the data sets that stream from their files, by canonical name
STREAMED_KINDS: dict[str, StreamedKind] = {
    "image-folder": StreamedKind(_image_bytes, _prepare_image),
    "audio-folder": StreamedKind(_audio_bytes, _prepare_audio),
    "video-folder": StreamedKind(video_bytes, prepare_video_stream),
}
#: their names
STREAMED = tuple(STREAMED_KINDS)
