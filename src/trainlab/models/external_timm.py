"""timm classifiers as staged models, their weights read from disk only.

timm (Wightman, 2019) finds weights in the Hugging Face cache
(``huggingface_hub.constants.HF_HUB_CACHE``), else in the torch hub cache;
:func:`load_timm` looks there, never downloads unless ``download=True``, checks
a pickled file holds nothing but tensors before timm reads it, and reads the
normalization from the model's ``pretrained_cfg``.

Example:
    >>> from trainlab.models.external_timm import from_timm
    >>> from_timm("resnet18", pretrained=False).stage_names  # doctest: +SKIP
    ['stem', 'layer1', 'layer2', 'layer3', 'layer4']
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

from torch import nn

from trainlab.core.errors import ConfigError
from trainlab.models._staged import StagedModel
from trainlab.models.external_model import ExternalModel, example_input, import_optional
from trainlab.models.external_preprocess import normalization_from_weights
from trainlab.models.external_weights import hub_file, missing_weights, read_weights
from trainlab.models.staging import find_family, stage_module


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
        path = hub_file(cfg.url)
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


def timm_bare(name: str, num_classes: int) -> nn.Module:
    """timm's ``name`` with ``num_classes`` outputs and random weights (to load a checkpoint into).

    Example:
        >>> timm_bare("resnet18", 10).fc.out_features  # doctest: +SKIP
        10
    """
    timm = import_optional("timm")
    _timm_cfg(timm, name)
    return timm.create_model(name, pretrained=False, num_classes=num_classes)


def load_timm(name: str, *, pretrained: bool = True, download: bool = False) -> ExternalModel:
    """timm's ``name`` with its weights, preprocessing and classes (see :func:`from_timm`).

    Example:
        >>> ext = load_timm("resnet18", pretrained=False)  # doctest: +SKIP
        >>> ext.preprocess["image"]  # doctest: +SKIP
        {'size': [224, 224], 'channels': 3, 'fit': 'squish'}
    """
    timm = import_optional("timm")
    cfg = _timm_cfg(timm, name)
    source: dict[str, Any] = {"library": "timm", "name": name, "weights": None}
    kwargs: dict[str, Any] = {}
    if pretrained:
        if cfg is None:
            raise ConfigError(f"timm {name}: has no pretrained weights; use pretrained=False")
        path, expected = _timm_file(cfg)
        source["weights"] = f"{cfg.architecture}.{cfg.tag}" if cfg.tag else cfg.architecture
        if path is None and not download:
            raise missing_weights(f"timm {name}", expected)
        if path is None:  # an unsupported family fails before the download
            find_family(timm.create_model(name, pretrained=False))
        kwargs["pretrained"] = True
        if path is not None:
            if path.suffix != ".safetensors":
                read_weights(path)  # refuse pickled code whatever timm's own torch.load does
            kwargs["pretrained_cfg_overlay"] = {"file": str(path)}
            source["file"] = str(path)
    module = timm.create_model(name, **kwargs)
    preprocess = normalization_from_weights(module)
    in_shape = preprocess["pipeline"]["input_shape"]
    config = {"name": "timm", "arch": name, "in_shape": in_shape}
    model = stage_module(module, config=config, example=example_input(in_shape))
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
