"""Text data prepared for a run: the text pipeline fitted on the training split, then tensors.

The split is the one every modality gets; only the inputs differ: strings go
through the recipe's ``preprocess.text`` (:mod:`~trainlab.workflows.text_setup`),
fitted on the training texts only, into bags of words or token id sequences.
The numeric preprocessing is the identity here (its state records the
inputs' shape and type, as for any run).

Example:
    >>> from trainlab.workflows.prepare_text import prepare_text
    >>> callable(prepare_text)
    True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from trainlab.config.recipe import Recipe
from trainlab.core.errors import DataError
from trainlab.data._bundle import DataBundle, Target
from trainlab.preprocess.pipeline import Preprocessor
from trainlab.workflows.text_setup import fit_text_pipeline, text_inputs, vocabulary_size


def prepare_text(
    recipe: Recipe, bundle: DataBundle, splits, targets: list[Target], fitted: dict[str, Any] | None
):
    """The :class:`~trainlab.workflows.prepare.PreparedData` of a text data set's splits."""
    from trainlab.workflows.prepare import PreparedData, labels

    pipe = fit_text_pipeline(recipe, splits.train.x, fitted.get("text") if fitted else None)

    def tensors(part):
        if part is None or len(part) == 0:
            return None
        return text_inputs(pipe, part.x), labels(part, targets)

    train = tensors(splits.train)
    if train is None:
        raise DataError(f"dataset {bundle.name!r}: the training split is empty")
    if fitted is not None:
        pre = Preprocessor.from_state_dict(fitted["pipeline"])
    else:  # the identity, recording the inputs' shape and type
        pre = Preprocessor(pixel_scale=False, normalize="none").fit(train[0][:1].numpy())
    summary = {
        "dataset": bundle.name,
        "source": bundle.source,
        "modality": "text",
        "classes": list(bundle.classes),
        "targets": [{"name": t.name, "kind": t.kind} for t in targets],
        "feature_names": None,
        "input_shape": list(train[0].shape[1:]),
        "representation": recipe.preprocess.text.representation,
        "vocabulary": vocabulary_size(pipe),
        "train": len(splits.train),
        "val": len(splits.val),
        "test": len(splits.test),
        "notes": list(bundle.notes),
    }
    return PreparedData(
        train=train,
        val=tensors(splits.val),
        test=tensors(splits.test),
        classes=list(bundle.classes),
        modality="text",
        in_shape=tuple(train[0].shape[1:]),
        preprocessor=pre,
        image=None,
        summary=summary,
        targets=list(targets),
        text=pipe,
        texts={
            name: np.asarray(part.x, dtype=object)
            for name, part in (
                ("train", splits.train),
                ("val", splits.val),
                ("test", splits.test),
                ("pool", splits.pool),
            )
            if part is not None
        },
    )
