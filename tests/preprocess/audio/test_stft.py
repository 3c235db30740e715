"""STFT power spectrograms against librosa.stft (periodic Hann, zero centre padding)."""

from __future__ import annotations

import librosa
import numpy as np
import pytest
import torch

from trainlab.core.errors import ConfigError, DataError
from trainlab.preprocess.audio.stft import n_frames, stft_power


def _clips(n: int = 2, c: int = 2, length: int = 3001, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-1, 1, size=(n, c, length))


@pytest.mark.parametrize(
    "kw",
    [
        {"n_fft": 512, "hop_length": 160},
        {"n_fft": 512, "hop_length": 128, "win_length": 400},
        {"n_fft": 256, "hop_length": 100, "center": False},
        {"n_fft": 400, "hop_length": 160, "power": 1.0},
        {"n_fft": 128, "hop_length": 64, "win_length": 101, "power": 0.5},
    ],
)
def test_equals_librosa_stft_per_clip(kw):
    x = _clips()
    power = kw.get("power", 2.0)
    out = stft_power(torch.from_numpy(x), **kw).numpy()
    lib = {k: v for k, v in kw.items() if k != "power"}
    for i in range(x.shape[0]):
        ref = np.abs(librosa.stft(x[i], window="hann", pad_mode="constant", **lib)) ** power
        assert out[i].shape == ref.shape
        np.testing.assert_allclose(out[i], ref, rtol=1e-9, atol=1e-9 * ref.max())


def test_float32_batch_matches_librosa_and_keeps_dtype():
    x = _clips(4, 1, 16000, seed=1).astype(np.float32)
    out = stft_power(torch.from_numpy(x))
    assert out.dtype == torch.float32 and out.shape == (4, 1, 257, 101)
    ref = np.abs(librosa.stft(x, n_fft=512, hop_length=160)) ** 2
    np.testing.assert_allclose(out.numpy(), ref, rtol=1e-3, atol=1e-5 * ref.max())


@pytest.mark.parametrize("length", [1, 159, 160, 512, 16000])
@pytest.mark.parametrize("center", [True, False])
def test_n_frames_is_the_number_of_columns(length, center):
    if not center and length < 512:
        with pytest.raises(DataError, match="shorter than n_fft"):
            stft_power(torch.zeros(1, length), center=False)
        return
    out = stft_power(torch.zeros(1, length), center=center)
    assert out.shape[-1] == n_frames(length, 512, 160, center)


def test_leading_axes_are_kept():
    x = torch.randn(2, 3, 4, 1000)
    assert stft_power(x, n_fft=64, hop_length=32).shape == (2, 3, 4, 33, 32)
    assert stft_power(x[0, 0, 0], n_fft=64, hop_length=32).shape == (33, 32)


@pytest.mark.parametrize(
    ("kw", "name"),
    [
        ({"n_fft": 1}, "n_fft"),
        ({"hop_length": 0}, "hop_length"),
        ({"win_length": 1024}, "win_length"),
        ({"power": 0.0}, "power"),
    ],
)
def test_bad_arguments_name_themselves(kw, name):
    with pytest.raises(ConfigError, match=rf"^{name}: expected"):
        stft_power(torch.zeros(1, 1000), **kw)
