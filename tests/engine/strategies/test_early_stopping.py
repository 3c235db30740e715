import torch
from torch import nn

from trainlab.engine.strategies.early_stopping import EarlyStopping


class _T:
    def __init__(self):
        self.model = nn.Linear(2, 1)
        self.should_stop = False


def test_stops_after_patience_and_restores_best():
    t = _T()
    es = EarlyStopping(monitor="val_loss", patience=2)
    losses = [1.0, 0.5, 0.7, 0.6, 0.9]
    snapshots = {}
    for epoch, v in enumerate(losses, start=1):
        with torch.no_grad():
            t.model.weight.fill_(float(epoch))
        snapshots[epoch] = t.model.weight.clone()
        es.on_epoch_end(t, epoch, {"val_loss": v})
        if t.should_stop:
            break
    assert es.best_epoch == 2 and es.stopped_epoch == 4
    es.on_fit_end(t)
    assert torch.equal(t.model.weight, snapshots[2])


def test_accuracy_is_maximized_and_min_delta():
    es = EarlyStopping(monitor="val_acc", patience=1, min_delta=0.05)
    assert not es.update(0.80, 1)
    assert es.update(0.82, 2)  # +0.02 is below min_delta
    assert es.best_epoch == 1


def test_state_roundtrip():
    es = EarlyStopping(patience=3)
    es.update(1.0, 1)
    es.update(2.0, 2)
    other = EarlyStopping(patience=3)
    other.load_state_dict(es.state_dict())
    assert (other.best, other.best_epoch, other.wait) == (es.best, es.best_epoch, es.wait)


def test_rejects_bad_arguments():
    import pytest

    from trainlab.core.errors import ConfigError

    with pytest.raises(ConfigError, match="patience"):
        EarlyStopping(patience=0)
    with pytest.raises(ConfigError, match="min_delta"):
        EarlyStopping(min_delta=-1.0)
