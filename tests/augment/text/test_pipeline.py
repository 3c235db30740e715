"""A recipe's text augmentations: built in the data's language, parameters drawn per text."""

from __future__ import annotations

import numpy as np
import pytest

from trainlab.augment.pipeline import build_augmentations
from trainlab.augment.text.pipeline import (
    build_text_augmentations,
    is_text_augmentation,
    text_params,
    with_language,
)
from trainlab.core.errors import ConfigError


def test_the_data_language_fills_language_and_layout_but_never_overrides():
    augs = build_text_augmentations(
        [{"name": "keyboard"}, {"name": "misspell"}, {"name": "char-insert", "language": "en"}],
        "es",
    )
    assert augs[0].layout == "qwerty-es" and augs[1].language == "es"
    assert augs[2].language == "en"
    assert with_language({"name": "word-swap"}, "es") == {"name": "word-swap"}
    assert with_language({"name": "misspell"}, "de") == {"name": "misspell"}  # no such list


def test_a_spanish_recipe_cannot_take_english_only_synonyms():
    with pytest.raises(ConfigError, match="English only"):
        build_text_augmentations([{"name": "synonym"}], "es")


def test_tensor_and_text_augmentations_do_not_mix():
    with pytest.raises(ConfigError, match=r"augment\[1\]: 'flip' works on tensors.*text"):
        build_augmentations([{"name": "typo"}, {"name": "flip"}], modality="text")
    with pytest.raises(ConfigError, match=r"augment\[0\]: 'keyboard' works on text.*image"):
        build_augmentations([{"name": "keyboard"}], modality="image")
    with pytest.raises(ConfigError, match="mixes text and tensor"):
        build_augmentations([{"name": "flip"}, {"name": "keyboard"}])
    with pytest.raises(ConfigError, match=r"augment\[0\]\.speed: unknown argument"):
        build_augmentations([{"name": "keyboard", "speed": 2}])
    assert is_text_augmentation({"name": "back-translation"})


def test_params_depend_on_the_key_and_the_index_only():
    a = text_params(0.5, list(range(200)), key=(1, 2, 3, 4))
    b = text_params(0.5, list(range(100, 200)), key=(1, 2, 3, 4))
    assert np.array_equal(a["seed"][100:], b["seed"])
    assert np.array_equal(a["apply"][100:], b["apply"])
    assert 70 < a["apply"].sum() < 130  # p = 0.5
    c = text_params(0.5, list(range(200)), key=(1, 2, 3, 5))
    assert not np.array_equal(a["seed"], c["seed"])
    assert text_params(0.0, [1, 2], key=(0,))["apply"].tolist() == [False, False]
