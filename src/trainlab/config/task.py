"""The recipe's ``task`` and ``multitask`` sections: what is learned, and how tasks share.

Example:
    >>> from trainlab.config.task import MultitaskConfig, TaskConfig
    >>> TaskConfig(targets=["digit", "parity"]).type, MultitaskConfig().sharing
    ('auto', 'hard')
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field, field_validator

from trainlab.config.section import Section


class TaskConfig(Section):
    """What is learned: which targets of the data, as what kind of task, with which loss."""

    #: auto: from the data's targets (several targets: multitask)
    type: Literal["auto", "classification", "regression", "multitask"] = "auto"
    #: the data's targets to learn, the main one first (None: the data's main target)
    targets: list[str] | None = Field(default=None, min_length=1)
    #: the target a run is judged by (early stopping, verdict, studies); default the first
    main: str | None = None
    #: auto: cross-entropy for classes, mse for values; or mse, mae, huber (regression)
    loss: Literal["auto", "cross-entropy", "mse", "mae", "huber"] = "auto"
    #: Huber's δ, in standardized target units
    huber_delta: float = Field(default=1.0, gt=0.0)
    #: regression: learn standardized targets (mean and std of the training split)
    standardize: bool = True

    @field_validator("targets")
    @classmethod
    def _distinct_targets(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError(f"targets repeat: {value}")
        return value


class MultitaskConfig(Section):
    """Multitask learning: how the tasks share the network and weigh their losses.

    The lecture's "aprendizaje multitarea": hard sharing (shared stages, one
    head per task; Caruana, 1997) or soft sharing (one network per task, tied by
    λ·Σ‖θ_a − θ_b‖²; Duong et al., 2015), optionally with cross-stitch units
    (Misra et al., 2016); fixed task weights or uncertainty weighting (Kendall
    et al., 2018).
    """

    sharing: Literal["hard", "soft"] = "hard"
    #: fixed weights, or weights learned from each task's uncertainty
    weighting: Literal["fixed", "uncertainty"] = "fixed"
    #: a fixed weight ≥ 0 per task (default 1)
    weights: dict[str, float] = Field(default_factory=dict)
    #: soft sharing: λ of λ·Σ‖θ_a − θ_b‖² between the tasks' corresponding parameters
    soft_penalty: float = Field(default=1e-3, ge=0.0)
    #: soft sharing: learned cross-stitch units between stages
    cross_stitch: bool = False

    @field_validator("weights")
    @classmethod
    def _weights(cls, value: dict[str, float]) -> dict[str, float]:
        for name, w in value.items():
            if not (w >= 0 and math.isfinite(w)):
                raise ValueError(
                    f"the weight of task {name!r} must be a finite number ≥ 0, got {w}"
                )
        return value
