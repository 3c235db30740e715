"""Normalization of other people's models, read from their weights' own metadata.

The lecture's transfer slides warn: check carefully the normalization the
original model used. torchvision's weights enums (``weights.transforms()``:
mean, std and crop size) and timm's ``pretrained_cfg`` (Wightman, 2019: mean,
std, ``input_size``) describe it; :func:`preprocess_from_stats` writes it as
the checkpoint ``preprocess`` entry trainlab's own models carry, inputs
``(x / 255 − mean) / std``.

Example:
    >>> import numpy as np
    >>> from trainlab.models.external_preprocess import preprocess_from_stats
    >>> from trainlab.preprocess.pipeline import Preprocessor
    >>> pre = preprocess_from_stats((0.485, 0.456, 0.406), (0.229, 0.224, 0.225), 224)
    >>> pre["image"]
    {'size': [224, 224], 'channels': 3, 'fit': 'squish'}
    >>> black = np.zeros((1, 3, 224, 224), dtype=np.uint8)
    >>> Preprocessor.from_state_dict(pre["pipeline"]).transform(black)[0, :, 0, 0].round(3)
    array([-2.118, -2.036, -1.804], dtype=float32)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from trainlab.core.errors import ConfigError

#: torchvision's ImageNet statistics, for architectures without weight metadata
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


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
