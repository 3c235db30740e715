"""The batched phase vocoder against librosa.phase_vocoder and librosa.effects.time_stretch."""

from __future__ import annotations

import librosa
import numpy as np
import torch

from trainlab.augment.audio.vocoder import stretch_frames, time_stretch


def speechlike(seconds: float = 0.5, sr: int = 16000, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * sr)) / sr
    vibrato = 0.3 * np.sin(2 * np.pi * 1234 * t + 0.2 * np.cumsum(np.sin(2 * np.pi * 3 * t)))
    return (
        np.sin(2 * np.pi * 440 * t) * np.exp(-3 * t) + vibrato + 0.05 * rng.standard_normal(t.size)
    )


def test_stretched_frames_equal_librosa_for_a_batch_of_rates():
    rates = [0.89, 1.0, 1.12, 0.5, 2.0]
    spec = np.stack(
        [librosa.stft(speechlike(seed=i), n_fft=512, hop_length=128) for i in range(len(rates))]
    )
    out = stretch_frames(
        torch.from_numpy(spec), torch.tensor(rates, dtype=torch.float64), 128
    ).numpy()
    for i, rate in enumerate(rates):  # each row as librosa stretches it alone
        expected = librosa.phase_vocoder(spec[i], rate=rate, hop_length=128)
        frames = expected.shape[-1]
        np.testing.assert_allclose(out[i, :, :frames], expected, atol=1e-8)
        assert not out[i, :, frames:].any()  # past its own frames: zero


def test_time_stretch_matches_librosa_in_length_and_samples():
    x = speechlike().astype(np.float32)
    rates = torch.tensor([0.8, 1.25], dtype=torch.float64)
    out, lengths = time_stretch(torch.from_numpy(np.stack([x, x]))[:, None], rates)
    for i, rate in enumerate(rates.tolist()):
        expected = librosa.effects.time_stretch(x, rate=rate, n_fft=512, hop_length=128)
        assert int(lengths[i]) == len(expected)
        got = out[i, 0, : len(expected)].numpy()
        assert np.abs(got - expected).max() < 0.05 * np.abs(expected).max()
        assert np.corrcoef(got, expected)[0, 1] > 0.999
        assert not out[i, 0, len(expected) :].any()
