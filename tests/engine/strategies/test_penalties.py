import torch
from torch import nn

from trainlab.engine.strategies.penalties import Penalty, penalized_parameters, penalty


def _model():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3), nn.Linear(3, 2))


def test_penalty_matches_lecture_formula():
    m = _model()
    weights = [m[0].weight, m[2].weight]
    l1 = sum(w.abs().sum() for w in weights).item()
    l2 = sum(w.pow(2).sum() for w in weights).item()
    got = penalty(m, l1=0.3, l2=0.7).item()
    assert abs(got - (0.3 / 2 * l1 + 0.7 / 2 * l2)) < 1e-5


def test_biases_only_with_flag():
    m = _model()
    assert len(penalized_parameters(m)) == 2
    assert len(penalized_parameters(m, include_bias=True)) == len(list(m.parameters()))
    assert penalty(m, l2=1.0, include_bias=True) > penalty(m, l2=1.0)


def test_callback_adds_penalty_gradient():
    m = _model()
    cb = Penalty(l2=2.0)

    class T:
        model = m

    cb.on_fit_start(T)
    loss = cb.on_loss(T, torch.zeros(()))
    loss.backward()
    # d/dw (λ/2 · w²) = λ w
    assert torch.allclose(m[0].weight.grad, 2.0 * m[0].weight)
    assert m[0].bias.grad is None


def test_rejects_a_negative_lambda():
    import pytest

    from trainlab.core.errors import ConfigError

    with pytest.raises(ConfigError, match="l2"):
        Penalty(l2=-1.0)
