"""The frame-by-frame 2-D CNN: a cnn's stages on every frame, pooled over time, then its head."""

import pytest
import torch

from trainlab.config.recipe import ModelConfig, TransferConfig
from trainlab.core.errors import ConfigError
from trainlab.engine.transfer.plans import build_plan
from trainlab.models import CNN, build_model, model_from_config
from trainlab.models.frame_cnn import FrameCNN
from trainlab.models.hard_sharing import hard_sharing


def _clips(n=3, t=5, c=1, h=16, w=16, seed=0):
    return torch.randn(n, t, c, h, w, generator=torch.Generator().manual_seed(seed))


def _pair(arch, shape=(5, 1, 16, 16), classes=4, pool="mean"):
    """A frame-cnn and a cnn for its frames, with the same weights, in eval mode."""
    fc = FrameCNN(shape, classes, temporal_pool=pool, **arch).eval()
    cnn = CNN(shape[1:], classes, **arch).eval()
    cnn.load_state_dict(fc.state_dict())  # every key and shape is a cnn's
    return fc, cnn


@pytest.mark.parametrize(
    ("shape", "arch", "features"),
    [
        ((5, 1, 16, 16), dict(widths=[4, 8]), (8, 8, 8)),
        ((3, 3, 17, 23), dict(widths=[4, 8, 8], convs_per_stage=1), (8, 4, 5)),
        ((2, 2, 6, 6), dict(widths=[4, 4, 4], batch_norm=False, dropout=0.2), (4, 3, 3)),
        ((4, 1, 12, 12), dict(widths=[6], kernel_size=5, activation="tanh"), (6, 12, 12)),
    ],
)
def test_shapes_per_frame_and_after_pooling(shape, arch, features):
    m = FrameCNN(shape, 7, **arch)
    x = torch.randn(2, *shape)
    assert m.forward_features(x).shape == (2, shape[0], *features)
    assert m(x).shape == (2, 7)
    assert m.stage_names == [f"stage{i + 1}" for i in range(len(arch["widths"]))]


def test_any_number_of_frames_at_run_time():
    m = FrameCNN((8, 1, 16, 16), 3, widths=[4])
    assert m(torch.randn(2, 3, 1, 16, 16)).shape == (2, 3)


@pytest.mark.parametrize("arch", [dict(widths=[4, 8]), dict(widths=[4, 8, 8], batch_norm=False)])
def test_its_stages_and_head_have_a_cnns_keys_and_shapes(arch):
    fc, cnn = FrameCNN((5, 3, 16, 16), 4, **arch), CNN((3, 16, 16), 4, **arch)
    for name in cnn.stage_names:
        mine, theirs = fc.stage(name).state_dict(), cnn.stage(name).state_dict()
        assert {k: v.shape for k, v in mine.items()} == {k: v.shape for k, v in theirs.items()}
    assert list(fc.state_dict()) == list(cnn.state_dict())


def test_same_seed_same_weights_as_the_cnn():
    torch.manual_seed(3)
    fc = FrameCNN((5, 1, 16, 16), 4, widths=[4, 8])
    torch.manual_seed(3)
    cnn = CNN((1, 16, 16), 4, widths=[4, 8])
    assert all(torch.equal(a, b) for a, b in zip(fc.parameters(), cnn.parameters(), strict=True))


@pytest.mark.parametrize("pool", ["mean", "max"])
def test_equals_the_cnn_frame_by_frame_pooled_then_its_head(pool):
    fc, cnn = _pair(dict(widths=[4, 8, 8]), pool=pool)
    x = _clips()
    frames = torch.stack([cnn.forward_features(x[:, t]) for t in range(x.shape[1])], dim=1)
    torch.testing.assert_close(fc.forward_features(x), frames)
    pooled = frames.mean(1) if pool == "mean" else frames.max(1).values
    torch.testing.assert_close(fc(x), cnn.head(pooled))


def test_mean_pooling_is_the_mean_of_the_cnns_frame_logits():
    # mean over T commutes with global average pooling and the linear head
    fc, cnn = _pair(dict(widths=[4, 8]))
    x = _clips()
    logits = torch.stack([cnn(x[:, t]) for t in range(x.shape[1])], dim=1).mean(1)
    torch.testing.assert_close(fc(x), logits)


def test_max_and_mean_pooling_differ_and_agree_on_a_still_clip():
    mean, _ = _pair(dict(widths=[4, 8]), pool="mean")
    peak = FrameCNN((5, 1, 16, 16), 4, widths=[4, 8], temporal_pool="max").eval()
    peak.load_state_dict(mean.state_dict())
    x = _clips()
    assert not torch.allclose(mean(x), peak(x), atol=1e-4)
    still = x[:, :1].expand_as(x).contiguous()  # every frame the same
    torch.testing.assert_close(mean(still), peak(still))
    # max pooling is the elementwise maximum of the frames' feature maps: never below the mean
    feats = mean.forward_features(x)
    assert (feats.amax(1) >= feats.mean(1) - 1e-6).all()


def test_unknown_temporal_pool():
    with pytest.raises(ConfigError, match=r"unknown temporal pool 'median'; expected one of"):
        FrameCNN((4, 1, 8, 8), 3, widths=[4], temporal_pool="median")
    with pytest.raises(ValueError, match="temporal_pool"):
        ModelConfig(name="frame-cnn", temporal_pool="median")


def test_registered_and_rebuilt_from_its_config():
    cfg = ModelConfig(name="frame-cnn", widths=[4, 8], dropout=0.1, temporal_pool="max")
    m = build_model(cfg, (6, 3, 12, 12), 5).eval()
    assert m.config["name"] == "frame-cnn" and m.config["temporal_pool"] == "max"
    again = model_from_config(m.config).eval()
    again.load_state_dict(m.state_dict())
    assert again.head.pool == "max" and again.config == m.config
    x = torch.randn(2, 6, 3, 12, 12)
    torch.testing.assert_close(again(x), m(x))


def test_a_freeze_plan_freezes_the_first_stages_only():
    m = FrameCNN((4, 1, 12, 12), 3, widths=[4, 8, 8])
    cfg = TransferConfig(checkpoint="m.safetensors", strategy="freeze-first-n", freeze=2)
    plan = build_plan(cfg, m.stage_names, copied=2, base_lr=0.1)
    m.set_frozen(plan.frozen_at(1))
    m.train()
    grads = {n: p.requires_grad for n, p in m.named_parameters()}
    assert not any(g for n, g in grads.items() if n.startswith(("stages.stage1", "stages.stage2")))
    assert all(g for n, g in grads.items() if n.startswith(("stages.stage3", "head")))
    assert not m.stage("stage1").training and m.stage("stage3").training
    m(torch.randn(2, 4, 1, 12, 12)).sum().backward()
    assert m.stage("stage1")[0].weight.grad is None
    assert m.stage("stage3")[0].weight.grad is not None


def test_hard_sharing_keeps_the_frames_and_the_pooling():
    fc = FrameCNN((4, 1, 12, 12), 10, widths=[4, 8], temporal_pool="max")
    mt = hard_sharing(fc, {"digit": 10, "direction": 4})
    out = mt(torch.randn(2, 4, 1, 12, 12))
    assert {k: tuple(v.shape) for k, v in out.items()} == {"digit": (2, 10), "direction": (2, 4)}
    assert mt.head["direction"].pool == "max"


def test_wrong_shapes_name_the_expected_layout():
    with pytest.raises(
        ConfigError, match=r"frame-cnn expects \(T, C, H, W\) clips, .*\(1, 28, 28\)"
    ):
        build_model(ModelConfig(name="frame-cnn"), (1, 28, 28), 3)
    m = FrameCNN((4, 1, 8, 8), 3, widths=[4])
    with pytest.raises(
        ConfigError, match=r"expects clip batches \(N, T, C, H, W\), .*\(2, 1, 8, 8\)"
    ):
        m(torch.zeros(2, 1, 8, 8))
