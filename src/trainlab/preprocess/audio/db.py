"""Power spectrograms in decibels, clipped to a dynamic range per example.

S_db = 10·log10(max(S, amin)) − 10·log10(max(ref, amin)), then every value
below the example's own maximum minus ``top_db`` is raised to it: the
semantics of ``librosa.power_to_db(S, ref=ref, amin=amin, top_db=top_db)``
applied to each clip alone, so a batch gives what its clips give one by one
(the maximum is never shared across a batch).

An example is everything but the first axis for a batch of rank >= 3, e.g.
(N, C, F, T) or (N, F, T); a rank-2 (F, T) input is one spectrogram.

Example:
    >>> import torch
    >>> from trainlab.preprocess.audio.db import power_to_db
    >>> S = torch.tensor([[[1.0, 1e-3]], [[1e-4, 1e-12]]])  # two (1, 2) examples
    >>> power_to_db(S, top_db=60.0).tolist()  # the second clips at its own -40 - 60 dB
    [[[0.0, -30.0]], [[-40.0, -100.0]]]
"""

from __future__ import annotations

import math

import torch

from trainlab.preprocess.audio._checks import as_float_tensor, check_float


def power_to_db(
    S: torch.Tensor, ref: float = 1.0, amin: float = 1e-10, top_db: float | None = 80.0
) -> torch.Tensor:
    """Decibels of a power spectrogram, clipped at ``top_db`` below each example's maximum.

    Args:
        S: non-negative power values, (N, ..., F, T) or one (F, T) spectrogram.
        ref: the power of 0 dB (> 0).
        amin: the smallest power taken into account (> 0).
        top_db: the dynamic range kept per example (>= 0), or None for no clipping.

    Returns:
        A tensor of S's shape, dtype and device.

    Raises:
        ConfigError: a bad ``ref``, ``amin`` or ``top_db``.

    Example:
        >>> import torch
        >>> from trainlab.preprocess.audio.db import power_to_db
        >>> power_to_db(torch.tensor([[100.0, 1.0]]), ref=10.0).tolist()
        [[10.0, -10.0]]
    """
    ref = check_float("ref", ref, low=0.0, low_open=True)
    amin = check_float("amin", amin, low=0.0, low_open=True)
    if top_db is not None:
        top_db = check_float("top_db", top_db, low=0.0)
    S = as_float_tensor(S, "power_to_db")
    out = 10.0 * torch.log10(S.clamp_min(amin)) - 10.0 * math.log10(max(ref, amin))
    if top_db is None:
        return out
    if out.ndim <= 2:
        peak = out.amax()
    else:
        peak = out.reshape(out.shape[0], -1).amax(dim=1).view(-1, *(1,) * (out.ndim - 1))
    return torch.maximum(out, peak - top_db)
