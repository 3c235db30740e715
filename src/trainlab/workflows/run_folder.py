"""Run folders that are never half-written.

A run writes into a hidden ``.NAME.partial`` folder beside its final place and
renames it when everything is written; an interrupted run leaves only the
partial folder, from which ``--resume`` continues.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from trainlab.workflows.run_folder import RunFolder
    >>> root = Path(tempfile.mkdtemp())
    >>> rf = RunFolder.create(root, "demo")
    >>> rf.partial.name
    '.demo.partial'
    >>> rf.finalize().name
    'demo'
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from trainlab.config.recipe import ModelConfig, Recipe
from trainlab.core.errors import ConfigError

PARTIAL_SUFFIX = ".partial"


@dataclass
class RunFolder:
    """A run's partial (working) folder and its final destination."""

    partial: Path
    final: Path

    @classmethod
    def create(cls, root: str | Path, name: str) -> RunFolder:
        """A new, unique run folder ``root/name`` (a counter is added if it exists)."""
        root = Path(root)
        root.mkdir(parents=True, exist_ok=True)
        candidate = cls.free_name(root, name)
        rf = cls(cls.partial_path(root, candidate), root / candidate)
        rf.partial.mkdir()
        return rf

    @staticmethod
    def partial_path(root: str | Path, name: str) -> Path:
        """Where run ``name`` under ``root`` is kept until it is complete."""
        return Path(root) / f".{name}{PARTIAL_SUFFIX}"

    @classmethod
    def free_name(cls, root: str | Path, name: str) -> str:
        """``name``, or ``name-2``, ``name-3``, … : the first that no run under ``root`` has."""
        candidate, i = name, 1
        while (Path(root) / candidate).exists() or cls.partial_path(root, candidate).exists():
            i += 1
            candidate = f"{name}-{i}"
        return candidate

    @classmethod
    def resume(cls, path: str | Path) -> RunFolder:
        """The run folder to resume from its partial folder (or its final name)."""
        path = Path(path)
        if not path.name.endswith(PARTIAL_SUFFIX):
            partial = path.parent / f".{path.name}{PARTIAL_SUFFIX}"
            if path.is_dir() and not partial.exists():
                raise ConfigError(f"--resume {path}: this run is already complete")
            path = partial
        if not path.is_dir():
            raise ConfigError(f"--resume {path}: no such unfinished run folder")
        final = path.parent / path.name.removeprefix(".").removesuffix(PARTIAL_SUFFIX)
        return cls(path, final)

    def finalize(self) -> Path:
        """Move the complete run into place; returns the final folder."""
        if self.final.exists():
            self.final = self.final.with_name(f"{self.final.name}-{int(time.time())}")
        os.replace(self.partial, self.final)
        return self.final


def run_label(recipe: Recipe) -> str:
    """What a run is called: the recipe's name, or what it trains when the name is the default.

    A recipe that keeps the default name (``run``) is labelled by its data (the
    file's or folder's stem for ``data.options.path``, else the data set) and
    its model, e.g. ``flowers-mlp`` or ``diabetes-mlp``; resolve ``model.name:
    auto`` first (:func:`~trainlab.workflows.model_choice.resolve_model`) so
    that the label names the model.

    Example:
        >>> from trainlab.config.recipe import Recipe
        >>> run_label(Recipe.load("wine-mlp"))
        'wine-mlp'
        >>> run_label(Recipe().override({"data.dataset": "diabetes", "model.name": "mlp"}))
        'diabetes-mlp'
        >>> r = Recipe().override({"data.dataset": "csv", "data.options.path": "/d/flowers.csv"})
        >>> run_label(r.override({"model.name": "mlp"})), run_label(r)
        ('flowers-mlp', 'flowers')
    """
    if recipe.name != Recipe.model_fields["name"].default:
        return recipe.name
    path = recipe.data.options.get("path")
    what = Path(path).stem if isinstance(path, str) and Path(path).stem else recipe.data.dataset
    model = recipe.model.name
    return what if model == ModelConfig.AUTO else f"{what}-{model}"


def default_run_name(recipe: Recipe | str) -> str:
    """``LABEL-YYYYmmdd-HHMMSS`` in local time, LABEL being :func:`run_label` (or a given name).

    Example:
        >>> from trainlab.config.recipe import Recipe
        >>> default_run_name(Recipe.load("wine-mlp")).startswith("wine-mlp-")
        True
    """
    label = recipe if isinstance(recipe, str) else run_label(recipe)
    return f"{label}-{time.strftime('%Y%m%d-%H%M%S')}"
