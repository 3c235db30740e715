"""From a recipe to model-ready tensors: load, size, limit, split, preprocess.

Nothing is fitted outside the training split. Given the fitted state of a
checkpoint, the same steps rebuild the same splits (the split depends only on
the data and the recipe's seed) and apply the saved preprocessing unchanged.

Example:
    >>> from trainlab.config.recipe import Recipe
    >>> from trainlab.workflows.prepare import prepare_data
    >>> r = Recipe().override({"data.dataset": "wine", "model.name": "mlp"})
    >>> d = prepare_data(r)
    >>> d.in_shape, len(d.classes), d.sizes["train"] + d.sizes["val"] + d.sizes["test"]
    ((13,), 3, 178)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from trainlab.config.recipe import Recipe
from trainlab.data._bundle import ArrayData, DataBundle, Target
from trainlab.data.classes import select_classes
from trainlab.data.datasets import dataset_options, load_dataset
from trainlab.data.split import limit_bundle, split_bundle
from trainlab.data.targets import select_targets
from trainlab.preprocess.image.fit import make_uniform
from trainlab.preprocess.pipeline import Preprocessor

#: a split: its inputs and its targets (a tensor, or {target name: tensor} for multitask)
Tensors = tuple[torch.Tensor, Any]


@dataclass
class PreparedData:
    """Model-ready splits and what describes them.

    Attributes:
        train, val, test: ``(x, y)`` of each split (None when empty); ``y`` is the
            main target's tensor, or ``{name: tensor}`` when several targets are learned.
        classes: the main target's class names (empty for a regression target).
        targets: the learned targets, the main one first.
        frontend: audio only: the fitted front end (spectrogram, normalization) the
            model starts with (:mod:`~trainlab.workflows.audio_setup`); None otherwise.
        text: text only: the fitted text pipeline (tokenizer, vocabulary,
            representation; :mod:`~trainlab.workflows.text_setup`); None otherwise.
        texts: text only: each split's raw strings, ``{"train", "val", "test"}``
            (object arrays in the order of the split's tensors), and ``"pool"``, the
            training texts ``split.train_size`` left out (labels unused); None otherwise.
        text_augmentations: text only: text augmentations built and fitted on the training
            texts, by ``augment`` list (``workflows.text_setup.text_augmentations``).
        video: video only: the fitted video pipeline (frame sampling, flow, masks;
            :mod:`~trainlab.workflows.prepare_video`); None otherwise.
        unlabelled: the inputs of the training examples ``split.train_size`` left out,
            preprocessed as the training split (tabular, image, signal and audio data in
            memory; None otherwise): a self-supervised ``pretrain`` learns from them
            without their labels, never from a validation or test example.
    """

    train: Tensors
    val: Tensors | None
    test: Tensors | None
    classes: list[str]
    modality: str
    in_shape: tuple[int, ...]
    preprocessor: Preprocessor
    image: dict[str, Any] | None
    summary: dict[str, Any] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)
    frontend: Any = None
    text: Any = None
    texts: dict[str, np.ndarray] | None = None
    text_augmentations: Any = None
    video: Any = None
    unlabelled: torch.Tensor | None = None

    @property
    def model_in_shape(self) -> tuple[int, ...]:
        """The shape the model's first stage sees: after the front end, if there is one."""
        if self.frontend is None:
            return self.in_shape
        return tuple(self.frontend.out_shape(self.in_shape))

    @property
    def sizes(self) -> dict[str, int]:
        return {
            "train": _count(self.train),
            "val": _count(self.val),
            "test": _count(self.test),
        }

    @property
    def streamed(self) -> bool:
        """Whether the inputs are streamed from files (``x`` is a batch source)."""
        return not isinstance(self.train[0], torch.Tensor)

    def close(self) -> None:
        """Stop the worker processes of streamed splits (nothing to do in memory)."""
        for part in (self.train, self.val, self.test):
            if part is not None and hasattr(part[0], "close"):
                part[0].close()

    @property
    def multitask(self) -> bool:
        """Whether several targets are learned (``y`` is a mapping)."""
        return len(self.targets) > 1


def _count(part: Tensors | None) -> int:
    if part is None:
        return 0
    x = part[0]
    return len(x) if isinstance(x, torch.Tensor) else int(x.num_examples)


def _uniform(bundle: DataBundle, recipe: Recipe, image: dict[str, Any] | None) -> dict | None:
    """Make images one size and channel count; returns the settings used."""
    if bundle.modality != "image":
        return None
    cfg = recipe.preprocess.image
    size = tuple(image["size"]) if image else cfg.size
    channels = image["channels"] if image else cfg.channels
    parts = [bundle.train] + ([bundle.test] if bundle.test is not None else [])
    needs = size is not None or channels is not None or any(isinstance(p.x, list) for p in parts)
    if needs:
        # one call over every part, so that a size chosen from the data is shared
        xs = [p.x for p in parts]
        joined = (
            np.concatenate(xs)
            if all(isinstance(x, np.ndarray) for x in xs) and len({x.shape[1:] for x in xs}) == 1
            else [img for x in xs for img in x]
        )
        out = make_uniform(joined, tuple(size) if size else None, cfg.fit, channels)
        start = 0
        for part in parts:
            part.x = out[start : start + len(part)]
            start += len(part)
    x = bundle.train.x
    return {"size": list(x.shape[2:]), "channels": int(x.shape[1]), "fit": cfg.fit}


def _tensors(part: ArrayData | None, pre: Preprocessor, targets: list[Target]) -> Tensors | None:
    x = _inputs(part, pre)
    return None if x is None else (x, labels(part, targets))


def labels(part: ArrayData, targets: list[Target]) -> Any:
    """The learned targets of ``part``: the main one's tensor, or ``{name: tensor}``."""
    if len(targets) == 1:
        return torch.from_numpy(part.y)
    values = {targets[0].name: part.y, **part.extra}
    return {t.name: torch.from_numpy(values[t.name]) for t in targets}


def _load(recipe: Recipe) -> DataBundle:
    """The recipe's data set, its classes and targets chosen (``data.classes``, ``task``)."""
    options = dict(recipe.data.options)
    kind = recipe.task.type
    if kind in ("classification", "regression") and "task" in dataset_options(recipe.data.dataset):
        options.setdefault("task", kind)  # a CSV's numeric target: classes or values
    bundle = load_dataset(recipe.data.dataset, options)
    bundle = select_targets(bundle, recipe.task.targets)
    return select_classes(bundle, recipe.data.classes)


def prepare_data(
    recipe: Recipe, fitted: dict[str, Any] | None = None, bundle: DataBundle | None = None
) -> PreparedData:
    """Load and split the recipe's data, and fit (or apply ``fitted``) preprocessing.

    Args:
        recipe: the run's recipe.
        fitted: a checkpoint's ``preprocess`` metadata; when given, nothing is fitted.
        bundle: the data set already loaded (its classes chosen); None: the recipe's.

    An image folder above ``data.memory_budget`` (or with ``data.stream: true``) is
    streamed from its files instead (:mod:`~trainlab.workflows.prepare_stream`).
    """
    from trainlab.workflows.prepare_stream import prepare_stream, streams

    if bundle is None and streams(recipe):
        return prepare_stream(recipe, fitted)
    bundle = bundle if bundle is not None else _load(recipe)
    targets = bundle.targets if recipe.task.targets is not None else [bundle.main_target]
    image = _uniform(bundle, recipe, fitted.get("image") if fitted else None)
    if recipe.data.limit is not None:
        bundle = limit_bundle(bundle, recipe.data.limit, recipe.seed)
    splits = split_bundle(bundle, recipe.split, recipe.seed)
    if bundle.modality == "text":
        from trainlab.workflows.prepare_text import prepare_text

        return prepare_text(recipe, bundle, splits, targets, fitted)
    if bundle.modality == "video":
        from trainlab.workflows.prepare_video import prepare_video

        return prepare_video(recipe, bundle, splits, targets, fitted)
    if fitted is not None:
        pre = Preprocessor.from_state_dict(fitted["pipeline"])
    else:
        p = recipe.preprocess
        pre = Preprocessor(p.pixel_scale, p.normalize, p.per, p.categorical, p.impute)
        pre.fit(np.asarray(splits.train.x), bundle.feature_names)
    train = _tensors(splits.train, pre, targets)
    if train is None:
        from trainlab.core.errors import DataError

        raise DataError(f"dataset {bundle.name!r}: the training split is empty")
    frontend = None
    if bundle.modality == "audio":
        from trainlab.workflows.audio_setup import build_frontend, check_clip_shape

        audio = fitted.get("audio") if fitted else None
        frontend = build_frontend(recipe, bundle.sample_rate, train[0], audio)
        if audio is not None:
            check_clip_shape(tuple(train[0].shape[1:]), bundle.sample_rate, fitted)
    names = list(bundle.feature_names) if bundle.feature_names else None
    summary = data_summary(bundle, targets, train[0].shape[1:], splits, feature_names=names)
    if bundle.sample_rate is not None:
        summary["sample_rate"] = int(bundle.sample_rate)
    return PreparedData(
        train=train,
        val=_tensors(splits.val, pre, targets),
        test=_tensors(splits.test, pre, targets),
        classes=list(bundle.classes),
        modality=bundle.modality,
        in_shape=tuple(train[0].shape[1:]),
        preprocessor=pre,
        image=image,
        summary=summary,
        targets=list(targets),
        frontend=frontend,
        unlabelled=_inputs(splits.pool, pre),
    )


def _inputs(part: ArrayData | None, pre: Preprocessor) -> torch.Tensor | None:
    """The preprocessed inputs of ``part``, without its labels (None when empty)."""
    if part is None or len(part) == 0:
        return None
    return torch.from_numpy(np.ascontiguousarray(pre.transform(part.x)))


def data_summary(
    bundle: DataBundle,
    targets: list[Target],
    input_shape,
    splits,
    feature_names: list[str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """What a run says of its data: the data set, its classes and targets, the inputs'
    shape, what the modality adds (``extra``), the split sizes and the loader's notes."""
    return {
        "dataset": bundle.name,
        "source": bundle.source,
        "modality": bundle.modality,
        "classes": list(bundle.classes),
        "targets": [{"name": t.name, "kind": t.kind} for t in targets],
        "feature_names": feature_names,
        "input_shape": list(input_shape),
        **extra,
        "train": len(splits.train),
        "val": len(splits.val),
        "test": len(splits.test),
        "notes": list(bundle.notes),
    }


def preprocess_state(data: PreparedData) -> dict[str, Any]:
    """What a checkpoint stores to reproduce the preprocessing."""
    state = {"pipeline": data.preprocessor.state_dict(), "image": data.image}
    if data.frontend is not None:
        from trainlab.workflows.audio_setup import frontend_state

        state["audio"] = frontend_state(data.frontend)
    if data.text is not None:
        state["text"] = data.text.state_dict()
    if data.video is not None:
        state["video"] = data.video.state_dict()
    return state
