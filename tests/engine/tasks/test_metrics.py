import numpy as np
import pytest
import torch
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

from trainlab.core.errors import ConfigError
from trainlab.engine.tasks.metrics import higher_is_better, metric_kind, regression_metrics


@pytest.mark.parametrize("seed", range(5))
def test_regression_metrics_match_scikit_learn(seed):
    rng = np.random.default_rng(seed)
    y = rng.normal(10, 3, size=50)
    pred = y + rng.normal(0, 1 + seed, size=50)
    m = regression_metrics(torch.tensor(pred), torch.tensor(y))
    assert m["rmse"] == pytest.approx(np.sqrt(mean_squared_error(y, pred)), rel=1e-12)
    assert m["mae"] == pytest.approx(mean_absolute_error(y, pred), rel=1e-12)
    assert m["r2"] == pytest.approx(r2_score(y, pred), rel=1e-12)


def test_r2_of_constant_targets_follows_scikit_learn():
    y = torch.full((4,), 2.0)
    assert regression_metrics(y, y)["r2"] == r2_score(y.numpy(), y.numpy()) == 1.0
    assert regression_metrics(y + 1, y)["r2"] == 0.0


@pytest.mark.parametrize(
    "name, higher",
    [
        ("acc", True),
        ("val_acc", True),
        ("test_digit_acc", True),
        ("val_r2", True),
        ("val_loss", False),
        ("test_rmse", False),
        ("train_weight_mae", False),
    ],
)
def test_direction_is_read_from_the_name(name, higher):
    assert higher_is_better(name) is higher


def test_unknown_metric_is_one_line():
    with pytest.raises(ConfigError, match="ends in one of: acc, r2, loss, rmse, mae"):
        higher_is_better("val_f1")
    assert metric_kind("val_digit_acc") == "acc"
