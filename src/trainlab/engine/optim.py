"""Optimizers and learning-rate schedules by name.

Optimizers: ``sgd`` (momentum, Nesterov), ``adam``, ``adamw`` (decoupled
weight decay, Loshchilov & Hutter, 2019). Schedules are multiplicative
factors of the base learning rate evaluated at every optimizer step, so
per-epoch (``step``) and per-step (``cosine``, ``onecycle``; Smith &
Topin, 2019) schedules share one resumable mechanism.

Example:
    >>> import torch
    >>> from trainlab.config.recipe import OptimizerConfig, ScheduleConfig
    >>> from trainlab.engine.optim import build_optimizer, build_scheduler
    >>> opt = build_optimizer([torch.nn.Parameter(torch.zeros(1))], OptimizerConfig(lr=0.1))
    >>> sched = build_scheduler(opt, ScheduleConfig(name="cosine"), steps_per_epoch=10, epochs=2)
    >>> round(opt.param_groups[0]["lr"], 3)
    0.1
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import torch

from trainlab.config.recipe import OptimizerConfig, ScheduleConfig
from trainlab.core.registry import Registry

#: optimizers: name → builder(param_groups, config)
OPTIMIZERS: Registry = Registry("optimizer")
#: learning-rate schedules: name → factor(config, steps_per_epoch, epochs)
SCHEDULES: Registry = Registry("schedule")


@OPTIMIZERS.register("sgd")
def _sgd(params: Iterable, cfg: OptimizerConfig) -> torch.optim.Optimizer:
    """Stochastic gradient descent with (Nesterov) momentum."""
    return torch.optim.SGD(
        params,
        lr=cfg.lr,
        momentum=cfg.momentum,
        nesterov=cfg.nesterov and cfg.momentum > 0,
        weight_decay=cfg.weight_decay,
    )


@OPTIMIZERS.register("adam")
def _adam(params: Iterable, cfg: OptimizerConfig) -> torch.optim.Optimizer:
    """Adam (Kingma & Ba, 2015); weight_decay is a coupled L2 term."""
    return torch.optim.Adam(params, lr=cfg.lr, betas=cfg.betas, weight_decay=cfg.weight_decay)


@OPTIMIZERS.register("adamw")
def _adamw(params: Iterable, cfg: OptimizerConfig) -> torch.optim.Optimizer:
    """AdamW: Adam with decoupled weight decay."""
    return torch.optim.AdamW(params, lr=cfg.lr, betas=cfg.betas, weight_decay=cfg.weight_decay)


def build_optimizer(params: Iterable, cfg: OptimizerConfig) -> torch.optim.Optimizer:
    """The optimizer ``cfg.name`` over ``params`` (tensors or parameter groups)."""
    return OPTIMIZERS.get(cfg.name)(params, cfg)


Factor = Callable[[int], float]


@SCHEDULES.register("constant")
def _constant(cfg: ScheduleConfig, steps_per_epoch: int, epochs: int) -> Factor:
    """The base learning rate throughout."""
    return lambda step: 1.0


@SCHEDULES.register("step")
def _step(cfg: ScheduleConfig, steps_per_epoch: int, epochs: int) -> Factor:
    """Multiply by ``gamma`` every ``step_size`` epochs."""
    return lambda step: cfg.gamma ** ((step // steps_per_epoch) // cfg.step_size)


@SCHEDULES.register("cosine")
def _cosine(cfg: ScheduleConfig, steps_per_epoch: int, epochs: int) -> Factor:
    """Cosine annealing (Loshchilov & Hutter, 2017) down to ``min_lr_ratio``."""
    total = max(1, steps_per_epoch * epochs)
    lo = cfg.min_lr_ratio

    def factor(step: int) -> float:
        t = min(step, total) / total
        return lo + (1 - lo) * 0.5 * (1 + math.cos(math.pi * t))

    return factor


@SCHEDULES.register("onecycle", aliases=("one-cycle",))
def _onecycle(cfg: ScheduleConfig, steps_per_epoch: int, epochs: int) -> Factor:
    """One cycle (Smith & Topin, 2019): cosine warm-up from lr/25, then cosine down to lr/1e4."""
    total = max(2, steps_per_epoch * epochs)
    warm = max(1, int(cfg.pct_start * total))
    start, end = 1 / 25, 1 / 1e4

    def cos_between(a: float, b: float, t: float) -> float:
        return b + (a - b) * 0.5 * (1 + math.cos(math.pi * t))

    def factor(step: int) -> float:
        if step < warm:
            return cos_between(start, 1.0, step / warm)
        return cos_between(1.0, end, min(1.0, (step - warm) / max(1, total - warm)))

    return factor


def build_scheduler(
    optimizer: torch.optim.Optimizer, cfg: ScheduleConfig, *, steps_per_epoch: int, epochs: int
) -> torch.optim.lr_scheduler.LambdaLR:
    """A per-step scheduler: call ``step()`` after every optimizer step."""
    factor = SCHEDULES.get(cfg.name)(cfg, steps_per_epoch, epochs)
    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)
