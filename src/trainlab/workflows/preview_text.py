"""Seeing text augmentations: a few training texts before and after each one.

For a recipe whose ``augment`` list names text augmentations
(:mod:`trainlab.augment.text`), ``trainlab augment-preview`` prints, for one
text per class first, the original, each augmentation alone and all of them
in order, and writes the same lines to a text file. Every draw is seeded, so
the same command prints the same lines.

Example:
    >>> from trainlab.workflows.preview_text import names_text_augmentations
    >>> names_text_augmentations([{"name": "keyboard"}])
    True
    >>> names_text_augmentations([{"name": "flip"}])
    False
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from trainlab.augment.text.pipeline import build_text_augmentations, fit_text_augmentations
from trainlab.augment.text.registry import TEXT_AUGMENTATIONS
from trainlab.config.recipe import Recipe
from trainlab.core.atomic import write_text_atomic
from trainlab.core.errors import ConfigError


def names_text_augmentations(specs: list[dict[str, Any]]) -> bool:
    """Whether every augmentation of ``specs`` is a text augmentation."""
    return bool(specs) and all(str(s.get("name")) in TEXT_AUGMENTATIONS for s in specs)


def text_augmentations(
    specs: list[dict[str, Any]], language: str | None = None, corpus: Sequence[str] = ()
) -> list[tuple[str, Any]]:
    """Each text augmentation of ``specs``, with its name: built in the data's ``language``
    and, for those that learn from a corpus, fitted on ``corpus``; errors name the entry.

    Example:
        >>> [(n, a.layout) for n, a in text_augmentations([{"name": "typo"}], "es")]
        [('typo', 'qwerty-es')]
    """
    augs = fit_text_augmentations(build_text_augmentations(specs, language), corpus)
    return [(str(spec["name"]), aug) for spec, aug in zip(specs, augs, strict=True)]


def augmented_versions(
    augs: list[tuple[str, Any]], texts: list[str], *, seed: int = 0, combined: bool = True
) -> list[tuple[str, list[str]]]:
    """``texts`` as they are (``"original"``), after each augmentation of ``augs`` alone
    (by its name, each drawn from ``seed``) and, with ``combined`` and more than one, after
    all of them in order (``"all"``); each changes every text, whatever its ``p``.

    Example:
        >>> augs = text_augmentations([{"name": "char-delete", "rate": 0.5}])
        >>> versions = augmented_versions(augs, ["abcdef"])
        >>> [name for name, _ in versions], len(versions[1][1][0]) < 6
        (['original', 'char-delete'], True)
    """
    versions = [("original", list(texts))]
    for name, aug in augs:
        versions.append((name, always(aug, list(texts), np.random.default_rng(seed))))
    if combined and len(augs) > 1:
        out = list(texts)
        rng = np.random.default_rng(seed)
        for _, aug in augs:
            out = always(aug, out, rng)
        versions.append(("all", out))
    return versions


def always(aug: Any, texts: list[str], rng: np.random.Generator) -> list[str]:
    """``texts`` after ``aug`` applied to every one of them, whatever its ``p`` (a preview
    shows what an augmentation does, not how often)."""
    params = aug.sample_params(texts, rng)
    params["apply"] = np.ones(len(texts), dtype=bool)
    return aug.apply(texts, params)


def text_preview(recipe: Recipe, path: Path, *, rows: int = 4, seed: int = 0) -> Path:
    """Write (and return) ``path`` with its suffix ``.txt``: texts before and after."""
    from trainlab.workflows.prepare import _load

    language = recipe.preprocess.text.language
    text_augmentations(recipe.augment, language)  # names and arguments, before the data
    bundle = _load(recipe)
    if bundle.modality != "text":
        raise ConfigError(
            f"augment: {recipe.augment[0]['name']!r} is a text augmentation, but the data are "
            f"{bundle.modality}"
        )
    from trainlab.data.split import limit_bundle, split_bundle

    # the run's training part: an augmentation that learns from a corpus never sees the
    # validation or test texts
    train = split_bundle(
        limit_bundle(bundle, recipe.data.limit, recipe.seed), recipe.split, recipe.seed
    ).train
    augs = text_augmentations(recipe.augment, language, [str(t) for t in train.x])
    first: dict[int, int] = {}
    for i, label in enumerate(train.y.tolist()):
        first.setdefault(int(label), i)
    index = list(first.values())[: max(1, rows)]
    texts = [str(train.x[i]) for i in index]
    versions = augmented_versions(augs, texts, seed=seed)
    lines = []
    for r, i in enumerate(index):
        lines.append(f"[{bundle.classes[int(train.y[i])]}]")
        lines += [f"  {name:<16} {' '.join(v[r].split())}" for name, v in versions]
        lines.append("")
    return write_text_atomic(Path(path).with_suffix(".txt"), "\n".join(lines))
