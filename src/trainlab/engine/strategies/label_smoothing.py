"""Label smoothing: cross-entropy against targets mixed with the uniform distribution.

Szegedy et al., *Rethinking the Inception Architecture for Computer Vision*,
CVPR 2016, §7: with K classes and smoothing ε the target of an example of
class y is

    q_k = (1 − ε) · [k = y] + ε / K

and the training loss is the cross-entropy H(q, softmax(z)) =
(1 − ε) · CE(z, y) + ε · mean_k(−log softmax(z)_k). Soft targets (mixup,
cutmix) are smoothed the same way: q = (1 − ε) · t + ε / K. The lecture's
"ruido en las salidas" without a random draw.

A loss-side strategy: the trainer asks it for the training loss
(``Trainer(loss=LabelSmoothing(0.1))``); validation and test losses stay the
plain cross-entropy.

Example:
    >>> import torch
    >>> from trainlab.engine.strategies.label_smoothing import LabelSmoothing
    >>> logits, y = torch.tensor([[4.0, 0.0]]), torch.tensor([0])
    >>> plain, smoothed = LabelSmoothing(0.0)(logits, y), LabelSmoothing(0.2)(logits, y)
    >>> bool(smoothed > plain)  # confident logits cost more against smoothed targets
    True
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from trainlab.core.errors import ConfigError


class LabelSmoothing:
    """The training loss with label smoothing ε.

    Args:
        epsilon: ε, the probability mass spread uniformly over the K classes; in [0, 1).

    Example:
        >>> import torch
        >>> loss = LabelSmoothing(0.1)
        >>> round(loss(torch.zeros(3, 4), torch.tensor([0, 1, 2])).item(), 4)  # log 4
        1.3863
    """

    name = "label-smoothing"

    def __init__(self, epsilon: float) -> None:
        if not (isinstance(epsilon, (int, float)) and 0.0 <= epsilon < 1.0):
            raise ConfigError(f"label smoothing: expected ε in [0, 1), got {epsilon!r}")
        self.epsilon = float(epsilon)

    def __call__(self, logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        """Mean smoothed cross-entropy of ``logits`` (N, K) against class indices (N,)
        or class probabilities (N, K)."""
        return F.cross_entropy(logits, targets, label_smoothing=self.epsilon)

    def __repr__(self) -> str:
        return f"LabelSmoothing(epsilon={self.epsilon})"
