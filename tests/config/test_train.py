"""The ``train`` section: YAML's ``off`` and ``on`` read back as the words."""

from __future__ import annotations

import pytest

from trainlab.config.recipe import Recipe


@pytest.mark.parametrize(
    ("given", "read"), [(False, "off"), (True, "default"), ("max-autotune", "max-autotune")]
)
def test_yaml_switches_read_as_the_words(given, read) -> None:
    recipe = Recipe.load("wine-mlp").override({"train.compile": given, "train.amp": given is True})
    assert recipe.train.compile == read
    assert recipe.train.amp == ("on" if given is True else "off")
