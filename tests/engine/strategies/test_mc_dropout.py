import torch
from torch import nn

from trainlab.engine.prediction import ensemble_probabilities
from trainlab.engine.strategies.mc_dropout import is_dropout, mc_dropout


def _net():
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Linear(8, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 3)
    )


def test_only_dropout_samples_and_the_mode_is_restored():
    m = _net().train()
    with mc_dropout(m):
        assert [mod.training for mod in m] == [False, False, False, True, False]
    assert all(mod.training for mod in m.modules())
    m.eval()
    with mc_dropout(m):
        pass
    assert not any(mod.training for mod in m.modules())


def test_recognizes_every_dropout_layer():
    assert all(is_dropout(d) for d in (nn.Dropout(), nn.Dropout1d(), nn.Dropout2d()))
    assert not is_dropout(nn.Linear(2, 2))


def test_oracle_mean_of_a_hand_loop():
    """T passes with dropout on, batch norm on its running statistics, softmax-averaged."""
    m, x, passes = _net().eval(), torch.randn(20, 8), 7
    torch.manual_seed(123)
    got = ensemble_probabilities([m], x, torch.device("cpu"), mc_dropout=passes)
    torch.manual_seed(123)
    total = torch.zeros(20, 3)
    with torch.no_grad():
        for _ in range(passes):
            m.eval()
            m[3].train()
            total += m(x).softmax(1)
    m.eval()
    assert torch.allclose(got, total / passes, atol=1e-6)
    assert not any(mod.training for mod in m.modules())
