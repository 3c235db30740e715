"""Monte-Carlo dropout: dropout kept on at prediction, T stochastic passes averaged.

Dropout trains an implicit ensemble of thinned networks (Srivastava et al.,
*Dropout: A Simple Way to Prevent Neural Networks from Overfitting*, JMLR 15,
2014); keeping it on at test time and averaging T passes is a Monte-Carlo
estimate of the predictive distribution of a Bayesian approximation (Gal &
Ghahramani, *Dropout as a Bayesian Approximation*, ICML 2016):

    p(y | x) ≈ (1 / T) Σ_t softmax(f(x; θ ⊙ m_t)),   m_t ~ Bernoulli(1 − p)

The lecture's "deserción como ensamble". This module switches the model into
that mode; :func:`trainlab.engine.prediction.ensemble_probabilities` runs the
passes. The masks come from torch's generator of the model's device, as
``nn.Dropout`` draws them: seed it (``torch.manual_seed``) for a repeatable
estimate.

Example:
    >>> import torch
    >>> from torch import nn
    >>> from trainlab.engine.strategies.mc_dropout import mc_dropout
    >>> net = nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4), nn.Dropout(0.5)).train()
    >>> with mc_dropout(net):
    ...     [m.training for m in net]
    [False, False, True]
    >>> [m.training for m in net]  # restored
    [True, True, True]
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from torch import nn


def is_dropout(module: nn.Module) -> bool:
    """Whether ``module`` is one of torch's dropout layers (``Dropout``, ``Dropout2d``, …)."""
    return isinstance(module, nn.modules.dropout._DropoutNd)


@contextlib.contextmanager
def mc_dropout(model: nn.Module) -> Iterator[nn.Module]:
    """Within the block ``model`` is in eval mode except its dropout layers, which sample.

    Batch normalization uses its running statistics; on exit the model's
    training flag is restored (``model.train(was_training)``).
    """
    was_training = model.training
    model.eval()
    for m in model.modules():
        if is_dropout(m):
            m.train()
    try:
        yield model
    finally:
        model.train(was_training)
