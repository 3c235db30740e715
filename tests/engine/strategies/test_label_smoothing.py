import pytest
import torch
import torch.nn.functional as F

from trainlab.core.errors import ConfigError
from trainlab.engine.strategies.label_smoothing import LabelSmoothing


def _smoothed_targets(y, k, eps):
    """The paper's targets: q = (1 − ε)·onehot(y) + ε / K (Szegedy et al., 2016, §7)."""
    return (1 - eps) * F.one_hot(y, k).double() + eps / k


@pytest.mark.parametrize("eps", [0.0, 0.1, 0.35])
def test_same_arithmetic_as_torch_cross_entropy(eps):
    """Bit for bit what ``F.cross_entropy(label_smoothing=ε)`` computes: the runs' numbers."""
    g = torch.Generator().manual_seed(0)
    logits, y = torch.randn(32, 7, generator=g), torch.randint(0, 7, (32,), generator=g)
    assert torch.equal(
        LabelSmoothing(eps)(logits, y), F.cross_entropy(logits, y, label_smoothing=eps)
    )


@pytest.mark.parametrize("eps", [0.0, 0.1, 0.35])
def test_oracle_the_papers_formula(eps):
    g = torch.Generator().manual_seed(1)
    logits, y = torch.randn(64, 5, generator=g), torch.randint(0, 5, (64,), generator=g)
    q = _smoothed_targets(y, 5, eps)
    expected = -(q * logits.double().log_softmax(1)).sum(1).mean()
    assert torch.allclose(LabelSmoothing(eps)(logits, y).double(), expected, atol=1e-6)


def test_soft_targets_are_smoothed_toward_uniform():
    g = torch.Generator().manual_seed(2)
    logits = torch.randn(16, 4, generator=g)
    t = torch.rand(16, 4, generator=g).softmax(1)  # e.g. mixup's targets
    q = 0.9 * t + 0.1 / 4
    expected = -(q * logits.log_softmax(1)).sum(1).mean()
    assert torch.allclose(LabelSmoothing(0.1)(logits, t), expected, atol=1e-6)


def test_zero_is_the_plain_cross_entropy():
    logits, y = torch.randn(8, 3), torch.randint(0, 3, (8,))
    assert torch.equal(LabelSmoothing(0.0)(logits, y), F.cross_entropy(logits, y))


@pytest.mark.parametrize("bad", [-0.1, 1.0, "0.1"])
def test_rejects_eps_outside_the_unit_interval(bad):
    with pytest.raises(ConfigError, match="label smoothing"):
        LabelSmoothing(bad)


def test_trainer_asks_it_for_the_training_loss():
    from torch import nn

    from trainlab.engine.loop import Trainer

    calls = []

    class Spy(LabelSmoothing):
        def __call__(self, logits, targets):
            calls.append(targets.shape)
            return super().__call__(logits, targets)

    x, y = torch.randn(40, 3), torch.randint(0, 2, (40,))
    model = nn.Linear(3, 2)
    t = Trainer(
        model,
        torch.optim.SGD(model.parameters(), lr=0.1),
        epochs=1,
        batch_size=16,
        loss=Spy(0.1),
        progress=False,
    )
    t.fit((x, y), (x, y))
    assert len(calls) == 3  # every training batch, never validation
