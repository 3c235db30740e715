"""Score a saved model on a split of its data, with its own preprocessing.

Example:
    >>> import tempfile, pathlib
    >>> from trainlab.config.recipe import Recipe
    >>> from trainlab.workflows.assemble import build_run_model
    >>> from trainlab.workflows.evaluate import evaluate_checkpoint
    >>> from trainlab.workflows.outputs import save_run_model
    >>> from trainlab.workflows.prepare import prepare_data
    >>> r = Recipe.load("wine-mlp")
    >>> data = prepare_data(r)
    >>> folder = pathlib.Path(tempfile.mkdtemp())  # a run folder's model, here untrained
    >>> save_run_model(folder / "model.safetensors", r, data, [build_run_model(r, data)], {})
    >>> m = evaluate_checkpoint(folder / "model.safetensors", split="test")
    >>> m["n"] > 0 and 0.0 <= m["acc"] <= 1.0
    True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError
from trainlab.core.seeding import epoch_seed
from trainlab.engine.loop import resolve_device
from trainlab.io.model_file import load_model
from trainlab.workflows.final import evaluate_models
from trainlab.workflows.prepare import prepare_data


def evaluate_checkpoint(
    path: str | Path, *, split: str = "test", overrides: list[str] | None = None
) -> dict[str, Any]:
    """Loss and accuracy of the model saved at ``path`` on ``split`` of its data.

    The data and split come from the recipe saved in the checkpoint (with
    ``overrides`` applied, e.g. another CSV file); the preprocessing is the
    checkpoint's, never refitted.
    """
    models, meta = load_model(path)
    recipe = Recipe.from_dict(meta["recipe"], source=f"{path} (recipe)")
    if overrides:
        recipe = recipe.override(overrides)
    data = prepare_data(recipe, fitted=meta["preprocess"])
    if list(data.classes) != list(meta["classes"]):
        raise ConfigError(
            f"the data's classes {data.classes} differ from the model's {meta['classes']}"
        )
    part = getattr(data, split)
    if part is None:
        raise ConfigError(f"the {split} split is empty for this recipe")
    device = resolve_device(recipe.train.device)
    torch.manual_seed(epoch_seed(recipe.seed, 10**6))
    metrics, _ = evaluate_models(
        models,
        part,
        device,
        batch_size=recipe.train.eval_batch_size,
        mc_dropout=recipe.ensemble.mc_dropout,
        test_time=recipe.test_time,
    )
    return {"dataset": recipe.data.dataset, "split": split, "n": len(part[1]), **metrics}
