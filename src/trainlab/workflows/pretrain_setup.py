"""A recipe's ``pretrain`` section as a transfer source: the stages a run starts from.

Pretraining is transfer from a model the run trains first, so it reuses the
transfer strategies whole: :func:`pretraining_source` turns the recipe's
``pretrain`` section into a source that :class:`~trainlab.workflows.transfer_setup.Transfer`
copies stages from, then ``transfer.strategy`` freezes or fine-tunes them
(``head-only`` on self-supervised stages is the linear probe of the papers).

- ``word2vec``: word vectors for a text model's embedding
  (:class:`~trainlab.engine.transfer.vectors.PretrainedVectors`);
- ``rotation``, ``simclr``, ``masked``: :class:`SelfSupervisedSource` trains
  the recipe's own architecture on the training part's inputs without their
  labels (the labelled split and the examples ``split.train_size`` left out),
  with the pretext task of :mod:`trainlab.engine.selfsup`, once the data are
  prepared; SimCLR's two views come from the augmentation engine;
- ``supervised``: :class:`SupervisedSource` trains the recipe's architecture
  on other classes of the same data set (``pretrain.classes``), the lecture's
  base task; its normalization, fitted on those classes, is checked and adopted
  as any checkpoint's.

Every member of a run copies the same pretrained stages, and the pretraining
is seeded by the recipe's seed, so a resumed run or a study's trial starts from
the same weights.

Example:
    >>> from trainlab.config.recipe import Recipe
    >>> r = Recipe.load("digits-cnn").override({"pretrain.method": "rotation"})
    >>> src = pretraining_source(r)
    >>> str(src.path), src.preprocess is None
    ('rotation pretraining on the training inputs', True)
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError, DataError
from trainlab.core.registry import Registry
from trainlab.engine.transfer.source import TransferSource
from trainlab.workflows.progress_line import say

#: SimCLR's views when ``pretrain.views`` is not given, by modality: random crops,
#: flips and colour changes for images (Chen et al., 2020, section 3), shifts,
#: gains and noise for signals and sounds
DEFAULT_VIEWS: dict[str, list[dict[str, Any]]] = {
    "image": [
        {"name": "random-resized-crop", "scale": [0.3, 1.0]},
        {"name": "flip"},
        {"name": "color-jitter", "brightness": 0.4, "contrast": 0.4},
        {"name": "gaussian-noise", "std": 0.1},
    ],
    "audio": [
        {"name": "gain"},
        {"name": "time-shift", "max_shift": 0.1},
        {"name": "gaussian-noise", "std": 0.01},
        {"name": "spec-augment"},
    ],
    "signal": [
        {"name": "time-shift", "max_shift": 0.1},
        {"name": "time-scale"},
        {"name": "gaussian-noise", "std": 0.1},
    ],
    "tabular": [{"name": "gaussian-noise", "std": 0.2}],
}


def _digest(recipe: Recipe, *extra: Any) -> str:
    """What decides the pretrained weights, hashed: it keys a study's data cache."""
    d = recipe.to_dict()
    parts = [d["pretrain"], d["model"], d["init"], d["seed"], *extra]
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class PretrainedModel:
    """A source whose model the run trains itself (:meth:`bind`), then copies from.

    Until it is bound, ``preprocess`` is None (nothing to compare) and the
    stage names are unknown; :meth:`copy_into` refuses an unbound source.
    """

    recipe: Recipe
    path: Path
    sha256: str
    trained: TransferSource | None = None
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def model(self):
        return self._bound().model

    @property
    def meta(self) -> dict[str, Any]:
        return self._bound().meta

    @property
    def stage_names(self) -> list[str]:
        return self._bound().stage_names

    @property
    def classes(self) -> list[str]:
        return self.trained.classes if self.trained is not None else []

    @property
    def preprocess(self) -> dict[str, Any] | None:
        return self.trained.preprocess if self.trained is not None else None

    def _bound(self) -> TransferSource:
        if self.trained is None:
            raise RuntimeError(f"{self.path}: not trained yet (bind it to the run's data)")
        return self.trained

    def bind(self, data) -> None:
        """Train the source on (or for) the run's prepared ``data``, the first time only."""
        if self.trained is None:
            start = time.perf_counter()
            model, meta, report = self._train(data)
            report["seconds"] = round(time.perf_counter() - start, 3)
            self.report = report
            self.trained = TransferSource(self.path, model, meta, self.sha256)

    def _train(self, data) -> tuple[Any, dict[str, Any], dict[str, Any]]:
        raise NotImplementedError

    def copy_into(self, model, n: int, *, head: bool, text: Any = None, seed: int = 0):
        return self._bound().copy_into(model, n, head=head, text=text, seed=seed)

    def describe(self) -> dict[str, Any]:
        return {**self._bound().describe(), "pretrain": dict(self.report)}


def _training_inputs(recipe: Recipe, data) -> torch.Tensor:
    """Every input of the training part, labelled or not, in memory."""
    x = data.train[0]
    if not isinstance(x, torch.Tensor):
        raise ConfigError(
            f"pretrain.method: {recipe.pretrain.method} learns from the training inputs in "
            "memory; set data.stream: false (or fewer examples with data.limit)"
        )
    return x if data.unlabelled is None else torch.cat([x, data.unlabelled])


def view_maker(recipe: Recipe, data) -> Callable[[torch.Tensor, torch.Generator], torch.Tensor]:
    """SimCLR's view of a batch: ``pretrain.views`` (or the modality's defaults) applied.

    Raises:
        ConfigError: no default views for the modality, or a view that does not fit it.
    """
    from trainlab.augment.pipeline import augment_batch, build_augmentations, raw_zero

    specs = recipe.pretrain.views
    if specs is None:
        if data.modality not in DEFAULT_VIEWS:
            raise ConfigError(
                f"pretrain.views: no default views for {data.modality} data; list the "
                "augmentations that draw each view, e.g. [{name: gaussian-noise}]"
            )
        specs = DEFAULT_VIEWS[data.modality]
    try:
        augs = build_augmentations(specs, modality=data.modality)
    except ConfigError as exc:
        raise ConfigError(f"pretrain.views: {exc}") from None
    offset = raw_zero(data.preprocessor, data.in_shape)
    frontend = data.frontend

    def views(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        return augment_batch(augs, x, None, generator, offset=offset, frontend=frontend)[0]

    return views


class SelfSupervisedSource(PretrainedModel):
    """The recipe's architecture, its stages learned by a pretext task on the training inputs."""

    def _train(self, data):
        from trainlab.engine.loop import resolve_device
        from trainlab.engine.selfsup import pretrain_stages
        from trainlab.workflows.assemble import build_member_model
        from trainlab.workflows.prepare import preprocess_state

        recipe, p = self.recipe, self.recipe.pretrain
        why = _pretext(p).fits(data.modality, tuple(data.model_in_shape))
        if why is not None:
            raise DataError(f"pretrain.method: {p.method}: {why}")
        x = _training_inputs(recipe, data)
        views = view_maker(recipe, data) if p.method == "simclr" else None
        pretext = _pretext(p, views)
        model = build_member_model(_plain(recipe), data, None, 0).model
        say(recipe, f"pretrain {p.method}: {len(x)} unlabelled inputs, {p.epochs} epochs")

        def progress(epoch: int, loss: float) -> None:
            say(recipe, f"pretrain {p.method}: epoch {epoch}/{p.epochs}, loss {loss:.4f}")

        report = pretrain_stages(
            model,
            pretext,
            x,
            epochs=p.epochs,
            batch_size=p.batch_size,
            lr=p.lr,
            seed=recipe.seed,
            progress=progress,
            device=resolve_device(recipe.train.device),
        )
        meta = {"kind": "model", "model": model.config, "classes": []}
        meta["preprocess"] = preprocess_state(data)
        summary = {"method": p.method, "epochs": p.epochs, "examples": len(x)}
        summary["losses"] = [round(float(v), 5) for v in report.losses]
        return model, meta, summary


class SupervisedSource(PretrainedModel):
    """The recipe's architecture trained on other classes of the data set (``pretrain.classes``)."""

    def base_recipe(self) -> Recipe:
        """The base task's recipe: the other classes, all their labels, no pretraining."""
        r, p = self.recipe, self.recipe.pretrain
        return _plain(r).override(
            {
                "data.classes": list(p.classes or []),
                "split.train_size": None,
                "train.epochs": p.epochs,
                "train.batch_size": p.batch_size,
                "optimizer.lr": p.lr,
                "ensemble.members": 1,
                "early_stopping.enabled": False,
            }
        )

    def check(self) -> None:
        """Refuse base classes that are also the run's (the target task's) classes."""
        mine = {str(c) for c in self.recipe.data.classes or []}
        both = [str(c) for c in self.recipe.pretrain.classes or [] if str(c) in mine]
        if both:
            raise ConfigError(
                f"pretrain.classes: {', '.join(both)} also in data.classes; supervised "
                "pretraining learns on other classes than the run's"
            )

    def _train(self, data):
        from trainlab.engine.loop import resolve_device
        from trainlab.workflows.members import train_members
        from trainlab.workflows.prepare import prepare_data, preprocess_state

        recipe = self.base_recipe()
        base = prepare_data(recipe)
        say(self.recipe, f"pretrain supervised: {len(base.classes)} other classes")
        members = train_members(recipe, base, None, resolve_device(recipe.train.device))
        model = members.models[0]
        meta = {"kind": "model", "model": model.config, "classes": list(base.classes)}
        meta["preprocess"] = preprocess_state(base)
        last = members.first.history[-1] if members.first.history else {}
        summary = {"method": "supervised", "epochs": recipe.train.epochs}
        summary["classes"] = list(base.classes)
        summary["examples"] = len(base.train[0])
        if "val_acc" in last:
            summary["val_acc"] = round(float(last["val_acc"]), 4)
        return model, meta, summary


def _plain(recipe: Recipe) -> Recipe:
    """``recipe`` without its pretraining and transfer (the pretrained model's own build)."""
    return recipe.override({"pretrain.method": "none", "transfer.checkpoint": None})


def _word2vec(recipe: Recipe):
    from trainlab.workflows.transfer_setup import pretrained_vectors

    return pretrained_vectors(recipe)


def _pretext(p, views=None):
    """The ``pretrain`` section's pretext task (``views``: SimCLR's view of a batch)."""
    from trainlab.engine.selfsup import build_pretext

    return build_pretext(
        p.method, temperature=p.temperature, views=views, ratio=p.mask_ratio, block=p.mask_block
    )


def _self_supervised(recipe: Recipe) -> SelfSupervisedSource:
    p = recipe.pretrain
    _pretext(p)  # the method exists
    name = f"{p.method} pretraining on the training inputs"
    return SelfSupervisedSource(recipe, Path(name), _digest(recipe))


def _supervised(recipe: Recipe) -> SupervisedSource:
    shown = ", ".join(str(c) for c in recipe.pretrain.classes or [])
    source = SupervisedSource(recipe, Path(f"supervised pretraining on {shown}"), _digest(recipe))
    source.check()
    return source


#: ``pretrain.method`` → the source it builds from the recipe
SOURCES: Registry[Callable[[Recipe], Any]] = Registry(
    "pretrain.method",
    {
        "word2vec": _word2vec,
        "rotation": _self_supervised,
        "simclr": _self_supervised,
        "masked": _self_supervised,
        "supervised": _supervised,
    },
)


def pretraining_source(recipe: Recipe):
    """The transfer source of the recipe's ``pretrain`` section (it trains when bound).

    Raises:
        ConfigError: ``transfer.checkpoint`` names other weights to start from, or the
            pretraining's settings are wrong.
    """
    p = recipe.pretrain
    if recipe.transfer.checkpoint is not None:
        raise ConfigError(
            f"pretrain.method: {p.method} trains the weights the model starts from, and "
            "transfer.checkpoint names others; set only one of the two"
        )
    return SOURCES.get(p.method)(recipe)
