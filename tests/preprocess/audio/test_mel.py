"""The Slaney mel filterbank and mel scale against librosa."""

from __future__ import annotations

import librosa
import numpy as np
import pytest
import torch

from trainlab.core.errors import ConfigError
from trainlab.preprocess.audio.mel import (
    hz_to_mel,
    mel_centres,
    mel_filterbank,
    mel_frequencies,
    mel_to_hz,
)


@pytest.mark.parametrize(
    ("rate", "n_fft", "n_mels", "f_min", "f_max"),
    [
        (16000, 512, 40, 0.0, None),
        (16000, 400, 64, 20.0, 7600.0),
        (22050, 2048, 128, 0.0, None),
        (8000, 256, 23, 100.0, 3800.0),
    ],
)
def test_equals_librosa_filters_mel(rate, n_fft, n_mels, f_min, f_max):
    fb = mel_filterbank(rate, n_fft, n_mels, f_min, f_max, dtype=torch.float64)
    ref = librosa.filters.mel(
        sr=rate, n_fft=n_fft, n_mels=n_mels, fmin=f_min, fmax=f_max, dtype=np.float64
    )
    assert fb.shape == ref.shape == (n_mels, n_fft // 2 + 1)
    np.testing.assert_allclose(fb.numpy(), ref, rtol=1e-10, atol=1e-14)
    fb32 = mel_filterbank(rate, n_fft, n_mels, f_min, f_max)
    assert fb32.dtype == torch.float32
    np.testing.assert_allclose(
        fb32.numpy(),
        librosa.filters.mel(sr=rate, n_fft=n_fft, n_mels=n_mels, fmin=f_min, fmax=f_max),
        rtol=1e-6,
    )


def test_mel_scale_equals_librosa():
    hz = np.array([0.0, 55.0, 440.0, 999.0, 1000.0, 1001.0, 4000.0, 11025.0])
    np.testing.assert_allclose(hz_to_mel(hz), librosa.hz_to_mel(hz), rtol=1e-12)
    mels = np.linspace(0, 60, 13)
    np.testing.assert_allclose(mel_to_hz(mels), librosa.mel_to_hz(mels), rtol=1e-12)
    np.testing.assert_allclose(mel_to_hz(hz_to_mel(hz)), hz, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(
        mel_frequencies(42, 20.0, 8000.0), librosa.mel_frequencies(42, fmin=20.0, fmax=8000.0)
    )
    np.testing.assert_allclose(
        mel_centres(16000, 40), librosa.mel_frequencies(42, fmin=0.0, fmax=8000.0)[1:-1]
    )


def test_too_many_bands_warn_and_are_zero():
    with pytest.warns(UserWarning, match="catch no FFT bin"):
        fb = mel_filterbank(16000, 64, n_mels=64)
    assert (fb.sum(dim=1) == 0).any()


@pytest.mark.parametrize(
    ("kw", "name"),
    [
        ({"sample_rate": 0}, "sample_rate"),
        ({"n_fft": 1}, "n_fft"),
        ({"n_mels": 0}, "n_mels"),
        ({"f_min": -1.0}, "f_min"),
        ({"f_min": 8000.0}, "f_min"),
        ({"f_max": 9000.0}, "f_max"),
        ({"f_min": 500.0, "f_max": 400.0}, "f_max"),
    ],
)
def test_bad_arguments_name_themselves(kw, name):
    args = {"sample_rate": 16000, "n_fft": 512, **kw}
    with pytest.raises(ConfigError, match=rf"^{name}: expected"):
        mel_filterbank(**args)
