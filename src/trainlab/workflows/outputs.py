"""What a finished run writes: history, metrics, model file, figures and report.

Every file goes into the run's partial folder, which is renamed into place
only once all of them are written (:mod:`trainlab.workflows.run_folder`):

- ``history.csv``: one row per epoch (and per member, with a ``member`` column);
- ``metrics.json``: the final metrics and the verdict;
- ``model.safetensors``: every member's weights, with the JSON metadata that
  rebuilds the model and its preprocessing (:func:`model_checkpoint_meta`);
- ``curves.png``, ``confusion.png`` (audio: ``spectrograms.png``; video: ``clips.png``,
  one test clip per class with its flow and masks) and ``report.html``;
- text: ``examples.txt``, test texts predicted right and wrong and training texts
  before and after each text augmentation, as the report shows them
  (:mod:`~trainlab.workflows.text_examples`).

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from trainlab.config.recipe import Recipe
    >>> from trainlab.io.model_file import load_model
    >>> from trainlab.models import build_model
    >>> from trainlab.workflows.outputs import save_run_model
    >>> from trainlab.workflows.prepare import prepare_data
    >>> r = Recipe.load("wine-mlp")
    >>> data = prepare_data(r)
    >>> model = build_model(r.model, data.in_shape, len(data.classes))
    >>> path = Path(tempfile.mkdtemp()) / "model.safetensors"
    >>> save_run_model(path, r, data, [model], metrics={})
    >>> load_model(path)[1]["classes"]
    ['class_0', 'class_1', 'class_2']
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch

from trainlab.config.recipe import Recipe
from trainlab.core.atomic import write_text_atomic
from trainlab.engine.diagnose import Diagnosis
from trainlab.engine.diagnose.messages import Lang
from trainlab.engine.history import History
from trainlab.io.model_file import MODEL_FILE, save_model
from trainlab.models import StagedModel
from trainlab.workflows.members import TrainedMembers
from trainlab.workflows.prepare import PreparedData, preprocess_state
from trainlab.workflows.task_setup import build_task
from trainlab.workflows.transfer_setup import describe_transfer


def model_checkpoint_meta(
    recipe: Recipe,
    data: PreparedData,
    models: list[StagedModel],
    metrics: dict[str, Any],
    transfer: dict[str, Any] | None = None,
    task_state: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The JSON metadata of a model checkpoint (``transfer``: where its stages came from;
    ``task_state``: the trained task's tensors, default those of a freshly fitted task)."""
    task = build_task(recipe, data)
    state = task_state or {k: v.tolist() for k, v in task.state_dict().items()}
    return {
        "kind": "model",
        "model": models[0].config,
        "stages": models[0].stage_names,
        "members": len(models),
        "preprocess": preprocess_state(data),
        "classes": data.classes,
        "task": task.describe(),
        "task_state": state,
        "data": data.summary,
        "recipe": recipe.to_dict(),
        "metrics": metrics,
        **({"transfer": transfer} if transfer else {}),
    }


def save_run_model(
    path: Path,
    recipe: Recipe,
    data: PreparedData,
    models: list[StagedModel],
    metrics: dict[str, Any],
    transfer: dict[str, Any] | None = None,
    task_state: dict[str, Any] | None = None,
) -> None:
    """Save the trained model(s) at ``path`` (atomically), ready to evaluate or transfer."""
    meta = model_checkpoint_meta(recipe, data, models, metrics, transfer, task_state)
    save_model(path, models, meta)


def run_history(members: TrainedMembers) -> History:
    """Every member's epochs; a ``member`` column tells an ensemble's members apart."""
    rows = []
    several = len(members.infos) > 1
    for i, info in enumerate(members.infos):
        for r in info.history:
            rows.append({**r, "member": i} if several else dict(r))
    return History(rows)


def _with_transfer(summary: dict[str, Any], info: dict[str, Any] | None) -> dict[str, Any]:
    if not info:
        return summary
    return {**summary, "transfer": describe_transfer(info)}


def _figures(
    folder: Path,
    recipe: Recipe,
    data: PreparedData,
    history: list[dict[str, Any]],
    mark: int | None,
    test_probs: torch.Tensor | None,
    primary: str,
) -> dict[str, Path]:
    """Learning curves in the task's main metric and, for one set of classes with a test
    split, its confusion matrix (PNG files); audio and video runs add example clips."""
    from sklearn.metrics import confusion_matrix

    from trainlab.report import plot_confusion_matrix, plot_learning_curves

    figures = {
        "Learning curves": plot_learning_curves(
            history, folder / "curves.png", title=recipe.name, mark_epoch=mark, metric=primary
        )
    }
    one_label = len(data.targets) == 1 and data.targets[0].kind == "classification"
    if one_label and test_probs is not None and data.test is not None:
        cm = confusion_matrix(
            data.test[1].numpy(),
            test_probs.argmax(1).cpu().numpy(),
            labels=range(len(data.classes)),
        )
        figures["Confusion matrix (test)"] = plot_confusion_matrix(
            cm, data.classes, folder / "confusion.png", title=f"{recipe.name}: test"
        )
    if data.frontend is not None and data.classes:
        from trainlab.workflows.preview_audio import example_spectrograms

        figures["Example spectrograms, one clip per class"] = example_spectrograms(
            data, folder / "spectrograms.png", f"{recipe.name}: what the model hears"
        )
    if data.video is not None and data.classes:
        from trainlab.workflows.preview_video import clips_caption, example_clips

        figures[clips_caption(data.video)] = example_clips(
            data, folder / "clips.png", f"{recipe.name}: what the model sees"
        )
    return figures


def write_outputs(
    folder: Path,
    recipe: Recipe,
    data: PreparedData,
    members: TrainedMembers,
    metrics: dict[str, Any],
    diagnosis: Diagnosis,
    test_probs: torch.Tensor | None,
    lang: Lang = "en",
) -> History:
    """Write a finished run's files into ``folder``, the report in ``lang``; returns the history."""
    from trainlab.report import write_run_report
    from trainlab.report.text_examples import EXAMPLES_FILE, examples_text
    from trainlab.workflows.text_examples import pick_text_examples

    history = run_history(members)
    history.save_csv(folder / "history.csv")
    first = History(members.first.history)
    (folder / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    transfer = members.first.transfer
    save_run_model(
        folder / MODEL_FILE,
        recipe,
        data,
        members.models,
        metrics,
        transfer,
        members.first.task_state,
    )
    mark = members.first.best_epoch or diagnosis.epoch
    primary = build_task(recipe, data).primary
    examples = pick_text_examples(recipe, data, test_probs)
    if examples is not None:
        write_text_atomic(folder / EXAMPLES_FILE, examples_text(examples, lang))
    write_run_report(
        folder / "report.html",
        primary=primary,
        title=recipe.name,
        recipe=recipe.to_dict(),
        metrics=metrics,
        history=first.rows,
        diagnosis=diagnosis,
        figures=_figures(folder, recipe, data, first.rows, mark, test_probs, primary),
        data_summary=_with_transfer(data.summary, transfer),
        lang=lang,
        text_examples=examples,
    )
    return history
