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
from trainlab.data._bundle import DataBundle, Target
from trainlab.workflows.prepare_encoded import encoded_data
from trainlab.workflows.text_setup import fit_text_pipeline, text_inputs, vocabulary_size


def prepare_text(
    recipe: Recipe, bundle: DataBundle, splits, targets: list[Target], fitted: dict[str, Any] | None
):
    """The :class:`~trainlab.workflows.prepare.PreparedData` of a text data set's splits."""
    pipe = fit_text_pipeline(recipe, splits.train.x, fitted.get("text") if fitted else None)
    parts = (("train", splits.train), ("val", splits.val), ("test", splits.test))
    parts += (("pool", splits.pool),)
    return encoded_data(
        bundle,
        splits,
        targets,
        fitted,
        lambda x: text_inputs(pipe, x),
        {
            "representation": recipe.preprocess.text.representation,
            "vocabulary": vocabulary_size(pipe),
        },
        text=pipe,
        texts={name: np.asarray(part.x, dtype=object) for name, part in parts if part is not None},
    )
