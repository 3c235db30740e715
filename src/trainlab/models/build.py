"""Build a model from a recipe's ``model`` section, or from a checkpoint's config.

Example:
    >>> from trainlab.models.build import build_model, model_from_config
    >>> from trainlab.config.recipe import ModelConfig
    >>> m = build_model(ModelConfig(name="mlp", widths=[16]), (4,), 3)
    >>> m.config["name"], m.stage_names
    ('mlp', ['stage1'])
    >>> from trainlab.models.multitask import build_multitask_model
    >>> mt = build_multitask_model(ModelConfig(name="mlp", widths=[16]), (4,), {"a": 3, "b": 1})
    >>> list(model_from_config(mt.config).state_dict()) == list(mt.state_dict())
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trainlab.config.recipe import ModelConfig
from trainlab.models._staged import StagedModel
from trainlab.models.multitask import build_multitask_model
from trainlab.models.registry import MODELS


def build_model(cfg: ModelConfig, in_shape: Sequence[int], num_classes: int) -> StagedModel:
    """The registered architecture ``cfg.name`` for examples of ``in_shape``."""
    return MODELS.get(cfg.name)(cfg, tuple(in_shape), num_classes)


def model_from_config(config: dict[str, Any]) -> StagedModel:
    """Rebuild a model from the ``config`` a :class:`StagedModel` carries.

    An imported torchvision or timm model is rebuilt, without weights, by
    :mod:`trainlab.models.external`; a multitask model (its config has
    ``outputs``) by :func:`~trainlab.models.multitask.build_multitask_model`.
    """
    if config.get("name") in ("torchvision", "timm"):
        from trainlab.models.external import model_from_external_config

        return model_from_external_config(config)
    fields = {k: v for k, v in config.items() if k in ModelConfig.model_fields}
    cfg = ModelConfig(**fields)
    if "outputs" in config:
        return build_multitask_model(
            cfg,
            config["in_shape"],
            config["outputs"],
            sharing=config["sharing"],
            cross_stitch=config["cross_stitch"],
        )
    return build_model(cfg, config["in_shape"], config["num_classes"])
