"""Mel-frequency cepstral coefficients: the DCT of a log-mel spectrogram.

MFCCs (Davis & Mermelstein, *Comparison of parametric representations for
monosyllabic word recognition*, 1980) decorrelate the log-mel bands by an
orthonormal type-II discrete cosine transform over the frequency axis,

    c[k, t] = w_k · Σ_m S_db[m, t] · cos(π k (2m + 1) / (2M)),
    w_0 = √(1/M), w_k = √(2/M) for k > 0,

keeping the first ``n_mfcc`` coefficients. This equals
``librosa.feature.mfcc(S=S_db, n_mfcc=n_mfcc, dct_type=2, norm="ortho")``
(that is, ``scipy.fft.dct(S_db, type=2, norm="ortho", axis=-2)[..., :n_mfcc, :]``).
The DCT is one matrix product on the batch's device.

Example:
    >>> import torch
    >>> from trainlab.preprocess.audio.mfcc import mfcc
    >>> S_db = torch.full((2, 1, 40, 101), -20.0)  # flat log-mel: only c0 is non-zero
    >>> c = mfcc(S_db, n_mfcc=13)
    >>> c.shape, round(float(c[0, 0, 0, 0]), 3), float(c[..., 1:, :].abs().max()) < 1e-4
    (torch.Size([2, 1, 13, 101]), -126.491, True)
"""

from __future__ import annotations

import math

import torch

from trainlab.core.errors import ConfigError, DataError
from trainlab.preprocess.audio._checks import as_float_tensor, check_int


def dct_matrix(
    n_mfcc: int,
    n_rows: int,
    *,
    dtype: torch.dtype = torch.float32,
    device: torch.device | str | None = None,
) -> torch.Tensor:
    """The first ``n_mfcc`` rows of the orthonormal DCT-II of length ``n_rows``, (n_mfcc, n_rows).

    Example:
        >>> import torch
        >>> from trainlab.preprocess.audio.mfcc import dct_matrix
        >>> D = dct_matrix(8, 8, dtype=torch.float64)
        >>> bool(torch.allclose(D @ D.T, torch.eye(8, dtype=torch.float64)))
        True
    """
    n_rows = check_int("n_rows", n_rows, low=1)
    n_mfcc = check_int("n_mfcc", n_mfcc, low=1)
    if n_mfcc > n_rows:
        raise ConfigError(f"n_mfcc: expected at most the {n_rows} mel bands, got {n_mfcc}")
    k = torch.arange(n_mfcc, dtype=torch.float64).unsqueeze(1)
    m = torch.arange(n_rows, dtype=torch.float64).unsqueeze(0)
    basis = torch.cos(math.pi * k * (2 * m + 1) / (2 * n_rows)) * math.sqrt(2.0 / n_rows)
    basis[0] /= math.sqrt(2.0)
    return basis.to(dtype=dtype, device=device)


def mfcc(S_db: torch.Tensor, n_mfcc: int = 20, dct: torch.Tensor | None = None) -> torch.Tensor:
    """The first ``n_mfcc`` DCT-II (ortho) coefficients of ``S_db`` (..., M, T) over its M rows.

    Args:
        S_db: log-mel spectrograms, e.g. :func:`~trainlab.preprocess.audio.db.power_to_db`
            of a mel spectrogram (N, C, M, T).
        n_mfcc: the number of coefficients kept, at most M.
        dct: a precomputed :func:`dct_matrix` (n_mfcc, M) (default: built here).

    Returns:
        A tensor (..., n_mfcc, T) of S_db's dtype and device.

    Example:
        >>> import torch
        >>> from trainlab.preprocess.audio.mfcc import mfcc
        >>> mfcc(torch.zeros(40, 5), n_mfcc=20).shape
        torch.Size([20, 5])
    """
    S_db = as_float_tensor(S_db, "mfcc", min_ndim=2)
    if dct is None:
        dct = dct_matrix(n_mfcc, S_db.shape[-2], dtype=S_db.dtype, device=S_db.device)
    elif dct.shape[-1] != S_db.shape[-2]:
        raise DataError(
            f"mfcc: a DCT for {dct.shape[-1]} rows does not fit spectrograms of "
            f"{S_db.shape[-2]} rows"
        )
    return torch.matmul(dct.to(device=S_db.device, dtype=S_db.dtype), S_db)
