"""Soft sharing's penalty, cross-stitch units, and freezing / transfer of multitask models."""

import itertools

import pytest
import torch

from trainlab.config.recipe import ModelConfig
from trainlab.core.errors import ConfigError
from trainlab.engine.transfer.copy import copy_stages
from trainlab.engine.transfer.param_groups import stage_param_groups
from trainlab.models import CrossStitch, build_model, build_multitask_model, soft_sharing_penalty
from trainlab.models.cross_stitch import cross_stitch_init
from trainlab.models.soft_sharing import paired_parameters

ARCHS = [("mlp", (1, 8, 8)), ("cnn", (1, 8, 8)), ("cnn1d", (1, 16))]
OUTPUTS = {"a": 3, "b": 2, "c": 1}


def _soft(name="mlp", shape=(2,), widths=(3,), stitch=False, batch_norm=False):
    cfg = ModelConfig(name=name, widths=list(widths), batch_norm=batch_norm)
    return build_multitask_model(cfg, shape, OUTPUTS, sharing="soft", cross_stitch=stitch)


def _by_hand(model, include_bias=False):
    """Σ_{a<b} Σ_k ‖θ_a − θ_b‖², written out from the copies' state."""
    total = 0.0
    for name in model.stage_names:
        copies = model.stage(name).copies
        for a, b in itertools.combinations(list(copies), 2):
            pa, pb = dict(copies[a].named_parameters()), dict(copies[b].named_parameters())
            for key in pa:
                if include_bias or pa[key].ndim > 1:
                    total += float(((pa[key] - pb[key]) ** 2).sum().detach())
    return total


def test_penalty_equals_the_sum_over_pairs_of_tasks():
    m = _soft(widths=(3, 2))
    with torch.no_grad():  # stage1 weight (3, 2) of task t is filled with t + 1
        for i, copy in enumerate(m.stage("stage1").copies.values()):
            copy[1].weight.fill_(i + 1.0)
            copy[1].bias.fill_(10.0 * i)
        for copy in m.stage("stage2").copies.values():
            copy[0].weight.fill_(0.5)
            copy[0].bias.fill_(-1.0)
    # pairs (a, b), (a, c), (b, c): differences 1, 2, 1 over 6 weights; stage2 is equal
    assert soft_sharing_penalty(m).item() == pytest.approx(6 * (1 + 4 + 1))
    with_bias = 6 * (1 + 4 + 1) + 3 * (100 + 400 + 100)
    assert soft_sharing_penalty(m, include_bias=True).item() == pytest.approx(with_bias)


@pytest.mark.parametrize(("name", "shape"), ARCHS)
def test_penalty_matches_by_hand_and_is_zero_for_identical_copies(name, shape):
    m = _soft(name, shape, widths=(4, 6), batch_norm=True)
    assert soft_sharing_penalty(m).item() == pytest.approx(_by_hand(m), rel=1e-5)
    assert soft_sharing_penalty(m, include_bias=True).item() == pytest.approx(
        _by_hand(m, include_bias=True), rel=1e-5
    )
    for stage in m.stage_names:
        copies = m.stage(stage).copies
        for task in ("b", "c"):
            copies[task].load_state_dict(copies["a"].state_dict())
    assert soft_sharing_penalty(m, include_bias=True).item() == 0.0


def test_batch_norm_parameters_count_only_with_include_bias():
    m = _soft(widths=(3,), batch_norm=True)
    weights = paired_parameters(m)
    every = paired_parameters(m, include_bias=True)
    assert len(weights) == 3 * 1  # three pairs, one Linear weight (no bias before BN)
    assert len(every) == 3 * 3  # plus BatchNorm's γ and β
    heads = {id(p) for p in m.head.parameters()}
    assert not heads & {id(p) for pair in every for p in pair}


def test_the_penalty_gradient_pulls_the_copies_together():
    m = _soft(widths=(3,))
    copies = m.stage("stage1").copies
    wa, wb, wc = (copies[t][1].weight for t in "abc")
    soft_sharing_penalty(m).backward()
    # d/dθ_a Σ_{pairs} ‖θ_a − θ_b‖² = 2 Σ_{b≠a} (θ_a − θ_b)
    assert torch.allclose(wa.grad, 2 * ((wa - wb) + (wa - wc)))
    total = wa.grad + wb.grad + wc.grad  # the copies' mean does not move
    assert torch.allclose(total, torch.zeros_like(wa), atol=1e-6)
    assert copies["a"][1].bias.grad is None and m.head["a"].weight.grad is None
    opt = torch.optim.SGD(m.parameters(), lr=0.05)
    before = soft_sharing_penalty(m).item()
    for _ in range(20):
        opt.zero_grad()
        soft_sharing_penalty(m).backward()
        opt.step()
    assert soft_sharing_penalty(m).item() < 0.01 * before


def test_the_penalty_needs_a_soft_sharing_model():
    hard = build_multitask_model(ModelConfig(name="mlp", widths=[3]), (2,), OUTPUTS)
    with pytest.raises(ConfigError, match="no per-task copies"):
        soft_sharing_penalty(hard)


def test_cross_stitch_init_is_near_identity_with_rows_summing_to_one():
    alpha = cross_stitch_init(3)
    assert torch.allclose(alpha.diagonal(), torch.full((3,), 0.9))
    assert torch.allclose(alpha.sum(1), torch.ones(3))
    assert torch.allclose(alpha[0, 1:], torch.full((2,), 0.05))
    assert torch.equal(cross_stitch_init(1), torch.ones(1, 1))
    with pytest.raises(ConfigError, match="same"):
        cross_stitch_init(2, same=1.5)


def test_cross_stitch_mixes_the_tasks_activations():
    unit = CrossStitch(["a", "b", "c"])
    with torch.no_grad():
        unit.alpha.copy_(torch.randn(3, 3))
    xs = {t: torch.randn(2, 4, 5) for t in "abc"}
    out = unit(xs)
    for i, a in enumerate("abc"):
        want = sum(unit.alpha[i, j] * xs[b] for j, b in enumerate("abc"))
        assert torch.allclose(out[a], want, atol=1e-6)


@pytest.mark.parametrize(("name", "shape"), ARCHS)
def test_cross_stitch_at_identity_is_the_soft_network_without_it(name, shape):
    torch.manual_seed(0)
    plain = _soft(name, shape, widths=(4, 6), batch_norm=True).eval()
    torch.manual_seed(0)
    stitched = _soft(name, shape, widths=(4, 6), batch_norm=True, stitch=True).eval()
    stitches = [stitched.stage(n).stitch for n in stitched.stage_names]
    assert all(isinstance(s, CrossStitch) for s in stitches)
    assert all(plain.stage(n).stitch is None for n in plain.stage_names)
    x = torch.randn(3, *shape)
    assert not torch.allclose(stitched(x)["a"], plain(x)["a"])  # 0.9 / 0.05 mixes
    with torch.no_grad():
        for s in stitches:
            s.alpha.copy_(torch.eye(3))
    got, want = stitched(x), plain(x)
    assert all(torch.allclose(got[t], want[t], atol=1e-6) for t in OUTPUTS)


@pytest.mark.parametrize(("name", "shape"), ARCHS)
@pytest.mark.parametrize(("sharing", "stitch"), [("hard", False), ("soft", True)])
def test_freezing_a_stage_freezes_every_tasks_copy(name, shape, sharing, stitch):
    cfg = ModelConfig(name=name, widths=[4, 6])
    m = build_multitask_model(cfg, shape, OUTPUTS, sharing=sharing, cross_stitch=stitch)
    m.set_frozen(["stage1"])
    m.train()
    stage1, stage2 = m.stage("stage1"), m.stage("stage2")
    assert not any(p.requires_grad for p in stage1.parameters())
    assert all(p.requires_grad for p in [*stage2.parameters(), *m.head.parameters()])
    assert not any(mod.training for mod in stage1.modules())
    assert all(mod.training for mod in stage2.modules())
    if sharing == "soft":
        assert len(list(stage1.parameters())) > 3  # the three copies and the unit
        only_stage2 = _by_hand_frozen(m)
        assert soft_sharing_penalty(m).item() == pytest.approx(only_stage2, rel=1e-5)


def _by_hand_frozen(model):
    copies = model.stage("stage2").copies
    total = 0.0
    for a, b in itertools.combinations(list(copies), 2):
        pa, pb = dict(copies[a].named_parameters()), dict(copies[b].named_parameters())
        total += sum(float(((pa[k] - pb[k]) ** 2).sum().detach()) for k in pa if pa[k].ndim > 1)
    return total


@pytest.mark.parametrize(("sharing", "stitch"), [("hard", False), ("soft", False), ("soft", True)])
def test_stage_learning_rates_cover_every_parameter_once(sharing, stitch):
    cfg = ModelConfig(name="cnn", widths=[4, 6])
    m = build_multitask_model(cfg, (1, 8, 8), OUTPUTS, sharing=sharing, cross_stitch=stitch)
    groups = stage_param_groups(m, 0.1, {"stage1": 0.01})
    assert [g["name"] for g in groups] == ["head", "stage1", "stage2"]
    ids = [id(p) for g in groups for p in g["params"]]
    assert sorted(ids) == sorted(id(p) for p in m.parameters())


def test_a_single_task_checkpoint_transfers_into_hard_sharing():
    cfg = ModelConfig(name="cnn", widths=[4, 6])
    source = build_model(cfg, (1, 8, 8), 10)
    target = build_multitask_model(cfg, (1, 8, 8), OUTPUTS)
    assert copy_stages(target, source, 2) == ["stage1", "stage2"]
    for key, value in source.stages.state_dict().items():
        assert torch.equal(target.stages.state_dict()[key], value)
