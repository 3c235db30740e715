"""The recipe's meta section: defaults, class splits, and what it refuses."""

from __future__ import annotations

import pytest

from trainlab.config.meta import MetaConfig
from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError


def test_defaults_are_off_and_five_way_one_shot() -> None:
    m = Recipe().meta
    assert not m.enabled and (m.n_way, m.k_shot, m.query) == (5, 1, 15)
    assert m.classes == "auto"


def test_training_shots_and_ways_default_to_the_test_ones() -> None:
    m = MetaConfig(method="protonet", n_way=3, k_shot=2)
    assert (m.shots_in_training, m.ways_in_training) == (2, 3)
    m = MetaConfig(method="protonet", train_shot=5, train_way=4)
    assert (m.shots_in_training, m.ways_in_training) == (5, 4)


def test_class_splits_are_lists_of_names_or_indices() -> None:
    r = Recipe().override({"meta.classes": {"train": [0, 1, "2"], "test": [3, 4]}})
    assert r.meta.classes.train == [0, 1, "2"] and r.meta.classes.val == []
    with pytest.raises(ConfigError, match=r"meta\.classes"):
        Recipe().override({"meta.classes": {"train": [0, 1]}})  # no test classes


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("meta.method", "reptile", "meta.method"),
        ("meta.n_way", 1, "meta.n_way"),
        ("meta.k_shot", 0, "meta.k_shot"),
        ("meta.inner_lr", 0, "meta.inner_lr"),
    ],
)
def test_bad_values_name_their_key(key, value, words) -> None:
    with pytest.raises(ConfigError, match=words):
        Recipe().override({key: value})


def test_maml_s_training_episodes_have_n_way_classes() -> None:
    with pytest.raises(ConfigError, match="train_way: MAML's head has n_way"):
        Recipe().override({"meta.method": "maml", "meta.train_way": 7})
    assert Recipe().override({"meta.method": "protonet", "meta.train_way": 7}).meta.train_way == 7
