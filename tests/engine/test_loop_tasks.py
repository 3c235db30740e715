"""The loop with other tasks than classification, and with batches from a stream."""

import pytest
import torch
from torch import nn

from trainlab.engine.loop import Trainer
from trainlab.engine.tasks import Classification, MultiTask, Regression


def _linear_data(n=256, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 3, generator=g)
    y = 50.0 + 10.0 * (x @ torch.tensor([1.0, -2.0, 0.5])) + torch.randn(n, generator=g)
    return x, y


def test_regression_learns_in_the_targets_units():
    x, y = _linear_data()
    task = Regression().fit(y)
    model = nn.Linear(3, 1)
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    t = Trainer(model, opt, epochs=30, batch_size=32, task=task, progress=False)
    history = t.fit((x, y), (x, y))
    last = history.rows[-1]
    assert {"train_loss", "train_rmse", "train_mae", "train_r2", "val_rmse", "val_r2"} <= set(last)
    assert last["val_r2"] > 0.99 and last["val_rmse"] < 2.0  # noise sd 1, target sd ≈ 23


class _TwoHeads(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Linear(3, 8)
        self.digit = nn.Linear(8, 2)
        self.size = nn.Linear(8, 1)

    def forward(self, x):
        h = torch.relu(self.body(x))
        return {"digit": self.digit(h), "size": self.size(h)}


def test_multitask_history_has_every_targets_metrics_and_resumes_exactly():
    x, y = _linear_data(128)
    targets = {"digit": (x[:, 0] > 0).long(), "size": y}

    def make(epochs):
        torch.manual_seed(0)
        task = MultiTask(
            {"digit": Classification(["neg", "pos"]), "size": Regression()}, weighting="uncertainty"
        ).fit(targets)
        model = _TwoHeads()
        opt = torch.optim.Adam([*model.parameters(), *task.parameters()], lr=0.02)
        return Trainer(model, opt, epochs=epochs, batch_size=16, task=task, progress=False, seed=3)

    full = make(4)
    full.fit((x, targets), (x, targets))
    last = full.history.rows[-1]
    assert {"train_digit_acc", "train_size_rmse", "val_digit_acc", "val_size_r2"} <= set(last)
    assert last["train_size_weight"] == full.task.learned_weights()["size"]
    half = make(2)
    half.fit((x, targets), (x, targets))
    resumed = make(4)
    resumed.load_state_dict(half.state_dict())
    resumed.fit((x, targets), (x, targets))
    assert resumed.history.rows[-1]["val_loss"] == full.history.rows[-1]["val_loss"]
    assert torch.equal(resumed.task.log_vars, full.task.log_vars)


class _Stream:
    """A batch source: its own batches, shuffled by the epoch's seed."""

    def __init__(self, x, y, batch_size):
        self.x, self.y, self.batch_size = x, y, batch_size
        self.seed = 0

    def set_epoch(self, seed):
        self.seed = seed

    def __len__(self):
        return -(-len(self.x) // self.batch_size)

    def __iter__(self):
        perm = torch.randperm(len(self.x), generator=torch.Generator().manual_seed(self.seed))
        for i in range(0, len(perm), self.batch_size):
            idx = perm[i : i + self.batch_size]
            yield {"x": self.x[idx], "y": self.y[idx]}


def test_a_stream_of_mapping_batches_trains_like_memory_and_is_repeatable():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(200, 4, generator=g)
    y = (x[:, 0] + x[:, 1] > 0).long()

    def fit(train):
        torch.manual_seed(0)
        model = nn.Linear(4, 2)
        opt = torch.optim.SGD(model.parameters(), lr=0.5)
        t = Trainer(model, opt, epochs=5, batch_size=25, progress=False)
        return t.fit(train, _Stream(x, y, 50)).rows

    a, b = fit(_Stream(x, y, 25)), fit(_Stream(x, y, 25))
    assert [r["val_loss"] for r in a] == [r["val_loss"] for r in b]
    assert a[-1]["val_acc"] > 0.9
    memory = fit((x, y))
    assert memory[-1]["val_acc"] > 0.9


def test_a_single_leftover_example_joins_the_last_batch():
    """Batch normalization cannot train on one example: 33 examples in batches of 32."""
    x, y = torch.randn(33, 4), torch.randint(0, 2, (33,))
    model = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.Linear(8, 2))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    t = Trainer(model, opt, epochs=2, batch_size=32, progress=False)
    t.fit((x, y))
    assert t.step == 2  # one step of 33 examples per epoch


def test_early_stopping_restores_the_best_epochs_task_weights_too():
    from trainlab.engine.strategies.early_stopping import EarlyStopping

    x, y = _linear_data(64)
    targets = {"digit": (x[:, 0] > 0).long(), "size": y}
    task = MultiTask(
        {"digit": Classification(["n", "p"]), "size": Regression()}, weighting="uncertainty"
    ).fit(targets)
    model = _TwoHeads()
    opt = torch.optim.Adam([*model.parameters(), *task.parameters()], lr=0.05)
    es = EarlyStopping("val_digit_acc", patience=50)
    t = Trainer(model, opt, epochs=6, batch_size=16, task=task, callbacks=[es], progress=False)
    t.fit((x, targets), (x, targets))
    best = t.history.rows[es.best_epoch - 1]
    assert t.task.learned_weights()["size"] == pytest.approx(best["train_size_weight"])
