import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from trainlab.core.errors import TrainingDiverged
from trainlab.core.seeding import epoch_seed
from trainlab.engine.callbacks import Callback
from trainlab.engine.loop import Trainer


def _data(n=256, d=6, k=3, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, d, generator=g)
    w = torch.randn(d, k, generator=g)
    return x, (x @ w).argmax(1)


def _trainer(epochs=3, callbacks=(), seed=0, lr=0.1, **kw):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 3))
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    return Trainer(
        model,
        opt,
        epochs=epochs,
        batch_size=32,
        callbacks=callbacks,
        seed=seed,
        progress=False,
        **kw,
    )


def test_learns_and_records_history():
    data = _data()
    t = _trainer(epochs=8)
    h = t.fit(data, data)
    assert len(h) == 8
    assert h.rows[-1]["train_loss"] < h.rows[0]["train_loss"]
    assert h.rows[-1]["val_acc"] > 0.8
    assert set(h.columns()) >= {
        "epoch",
        "train_loss",
        "train_acc",
        "val_loss",
        "val_acc",
        "lr",
        "seconds",
    }


def test_equals_hand_written_loop():
    """Same seed and data: the loop computes exactly what a plain PyTorch loop does."""
    x, y = _data()
    t = _trainer(epochs=2, seed=3)
    ref_model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 3))
    ref_model.load_state_dict(t.model.state_dict())
    ref_opt = torch.optim.SGD(ref_model.parameters(), lr=0.1, momentum=0.9)
    from trainlab.engine.loop import epoch_seed

    for epoch in (1, 2):
        s = epoch_seed(3, epoch)
        torch.manual_seed(s)
        perm = torch.randperm(len(y), generator=torch.Generator().manual_seed(s))
        ref_model.train()
        for i in range(0, len(y), 32):
            idx = perm[i : i + 32]
            loss = F.cross_entropy(ref_model(x[idx]), y[idx])
            ref_opt.zero_grad()
            loss.backward()
            ref_opt.step()
    t.fit((x, y))
    for a, b in zip(t.model.parameters(), ref_model.parameters(), strict=True):
        assert torch.allclose(a, b, atol=1e-6)


def test_deterministic_for_a_seed():
    data = _data()
    a = _trainer(seed=1).fit(data, data)
    b = _trainer(seed=1).fit(data, data)
    assert [r["val_loss"] for r in a.rows] == [r["val_loss"] for r in b.rows]


def test_resume_from_state_gives_same_result():
    data = _data()
    full = _trainer(epochs=4)
    full.fit(data, data)
    first = _trainer(epochs=4)
    first.epochs = 2
    first.fit(data, data)
    state = first.state_dict()
    second = _trainer(epochs=4)
    second.load_state_dict(state)
    second.fit(data, data)
    assert [r["val_loss"] for r in second.history.rows] == [
        r["val_loss"] for r in full.history.rows
    ]
    for a, b in zip(second.model.parameters(), full.model.parameters(), strict=True):
        assert torch.equal(a, b)


def test_hooks_called_in_order():
    events = []

    class Spy(Callback):
        def on_fit_start(self, trainer):
            events.append("fit_start")

        def on_epoch_start(self, trainer, epoch):
            events.append(f"epoch_start{epoch}")

        def on_train_batch(self, trainer, batch):
            events.append("batch")
            return batch

        def on_loss(self, trainer, loss):
            events.append("loss")
            return loss

        def on_epoch_end(self, trainer, epoch, logs):
            events.append(f"epoch_end{epoch}:{'val_loss' in logs}")

        def on_fit_end(self, trainer):
            events.append("fit_end")

    x, y = _data(n=64)
    _trainer(epochs=2, callbacks=[Spy()]).fit((x, y), (x, y))
    assert events[0] == "fit_start" and events[1] == "epoch_start1"
    assert events.count("batch") == 4 and events.count("loss") == 4
    assert "epoch_end1:True" in events and events[-1] == "fit_end"


def test_nan_loss_stops_at_once():
    x, y = _data()
    x[5] = float("nan")
    t = _trainer(epochs=3)
    with pytest.raises(TrainingDiverged, match="epoch 1") as caught:
        t.fit((x, y))
    assert t.epoch == 0
    # where it diverged: the epoch, the batch that held the NaN example, the value
    shuffle = torch.Generator().manual_seed(epoch_seed(0, 1, 0))
    position = torch.randperm(len(y), generator=shuffle).tolist().index(5)
    assert caught.value.epoch == 1 and caught.value.batch == position // 32 + 1
    assert math.isnan(caught.value.value)


def test_loss_sum_overflow_is_found_at_the_epoch_end():
    def huge(logits, target):  # finite per batch, infinite once summed over the epoch
        return logits.sum() * 0 + 3e38

    t = _trainer(epochs=2, loss=huge)
    with pytest.raises(TrainingDiverged, match="in epoch 1") as caught:
        t.fit(_data(n=64))
    assert (caught.value.epoch, caught.value.batch, caught.value.value) == (1, None, math.inf)


def test_callback_stop_flag():
    class StopAfterOne(Callback):
        def on_epoch_end(self, trainer, epoch, logs):
            trainer.should_stop = True

    h = _trainer(epochs=5, callbacks=[StopAfterOne()]).fit(_data())
    assert len(h) == 1


def test_resume_with_noise_strategies_replays_their_draws():
    """The strategies draw from the trainer's generator, re-seeded every epoch."""
    from trainlab.engine.strategies import InputNoise, LabelFlip, WeightNoise

    def noisy():
        return [InputNoise(0.1), LabelFlip(0.1, 3), WeightNoise(0.01)]

    data = _data()
    full = _trainer(epochs=4, callbacks=noisy())
    full.fit(data, data)
    first = _trainer(epochs=4, callbacks=noisy())
    first.epochs = 2
    first.fit(data, data)
    torch.manual_seed(999)  # whatever happens to the global generator in between
    second = _trainer(epochs=4, callbacks=noisy())
    second.load_state_dict(first.state_dict())
    second.fit(data, data)
    assert [r["train_loss"] for r in second.history.rows] == [
        r["train_loss"] for r in full.history.rows
    ]
    for a, b in zip(second.model.parameters(), full.model.parameters(), strict=True):
        assert torch.equal(a, b)
    plain = _trainer(epochs=4)
    plain.fit(data, data)
    assert plain.history.rows[-1]["train_loss"] != full.history.rows[-1]["train_loss"]


def test_trainer_generator_is_seeded_per_epoch_and_member():
    draws = {}

    class Draw(Callback):
        def on_epoch_start(self, trainer, epoch):
            draws[(trainer.member, epoch)] = torch.rand(1, generator=trainer.generator).item()

    x, y = _data(n=32)
    for member in (0, 1):
        _trainer(epochs=2, callbacks=[Draw()], member=member).fit((x, y))
    again = dict(draws)
    _trainer(epochs=2, callbacks=[Draw()]).fit((x, y))
    assert draws == again  # reproducible
    assert len(set(draws.values())) == 4  # distinct for every (member, epoch)
