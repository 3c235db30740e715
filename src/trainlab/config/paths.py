"""A recipe's file paths made absolute, so a saved recipe reruns from any folder.

Example:
    >>> from trainlab.config.paths import with_absolute_paths
    >>> from trainlab.config.recipe import Recipe
    >>> with_absolute_paths(Recipe()) == Recipe()
    True
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from trainlab.config.recipe import Recipe

#: the ``data.options`` entries that name a file or folder (csv, image-folder, fashion-mnist)
PATH_OPTIONS: tuple[str, ...] = ("path", "root")


def _absolute(path: Any, base: Path) -> Any:
    if not isinstance(path, str) or not path or path.startswith("~") or Path(path).is_absolute():
        return path
    return os.path.normpath(base / path)


def with_absolute_paths(recipe: Recipe, base: str | Path | None = None) -> Recipe:
    """``recipe`` with its relative file paths made absolute, against ``base`` (default: cwd).

    A run keeps its recipe this way (``recipe.yaml``, the model checkpoint), so
    that ``trainlab run runs/<run>/recipe.yaml`` reproduces the run from any
    folder. The paths are ``data.options.path`` and ``data.options.root``,
    ``transfer.checkpoint`` (its ``{seed}`` kept), and, when they name an existing
    file, ``pretrain.corpus`` and the file arguments of the ``augment`` list
    (:data:`AUGMENT_FILES`); nothing else changes.

    Example:
        >>> r = Recipe().override({"data.dataset": "csv", "data.options.path": "data.csv"})
        >>> with_absolute_paths(r, base="/home/me").data.options["path"]
        '/home/me/data.csv'
        >>> with_absolute_paths(Recipe()) == Recipe()
        True
    """
    base = Path.cwd() if base is None else Path(base).absolute()
    changes: dict[str, Any] = {}
    for key in PATH_OPTIONS:
        value = recipe.data.options.get(key)
        if _absolute(value, base) != value:
            changes[f"data.options.{key}"] = _absolute(value, base)
    checkpoint = recipe.transfer.checkpoint
    if _absolute(checkpoint, base) != checkpoint:
        changes["transfer.checkpoint"] = _absolute(checkpoint, base)
    corpus = recipe.pretrain.corpus  # a built-in corpus's name stays a name
    if (base / corpus).exists() and _absolute(corpus, base) != corpus:
        changes["pretrain.corpus"] = _absolute(corpus, base)
    augment = [_absolute_files(spec, base) for spec in recipe.augment]
    if augment != list(recipe.augment):
        changes["augment"] = augment
    return recipe.override(changes) if changes else recipe


#: the file arguments of augmentations (word vectors, a misspelling list, WordNet, noises)
AUGMENT_FILES = ("vectors", "path", "root", "folder")


def _absolute_files(spec: dict[str, Any], base: Path) -> dict[str, Any]:
    """``spec`` with its file arguments that name an existing file made absolute."""
    out = dict(spec)
    for key in AUGMENT_FILES:
        value = out.get(key)
        if isinstance(value, str) and value and (base / value).exists():
            out[key] = _absolute(value, base)
    return out
