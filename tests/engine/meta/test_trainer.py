"""Meta-training: it learns, it is replayable, it keeps the model best on validation classes."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from trainlab.core.errors import TrainingDiverged
from trainlab.data.episodes import EpisodeSampler
from trainlab.engine.meta.learners import MetaLearner, ProtoNet
from trainlab.engine.meta.trainer import Pool, evaluate, meta_train


def _pool(classes, seed, per=15, dim=10):
    g = torch.Generator().manual_seed(100)  # the same class centres for every pool
    centers = torch.randn(12, dim, generator=g)
    g = torch.Generator().manual_seed(seed)
    x = torch.cat([centers[c] + 1.2 * torch.randn(per, dim, generator=g) for c in classes])
    y = np.repeat(np.arange(len(classes)), per)
    sampler = EpisodeSampler(y, range(len(classes)), n_way=3, k_shot=1, query=5, seed=seed)
    return Pool(x, torch.from_numpy(y), sampler)


def _model():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 16))


def test_meta_training_learns_and_keeps_the_best_validation_model() -> None:
    train, val = _pool(range(6), 0), _pool(range(6, 9), 1)
    model = _model()
    learner = ProtoNet()
    out = meta_train(
        learner, model, train, val, episodes=120, lr=3e-3, seed=0, every=30, val_episodes=40
    )
    assert [r["episode"] for r in out.rows] == [30, 60, 90, 120]
    best = max(out.rows, key=lambda r: r["val_acc"])
    assert out.best_episode == best["episode"]
    assert evaluate(learner, model, val, 40).mean == pytest.approx(best["val_acc"])
    assert out.rows[-1]["loss"] < out.rows[0]["loss"]


def test_meta_training_is_replayable() -> None:
    train = _pool(range(6), 0)
    a, b = _model(), _model()
    ra = meta_train(ProtoNet(), a, train, None, episodes=40, lr=1e-3, seed=3, every=20)
    rb = meta_train(ProtoNet(), b, train, None, episodes=40, lr=1e-3, seed=3, every=20)
    assert repr(ra.rows) == repr(rb.rows) and ra.best_episode == 40  # (val_acc: NaN)
    for (k, v), w in zip(a.state_dict().items(), b.state_dict().values(), strict=True):
        torch.testing.assert_close(v, w, msg=k)


def test_a_loss_that_becomes_nan_stops_training() -> None:
    class Broken(MetaLearner):
        def train_step(self, model, optimizer, x, episodes):
            return float("nan"), 0.0

    with pytest.raises(TrainingDiverged, match="episode 1"):
        meta_train(Broken(), _model(), _pool(range(6), 0), None, episodes=5, lr=1e-3, seed=0)
