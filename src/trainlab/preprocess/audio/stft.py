"""The short-time Fourier transform's power spectrogram of batched waveforms.

|STFT|^p of signals (..., L) into spectrograms (..., F, T), F = n_fft // 2 + 1
frequency rows and T frames, with a periodic Hann window of ``win_length``
samples centred in the ``n_fft`` frame (Harris, *On the use of windows for
harmonic analysis with the discrete Fourier transform*, 1978). With
``center=True`` the signal is padded by n_fft // 2 zeros on both sides, so
frame t is centred on sample t·hop_length and T = 1 + L // hop_length; this
is ``librosa.stft``'s default since librosa 0.10 (``pad_mode="constant"``),
and the result equals ``numpy.abs(librosa.stft(x, ...)) ** power``. Without
centring, T = 1 + (L − n_fft) // hop_length.

Computed by ``torch.stft`` on the batch's device, all clips and channels at once.

Example:
    >>> import torch
    >>> from trainlab.preprocess.audio.stft import stft_power
    >>> x = torch.randn(2, 1, 16000, generator=torch.Generator().manual_seed(0))
    >>> stft_power(x).shape  # 257 frequencies, 101 frames of 10 ms
    torch.Size([2, 1, 257, 101])
"""

from __future__ import annotations

import torch

from trainlab.core.errors import ConfigError, DataError
from trainlab.preprocess.audio._checks import as_float_tensor, check_float, check_int


def check_stft_args(n_fft: int, hop_length: int, win_length: int | None) -> tuple[int, int, int]:
    """``(n_fft, hop_length, win_length)`` checked, ``win_length`` defaulting to ``n_fft``.

    Example:
        >>> from trainlab.preprocess.audio.stft import check_stft_args
        >>> check_stft_args(512, 160, None)
        (512, 160, 512)
    """
    n_fft = check_int("n_fft", n_fft, low=2)
    hop_length = check_int("hop_length", hop_length, low=1)
    win = n_fft if win_length is None else check_int("win_length", win_length, low=1)
    if win > n_fft:
        raise ConfigError(f"win_length: expected at most n_fft = {n_fft}, got {win}")
    return n_fft, hop_length, win


def n_frames(length: int, n_fft: int = 512, hop_length: int = 160, center: bool = True) -> int:
    """The number of STFT frames T of a signal of ``length`` samples.

    Example:
        >>> from trainlab.preprocess.audio.stft import n_frames
        >>> n_frames(16000), n_frames(16000, center=False)
        (101, 97)
    """
    if center:
        return 1 + length // hop_length
    return 1 + (length - n_fft) // hop_length if length >= n_fft else 0


def stft_power(
    x: torch.Tensor,
    n_fft: int = 512,
    hop_length: int = 160,
    win_length: int | None = None,
    power: float = 2.0,
    center: bool = True,
    window: torch.Tensor | None = None,
) -> torch.Tensor:
    """|STFT(x)|^power of signals (..., L) as spectrograms (..., n_fft // 2 + 1, T).

    Args:
        x: float32 or float64 waveforms, e.g. (N, C, L), on any device.
        n_fft: FFT length (>= 2).
        hop_length: samples between frames (>= 1).
        win_length: the Hann window's length, at most n_fft (default n_fft).
        power: 2 for power, 1 for magnitude (> 0).
        center: pad n_fft // 2 zeros on both sides (librosa's default).
        window: a precomputed window of ``win_length`` samples (default: the periodic Hann).

    Returns:
        A real tensor of x's dtype and device.

    Raises:
        ConfigError: a bad argument; DataError: a signal shorter than n_fft without centring.

    Example:
        >>> import torch
        >>> from trainlab.preprocess.audio.stft import stft_power
        >>> tone = torch.cos(2 * torch.pi * 1000 * torch.arange(8000) / 8000)  # bin 64 of 512
        >>> int(stft_power(tone, n_fft=512, hop_length=256)[:, 8].argmax())
        64
    """
    n_fft, hop_length, win = check_stft_args(n_fft, hop_length, win_length)
    power = check_float("power", power, low=0.0, low_open=True)
    x = as_float_tensor(x, "stft_power")
    length = x.shape[-1]
    if not center and length < n_fft:
        raise DataError(
            f"stft_power: signals of {length} samples are shorter than n_fft = {n_fft} "
            "(use center=True or a smaller n_fft)"
        )
    if window is None:
        window = torch.hann_window(win, periodic=True, dtype=x.dtype, device=x.device)
    spec = torch.stft(
        x.reshape(-1, length),
        n_fft=n_fft,
        hop_length=hop_length,
        win_length=win,
        window=window.to(device=x.device, dtype=x.dtype),
        center=center,
        pad_mode="constant",
        return_complex=True,
    )
    if power == 2.0:
        out = torch.view_as_real(spec).square().sum(-1)
    else:
        out = spec.abs() if power == 1.0 else spec.abs().pow(power)
    return out.reshape(*x.shape[:-1], *out.shape[-2:])
