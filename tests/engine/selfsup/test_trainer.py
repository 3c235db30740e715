import pytest
import torch
from torch import nn

from trainlab.core.errors import TrainingDiverged
from trainlab.engine.selfsup import build_pretext, pretrain_stages
from trainlab.models import StagedModel


def _block2() -> nn.Module:
    return nn.Sequential(nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(2))


def _model() -> StagedModel:
    torch.manual_seed(0)
    stages = [
        ("stage1", nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU())),
        ("stage2", _block2()),
    ]
    return StagedModel(stages, nn.Linear(32, 3))


def _images() -> torch.Tensor:
    """An upright "L" (not symmetric under any turn) at random places, with noise."""
    g = torch.Generator().manual_seed(0)
    x = 0.1 * torch.randn(64, 1, 8, 8, generator=g)
    for i in range(64):
        r, c = (int(v) for v in torch.randint(0, 3, (2,), generator=g))
        x[i, 0, r : r + 5, c] = 1.0
        x[i, 0, r + 4, c : c + 4] = 1.0
    return x


def test_rotation_learns_and_only_the_stages_change():
    m = _model()
    head = {k: v.clone() for k, v in m.head.state_dict().items()}
    before = {k: v.clone() for k, v in m.stages.state_dict().items()}
    rotation = build_pretext("rotation")
    report = pretrain_stages(m, rotation, _images(), epochs=15, batch_size=16, lr=3e-3)
    assert report.losses[-1] < 0.6 * report.losses[0]
    assert report.accuracies[-1] > 0.6  # chance: 0.25
    assert all(torch.equal(v, m.head.state_dict()[k]) for k, v in head.items())
    assert any(not torch.equal(v, m.stages.state_dict()[k]) for k, v in before.items())
    assert not m.training


def test_the_same_seed_gives_the_same_weights():
    weights = []
    for _ in range(2):
        m = _model()
        pretrain_stages(m, build_pretext("rotation"), _images(), epochs=2, batch_size=16, seed=4)
        weights.append(m.stages.state_dict())
    assert all(torch.equal(weights[0][k], weights[1][k]) for k in weights[0])


def test_simclr_trains_on_the_views_it_is_given():
    def views(x, g):
        return x + 0.1 * torch.randn(x.shape, generator=g)

    report = pretrain_stages(
        _model(), build_pretext("simclr", views=views), _images(), epochs=3, batch_size=16
    )
    assert report.accuracies is None and report.losses[-1] < report.losses[0]


def test_a_loss_that_is_not_finite_stops_the_pretraining():
    x = _images()
    x[0, 0, 0, 0] = float("nan")
    with pytest.raises(TrainingDiverged, match="pretrain rotation"):
        pretrain_stages(_model(), build_pretext("rotation"), x, epochs=1, batch_size=64)
