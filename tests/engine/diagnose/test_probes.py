"""Activation and gradient probes see what the lecture and Glorot & Bengio (2010) describe.

The networks are the lecture's deep case: 10 hidden layers of an MLP on 64
standardized inputs, initialized by the named schemes of trainlab.models.init.
Theory used as the oracle: a layer with n inputs and weights of variance σ²
multiplies the variance of the pre-activations by n·σ² (linear regime of tanh)
or n·σ²/2 (ReLU, He et al., 2015).
"""

from __future__ import annotations

import copy
import itertools
import json

import pytest
import torch
from torch import nn

from trainlab.engine.diagnose import ActivationProbe, layer_statistics, probe_summary
from trainlab.engine.loop import Trainer
from trainlab.models import CNN, MLP
from trainlab.models.init import apply_init

DEPTH = 10


def probe_batch(seed: int = 0, n: int = 256) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, 64, generator=g), torch.randint(0, 10, (n,), generator=g)


def deep_mlp(activation: str, scheme: str, width: int = 128, seed: int = 0) -> MLP:
    torch.manual_seed(seed)
    model = MLP((64,), 10, widths=[width] * DEPTH, activation=activation)
    return apply_init(model, scheme, generator=torch.Generator().manual_seed(seed + 1))


def hidden_stats(activation: str, scheme: str, width: int = 128) -> list[dict]:
    stats = layer_statistics(deep_mlp(activation, scheme, width), *probe_batch())
    assert [s["name"] for s in stats] == ["stage1.2"] + [
        f"stage{i}.1" for i in range(2, DEPTH + 1)
    ] + ["head"]
    return stats[:-1]


def stds(stats: list[dict]) -> list[float]:
    return [s["act_std"] for s in stats]


# -- the lecture's initialization slides ----------------------------------------------


def test_small_normal_activations_vanish_in_a_deep_tanh_net():
    """N(0, 0.01) in a deep tanh net of width 32: n·σ² = 0.32 < 1 per layer."""
    stats = hidden_stats("tanh", "small-normal", width=32)
    s = stds(stats)
    assert s[-1] < 0.02 * s[0]  # observed ≈ 0.0066 × the first layer's
    assert all(b < a for a, b in itertools.pairwise(s))  # shrinks at every layer
    summary = probe_summary([{"epoch": 0, "layers": [*stats]}])
    assert any(f.startswith("activations vanish with depth") for f in summary["findings"])


@pytest.mark.parametrize(("width", "vanishes"), [(32, True), (64, None), (128, False)])
def test_small_normal_vanishing_depends_on_fan_in(width, vanishes):
    """Whether N(0, 0.01) vanishes depends on n·0.01 (< 1 vanishes), not on depth alone.

    At width 128 (n·σ² = 1.28) tanh settles at a non-zero fixed point: the
    lecture's "works in small networks" is about narrow layers as much as depth.
    """
    s = stds(hidden_stats("tanh", "small-normal", width=width))
    ratio = s[-1] / s[0]
    if vanishes is True:
        assert ratio < 0.02
    elif vanishes is False:
        assert 0.4 < ratio < 1.0  # observed ≈ 0.66
    else:  # n·σ² = 0.64: (0.64)^(9/2) ≈ 0.13 in the linear regime
        assert 0.05 < ratio < 0.2


def test_unit_normal_saturates_most_tanh_units():
    stats = hidden_stats("tanh", "unit-normal")
    assert all(s["saturated"] > 0.6 for s in stats)  # observed 0.74 to 0.81
    # saturated tanh outputs are ±1: the std of every layer is close to 1
    assert all(0.9 < s["act_std"] < 1.0 for s in stats)
    summary = probe_summary([{"epoch": 0, "layers": stats}])
    assert any(f.startswith("units saturate") for f in summary["findings"])
    assert not any("vanish" in f for f in summary["findings"])


@pytest.mark.parametrize("scheme", ["small-normal", "glorot-uniform", "glorot-normal", "default"])
def test_moderate_inits_do_not_saturate_tanh(scheme):
    assert all(s["saturated"] < 0.05 for s in hidden_stats("tanh", scheme))


@pytest.mark.parametrize("scheme", ["glorot-uniform", "glorot-normal"])
def test_glorot_keeps_activations_and_gradients_across_layers(scheme):
    stats = hidden_stats("tanh", scheme)
    s = stds(stats)
    assert max(s) < 10 * min(s)  # observed ≈ 2.5×
    grads = [st["grad_norm"] for st in stats]
    assert max(grads) < 2 * min(grads)  # observed ≈ 1.2×: Glorot & Bengio's Fig. 7
    assert probe_summary([{"epoch": 0, "layers": stats}])["findings"] == []


def test_standard_init_gradients_shrink_toward_the_input():
    """PyTorch's default U[−1/√n, 1/√n] is Glorot & Bengio's "standard" initialization."""
    stats = hidden_stats("tanh", "default")
    assert stats[0]["grad_norm"] < 0.2 * stats[-1]["grad_norm"]  # observed ≈ 0.07


def test_he_normal_keeps_relu_activations_and_small_normal_vanishes():
    he = stds(hidden_stats("relu", "he-normal"))
    assert 0.5 < he[-1] / he[0] < 2.0  # theory: (128 · 2/128 / 2)^(9/2) = 1
    assert max(he) < 2 * min(he)
    small = stds(hidden_stats("relu", "small-normal"))
    predicted = (128 * 0.01 / 2) ** ((DEPTH - 1) / 2)  # ≈ 0.134
    assert predicted / 1.6 < small[-1] / small[0] < predicted * 1.6
    assert all(b < a for a, b in itertools.pairwise(small))


def test_unit_normal_gradients_explode_toward_the_input_of_a_tanh_net():
    """Saturation zeroes most local derivatives, but the weights are so large that
    the back-propagated gradient still grows toward the input."""
    stats = hidden_stats("tanh", "unit-normal")
    assert stats[0]["grad_norm"] > 100 * stats[-1]["grad_norm"]
    findings = probe_summary([{"epoch": 0, "layers": stats}])["findings"]
    assert any(f.startswith("gradients explode toward the input") for f in findings)


# -- each statistic against a hand computation ------------------------------------------


def test_dead_fraction_of_a_hand_built_linear_layer():
    lin = nn.Linear(2, 4)
    with torch.no_grad():
        lin.weight.copy_(torch.tensor([[1.0, 0.0], [-1.0, 0.0], [0.0, 0.0], [1.0, 1.0]]))
        lin.bias.copy_(torch.tensor([0.0, 0.0, 0.0, -10.0]))
    net = nn.Sequential(lin, nn.ReLU(), nn.Linear(4, 2))
    # x₀ takes both signs: unit 0 and unit 1 each fire on some example;
    # unit 2 is always 0, unit 3 always negative before the ReLU
    x = torch.tensor([[1.0, 0.0], [-1.0, 2.0], [3.0, 1.0]])
    stats = layer_statistics(net, x, torch.zeros(3, dtype=torch.long))
    relu = stats[0]
    assert relu["name"] == "1"
    assert relu["dead"] == pytest.approx(0.5)
    out = torch.relu(lin(x))
    assert relu["act_mean"] == pytest.approx(out.mean().item())
    assert relu["act_std"] == pytest.approx(out.std().item())
    assert relu["saturated"] == 0.0
    assert relu["weight_std"] == pytest.approx(lin.weight.std().item())


def test_dead_fraction_of_conv_channels():
    conv = nn.Conv2d(1, 4, 1)
    with torch.no_grad():
        conv.weight.copy_(torch.tensor([1.0, -1.0, 1.0, 1.0]).view(4, 1, 1, 1))
        conv.bias.copy_(torch.tensor([0.0, 0.0, -100.0, -2.5]))
    net = nn.Sequential(conv, nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 2))
    x = torch.rand(5, 1, 6, 6) * 2  # in [0, 2): channel 1 and 2 never fire
    x[3, 0, 4, 1] = 3.0  # channel 3 fires at one position of one example
    stats = layer_statistics(net, x, torch.zeros(5, dtype=torch.long))
    assert stats[0]["dead"] == pytest.approx(0.5)


def test_dead_counts_negative_outputs_of_relu_like_activations():
    lin = nn.Linear(1, 2)
    with torch.no_grad():
        lin.weight.fill_(1.0)
        lin.bias.copy_(torch.tensor([-5.0, 5.0]))
    net = nn.Sequential(lin, nn.GELU(), nn.Linear(2, 2))
    stats = layer_statistics(net, torch.rand(8, 1), torch.zeros(8, dtype=torch.long))
    assert stats[0]["dead"] == pytest.approx(0.5)


def test_saturated_fraction_of_tanh_and_sigmoid_outputs():
    z = torch.tensor([[-10.0, -0.5, 0.0, 0.5, 3.0, 10.0]])
    for act, expected in ((nn.Tanh(), 3 / 6), (nn.Sigmoid(), 2 / 6), (nn.ReLU(), 0.0)):
        net = nn.Sequential(nn.Identity(), act)
        stats = layer_statistics(net, z, torch.zeros(1, dtype=torch.long), layers=[("act", net[1])])
        assert stats == [
            {
                "name": "act",
                "act_mean": pytest.approx(act(z).mean().item()),
                "act_std": pytest.approx(act(z).std().item()),
                # ReLU: 3 units ≤ 0 everywhere; tanh: tanh(0) is exactly 0 for every example
                "dead": pytest.approx({"ReLU": 3 / 6, "Tanh": 1 / 6}.get(type(act).__name__, 0)),
                "saturated": pytest.approx(expected),
                "grad_norm": None,
                "weight_std": None,
            }
        ]


def test_grad_norm_equals_manual_autograd():
    model = deep_mlp("tanh", "glorot-normal")
    x, y = probe_batch()
    stats = {s["name"]: s for s in layer_statistics(model, x, y)}
    for stage, name in (("stage1", "stage1.2"), ("stage7", "stage7.1")):
        weight = model.stage(stage)[1 if stage == "stage1" else 0].weight
        model.zero_grad(set_to_none=True)
        nn.functional.cross_entropy(model(x), y).backward()
        assert stats[name]["grad_norm"] == pytest.approx(weight.grad.norm().item(), rel=1e-5)
        assert stats[name]["weight_std"] == pytest.approx(weight.std().item(), rel=1e-5)
    model.zero_grad(set_to_none=True)
    nn.functional.cross_entropy(model(x), y).backward()
    assert stats["head"]["grad_norm"] == pytest.approx(model.head.weight.grad.norm().item())
    assert stats["head"]["act_std"] == pytest.approx(model(x).std().item(), rel=1e-5)


def test_cnn_layers_are_named_by_stage_and_index():
    torch.manual_seed(0)
    model = CNN((1, 8, 8), 3, widths=[4, 8], batch_norm=True)
    stats = layer_statistics(model, torch.randn(6, 1, 8, 8), torch.randint(0, 3, (6,)))
    names = [s["name"] for s in stats]
    assert names == ["stage1.2", "stage1.5", "stage2.2", "stage2.5", "head"]
    conv = model.stage("stage2")[3]
    assert stats[3]["weight_std"] == pytest.approx(conv.weight.std().item())
    assert all(0.0 <= s["dead"] <= 1.0 and s["saturated"] == 0.0 for s in stats)


def test_frozen_weights_still_report_gradients_and_stay_frozen():
    model = deep_mlp("tanh", "glorot-uniform")
    for p in model.stages.parameters():
        p.requires_grad_(False)
    stats = layer_statistics(model, *probe_batch())
    assert all(s["grad_norm"] > 0 for s in stats)
    assert not any(p.requires_grad for p in model.stages.parameters())


# -- probing leaves training alone ------------------------------------------------------


def test_probe_leaves_mode_dropout_and_existing_grads_unchanged():
    torch.manual_seed(0)
    model = MLP((64,), 10, widths=[32, 32], dropout=0.5)
    no_dropout = MLP((64,), 10, widths=[32, 32])
    no_dropout.load_state_dict(model.state_dict())
    x, y = probe_batch(n=64)
    model.train()
    nn.functional.cross_entropy(model(x), y).backward()
    model.head.bias.grad = None  # one parameter without a gradient
    grads = {n: None if p.grad is None else p.grad.clone() for n, p in model.named_parameters()}

    first = layer_statistics(model, x, y)
    # dropout was off during the probe: deterministic, and equal to the same net without it
    assert layer_statistics(model, x, y) == first
    assert layer_statistics(no_dropout, x, y) == first

    assert model.training
    assert all(m.training for m in model.modules())
    a, b = model(x), model(x)
    assert not torch.equal(a, b)  # dropout still active in train mode
    for n, p in model.named_parameters():
        if grads[n] is None:
            assert p.grad is None
        else:
            assert torch.equal(p.grad, grads[n])


def test_probe_keeps_per_module_modes_and_batch_norm_running_stats():
    torch.manual_seed(0)
    model = MLP((64,), 10, widths=[32, 32], batch_norm=True)
    x, y = probe_batch(n=64)
    model.train()
    model(x)  # move the running statistics away from their init
    model.eval()
    expected_logits = model(x).detach()
    model.train()
    bn = model.stage("stage1")[2]
    bn.eval()  # a frozen batch norm, as in fine-tuning
    running = copy.deepcopy(bn.running_mean), copy.deepcopy(model.stage("stage2")[1].running_var)
    stats = layer_statistics(model, x, y)
    assert stats[-1]["act_std"] == pytest.approx(expected_logits.std().item(), rel=1e-5)
    assert model.training and not bn.training and model.stage("stage2")[1].training
    assert torch.equal(bn.running_mean, running[0])
    assert torch.equal(model.stage("stage2")[1].running_var, running[1])


def test_hooks_are_removed_even_on_error():
    model = MLP((64,), 10, widths=[16])
    with pytest.raises(IndexError):
        layer_statistics(model, torch.randn(4, 64), torch.tensor([0, 1, 2, 99]))
    assert all(not m._forward_hooks for m in model.modules())
    assert model.training


# -- the callback inside a real training loop -------------------------------------------


def fit(callbacks=(), epochs: int = 2, trainer_state=None):
    torch.manual_seed(0)
    model = MLP((64,), 10, widths=[32, 32, 32], activation="tanh", dropout=0.2)
    x, y = probe_batch(seed=1, n=512)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    trainer = Trainer(
        model, opt, epochs=epochs, batch_size=64, callbacks=list(callbacks), progress=False
    )
    if trainer_state is not None:
        trainer.load_state_dict(trainer_state)
    trainer.fit((x, y), (x[:128], y[:128]))
    return trainer


def test_callback_records_init_and_every_epoch_without_changing_training():
    x, y = probe_batch(seed=1, n=512)
    probe = ActivationProbe(x[:256], y[:256])
    trainer = fit([probe])
    assert [r["epoch"] for r in probe.records] == [0, 1, 2]
    names = ["stage1.2", "stage2.1", "stage3.1", "head"]
    for record in probe.records:
        assert [s["name"] for s in record["layers"]] == names
    # training moved the weights: the records differ
    assert probe.records[0]["layers"] != probe.records[-1]["layers"]
    plain = fit()
    for p, q in zip(trainer.model.parameters(), plain.model.parameters(), strict=True):
        assert torch.equal(p, q)
    assert trainer.history.rows[-1]["train_loss"] == plain.history.rows[-1]["train_loss"]

    state = json.loads(json.dumps(probe.state_dict()))
    restored = ActivationProbe(x[:256], y[:256])
    restored.load_state_dict(state)
    assert restored.records == probe.records
    assert json.loads(probe.to_json()) == probe.records


def test_callback_every_and_resume():
    x, y = probe_batch(seed=1, n=512)
    probe = ActivationProbe(x[:128], y[:128], every=2)
    first = fit([probe], epochs=3)
    assert [r["epoch"] for r in probe.records] == [0, 2]

    state = json.loads(json.dumps(first.state_dict()["callbacks"]["activation-probe"]))
    resumed = ActivationProbe(x[:128], y[:128], every=2)
    trainer_state = first.state_dict()
    trainer_state["callbacks"] = {"activation-probe": state}
    fit([resumed], epochs=4, trainer_state=trainer_state)
    assert [r["epoch"] for r in resumed.records] == [0, 2, 4]  # no second "initial" record


def test_callback_validates_its_arguments():
    with pytest.raises(ValueError, match="every"):
        ActivationProbe(torch.zeros(2, 3), torch.zeros(2), every=0)
    with pytest.raises(ValueError, match="as many"):
        ActivationProbe(torch.zeros(2, 3), torch.zeros(3))


def test_a_task_loss_gives_the_gradients():
    """A regression's loss instead of the default cross-entropy; the default is unchanged."""
    torch.manual_seed(0)
    model = MLP((4,), 1, widths=[8])
    x, y = torch.randn(32, 4), torch.randn(32)

    def mse(out: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return nn.functional.mse_loss(out.squeeze(1), target)

    stats = {s["name"]: s for s in layer_statistics(model, x, y, loss=mse)}
    model.zero_grad(set_to_none=True)
    mse(model(x), y).backward()
    assert stats["head"]["grad_norm"] == pytest.approx(model.head.weight.grad.norm().item())
    labels = torch.zeros(32, dtype=torch.long)
    default = layer_statistics(model, x, labels)
    assert default == layer_statistics(
        model, x, labels, loss=lambda o, t: nn.functional.cross_entropy(o.float(), t)
    )


def test_multitask_outputs_and_targets():
    """Dict outputs and targets (hard and soft sharing): one ``head.<task>`` per task, the
    gradients of the task's combined loss, and the callback records them."""
    from trainlab.config.recipe import ModelConfig
    from trainlab.engine.tasks import Classification, MultiTask, Regression
    from trainlab.models import build_multitask_model

    torch.manual_seed(0)
    task = MultiTask({"digit": Classification(list("012")), "size": Regression()})
    x = torch.randn(16, 4)
    y = {"digit": torch.randint(0, 3, (16,)), "size": torch.randn(16)}
    task.fit(y)
    for sharing in ("hard", "soft"):
        cfg = ModelConfig(name="mlp", widths=[8, 8])
        model = build_multitask_model(cfg, (4,), {"digit": 3, "size": 1}, sharing=sharing)
        stats = {s["name"]: s for s in layer_statistics(model, x, y, loss=task.loss)}
        assert {"head.digit", "head.size"} <= set(stats)
        model.eval().zero_grad(set_to_none=True)  # the probe's pass is in eval mode
        task.loss(model(x), y).backward()
        w = [m for m in model.head["size"].modules() if isinstance(m, nn.Linear)][-1].weight
        assert stats["head.size"]["grad_norm"] == pytest.approx(w.grad.norm().item(), rel=1e-5)
        summary = probe_summary([{"epoch": 0, "layers": list(stats.values())}])
        assert all("head" not in f for f in summary["findings"])  # heads are not hidden layers
    with pytest.raises(ValueError, match="as many"):
        ActivationProbe(x[:3], y)
    probe = ActivationProbe(x, y, loss=task.loss)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    Trainer(model, opt, epochs=1, callbacks=[probe], progress=False, task=task).fit((x, y))
    assert [r["epoch"] for r in probe.records] == [0, 1]
    assert [s["name"] for s in probe.records[-1]["layers"]][-2:] == ["head.digit", "head.size"]
    assert probe.records[-1]["layers"] == layer_statistics(model, x, y, loss=task.loss)


# -- the summary ------------------------------------------------------------------------


def test_summary_reports_start_and_end_of_each_layer():
    x, y = probe_batch(seed=1, n=512)
    probe = ActivationProbe(x[:256], y[:256])
    fit([probe])
    summary = probe_summary(probe.records)
    assert summary["epochs"] == [0, 2]
    assert [layer["name"] for layer in summary["layers"]] == [
        "stage1.2",
        "stage2.1",
        "stage3.1",
        "head",
    ]
    layer = summary["layers"][1]
    assert set(layer["start"]) == set(layer["end"]) == {"act_std", "dead", "saturated", "grad_norm"}
    assert layer["start"]["act_std"] == probe.records[0]["layers"][1]["act_std"]
    assert layer["end"]["grad_norm"] == probe.records[-1]["layers"][1]["grad_norm"]
    json.dumps(summary)
    assert probe_summary([]) == {"epochs": [], "layers": [], "findings": []}
