"""What every streamed folder shares: its split index, its batch sources, its prepared data.

A streamed folder (image, audio, video) is indexed (paths and labels, nothing
decoded), split as any data set (:func:`split_index`: the class selection,
``data.limit`` and the recipe's split, on the index), and each split becomes
a :class:`~trainlab.data.stream.StreamSource` (:func:`stream_source`) whose
worker processes decode the files of each batch. :func:`streamed_data`
builds the :class:`~trainlab.workflows.prepare.PreparedData` and its summary.

Example:
    >>> from trainlab.config.recipe import Recipe
    >>> from trainlab.workflows.prepare_stream_parts import folder_path
    >>> folder_path(Recipe().override({"data.options": {"path": "clips"}}), "video")
    'clips'
"""

from __future__ import annotations

from typing import Any

import torch

from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError
from trainlab.data._bundle import ArrayData, DataBundle
from trainlab.data.classes import select_classes
from trainlab.data.split import limit_bundle, split_bundle
from trainlab.data.stream import StreamSource
from trainlab.engine.loop import resolve_device
from trainlab.preprocess.pipeline import Preprocessor


def folder_path(recipe: Recipe, what: str) -> str:
    """``data.options.path``, or a ``ConfigError`` naming the ``what`` folder it lacks."""
    path = recipe.data.options.get("path")
    if path is None:
        raise ConfigError(f"data.options.path: the {what} folder to stream is missing")
    return path


def split_index(recipe: Recipe, bundle: DataBundle):
    """The recipe's splits of an index's bundle (classes chosen, limited), and the bundle."""
    bundle = select_classes(bundle, recipe.data.classes)
    if recipe.data.limit is not None:
        bundle = limit_bundle(bundle, recipe.data.limit, recipe.seed)
    return split_bundle(bundle, recipe.split, recipe.seed), bundle


def stream_source(recipe: Recipe, part: ArrayData, files: type, transform, train: bool):
    """One split as ``(StreamSource over files(part.x, part.y, transform), labels)``, or None."""
    if len(part) == 0:
        return None
    source = StreamSource(
        files(part.x, part.y, transform),
        batch_size=recipe.train.batch_size if train else recipe.train.eval_batch_size,
        workers=recipe.data.workers,
        shuffle=train,
        device=resolve_device(recipe.train.device),
        seed=recipe.seed,
    )
    return source, torch.from_numpy(part.y)


def streamed_data(
    recipe: Recipe,
    splits,
    bundle: DataBundle,
    files: type,
    transform,
    pre: Preprocessor,
    in_shape: tuple[int, ...],
    *,
    summary: dict[str, Any] | None = None,
    **fields: Any,
):
    """The streamed splits of a folder and what describes them.

    ``summary``: what the modality adds to the data's summary (after the inputs'
    shape); ``fields``: its own :class:`~trainlab.workflows.prepare.PreparedData`
    fields (``image``, ``frontend``, ``video``).
    """
    from trainlab.workflows.prepare import PreparedData

    described = {
        "dataset": bundle.name,
        "source": bundle.source,
        "modality": bundle.modality,
        "classes": list(bundle.classes),
        "targets": [{"name": bundle.main_target.name, "kind": "classification"}],
        "input_shape": list(in_shape),
        **(summary or {}),
        "train": len(splits.train),
        "val": len(splits.val),
        "test": len(splits.test),
        "notes": [*bundle.notes, f"streamed from the files by {recipe.data.workers} workers"],
    }
    fields.setdefault("image", None)
    return PreparedData(
        train=stream_source(recipe, splits.train, files, transform, True),
        val=stream_source(recipe, splits.val, files, transform, False),
        test=stream_source(recipe, splits.test, files, transform, False),
        classes=list(bundle.classes),
        modality=bundle.modality,
        in_shape=tuple(in_shape),
        preprocessor=pre,
        summary=described,
        targets=[bundle.main_target],
        **fields,
    )
