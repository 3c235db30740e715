"""The C3D-style 3-D CNN: shapes, C3D's pooling, staging, gradients, rebuilding, bad input."""

import pytest
import torch
from torch import nn

from trainlab.config.recipe import ModelConfig
from trainlab.core.errors import ConfigError
from trainlab.models import build_model, model_from_config
from trainlab.models.cnn3d import CNN3D


@pytest.mark.parametrize(
    ("shape", "arch", "features"),
    [
        # stage1 pools 1x2x2, stage2 2x2x2, the last stage not at all
        ((8, 1, 32, 32), dict(widths=[4, 8, 8]), (8, 4, 8, 8)),
        ((4, 3, 16, 20), dict(widths=[4, 8, 8, 8], convs_per_stage=1), (8, 1, 2, 2)),
        ((1, 2, 16, 16), dict(widths=[4, 4, 4]), (4, 1, 4, 4)),  # one frame: no time pooling
        ((6, 1, 6, 6), dict(widths=[4, 4, 4], batch_norm=False, dropout=0.3), (4, 3, 3, 3)),
        ((5, 1, 9, 9), dict(widths=[6], kernel_size=5, activation="gelu"), (6, 5, 9, 9)),
    ],
)
def test_shapes(shape, arch, features):
    m = CNN3D(shape, 7, **arch)
    x = torch.randn(2, *shape)
    assert m.forward_features(x).shape == (2, *features)
    assert m(x).shape == (2, 7)
    assert m.stage_names == [f"stage{i + 1}" for i in range(len(arch["widths"]))]


def test_c3d_layers_and_pooling_windows():
    m = CNN3D((16, 3, 32, 32), 5, widths=[4, 8, 8], convs_per_stage=1)
    convs = [x for x in m.modules() if isinstance(x, nn.Conv3d)]
    assert [c.kernel_size for c in convs] == [(3, 3, 3)] * 3
    assert all(c.padding == (1, 1, 1) and c.bias is None for c in convs)
    pools = [x.kernel_size for x in m.modules() if isinstance(x, nn.MaxPool3d)]
    assert pools == [(1, 2, 2), (2, 2, 2)]
    assert sum(isinstance(x, nn.BatchNorm3d) for x in m.modules()) == 3


def test_frames_are_convolved_as_time_not_as_channels():
    # one clip whose frames differ only in order: a 3-D CNN sees the difference
    torch.manual_seed(0)
    m = CNN3D((4, 1, 8, 8), 3, widths=[4, 4], batch_norm=False).eval()
    x = torch.randn(1, 4, 1, 8, 8)
    assert not torch.allclose(m(x), m(x.flip(1)), atol=1e-5)
    # and the first convolution gets (N, C, T, H, W)
    seen = {}
    m.stage("stage1")[1].register_forward_hook(lambda mod, inp, out: seen.update(x=inp[0].shape))
    m(torch.randn(2, 4, 1, 8, 8))
    assert seen["x"] == (2, 1, 4, 8, 8)


def test_gradient_reaches_every_parameter():
    torch.manual_seed(0)
    m = CNN3D((4, 2, 12, 12), 3, widths=[4, 8])
    loss = nn.functional.cross_entropy(m(torch.randn(3, 4, 2, 12, 12)), torch.tensor([0, 1, 2]))
    loss.backward()
    for name, p in m.named_parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0, name


def test_freezing_a_stage():
    m = CNN3D((4, 1, 8, 8), 3, widths=[4, 8])
    m.set_frozen(["stage1"])
    m.train()
    assert not m.stage("stage1").training and m.stage("stage2").training
    assert not any(p.requires_grad for p in m.stage("stage1").parameters())
    assert all(p.requires_grad for p in m.stage("stage2").parameters())


def test_registered_and_rebuilt_from_its_config():
    cfg = ModelConfig(name="cnn3d", widths=[4, 8], convs_per_stage=1, dropout=0.1)
    m = build_model(cfg, (4, 3, 16, 16), 5).eval()
    again = model_from_config(m.config).eval()
    again.load_state_dict(m.state_dict())
    assert again.config == m.config and m.config["name"] == "cnn3d"
    x = torch.randn(2, 4, 3, 16, 16)
    torch.testing.assert_close(again(x), m(x))


def test_wrong_shapes_name_the_expected_layout():
    with pytest.raises(ConfigError, match=r"cnn3d expects \(T, C, H, W\) clips, .*\(1, 28, 28\)"):
        build_model(ModelConfig(name="cnn3d"), (1, 28, 28), 3)
    m = CNN3D((4, 1, 8, 8), 3, widths=[4])
    with pytest.raises(ConfigError, match=r"expects clip batches \(N, T, C, H, W\), .*\(2, 4, 8\)"):
        m(torch.zeros(2, 4, 8))
