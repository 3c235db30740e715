"""The augmentation preview: a recipe without augmentations is told how to add some."""

from __future__ import annotations

import re

import pytest

from trainlab.config.recipe import Recipe
from trainlab.workflows.preview import ADD_ONE, augmented_draws


def test_no_augment_list_says_how_to_add_one(cli, one_line_error, tmp_path):
    code, _, err = cli("augment-preview", "digits-cnn", "--out", str(tmp_path / "p.png"))
    one_line_error(code, err, "no augment list", "--set 'augment=[{name: rotate, rotation: 15}]'")
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("example", re.findall(r"--set '(augment=[^']*)'", ADD_ONE))
def test_the_examples_it_gives_work(example, tmp_path):
    recipe = Recipe.load("digits-cnn" if "rotate" in example else "mnist1d-cnn")
    x, draws, _ = augmented_draws(recipe.override([example, "data.limit=100"]), rows=1, draws=1)
    assert draws[0].shape == x.shape and not draws[0].equal(x)
