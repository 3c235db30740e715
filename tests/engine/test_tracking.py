"""The tracking callback: every tracker gets each epoch's finite numbers at step = epoch."""

from trainlab.engine.tracking import Tracking


class _Recorder:
    def __init__(self):
        self.calls = []

    def log_metrics(self, step, metrics):
        self.calls.append((step, metrics))


def test_each_tracker_gets_the_epoch_s_numbers() -> None:
    a, b = _Recorder(), _Recorder()
    cb = Tracking([a, b])
    cb.on_epoch_end(None, 1, {"epoch": 1, "train_loss": 0.5, "val_acc": float("nan")})
    cb.on_epoch_end(None, 2, {"epoch": 2, "train_loss": 0.25, "note": "x"})
    expected = [(1, {"epoch": 1.0, "train_loss": 0.5}), (2, {"epoch": 2.0, "train_loss": 0.25})]
    assert a.calls == expected and b.calls == expected
    assert cb.name == "tracking" and cb.state_dict() == {}
