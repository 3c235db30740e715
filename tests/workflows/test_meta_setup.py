"""A meta run's data: class splits by name, disjoint pools, statistics of the training classes."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError, DataError
from trainlab.workflows.meta_setup import auto_split, class_split, prepare_meta_data

TINY = {
    "meta.method": "protonet",
    "meta.n_way": 3,
    "meta.query": 5,
    "data.limit": 600,
    "train.progress": False,
}


def _recipe(**extra) -> Recipe:
    return Recipe.load("digits-cnn").override({**TINY, **extra})


def test_auto_keeps_the_last_n_classes_for_testing() -> None:
    s = auto_split(10, 3)
    assert s.test == (7, 8, 9) and s.val == (4, 5, 6) and s.train == (0, 1, 2, 3)
    assert auto_split(7, 3).val == ()


def test_class_splits_by_name_and_their_errors() -> None:
    classes = [str(i) for i in range(10)]
    r = _recipe(**{"meta.classes": {"train": ["0", "1", "2"], "val": [3, 4, 5], "test": [9, 8, 7]}})
    s = class_split(r, classes)
    assert s.train == (0, 1, 2) and s.test == (9, 8, 7)
    bad = _recipe(**{"meta.classes": {"train": [0, 1, 2], "test": [2, 3, 4]}})
    with pytest.raises(ConfigError, match=r"^meta.classes: class 2 is in both train and test"):
        class_split(bad, classes)
    unknown = _recipe(**{"meta.classes": {"train": [0, 1, 2], "test": ["ten"]}})
    with pytest.raises(ConfigError, match=r"^meta.classes.test: no class 'ten'"):
        class_split(unknown, classes)
    with pytest.raises(ConfigError, match="auto needs at least n_way"):
        class_split(_recipe(**{"meta.n_way": 9}), classes)


def test_pools_hold_their_classes_standardized_by_the_training_classes() -> None:
    data = prepare_meta_data(_recipe())
    assert data.split.test == (7, 8, 9) and data.names("val") == ["4", "5", "6"]
    assert len(data.train.x) == 600 and len(data.test.x) == 600
    assert sorted(np.unique(data.test.y.numpy())) == [0, 1, 2]
    # the training pool is standardized by its own statistics, the test pool by the same ones
    assert abs(float(data.train.x.mean())) < 1e-3
    assert abs(float(data.test.x.mean())) > 1e-3
    e = data.test.sampler.episode(0)
    assert len(e.support) == 3 and len(e.query) == 15
    # a replay: the same recipe, the same pools and episodes
    again = prepare_meta_data(_recipe())
    torch.testing.assert_close(again.test.x, data.test.x)
    assert (again.test.sampler.episode(5).query == data.test.sampler.episode(5).query).all()


def test_too_many_shots_name_the_split_and_the_keys() -> None:
    with pytest.raises(
        DataError, match=r"^meta.classes.val: class '4' has \d+ examples, fewer than meta.k_shot"
    ):
        prepare_meta_data(_recipe(**{"meta.k_shot": 400, "meta.train_shot": 1}))
    with pytest.raises(DataError, match=r"^meta.classes.train: class '0' .* meta.train_shot"):
        prepare_meta_data(_recipe(**{"meta.train_shot": 400}))
    with pytest.raises(DataError, match=r"^meta.classes.train: meta.train_way = 5 is larger"):
        prepare_meta_data(_recipe(**{"meta.train_way": 5}))


def test_a_regression_target_is_refused() -> None:
    r = Recipe.load("diabetes-mlp").override({"meta.method": "protonet"})
    with pytest.raises(ConfigError, match="needs one target of classes"):
        prepare_meta_data(r)
