"""Butterworth filters by FFT against scipy.signal.sosfilt / sosfiltfilt; pre-emphasis."""

from __future__ import annotations

import librosa
import numpy as np
import pytest
import scipy.signal
import torch

from trainlab.preprocess.audio.filters import (
    FILTER_KINDS,
    BandFilter,
    PreEmphasis,
    butterworth_filter,
    butterworth_sos,
    decay_length,
    pre_emphasis,
    sos_filter,
)

RATE = 8000
CUTOFFS = {
    "lowpass": 1000.0,
    "highpass": 300.0,
    "bandpass": (300.0, 2000.0),
    "bandstop": (500.0, 1500.0),
}


def _noise(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape)


def _zero_edge_filtfilt(sos: np.ndarray, x: np.ndarray, pad: int) -> np.ndarray:
    """Forwards then backwards with a zero state, on a signal padded with zeros on both sides."""
    xp = np.pad(x, [(0, 0)] * (x.ndim - 1) + [(pad, pad)])
    y = scipy.signal.sosfilt(sos, scipy.signal.sosfilt(sos, xp)[..., ::-1])[..., ::-1]
    return y[..., pad:-pad]


@pytest.mark.parametrize("order", [2, 4])
@pytest.mark.parametrize("kind", FILTER_KINDS)
def test_sos_matches_scipy_butter(kind, order):
    sos = butterworth_sos(kind, CUTOFFS[kind], RATE, order)
    ref = scipy.signal.butter(order, CUTOFFS[kind], btype=kind, fs=RATE, output="sos")
    np.testing.assert_array_equal(sos, ref)


@pytest.mark.parametrize("kind", FILTER_KINDS)
def test_causal_filter_equals_sosfilt(kind):
    """zero_phase=False is sosfilt with a zero initial state, over the whole signal."""
    x = _noise(3, 2, 3000)
    sos = butterworth_sos(kind, CUTOFFS[kind], RATE)
    out = butterworth_filter(torch.from_numpy(x), kind, CUTOFFS[kind], RATE, zero_phase=False)
    assert out.dtype == torch.float64 and out.shape == x.shape
    np.testing.assert_allclose(out.numpy(), scipy.signal.sosfilt(sos, x, axis=-1), atol=1e-9)


@pytest.mark.parametrize("kind", FILTER_KINDS)
def test_zero_phase_equals_forward_backward_sosfilt(kind):
    """zero_phase=True is |H|²: sosfilt forwards and backwards over zero edges, everywhere."""
    x = _noise(2, 1, 3000, seed=1)
    sos = butterworth_sos(kind, CUTOFFS[kind], RATE)
    out = butterworth_filter(torch.from_numpy(x), kind, CUTOFFS[kind], RATE).numpy()
    ref = _zero_edge_filtfilt(sos, x, pad=decay_length(sos))
    np.testing.assert_allclose(out, ref, atol=1e-9)


@pytest.mark.parametrize("kind", FILTER_KINDS)
def test_zero_phase_equals_sosfiltfilt_away_from_the_edges(kind):
    """sosfiltfilt extends the signal by odd reflection; past the decay length they agree."""
    x = _noise(2, 4000, seed=2)
    sos = butterworth_sos(kind, CUTOFFS[kind], RATE)
    out = butterworth_filter(torch.from_numpy(x), kind, CUTOFFS[kind], RATE).numpy()
    ref = scipy.signal.sosfiltfilt(sos, x, axis=-1)
    edge = decay_length(sos, tol=1e-8)
    assert 3 * edge < 4000
    np.testing.assert_allclose(out[..., edge:-edge], ref[..., edge:-edge], atol=1e-6)


def test_float32_agrees_with_float64_and_keeps_its_dtype():
    x = torch.from_numpy(_noise(4, 1, 2000, seed=3))
    ref = butterworth_filter(x, "bandpass", (300.0, 3000.0), RATE)
    out = butterworth_filter(x.float(), "bandpass", (300.0, 3000.0), RATE)
    assert out.dtype == torch.float32
    torch.testing.assert_close(out.double(), ref, atol=1e-5, rtol=0)


def test_a_tone_at_the_cutoff_is_halved_by_zero_phase():
    """|H(fc)|² = 1/2 for a Butterworth filter (-3 dB each way), with no phase shift."""
    t = torch.arange(8000, dtype=torch.float64) / RATE
    tone = torch.sin(2 * torch.pi * 1000.0 * t)
    out = butterworth_filter(tone, "lowpass", 1000.0, RATE, order=6)
    torch.testing.assert_close(out[1000:-1000], 0.5 * tone[1000:-1000], atol=1e-6, rtol=0)


def test_narrow_filter_padding_keeps_wraparound_negligible():
    """A 20 Hz high-pass rings for thousands of samples; the padding covers them."""
    sos = butterworth_sos("highpass", 20.0, 16000)
    assert decay_length(sos) > 4000
    x = _noise(1, 1600, seed=4)
    out = sos_filter(torch.from_numpy(x), sos, zero_phase=False).numpy()
    np.testing.assert_allclose(out, scipy.signal.sosfilt(sos, x), atol=1e-9)


def test_band_filter_module_equals_the_function():
    x = torch.randn(3, 2, 1000, generator=torch.Generator().manual_seed(0))
    f = BandFilter("bandstop", (50.0, 60.0), 1000, order=2, zero_phase=False)
    assert list(f.parameters()) == [] and f.state_dict() == {}
    expected = butterworth_filter(x, "bandstop", (50.0, 60.0), 1000, order=2, zero_phase=False)
    torch.testing.assert_close(f(x), expected)
    assert "bandstop" in repr(f)


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (("notch", 100.0, RATE), "kind"),
        (("lowpass", 0.0, RATE), "cutoff"),
        (("lowpass", 4000.0, RATE), "cutoff"),
        (("highpass", (100.0, 200.0), RATE), "cutoff"),
        (("bandpass", 300.0, RATE), "cutoff"),
        (("bandpass", (2000.0, 300.0), RATE), "cutoff"),
        (("bandstop", (300.0, 5000.0), RATE), "cutoff"),
        (("lowpass", 100.0, 0), "sample_rate"),
        (("lowpass", 100.0, RATE, 0), "order"),
    ],
)
def test_bad_arguments_raise_one_line_naming_them(args, name):
    with pytest.raises(ValueError, match=rf"^{name}: expected") as info:
        butterworth_sos(*args)
    assert "\n" not in str(info.value)


# -- pre-emphasis ----------------------------------------------------------------
def test_pre_emphasis_equals_lfilter_and_librosa_with_zero_state():
    x = _noise(2, 3, 500, seed=5)
    out = pre_emphasis(torch.from_numpy(x), 0.97).numpy()
    np.testing.assert_allclose(out, scipy.signal.lfilter([1.0, -0.97], [1.0], x), atol=1e-12)
    ref = librosa.effects.preemphasis(x, coef=0.97, zi=np.zeros((2, 3, 1)))
    np.testing.assert_allclose(out, ref, atol=1e-12)
    # librosa's default state 2·x[0] − x[1] changes the first sample only
    default = librosa.effects.preemphasis(x, coef=0.97)
    np.testing.assert_allclose(out[..., 1:], default[..., 1:], atol=1e-12)
    assert not np.allclose(out[..., 0], default[..., 0])


def test_pre_emphasis_module_and_bounds():
    x = torch.rand(2, 1, 50)
    assert torch.equal(PreEmphasis(0.0)(x), x)
    torch.testing.assert_close(PreEmphasis(0.9)(x), pre_emphasis(x, 0.9))
    before = x.clone()
    pre_emphasis(x, 0.5)
    assert torch.equal(x, before)  # never in place
    for bad in (-0.1, 1.5, float("nan"), "0.9"):
        with pytest.raises(ValueError, match=r"^coefficient: expected"):
            pre_emphasis(x, bad)
