"""The model contract: an ordered list of named stages plus a head.

Every architecture is a :class:`StagedModel`, so "the first n layers" of the
lecture's transfer slide, per-stage learning rates (Singh et al., 2018) and
Yosinski et al.'s (2014) layer-by-layer transfer are defined the same way for
an MLP, a CNN or a 1-D CNN.

Example:
    >>> import torch
    >>> from torch import nn
    >>> from trainlab.models import StagedModel
    >>> m = StagedModel([("stage1", nn.Linear(4, 8)), ("stage2", nn.ReLU())], nn.Linear(8, 3))
    >>> m.stage_names
    ['stage1', 'stage2']
    >>> m(torch.zeros(2, 4)).shape
    torch.Size([2, 3])
    >>> m.set_frozen(["stage1"])
    >>> m.train().stages.stage1.training, m.stages.stage1.weight.requires_grad
    (False, False)
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

import torch
from torch import nn


class StagedModel(nn.Module):
    """A sequence of named stages followed by a classification head.

    Args:
        stages: (name, module) pairs, applied in order.
        head: maps the last stage's output to class logits.
        config: the architecture description saved in checkpoints.
    """

    def __init__(
        self,
        stages: list[tuple[str, nn.Module]],
        head: nn.Module,
        config: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.stages = nn.Sequential(OrderedDict(stages))
        self.head = head
        self.config: dict[str, Any] = dict(config or {})
        self._frozen: list[str] = []
        #: fixed input preprocessing before the first stage (an audio front end), or None
        self.frontend: nn.Module | None = None

    @property
    def stage_names(self) -> list[str]:
        return [name for name, _ in self.stages.named_children()]

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """The output of the last stage, before the head."""
        if self.frontend is not None:
            x = self.frontend(x)
        return self.stages(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.forward_features(x))

    def attach_frontend(self, frontend: nn.Module, config: dict[str, Any]) -> None:
        """Run ``frontend`` on the inputs before the first stage.

        A front end is fixed, fitted preprocessing that belongs with the model
        (an audio model's spectrogram: the model takes waveforms). It is not a
        stage: freezing and per-stage learning rates never see it, and its
        statistics are buffers, saved with the weights; ``config`` (its
        constructor arguments) is kept in the model's config under ``frontend``
        so that a saved model is rebuilt with it.
        """
        self.frontend = frontend
        self.config["frontend"] = dict(config)

    def stage(self, name: str) -> nn.Module:
        return self.stages.get_submodule(name)

    # -- freezing (transfer) ------------------------------------------------------------
    @property
    def frozen_stages(self) -> list[str]:
        """Stages that get no updates (see :meth:`set_frozen`)."""
        return list(self._frozen)

    def set_frozen(self, names: Iterable[str]) -> None:
        """Freeze exactly these stages; every other stage (and the head) trains.

        A frozen stage's parameters get no gradient, and it stays in eval mode
        even while the model trains, so its batch-norm statistics are kept too.
        """
        names = list(names)
        unknown = [n for n in names if n not in self.stage_names]
        if unknown:
            raise ValueError(f"no stage {unknown[0]!r}; stages: {', '.join(self.stage_names)}")
        self._frozen = [n for n in self.stage_names if n in names]
        for name in self.stage_names:
            for p in self.stage(name).parameters():
                p.requires_grad_(name not in names)
        self.train(self.training)

    def train(self, mode: bool = True) -> StagedModel:
        super().train(mode)
        for name in self._frozen:
            self.stage(name).train(False)
        return self
