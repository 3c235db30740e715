"""The recipe's track section: off by default, a destination each, bad values named."""

import pytest

from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError


def test_off_by_default_and_on_with_either_destination() -> None:
    assert not Recipe().track.enabled
    assert Recipe().override({"track.tensorboard": "tb"}).track.enabled
    assert Recipe().override({"track.mlflow": "sqlite:///m.db"}).track.experiment == "trainlab"


def test_an_unknown_key_or_an_empty_experiment_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"track\.wandb"):
        Recipe().override({"track.wandb": "x"})
    with pytest.raises(ConfigError, match=r"track\.experiment"):
        Recipe().override({"track.experiment": ""})
