"""Initialization schemes: variances, bounds, and torch.nn.init as the oracle."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
import torch
from torch import nn

from trainlab.core.errors import ConfigError
from trainlab.models.init import INITS, apply_init, fan_in_and_fan_out, init_variance

SCHEMES = [
    "default",
    "normal",
    "small-normal",
    "unit-normal",
    "glorot-uniform",
    "glorot-normal",
    "he-normal",
    "he-uniform",
]
UNIFORM_BOUND = {
    "glorot-uniform": lambda fi, fo: math.sqrt(6.0 / (fi + fo)),
    "he-uniform": lambda fi, fo: math.sqrt(6.0 / fi),
    "default": lambda fi, fo: 1.0 / math.sqrt(fi),
}


def _layers() -> list[nn.Module]:
    return [nn.Linear(1000, 800), nn.Conv2d(64, 128, kernel_size=5)]  # 800k and 205k weights


def test_registry_has_every_scheme_and_alias() -> None:
    assert sorted(SCHEMES) == INITS.names()
    for alias, name in [
        ("xavier-uniform", "glorot-uniform"),
        ("xavier_normal", "glorot-normal"),
        ("kaiming-normal", "he-normal"),
        ("Kaiming_Uniform", "he-uniform"),
    ]:
        assert INITS.canonical(alias) == name
        assert INITS.get(alias) is INITS.get(name)


def test_fans_match_torch() -> None:
    for shape in [(8, 3), (16, 3, 5, 5), (4, 2, 3), (6, 5, 2, 3, 4)]:
        w = torch.empty(shape)
        assert fan_in_and_fan_out(w) == nn.init._calculate_fan_in_and_fan_out(w)
    with pytest.raises(ValueError):
        fan_in_and_fan_out(torch.empty(5))


def test_theoretical_variances() -> None:
    fi, fo = 400, 100
    assert init_variance("normal", fi, fo, std=0.3) == pytest.approx(0.09)
    assert init_variance("small-normal", fi, fo, std=0.3) == pytest.approx(0.01)
    assert init_variance("unit-normal", fi, fo) == 1.0
    assert init_variance("glorot-uniform", fi, fo) == pytest.approx(2 / 500)
    assert init_variance("xavier-normal", fi, fo) == pytest.approx(2 / 500)
    assert init_variance("he-normal", fi, fo) == pytest.approx(2 / 400)
    assert init_variance("kaiming-uniform", fi, fo) == pytest.approx(2 / 400)
    assert init_variance("default", fi, fo) == pytest.approx(1 / 1200)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("layer_idx", [0, 1])
def test_empirical_variance_and_mean(scheme: str, layer_idx: int) -> None:
    torch.manual_seed(1)
    layer = _layers()[layer_idx]
    apply_init(layer, scheme, std=0.05)
    w = layer.weight.detach().double()
    fi, fo = fan_in_and_fan_out(w)
    var = init_variance(scheme, fi, fo, std=0.05)
    assert w.var().item() == pytest.approx(var, rel=0.03)
    # mean within 5 standard errors of 0
    assert abs(w.mean().item()) < 5 * math.sqrt(var / w.numel())
    if scheme in UNIFORM_BOUND:
        bound = UNIFORM_BOUND[scheme](fi, fo)
        assert w.abs().max().item() <= bound
        assert w.abs().max().item() > 0.99 * bound  # the whole interval is used
    else:  # normal schemes exceed 3σ about 0.27 % of the time
        frac = (w.abs() > 3 * math.sqrt(var)).double().mean().item()
        assert frac == pytest.approx(0.0027, rel=0.25)


@pytest.mark.parametrize(
    ("scheme", "reference"),
    [
        ("glorot-uniform", lambda w, g: nn.init.xavier_uniform_(w, generator=g)),
        ("glorot-normal", lambda w, g: nn.init.xavier_normal_(w, generator=g)),
        (
            "he-normal",
            lambda w, g: nn.init.kaiming_normal_(w, nonlinearity="relu", generator=g),
        ),
        (
            "he-uniform",
            lambda w, g: nn.init.kaiming_uniform_(w, nonlinearity="relu", generator=g),
        ),
        ("normal", lambda w, g: nn.init.normal_(w, 0.0, 0.05, generator=g)),
        ("small-normal", lambda w, g: nn.init.normal_(w, 0.0, 0.1, generator=g)),
        ("unit-normal", lambda w, g: nn.init.normal_(w, 0.0, 1.0, generator=g)),
    ],
)
def test_same_draws_as_torch_nn_init(scheme: str, reference: Callable) -> None:
    for layer in _layers():
        ref = torch.empty_like(layer.weight)
        reference(ref, torch.Generator().manual_seed(7))
        apply_init(layer, scheme, std=0.05, generator=torch.Generator().manual_seed(7))
        torch.testing.assert_close(layer.weight.detach(), ref, rtol=1e-5, atol=1e-7)


def test_global_rng_used_without_generator() -> None:
    a, b = nn.Linear(50, 40), nn.Linear(50, 40)
    torch.manual_seed(3)
    apply_init(a, "he-normal")
    torch.manual_seed(3)
    apply_init(b, "he-normal")
    torch.testing.assert_close(a.weight, b.weight, rtol=0, atol=0)
    ref = torch.empty(40, 50)
    torch.manual_seed(3)
    nn.init.kaiming_normal_(ref, nonlinearity="relu")
    torch.testing.assert_close(a.weight.detach(), ref, rtol=1e-6, atol=0)


def _net() -> nn.Sequential:
    return nn.Sequential(
        nn.Conv1d(2, 8, 3),
        nn.BatchNorm1d(8),
        nn.ReLU(),
        nn.Flatten(),
        nn.Linear(8 * 6, 16),
        nn.LayerNorm(16),
        nn.ConvTranspose2d(4, 3, 3),
        nn.Conv3d(1, 2, 2, bias=False),
    )


@pytest.mark.parametrize("scheme", [s for s in SCHEMES if s != "default"])
def test_biases_zero_and_norm_layers_untouched(scheme: str) -> None:
    torch.manual_seed(0)
    net = _net()
    with torch.no_grad():  # non-trivial norm parameters must survive
        net[1].weight.fill_(1.5)
        net[1].bias.fill_(-0.5)
    before = {k: v.clone() for k, v in net.state_dict().items()}
    out = apply_init(net, scheme)
    assert out is net
    for idx in (0, 4, 6):  # Conv1d, Linear, ConvTranspose2d
        assert torch.count_nonzero(net[idx].bias) == 0
        assert not torch.equal(net[idx].weight, before[f"{idx}.weight"])
    assert not torch.equal(net[7].weight, before["7.weight"])  # Conv3d without bias
    for key in ("1.weight", "1.bias", "1.running_mean", "1.running_var", "5.weight", "5.bias"):
        assert torch.equal(net.state_dict()[key], before[key]), key
    assert torch.all(net[5].weight == 1) and torch.all(net[5].bias == 0)


def test_default_changes_nothing() -> None:
    torch.manual_seed(0)
    net = _net()
    before = {k: v.clone() for k, v in net.state_dict().items()}
    state = torch.random.get_rng_state()
    apply_init(net, "default")
    for k, v in net.state_dict().items():
        assert torch.equal(v, before[k]), k
    assert torch.equal(torch.random.get_rng_state(), state)  # no random numbers consumed


def test_batchnorm_defaults_stay_one_zero() -> None:
    net = nn.Sequential(
        nn.Linear(10, 10), nn.BatchNorm1d(10), nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4)
    )
    apply_init(net, "unit-normal")
    for bn in (net[1], net[3]):
        assert torch.all(bn.weight == 1) and torch.all(bn.bias == 0)


def test_no_autograd_history() -> None:
    layer = nn.Linear(5, 5)
    apply_init(layer, "glorot-normal")
    assert layer.weight.grad_fn is None and layer.weight.requires_grad


def test_unknown_scheme_lists_known_names() -> None:
    with pytest.raises(ConfigError) as info:
        apply_init(nn.Linear(2, 2), "lecun-normal")
    message = str(info.value)
    assert "lecun-normal" in message
    for name in SCHEMES:
        assert name in message
    with pytest.raises(ConfigError):
        init_variance("orthogonal", 3, 3, 0.1)


def test_normal_rejects_bad_std() -> None:
    with pytest.raises(ConfigError, match="std"):
        apply_init(nn.Linear(2, 2), "normal", std=0.0)
