"""What every tracker shares: the recipe flattened, the numbers kept, a missing package said."""

from __future__ import annotations

import pytest

from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError
from trainlab.io.tracking.base import flatten, need, numeric


def test_a_recipe_flattens_to_dotted_keys_with_json_for_lists_and_none() -> None:
    flat = flatten(Recipe.load("wine-mlp").to_dict())
    assert flat["optimizer.lr"] == Recipe.load("wine-mlp").optimizer.lr
    assert flat["model.widths"].startswith("[") and flat["transfer.checkpoint"] == "null"
    assert all(isinstance(v, bool | int | float | str) for v in flat.values())


def test_only_finite_numbers_are_logged() -> None:
    row = {"epoch": 1, "val_acc": 0.5, "lr": float("inf"), "verdict": "x", "ok": True}
    assert numeric(row) == {"epoch": 1.0, "val_acc": 0.5}


def test_a_missing_package_is_one_line_naming_the_key_and_the_extra() -> None:
    with pytest.raises(
        ConfigError, match=r"^track\.mlflow: needs the nosuchpkg package.*trainlab\[track\]"
    ):
        need("nosuchpkg.sub", "mlflow")
