"""torch's batch norm against the lecture's algorithm (Ioffe & Szegedy, 2015).

μ_B = (1/m) Σ x_i,  σ²_B = (1/m) Σ (x_i − μ_B)²,  x̂_i = (x_i − μ_B) / √(σ²_B + ε),
y_i = γ x̂_i + β; running statistics r ← (1 − momentum) r + momentum · s, with the
unbiased batch variance m/(m−1) σ²_B; in eval mode the running statistics replace
the batch's.
"""

from __future__ import annotations

import pytest
import torch
from torch import nn


def _lecture_bn(
    x: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, eps: float, dims: tuple[int, ...]
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The lecture's algorithm in float64: (y, μ_B, σ²_B) per channel (axis 1)."""
    x = x.double()
    m = 1
    for d in dims:
        m *= x.shape[d]
    mu = x.sum(dim=dims, keepdim=True) / m
    var = ((x - mu) ** 2).sum(dim=dims, keepdim=True) / m
    x_hat = (x - mu) / torch.sqrt(var + eps)
    shape = [1] * x.dim()
    shape[1] = -1
    y = gamma.double().reshape(shape) * x_hat + beta.double().reshape(shape)
    return y, mu.flatten(), var.flatten()


def _bn(kind: str, channels: int, eps: float, momentum: float) -> nn.Module:
    layer = (nn.BatchNorm1d if kind != "2d" else nn.BatchNorm2d)(
        channels, eps=eps, momentum=momentum
    )
    with torch.no_grad():  # non-trivial γ, β
        layer.weight.copy_(torch.linspace(0.5, 2.0, channels))
        layer.bias.copy_(torch.linspace(-1.0, 1.0, channels))
    return layer


CASES = [
    ("1d", (32, 6), (0,)),  # (N, C)
    ("1d-seq", (8, 6, 10), (0, 2)),  # (N, C, L)
    ("2d", (8, 6, 5, 7), (0, 2, 3)),  # (N, C, H, W)
]


@pytest.mark.parametrize(("kind", "shape", "dims"), CASES)
def test_train_mode_matches_formula(kind: str, shape: tuple[int, ...], dims: tuple[int, ...]):
    torch.manual_seed(0)
    x = torch.randn(shape) * 3.0 + 2.0
    eps = 1e-3
    layer = _bn(kind, shape[1], eps=eps, momentum=0.1).train()
    y = layer(x)
    ref, _, _ = _lecture_bn(x, layer.weight.detach(), layer.bias.detach(), eps, dims)
    torch.testing.assert_close(y.double(), ref, rtol=1e-5, atol=1e-5)
    # x̂ has mean 0 and (biased) variance σ²/(σ² + ε) ≈ 1 per channel, so y has mean β
    y_mean = y.detach().double().mean(dim=dims)
    torch.testing.assert_close(y_mean, layer.bias.detach().double(), rtol=0, atol=1e-5)


@pytest.mark.parametrize(("kind", "shape", "dims"), CASES)
def test_running_statistics_update(kind: str, shape: tuple[int, ...], dims: tuple[int, ...]):
    torch.manual_seed(1)
    momentum, eps = 0.3, 1e-5
    layer = _bn(kind, shape[1], eps=eps, momentum=momentum).train()
    running_mean = torch.zeros(shape[1], dtype=torch.float64)
    running_var = torch.ones(shape[1], dtype=torch.float64)
    for step in range(3):
        x = torch.randn(shape) * (step + 1.0) + step
        layer(x)
        _, mu, var = _lecture_bn(x, layer.weight.detach(), layer.bias.detach(), eps, dims)
        m = x.numel() // shape[1]
        unbiased = var * m / (m - 1)
        running_mean = (1 - momentum) * running_mean + momentum * mu
        running_var = (1 - momentum) * running_var + momentum * unbiased
        torch.testing.assert_close(layer.running_mean.double(), running_mean, rtol=1e-5, atol=1e-6)
        torch.testing.assert_close(layer.running_var.double(), running_var, rtol=1e-5, atol=1e-6)
    assert layer.num_batches_tracked.item() == 3


@pytest.mark.parametrize(("kind", "shape", "dims"), CASES)
def test_eval_mode_uses_running_statistics(
    kind: str, shape: tuple[int, ...], dims: tuple[int, ...]
) -> None:
    torch.manual_seed(2)
    eps = 1e-5
    layer = _bn(kind, shape[1], eps=eps, momentum=0.1)
    with torch.no_grad():
        layer.running_mean.copy_(torch.linspace(-2.0, 2.0, shape[1]))
        layer.running_var.copy_(torch.linspace(0.5, 4.0, shape[1]))
    layer.eval()
    x = torch.randn(shape) * 5.0 + 1.0
    before = (layer.running_mean.clone(), layer.running_var.clone())
    y = layer(x)
    view = [1] * x.dim()
    view[1] = -1
    mean, var = (t.double().reshape(view) for t in before)
    gamma, beta = (p.detach().double().reshape(view) for p in (layer.weight, layer.bias))
    ref = gamma * (x.double() - mean) / torch.sqrt(var + eps) + beta
    torch.testing.assert_close(y.double(), ref, rtol=1e-5, atol=1e-5)
    # and not the batch's own statistics
    batch_ref, _, _ = _lecture_bn(x, layer.weight.detach(), layer.bias.detach(), eps, dims)
    assert not torch.allclose(y.double(), batch_ref, atol=1e-2)
    # eval mode does not update the running statistics
    assert torch.equal(layer.running_mean, before[0]) and torch.equal(layer.running_var, before[1])


def test_gradients_flow_through_batch_statistics() -> None:
    # the lecture's BN is differentiable through μ_B and σ²_B: compare autograd gradients
    torch.manual_seed(3)
    x = torch.randn(16, 4, dtype=torch.float64, requires_grad=True)
    layer = _bn("1d", 4, eps=1e-5, momentum=0.1).double().train()
    upstream = torch.randn(16, 4, dtype=torch.float64)
    (layer(x) * upstream).sum().backward()
    grad_torch = x.grad.clone()
    x.grad = None
    ref, _, _ = _lecture_bn(x, layer.weight.detach(), layer.bias.detach(), 1e-5, (0,))
    (ref * upstream).sum().backward()
    torch.testing.assert_close(grad_torch, x.grad, rtol=1e-8, atol=1e-10)
