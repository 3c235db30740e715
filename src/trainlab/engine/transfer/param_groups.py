"""Optimizer parameter groups named after the model's stages.

One group per stage plus the head, each with its own learning rate, so
differential learning rates are plain data and every group's rate can be
logged by name. The head's group comes first, so the history's ``lr`` column
is the head's rate. Frozen stages stay in the optimizer (their gradients are
``None``, so it skips them), which lets gradual unfreezing thaw a stage
without rebuilding the optimizer or losing its state.

Example:
    >>> from trainlab.models import MLP
    >>> from trainlab.engine.transfer.param_groups import stage_param_groups
    >>> groups = stage_param_groups(MLP((4,), 3, widths=[8, 8]), 0.1, {"stage1": 0.01})
    >>> [(g["name"], g["lr"]) for g in groups]
    [('head', 0.1), ('stage1', 0.01), ('stage2', 0.1)]
"""

from __future__ import annotations

from typing import Any

from trainlab.models import StagedModel


def stage_param_groups(
    model: StagedModel, base_lr: float, lrs: dict[str, float] | None = None
) -> list[dict[str, Any]]:
    """Groups ``head``, ``stage1``, … with their learning rates (default ``base_lr``)."""
    lrs = lrs or {}
    groups = [{"name": "head", "params": list(model.head.parameters()), "lr": base_lr}]
    for name in model.stage_names:
        params = list(model.stage(name).parameters())
        if params:
            groups.append({"name": name, "params": params, "lr": float(lrs.get(name, base_lr))})
    return groups
