"""Other people's image models (torchvision, timm) as trainlab model checkpoints.

The lecture's transfer slides start from a network someone else trained on a
large data set, and warn: check carefully the normalization the original model
used. This module

- builds a torchvision or timm classifier with its weights read from disk
  only - the torch hub cache (``torch.hub.get_dir()/checkpoints``) for
  torchvision, the Hugging Face (or torch hub) cache for timm - and never
  downloads unless asked (``download=True``), then regroups it into stages
  plus a head with :func:`trainlab.models.staging.stage_module`
  (:func:`from_torchvision`, :func:`from_timm`);
- reads the normalization the weights were trained with (mean, standard
  deviation, input size) from the weights' own metadata - torchvision's
  weights enums (``weights.transforms()``, ``weights.meta["categories"]``) and
  timm's ``pretrained_cfg`` (Wightman, 2019) - as the checkpoint ``preprocess``
  entry trainlab's own models carry (:func:`normalization_from_weights`);
- writes a trainlab model checkpoint that can be a transfer source
  (:func:`trainlab.workflows.model_import.import_model`);
  :func:`trainlab.models.model_from_config` rebuilds it.

torchvision and timm are optional: they are imported inside the functions that
need them, and a missing package is a one-line error. Foreign weight files are
read without running pickled code (safetensors, or ``torch.load`` with
``weights_only=True``).

Example:
    >>> import numpy as np
    >>> from trainlab.models.external import preprocess_from_stats
    >>> from trainlab.preprocess.pipeline import Preprocessor
    >>> pre = preprocess_from_stats((0.485, 0.456, 0.406), (0.229, 0.224, 0.225), 224)
    >>> pre["image"]
    {'size': [224, 224], 'channels': 3, 'fit': 'squish'}
    >>> black = np.zeros((1, 3, 224, 224), dtype=np.uint8)
    >>> Preprocessor.from_state_dict(pre["pipeline"]).transform(black)[0, :, 0, 0].round(3)
    array([-2.118, -2.036, -1.804], dtype=float32)
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlparse

import torch
from torch import nn

from trainlab.core.errors import CheckpointError, ConfigError
from trainlab.models._staged import StagedModel
from trainlab.models.staging import find_family, stage_module

#: torchvision's ImageNet statistics, for architectures without weight metadata
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


# -- normalization from the weights' metadata ------------------------------------
def preprocess_from_stats(
    mean: Sequence[float],
    std: Sequence[float],
    size: int | Sequence[int],
    *,
    fit: str = "squish",
) -> dict[str, Any]:
    """A checkpoint ``preprocess`` entry for inputs ``(x / 255 - mean) / std`` of ``size``.

    Args:
        mean: per-channel mean of the [0, 1]-scaled pixels.
        std: per-channel standard deviation (positive).
        size: the input size: ``S``, ``(H, W)`` or ``(C, H, W)``.
        fit: how images of another size are brought to it (``pad``, ``crop``, ``squish``).

    Returns:
        ``{"pipeline": Preprocessor state, "image": {"size", "channels", "fit"}}``.

    Example:
        >>> import numpy as np
        >>> from trainlab.preprocess.pipeline import Preprocessor
        >>> pre = preprocess_from_stats([0.5, 0.5, 0.5], [0.25, 0.25, 0.25], 2)
        >>> pre["image"]
        {'size': [2, 2], 'channels': 3, 'fit': 'squish'}
        >>> x = np.full((1, 3, 2, 2), 255, dtype=np.uint8)
        >>> Preprocessor.from_state_dict(pre["pipeline"]).transform(x)[0, :, 0, 0]
        array([2., 2., 2.], dtype=float32)
    """
    mean_ = [float(v) for v in mean]
    std_ = [float(v) for v in std]
    if not mean_ or len(mean_) != len(std_):
        raise ConfigError(
            f"normalization: expected one mean and one std per channel, got {len(mean_)} "
            f"means and {len(std_)} stds"
        )
    if any(not s > 0 for s in std_):
        raise ConfigError(f"normalization: every std must be positive, got {std_}")
    dims = [int(size)] * 2 if isinstance(size, int) else [int(s) for s in size]
    if len(dims) == 1:
        dims = dims * 2
    if len(dims) not in (2, 3) or any(d < 1 for d in dims):
        raise ConfigError(
            f"normalization: expected an input size S, (H, W) or (C, H, W), got {size}"
        )
    h, w = dims[-2:]
    channels = len(mean_)
    normalizer = {
        "name": "standard",
        "per": "channel",
        "shape": [channels, 1, 1],
        "stats": {"mean": mean_, "scale": std_},
    }
    pipeline = {
        "pixel_scale": True,
        "normalizer": normalizer,
        "input_dtype": "uint8",
        "input_shape": [channels, h, w],
        "value_range": [0.0, 1.0],
    }
    return {"pipeline": pipeline, "image": {"size": [h, w], "channels": channels, "fit": fit}}


def normalization_from_weights(weights: Any, *, fit: str = "squish") -> dict[str, Any]:
    """The checkpoint ``preprocess`` entry the weights were trained with.

    Args:
        weights: a torchvision weights enum member (``ResNet18_Weights.IMAGENET1K_V1``:
            ``transforms()`` gives mean, std and the crop size), a timm model, or its
            ``pretrained_cfg`` (a mapping or timm's ``PretrainedCfg``: mean, std,
            ``input_size``).
        fit: how images of another size are brought to the input size.

    Returns:
        See :func:`preprocess_from_stats`.

    Example:
        >>> cfg = {"mean": (0.5, 0.5, 0.5), "std": (0.5, 0.5, 0.5), "input_size": (3, 224, 224)}
        >>> normalization_from_weights(cfg)["image"]
        {'size': [224, 224], 'channels': 3, 'fit': 'squish'}
        >>> from torchvision.models import ResNet18_Weights  # doctest: +SKIP
        >>> pre = normalization_from_weights(ResNet18_Weights.IMAGENET1K_V1)  # doctest: +SKIP
        >>> pre["pipeline"]["normalizer"]["stats"]["mean"]  # doctest: +SKIP
        [0.485, 0.456, 0.406]
    """
    transforms = getattr(weights, "transforms", None)
    if callable(transforms):  # torchvision: ImageClassification(crop_size, resize_size, mean, std)
        t = transforms()
        return preprocess_from_stats(t.mean, t.std, t.crop_size, fit=fit)
    cfg = getattr(weights, "pretrained_cfg", weights)
    if isinstance(cfg, Mapping):
        mean, std, size = cfg.get("mean"), cfg.get("std"), cfg.get("input_size")
    else:
        mean, std, size = (getattr(cfg, k, None) for k in ("mean", "std", "input_size"))
    if mean is None or std is None or size is None:
        raise ConfigError(
            f"normalization: cannot read mean, std and input size from {type(weights).__name__}; "
            "expected torchvision weights, a timm model or its pretrained_cfg"
        )
    return preprocess_from_stats(mean, std, size, fit=fit)


# -- loading: packages, weight files ----------------------------------------------
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


def _import(package: str) -> ModuleType:
    """Import an optional package, or fail in one line saying how to get it."""
    try:
        return importlib.import_module(package)
    except Exception as exc:  # ImportError, or a build that does not fit this torch
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ConfigError(
            f"{package} cannot be imported ({first}); install it (pip install {package}) "
            f"to use its models"
        ) from None


def _example(in_shape: Sequence[int]) -> torch.Tensor:
    """A fixed random batch of one (the global random state is left alone)."""
    return torch.randn(1, *in_shape, generator=torch.Generator().manual_seed(0))


def _missing(what: str, path: Path | str) -> CheckpointError:
    return CheckpointError(
        f"{what}: weights file {path} is not on disk; pass download=True to fetch it"
    )


def _read_weights(path: Path) -> dict[str, torch.Tensor]:
    """A state dict from a safetensors or torch file, without running pickled code."""
    try:
        if path.suffix == ".safetensors":
            from safetensors.torch import load_file

            return load_file(str(path), device="cpu")
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise CheckpointError(
            f"weights {path}: cannot be read as plain tensors ({first[:200]}); trainlab "
            "never runs code from a weights file"
        ) from None
    if isinstance(state, Mapping) and isinstance(state.get("state_dict"), Mapping):
        state = state["state_dict"]
    if not isinstance(state, Mapping):
        raise CheckpointError(f"weights {path}: expected a state dict, got {type(state).__name__}")
    return dict(state)


def _hub_file(url: str) -> Path:
    """Where ``torch.hub.load_state_dict_from_url`` keeps ``url``'s file."""
    return Path(torch.hub.get_dir()) / "checkpoints" / os.path.basename(urlparse(url).path)


def _fetch(url: str, path: Path) -> None:
    """Download ``url`` to ``path``, checking the hash prefix its name carries."""
    path.parent.mkdir(parents=True, exist_ok=True)
    match = torch.hub.HASH_REGEX.search(path.name)
    torch.hub.download_url_to_file(url, str(path), match.group(1) if match else None)


def _load_state(module: nn.Module, state: Mapping[str, torch.Tensor], path: Path) -> None:
    try:
        module.load_state_dict(state)
    except (KeyError, RuntimeError) as exc:
        detail = " ".join(str(exc).split())
        detail = detail if len(detail) <= 300 else detail[:297] + "..."
        raise CheckpointError(
            f"weights {path}: do not fit {type(module).__name__} ({detail})"
        ) from None


# -- torchvision -------------------------------------------------------------------
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


def _torchvision_bare(arch: str, num_classes: int) -> nn.Module:
    tv = _import("torchvision")
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
    tv = _import("torchvision")
    builder = _torchvision_builder(tv, arch)
    w = _torchvision_weights(tv, arch, weights)
    described = w if w is not None else _torchvision_default(tv, arch)
    source: dict[str, Any] = {"library": "torchvision", "name": arch, "weights": None}
    categories = list(w.meta.get("categories") or []) if w is not None else []
    module = builder(weights=None, **({"num_classes": len(categories)} if categories else {}))
    find_family(module)  # an unsupported family fails before any file is read
    if w is not None:
        path = _hub_file(w.url)
        source.update(weights=f"{type(w).__name__}.{w.name}", file=str(path), url=w.url)
        if not path.is_file():
            if not download:
                raise _missing(f"torchvision {arch} ({source['weights']})", path)
            _fetch(w.url, path)
        state = _read_weights(path)
        for prefix, fix in _TORCHVISION_KEY_FIXES.items():
            if arch.startswith(prefix):
                state = fix(state)
        _load_state(module, state, path)
    preprocess = (
        normalization_from_weights(described)
        if described is not None
        else preprocess_from_stats(IMAGENET_MEAN, IMAGENET_STD, 224)
    )
    in_shape = preprocess["pipeline"]["input_shape"]
    config = {"name": "torchvision", "arch": arch, "in_shape": in_shape}
    model = stage_module(module, config=config, example=_example(in_shape))
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


# -- timm ------------------------------------------------------------------------------
def _timm_cfg(timm: ModuleType, name: str) -> Any:
    if not timm.is_model(name):
        raise ConfigError(f"unknown timm model {name!r} (timm.list_models() lists them)")
    return timm.models.get_pretrained_cfg(name)


def _timm_file(cfg: Any) -> tuple[Path | None, Path | str]:
    """The weights file of a timm pretrained config on disk (or None), and where it is expected.

    timm reads the Hugging Face hub first (``model.safetensors``, then
    ``pytorch_model.bin``), then the torch hub cache for configs with a URL.
    """
    expected: Path | str = "nowhere (this model has no pretrained weights)"
    if getattr(cfg, "hf_hub_id", None):
        from huggingface_hub import constants, try_to_load_from_cache

        repo, _, revision = cfg.hf_hub_id.partition("@")
        names = (
            [cfg.hf_hub_filename]
            if cfg.hf_hub_filename
            else ["model.safetensors", "pytorch_model.bin"]
        )
        for name in names:
            found = try_to_load_from_cache(repo, name, revision=revision or None)
            if isinstance(found, str):
                return Path(found), found
        folder = "models--" + repo.replace("/", "--")
        expected = Path(constants.HF_HUB_CACHE) / folder / "snapshots" / "<revision>" / names[0]
    if getattr(cfg, "url", None):
        path = _hub_file(cfg.url)
        if path.is_file():
            return path, path
        if not getattr(cfg, "hf_hub_id", None):
            expected = path
    return None, expected


def _timm_classes(timm: ModuleType, module: nn.Module, n: int) -> list[str]:
    cfg = getattr(module, "pretrained_cfg", None) or {}
    names = list(cfg.get("label_names") or [])
    if len(names) != n:
        try:
            subset = timm.data.infer_imagenet_subset(module)
            names = timm.data.ImageNetInfo(subset).label_descriptions() if subset else []
            names = [d.split(",")[0].strip() for d in names]
        except Exception:  # an older timm without ImageNetInfo
            names = []
    return [str(c) for c in names] if len(names) == n else [f"class_{i}" for i in range(n)]


def _timm_bare(name: str, num_classes: int) -> nn.Module:
    timm = _import("timm")
    _timm_cfg(timm, name)
    return timm.create_model(name, pretrained=False, num_classes=num_classes)


def load_timm(name: str, *, pretrained: bool = True, download: bool = False) -> ExternalModel:
    """timm's ``name`` with its weights, preprocessing and classes (see :func:`from_timm`).

    Example:
        >>> ext = load_timm("resnet18", pretrained=False)  # doctest: +SKIP
        >>> ext.preprocess["image"]  # doctest: +SKIP
        {'size': [224, 224], 'channels': 3, 'fit': 'squish'}
    """
    timm = _import("timm")
    cfg = _timm_cfg(timm, name)
    source: dict[str, Any] = {"library": "timm", "name": name, "weights": None}
    kwargs: dict[str, Any] = {}
    if pretrained:
        if cfg is None:
            raise ConfigError(f"timm {name}: has no pretrained weights; use pretrained=False")
        path, expected = _timm_file(cfg)
        source["weights"] = f"{cfg.architecture}.{cfg.tag}" if cfg.tag else cfg.architecture
        if path is None and not download:
            raise _missing(f"timm {name}", expected)
        if path is None:  # an unsupported family fails before the download
            find_family(timm.create_model(name, pretrained=False))
        kwargs["pretrained"] = True
        if path is not None:
            if path.suffix != ".safetensors":
                _read_weights(path)  # refuse pickled code whatever timm's own torch.load does
            kwargs["pretrained_cfg_overlay"] = {"file": str(path)}
            source["file"] = str(path)
    module = timm.create_model(name, **kwargs)
    preprocess = normalization_from_weights(module)
    in_shape = preprocess["pipeline"]["input_shape"]
    config = {"name": "timm", "arch": name, "in_shape": in_shape}
    model = stage_module(module, config=config, example=_example(in_shape))
    classes = _timm_classes(timm, module, int(model.config["num_classes"]))
    return ExternalModel(model, preprocess, classes, source)


def from_timm(name: str, *, pretrained: bool = True, download: bool = False) -> StagedModel:
    """timm's classifier ``name`` as a :class:`StagedModel`, its weights read from disk.

    Weights are looked up where timm keeps them: the Hugging Face cache
    (``huggingface_hub.constants.HF_HUB_CACHE``) for weights on the hub, else the
    torch hub cache; they are loaded by timm (which adapts them to the model)
    once a pickled file has been checked to hold nothing but tensors.

    Args:
        name: a timm model, optionally with its weights tag (``resnet18.a1_in1k``).
        pretrained: load the pretrained weights (else random initialization).
        download: fetch missing weights (otherwise a missing file is an error).

    Returns:
        The staged model; its ``config`` is ``{"name": "timm", "arch", "in_shape",
        "num_classes", "family"}``.

    Raises:
        ConfigError: timm is missing, ``name`` is unknown, or the family is not supported.
        CheckpointError: the weights file is missing (and ``download`` is False).

    Example:
        >>> m = from_timm("resnet18", pretrained=False)  # doctest: +SKIP
        >>> m.stage_names  # doctest: +SKIP
        ['stem', 'layer1', 'layer2', 'layer3', 'layer4']
    """
    return load_timm(name, pretrained=pretrained, download=download).model


# -- checkpoints ----------------------------------------------------------------------
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
        _load_torchvision_source, _torchvision_bare, "torchvision:ARCH[:WEIGHTS]"
    ),
    "timm": _Library(
        lambda name, download: load_timm(name, download=download), _timm_bare, "timm:NAME"
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
