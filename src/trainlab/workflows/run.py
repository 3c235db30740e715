"""Run a recipe end to end: data, model, strategies, training, evaluation, outputs.

The run folder holds the resolved recipe (``recipe.yaml``), the per-epoch
history (``history.csv``), the final metrics (``metrics.json``), the model
(``model.safetensors``, with its preprocessing, classes and recipe), the
learning curves and confusion matrix (PNG) and a self-contained
``report.html``. State is checkpointed after every epoch, so an interrupted
run resumes from its partial folder and ends with the same result.

Example:
    >>> import tempfile
    >>> from trainlab.config.recipe import Recipe, TestTimeConfig, with_absolute_paths
    >>> from trainlab.workflows.run import run_recipe
    >>> r = Recipe.load("wine-mlp").override({"train.epochs": 2, "train.progress": False})
    >>> result = run_recipe(r, out_dir=tempfile.mkdtemp())
    >>> sorted(p.name for p in result.folder.iterdir())[:3]
    ['confusion.png', 'curves.png', 'history.csv']
"""

from __future__ import annotations

import json
import math
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from trainlab.config.recipe import Recipe, TestTimeConfig, with_absolute_paths
from trainlab.core.errors import TrainingDiverged
from trainlab.core.seeding import epoch_seed
from trainlab.engine.callbacks import Callback
from trainlab.engine.history import History
from trainlab.engine.loop import Trainer, resolve_device
from trainlab.engine.optim import build_optimizer, build_scheduler
from trainlab.engine.prediction import (
    ensemble_probabilities,
    predict_logits,
    probabilities_metrics,
)
from trainlab.engine.strategies.early_stopping import EarlyStopping
from trainlab.io.checkpoint import flatten_state, load_checkpoint, save_checkpoint, unflatten_state
from trainlab.io.model_file import MODEL_FILE, save_model
from trainlab.models import StagedModel, build_model
from trainlab.models.init import apply_init
from trainlab.workflows.assemble import (
    augment_callback,
    callback_order,
    check_components,
    strategy_callbacks,
    training_loss,
)
from trainlab.workflows.prepare import PreparedData, prepare_data, preprocess_state
from trainlab.workflows.run_folder import RunFolder, default_run_name

STATE_FILE = "state.safetensors"


@dataclass
class RunResult:
    """What a finished run produced."""

    folder: Path
    metrics: dict[str, Any]
    history: History
    models: list[StagedModel]
    data: PreparedData
    #: what a transfer copied and froze (the checkpoint's ``transfer`` metadata), or None
    transfer: dict[str, Any] | None = None


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C during a run; ``partial`` is the folder that ``--resume`` continues."""

    def __init__(self, partial: Path) -> None:
        super().__init__(str(partial))
        self.partial = partial


class _SaveState(Callback):
    """Writes the resumable state of the current member after every epoch."""

    def __init__(self, path: Path, member: int) -> None:
        self.path, self.member = path, member

    def on_epoch_end(self, trainer: Trainer, epoch: int, logs: dict[str, float]) -> None:
        tensors, skeleton = flatten_state(trainer.state_dict())
        save_checkpoint(
            self.path, tensors, {"kind": "state", "member": self.member, "state": skeleton}
        )


def _amp(recipe: Recipe, device: torch.device) -> bool:
    return device.type == "cuda" and recipe.train.amp != "off"


def _make_trainer(
    recipe: Recipe,
    data: PreparedData,
    member: int,
    device: torch.device,
    state_path: Path | None,
    extra: list[Callback] | None = None,
) -> tuple[Trainer, dict[str, Any] | None]:
    """The trainer of one member, and what its transfer copied (None without transfer)."""
    seed = recipe.seed + member
    torch.manual_seed(epoch_seed(seed, 0, member))
    model = build_run_model(recipe, data)
    apply_init(model, recipe.init.scheme, recipe.init.std)
    params: Any = model.parameters()
    transfer = None
    if recipe.transfer.enabled:
        from trainlab.workflows.transfer_setup import setup_transfer

        transfer = setup_transfer(model, recipe, data.classes)
        params = transfer.groups
    model.to(device)
    optimizer = build_optimizer(params, recipe.optimizer)
    steps = math.ceil(data.sizes["train"] / recipe.train.batch_size)
    scheduler = build_scheduler(
        optimizer, recipe.schedule, steps_per_epoch=steps, epochs=recipe.train.epochs
    )
    callbacks = callback_order(
        strategy_callbacks(recipe, len(data.classes)),
        transfer=transfer.callback if transfer is not None else None,
        augment=augment_callback(recipe, data, seed),
        probes=extra or (),
        save_state=_SaveState(state_path, member) if state_path is not None else None,
    )
    members = recipe.ensemble.members
    trainer = Trainer(
        model,
        optimizer,
        scheduler,
        epochs=recipe.train.epochs,
        batch_size=recipe.train.batch_size,
        eval_batch_size=recipe.train.eval_batch_size,
        loss=training_loss(recipe),
        callbacks=callbacks,
        device=device,
        amp=_amp(recipe, device),
        clip_grad_norm=recipe.train.clip_grad_norm,
        seed=seed,
        member=member,
        progress=recipe.train.progress,
        desc=f"{recipe.name}" + (f" [{member + 1}/{members}]" if members > 1 else ""),
    )
    return trainer, (transfer.info if transfer is not None else None)


def _member_file(folder: Path, member: int) -> Path:
    return folder / f"member-{member}.safetensors"


def _member_info(trainer: Trainer) -> dict[str, Any]:
    es = next((cb for cb in trainer.callbacks if isinstance(cb, EarlyStopping)), None)
    return {
        "history": trainer.history.rows,
        "best_epoch": es.best_epoch if es else None,
        "stopped_epoch": es.stopped_epoch if es else None,
    }


def train_members(
    recipe: Recipe,
    data: PreparedData,
    device: torch.device,
    folder: Path | None,
    extra_callbacks: Callable[[int], list[Callback]] | None = None,
) -> tuple[list[StagedModel], list[dict[str, Any]]]:
    """Train (or resume) every ensemble member; returns models and per-member info.

    ``extra_callbacks(member)`` adds callbacks to a member's training (e.g. probes).
    """
    models: list[StagedModel] = []
    infos: list[dict[str, Any]] = []
    state_path = folder / STATE_FILE if folder is not None else None
    for member in range(recipe.ensemble.members):
        extra = extra_callbacks(member) if extra_callbacks is not None else None
        trainer, transfer = _make_trainer(recipe, data, member, device, state_path, extra)
        member_path = _member_file(folder, member) if folder is not None else None
        if member_path is not None and member_path.exists():
            tensors, meta = load_checkpoint(member_path)
            trainer.model.load_state_dict(tensors)
            info = meta["info"]
        else:
            if state_path is not None and state_path.exists():
                tensors, meta = load_checkpoint(state_path)
                if meta.get("member") == member:
                    trainer.load_state_dict(unflatten_state(meta["state"], tensors))
            trainer.fit(data.train, data.val)
            info = _member_info(trainer)
            if transfer is not None:
                info["transfer"] = transfer
            if member_path is not None:
                save_checkpoint(
                    member_path,
                    dict(trainer.model.state_dict()),
                    {"kind": "member", "member": member, "info": info},
                )
        trainer.model.eval()
        models.append(trainer.model)
        infos.append(info)
    return models, infos


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
        for name in ("train", "val", "test"):
            split = getattr(data, name)
            if split is None:
                continue
            logits = predict_logits(model, split[0], device, recipe.train.eval_batch_size)
            m = probabilities_metrics(logits.softmax(1), split[1])
            row[f"{name}_loss"], row[f"{name}_acc"] = m["loss"], m["acc"]
        out.append(row)
    return out


def final_metrics(
    recipe: Recipe,
    data: PreparedData,
    models: list[StagedModel],
    infos: list[dict[str, Any]],
    device: torch.device,
) -> tuple[dict[str, Any], torch.Tensor | None]:
    """Metrics of the final model(s) on every split; returns them and the test probabilities."""
    torch.manual_seed(epoch_seed(recipe.seed, 10**6))  # Monte-Carlo dropout draws
    metrics: dict[str, Any] = {}
    test_probs = None
    for name in ("train", "val", "test"):
        m, probs = evaluate_models(
            models,
            getattr(data, name),
            device,
            batch_size=recipe.train.eval_batch_size,
            mc_dropout=recipe.ensemble.mc_dropout,
            amp=_amp(recipe, device),
            test_time=recipe.test_time if name != "train" else None,
        )
        for k, v in m.items():
            metrics[f"{name}_{k}"] = v
        if name == "test":
            test_probs = probs
    if "train_acc" in metrics:
        ref = "test_acc" if "test_acc" in metrics else "val_acc"
        if ref in metrics:
            metrics["gap"] = metrics["train_acc"] - metrics[ref]
    first = infos[0]
    metrics["epochs_run"] = len(first["history"])
    metrics["best_epoch"] = first.get("best_epoch")
    metrics["seconds"] = sum(float(r.get("seconds", 0.0)) for i in infos for r in i["history"])
    if len(models) > 1 or recipe.ensemble.mc_dropout:
        metrics["members"] = _member_metrics(models, data, device, recipe)
    return metrics, test_probs


def model_checkpoint_meta(
    recipe: Recipe,
    data: PreparedData,
    models: list[StagedModel],
    metrics: dict[str, Any],
    transfer: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The JSON metadata of a model checkpoint (``transfer``: where its stages came from)."""
    return {
        "kind": "model",
        "model": models[0].config,
        "stages": models[0].stage_names,
        "members": len(models),
        "preprocess": preprocess_state(data),
        "classes": data.classes,
        "data": data.summary,
        "recipe": recipe.to_dict(),
        "metrics": metrics,
        **({"transfer": transfer} if transfer else {}),
    }


def _write_outputs(
    folder: Path,
    recipe: Recipe,
    data: PreparedData,
    models: list[StagedModel],
    infos: list[dict[str, Any]],
    metrics: dict[str, Any],
    test_probs: torch.Tensor | None,
) -> History:
    from sklearn.metrics import confusion_matrix

    from trainlab.engine.diagnose import diagnose
    from trainlab.report import plot_confusion_matrix, plot_learning_curves, write_run_report

    rows = []
    for i, info in enumerate(infos):
        for r in info["history"]:
            rows.append({**r, "member": i} if len(infos) > 1 else dict(r))
    history = History(rows)
    history.save_csv(folder / "history.csv")
    first = History(infos[0]["history"])
    diagnosis = diagnose(first.rows)
    metrics["verdict"] = diagnosis.verdict
    (folder / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    meta = model_checkpoint_meta(recipe, data, models, metrics, infos[0].get("transfer"))
    save_model(folder / MODEL_FILE, models, meta)
    mark = infos[0].get("best_epoch") or diagnosis.epoch
    figures = {
        "Learning curves": plot_learning_curves(
            first.rows, folder / "curves.png", title=recipe.name, mark_epoch=mark
        )
    }
    if test_probs is not None and data.test is not None:
        cm = confusion_matrix(
            data.test[1].numpy(),
            test_probs.argmax(1).cpu().numpy(),
            labels=range(len(data.classes)),
        )
        figures["Confusion matrix (test)"] = plot_confusion_matrix(
            cm, data.classes, folder / "confusion.png", title=f"{recipe.name}: test"
        )
    write_run_report(
        folder / "report.html",
        title=recipe.name,
        recipe=recipe.to_dict(),
        metrics=metrics,
        history=first.rows,
        diagnosis=diagnosis,
        figures=figures,
        data_summary=_with_transfer(data.summary, infos[0].get("transfer")),
    )
    return history


def _with_transfer(summary: dict[str, Any], info: dict[str, Any] | None) -> dict[str, Any]:
    if not info:
        return summary
    from trainlab.workflows.transfer_setup import describe_transfer

    return {**summary, "transfer": describe_transfer(info)}


def prepare_run_data(recipe: Recipe) -> PreparedData:
    """The recipe's data, prepared as its transfer checkpoint expects when it has one."""
    data = prepare_data(recipe)
    if recipe.transfer.enabled:
        from trainlab.workflows.transfer_setup import transfer_data

        data = transfer_data(recipe, data)
    return data


def build_run_model(recipe: Recipe, data: PreparedData) -> StagedModel:
    """The run's untrained model (``transfer.architecture: checkpoint`` takes the source's)."""
    if recipe.transfer.enabled:
        from trainlab.workflows.transfer_setup import transfer_model

        return transfer_model(recipe, data.in_shape, len(data.classes))
    return build_model(recipe.model, data.in_shape, len(data.classes))


def run_recipe(
    recipe: Recipe,
    *,
    out_dir: str | Path = "runs",
    name: str | None = None,
    resume: str | Path | None = None,
) -> RunResult:
    """Train and evaluate ``recipe``; write and return its run folder.

    Args:
        recipe: the validated recipe (ignored when resuming: the saved one is used); its
            relative file paths are taken from the current folder and kept absolute.
        out_dir: where run folders are created.
        name: the run folder's name (default: recipe name and time stamp).
        resume: an unfinished run's partial folder (or its final path) to continue.
    """
    if resume is not None:
        folder = RunFolder.resume(resume)
        recipe = Recipe.load(folder.partial / "recipe.yaml")
    else:  # so that the saved recipe.yaml reruns from any folder
        recipe = with_absolute_paths(recipe)
    threads = torch.get_num_threads()
    if recipe.train.threads:
        torch.set_num_threads(recipe.train.threads)
    try:
        check_components(recipe)
        with warnings.catch_warnings(record=True) as said:  # said once the checks pass
            warnings.simplefilter("always")
            data = prepare_run_data(recipe)  # bad data fails here, before any folder exists
            model = build_run_model(recipe, data)  # a misfit model
            if recipe.transfer.enabled:  # and a checkpoint that does not fit it
                from trainlab.workflows.transfer_setup import setup_transfer

                setup_transfer(model, recipe, data.classes)
        for w in said:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        if recipe.augment:
            from trainlab.augment.pipeline import build_augmentations

            build_augmentations(recipe.augment, modality=data.modality)
        if resume is None:
            folder = RunFolder.create(out_dir, name or default_run_name(recipe.name))
            recipe.save(folder.partial / "recipe.yaml")
        try:
            return _run(recipe, data, folder)
        except KeyboardInterrupt:
            raise RunInterrupted(folder.partial) from None
    finally:
        torch.set_num_threads(threads)


def _run(recipe: Recipe, data: PreparedData, folder: RunFolder) -> RunResult:
    device = resolve_device(recipe.train.device)
    start = time.perf_counter()
    try:
        models, infos = train_members(recipe, data, device, folder.partial)
    except TrainingDiverged as exc:
        state = folder.partial / STATE_FILE
        keep = f"; the last good checkpoint is {state}" if state.exists() else ""
        raise TrainingDiverged(f"{exc}{keep}") from None
    metrics, test_probs = final_metrics(recipe, data, models, infos, device)
    metrics["wall_seconds"] = time.perf_counter() - start
    history = _write_outputs(folder.partial, recipe, data, models, infos, metrics, test_probs)
    (folder.partial / STATE_FILE).unlink(missing_ok=True)
    for i in range(len(models)):
        _member_file(folder.partial, i).unlink(missing_ok=True)
    final = folder.finalize()
    return RunResult(final, metrics, history, models, data, infos[0].get("transfer"))
