"""Pick a text run's examples: test texts predicted right and wrong, and augmented texts.

For the run report (:mod:`trainlab.report.text_examples`): per class of the test
split, the largest first (ties in class order), up to :data:`MAX_CLASSES`, the
first text in test order that the model predicted right and the first it
predicted wrong, each with its predicted class and the probability given to it;
and, for a recipe with text augmentations, the first training text before and
after each of them alone, drawn from the recipe's seed
(:func:`~trainlab.workflows.preview_text.augmented_versions`, as
``trainlab augment-preview`` draws them). Everything is a pure function of the
data, the predictions and the recipe, so a rerun picks the same examples.

Example:
    >>> import numpy as np, torch
    >>> from trainlab.workflows.text_examples import pick_predictions
    >>> texts = np.array(["goal", "bread", "match", "soup"], dtype=object)
    >>> y = torch.tensor([0, 1, 0, 1])
    >>> probs = torch.tensor([[0.9, 0.1], [0.3, 0.7], [0.4, 0.6], [0.8, 0.2]])
    >>> for e in pick_predictions(texts, y, probs, ["sport", "food"]):
    ...     print(e.label, e.text, e.predicted, f"{e.probability:.1f}", e.correct)
    sport goal sport 0.9 True
    sport match food 0.6 False
    food bread food 0.7 True
    food soup sport 0.8 False
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from trainlab.augment.text.registry import TEXT_AUGMENTATIONS
from trainlab.config.recipe import Recipe
from trainlab.report.text_examples import AugmentedText, TextExample, TextExamples
from trainlab.workflows.prepare import PreparedData
from trainlab.workflows.preview_text import augmented_versions, text_augmentations

#: the most classes the report shows examples of
MAX_CLASSES = 12


def pick_predictions(
    texts: Sequence[Any] | np.ndarray,
    labels: torch.Tensor | np.ndarray,
    probs: torch.Tensor | np.ndarray,
    classes: Sequence[str],
    *,
    max_classes: int = MAX_CLASSES,
) -> tuple[TextExample, ...]:
    """Per class (the most frequent in ``labels`` first, ties in class order, at most
    ``max_classes``), the first text predicted right and the first predicted wrong.

    Args:
        texts: the split's texts, in the order of ``labels`` and ``probs``' rows.
        labels: (N,) class indices.
        probs: (N, classes) predicted probabilities.
        classes: the class names, by index.
        max_classes: how many classes to show at most.
    """
    y = np.asarray(labels.cpu() if isinstance(labels, torch.Tensor) else labels).astype(int)
    p = np.asarray(probs.detach().cpu() if isinstance(probs, torch.Tensor) else probs, float)
    if p.ndim != 2 or len(p) != len(y) or len(texts) != len(y):
        raise ValueError(
            f"expected {len(y)} texts and ({len(y)}, classes) probabilities, got "
            f"{len(texts)} texts and {p.shape} probabilities"
        )
    predicted = p.argmax(1)
    counts = np.bincount(y, minlength=len(classes))
    order = sorted((c for c in range(len(counts)) if counts[c]), key=lambda c: (-counts[c], c))
    out: list[TextExample] = []
    for c in order[: max(0, max_classes)]:
        rows = np.flatnonzero(y == c)
        for correct in (True, False):
            hits = rows[(predicted[rows] == c) == correct]
            if len(hits):
                i = int(hits[0])
                k = int(predicted[i])
                out.append(
                    TextExample(str(texts[i]), classes[c], classes[k], float(p[i, k]), correct)
                )
    return tuple(out)


def text_augmentation_specs(recipe: Recipe) -> list[dict[str, Any]]:
    """The recipe's ``augment`` entries that name text augmentations."""
    return [dict(s) for s in recipe.augment if str(s.get("name")) in TEXT_AUGMENTATIONS]


def pick_augmentations(recipe: Recipe, texts: Sequence[Any]) -> tuple[AugmentedText, ...]:
    """The first of ``texts`` (training texts) before and after each of the recipe's text
    augmentations alone, drawn from the recipe's seed; none without such augmentations."""
    specs = text_augmentation_specs(recipe)
    if not specs or not len(texts):
        return ()
    before = str(texts[0])
    augs = text_augmentations(specs, recipe.preprocess.text.language, [str(t) for t in texts])
    versions = augmented_versions(augs, [before], seed=recipe.seed, combined=False)
    return tuple(AugmentedText(name, before, out[0]) for name, out in versions[1:])


def pick_text_examples(
    recipe: Recipe,
    data: PreparedData,
    test_probs: torch.Tensor | None,
    *,
    max_classes: int = MAX_CLASSES,
) -> TextExamples | None:
    """A text run's examples for the report, or None for another run (or nothing to show).

    Predictions need a test split of one classification target with its (N, classes)
    probabilities, ``test_probs``; augmentations need training texts.
    """
    if data.modality != "text" or not data.texts:
        return None
    predictions: tuple[TextExample, ...] = ()
    kinds = [t.kind for t in data.targets]
    one_label = kinds in ([], ["classification"]) and bool(data.classes)
    classes = 0
    test = data.texts.get("test")
    if (
        one_label
        and data.test is not None
        and test is not None
        and isinstance(test_probs, torch.Tensor)
        and test_probs.ndim == 2
    ):
        labels = data.test[1]
        classes = int(torch.unique(labels).numel())
        predictions = pick_predictions(
            test, labels, test_probs, data.classes, max_classes=max_classes
        )
    augmentations = pick_augmentations(recipe, data.texts.get("train", ()))
    examples = TextExamples(predictions, augmentations, classes)
    return examples or None
