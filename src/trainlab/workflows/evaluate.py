"""Score a saved model with its own task and preprocessing: on a split, or on every row of a file.

A saved model (:class:`SavedModel`) is its members, the recipe it was trained
with, its task (rebuilt from the checkpoint's ``task`` description and fitted
state, e.g. a regression's target mean and standard deviation) and its fitted
preprocessing; nothing is refitted. :func:`evaluate_checkpoint` scores it with
the task's metrics (accuracy and loss; RMSE, MAE and R² in the target's
units; both per target for multitask learning) on one split of the saved
recipe's data, or on every example (``split="all"``): with ``file``, every row
of another file of the same kind (a CSV file, an image folder, a folder of
video clips). The targets of a file are read as the model learned them
(classes or values, whatever the file alone would suggest), and its classes
are matched to the model's by name, so a file that holds only some of the
classes scores right.

Example:
    >>> import tempfile, pathlib
    >>> from trainlab.config.recipe import Recipe
    >>> from trainlab.workflows.assemble import build_run_model
    >>> from trainlab.workflows.evaluate import evaluate_checkpoint
    >>> from trainlab.workflows.outputs import save_run_model
    >>> from trainlab.workflows.prepare import prepare_data
    >>> r = Recipe.load("wine-mlp")
    >>> data = prepare_data(r)
    >>> folder = pathlib.Path(tempfile.mkdtemp())  # a run folder's model, here untrained
    >>> save_run_model(folder / "model.safetensors", r, data, [build_run_model(r, data)], {})
    >>> m = evaluate_checkpoint(folder / "model.safetensors", split="test")
    >>> m["n"] > 0 and 0.0 <= m["acc"] <= 1.0
    True
    >>> evaluate_checkpoint(folder, split="all")["n"]  # a run folder stands for its model
    178
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from trainlab.config.recipe import Recipe
from trainlab.core.errors import CheckpointError, ConfigError, DataError
from trainlab.core.seeding import epoch_seed
from trainlab.data._bundle import Target
from trainlab.data.datasets import dataset_options
from trainlab.engine.loop import resolve_device
from trainlab.engine.tasks import Task, task_from_description
from trainlab.io.model_file import MODEL_FILE, load_model
from trainlab.models import StagedModel
from trainlab.preprocess.pipeline import Preprocessor
from trainlab.workflows.final import evaluate_models
from trainlab.workflows.prepare import PreparedData, Tensors, prepare_data

#: what ``split`` may be: one part of the saved recipe's split, or every example
SPLITS = ("train", "val", "test", "all")


@dataclass(frozen=True)
class SavedModel:
    """A trained model read back from its file, ready to predict as it was trained.

    Attributes:
        path: the model file.
        models: the ensemble's members, in evaluation mode.
        meta: the checkpoint's JSON metadata.
        recipe: the recipe it was trained with.
        task: its task, with the fitted state (target standardization) loaded.
        preprocessor: its fitted preprocessing.
    """

    path: Path
    models: list[StagedModel]
    meta: dict[str, Any]
    recipe: Recipe
    task: Task
    preprocessor: Preprocessor

    @classmethod
    def load(cls, path: str | Path) -> SavedModel:
        """The model at ``path``: a ``model.safetensors`` file, or a run folder holding one.

        Raises:
            ConfigError: a folder without a model file.
            CheckpointError: not a trainlab model file, or one that does not fit itself.
        """
        path = model_path(path)
        models, meta = load_model(path)
        recipe = Recipe.from_dict(meta["recipe"], source=f"{path} (recipe)")
        task = _saved_task(meta)
        pre = Preprocessor.from_state_dict(meta["preprocess"]["pipeline"])
        device = resolve_device(recipe.train.device)
        return cls(path, [m.to(device) for m in models], meta, recipe, task.to(device), pre)

    @property
    def targets(self) -> list[Target]:
        """The learned targets, the main one first, with the model's own classes."""
        desc = _task_description(self.meta)
        tasks = desc["tasks"] if desc["kind"] == "multitask" else None
        out = []
        for t in _target_kinds(self.meta):
            own = tasks[t["name"]] if tasks is not None else desc
            classes = tuple(own["classes"]) if t["kind"] == "classification" else ()
            out.append(Target(t["name"], t["kind"], classes))
        return out

    def predict(self, x: torch.Tensor) -> Any:
        """The task's averaged prediction for model inputs ``x``, as the run predicted its test
        split: members, Monte-Carlo dropout passes and test-time views as the recipe says."""
        from trainlab.engine.prediction import ensemble_predictions

        r = self.recipe
        torch.manual_seed(epoch_seed(r.seed, 10**6))  # Monte-Carlo dropout draws, as in a run
        return ensemble_predictions(
            self.models,
            x,
            resolve_device(r.train.device),
            self.task,
            batch_size=r.train.eval_batch_size,
            mc_dropout=r.ensemble.mc_dropout,
            flip=r.test_time.flip,
            shift=r.test_time.shift,
        )


def _task_description(meta: dict[str, Any]) -> dict[str, Any]:
    """The checkpoint's task; a model saved before tasks were stored is a classifier."""
    if "task" in meta:
        return meta["task"]
    return {"kind": "classification", "classes": list(meta["classes"])}


def _target_kinds(meta: dict[str, Any]) -> list[dict[str, str]]:
    """The checkpoint's learned targets (name, kind); before tasks were stored: ``label``."""
    if "targets" in meta["data"]:
        return meta["data"]["targets"]
    return [{"name": "label", "kind": "classification"}]


def _saved_task(meta: dict[str, Any]) -> Task:
    """The checkpoint's task with its fitted state (a regression's target mean and std)."""
    task = task_from_description(_task_description(meta))
    state = meta.get("task_state", {})  # none before tasks were stored
    try:
        task.load_state_dict({k: torch.tensor(v) for k, v in state.items()})
    except RuntimeError as exc:
        first = str(exc).strip().splitlines()[0]
        raise CheckpointError(
            f"checkpoint: its task state does not fit its task ({first})"
        ) from None
    return task.eval()


def model_path(path: str | Path) -> Path:
    """``path`` itself, or the model file of the run folder ``path``.

    Example:
        >>> model_path("runs/r/model.safetensors").name
        'model.safetensors'
    """
    path = Path(path)
    if path.is_dir():
        if not (path / MODEL_FILE).is_file():
            raise ConfigError(f"{path}: a folder without {MODEL_FILE} (expected a run folder)")
        return path / MODEL_FILE
    return path


def evaluate_checkpoint(
    path: str | Path,
    *,
    split: str = "test",
    overrides: list[str] | None = None,
    file: str | Path | None = None,
) -> dict[str, Any]:
    """The task's metrics of the model saved at ``path`` on ``split`` of its data, or of a file.

    Args:
        path: a model file or a run folder.
        split: ``train``, ``val`` or ``test`` of the saved recipe's split, or
            ``all``: every example of the data, whatever the split.
        overrides: ``--set`` assignments applied to the saved recipe (its data).
        file: another file of the data set's kind (``data.options.path``), scored
            whole: every row, ``split`` must be ``all``; it is read in memory, even for a
            model trained on a streamed folder.

    Returns:
        ``dataset``, ``split``, ``n`` (examples scored), ``file`` (with ``file``)
        and the task's metrics (``acc``, ``loss``; ``rmse``, ``mae``, ``r2``; or
        ``<target>_<metric>``).

    Raises:
        ConfigError: an unknown split, a file for data that read no file.
        DataError: the data do not fit the model (classes it does not know).
    """
    if split not in SPLITS:
        raise ConfigError(f"--split {split!r}: expected one of {', '.join(SPLITS)}")
    if file is not None and split != "all":
        raise ConfigError(f"--file scores every row of {file}; --split {split} does not apply")
    saved = SavedModel.load(path)
    recipe = _data_recipe(saved, overrides, file, split)
    data = prepare_data(recipe, fitted=saved.meta["preprocess"])
    part = _whole(data) if split == "all" else getattr(data, split)
    if part is None:
        raise ConfigError(f"the {split} split is empty for this recipe")
    y = _as_model_labels(part[1], data.targets, saved.targets, file or recipe.data.dataset)
    metrics, _ = evaluate_models(
        saved.models,
        (part[0], y),
        resolve_device(recipe.train.device),
        batch_size=recipe.train.eval_batch_size,
        mc_dropout=recipe.ensemble.mc_dropout,
        test_time=recipe.test_time,
        task=saved.task,
    )
    where = {"file": str(file)} if file is not None else {}
    return {
        "dataset": recipe.data.dataset,
        "split": split,
        **where,
        "n": _examples(part),
        **metrics,
    }


def _data_recipe(
    saved: SavedModel, overrides: list[str] | None, file: str | Path | None, split: str
) -> Recipe:
    """The saved recipe, its data pointed at ``file``, its targets read as the model's."""
    recipe = saved.recipe.override(overrides) if overrides else saved.recipe
    options = dataset_options(recipe.data.dataset)
    changes: dict[str, Any] = {}
    if file is not None:
        if "path" not in options:
            raise ConfigError(
                f"--file: dataset {recipe.data.dataset!r} reads no file (its options: "
                f"{', '.join(options) or 'none'}); the model learned from it, not from a file"
            )
        changes["data.options.path"] = str(file)
        changes["data.stream"] = False  # scored whole: every example in one part, in memory
    if "task" in options:  # a CSV target: classes or values, as the model learned it
        kinds = {t.name: t.kind for t in saved.targets}
        changes["data.options.task"] = kinds
    if split == "all":  # every example: one part, nothing held out or left out
        changes.update({"split.method": "holdout", "split.val": 0.0, "split.test": 0.0})
        changes["data.limit"] = None
    return recipe.override(changes) if changes else recipe


def _examples(part: Tensors) -> int:
    """How many examples a split holds (its targets' length: its inputs may be a stream)."""
    y = part[1]
    return len(next(iter(y.values()))) if isinstance(y, dict) else len(y)


def _whole(data: PreparedData) -> Tensors:
    """Every example of ``data``: the training part and a data set's own test split."""
    if data.streamed:
        raise ConfigError(
            "evaluate --split all: the data are streamed from their files; "
            "score one split at a time (--split train, val or test)"
        )
    parts = [p for p in (data.train, data.val, data.test) if p is not None]
    x = torch.cat([p[0] for p in parts])
    if isinstance(parts[0][1], dict):
        return x, {k: torch.cat([p[1][k] for p in parts]) for k in parts[0][1]}
    return x, torch.cat([p[1] for p in parts])


def _as_model_labels(y: Any, read: list[Target], model: list[Target], where: Any) -> Any:
    """The targets ``y`` with each class label renumbered to the model's class of that name."""
    if isinstance(y, dict):
        by_name = {t.name: t for t in model}
        return {t.name: _relabel(y[t.name], t, by_name[t.name], where) for t in read}
    return _relabel(y, read[0], model[0], where)


def _relabel(y: torch.Tensor, read: Target, model: Target, where: Any) -> torch.Tensor:
    if read.kind != "classification" or read.classes == model.classes:
        return y
    unknown = [c for c in read.classes if c not in model.classes]
    if unknown:
        raise DataError(
            f"{where}: target {read.name!r} holds class {unknown[0]!r}, which the model does "
            f"not know (its classes: {', '.join(model.classes)})"
        )
    index = torch.tensor([model.classes.index(c) for c in read.classes], dtype=torch.int64)
    return index[y]
