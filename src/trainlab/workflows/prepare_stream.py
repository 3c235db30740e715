"""Data larger than memory: an image or audio folder streamed from its files, batch by batch.

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

Example:
    >>> from trainlab.config.recipe import Recipe
    >>> from trainlab.workflows.prepare_stream import streams
    >>> streams(Recipe.load("digits-cnn"))  # not an image folder: in memory
    False
"""

from __future__ import annotations

import inspect
import warnings
from typing import Any

import numpy as np
import torch

from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError, DataError
from trainlab.data._bundle import ArrayData
from trainlab.data.classes import select_classes
from trainlab.data.datasets.audio._clips import ClipSpec
from trainlab.data.datasets.audio.audio_folder import (
    AudioFolderIndex,
    index_audio_folder,
    load_audio_folder,
)
from trainlab.data.datasets.image.image_folder import FolderIndex, index_image_folder
from trainlab.data.datasets.registry import DATASETS
from trainlab.data.split import limit_bundle, split_bundle
from trainlab.data.stream import (
    ImageFileDataset,
    ImageTransform,
    StreamSource,
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
from trainlab.engine.loop import resolve_device
from trainlab.preprocess.pipeline import Preprocessor
from trainlab.workflows.audio_setup import build_frontend, check_clip_shape

#: bytes the in-memory path holds per decoded uint8 value: the value and its float32 copy
IN_MEMORY_BYTES = 5
#: copies of the float32 clips the in-memory path holds: the loaded clips and the model inputs
AUDIO_IN_MEMORY = 2
GIB = 1024**3


#: the data sets that stream from their files
STREAMED = ("image-folder", "audio-folder")


def _audio(recipe: Recipe) -> bool:
    return DATASETS.canonical(recipe.data.dataset) == "audio-folder"


def _index(recipe: Recipe) -> FolderIndex | AudioFolderIndex:
    path = recipe.data.options.get("path")
    if path is None:
        what = "audio" if _audio(recipe) else "image"
        raise ConfigError(f"data.options.path: the {what} folder to stream is missing")
    return index_audio_folder(path=path) if _audio(recipe) else index_image_folder(path=path)


def _in_memory_bytes(recipe: Recipe) -> int:
    """What the in-memory path would hold: decoded values and their float32 copy."""
    index = _index(recipe)
    if isinstance(index, AudioFolderIndex):
        paths = [i.path for i in index.items]
        return estimate_audio_bytes(paths, _clip_spec(recipe)) * AUDIO_IN_MEMORY
    return estimate_decoded_bytes(index.paths) * IN_MEMORY_BYTES


def streams(recipe: Recipe) -> bool:
    """Whether the recipe's data are streamed from their files (see the module's notes).

    Raises:
        ConfigError: ``data.stream: true`` for a data set that is not an image or audio folder.
    """
    folder = DATASETS.canonical(recipe.data.dataset) in STREAMED
    setting = recipe.data.stream
    if setting is True and not folder:
        raise ConfigError(
            f"data.stream: only an image-folder or audio-folder data set streams from its "
            f"files; {recipe.data.dataset!r} is loaded in memory (set data.stream: false)"
        )
    if setting is not True and (setting is False or not folder):
        return False
    if setting is True:
        return True
    return _in_memory_bytes(recipe) > recipe.data.memory_budget * GIB


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


def _source(recipe: Recipe, part: ArrayData, transform, train: bool):
    if len(part) == 0:
        return None
    files = AudioFileDataset if isinstance(transform, AudioTransform) else ImageFileDataset
    dataset = files(part.x, part.y, transform)
    source = StreamSource(
        dataset,
        batch_size=recipe.train.batch_size if train else recipe.train.eval_batch_size,
        workers=recipe.data.workers,
        shuffle=train,
        device=resolve_device(recipe.train.device),
        seed=recipe.seed,
    )
    return source, torch.from_numpy(part.y)


def _splits(recipe: Recipe, sample_rate: int | None = None):
    """The split index of the recipe's folder, and its bundle (classes chosen, limited)."""
    index = _index(recipe)
    bundle = index.bundle(sample_rate) if isinstance(index, AudioFolderIndex) else index.bundle()
    bundle = select_classes(bundle, recipe.data.classes)
    if recipe.data.limit is not None:
        bundle = limit_bundle(bundle, recipe.data.limit, recipe.seed)
    return split_bundle(bundle, recipe.split, recipe.seed), bundle


def prepare_stream(recipe: Recipe, fitted: dict[str, Any] | None = None):
    """The recipe's image or audio folder as streamed splits (a :class:`PreparedData`)."""

    if recipe.task.targets is not None and list(recipe.task.targets) != ["label"]:
        raise ConfigError("task.targets: a streamed folder has one target, 'label'")
    if _audio(recipe):
        return _prepare_audio(recipe, fitted)
    splits, bundle = _splits(recipe)
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
    return _streamed(recipe, splits, bundle, transform, pre, "image", in_shape, image=image)


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
    splits, bundle = _splits(recipe, spec.sample_rate)
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
    return _streamed(
        recipe,
        splits,
        bundle,
        transform,
        pre,
        "audio",
        transform.shape,
        frontend=frontend,
        sample_rate=spec.sample_rate,
    )


def _streamed(
    recipe: Recipe,
    splits,
    bundle,
    transform,
    pre: Preprocessor,
    modality: str,
    in_shape: tuple[int, ...],
    *,
    image: dict[str, Any] | None = None,
    frontend=None,
    sample_rate: int | None = None,
):
    """The streamed splits of an image or audio folder, and what describes them."""
    from trainlab.workflows.prepare import PreparedData

    summary = {
        "dataset": bundle.name,
        "source": bundle.source,
        "modality": modality,
        "classes": list(bundle.classes),
        "targets": [{"name": bundle.main_target.name, "kind": "classification"}],
        "input_shape": list(in_shape),
        **({"sample_rate": sample_rate} if sample_rate is not None else {}),
        "train": len(splits.train),
        "val": len(splits.val),
        "test": len(splits.test),
        "notes": [*bundle.notes, f"streamed from the files by {recipe.data.workers} workers"],
    }
    return PreparedData(
        train=_source(recipe, splits.train, transform, True),
        val=_source(recipe, splits.val, transform, False),
        test=_source(recipe, splits.test, transform, False),
        classes=list(bundle.classes),
        modality=modality,
        in_shape=tuple(in_shape),
        preprocessor=pre,
        image=image,
        summary=summary,
        targets=[bundle.main_target],
        frontend=frontend,
    )
