"""torchvision classifiers as staged models, their weights read from disk only.

:func:`load_torchvision` builds torchvision's ``arch``, loads the weights file
of the named weights enum from the torch hub cache (never downloading unless
``download=True``), regroups the network into stages plus a head
(:func:`trainlab.models.staging.stage_module`), and reads the normalization and
class names from the weights' metadata.

Example:
    >>> from trainlab.models.external_torchvision import from_torchvision
    >>> m = from_torchvision("mobilenet_v3_small", weights=None)  # doctest: +SKIP
    >>> m.stage_names[:2]  # doctest: +SKIP
    ['stage1', 'stage2']
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import ModuleType
from typing import Any

import torch
from torch import nn

from trainlab.core.errors import ConfigError
from trainlab.models._staged import StagedModel
from trainlab.models.external_model import ExternalModel, example_input, import_optional
from trainlab.models.external_preprocess import (
    IMAGENET_MEAN,
    IMAGENET_STD,
    normalization_from_weights,
    preprocess_from_stats,
)
from trainlab.models.external_weights import (
    fetch,
    hub_file,
    load_state,
    missing_weights,
    read_weights,
)
from trainlab.models.staging import find_family, stage_module

#: old DenseNet files name layers ``norm.1``; torchvision renames them when loading
_DENSENET_KEY = re.compile(
    r"^(.*denselayer\d+\.(?:norm|relu|conv))\.((?:[12])\.(?:weight|bias|running_mean|running_var))$"
)


def _densenet_keys(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    out = {}
    for key, value in state.items():
        match = _DENSENET_KEY.match(key)
        out[match.group(1) + match.group(2) if match else key] = value
    return out


#: arch prefix → state dict fix that torchvision's own builder applies
_TORCHVISION_KEY_FIXES: dict[str, Callable[[dict], dict]] = {"densenet": _densenet_keys}


def _torchvision_builder(tv: ModuleType, arch: str) -> Callable[..., nn.Module]:
    names = tv.models.list_models(module=tv.models)
    if arch not in names:
        raise ConfigError(
            f"unknown torchvision classification model {arch!r}; e.g. resnet18, resnet50, "
            "mobilenet_v3_small, efficientnet_b0, convnext_tiny "
            "(torchvision.models.list_models(module=torchvision.models) lists them)"
        )
    return tv.models.get_model_builder(arch)


def _torchvision_weights(tv: ModuleType, arch: str, weights: Any) -> Any:
    """The weights enum member ``weights`` names (``DEFAULT``, ``IMAGENET1K_V1``…), or None."""
    if weights is None:
        return None
    enum = tv.models.get_model_weights(arch)
    try:
        return enum.verify(weights)
    except (KeyError, TypeError, ValueError):
        known = ", ".join(["DEFAULT", *(w.name for w in enum)])
        raise ConfigError(
            f"torchvision {arch}: unknown weights {weights!r}; expected one of {known}"
        ) from None


def _torchvision_default(tv: ModuleType, arch: str) -> Any:
    """``arch``'s DEFAULT weights (their metadata describes the input), or None."""
    try:
        return _torchvision_weights(tv, arch, "DEFAULT")
    except (ConfigError, ValueError):
        return None


def torchvision_bare(arch: str, num_classes: int) -> nn.Module:
    """torchvision's ``arch`` with ``num_classes`` outputs and random weights.

    Example:
        >>> torchvision_bare("resnet18", 10).fc.out_features  # doctest: +SKIP
        10
    """
    tv = import_optional("torchvision")
    return _torchvision_builder(tv, arch)(weights=None, num_classes=num_classes)


def load_torchvision(
    arch: str, *, weights: Any = "DEFAULT", download: bool = False
) -> ExternalModel:
    """torchvision's ``arch``, its weights, preprocessing and classes (:func:`from_torchvision`).

    Example:
        >>> ext = load_torchvision("resnet18")  # doctest: +SKIP
        >>> ext.classes[:2], ext.source["weights"]  # doctest: +SKIP
        (['tench', 'goldfish'], 'ResNet18_Weights.IMAGENET1K_V1')
    """
    tv = import_optional("torchvision")
    builder = _torchvision_builder(tv, arch)
    w = _torchvision_weights(tv, arch, weights)
    described = w if w is not None else _torchvision_default(tv, arch)
    source: dict[str, Any] = {"library": "torchvision", "name": arch, "weights": None}
    categories = list(w.meta.get("categories") or []) if w is not None else []
    module = builder(weights=None, **({"num_classes": len(categories)} if categories else {}))
    find_family(module)  # an unsupported family fails before any file is read
    if w is not None:
        path = hub_file(w.url)
        source.update(weights=f"{type(w).__name__}.{w.name}", file=str(path), url=w.url)
        if not path.is_file():
            if not download:
                raise missing_weights(f"torchvision {arch} ({source['weights']})", path)
            fetch(w.url, path)
        state = read_weights(path)
        for prefix, fix in _TORCHVISION_KEY_FIXES.items():
            if arch.startswith(prefix):
                state = fix(state)
        load_state(module, state, path)
    preprocess = (
        normalization_from_weights(described)
        if described is not None
        else preprocess_from_stats(IMAGENET_MEAN, IMAGENET_STD, 224)
    )
    in_shape = preprocess["pipeline"]["input_shape"]
    config = {"name": "torchvision", "arch": arch, "in_shape": in_shape}
    model = stage_module(module, config=config, example=example_input(in_shape))
    n = int(model.config["num_classes"])
    classes = categories if len(categories) == n else [f"class_{i}" for i in range(n)]
    return ExternalModel(model, preprocess, classes, source)


def from_torchvision(arch: str, *, weights: Any = "DEFAULT", download: bool = False) -> StagedModel:
    """torchvision's classifier ``arch`` as a :class:`StagedModel`, its weights read from disk.

    Weights live where torchvision keeps them, ``torch.hub.get_dir()/checkpoints``
    (``$TORCH_HOME/hub/checkpoints``), under the name of their URL.

    Args:
        arch: a torchvision classification model (``resnet18``, ``mobilenet_v3_small``…).
        weights: ``"DEFAULT"``, a weights name (``"IMAGENET1K_V2"``), an enum member, or
            None for random initialization.
        download: fetch missing weights (otherwise a missing file is an error).

    Returns:
        The staged model; its ``config`` is ``{"name": "torchvision", "arch", "in_shape",
        "num_classes", "family"}``.

    Raises:
        ConfigError: torchvision is missing, ``arch`` or ``weights`` is unknown, or the
            family is not supported.
        CheckpointError: the weights file is missing (and ``download`` is False) or unreadable.

    Example:
        >>> m = from_torchvision("mobilenet_v3_small", weights=None)  # doctest: +SKIP
        >>> m.config["in_shape"], m.stage_names[:2]  # doctest: +SKIP
        ([3, 224, 224], ['stage1', 'stage2'])
    """
    return load_torchvision(arch, weights=weights, download=download).model
