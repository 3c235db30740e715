"""A batched phase vocoder: time-stretch each waveform by its own rate.

The STFT of each clip (periodic Hann window, centred frames padded with zeros)
is read at fractional frames t_j = j·rate, j = 0, 1, …: magnitudes are
interpolated linearly between the frames ⌊t_j⌋ and ⌊t_j⌋ + 1, and phases are
advanced by each bin's measured instantaneous frequency (Flanagan & Golden,
*Phase vocoder*, Bell System Technical Journal 45, 1966; the algorithm and
conventions of ``librosa.phase_vocoder`` and ``librosa.effects.time_stretch``).
librosa advances the phase frame by frame; here the advance of every output
frame is gathered at once and the phases are its cumulative sum, so a batch
with a different rate per sample is stretched without a loop over samples or
frames. Each clip comes out round(L / rate) samples long; the batch is
zero-padded to the longest.

Example:
    >>> import torch
    >>> from trainlab.augment.audio.vocoder import time_stretch
    >>> x = torch.randn(2, 1, 4000)
    >>> y, lengths = time_stretch(x, torch.tensor([0.5, 2.0]), n_fft=256, hop_length=64)
    >>> y.shape, lengths.tolist()
    (torch.Size([2, 1, 8000]), [8000, 2000])
"""

from __future__ import annotations

import math

import torch


def _stft(x: torch.Tensor, n_fft: int, hop_length: int, window: torch.Tensor) -> torch.Tensor:
    return torch.stft(
        x, n_fft, hop_length, window=window, center=True, pad_mode="constant", return_complex=True
    )


def stretch_frames(spec: torch.Tensor, rate: torch.Tensor, hop_length: int) -> torch.Tensor:
    """The phase vocoder on STFTs (B, F, T) with one rate per row (B,): (B, F, ⌈T / rate_min⌉).

    Output frame j of row b reads input frame j·rate_b (frames past the row's
    own ⌈T / rate_b⌉ are zero), as ``librosa.phase_vocoder(spec[b], rate=rate_b)``.

    Example:
        >>> import torch
        >>> spec = torch.randn(3, 5, 10, dtype=torch.complex64)
        >>> stretch_frames(spec, torch.tensor([1.0, 2.0, 0.5]), 4).shape
        torch.Size([3, 5, 20])
    """
    b, bins, frames = spec.shape
    n_fft = 2 * (bins - 1)
    rate = rate.to(device=spec.device, dtype=torch.float64).view(b, 1)
    counts = torch.ceil(frames / rate - 1e-9).long()  # len(np.arange(0, T, rate))
    total = int(counts.max())
    steps = torch.arange(total, device=spec.device, dtype=torch.float64).view(1, total) * rate
    valid = torch.arange(total, device=spec.device).view(1, total) < counts
    first = steps.floor().long().clamp(max=frames + 1)  # frames T, T + 1 are zero padding
    alpha = (steps - steps.floor()).to(spec.real.dtype).unsqueeze(1)  # (B, 1, J)
    padded = torch.nn.functional.pad(spec, (0, 2))
    left = padded.gather(2, first.unsqueeze(1).expand(b, bins, total))
    right = padded.gather(2, (first + 1).clamp(max=frames + 1).unsqueeze(1).expand(b, bins, total))
    magnitude = (1 - alpha) * left.abs() + alpha * right.abs()
    advance = (hop_length * 2 * math.pi / n_fft) * torch.arange(bins, device=spec.device)
    advance = advance.to(alpha.dtype).view(1, bins, 1)
    dphase = right.angle() - left.angle() - advance
    dphase = dphase - 2 * math.pi * torch.round(dphase / (2 * math.pi))
    step = torch.remainder(advance, 2 * math.pi) + dphase  # the phase advance, mod 2π
    phase = spec[..., :1].angle() + torch.cumsum(step, dim=2) - step  # exclusive cumsum
    return torch.polar(magnitude * valid.unsqueeze(1), phase)


def time_stretch(
    x: torch.Tensor, rate: torch.Tensor, *, n_fft: int = 512, hop_length: int = 128
) -> tuple[torch.Tensor, torch.Tensor]:
    """Stretch waveforms (N, C, L) by ``rate`` (N,) (> 1 faster), keeping pitch.

    Returns the stretched batch (N, C, max length), each clip zero beyond its
    own round(L / rate) samples, and those lengths (N,).

    Example:
        >>> import torch
        >>> y, lengths = time_stretch(torch.zeros(1, 2, 1000), torch.tensor([1.25]))
        >>> y.shape, int(lengths[0])
        (torch.Size([1, 2, 800]), 800)
    """
    n, c, length = x.shape
    rate = rate.to(device=x.device, dtype=torch.float64)
    lengths = torch.round(length / rate).long()
    window = torch.hann_window(n_fft, periodic=True, device=x.device, dtype=x.dtype)
    spec = _stft(x.reshape(n * c, length), n_fft, hop_length, window)
    stretched = stretch_frames(spec, rate.repeat_interleave(c), hop_length)
    out_length = int(lengths.max())
    y = torch.istft(
        stretched, n_fft, hop_length, window=window, center=True, length=out_length
    ).view(n, c, out_length)
    inside = torch.arange(out_length, device=x.device).view(1, 1, -1) < lengths.view(n, 1, 1)
    return torch.where(inside, y, 0.0), lengths
