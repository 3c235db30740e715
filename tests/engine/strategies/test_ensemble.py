import torch
from torch import nn

from trainlab.engine.strategies.ensemble import (
    average_probabilities,
    ensemble_probabilities,
    probabilities_metrics,
)


def test_average_is_mean_of_softmax():
    a, b = torch.randn(5, 3), torch.randn(5, 3)
    expected = (a.softmax(1) + b.softmax(1)) / 2
    assert torch.allclose(average_probabilities([a, b]), expected)


def test_mc_dropout_is_stochastic_and_plain_eval_is_not():
    torch.manual_seed(0)
    m = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 3))
    m.eval()
    x = torch.randn(16, 8)
    dev = torch.device("cpu")
    p1 = ensemble_probabilities([m], x, dev)
    p2 = ensemble_probabilities([m], x, dev)
    assert torch.equal(p1, p2)
    q1 = ensemble_probabilities([m], x, dev, mc_dropout=1)
    q2 = ensemble_probabilities([m], x, dev, mc_dropout=1)
    assert not torch.equal(q1, q2)
    assert not any(mod.training for mod in m.modules())  # eval mode restored
    many = ensemble_probabilities([m], x, dev, mc_dropout=200)
    assert (many - p1).abs().mean() < 0.1  # MC average approaches the deterministic net


def test_metrics():
    probs = torch.tensor([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    y = torch.tensor([0, 1, 1])
    m = probabilities_metrics(probs, y)
    assert abs(m["acc"] - 2 / 3) < 1e-6
    expected = -(torch.log(torch.tensor([0.9, 0.8, 0.4]))).mean().item()
    assert abs(m["loss"] - expected) < 1e-6
