"""MFCCs against librosa.feature.mfcc(S=...) (DCT-II, ortho)."""

from __future__ import annotations

import librosa
import numpy as np
import pytest
import scipy.fft
import torch

from trainlab.core.errors import ConfigError
from trainlab.preprocess.audio.mfcc import dct_matrix, mfcc


@pytest.mark.parametrize(("n_mels", "n_mfcc"), [(40, 20), (40, 40), (64, 13), (7, 1)])
def test_equals_librosa_mfcc(n_mels, n_mfcc):
    S_db = np.random.default_rng(0).uniform(-80, 0, size=(3, 2, n_mels, 25))
    out = mfcc(torch.from_numpy(S_db), n_mfcc=n_mfcc).numpy()
    assert out.shape == (3, 2, n_mfcc, 25)
    for i in range(3):
        ref = librosa.feature.mfcc(S=S_db[i], n_mfcc=n_mfcc, dct_type=2, norm="ortho")
        np.testing.assert_allclose(out[i], ref, rtol=1e-10, atol=1e-9)
    ref = scipy.fft.dct(S_db, type=2, norm="ortho", axis=-2)[..., :n_mfcc, :]
    np.testing.assert_allclose(out, ref, atol=1e-9)


def test_dct_is_orthonormal_and_precomputed_matrix_is_used():
    D = dct_matrix(40, 40, dtype=torch.float64)
    torch.testing.assert_close(D @ D.T, torch.eye(40, dtype=torch.float64))
    S = torch.randn(2, 1, 40, 5)
    torch.testing.assert_close(mfcc(S, dct=dct_matrix(20, 40)), mfcc(S, n_mfcc=20))


def test_float32_keeps_dtype():
    S = torch.randn(2, 1, 40, 5)
    assert mfcc(S).dtype == torch.float32


def test_more_coefficients_than_bands_raise():
    with pytest.raises(ConfigError, match=r"^n_mfcc: expected at most the 10 mel bands, got 20"):
        mfcc(torch.zeros(1, 1, 10, 4), n_mfcc=20)
