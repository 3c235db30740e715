"""Cross-stitch units: learned linear mixes of the tasks' activations.

Misra, Shrivastava, Gupta and Hebert, *Cross-stitch Networks for Multi-task
Learning*, CVPR 2016. Between the layers of one network per task, a unit with
a learned T × T matrix α replaces each task's activation by a mix of all of
them, at every position:

    x'_a = Σ_b α_ab x_b

so the networks learn how much to share, from separate (α = I) to one shared
representation (every row of α equal). The paper initializes α with α_S on the
diagonal and α_D off it, α_S + α_D = 1, and finds (α_S, α_D) = (0.9, 0.1) best
among its choices; for T tasks :func:`cross_stitch_init` puts ``same`` (0.9) on
the diagonal and (1 − same)/(T − 1) off it, so every row sums to 1. One scalar
per pair of tasks (the paper's units are per layer; per channel is a variant).

Example:
    >>> import torch
    >>> from trainlab.models.cross_stitch import CrossStitch
    >>> unit = CrossStitch(["a", "b"])
    >>> unit.alpha
    Parameter containing:
    tensor([[0.9000, 0.1000],
            [0.1000, 0.9000]], requires_grad=True)
    >>> out = unit({"a": torch.ones(1, 3), "b": torch.zeros(1, 3)})
    >>> out["a"].detach(), out["b"].detach()
    (tensor([[0.9000, 0.9000, 0.9000]]), tensor([[0.1000, 0.1000, 0.1000]]))
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import torch
from torch import nn

from trainlab.core.errors import ConfigError

#: α_S of Misra et al.'s best initialization (0.9 on the diagonal)
SAME = 0.9


def cross_stitch_init(tasks: int, same: float = SAME) -> torch.Tensor:
    """The T × T starting α: ``same`` on the diagonal, (1 − same)/(T − 1) off it.

    One task gets [[1]] (nothing to mix with).

    Example:
        >>> from trainlab.models.cross_stitch import cross_stitch_init
        >>> cross_stitch_init(3).sum(dim=1)
        tensor([1., 1., 1.])
    """
    if not (isinstance(tasks, int) and tasks >= 1):
        raise ConfigError(f"cross-stitch: expected at least one task, got {tasks!r}")
    if not (isinstance(same, (int, float)) and math.isfinite(same) and 0.0 <= same <= 1.0):
        raise ConfigError(f"cross-stitch: expected 0 ≤ same ≤ 1 on α's diagonal, got {same!r}")
    if tasks == 1:
        return torch.ones(1, 1)
    alpha = torch.full((tasks, tasks), (1.0 - same) / (tasks - 1))
    alpha.fill_diagonal_(float(same))
    return alpha


class CrossStitch(nn.Module):
    """A cross-stitch unit over the activations of ``tasks``: x'_a = Σ_b α_ab x_b.

    Args:
        tasks: the task names, in the order of α's rows and columns.
        same: α's starting diagonal (see :func:`cross_stitch_init`).
    """

    def __init__(self, tasks: Sequence[str], same: float = SAME) -> None:
        super().__init__()
        self.tasks = list(tasks)
        self.alpha = nn.Parameter(cross_stitch_init(len(self.tasks), same))

    def forward(self, xs: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        stacked = torch.stack([xs[name] for name in self.tasks])  # (T, N, ...)
        mixed = torch.tensordot(self.alpha.to(stacked.dtype), stacked, dims=1)
        return dict(zip(self.tasks, mixed.unbind(0), strict=True))

    def extra_repr(self) -> str:
        return f"tasks={self.tasks}"
