"""The baseline's supervised training: seeded, and it learns."""

from __future__ import annotations

import torch
from torch import nn

from trainlab.engine.meta.finetune import train_classifier


def _run(seed):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
    g = torch.Generator().manual_seed(1)
    x = torch.randn(90, 4, generator=g)
    y = (x[:, 0] > 0).long() + (x[:, 1] > 0).long()
    seen = []
    losses = train_classifier(
        model,
        x,
        y,
        epochs=6,
        batch_size=16,
        lr=1e-2,
        seed=seed,
        progress=lambda e, loss: seen.append(e),
    )
    return model, losses, seen


def test_training_on_the_training_classes_is_seeded_and_learns() -> None:
    a, la, seen = _run(0)
    b, lb, _ = _run(0)
    _, lc, _ = _run(1)
    assert la == lb and la != lc
    assert la[-1] < la[0] and seen == [1, 2, 3, 4, 5, 6]
    assert not a.training
    for v, w in zip(a.state_dict().values(), b.state_dict().values(), strict=True):
        torch.testing.assert_close(v, w)
