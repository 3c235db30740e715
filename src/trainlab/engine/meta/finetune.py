"""The few-shot baseline: a network trained on the training classes, a new head per episode.

Chen et al. (2019, "A Closer Look at Few-shot Classification") showed that
plain supervised training on every training class, then, on each test
episode, a new linear classifier fitted to the support set over the frozen
features, is a strong baseline for meta-learning. :func:`train_classifier`
is the first part (mini-batch cross-entropy with Adam, seeded) and
:func:`finetune_logits` the second (full-batch Adam on the support set's
features, the features computed once).

Example:
    >>> import torch
    >>> feats = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    >>> logits = finetune_logits(feats, torch.tensor([0, 1]), feats, 2, steps=50, lr=0.1)
    >>> logits.argmax(1).tolist()
    [0, 1]
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

from trainlab.core.errors import TrainingDiverged
from trainlab.core.seeding import epoch_seed


def train_classifier(
    model: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    *,
    epochs: int,
    batch_size: int,
    lr: float,
    seed: int,
    progress: Callable[[int, float], None] | None = None,
) -> list[float]:
    """Train ``model`` (its head over every training class) on ``(x, y)``; the epochs' mean losses.

    Each epoch's order comes from its own generator (``epoch_seed(seed, epoch)``),
    so a run is the same however it is started. The model ends in eval mode.
    """
    device = next(model.parameters()).device
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for epoch in range(1, epochs + 1):
        model.train()
        g = torch.Generator().manual_seed(epoch_seed(seed, epoch, 11))
        order = torch.randperm(len(x), generator=g)
        total, count = 0.0, 0
        for start in range(0, len(x), batch_size):
            idx = order[start : start + batch_size]
            if len(idx) < 2:  # batch norm needs two examples
                continue
            xb, yb = x[idx].to(device), y[idx].to(device)
            loss = F.cross_entropy(model(xb), yb)
            if not torch.isfinite(loss):
                raise TrainingDiverged(
                    f"meta finetune: the loss became {float(loss)} in epoch {epoch}",
                    epoch=epoch,
                    value=float(loss),
                )
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            total, count = total + float(loss.detach()) * len(idx), count + len(idx)
        losses.append(total / max(count, 1))
        if progress is not None:
            progress(epoch, losses[-1])
    model.eval()
    return losses


def finetune_logits(
    support: torch.Tensor,
    labels: torch.Tensor,
    queries: torch.Tensor,
    n_way: int,
    *,
    steps: int,
    lr: float,
) -> torch.Tensor:
    """``(Q, N)`` logits of a new linear head fitted to support features ``(S, D)``.

    The head starts at zero (so the result depends on nothing but the episode)
    and takes ``steps`` full-batch Adam steps on the support cross-entropy.
    """
    with torch.enable_grad():
        head = nn.Linear(support.shape[1], n_way).to(support.device)
        nn.init.zeros_(head.weight)
        nn.init.zeros_(head.bias)
        optimizer = torch.optim.Adam(head.parameters(), lr=lr)
        for _ in range(steps):
            loss = F.cross_entropy(head(support), labels)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
    with torch.no_grad():
        return head(queries)
