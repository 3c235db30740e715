import math

import pytest
import torch
import torch.nn.functional as F

from trainlab.core.errors import CheckpointError, ConfigError
from trainlab.engine.tasks import (
    Classification,
    MultiTask,
    Regression,
    task_from_description,
)


def test_classification_matches_the_plain_loop_formulas():
    torch.manual_seed(0)
    logits, y = torch.randn(20, 4), torch.randint(0, 4, (20,))
    t = Classification(list("abcd"))
    assert t.loss(logits, y) == F.cross_entropy(logits, y)
    m = t.evaluate(logits, y)
    assert m["loss"] == F.cross_entropy(logits, y).item()
    assert m["acc"] == (logits.argmax(1) == y).float().mean().item()
    probs = t.predict(logits)
    s = t.score(probs, y)
    assert s["loss"] == pytest.approx(m["loss"], rel=1e-5) and s["acc"] == m["acc"]


def test_classification_running_accuracy_reads_soft_targets_by_argmax():
    t = Classification(["a", "b"])
    run = t.running()
    out = torch.tensor([[2.0, 0.0], [0.0, 2.0]])
    soft = torch.tensor([[0.9, 0.1], [0.8, 0.2]])
    run.update(out, soft, torch.tensor(0.5), 2)
    assert run.result() == {"loss": 0.5, "acc": 0.5}


def test_regression_standardizes_on_training_targets_and_reports_in_units():
    y = torch.tensor([10.0, 20.0, 30.0, 40.0])
    t = Regression().fit(y)
    assert float(t.mean) == 25.0 and float(t.std) == pytest.approx(y.std(unbiased=False).item())
    z = ((y - 25.0) / t.std).reshape(-1, 1)
    assert t.loss(z, y).item() == pytest.approx(0.0, abs=1e-7)  # a perfect standardized output
    m = t.evaluate(z + 1.0 / t.std, y)  # off by one unit of the target
    assert m["rmse"] == pytest.approx(1.0, rel=1e-6) and m["mae"] == pytest.approx(1.0, rel=1e-6)


def test_regression_running_metrics_equal_the_split_metrics():
    torch.manual_seed(1)
    y = torch.randn(30) * 5 + 3
    t = Regression("huber").fit(y)
    out = torch.randn(30, 1)
    run = t.running()
    for i in range(0, 30, 8):
        run.update(
            out[i : i + 8], y[i : i + 8], t.loss(out[i : i + 8], y[i : i + 8]), len(y[i : i + 8])
        )
    got, want = run.result(), t.evaluate(out, y)
    for k in ("rmse", "mae", "r2"):
        assert got[k] == pytest.approx(want[k], rel=1e-6)


@pytest.mark.parametrize(
    "loss, fn", [("mse", F.mse_loss), ("mae", F.l1_loss), ("huber", F.huber_loss)]
)
def test_regression_losses(loss, fn):
    t = Regression(loss, standardize=False)
    out, y = torch.tensor([[0.0], [3.0]]), torch.tensor([1.0, 0.5])
    assert t.loss(out, y) == fn(out.reshape(-1), y)


def test_unknown_regression_loss_and_bad_delta_are_config_errors():
    with pytest.raises(ConfigError, match="regression loss"):
        Regression("hinge")
    with pytest.raises(ConfigError, match="huber_delta"):
        Regression("huber", huber_delta=0)


def _pair():
    return MultiTask(
        {"digit": Classification(list("0123456789")), "size": Regression(standardize=False)},
        weights={"size": 0.5},
    )


def test_fixed_weights_sum_the_task_losses():
    t = _pair()
    out = {"digit": torch.randn(6, 10), "size": torch.randn(6, 1)}
    y = {"digit": torch.randint(0, 10, (6,)), "size": torch.randn(6)}
    want = F.cross_entropy(out["digit"], y["digit"]) + 0.5 * F.mse_loss(
        out["size"].reshape(-1), y["size"]
    )
    assert t.loss(out, y).item() == pytest.approx(want.item(), rel=1e-6)
    m = t.evaluate(out, y)
    assert set(m) == {
        "loss",
        "digit_loss",
        "digit_acc",
        "size_loss",
        "size_rmse",
        "size_mae",
        "size_r2",
    }
    assert m["loss"] == pytest.approx(m["digit_loss"] + 0.5 * m["size_loss"], rel=1e-6)
    assert t.primary == "digit_acc"


def test_uncertainty_weighting_follows_kendall_et_al():
    t = MultiTask(
        {"c": Classification(["a", "b"]), "r": Regression(standardize=False)},
        weighting="uncertainty",
    )
    with torch.no_grad():
        t.log_vars.copy_(torch.tensor([0.5, -1.0]))
    lc, lr = torch.tensor(2.0), torch.tensor(3.0)
    want = math.exp(-0.5) * 2.0 + 0.25 + 0.5 * math.exp(1.0) * 3.0 - 0.5
    assert t.combine({"c": lc, "r": lr}).item() == pytest.approx(want, rel=1e-6)
    w = t.learned_weights()
    assert w["c"] == pytest.approx(math.exp(-0.5)) and w["r"] == pytest.approx(0.5 * math.e)


def test_uncertainty_weights_learn_to_down_weigh_a_noisy_task():
    torch.manual_seed(0)
    t = MultiTask(
        {"clean": Regression(standardize=False), "noisy": Regression(standardize=False)},
        weighting="uncertainty",
    )
    opt = torch.optim.SGD(t.parameters(), lr=0.1)
    for _ in range(200):
        loss = t.combine({"clean": torch.tensor(0.1), "noisy": torch.tensor(4.0)})
        opt.zero_grad()
        loss.backward()
        opt.step()
    w = t.learned_weights()
    assert w["noisy"] < w["clean"]
    assert w["clean"] == pytest.approx(1 / (2 * 0.1), rel=0.05)  # optimum: σ² = L


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"weights": {"size": -1.0}}, "finite weight ≥ 0"),
        ({"weights": {"colour": 1.0}}, "no task 'colour'"),
        ({"weights": {"digit": 0.0, "size": 0.0}}, "every weight is 0"),
        ({"main": "colour"}, "task.main"),
        ({"weighting": "learned"}, "fixed or uncertainty"),
    ],
)
def test_bad_multitask_settings_are_one_line(kwargs, match):
    tasks = {"digit": Classification(list("01")), "size": Regression()}
    with pytest.raises(ConfigError, match=match):
        MultiTask(tasks, **kwargs)


def test_descriptions_round_trip_with_their_tensors():
    t = MultiTask(
        {"digit": Classification(list("012")), "size": Regression("mae")},
        weights={"size": 2.0},
        weighting="uncertainty",
        main="size",
    )
    t.fit({"digit": torch.tensor([0, 1, 2]), "size": torch.tensor([1.0, 2.0, 4.0])})
    back = task_from_description(t.describe())
    back.load_state_dict(t.state_dict())
    assert back.describe() == t.describe() and back.primary == "size_rmse"
    out = {"digit": torch.randn(3, 3), "size": torch.randn(3, 1)}
    assert torch.equal(back.predict(out)["size"], t.predict(out)["size"])
    with pytest.raises(CheckpointError, match="unknown kind 'ranking'"):
        task_from_description({"kind": "ranking"})
