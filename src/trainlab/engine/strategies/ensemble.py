"""Ensembles: averaged probabilities of several members, and Monte-Carlo dropout.

An ensemble of N members trained from different seeds predicts the mean of
their softmax probabilities (Dietterich, 2000; the lecture's "ensambles").
Monte-Carlo dropout keeps dropout on at evaluation and averages T passes,
reading dropout as an ensemble of thinned networks (Srivastava et al., 2014;
Gal & Ghahramani, 2016) — the lecture's "deserción como ensamble".

Example:
    >>> import torch
    >>> from trainlab.engine.strategies.ensemble import average_probabilities
    >>> a = torch.tensor([[10.0, 0.0]]); b = torch.tensor([[0.0, 10.0]])
    >>> average_probabilities([a, b]).round(decimals=3)
    tensor([[0.5000, 0.5000]])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import nn

from trainlab.engine.loop import predict_logits


def average_probabilities(logits: Sequence[torch.Tensor]) -> torch.Tensor:
    """Mean of the members' softmax probabilities, shape (N, classes)."""
    return torch.stack([lg.float().softmax(1) for lg in logits]).mean(0)


def ensemble_probabilities(
    models: Sequence[nn.Module],
    x: torch.Tensor,
    device: torch.device,
    *,
    batch_size: int = 1024,
    mc_dropout: int = 0,
    amp: bool = False,
    views: Callable[[torch.Tensor], list[torch.Tensor]] | None = None,
) -> torch.Tensor:
    """Averaged probabilities of ``models`` on ``x``.

    With ``mc_dropout`` = T > 0, each model contributes T stochastic passes with
    dropout on (seeded by the caller's global RNG state). With ``views`` (test-time
    augmentation), every view of ``x`` contributes too.
    """
    inputs = views(x) if views is not None else [x]
    logits = []
    for model in models:
        passes = mc_dropout if mc_dropout > 0 else 1
        for view in inputs:
            for _ in range(passes):
                logits.append(
                    predict_logits(model, view, device, batch_size, amp, mc_dropout=mc_dropout > 0)
                )
    return average_probabilities(logits)


def probabilities_metrics(probs: torch.Tensor, y: torch.Tensor) -> dict[str, float]:
    """Negative log-likelihood and accuracy of predicted probabilities."""
    y = y.to(probs.device)
    nll = -torch.log(probs.gather(1, y[:, None]).clamp_min(1e-12)).mean()
    return {"loss": nll.item(), "acc": (probs.argmax(1) == y).float().mean().item()}
