"""Ensembles: the averaged softmax probabilities of several members.

An ensemble of N members trained from different seeds predicts

    p(y | x) = (1 / N) Σ_n softmax(f_n(x))

(Hansen & Salamon, *Neural Network Ensembles*, IEEE TPAMI 12(10), 1990;
Dietterich, *Ensemble Methods in Machine Learning*, 2000; Lakshminarayanan et
al., *Deep Ensembles*, NeurIPS 2017) — the lecture's "ensambles". The same
average combines Monte-Carlo dropout passes and test-time views; where the
logits come from is :mod:`trainlab.engine.prediction`'s business.

Example:
    >>> import torch
    >>> from trainlab.engine.strategies.ensemble import average_probabilities
    >>> a = torch.tensor([[10.0, 0.0]]); b = torch.tensor([[0.0, 10.0]])
    >>> average_probabilities([a, b]).round(decimals=3)
    tensor([[0.5000, 0.5000]])
"""

from __future__ import annotations

from collections.abc import Sequence

import torch


def average_probabilities(logits: Sequence[torch.Tensor]) -> torch.Tensor:
    """Mean of the members' softmax probabilities, shape (N, classes), in float32."""
    return torch.stack([lg.float().softmax(1) for lg in logits]).mean(0)
