"""The mel filterbank: triangular bands equally spaced on the mel scale.

The mel scale (Stevens, Volkmann & Newman, 1937) follows perceived pitch.
This is Slaney's version (*Auditory Toolbox*, 1998), librosa's default:
linear below 1 kHz (200/3 Hz per mel) and logarithmic above (27 mels per
factor 6.4). ``n_mels`` triangles span [f_min, f_max], each rising from the
centre of its left neighbour to its own centre and falling to the centre of
its right neighbour, and each scaled to unit area (2 / bandwidth in Hz,
Slaney's normalization). The result equals ``librosa.filters.mel(sr=...,
n_fft=..., n_mels=..., fmin=..., fmax=...)`` (``htk=False``, ``norm="slaney"``).

A mel spectrogram is the filterbank times the power spectrogram,
``mel_filterbank(...) @ stft_power(x)``, over the frequency rows.

Example:
    >>> from trainlab.preprocess.audio.mel import mel_filterbank
    >>> fb = mel_filterbank(16000, 512, n_mels=40)
    >>> fb.shape, bool((fb >= 0).all())
    (torch.Size([40, 257]), True)
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import torch

from trainlab.core.errors import ConfigError
from trainlab.preprocess.audio._checks import check_float, check_int

_F_SP = 200.0 / 3  # Hz per mel on the linear part
_MIN_LOG_HZ = 1000.0
_MIN_LOG_MEL = _MIN_LOG_HZ / _F_SP  # 15 mels
_LOGSTEP = math.log(6.4) / 27.0


def hz_to_mel(hz: np.ndarray | float) -> np.ndarray:
    """Slaney's mel value of frequencies in Hz (``librosa.hz_to_mel``, ``htk=False``).

    Example:
        >>> from trainlab.preprocess.audio.mel import hz_to_mel
        >>> hz_to_mel([500.0, 1000.0, 6400.0]).round(6).tolist()
        [7.5, 15.0, 42.0]
    """
    hz = np.asarray(hz, dtype=np.float64)
    log_part = _MIN_LOG_MEL + np.log(np.maximum(hz, _MIN_LOG_HZ) / _MIN_LOG_HZ) / _LOGSTEP
    return np.where(hz >= _MIN_LOG_HZ, log_part, hz / _F_SP)


def mel_to_hz(mels: np.ndarray | float) -> np.ndarray:
    """Frequencies in Hz of Slaney mel values (the inverse of :func:`hz_to_mel`).

    Example:
        >>> from trainlab.preprocess.audio.mel import mel_to_hz
        >>> mel_to_hz([7.5, 15.0, 42.0]).round(6).tolist()
        [500.0, 1000.0, 6400.0]
    """
    mels = np.asarray(mels, dtype=np.float64)
    log_part = _MIN_LOG_HZ * np.exp(_LOGSTEP * (np.maximum(mels, _MIN_LOG_MEL) - _MIN_LOG_MEL))
    return np.where(mels >= _MIN_LOG_MEL, log_part, _F_SP * mels)


def mel_frequencies(n: int, f_min: float, f_max: float) -> np.ndarray:
    """``n`` frequencies (Hz) evenly spaced in mel, f_min to f_max (``librosa.mel_frequencies``).

    Example:
        >>> from trainlab.preprocess.audio.mel import mel_frequencies
        >>> mel_frequencies(3, 0.0, 2000.0).round(1).tolist()
        [0.0, 836.1, 2000.0]
    """
    return mel_to_hz(np.linspace(hz_to_mel(f_min), hz_to_mel(f_max), n))


def check_mel_args(
    sample_rate: float, n_mels: int, f_min: float, f_max: float | None
) -> tuple[float, int, float, float]:
    """``(sample_rate, n_mels, f_min, f_max)`` checked, ``f_max`` defaulting to sample_rate / 2.

    Example:
        >>> from trainlab.preprocess.audio.mel import check_mel_args
        >>> check_mel_args(16000, 40, 0.0, None)
        (16000.0, 40, 0.0, 8000.0)
    """
    rate = check_float("sample_rate", sample_rate, low=0.0, low_open=True)
    n_mels = check_int("n_mels", n_mels, low=1)
    f_min = check_float("f_min", f_min, low=0.0, high=rate / 2, high_open=True)
    top = rate / 2 if f_max is None else check_float("f_max", f_max, low=0.0, high=rate / 2)
    if top <= f_min:
        raise ConfigError(f"f_max: expected more than f_min = {f_min:g} Hz, got {top:g}")
    return rate, n_mels, f_min, top


def mel_filterbank(
    sample_rate: float,
    n_fft: int,
    n_mels: int = 40,
    f_min: float = 0.0,
    f_max: float | None = None,
    *,
    dtype: torch.dtype = torch.float32,
    device: torch.device | str | None = None,
) -> torch.Tensor:
    """Slaney-normalized triangular mel filters over the rfft bins (see the module).

    Args:
        sample_rate: samples per second.
        n_fft: the FFT length of the power spectrogram (its F = n_fft // 2 + 1 rows).
        n_mels: the number of bands (>= 1).
        f_min: the lowest band edge in Hz, in [0, sample_rate/2).
        f_max: the highest band edge in Hz, at most sample_rate/2 (default).
        dtype: the result's dtype (computed in float64).
        device: the result's device.

    Returns:
        A (n_mels, n_fft // 2 + 1) tensor. A band that catches no FFT bin (too
        many bands for n_fft) is all zeros, with a warning, as in librosa.

    Raises:
        ConfigError: a bad argument (one line naming it).

    Example:
        >>> from trainlab.preprocess.audio.mel import mel_filterbank
        >>> fb = mel_filterbank(8000, 256, n_mels=10, dtype=torch.float64)
        >>> bool(fb.argmax(dim=1).diff().gt(0).all())  # centres rise
        True
    """
    rate, n_mels, f_min, f_max = check_mel_args(sample_rate, n_mels, f_min, f_max)
    n_fft = check_int("n_fft", n_fft, low=2)
    fft_freqs = np.linspace(0.0, rate / 2, 1 + n_fft // 2)
    edges = mel_frequencies(n_mels + 2, f_min, f_max)
    widths = np.diff(edges)
    ramps = edges[:, None] - fft_freqs[None, :]
    lower = -ramps[:-2] / widths[:-1, None]
    upper = ramps[2:] / widths[1:, None]
    weights = np.maximum(0.0, np.minimum(lower, upper))
    weights *= (2.0 / (edges[2:] - edges[:-2]))[:, None]
    empty = ~(weights.max(axis=1) > 0)
    if empty.any():
        warnings.warn(
            f"mel_filterbank: {int(empty.sum())} of n_mels = {n_mels} bands catch no FFT bin "
            f"(n_fft = {n_fft} is too small for them); they are zero",
            UserWarning,
            stacklevel=2,
        )
    return torch.as_tensor(weights, dtype=dtype, device=device)


def mel_centres(
    sample_rate: float, n_mels: int = 40, f_min: float = 0.0, f_max: float | None = None
) -> np.ndarray:
    """The centre frequency (Hz) of each mel band, for the axes of plots.

    Example:
        >>> from trainlab.preprocess.audio.mel import mel_centres
        >>> c = mel_centres(16000, 40)
        >>> c.shape, bool(0 < c[0] < c[-1] < 8000)
        ((40,), True)
    """
    _, n_mels, f_min, f_max = check_mel_args(sample_rate, n_mels, f_min, f_max)
    return mel_frequencies(n_mels + 2, f_min, f_max)[1:-1]
