"""SpeedChange: x'(t) = x(c + f·(t − c)), band-limited, against the analytic signal and scipy."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.signal
import torch

from trainlab.augment.audio.speed import SpeedChange, change_speed, fft_lowpass

#: (amplitude, frequency in cycles per sample, phase): up to 0.6 of Nyquist
PARTS = [(1.0, 0.011, 0.3), (0.5, 0.07, 1.0), (0.3, 0.19, 2.0), (0.2, 0.3, 0.5)]


def sines(pos: torch.Tensor, below: float = 0.5) -> torch.Tensor:
    return sum(a * torch.sin(2 * math.pi * f * pos + ph) for a, f, ph in PARTS if f < below)


@pytest.mark.parametrize("factor", [0.8, 0.93, 1.0, 1.1, 1.25])
def test_equals_the_analytic_signal_read_about_the_centre(factor):
    length = 6001
    t = torch.arange(length, dtype=torch.float64)
    out = change_speed(sines(t).view(1, 1, -1), torch.tensor([factor], dtype=torch.float64))
    c = (length - 1) / 2
    pos = c + factor * (t - c)
    expected = sines(pos, below=0.5 / factor)  # what speeding up folds over is removed
    inside = (pos >= 300) & (pos <= length - 301)  # away from the clip's edges
    assert float((out[0, 0] - expected)[inside].abs().max()) < 3e-3
    assert (out[0, 0][(pos < 0) | (pos > length - 1)] == 0).all()  # what enters is zeros


@pytest.mark.parametrize("factor", [0.9, 1.1, 1.2])
def test_a_sine_frequency_scales_by_the_factor(factor):
    t = torch.arange(8000.0)
    x = torch.sin(2 * math.pi * 0.05 * t).view(1, 1, -1)  # 400 cycles
    out = SpeedChange(factor=factor)(x)
    peak = int(torch.fft.rfft(out[0, 0]).abs().argmax())
    assert out.shape == x.shape and abs(peak - 400 * factor) <= 1


def test_matches_scipy_fft_resampling_read_from_the_start():
    rng = np.random.default_rng(0)
    length, factor = 4000, 1.25
    spectrum = np.fft.rfft(rng.standard_normal(length))
    spectrum[int(0.35 * length) :] = 0  # band-limited below 0.7 of Nyquist
    x = np.fft.irfft(spectrum, n=length) * np.hanning(length)  # quiet edges
    expected = scipy.signal.resample(x, round(length / factor))  # y[k] = x(k·f)
    out = change_speed(
        torch.from_numpy(x).view(1, 1, -1),
        torch.tensor([factor], dtype=torch.float64),
        origin=0.0,
        length=len(expected),
    )[0, 0].numpy()
    scale = np.abs(x).max()
    np.testing.assert_allclose(out[100:-100], expected[100:-100], atol=5e-3 * scale)


def test_speeding_up_does_not_alias():
    t = torch.arange(8000, dtype=torch.float64)
    x = torch.sin(2 * math.pi * 0.45 * t).view(1, 1, -1)  # above the Nyquist of f = 1.25
    out = change_speed(x, torch.tensor([1.25]))
    assert float(out[..., 1000:-1000].abs().max()) < 0.01  # away from the abrupt edges
    torch.testing.assert_close(fft_lowpass(x, torch.tensor([1.0])), x)


def test_params_and_bad_factor():
    x = torch.randn(16, 1, 200)
    aug = SpeedChange(factor=(0.8, 1.2), p=0.5)
    params = aug.sample_params(x, torch.Generator().manual_seed(0))
    f = params["factor"]
    assert ((f >= 0.8) & (f <= 1.2)).all() and (f[~params["apply"]] == 1).all()
    with pytest.raises(ValueError, match="factor"):
        SpeedChange(factor=(0.0, 1.2))


def test_cubic_interpolation_is_close_to_sinc_below_a_fifth_of_the_rate():
    from trainlab.augment.audio.speed import change_speed

    t = torch.arange(4000, dtype=torch.float64)
    x = torch.sin(2 * torch.pi * 1000 / 16000 * t).float().view(1, 1, -1).repeat(3, 1, 1)
    factor = torch.tensor([0.9, 1.0, 1.1])
    sinc = change_speed(x, factor)
    cubic = change_speed(x, factor, interpolation="cubic")
    inner = slice(500, -500)
    assert (cubic - sinc)[..., inner].abs().max() < 0.03
    # factor 1: the samples themselves, up to the float32 grid coordinates (~1e-4 sample)
    assert torch.allclose(cubic[1], x[1], atol=1e-3)


def test_interpolation_is_checked():
    with pytest.raises(ValueError, match="interpolation"):
        SpeedChange(interpolation="nearest")
