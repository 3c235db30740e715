"""Shared fixtures: tiny, fast recipes and an isolated cache folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch

from trainlab.cli import main
from trainlab.config.recipe import Recipe
from trainlab.workflows.run import run_recipe
from transferkit import TASK_A, tiny


def pytest_configure(config):
    """Under pytest-xdist (``-n 2``), one intra-op thread per worker: workers share the cores."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        torch.set_num_threads(1)


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory):
    """Keep the user's cache folder untouched (modules may set their own)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("session-cache")))
        yield


@pytest.fixture
def tiny_digits() -> Recipe:
    """A CNN on 600 digits for 3 epochs: seconds on a CPU."""
    return Recipe.load("digits-cnn").override(
        {
            "data.limit": 600,
            "model.widths": [16, 32],
            "train.epochs": 3,
            "schedule.name": "constant",
            "optimizer.lr": 0.01,
            "train.batch_size": 32,
            "train.progress": False,
        }
    )


@pytest.fixture
def tiny_wine() -> Recipe:
    return Recipe.load("wine-mlp").override({"train.epochs": 3, "train.progress": False})


@pytest.fixture
def cli(capsys):
    """Run the command line in-process: ``cli("run", "--set", ...) -> (status, out, err)``."""

    def run(*args: str) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as e:
            main(list(args))
            raise SystemExit(0)
        out = capsys.readouterr()
        return e.value.code, out.out, out.err

    return run


@pytest.fixture
def one_line_error():
    """Assert the command line failed with exit 2 and one ``trainlab: error:`` line."""

    def check(code: int, err: str, *fragments: str) -> None:
        assert code == 2, err
        lines = [ln for ln in err.strip().splitlines() if ln.strip()]
        assert len(lines) == 1, err
        assert lines[0].startswith("trainlab: error: "), err
        assert "Traceback" not in err
        for f in fragments:
            assert f in lines[0], lines[0]

    return check


# Base models to transfer from, trained once per test session (seconds each).
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
