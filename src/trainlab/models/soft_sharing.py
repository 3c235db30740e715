"""Soft parameter sharing: one network per task, tied by a penalty on their distance.

Duong, Cohn, Bird and Cook, *Low Resource Dependency Parsing: Cross-lingual
Parameter Sharing in a Neural Network Parser*, ACL 2015; Ruder, *An Overview
of Multi-Task Learning in Deep Neural Networks*, 2017. Every task has its own
network of the same architecture; training adds

    λ · Σ_{a<b} Σ_k ‖θ_a^(k) − θ_b^(k)‖²

over every pair of tasks a < b and every corresponding parameter θ^(k) of the
stages (the heads are the tasks' own and are not tied), so the networks may
differ where the tasks need it and stay close elsewhere. The engine's
``SoftSharing`` callback adds the term to the loss.

**As a StagedModel.** Stage k is a :class:`TaskStage` holding the k-th stage
of every task's network ({task: tensor} → {task: tensor}; the first stage
gives the input to every copy), so "stage k" still names one stage: freezing
it freezes every task's copy, and per-stage learning rates apply to all
copies. With cross-stitch units (Misra et al., 2016) each stage ends with one
(:mod:`trainlab.models.cross_stitch`), the last one between the last stage
and the heads as after the paper's last fully connected layer; the unit is
part of its stage (frozen with it).

**What the penalty counts**, as the ℓ1 / ℓ2 penalties do
(``trainlab.engine.strategies.penalties``): weights (matrices and kernels)
only, unless ``include_bias`` adds biases and normalization parameters;
neither the heads nor the cross-stitch α; and only parameters that train at
the time of the call (a frozen stage adds nothing, and starts counting when
it thaws). Batch-norm running statistics are buffers, never counted.

Example:
    >>> import torch
    >>> from trainlab.models import MLP
    >>> from trainlab.models.soft_sharing import soft_sharing, soft_sharing_penalty
    >>> _ = torch.manual_seed(0)
    >>> nets = {"digit": MLP((4,), 10, widths=[8]), "parity": MLP((4,), 2, widths=[8])}
    >>> m = soft_sharing(nets)
    >>> m.stage_names, {k: tuple(v.shape) for k, v in m(torch.zeros(3, 4)).items()}
    (['stage1'], {'digit': (3, 10), 'parity': (3, 2)})
    >>> d = m.stage("stage1").copies
    >>> want = (d["digit"][1].weight - d["parity"][1].weight).pow(2).sum()
    >>> torch.allclose(soft_sharing_penalty(m), want)
    True
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
from torch import nn

from trainlab.core.errors import ConfigError
from trainlab.models._staged import StagedModel
from trainlab.models.cross_stitch import CrossStitch
from trainlab.models.heads import MultiHead, check_outputs, last_linear


class TaskStage(nn.Module):
    """One stage of every task's network: {task: x} → {task: stage_task(x)}.

    Args:
        copies: task name → that task's copy of the stage, in task order.
        stitch: a cross-stitch unit applied to the copies' outputs, or None.
    """

    def __init__(self, copies: Mapping[str, nn.Module], stitch: CrossStitch | None = None) -> None:
        super().__init__()
        check_outputs({name: 1 for name in copies})
        self.copies = nn.ModuleDict(copies)
        self.stitch = stitch

    @property
    def tasks(self) -> list[str]:
        """The task names, in order."""
        return list(self.copies.keys())

    def forward(self, x: torch.Tensor | Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        if isinstance(x, Mapping):
            out = {name: stage(x[name]) for name, stage in self.copies.items()}
        else:
            out = {name: stage(x) for name, stage in self.copies.items()}
        return self.stitch(out) if self.stitch is not None else out


def soft_sharing(nets: Mapping[str, StagedModel], cross_stitch: bool = False) -> StagedModel:
    """One model of the per-task networks ``nets`` (same architecture), stage by stage.

    ``nets`` maps each task, in order (the main task first), to its own
    single-task network, whose output size is that task's; the networks give
    their modules to the new model. Its config is the first network's, without
    ``num_classes``, plus ``outputs``, ``sharing: soft`` and ``cross_stitch``.

    Raises:
        ConfigError: fewer than two tasks, or networks with different stages.
    """
    if len(nets) < 2:
        raise ConfigError(
            f"model: soft sharing ties one network per task; expected at least 2 tasks, "
            f"got {len(nets)}"
        )
    first = next(iter(nets.values()))
    names = first.stage_names
    for task, net in nets.items():
        if net.stage_names != names:
            raise ConfigError(
                f"model: task {task!r}'s network has stages {net.stage_names}, "
                f"expected the same as the others' {names}"
            )
    outputs = check_outputs({t: last_linear(n.head)[1].out_features for t, n in nets.items()})
    stages = []
    for name in names:
        stitch = CrossStitch(list(nets)) if cross_stitch else None
        stages.append((name, TaskStage({t: n.stage(name) for t, n in nets.items()}, stitch)))
    head = MultiHead({t: n.head for t, n in nets.items()})
    config = {k: v for k, v in first.config.items() if k != "num_classes"}
    config.update(outputs=outputs, sharing="soft", cross_stitch=bool(cross_stitch))
    return StagedModel(stages, head, config)


def paired_parameters(
    model: StagedModel, *, include_bias: bool = False
) -> list[tuple[nn.Parameter, nn.Parameter]]:
    """Every (θ_a, θ_b) of corresponding stage parameters of tasks a < b.

    Weights only unless ``include_bias`` (biases, normalization parameters);
    heads and cross-stitch units are not paired. Frozen or not, every pair is
    listed; :func:`penalty_of_pairs` skips those that do not train.

    Raises:
        ConfigError: ``model`` has no soft-sharing stage.
    """
    stages = [model.stage(n) for n in model.stage_names]
    shared = [s for s in stages if isinstance(s, TaskStage)]
    if not shared:
        raise ConfigError(
            "soft sharing: the model has no per-task copies of its stages; "
            "expected a model built with sharing: soft"
        )
    pairs = []
    for stage in shared:
        params = [dict(copy.named_parameters()) for copy in stage.copies.values()]
        for a in range(len(params)):
            for b in range(a + 1, len(params)):
                for key, pa in params[a].items():
                    if include_bias or pa.ndim > 1:
                        pairs.append((pa, params[b][key]))
    return pairs


def penalty_of_pairs(pairs: list[tuple[nn.Parameter, nn.Parameter]]) -> torch.Tensor:
    """Σ ‖θ_a − θ_b‖² over the ``pairs`` of which at least one parameter trains."""
    total = torch.zeros((), device=pairs[0][0].device if pairs else "cpu")
    for pa, pb in pairs:
        if pa.requires_grad or pb.requires_grad:
            total = total + (pa - pb).pow(2).sum()
    return total


def soft_sharing_penalty(model: StagedModel, *, include_bias: bool = False) -> torch.Tensor:
    """Σ_{a<b} Σ_k ‖θ_a^(k) − θ_b^(k)‖² over the stages of a soft-sharing ``model``.

    Example:
        >>> from trainlab.config.recipe import ModelConfig
        >>> from trainlab.models.multitask import build_multitask_model
        >>> cfg = ModelConfig(name="mlp", widths=[8])
        >>> m = build_multitask_model(cfg, (4,), {"a": 2, "b": 2}, sharing="soft")
        >>> copies = m.stage("stage1").copies
        >>> copies["b"].load_state_dict(copies["a"].state_dict())
        <All keys matched successfully>
        >>> soft_sharing_penalty(m).item()
        0.0
    """
    return penalty_of_pairs(paired_parameters(model, include_bias=include_bias))
