"""Other people's image models (torchvision, timm) as trainlab model checkpoints.

The lecture's transfer slides start from a network someone else trained on a
large data set, and warn: check carefully the normalization the original model
used. The parts:

- :mod:`~trainlab.models.external_torchvision` and
  :mod:`~trainlab.models.external_timm` build a torchvision or timm classifier
  with its weights read from disk only - the torch hub cache
  (``torch.hub.get_dir()/checkpoints``) for torchvision, the Hugging Face (or
  torch hub) cache for timm - and never download unless asked
  (``download=True``), then regroup it into stages plus a head with
  :func:`trainlab.models.staging.stage_module`;
- :mod:`~trainlab.models.external_preprocess` reads the normalization the
  weights were trained with (mean, standard deviation, input size) from the
  weights' own metadata, as the checkpoint ``preprocess`` entry trainlab's own
  models carry;
- :mod:`~trainlab.models.external_weights` reads foreign weight files without
  running pickled code (safetensors, or ``torch.load`` with ``weights_only=True``);
- this module names the libraries (:data:`LIBRARIES`): :func:`load_external`
  loads a model a source string names, for
  :func:`trainlab.workflows.model_import.import_model` to write a trainlab
  checkpoint that can be a transfer source, and
  :func:`model_from_external_config` rebuilds it
  (:func:`trainlab.models.model_from_config` calls it).

torchvision and timm are optional: they are imported inside the functions that
need them, and a missing package is a one-line error.

Example:
    >>> from trainlab.models.external import LIBRARIES
    >>> [lib.syntax for lib in LIBRARIES.values()]
    ['torchvision:ARCH[:WEIGHTS]', 'timm:NAME']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from torch import nn

from trainlab.core.errors import CheckpointError, ConfigError
from trainlab.models._staged import StagedModel
from trainlab.models.external_model import ExternalModel
from trainlab.models.external_preprocess import (
    IMAGENET_MEAN,
    IMAGENET_STD,
    normalization_from_weights,
    preprocess_from_stats,
)
from trainlab.models.external_timm import from_timm, load_timm, timm_bare
from trainlab.models.external_torchvision import (
    from_torchvision,
    load_torchvision,
    torchvision_bare,
)
from trainlab.models.staging import stage_module

__all__ = [
    "IMAGENET_MEAN",
    "IMAGENET_STD",
    "LIBRARIES",
    "ExternalModel",
    "from_timm",
    "from_torchvision",
    "load_external",
    "load_timm",
    "load_torchvision",
    "model_from_external_config",
    "normalization_from_weights",
    "preprocess_from_stats",
]


@dataclass(frozen=True)
class _Library:
    load: Callable[[str, bool], ExternalModel]
    bare: Callable[[str, int], nn.Module]
    syntax: str


def _load_torchvision_source(name: str, download: bool) -> ExternalModel:
    arch, _, weights = name.partition(":")
    return load_torchvision(arch, weights=weights or "DEFAULT", download=download)


#: ``import_model`` source prefix → how to load it, and how to rebuild it without weights
LIBRARIES: dict[str, _Library] = {
    "torchvision": _Library(
        _load_torchvision_source, torchvision_bare, "torchvision:ARCH[:WEIGHTS]"
    ),
    "timm": _Library(
        lambda name, download: load_timm(name, download=download), timm_bare, "timm:NAME"
    ),
}


def load_external(source: str, *, download: bool = False) -> ExternalModel:
    """The pretrained model ``source`` names: ``torchvision:ARCH[:WEIGHTS]`` or ``timm:NAME``.

    Example:
        >>> try:
        ...     load_external("keras:resnet50")
        ... except ValueError as e:
        ...     print(e)
        model source 'keras:resnet50': expected torchvision:ARCH[:WEIGHTS] or timm:NAME
    """
    library, _, name = source.partition(":")
    lib = LIBRARIES.get(library.strip().lower())
    if lib is None or not name.strip():
        expected = " or ".join(lib.syntax for lib in LIBRARIES.values())
        raise ConfigError(f"model source {source!r}: expected {expected}")
    return lib.load(name.strip(), download)


def model_from_external_config(config: Mapping[str, Any]) -> StagedModel:
    """Rebuild an imported model from its ``config``, without weights (``load_model`` loads them).

    Example:
        >>> cfg = {"name": "torchvision", "arch": "resnet18", "in_shape": [3, 224, 224],
        ...        "num_classes": 1000, "family": "resnet"}
        >>> model_from_external_config(cfg).stage_names  # doctest: +SKIP
        ['stem', 'layer1', 'layer2', 'layer3', 'layer4']
    """
    lib = LIBRARIES.get(str(config.get("name")))
    if lib is None:
        raise CheckpointError(f"model config names {config.get('name')!r}, not torchvision or timm")
    try:
        arch, num_classes = str(config["arch"]), int(config["num_classes"])
    except (KeyError, TypeError, ValueError):
        raise CheckpointError(
            f"{config.get('name')} model config: expected arch and num_classes, "
            f"got {sorted(config)}"
        ) from None
    return stage_module(lib.bare(arch, num_classes), config=config)
