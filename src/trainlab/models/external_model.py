"""A model from another library, with what its checkpoint needs besides the weights.

torchvision and timm are optional: they are imported inside the functions that
need them (:func:`import_optional`), and a missing package is a one-line error.

Example:
    >>> from trainlab.models.external_model import example_input
    >>> example_input([3, 8, 8]).shape
    torch.Size([1, 3, 8, 8])
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import torch

from trainlab.core.errors import ConfigError
from trainlab.models._staged import StagedModel


@dataclass
class ExternalModel:
    """A wrapped model with what its checkpoint needs besides the weights.

    Attributes:
        model: the staged model, in the training mode its library builds models in.
        preprocess: the checkpoint ``preprocess`` entry (:func:`normalization_from_weights`).
        classes: class names (ImageNet categories when known, else ``class_0``…).
        source: provenance: library, name, weights and the file they came from.
    """

    model: StagedModel
    preprocess: dict[str, Any]
    classes: list[str]
    source: dict[str, Any] = field(default_factory=dict)


def import_optional(package: str) -> ModuleType:
    """Import an optional package, or fail in one line saying how to get it."""
    try:
        return importlib.import_module(package)
    except Exception as exc:  # ImportError, or a build that does not fit this torch
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ConfigError(
            f"{package} cannot be imported ({first}); install it (pip install {package}) "
            f"to use its models"
        ) from None


def example_input(in_shape: Sequence[int]) -> torch.Tensor:
    """A fixed random batch of one (the global random state is left alone)."""
    return torch.randn(1, *in_shape, generator=torch.Generator().manual_seed(0))
