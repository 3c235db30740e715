"""SimCLR's contrastive loss, NT-Xent (Chen, Kornblith, Norouzi & Hinton, 2020, "A Simple
Framework for Contrastive Learning of Visual Representations").

Two augmented views of every input of a batch of ``B`` give ``2B`` embeddings
``z``; for the pair ``(i, j)`` of views of one input, with the cosine
similarity ``sim`` and a temperature ``τ``,

    ℓ(i, j) = −log [ exp(sim(z_i, z_j)/τ) / Σ_{k≠i} exp(sim(z_i, z_k)/τ) ],

and the loss is the mean of ℓ over the ``2B`` anchors: each view must pick its
twin out of the batch's other ``2B − 2`` views. The embeddings come from a
small projection head ``g`` on the network's features (:class:`ProjectionHead`),
which is dropped after pretraining.

Example:
    >>> import torch
    >>> from trainlab.engine.selfsup.contrastive import nt_xent
    >>> z = torch.eye(4)
    >>> round(float(nt_xent(z[:2], z[:2], temperature=0.1)), 4)  # twins alike, others apart
    0.0001
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def nt_xent(z1: torch.Tensor, z2: torch.Tensor, temperature: float = 0.5) -> torch.Tensor:
    """The NT-Xent loss of two ``(B, D)`` views of ``B`` inputs (row ``i`` of each: one input)."""
    b = len(z1)
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    sim = z @ z.T / temperature
    sim = sim.masked_fill(torch.eye(2 * b, dtype=torch.bool, device=z.device), float("-inf"))
    twin = torch.cat([torch.arange(b, 2 * b), torch.arange(b)]).to(z.device)
    return F.cross_entropy(sim, twin)


class ProjectionHead(nn.Sequential):
    """SimCLR's ``g``: features → hidden (ReLU) → ``out``, where the loss is taken.

    Example:
        >>> import torch
        >>> ProjectionHead(32, out=8)(torch.zeros(2, 32)).shape
        torch.Size([2, 8])
    """

    def __init__(self, features: int, hidden: int | None = None, out: int = 64) -> None:
        hidden = hidden or min(max(features, out), 512)
        super().__init__(nn.Linear(features, hidden), nn.ReLU(), nn.Linear(hidden, out))
