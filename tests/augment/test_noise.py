"""GaussianNoise on images and signals."""

from __future__ import annotations

import pytest
import torch

from trainlab.augment.noise import GaussianNoise
from trainlab.augment.registry import AUGMENTATIONS


@pytest.mark.parametrize("shape", [(64, 2, 50), (64, 3, 10, 10)])
def test_adds_the_drawn_noise_scaled_by_std(shape):
    x = torch.randn(shape, generator=torch.Generator().manual_seed(0))
    aug = GaussianNoise(std=0.3, p=0.5)
    params = aug.sample_params(x, torch.Generator().manual_seed(1))
    out = aug.apply(x, params)
    keep = params["apply"].view(-1, *[1] * (x.ndim - 1))
    torch.testing.assert_close(out, torch.where(keep, x + 0.3 * params["noise"], x))
    noise = (out - x)[params["apply"]]
    assert float(noise.std()) == pytest.approx(0.3, rel=0.05)
    assert float(noise.mean()) == pytest.approx(0.0, abs=0.02)


def test_std_range_is_drawn_per_sample():
    x = torch.zeros(100, 1, 400)
    aug = GaussianNoise(std=(0.1, 0.5))
    params = aug.sample_params(x, torch.Generator().manual_seed(2))
    stds = params["std"]
    assert stds.min() >= 0.1 and stds.max() <= 0.5 and stds.unique().numel() == 100
    measured = aug.apply(x, params).std(dim=(1, 2))
    torch.testing.assert_close(measured, stds, atol=0.06, rtol=0.1)


def test_uint8_noise_is_a_fraction_of_255_rounded_and_clipped():
    x = torch.full((8, 3, 16, 16), 128, dtype=torch.uint8)
    aug = GaussianNoise(std=0.1)
    params = aug.sample_params(x, torch.Generator().manual_seed(3))
    out = aug.apply(x, params)
    assert out.dtype == torch.uint8
    expected = (128 + 25.5 * params["noise"]).round().clamp(0, 255)
    assert torch.equal(out, expected.to(torch.uint8))
    edge = GaussianNoise(std=1.0)(torch.full((2, 1, 8, 8), 250, dtype=torch.uint8))
    assert int(edge.max()) == 255 and int(edge.min()) == 0


def test_zero_std_is_the_identity():
    x = torch.randn(4, 1, 20)
    assert torch.equal(GaussianNoise(std=0.0)(x), x)


@pytest.mark.parametrize("bad", [-0.1, (0.5, 0.1), "loud"])
def test_bad_std_names_the_parameter(bad):
    with pytest.raises(ValueError, match="std"):
        GaussianNoise(std=bad)


def test_registered_for_images_and_signals():
    assert AUGMENTATIONS.get("gaussian-noise") is GaussianNoise
    assert GaussianNoise.ranks == (3, 4)
