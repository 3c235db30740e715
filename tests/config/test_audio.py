"""The recipe's preprocess.audio section: defaults, the filter's cutoff, one-line errors."""

import pytest

from trainlab.config.audio import AudioConfig
from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError


def test_defaults_and_overrides():
    r = Recipe().override({"preprocess.audio.n_mels": 64, "preprocess.audio.pre_emphasis": 0.97})
    assert r.preprocess.audio.n_mels == 64 and r.preprocess.audio.features == "auto"
    assert Recipe.from_yaml_text(r.to_yaml()) == r


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"filter": "bandpass"}, "needs a cutoff"),
        ({"filter": "bandpass", "cutoff": 300}, r"cutoff: \[low, high\]"),
        ({"filter": "lowpass", "cutoff": [100, 200]}, "one cutoff frequency"),
        ({"win_length": 1024}, "exceeds n_fft"),
        ({"features": "chroma"}, "features"),
        ({"hop_length": 0}, "hop_length"),
    ],
)
def test_bad_values_are_named(changes, message):
    sets = {f"preprocess.audio.{k}": v for k, v in changes.items()}
    with pytest.raises(ConfigError, match=message):
        Recipe().override(sets)


def test_a_one_element_cutoff_list_is_one_frequency():
    assert AudioConfig(filter="highpass", cutoff=[80]).cutoff == 80.0


def test_frontend_arguments_resolve_the_features():
    args = AudioConfig(filter="bandpass", cutoff=[100, 4000]).frontend_arguments(16000, "waveform")
    assert args["features"] == "waveform" and args["normalize"] == "none"
    assert args["cutoff"] == [100.0, 4000.0] and args["sample_rate"] == 16000
