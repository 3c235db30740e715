"""Base models to transfer from, trained once per test session (seconds each)."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainlab.train.run import run_recipe
from transferkit import TASK_A, tiny


@pytest.fixture(scope="session")
def base_a(tmp_path_factory) -> Path:
    """A model trained on task A; its ``model.safetensors``."""
    out = tmp_path_factory.mktemp("base-a")
    return run_recipe(tiny(**{"data.classes": TASK_A}), out_dir=out).folder / "model.safetensors"


@pytest.fixture(scope="session")
def base_minmax_20(tmp_path_factory) -> Path:
    """A model trained on 20×20 min-max scaled digits (to provoke preprocessing mismatches)."""
    out = tmp_path_factory.mktemp("base-minmax")
    r = tiny(**{"preprocess.normalize": "minmax", "preprocess.image.size": [20, 20]})
    return run_recipe(r, out_dir=out).folder / "model.safetensors"
