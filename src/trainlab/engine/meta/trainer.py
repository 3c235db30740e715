"""Meta-training over episodes, model selection on validation classes, and test episodes.

Training episode ``i`` is episode ``i`` of the training classes' sampler, so a
run is the same however it was started; MAML takes ``meta_batch`` episodes an
outer step, the other learners one. Adam's learning rate is halved after each
third of the episodes (as the Prototypical Networks paper halves it every
2,000 episodes). Every ``every`` episodes the model is scored on the same
``val_episodes`` episodes of the validation classes, and the best one is kept
(early stopping on classes never trained on).

Example:
    >>> import numpy as np, torch
    >>> from torch import nn
    >>> from trainlab.data.episodes import EpisodeSampler
    >>> from trainlab.engine.meta.learners import build_learner
    >>> from trainlab.engine.meta.trainer import Pool, evaluate
    >>> x = torch.cat([torch.zeros(10, 2), torch.ones(10, 2)])
    >>> y = np.repeat([0, 1], 10)
    >>> pool = Pool(x, torch.from_numpy(y), EpisodeSampler(y, (0, 1), n_way=2, k_shot=1, query=3))
    >>> evaluate(build_learner("protonet"), nn.Identity(), pool, 5).mean
    1.0
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn

from trainlab.core.errors import TrainingDiverged
from trainlab.core.seeding import epoch_seed
from trainlab.data.episodes import EpisodeSampler
from trainlab.engine.meta.learners import MetaLearner
from trainlab.engine.meta.protonet import EpisodeEvaluation


@dataclass(frozen=True)
class Pool:
    """The examples of one class split, their labels, and the sampler of its episodes."""

    x: torch.Tensor
    y: torch.Tensor
    sampler: EpisodeSampler


@dataclass(frozen=True)
class MetaTraining:
    """What meta-training did.

    Attributes:
        rows: one row every ``every`` episodes: ``episode``, ``loss`` and ``acc`` (the
            mean over those episodes; acc NaN for MAML) and ``val_acc`` (NaN without
            validation classes).
        best_episode: the episode whose model was kept (the last without validation).
        seconds: wall time of the training.
    """

    rows: list[dict[str, Any]] = field(default_factory=list)
    best_episode: int = 0
    seconds: float = 0.0


def evaluate(
    learner: MetaLearner, model: nn.Module, pool: Pool, episodes: int, *, start: int = 0
) -> EpisodeEvaluation:
    """Mean query accuracy of ``model`` over episodes ``start .. start + episodes - 1``."""
    was_training = model.training
    model.eval()
    try:
        accs = [
            learner.episode_accuracy(model, pool.x, pool.sampler.episode(i))
            for i in range(start, start + episodes)
        ]
    finally:
        model.train(was_training)
    return EpisodeEvaluation.of(accs)


def meta_train(
    learner: MetaLearner,
    model: nn.Module,
    train: Pool,
    val: Pool | None,
    *,
    episodes: int,
    lr: float,
    seed: int,
    meta_batch: int = 1,
    every: int = 100,
    val_episodes: int = 100,
    progress: Callable[[dict[str, Any]], None] | None = None,
) -> MetaTraining:
    """Train ``model`` on ``episodes`` training episodes; it ends as the best one kept.

    Raises:
        TrainingDiverged: a loss became NaN or infinite.
    """
    start = time.perf_counter()
    torch.manual_seed(epoch_seed(seed, 0, 13))  # dropout and the like
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    steps = math.ceil(episodes / meta_batch)
    schedule = torch.optim.lr_scheduler.StepLR(optimizer, max(1, math.ceil(steps / 3)), 0.5)
    best: tuple[float, int, dict[str, torch.Tensor]] | None = None
    losses: list[float] = []
    accs: list[float] = []
    rows: list[dict[str, Any]] = []
    done = 0
    while done < episodes:
        batch = [train.sampler.episode(i) for i in range(done, min(done + meta_batch, episodes))]
        loss, acc = learner.train_step(model, optimizer, train.x, batch)
        if not math.isfinite(loss):
            raise TrainingDiverged(
                f"meta-training: the query loss became {loss} at episode {done + 1}",
                epoch=done + 1,
                value=loss,
            )
        schedule.step()
        losses.append(loss)
        accs.append(acc)
        done += len(batch)
        if done % every < len(batch) or done == episodes:
            row = {"episode": done, "loss": float(np.mean(losses)), "acc": float(np.mean(accs))}
            row["val_acc"] = float("nan")
            if val is not None:
                learner.prepare(model, train.x)
                row["val_acc"] = evaluate(learner, model, val, val_episodes).mean
                if best is None or row["val_acc"] > best[0]:
                    best = (row["val_acc"], done, copy.deepcopy(model.state_dict()))
            rows.append(row)
            losses, accs = [], []
            if progress is not None:
                progress(row)
    kept = episodes
    if best is not None:
        model.load_state_dict(best[2])
        kept = best[1]
    model.eval()
    return MetaTraining(rows, kept, time.perf_counter() - start)
