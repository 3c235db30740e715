"""PitchShift: frequencies move by 2^(s/12), the duration stays, and the result is librosa's."""

from __future__ import annotations

import math

import librosa
import numpy as np
import pytest
import torch

from trainlab.augment.audio.pitch import PitchShift, pitch_shift


@pytest.mark.parametrize("steps", [-2.0, -1.0, 1.5, 2.0])
def test_a_sine_peak_moves_by_the_semitone_ratio_and_length_is_kept(steps):
    t = torch.arange(16000.0)
    x = torch.sin(2 * math.pi * (440 / 16000) * t).view(1, 1, -1)  # 440 Hz at 16 kHz
    out = pitch_shift(x, torch.tensor([steps]))
    assert out.shape == x.shape
    peak = int(torch.fft.rfft(out[0, 0]).abs().argmax())  # bins of 1 Hz
    assert abs(peak - 440 * 2 ** (steps / 12)) <= 2


def test_matches_librosa_pitch_shift_on_a_real_ish_signal():
    rng = np.random.default_rng(0)
    sr = 16000
    t = np.arange(sr) / sr
    envelope = np.exp(-((t - 0.5) ** 2) / 0.02)
    harmonics = sum(np.sin(2 * np.pi * k * 180 * t) / k for k in range(1, 12))
    x = (0.3 * envelope * harmonics + 0.01 * rng.standard_normal(sr)).astype(np.float32)
    steps = [-2.0, 1.3]
    out = pitch_shift(torch.from_numpy(np.stack([x, x]))[:, None], torch.tensor(steps))
    for i, s in enumerate(steps):
        expected = librosa.effects.pitch_shift(x, sr=sr, n_steps=s, n_fft=512, hop_length=128)
        got = out[i, 0].numpy()
        a, b = np.abs(np.fft.rfft(got)), np.abs(np.fft.rfft(expected))
        assert np.corrcoef(a, b)[0, 1] > 0.99
        assert np.corrcoef(got, expected)[0, 1] > 0.99


def test_params_identity_and_bad_arguments():
    x = torch.randn(16, 1, 1000)
    aug = PitchShift(semitones=(-3.0, 1.0), p=0.5)
    params = aug.sample_params(x, torch.Generator().manual_seed(0))
    s = params["semitones"]
    assert ((s >= -3) & (s <= 1)).all() and (s[~params["apply"]] == 0).all()
    out = aug.apply(x, params)
    assert torch.equal(out[~params["apply"]], x[~params["apply"]])
    assert PitchShift(semitones=2.0).semitones == (-2.0, 2.0)
    for kwargs, name in [({"n_fft": 2}, "n_fft"), ({"hop_length": 400}, "hop_length")]:
        with pytest.raises(ValueError, match=name):
            PitchShift(**kwargs)
