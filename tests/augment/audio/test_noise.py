"""AddNoise: the measured SNR is the drawn one; pink and brown noise have the right slope."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from trainlab.augment.audio.noise import AddNoise, colored_noise


def snr_db(x: torch.Tensor, out: torch.Tensor) -> torch.Tensor:
    return 10 * torch.log10(x.square().mean((1, 2)) / (out - x).square().mean((1, 2)))


@pytest.mark.parametrize("color", ["white", "pink", "brown"])
def test_measured_snr_equals_the_drawn_one(color):
    x = torch.randn(16, 2, 4000, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    x = x * torch.linspace(0.01, 3.0, 16, dtype=torch.float64).view(-1, 1, 1)  # loud and quiet
    aug = AddNoise(snr_db=(-5.0, 30.0), color=color)
    params = aug.sample_params(x, torch.Generator().manual_seed(1))
    out = aug.apply(x, params)
    assert params["snr_db"].unique().numel() == 16
    torch.testing.assert_close(snr_db(x, out), params["snr_db"].double(), atol=1e-6, rtol=0)


@pytest.mark.parametrize(("color", "slope"), [("white", 0.0), ("pink", -1.0), ("brown", -2.0)])
def test_power_spectrum_slope_on_log_log_axes(color, slope):
    noise = colored_noise((64, 1, 8192), color, torch.Generator().manual_seed(2))
    power = np.mean(np.abs(np.fft.rfft(noise.numpy()[:, 0], axis=1)) ** 2, axis=0)
    freqs = np.fft.rfftfreq(8192)
    band = slice(4, 4096)  # away from DC and Nyquist
    fitted = np.polyfit(np.log10(freqs[band]), np.log10(power[band]), 1)[0]
    assert abs(fitted - slope) < 0.05


def test_noise_is_zero_mean_unit_variance_and_generator_reproducible():
    a = colored_noise((4, 1, 4096), "pink", torch.Generator().manual_seed(3))
    b = colored_noise((4, 1, 4096), "pink", torch.Generator().manual_seed(3))
    assert torch.equal(a, b)
    torch.testing.assert_close(a.std(dim=-1), torch.ones(4, 1), atol=1e-4, rtol=0)
    assert float(a.mean(dim=-1).abs().max()) < 1e-5  # no DC


def test_silence_stays_silent_and_p_zero_is_the_identity():
    x = torch.zeros(3, 1, 100)
    assert torch.equal(AddNoise()(x, torch.Generator().manual_seed(0)), x)
    y = torch.randn(3, 1, 100)
    assert torch.equal(AddNoise(p=0.0)(y), y)


def test_bad_arguments_name_themselves():
    with pytest.raises(ValueError, match="color"):
        AddNoise(color="blue")
    with pytest.raises(ValueError, match="snr_db"):
        AddNoise(snr_db=(30, 10))
