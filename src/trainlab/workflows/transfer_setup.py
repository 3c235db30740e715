"""Wire a recipe's ``transfer:`` section into a run: data, weights, optimizer groups, callback.

:func:`transfer_data` checks the target data's preprocessing against the
checkpoint's before anything trains, says what differs, and by default adopts
the checkpoint's (``transfer.preprocessing``: ``adopt``, ``own`` or ``fail``).
:func:`setup_transfer` copies the stages into a freshly built model and returns
the named parameter groups and the callback that freezes on schedule.

Example:
    >>> import tempfile
    >>> from trainlab.config.recipe import Recipe
    >>> from trainlab.workflows.run import run_recipe
    >>> quick = {"train.epochs": 1, "train.progress": False}
    >>> base = run_recipe(Recipe.load("wine-mlp").override(quick), out_dir=tempfile.mkdtemp())
    >>> r = Recipe.load("wine-mlp").override({**quick, "transfer.strategy": "head-only",
    ...     "transfer.checkpoint": str(base.folder / "model.safetensors")})
    >>> result = run_recipe(r, out_dir=tempfile.mkdtemp())
    >>> result.history.rows[0]["frozen"], result.models[0].frozen_stages
    (2, ['stage1', 'stage2'])
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from trainlab.config.recipe import Recipe
from trainlab.core.errors import DataError
from trainlab.engine.transfer.callback import TransferCallback
from trainlab.engine.transfer.copy import copy_stages
from trainlab.engine.transfer.normalization import preprocessing_mismatches
from trainlab.engine.transfer.param_groups import stage_param_groups
from trainlab.engine.transfer.plans import TransferPlan, build_plan
from trainlab.engine.transfer.source import TransferSource, checkpoint_path, load_source
from trainlab.models import StagedModel

if TYPE_CHECKING:
    from trainlab.workflows.prepare import PreparedData

_SOURCES: dict[tuple[str, int, float], TransferSource] = {}


def transfer_source(recipe: Recipe) -> TransferSource | None:
    """The recipe's source model (cached per file and member), or None without transfer."""
    cfg = recipe.transfer
    if cfg.checkpoint is None:
        return None
    path = checkpoint_path(cfg.checkpoint, recipe.seed)
    mtime = path.stat().st_mtime if path.is_file() else -1.0
    key = (str(path.resolve()), cfg.member, mtime)
    if key not in _SOURCES:
        if len(_SOURCES) > 8:
            _SOURCES.clear()
        _SOURCES[key] = load_source(path, cfg.member)
    return _SOURCES[key]


def transfer_data(recipe: Recipe, data: PreparedData) -> PreparedData:
    """``data`` prepared as the checkpoint's model saw its inputs (``transfer.preprocessing``)."""
    from trainlab.workflows.prepare import prepare_data, preprocess_state

    source = transfer_source(recipe)
    if source is None:
        return data
    mismatches = preprocessing_mismatches(source.preprocess, preprocess_state(data))
    if not mismatches:
        return data
    said = "; ".join(mismatches)
    mode = recipe.transfer.preprocessing
    if mode == "fail":
        raise DataError(
            f"transfer: the data's preprocessing differs from the checkpoint's ({said}); "
            "set transfer.preprocessing to adopt (use the checkpoint's) or own (keep the data's)"
        )
    if mode == "own":
        warnings.warn(
            f"transfer: the data's preprocessing differs from the checkpoint's ({said}); "
            "keeping the data's own, as transfer.preprocessing asks",
            stacklevel=2,
        )
        return data
    warnings.warn(
        f"transfer: the data's preprocessing differs from the checkpoint's ({said}); "
        "adopting the checkpoint's (set transfer.preprocessing: own to keep the data's)",
        stacklevel=2,
    )
    adopted = prepare_data(recipe, fitted=source.preprocess)
    adopted.summary["notes"] = [
        *adopted.summary.get("notes", []),
        f"preprocessing adopted from {source.path.name} ({said})",
    ]
    return adopted


def transfer_model(recipe: Recipe, in_shape: tuple[int, ...], num_classes: int) -> StagedModel:
    """A new, untrained model for the run: the recipe's, or the checkpoint's architecture.

    With ``transfer.architecture: checkpoint`` the checkpoint's own model (an
    imported torchvision or timm model included) is rebuilt for ``in_shape``
    and ``num_classes``, so its head fits the data's classes.
    """
    from trainlab.models import build_model, model_from_config

    source = transfer_source(recipe)
    if source is None or recipe.transfer.architecture == "recipe":
        return build_model(recipe.model, in_shape, num_classes)
    config = {**source.model.config, "in_shape": list(in_shape), "num_classes": num_classes}
    return model_from_config(config)


@dataclass
class TransferSetup:
    """A model that received its stages, and how it is to be trained."""

    plan: TransferPlan
    groups: list[dict[str, Any]]
    callback: TransferCallback
    info: dict[str, Any]


def setup_transfer(model: StagedModel, recipe: Recipe, classes: list[str]) -> TransferSetup:
    """Copy the checkpoint's stages into ``model`` and plan its training."""
    source = transfer_source(recipe)
    if source is None:
        raise ValueError("the recipe has no transfer.checkpoint")
    cfg = recipe.transfer
    n = cfg.stages if cfg.stages is not None else len(source.stage_names)
    same_classes = list(classes) == source.classes
    if cfg.head == "copy" and not same_classes:
        raise DataError(
            f"transfer.head copy: the checkpoint predicts {len(source.classes)} classes "
            f"({', '.join(source.classes[:6])}{'…' if len(source.classes) > 6 else ''}), "
            f"the data has {len(classes)}; set transfer.head: new"
        )
    head = cfg.head == "copy" or (
        cfg.head == "auto" and same_classes and n == len(source.stage_names)
    )
    copied = copy_stages(model, source.model, n, head=head, where=f"checkpoint {source.path}")
    plan = build_plan(cfg, model.stage_names, copied=len(copied), base_lr=recipe.optimizer.lr)
    groups = stage_param_groups(model, recipe.optimizer.lr, plan.lrs)
    info = {
        **source.describe(),
        "strategy": plan.strategy,
        "copied": copied,
        "head": "copied" if head else "new",
        "frozen": plan.frozen,
        "lrs": plan.lrs,
        "unfreeze_every": plan.unfreeze_every,
    }
    return TransferSetup(plan, groups, TransferCallback(plan), info)


def describe_transfer(info: dict[str, Any]) -> str:
    """One line on what a run's transfer copied and froze (its checkpoint's ``transfer``)."""
    frozen = info.get("frozen") or []
    return (
        f"{', '.join(info['copied'])} from {info['checkpoint']} ({info['strategy']}; "
        f"{'frozen: ' + ', '.join(frozen) if frozen else 'nothing frozen'}; "
        f"{info['head']} head)"
    )
