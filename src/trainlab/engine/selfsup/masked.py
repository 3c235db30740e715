"""Masked reconstruction for signals and spectrograms: hide blocks of time, rebuild them.

Contiguous blocks along the last axis (time) of every input are zeroed until
about ``ratio`` of its steps are hidden, and a decoder on the network's
features rebuilds the whole input; the loss is the mean squared error on the
hidden steps only, as BERT predicts its masked words (Devlin et al., 2019) and
masked autoencoders their hidden patches (He et al., 2022, "Masked Autoencoders
Are Scalable Vision Learners"), with SpecAugment-like time blocks (Park et al.,
2019).

Example:
    >>> import torch
    >>> from trainlab.engine.selfsup.masked import mask_blocks
    >>> x = torch.ones(2, 1, 40)
    >>> hidden, mask = mask_blocks(x, 0.5, torch.Generator().manual_seed(0), block=4)
    >>> mask.shape, [round(float(m.float().mean()), 1) for m in mask]
    (torch.Size([2, 40]), [0.5, 0.5])
    >>> bool((hidden[mask.unsqueeze(1).expand_as(x)] == 0).all())
    True
"""

from __future__ import annotations

import torch
from torch import nn


def mask_blocks(
    x: torch.Tensor, ratio: float, generator: torch.Generator, block: int = 8
) -> tuple[torch.Tensor, torch.Tensor]:
    """``x`` with blocks of ``block`` time steps zeroed (about ``ratio`` of the last axis).

    Returns the masked copy and the ``(B, T)`` boolean mask of the hidden steps
    (the same for every channel of an example). The blocks are whole blocks of a
    grid of ``block`` steps, chosen without replacement for each example.
    """
    b, t = len(x), x.shape[-1]
    block = max(1, min(block, t))
    cells = -(-t // block)
    hide = max(1, round(ratio * cells))
    scores = torch.rand(b, cells, generator=generator)
    chosen = scores.argsort(dim=1)[:, :hide]
    cell_mask = torch.zeros(b, cells, dtype=torch.bool).scatter_(1, chosen, True)
    mask = cell_mask.repeat_interleave(block, dim=1)[:, :t].to(x.device)
    shape = (b,) + (1,) * (x.ndim - 2) + (t,)
    return x.masked_fill(mask.view(shape), 0.0), mask


def masked_mse(rebuilt: torch.Tensor, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """The mean squared error of ``rebuilt`` against ``x`` on the hidden steps only."""
    shape = (len(x),) + (1,) * (x.ndim - 2) + (x.shape[-1],)
    weight = mask.view(shape).expand_as(x).to(x.dtype)
    return ((rebuilt - x) ** 2 * weight).sum() / weight.sum().clamp_min(1.0)


class Decoder(nn.Module):
    """Features → an input of ``shape`` (one linear layer: the features must hold the input).

    Example:
        >>> import torch
        >>> Decoder(16, (1, 10))(torch.zeros(3, 16)).shape
        torch.Size([3, 1, 10])
    """

    def __init__(self, features: int, shape: tuple[int, ...]) -> None:
        super().__init__()
        self.shape = tuple(shape)
        self.linear = nn.Linear(features, int(torch.tensor(self.shape).prod()))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.linear(z).view(len(z), *self.shape)
