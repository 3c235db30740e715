"""A meta-learning run's data: the class splits, each prepared as a pool of episodes.

The data set is loaded once; its classes are split (``meta.classes``) into
training, validation and test classes, disjoint. Each split becomes a pool:
every example of its classes (at most ``data.limit``), preprocessed with the
statistics of the *training* classes alone, so nothing about a test class is
seen before its episodes. Episodes are drawn from each pool with the recipe's
seed (training), seed + 1 (validation) and seed + 2 (testing).

Example:
    >>> from trainlab.workflows.meta_setup import auto_split
    >>> auto_split(10, 5)
    ClassSplit(train=(0, 1, 2, 3, 4), val=(), test=(5, 6, 7, 8, 9))
    >>> auto_split(20, 5).val
    (10, 11, 12, 13, 14)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import torch

from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError, DataError
from trainlab.data.classes import class_indices, select_classes
from trainlab.data.episodes import ClassSplit, EpisodeSampler
from trainlab.engine.meta.trainer import Pool
from trainlab.workflows.prepare import PreparedData, _load, prepare_data, preprocess_state


def auto_split(n_classes: int, n_way: int) -> ClassSplit:
    """The last ``n_way`` classes for testing, the ``n_way`` before them for validation
    when at least ``3 · n_way`` classes exist, the rest for training."""
    test = tuple(range(n_classes - n_way, n_classes))
    val = tuple(range(n_classes - 2 * n_way, n_classes - n_way)) if n_classes >= 3 * n_way else ()
    train = tuple(range(n_classes - n_way - len(val)))
    return ClassSplit(train=train, val=val, test=test)


def class_split(recipe: Recipe, classes: list[str]) -> ClassSplit:
    """The recipe's ``meta.classes`` as indices into ``classes``.

    Raises:
        ConfigError: an unknown class, a class in two splits, too few classes.
    """
    m = recipe.meta
    if m.classes == "auto":
        if len(classes) < m.n_way + 2:
            raise ConfigError(
                f"meta.classes: auto needs at least n_way + 2 = {m.n_way + 2} classes "
                f"(n_way to test, the rest to train), the data set has {len(classes)}"
            )
        return auto_split(len(classes), m.n_way)
    parts = {}
    for name in ("train", "val", "test"):
        try:
            parts[name] = class_indices(classes, getattr(m.classes, name))
        except ConfigError as exc:
            raise ConfigError(str(exc).replace("data.classes", f"meta.classes.{name}")) from None
    try:
        return ClassSplit(**parts)
    except DataError as exc:
        raise ConfigError(f"meta.classes: {exc}".replace("class split: ", "")) from None


@dataclass(frozen=True)
class MetaData:
    """The pools of a meta-learning run.

    Attributes:
        split: the class split, as indices into ``classes``.
        classes: the data set's classes.
        train: the training classes' pool (labels 0..T-1 in ``split.train`` order).
        val: the validation classes' pool, or None.
        test: the test classes' pool.
        prepared: the training classes' prepared data (its preprocessing, shape, modality).
    """

    split: ClassSplit
    classes: list[str]
    train: Pool
    val: Pool | None
    test: Pool
    prepared: PreparedData

    def names(self, part: str) -> list[str]:
        return [self.classes[i] for i in getattr(self.split, part)]


def _pool_tensors(data: PreparedData) -> tuple[torch.Tensor, torch.Tensor]:
    parts = [p for p in (data.train, data.val, data.test) if p is not None]
    return torch.cat([p[0] for p in parts]), torch.cat([p[1] for p in parts])


def _whole(recipe: Recipe) -> Recipe:
    """The recipe that prepares one class split whole: no validation or test part taken out."""
    return recipe.override(
        {
            "data.classes": None,
            "split.method": "holdout",
            "split.val": 0.0,
            "split.test": 0.0,
            "split.train_size": None,
            "split.stratify": False,
        }
    )


def prepare_meta_data(recipe: Recipe) -> MetaData:
    """Load the data once, split its classes, and prepare a pool of episodes for each split.

    Raises:
        ConfigError: bad ``meta`` settings (classes, a task other than one set of classes).
        DataError: a split with fewer classes than an episode's N, or a class with fewer
            examples than K + Q.
    """
    m = recipe.meta
    why = (
        f"meta.method: {m.method} learns to classify from a few examples; it needs one "
        "target of classes (task.type auto or classification, at most one task.targets)"
    )
    if recipe.task.type not in ("auto", "classification") or len(recipe.task.targets or []) > 1:
        raise ConfigError(why)
    whole = _whole(recipe)
    bundle = _load(whole)
    if bundle.task_kind != "classification":
        raise ConfigError(f"{why}; {bundle.main_target.name!r} holds values")
    split = class_split(recipe, list(bundle.classes))
    fitted = None
    pools: dict[str, Pool | None] = {}
    prepared: PreparedData | None = None
    seeds = {"train": recipe.seed, "val": recipe.seed + 1, "test": recipe.seed + 2}
    ways = {"train": m.ways_in_training, "val": m.n_way, "test": m.n_way}
    shots = {"train": m.shots_in_training, "val": m.k_shot, "test": m.k_shot}
    for part in ("train", "val", "test"):
        chosen = getattr(split, part)
        if not chosen:
            pools[part] = None
            continue
        data = prepare_data(whole, fitted, bundle=select_classes(bundle, list(chosen)))
        if part == "train":
            fitted, prepared = preprocess_state(data), data
        x, y = _pool_tensors(data)
        try:
            sampler = EpisodeSampler(
                y.numpy(),
                range(len(chosen)),
                n_way=ways[part],
                k_shot=shots[part],
                query=m.query,
                seed=seeds[part],
            )
        except DataError as exc:
            names = [bundle.classes[c] for c in chosen]
            raise DataError(_named(str(exc), part, names, m.train_shot is not None)) from None
        pools[part] = Pool(x, y, sampler)
    assert prepared is not None and pools["train"] is not None and pools["test"] is not None
    return MetaData(
        split, list(bundle.classes), pools["train"], pools["val"], pools["test"], prepared
    )


def _named(message: str, part: str, names: list[str], train_shot: bool) -> str:
    """An episode sampler's error, saying which split, which class and which keys it means."""
    for i, name in enumerate(names):
        message = message.replace(f"class {i} has", f"class {name!r} has")
    way = "meta.train_way" if part == "train" else "meta.n_way"
    shot = "meta.train_shot" if part == "train" and train_shot else "meta.k_shot"
    message = message.replace("n_way =", f"{way} =").replace(
        "k_shot + query", f"{shot} + meta.query"
    )
    return f"meta.classes.{part}: {message.removeprefix('episodes: ')}"


def with_classes(data: PreparedData, n: int) -> PreparedData:
    """``data`` as a model builder sees it with ``n`` classes (MAML's n_way head)."""
    return dataclasses.replace(data, classes=[str(i) for i in range(n)])
