"""Butterworth band filters applied by FFT, and pre-emphasis, for batched waveforms.

The lecture's band filters: a low-, high-, band-pass or band-stop
Butterworth filter (Butterworth, *On the Theory of Filter Amplifiers*, 1930),
maximally flat in its pass band, designed by ``scipy.signal.butter`` as
second-order sections and applied to a whole batch (..., L) at once on its
device, through its frequency response H(e^{jω}) on an FFT grid:

- ``zero_phase=False``: Y = H·X, the causal filter, like ``scipy.signal.sosfilt``
  with a zero initial state;
- ``zero_phase=True``: Y = |H|²·X, the filter run forwards and backwards (no
  phase shift, the magnitude response squared), like ``scipy.signal.sosfiltfilt``.

The signal is padded with zeros up to the impulse response's decay length
(where the slowest pole's r^k falls below 1e-12) before the FFT, so that the
circular convolution's wrap-around is negligible. The result equals
``sosfilt`` to float precision; it equals ``sosfiltfilt`` away from the
edges, where that function extends the signal by odd reflection instead of
zeros (on both sides of a zero-padded signal the two agree).

Pre-emphasis, y[t] = x[t] − a·x[t−1] with y[0] = x[0], boosts the high
frequencies of speech before the spectrogram (a first-order FIR high-pass).
It equals ``scipy.signal.lfilter([1, −a], [1], x)`` and
``librosa.effects.preemphasis(x, coef=a, zi=0)``; librosa's default
(``zi=None``: an initial state 2·x[0] − x[1]) differs in the first sample only.

Example:
    >>> import torch
    >>> from trainlab.preprocess.audio.filters import butterworth_filter
    >>> t = torch.arange(16000) / 16000
    >>> x = torch.sin(2 * torch.pi * 100 * t) + torch.sin(2 * torch.pi * 4000 * t)
    >>> y = butterworth_filter(x.view(1, 1, -1), "lowpass", 1000.0, 16000)
    >>> err = y[0, 0] - torch.sin(2 * torch.pi * 100 * t)  # the 4 kHz tone is gone
    >>> bool(err[2000:-2000].abs().max() < 1e-3)
    True
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import scipy.fft
import scipy.signal
import torch
from torch import nn

from trainlab.core.errors import ConfigError
from trainlab.preprocess.audio._checks import as_float_tensor, check_choice, check_float, check_int

FILTER_KINDS: tuple[str, ...] = ("lowpass", "highpass", "bandpass", "bandstop")

#: the impulse response is taken to have ended once r^k (slowest pole) is below this
DECAY_TOLERANCE = 1e-12
#: the largest zero padding (samples) before the FFT, for very narrow filters
MAX_PAD = 1 << 20


def _check_cutoff(kind: str, cutoff: Any, sample_rate: float) -> float | tuple[float, float]:
    nyquist = sample_rate / 2
    if kind in ("lowpass", "highpass"):
        return check_float("cutoff", cutoff, low=0.0, high=nyquist, low_open=True, high_open=True)
    if isinstance(cutoff, (str, bytes)) or not hasattr(cutoff, "__len__") or len(cutoff) != 2:
        raise ConfigError(f"cutoff: expected a (low, high) pair in Hz for {kind}, got {cutoff!r}")
    low, high = (
        check_float("cutoff", c, low=0.0, high=nyquist, low_open=True, high_open=True)
        for c in cutoff
    )
    if low >= high:
        raise ConfigError(f"cutoff: expected low < high for {kind}, got ({low:g}, {high:g})")
    return low, high


def butterworth_sos(
    kind: str, cutoff: float | tuple[float, float], sample_rate: float, order: int = 4
) -> np.ndarray:
    """The Butterworth filter as second-order sections (``scipy.signal.butter``, ``output="sos"``).

    Args:
        kind: one of ``FILTER_KINDS``.
        cutoff: the -3 dB frequency in Hz, in (0, sample_rate/2); a (low, high)
            pair for ``bandpass`` and ``bandstop``.
        sample_rate: samples per second (> 0).
        order: the filter order (>= 1; band kinds get twice as many poles).

    Returns:
        A float64 array (sections, 6) of [b0, b1, b2, a0, a1, a2] rows.

    Raises:
        ConfigError: a bad kind, cutoff, sample rate or order (one line naming it).

    Example:
        >>> from trainlab.preprocess.audio.filters import butterworth_sos
        >>> butterworth_sos("bandpass", (300.0, 3400.0), 16000, order=2).shape
        (2, 6)
    """
    kind = check_choice("kind", kind, FILTER_KINDS)
    rate = check_float("sample_rate", sample_rate, low=0.0, low_open=True)
    order = check_int("order", order, low=1)
    cut = _check_cutoff(kind, cutoff, rate)
    return scipy.signal.butter(order, cut, btype=kind, fs=rate, output="sos")


def decay_length(sos: np.ndarray | torch.Tensor, tol: float = DECAY_TOLERANCE) -> int:
    """Samples until the impulse response of ``sos`` has decayed below ``tol`` (its slowest pole).

    Example:
        >>> from trainlab.preprocess.audio.filters import butterworth_sos, decay_length
        >>> decay_length(butterworth_sos("lowpass", 4000.0, 16000)) < 200
        True
        >>> decay_length(butterworth_sos("highpass", 20.0, 16000)) > 5000
        True
    """
    sos = sos.detach().cpu().numpy() if isinstance(sos, torch.Tensor) else np.asarray(sos)
    _, poles, _ = scipy.signal.sos2zpk(sos.astype(np.float64))
    r = float(np.abs(poles).max()) if poles.size else 0.0
    if r <= 0.0:
        return 16
    if r >= 1.0:
        return MAX_PAD
    return int(min(MAX_PAD, max(16, math.ceil(math.log(tol) / math.log(r)))))


def sos_response(sos: torch.Tensor, n: int) -> torch.Tensor:
    """H(e^{jω}) of second-order sections at the ``n // 2 + 1`` frequencies of an ``rfft`` of n.

    Evaluated in complex128 on ``sos``'s device, as the product of the
    sections' (b0 + b1 z⁻¹ + b2 z⁻²) / (a0 + a1 z⁻¹ + a2 z⁻²).

    Example:
        >>> import scipy.signal, torch
        >>> from trainlab.preprocess.audio.filters import butterworth_sos, sos_response
        >>> sos = butterworth_sos("lowpass", 2000.0, 16000)
        >>> h = sos_response(torch.from_numpy(sos), 64).numpy()
        >>> _, ref = scipy.signal.sosfreqz(sos, worN=torch.arange(33).numpy() * 2 * torch.pi / 64)
        >>> bool(abs(h - ref).max() < 1e-12)
        True
    """
    sos = sos.to(torch.float64)
    w = torch.arange(n // 2 + 1, device=sos.device, dtype=torch.float64) * (2 * math.pi / n)
    z1 = torch.polar(torch.ones_like(w), -w)  # z⁻¹
    powers = torch.stack([torch.ones_like(z1), z1, z1 * z1])  # (3, F)
    num = sos[:, :3].to(torch.complex128) @ powers  # (S, F)
    den = sos[:, 3:].to(torch.complex128) @ powers
    return (num / den).prod(dim=0)


def sos_filter(
    x: torch.Tensor,
    sos: np.ndarray | torch.Tensor,
    zero_phase: bool = True,
    pad: int | None = None,
) -> torch.Tensor:
    """Filter ``x`` (..., L) along its last axis with ``sos``, by FFT on ``x``'s device.

    Args:
        x: float32 or float64 signals (other dtypes become float32).
        sos: second-order sections (sections, 6), as from :func:`butterworth_sos`.
        zero_phase: apply |H|² (forwards and backwards) instead of H.
        pad: zeros appended before the FFT (default: :func:`decay_length` of ``sos``).

    Returns:
        The filtered signals, same shape, dtype and device as ``x``.

    Example:
        >>> import torch
        >>> from trainlab.preprocess.audio.filters import butterworth_sos, sos_filter
        >>> sos = butterworth_sos("highpass", 100.0, 8000)
        >>> y = sos_filter(torch.ones(2, 1, 8000), sos)  # a constant is stopped
        >>> bool(y[..., 2000:6000].abs().max() < 1e-6)  # away from the edges
        True
    """
    x = as_float_tensor(x, "sos_filter")
    length = x.shape[-1]
    pad = decay_length(sos) if pad is None else check_int("pad", pad, low=0)
    n = scipy.fft.next_fast_len(length + pad, real=True)
    sos_t = torch.as_tensor(sos, dtype=torch.float64, device=x.device)
    h = sos_response(sos_t, n)
    if zero_phase:
        gain = h.abs().square().to(x.dtype)
    else:
        gain = h.to(torch.complex64 if x.dtype == torch.float32 else torch.complex128)
    spectrum = torch.fft.rfft(x, n=n) * gain
    return torch.fft.irfft(spectrum, n=n)[..., :length]


def butterworth_filter(
    x: torch.Tensor,
    kind: str,
    cutoff: float | tuple[float, float],
    sample_rate: float,
    order: int = 4,
    zero_phase: bool = True,
) -> torch.Tensor:
    """A Butterworth filter of ``x`` (..., L) along time, by FFT (see the module).

    Args:
        x: waveforms, e.g. a batch (N, C, L), on any device.
        kind: ``lowpass``, ``highpass``, ``bandpass`` or ``bandstop``.
        cutoff: Hz; a (low, high) pair for the band kinds.
        sample_rate: samples per second of ``x``.
        order: the filter order (>= 1).
        zero_phase: |H|² like ``scipy.signal.sosfiltfilt`` (True) or H like ``sosfilt``.

    Returns:
        The filtered waveforms, same shape, dtype and device.

    Example:
        >>> import torch
        >>> from trainlab.preprocess.audio.filters import butterworth_filter
        >>> x = torch.randn(4, 1, 1000, generator=torch.Generator().manual_seed(0))
        >>> butterworth_filter(x, "bandstop", (50.0, 60.0), 1000).shape
        torch.Size([4, 1, 1000])
    """
    sos = butterworth_sos(kind, cutoff, sample_rate, order)
    return sos_filter(x, sos, zero_phase=zero_phase)


def pre_emphasis(x: torch.Tensor, coefficient: float = 0.97) -> torch.Tensor:
    """y[t] = x[t] − a·x[t−1] along the last axis, with y[0] = x[0] (a zero initial state).

    Args:
        x: signals (..., L).
        coefficient: a, in [0, 1] (0 is the identity).

    Example:
        >>> import torch
        >>> from trainlab.preprocess.audio.filters import pre_emphasis
        >>> pre_emphasis(torch.tensor([1.0, 2.0, 4.0, 8.0]), 0.5)
        tensor([1.0000, 1.5000, 3.0000, 6.0000])
    """
    a = check_float("coefficient", coefficient, low=0.0, high=1.0)
    x = as_float_tensor(x, "pre_emphasis")
    return torch.cat([x[..., :1], x[..., 1:] - a * x[..., :-1]], dim=-1)


class BandFilter(nn.Module):
    """A Butterworth band filter as a module, designed once (see :func:`butterworth_filter`).

    No parameters and no state: the sections are kept in float64 (a filter
    with poles near the unit circle needs them) apart from the module's dtype.

    Args:
        kind: ``lowpass``, ``highpass``, ``bandpass`` or ``bandstop``.
        cutoff: Hz; a (low, high) pair for the band kinds.
        sample_rate: samples per second of the input.
        order: the filter order (>= 1).
        zero_phase: |H|² (True) or H.

    Example:
        >>> import torch
        >>> from trainlab.preprocess.audio.filters import BandFilter
        >>> f = BandFilter("highpass", 300.0, 16000)
        >>> f(torch.zeros(2, 1, 1600)).shape, len(list(f.parameters()))
        (torch.Size([2, 1, 1600]), 0)
    """

    def __init__(
        self,
        kind: str,
        cutoff: float | tuple[float, float],
        sample_rate: float,
        order: int = 4,
        zero_phase: bool = True,
    ) -> None:
        super().__init__()
        self.sos = butterworth_sos(kind, cutoff, sample_rate, order)
        self.kind, self.sample_rate, self.order = kind, float(sample_rate), int(order)
        self.cutoff = tuple(float(c) for c in cutoff) if kind.startswith("band") else float(cutoff)
        self.zero_phase = bool(zero_phase)
        self.pad = decay_length(self.sos)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return sos_filter(x, self.sos, zero_phase=self.zero_phase, pad=self.pad)

    def extra_repr(self) -> str:
        return (
            f"kind={self.kind!r}, cutoff={self.cutoff}, sample_rate={self.sample_rate:g}, "
            f"order={self.order}, zero_phase={self.zero_phase}"
        )


class PreEmphasis(nn.Module):
    """Pre-emphasis y[t] = x[t] − a·x[t−1] as a module (see :func:`pre_emphasis`).

    Example:
        >>> import torch
        >>> from trainlab.preprocess.audio.filters import PreEmphasis
        >>> PreEmphasis(0.5)(torch.tensor([[2.0, 2.0, 2.0]]))
        tensor([[2., 1., 1.]])
    """

    def __init__(self, coefficient: float = 0.97) -> None:
        super().__init__()
        self.coefficient = check_float("coefficient", coefficient, low=0.0, high=1.0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return pre_emphasis(x, self.coefficient)

    def extra_repr(self) -> str:
        return f"coefficient={self.coefficient}"
