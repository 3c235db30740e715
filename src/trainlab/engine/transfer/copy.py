"""Copy the first n stages of one staged model into another, checking that they fit.

The lecture's "copy the first n layers" (Yosinski et al., 2014): the
architectures must agree stage by stage; anything else is an error naming the
stage, the tensor and both shapes, never a silent partial load. Models of
different names are refused unless :data:`COMPATIBLE` lists the pair: a
``frame-cnn`` runs a ``cnn``'s very stages on every frame of a clip
(Karpathy et al., 2014), so a 2-D image checkpoint initializes a video model.

Example:
    >>> import torch
    >>> from trainlab.models import MLP
    >>> from trainlab.engine.transfer.copy import copy_stages
    >>> a, b = MLP((4,), 3, widths=[8, 8]), MLP((4,), 5, widths=[8, 8])
    >>> copy_stages(b, a, 1)
    ['stage1']
    >>> torch.equal(a.stages.stage1[1].weight, b.stages.stage1[1].weight)
    True
    >>> from trainlab.models.frame_cnn import FrameCNN
    >>> from trainlab.models import CNN
    >>> copy_stages(FrameCNN((4, 1, 8, 8), 3, widths=[4, 8]), CNN((1, 8, 8), 3, widths=[4, 8]), 2)
    ['stage1', 'stage2']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from torch import nn

from trainlab.core.errors import CheckpointError
from trainlab.models import StagedModel

#: (checkpoint's model, recipe's model) pairs of different names whose stages may be copied;
#: the tensors are still checked to fit, stage by stage
COMPATIBLE: frozenset[tuple[str, str]] = frozenset(
    {
        ("cnn", "frame-cnn"),  # an image checkpoint into a frame-by-frame video model
        ("frame-cnn", "cnn"),  # and a video model's per-frame stages back into an image one
    }
)


#: an architecture's counterpart for inputs of another rank: (name, rank) → the model for it
COUNTERPARTS: dict[tuple[str, int], tuple[str, dict[str, Any]]] = {
    ("cnn", 4): ("frame-cnn", {}),  # the same stages on every frame of (T, C, H, W) clips
    ("frame-cnn", 3): ("cnn", {"temporal_pool": None}),  # and back onto (C, H, W) images
}


def counterpart(config: dict[str, Any], in_shape: Sequence[int]) -> dict[str, Any]:
    """A model's config rebuilt for inputs of ``in_shape``: a cnn's for clips is a frame CNN's.

    ``transfer.architecture: checkpoint`` builds the checkpoint's own model for
    the new data; an image CNN on video becomes a frame CNN with the same
    stages (and a frame CNN on images the CNN), so :func:`copy_stages` fits.
    Keys set to None are dropped.

    Example:
        >>> counterpart({"name": "cnn", "widths": [8]}, (4, 1, 8, 8))
        {'name': 'frame-cnn', 'widths': [8], 'in_shape': [4, 1, 8, 8]}
        >>> counterpart({"name": "cnn", "widths": [8]}, (1, 8, 8))["name"]
        'cnn'
    """
    name, changes = COUNTERPARTS.get((config.get("name"), len(in_shape)), (config.get("name"), {}))
    merged = {**config, "name": name, **changes, "in_shape": list(in_shape)}
    return {k: v for k, v in merged.items() if v is not None}


def compatible(source: str | None, target: str | None) -> bool:
    """Whether stages of a ``source`` model may be copied into a ``target`` model.

    Example:
        >>> compatible("cnn", "cnn"), compatible("cnn", "frame-cnn"), compatible("mlp", "cnn")
        (True, True, False)
    """
    return source == target or (source, target) in COMPATIBLE


def _describe(model: StagedModel) -> str:
    cfg = model.config
    widths = f" (widths {cfg['widths']})" if "widths" in cfg else ""
    return f"{cfg.get('name', type(model).__name__)}{widths}"


def _check_fits(target: nn.Module, source: nn.Module, what: str, where: str) -> None:
    mine, theirs = target.state_dict(), source.state_dict()
    for key in list(theirs) + [k for k in mine if k not in theirs]:
        if key not in mine or key not in theirs:
            side = "the checkpoint" if key in theirs else "the recipe's model"
            raise CheckpointError(
                f"{where}: {what} does not fit: only {side} has {key!r} (another architecture)"
            )
        if mine[key].shape != theirs[key].shape:
            raise CheckpointError(
                f"{where}: {what} does not fit: {key} is {list(theirs[key].shape)} in the "
                f"checkpoint but {list(mine[key].shape)} in the recipe's model"
            )


def copy_stages(
    target: StagedModel,
    source: StagedModel,
    n: int,
    *,
    head: bool = False,
    where: str = "checkpoint",
) -> list[str]:
    """Copy ``source``'s first ``n`` stages (and its head if ``head``) into ``target``.

    Returns the names of the copied stages. Raises ``CheckpointError`` when the
    source has fewer than ``n`` stages or a stage's tensors do not fit.
    """
    src_cfg, dst_cfg = source.config.get("name"), target.config.get("name")
    if not compatible(src_cfg, dst_cfg):
        raise CheckpointError(
            f"{where}: holds a {_describe(source)} model, but the recipe builds a "
            f"{_describe(target)} one; set the recipe's model to match the checkpoint"
        )
    have = len(source.stage_names)
    if n > have:
        raise CheckpointError(
            f"{where}: transfer.stages is {n}, but the checkpoint's model has only {have} "
            f"stage{'s' if have > 1 else ''} ({', '.join(source.stage_names)})"
        )
    if n > len(target.stage_names):
        raise CheckpointError(
            f"{where}: transfer.stages is {n}, but the recipe's model has only "
            f"{len(target.stage_names)} stages"
        )
    names = target.stage_names[:n]
    for mine, theirs in zip(names, source.stage_names[:n], strict=True):
        _check_fits(target.stage(mine), source.stage(theirs), f"stage {theirs!r}", where)
    if head:
        _check_fits(target.head, source.head, "the head", where)
    for mine, theirs in zip(names, source.stage_names[:n], strict=True):
        target.stage(mine).load_state_dict(source.stage(theirs).state_dict())
    if head:
        target.head.load_state_dict(source.head.state_dict())
    return names
