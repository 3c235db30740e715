"""Normalization of other people's models from their weights' metadata."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from torch import nn

from trainlab.core.errors import ConfigError
from trainlab.models.external_preprocess import normalization_from_weights, preprocess_from_stats
from trainlab.preprocess.pipeline import Preprocessor

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]


def test_preprocess_from_stats_is_x_over_255_minus_mean_over_std():
    mean, std = (0.2, 0.4, 0.6), (0.1, 0.2, 0.3)
    pre = preprocess_from_stats(mean, std, (5, 7))
    assert pre["image"] == {"size": [5, 7], "channels": 3, "fit": "squish"}
    state = pre["pipeline"]
    assert state["pixel_scale"] is True and state["input_shape"] == [3, 5, 7]
    assert state["normalizer"] == {
        "name": "standard",
        "per": "channel",
        "shape": [3, 1, 1],
        "stats": {"mean": list(mean), "scale": list(std)},
    }
    x = np.random.default_rng(0).integers(0, 256, size=(2, 3, 5, 7), dtype=np.uint8)
    expected = (x / 255.0 - np.reshape(mean, (3, 1, 1))) / np.reshape(std, (3, 1, 1))
    out = Preprocessor.from_state_dict(state).transform(x)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize(
    ("size", "expected"), [(9, [9, 9]), ((9,), [9, 9]), ((4, 6), [4, 6]), ((3, 10, 12), [10, 12])]
)
def test_preprocess_sizes(size, expected):
    assert preprocess_from_stats(IMAGENET_MEAN, IMAGENET_STD, size)["image"]["size"] == expected


@pytest.mark.parametrize(
    ("mean", "std", "size", "match"),
    [
        ([0.5, 0.5], [0.5, 0.5, 0.5], 8, "one mean and one std per channel"),
        ([0.5], [0.0], 8, "std must be positive"),
        ([0.5], [0.5], (0, 4), "input size"),
        ([0.5], [0.5], (1, 2, 3, 4), "input size"),
    ],
)
def test_preprocess_from_stats_refuses_bad_statistics(mean, std, size, match):
    with pytest.raises(ConfigError, match=match):
        preprocess_from_stats(mean, std, size)


def test_normalization_from_torchvision_like_weights():
    transforms = SimpleNamespace(
        mean=IMAGENET_MEAN, std=IMAGENET_STD, crop_size=[240], resize_size=[256]
    )
    weights = SimpleNamespace(transforms=lambda: transforms, meta={"categories": ["a", "b"]})
    pre = normalization_from_weights(weights)
    assert pre["image"]["size"] == [240, 240]
    assert pre["pipeline"]["normalizer"]["stats"] == {"mean": IMAGENET_MEAN, "scale": IMAGENET_STD}


def test_normalization_from_timm_like_configs():
    cfg = {"mean": (0.5, 0.5, 0.5), "std": (0.25, 0.25, 0.25), "input_size": (3, 192, 160)}
    model = nn.Linear(2, 2)
    model.pretrained_cfg = cfg
    for source in (cfg, model, SimpleNamespace(**cfg)):
        pre = normalization_from_weights(source, fit="crop")
        assert pre["image"] == {"size": [192, 160], "channels": 3, "fit": "crop"}
        assert pre["pipeline"]["normalizer"]["stats"]["scale"] == [0.25] * 3


def test_normalization_from_something_else_is_one_line():
    with pytest.raises(ConfigError, match="cannot read mean, std and input size from Linear"):
        normalization_from_weights(nn.Linear(2, 2))
