import pytest
import torch
from torch import nn

from trainlab.core.errors import CheckpointError, ConfigError
from trainlab.engine.callbacks import Callback, check_names, default_name, load_states
from trainlab.engine.loop import Trainer
from trainlab.engine.strategies import EarlyStopping, InputNoise, LabelFlip, Penalty, WeightNoise


class Counter(Callback):
    def __init__(self, name=None):
        if name is not None:
            self.name = name
        self.n = 0

    def on_batch_end(self, trainer, step):
        self.n += 1

    def state_dict(self):
        return {"n": self.n}

    def load_state_dict(self, state):
        self.n = state["n"]


def _trainer(callbacks, epochs=2):
    torch.manual_seed(0)
    model = nn.Linear(3, 2)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    return Trainer(model, opt, epochs=epochs, batch_size=8, callbacks=callbacks, progress=False)


def _data():
    g = torch.Generator().manual_seed(0)
    return torch.randn(32, 3, generator=g), torch.randint(0, 2, (32,), generator=g)


def test_names_are_stable_and_kebab_case():
    assert default_name("ActivationProbe") == "activation-probe"
    assert Counter.name == "counter" and Counter("other").name == "other"
    strategies = [EarlyStopping(), InputNoise(0.1), LabelFlip(0.1, 3), Penalty(l2=1.0)]
    names = [cb.name for cb in [*strategies, WeightNoise(0.1)]]
    assert names == ["early-stopping", "input-noise", "label-flip", "penalty", "weight-noise"]


def test_state_is_keyed_by_name_and_restored_by_name():
    a, b = Counter("a"), Counter("b")
    t = _trainer([a, b])
    t.fit(_data())
    state = t.state_dict()["callbacks"]
    assert state == {"a": {"n": 8}, "b": {"n": 8}}
    c, d = Counter("b"), Counter("a")  # another order: each gets its own state
    c.n = 100
    load_states([d, c], {"a": {"n": 1}, "b": {"n": 2}})
    assert (d.n, c.n) == (1, 2)


def test_missing_or_extra_names_are_clear_errors():
    t = _trainer([Counter("a"), Counter("b")])
    state = t.state_dict()
    with pytest.raises(CheckpointError, match=r"none saved for 'b'.*expected \['a', 'b'\]"):
        t.load_state_dict({**state, "callbacks": {"a": {"n": 0}}})
    with pytest.raises(CheckpointError, match="saved for 'c', which is not here"):
        t.load_state_dict({**state, "callbacks": {"a": {}, "b": {}, "c": {}}})
    with pytest.raises(CheckpointError, match="expected a mapping"):
        t.load_state_dict({**state, "callbacks": [{"n": 0}, {"n": 0}]})


def test_duplicate_names_are_refused():
    with pytest.raises(ConfigError, match="two callbacks are named 'counter'"):
        _trainer([Counter(), Counter()])
    with pytest.raises(ConfigError, match="no name"):
        check_names([Counter("")])


def test_callbacks_run_in_the_order_given_at_every_event():
    events = []

    class Tag(Callback):
        def __init__(self, name):
            self.name = name

        def on_epoch_start(self, trainer, epoch):
            events.append(("epoch", self.name))

        def on_train_batch(self, trainer, batch):
            events.append(("batch", self.name))
            return batch

        def on_loss(self, trainer, loss):
            events.append(("loss", self.name))
            return loss

    _trainer([Tag("z"), Tag("a"), Tag("m")], epochs=1).fit(_data())
    for event in ("epoch", "batch", "loss"):
        assert [n for e, n in events if e == event][:3] == ["z", "a", "m"]
