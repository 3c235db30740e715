"""MAML: model-agnostic meta-learning (Finn et al., 2017, "Model-Agnostic Meta-Learning
for Fast Adaptation of Deep Networks").

For a task with support set S and query set Q, the inner loop adapts the
parameters θ by a few gradient steps on the support loss,
``θ' = θ - α ∇_θ L_S(θ)``, and the outer (meta) loss is the query loss of the
adapted parameters, ``L_Q(θ')``, averaged over a batch of tasks and minimised
over θ. Its gradient flows through the inner steps (second order: Hessian-vector
products of ``L_S``); ``first_order=True`` treats the inner gradients as
constants (first-order MAML, FOMAML), so ``∇_θ L_Q(θ') ≈ ∇_θ' L_Q(θ')``.

The model is called functionally with :func:`torch.func.functional_call`, so
any ``nn.Module`` serves and its own parameters are never overwritten by the
inner loop; buffers (batch-norm statistics) are the module's own.

Example:
    >>> import torch
    >>> from torch import nn
    >>> from trainlab.engine.meta.maml import adapt, meta_loss
    >>> model = nn.Linear(1, 1)
    >>> x = torch.linspace(-1, 1, 8).unsqueeze(1)
    >>> task = (x, 3 * x, x, 3 * x)
    >>> before = meta_loss(model, [task], nn.functional.mse_loss, inner_lr=0.0)
    >>> after = meta_loss(model, [task], nn.functional.mse_loss, inner_lr=0.5, steps=3)
    >>> bool(after < before)
    True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
from torch import nn
from torch.func import functional_call

#: a task: support inputs, support targets, query inputs, query targets
Task = tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]
LossFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def parameters_of(model: nn.Module) -> dict[str, torch.Tensor]:
    """The trainable parameters of ``model`` by name (the θ of the inner loop)."""
    return {n: p for n, p in model.named_parameters() if p.requires_grad}


def adapt(
    model: nn.Module,
    params: dict[str, torch.Tensor],
    x: torch.Tensor,
    y: torch.Tensor,
    loss_fn: LossFn,
    *,
    inner_lr: float,
    steps: int = 1,
    first_order: bool = False,
) -> dict[str, torch.Tensor]:
    """The parameters after ``steps`` inner gradient steps on the support set ``(x, y)``.

    With ``first_order=False`` the graph of the inner gradients is kept, so the
    result is differentiable to second order in ``params``; with ``True`` the
    inner gradients are detached.
    """
    names = list(params)
    for _ in range(steps):
        loss = loss_fn(functional_call(model, params, (x,)), y)
        grads = torch.autograd.grad(
            loss, [params[n] for n in names], create_graph=not first_order, allow_unused=True
        )
        params = {
            n: params[n] if g is None else params[n] - inner_lr * (g.detach() if first_order else g)
            for n, g in zip(names, grads, strict=True)
        }
    return params


def meta_loss(
    model: nn.Module,
    tasks: Sequence[Task],
    loss_fn: LossFn,
    *,
    inner_lr: float,
    steps: int = 1,
    first_order: bool = False,
) -> torch.Tensor:
    """The mean query loss of ``tasks``, ``model`` adapted to each support set in turn."""
    theta = parameters_of(model)
    losses = []
    for xs, ys, xq, yq in tasks:
        fast = adapt(
            model, theta, xs, ys, loss_fn, inner_lr=inner_lr, steps=steps, first_order=first_order
        )
        losses.append(loss_fn(functional_call(model, fast, (xq,)), yq))
    return torch.stack(losses).mean()


@dataclass(frozen=True)
class MetaStep:
    """The meta-loss of one outer step (mean query loss after adaptation)."""

    loss: float


def maml_step(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    tasks: Sequence[Task],
    loss_fn: LossFn,
    *,
    inner_lr: float,
    steps: int = 1,
    first_order: bool = False,
) -> MetaStep:
    """One outer step of MAML: adapt to each task's support set, descend the query loss."""
    model.train()
    loss = meta_loss(model, tasks, loss_fn, inner_lr=inner_lr, steps=steps, first_order=first_order)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return MetaStep(float(loss.detach()))
