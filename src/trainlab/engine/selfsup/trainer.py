"""Pretrain a staged model's stages on unlabelled inputs with a pretext task.

The pretext task gets a head of its own on the flattened features of the
model's last stage; Adam trains the stages and that head together, over
minibatches in a fresh seeded order every epoch, with the task's randomness
(SimCLR's views, the masked blocks) drawn from a generator seeded by (seed,
epoch), so the weights are the same whatever ran before. The model's own head
is not touched, and a fixed front end (an audio model's spectrogram) stays
fixed: tasks that work on the first stage's inputs see its spectrograms.

Example:
    >>> import torch
    >>> from torch import nn
    >>> from trainlab.models import StagedModel
    >>> from trainlab.engine.selfsup import build_pretext, pretrain_stages
    >>> m = StagedModel([("stage1", nn.Conv2d(1, 4, 3, padding=1))], nn.Linear(4 * 36, 2))
    >>> report = pretrain_stages(m, build_pretext("rotation"), torch.randn(16, 1, 6, 6),
    ...                          epochs=2, batch_size=8)
    >>> report.method, len(report.losses), report.examples
    ('rotation', 2, 16)
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import torch

from trainlab.core.errors import TrainingDiverged
from trainlab.core.seeding import epoch_seed
from trainlab.engine.selfsup.pretext import Pretext
from trainlab.models import StagedModel


@dataclass(frozen=True)
class PretrainReport:
    """What a pretraining did.

    Attributes:
        method: the pretext task's name.
        epochs: passes over the inputs.
        losses: each epoch's mean pretext loss.
        accuracies: each epoch's pretext accuracy (rotation), else None.
        examples: how many unlabelled inputs it learned from.
        seconds: its wall time.
    """

    method: str
    epochs: int
    losses: list[float]
    accuracies: list[float] | None
    examples: int
    seconds: float


def pretrain_stages(
    model: StagedModel,
    pretext: Pretext,
    x: torch.Tensor,
    *,
    epochs: int,
    batch_size: int = 256,
    lr: float = 1e-3,
    seed: int = 0,
    progress: Callable[[int, float], None] | None = None,
    device: torch.device | str = "cpu",
) -> PretrainReport:
    """Train ``model``'s stages on the unlabelled inputs ``x`` with ``pretext``.

    ``progress(epoch, loss)`` is called after every epoch. The model ends in eval
    mode, on ``device``, its head unchanged.

    Raises:
        TrainingDiverged: the pretext loss became NaN or infinite.
    """
    start = time.perf_counter()
    model.to(device)
    frontend = model.frontend if pretext.first_stage else None

    def first(batch: torch.Tensor) -> torch.Tensor:
        if frontend is None:
            return batch
        with torch.no_grad():
            return frontend(batch)

    def embed(batch: torch.Tensor) -> torch.Tensor:
        out = model.stages(batch) if pretext.first_stage else model.forward_features(batch)
        return out.flatten(1)

    probe = first(x[:2].to(device))
    torch.manual_seed(epoch_seed(seed, 0, 7))
    with torch.no_grad():
        model.eval()
        features = embed(probe).shape[1]
    head = pretext.head(features, tuple(probe.shape[1:])).to(device)
    params = [p for p in model.stages.parameters() if p.requires_grad] + list(head.parameters())
    opt = torch.optim.Adam(params, lr=lr)
    losses: list[float] = []
    accuracies: list[float] = []
    for epoch in range(1, epochs + 1):
        model.train()
        head.train()
        g = torch.Generator().manual_seed(epoch_seed(seed, epoch, 7))
        order = torch.randperm(len(x), generator=g)
        total, count, right, answers = 0.0, 0, 0, 0
        for i in range(0, len(x), batch_size):
            idx = order[i : i + batch_size]
            if len(idx) < 2:  # a lone example: nothing to contrast, batch norm cannot train
                continue
            out = pretext.loss(embed, head, first(x[idx].to(device)), g)
            value = float(out.loss.detach())
            if not math.isfinite(value):
                raise TrainingDiverged(
                    f"pretrain {pretext.name}: the loss became {value} in epoch {epoch}; "
                    "lower pretrain.lr",
                    epoch=epoch,
                    value=value,
                )
            opt.zero_grad(set_to_none=True)
            out.loss.backward()
            opt.step()
            total += value * len(idx)
            count += len(idx)
            if out.correct is not None:
                right, answers = right + out.correct, answers + out.answers
        losses.append(total / max(count, 1) if count else math.nan)
        if answers:
            accuracies.append(right / answers)
        if progress is not None:
            progress(epoch, losses[-1])
    model.eval()
    return PretrainReport(
        method=pretext.name,
        epochs=epochs,
        losses=losses,
        accuracies=accuracies or None,
        examples=len(x),
        seconds=time.perf_counter() - start,
    )
