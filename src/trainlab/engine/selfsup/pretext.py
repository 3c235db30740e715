"""Pretext tasks: what a network learns from inputs without labels, by name.

A pretext task gives the network's features a head of its own and a loss on
unlabelled inputs; after pretraining the head is dropped and the stages are
what transfers (:func:`~trainlab.engine.selfsup.trainer.pretrain_stages`).

====================  ==========================================  ======================
name                  learns to                                   fits
====================  ==========================================  ======================
``rotation``          tell 0/90/180/270° turns apart (Gidaris      images, spectrograms
                      et al., 2018)
``simclr``            match two views of an input (Chen et al.,   any numeric input
                      2020)
``masked``            rebuild hidden blocks of time               signals, spectrograms
====================  ==========================================  ======================

Example:
    >>> from trainlab.engine.selfsup.pretext import build_pretext
    >>> p = build_pretext("rotation")
    >>> p.fits("image", (1, 28, 28)) is None
    True
    >>> p.fits("tabular", (13,)).split("; ")[1]
    'the tabular inputs are (13,)'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from trainlab.core.errors import ConfigError
from trainlab.core.registry import Registry
from trainlab.engine.selfsup.contrastive import ProjectionHead, nt_xent
from trainlab.engine.selfsup.masked import Decoder, mask_blocks, masked_mse
from trainlab.engine.selfsup.rotation import rotations, turns

Embed = Callable[[torch.Tensor], torch.Tensor]
Views = Callable[[torch.Tensor, torch.Generator], torch.Tensor]


@dataclass(frozen=True)
class PretextLoss:
    """A batch's pretext loss, and how many of its pretext answers were right (or None)."""

    loss: torch.Tensor
    correct: int | None = None
    answers: int = 0


def _shown(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


class Pretext:
    """One pretext task. ``first_stage``: it works on the first stage's inputs (after an
    audio front end: spectrograms), rather than on the model's own inputs."""

    name = ""
    first_stage = True

    def fits(self, modality: str, shape: tuple[int, ...]) -> str | None:
        """None when the task fits inputs of ``modality`` whose first stage sees ``shape``;
        else why not, in words."""
        raise NotImplementedError

    def head(self, features: int, shape: tuple[int, ...]) -> nn.Module:
        """The task's own head on ``features``-wide features of ``shape`` inputs."""
        raise NotImplementedError

    def loss(
        self, embed: Embed, head: nn.Module, x: torch.Tensor, generator: torch.Generator
    ) -> PretextLoss:
        raise NotImplementedError


class Rotation(Pretext):
    """Predict the rotation of every image (4 ways; 2 for a non-square spectrogram)."""

    name = "rotation"

    def fits(self, modality: str, shape: tuple[int, ...]) -> str | None:
        if modality in ("image", "audio") and len(shape) == 3:
            return None
        return (
            "rotation prediction turns images or spectrograms, inputs of shape (C, H, W); "
            f"the {modality} inputs are {_shown(shape)}"
        )

    def head(self, features: int, shape: tuple[int, ...]) -> nn.Module:
        return nn.Linear(features, turns(shape))

    def loss(self, embed, head, x, generator) -> PretextLoss:
        turned, labels = rotations(x)
        logits = head(embed(turned))
        correct = int((logits.argmax(1) == labels).sum())
        return PretextLoss(F.cross_entropy(logits, labels), correct, len(labels))


class SimCLR(Pretext):
    """Two views of every input drawn by ``views``; NT-Xent on their projections."""

    name = "simclr"
    first_stage = False  # the views are drawn on the model's inputs (waveforms, images)

    def __init__(self, temperature: float = 0.5, views: Views | None = None) -> None:
        self.temperature = temperature
        self.views = views

    def fits(self, modality: str, shape: tuple[int, ...]) -> str | None:
        if modality == "text":
            return "SimCLR compares views of numeric inputs; text inputs are token ids"
        return None

    def head(self, features: int, shape: tuple[int, ...]) -> nn.Module:
        return ProjectionHead(features)

    def loss(self, embed, head, x, generator) -> PretextLoss:
        if self.views is None:
            raise ConfigError("simclr needs the augmentations that draw its two views")
        z1 = head(embed(self.views(x, generator)))
        z2 = head(embed(self.views(x, generator)))
        return PretextLoss(nt_xent(z1, z2, self.temperature))


class Masked(Pretext):
    """Zero blocks of time and rebuild the input; MSE on the hidden steps."""

    name = "masked"

    def __init__(self, ratio: float = 0.5, block: int = 8) -> None:
        self.ratio = ratio
        self.block = block

    def fits(self, modality: str, shape: tuple[int, ...]) -> str | None:
        if modality in ("signal", "audio"):
            return None
        return (
            "masked reconstruction hides blocks of time of signals or spectrograms; "
            f"the data are {modality}"
        )

    def head(self, features: int, shape: tuple[int, ...]) -> nn.Module:
        return Decoder(features, shape)

    def loss(self, embed, head, x, generator) -> PretextLoss:
        hidden, mask = mask_blocks(x, self.ratio, generator, self.block)
        return PretextLoss(masked_mse(head(embed(hidden)), x, mask))


#: the pretext tasks, by ``pretrain.method``
PRETEXTS: Registry[type[Pretext]] = Registry(
    "pretext task", {"rotation": Rotation, "simclr": SimCLR, "masked": Masked}
)

#: each task's options, by the names :func:`build_pretext` takes
_OPTIONS = {"rotation": (), "simclr": ("temperature", "views"), "masked": ("ratio", "block")}


def build_pretext(name: str, **options: Any) -> Pretext:
    """The pretext task ``name`` with the options it takes (the others are ignored).

    Raises:
        ConfigError: no such task (the error lists the known ones).
    """
    cls = PRETEXTS.get(name)
    mine = {k: v for k, v in options.items() if k in _OPTIONS[cls.name]}
    return cls(**mine)
