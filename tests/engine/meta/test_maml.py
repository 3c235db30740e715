"""MAML: adaptation lowers the loss, first order == second order at inner_lr 0, and the
second-order meta-gradient agrees with finite differences."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from trainlab.engine.meta import adapt, maml_step, meta_loss


def linear_tasks(n: int, seed: int, k: int = 5, q: int = 10):
    """Tasks y = a·x + b with a ~ U(1, 3), b ~ U(-1, 1); support k points, query q points."""
    g = torch.Generator().manual_seed(seed)
    tasks = []
    for _ in range(n):
        a, b = 1 + 2 * torch.rand(1, generator=g), 2 * torch.rand(1, generator=g) - 1
        xs, xq = torch.rand(k, 1, generator=g) * 4 - 2, torch.rand(q, 1, generator=g) * 4 - 2
        tasks.append((xs, a * xs + b, xq, a * xq + b))
    return tasks


def test_post_adaptation_loss_is_below_pre_adaptation() -> None:
    torch.manual_seed(0)
    model = nn.Linear(1, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    for step in range(60):
        maml_step(model, opt, linear_tasks(4, step), F.mse_loss, inner_lr=0.1, steps=1)
    test = linear_tasks(20, 10_000)
    pre = meta_loss(model, test, F.mse_loss, inner_lr=0.0)
    post = meta_loss(model, test, F.mse_loss, inner_lr=0.1, steps=3)
    pre, post = float(pre.detach()), float(post.detach())
    assert post < 0.5 * pre, (pre, post)


def test_inner_loop_leaves_the_model_alone() -> None:
    model = nn.Linear(1, 1)
    before = [p.detach().clone() for p in model.parameters()]
    xs, ys, _, _ = linear_tasks(1, 0)[0]
    fast = adapt(model, dict(model.named_parameters()), xs, ys, F.mse_loss, inner_lr=0.1)
    assert not torch.equal(fast["weight"], before[0])
    for p, b in zip(model.parameters(), before, strict=True):
        assert torch.equal(p, b)


def _meta_grad(model: nn.Module, tasks, *, inner_lr: float, first_order: bool, steps: int = 1):
    model.zero_grad()
    meta_loss(
        model, tasks, F.mse_loss, inner_lr=inner_lr, steps=steps, first_order=first_order
    ).backward()
    return [p.grad.clone() for p in model.parameters()]


def test_first_order_equals_second_order_at_zero_inner_lr() -> None:
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(1, 8), nn.Tanh(), nn.Linear(8, 1))
    tasks = linear_tasks(3, 5)
    a = _meta_grad(model, tasks, inner_lr=0.0, first_order=True)
    b = _meta_grad(model, tasks, inner_lr=0.0, first_order=False)
    for ga, gb in zip(a, b, strict=True):
        torch.testing.assert_close(ga, gb, rtol=0, atol=0)
    # and they differ once the inner step moves (the Hessian term)
    c = _meta_grad(model, tasks, inner_lr=0.3, first_order=True)
    d = _meta_grad(model, tasks, inner_lr=0.3, first_order=False)
    assert any(not torch.allclose(gc, gd) for gc, gd in zip(c, d, strict=True))


def test_second_order_meta_gradient_matches_finite_differences() -> None:
    model = nn.Linear(1, 1).double()  # two parameters: w and b
    with torch.no_grad():
        model.weight.fill_(0.7)
        model.bias.fill_(-0.2)
    tasks = [tuple(t.double() for t in task) for task in linear_tasks(2, 7)]

    # a nonlinear loss, so that the Hessian depends on the parameters
    def loss(out, y):
        return (out - y).pow(4).mean()

    def value() -> float:
        return float(meta_loss(model, tasks, loss, inner_lr=0.01, steps=2).detach())

    model.zero_grad()
    meta_loss(model, tasks, loss, inner_lr=0.01, steps=2).backward()
    analytic = torch.cat([p.grad.flatten() for p in model.parameters()])
    eps, numeric = 1e-6, []
    for p in model.parameters():
        with torch.no_grad():
            p += eps
        up = value()
        with torch.no_grad():
            p -= 2 * eps
        down = value()
        with torch.no_grad():
            p += eps
        numeric.append((up - down) / (2 * eps))
    torch.testing.assert_close(
        analytic, torch.tensor(numeric, dtype=torch.float64), rtol=1e-6, atol=1e-8
    )
    # the first-order gradient is measurably different here
    model.zero_grad()
    meta_loss(model, tasks, loss, inner_lr=0.01, steps=2, first_order=True).backward()
    fo = torch.cat([p.grad.flatten() for p in model.parameters()])
    assert not torch.allclose(fo, analytic, rtol=1e-3)
