"""Shared fixtures: tiny, fast recipes and an isolated cache folder."""

from __future__ import annotations

import pytest

from trainlab.recipe import Recipe


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
