"""Multitask models from a recipe's ``model`` section: hard or soft parameter sharing.

The lecture's multitask learning (*aprendizaje de multitarea*: two or more
tasks learned at once) in its two forms:

- ``sharing="hard"`` (*compartición dura*; Caruana, 1997): the architecture's
  stages shared, one head per task (:mod:`trainlab.models.hard_sharing`);
- ``sharing="soft"`` (*compartición suave*; Duong et al., 2015): one network
  per task, tied by λ·Σ‖θ_a − θ_b‖² (:mod:`trainlab.models.soft_sharing`),
  optionally mixed by cross-stitch units (Misra et al., 2016;
  :mod:`trainlab.models.cross_stitch`).

Either way the model is a :class:`~trainlab.models.StagedModel` whose output
is ``{task name: (N, size)}``, in the order of ``outputs`` (the main task
first), and whose ``config`` adds ``outputs``, ``sharing`` and
``cross_stitch`` to the architecture's (without ``num_classes``), so
:func:`trainlab.models.model_from_config` rebuilds it.

The networks are built in task order by the registered architecture, the main
task's first, so the main task's network (stages and head) is the single-task
model of the same seed; soft sharing's other networks start from their own
draws (independent networks, as in Duong et al.).

Example:
    >>> import torch
    >>> from trainlab.config.recipe import ModelConfig
    >>> from trainlab.models.multitask import build_multitask_model
    >>> cfg = ModelConfig(name="cnn", widths=[4, 8])
    >>> m = build_multitask_model(cfg, (1, 8, 8), {"digit": 10, "parity": 2}, sharing="soft")
    >>> m.stage_names, {k: tuple(v.shape) for k, v in m(torch.zeros(2, 1, 8, 8)).items()}
    (['stage1', 'stage2'], {'digit': (2, 10), 'parity': (2, 2)})
    >>> m.config["outputs"], m.config["sharing"], m.config["cross_stitch"]
    ({'digit': 10, 'parity': 2}, 'soft', False)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from trainlab.config.recipe import ModelConfig
from trainlab.core.errors import ConfigError
from trainlab.models._staged import StagedModel
from trainlab.models.hard_sharing import hard_sharing
from trainlab.models.heads import check_outputs
from trainlab.models.registry import MODELS
from trainlab.models.soft_sharing import soft_sharing

#: the ways tasks share parameters
SHARINGS = ("hard", "soft")


def build_multitask_model(
    cfg: ModelConfig,
    in_shape: Sequence[int],
    outputs: Mapping[str, int],
    sharing: Literal["hard", "soft"] = "hard",
    cross_stitch: bool = False,
) -> StagedModel:
    """The architecture ``cfg.name`` with one output per task of ``outputs``.

    Args:
        cfg: the recipe's ``model`` section (a registered architecture).
        in_shape: shape of one example.
        outputs: task name → output size (classes, or 1 for a regression), the
            main task first.
        sharing: ``"hard"`` (shared stages) or ``"soft"`` (one network per task).
        cross_stitch: add cross-stitch units (soft sharing only).

    Raises:
        ConfigError: an unknown sharing, cross-stitch without soft sharing, bad
            task names or sizes, soft sharing of fewer than two tasks.
    """
    if sharing not in SHARINGS:
        raise ConfigError(f"model: unknown sharing {sharing!r}; expected one of hard, soft")
    if cross_stitch and sharing != "soft":
        raise ConfigError(
            "model: cross-stitch units mix one network per task; expected sharing: soft"
        )
    outputs = check_outputs(outputs)
    build = MODELS.get(cfg.name)
    shape = tuple(in_shape)
    if sharing == "hard":
        return hard_sharing(build(cfg, shape, next(iter(outputs.values()))), outputs)
    nets = {name: build(cfg, shape, size) for name, size in outputs.items()}
    return soft_sharing(nets, cross_stitch=cross_stitch)
