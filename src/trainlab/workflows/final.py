"""A run's final metrics: loss and accuracy of the trained model(s) on every split.

An ensemble is scored by its mean predicted probability,
``p(y | x) = (1/M) Σₘ softmax(fₘ(x))`` (Lakshminarayanan et al., 2017);
Monte-Carlo dropout averages ``T`` stochastic passes of each member the same
way (Gal & Ghahramani, 2016), and test-time views (flip, shift) average over
views of each input. ``gap`` is train accuracy minus test (or validation)
accuracy, the lecture's measure of overfitting; the verdict on the learning
curves comes from :func:`trainlab.engine.diagnose.diagnose`.

Example:
    >>> import torch
    >>> from trainlab.models import build_model
    >>> from trainlab.config.recipe import ModelConfig
    >>> from trainlab.workflows.final import evaluate_models
    >>> model = build_model(ModelConfig(name="mlp", widths=[4]), (3,), 2).eval()
    >>> x, y = torch.randn(10, 3), torch.randint(0, 2, (10,))
    >>> metrics, probs = evaluate_models([model], (x, y), torch.device("cpu"))
    >>> sorted(metrics), tuple(probs.shape)
    (['acc', 'loss'], (10, 2))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from trainlab.config.recipe import Recipe, TestTimeConfig
from trainlab.core.seeding import epoch_seed
from trainlab.engine.diagnose import Diagnosis, diagnose
from trainlab.engine.prediction import (
    ensemble_probabilities,
    predict_logits,
    probabilities_metrics,
)
from trainlab.models import StagedModel
from trainlab.workflows.assemble import use_amp
from trainlab.workflows.members import TrainedMembers
from trainlab.workflows.prepare import PreparedData

SPLITS = ("train", "val", "test")


@dataclass(frozen=True)
class FinalMetrics:
    """The final metrics of a run, and the test split's predicted probabilities.

    Attributes:
        metrics: ``<split>_loss``, ``<split>_acc``, ``gap``, ``epochs_run``,
            ``best_epoch``, ``seconds`` and, for an ensemble or Monte-Carlo
            dropout, ``members`` (each member alone); as in ``metrics.json``.
        test_probs: (n_test, classes) probabilities, or None without a test split.
    """

    metrics: dict[str, Any]
    test_probs: torch.Tensor | None


def evaluate_models(
    models: list[StagedModel],
    split: tuple[torch.Tensor, torch.Tensor] | None,
    device: torch.device,
    *,
    batch_size: int = 1024,
    mc_dropout: int = 0,
    amp: bool = False,
    test_time: TestTimeConfig | None = None,
) -> tuple[dict[str, float], torch.Tensor | None]:
    """Loss and accuracy of the (ensemble of) models on ``split``, and its probabilities.

    ``test_time`` (flip, shift) averages the predictions over views of each input.
    """
    if split is None:
        return {}, None
    probs = ensemble_probabilities(
        models,
        split[0],
        device,
        batch_size=batch_size,
        mc_dropout=mc_dropout,
        amp=amp,
        flip=test_time is not None and test_time.flip,
        shift=test_time.shift if test_time is not None else 0,
    )
    return probabilities_metrics(probs, split[1]), probs


def _member_metrics(
    models: list[StagedModel], data: PreparedData, device: torch.device, recipe: Recipe
) -> list[dict[str, float]]:
    out = []
    for model in models:
        row: dict[str, float] = {}
        for name in SPLITS:
            split = getattr(data, name)
            if split is None:
                continue
            logits = predict_logits(model, split[0], device, recipe.train.eval_batch_size)
            m = probabilities_metrics(logits.softmax(1), split[1])
            row[f"{name}_loss"], row[f"{name}_acc"] = m["loss"], m["acc"]
        out.append(row)
    return out


def _split_metrics(
    recipe: Recipe, data: PreparedData, models: list[StagedModel], device: torch.device
) -> tuple[dict[str, Any], torch.Tensor | None]:
    """``<split>_loss`` and ``<split>_acc`` of the whole model on every split."""
    torch.manual_seed(epoch_seed(recipe.seed, 10**6))  # Monte-Carlo dropout draws
    metrics: dict[str, Any] = {}
    test_probs = None
    for name in SPLITS:
        m, probs = evaluate_models(
            models,
            getattr(data, name),
            device,
            batch_size=recipe.train.eval_batch_size,
            mc_dropout=recipe.ensemble.mc_dropout,
            amp=use_amp(recipe, device),
            test_time=recipe.test_time if name != "train" else None,
        )
        for k, v in m.items():
            metrics[f"{name}_{k}"] = v
        if name == "test":
            test_probs = probs
    return metrics, test_probs


def final_metrics(
    recipe: Recipe, data: PreparedData, members: TrainedMembers, device: torch.device
) -> FinalMetrics:
    """Metrics of the trained member(s) on every split, and the test probabilities."""
    metrics, test_probs = _split_metrics(recipe, data, members.models, device)
    if "train_acc" in metrics:
        ref = "test_acc" if "test_acc" in metrics else "val_acc"
        if ref in metrics:
            metrics["gap"] = metrics["train_acc"] - metrics[ref]
    metrics["epochs_run"] = len(members.first.history)
    metrics["best_epoch"] = members.first.best_epoch
    metrics["seconds"] = sum(
        float(r.get("seconds", 0.0)) for info in members.infos for r in info.history
    )
    if len(members.models) > 1 or recipe.ensemble.mc_dropout:
        metrics["members"] = _member_metrics(members.models, data, device, recipe)
    return FinalMetrics(metrics, test_probs)


def diagnose_members(members: TrainedMembers) -> Diagnosis:
    """The verdict on member 0's learning curves (what a run reports as ``verdict``)."""
    return diagnose(members.first.history)
