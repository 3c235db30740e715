"""Run a recipe end to end: data, model, strategies, training, evaluation, outputs.

The run folder holds the resolved recipe (``recipe.yaml``), the per-epoch
history (``history.csv``), the final metrics (``metrics.json``), the model
(``model.safetensors``, with its preprocessing, classes and recipe), the
learning curves and confusion matrix (PNG) and a self-contained
``report.html``. State is checkpointed after every epoch, so an interrupted
run resumes from its partial folder and ends with the same result.

Everything that bad input can break (an unknown component, the data, the
transfer's checkpoint, member 0's model, the augmentations) is built before
the run folder is created, so a bad recipe leaves nothing behind. The steps
live in their own modules: :mod:`~trainlab.workflows.members` (train or resume
the members), :mod:`~trainlab.workflows.final` (final metrics, verdict) and
:mod:`~trainlab.workflows.outputs` (the files).

Started by ``torchrun`` (``trainlab run --nproc N``), a run trains on every
process with DistributedDataParallel (:mod:`trainlab.engine.distributed`).
Rank 0 checks the recipe and prepares the data first (filling any cache),
then the others; rank 0 alone creates, writes and finishes the run folder,
scores the test split and opens the trackers, and a resumed run's folder is
read by rank 0 and sent to the others.

Example:
    >>> import os, tempfile
    >>> from trainlab.config.recipe import Recipe
    >>> from trainlab.core.errors import ConfigError
    >>> from trainlab.workflows.run import run_recipe
    >>> r = Recipe.load("wine-mlp").override({"train.epochs": 2, "train.progress": False})
    >>> out = tempfile.mkdtemp()
    >>> result = run_recipe(r, out_dir=out)  # doctest: +SKIP
    >>> sorted(p.name for p in result.folder.iterdir())[:3]  # doctest: +SKIP
    ['confusion.png', 'curves.png', 'history.csv']
    >>> try:  # a bad recipe fails before any folder exists
    ...     run_recipe(r.override({"augment": [{"name": "spin"}]}), out_dir=out)
    ... except ConfigError as exc:
    ...     print(str(exc)[:40])
    augment[0]: unknown augmentation 'spin';
    >>> os.listdir(out)
    []
"""

from __future__ import annotations

import shutil
import sys
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from trainlab.config.paths import with_absolute_paths
from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError, DataError, PeerLost, TrainingDiverged
from trainlab.engine.diagnose import Diagnosis
from trainlab.engine.diagnose.messages import Lang, check_lang
from trainlab.engine.distributed import Distributed, from_env, on_main, peer_lost
from trainlab.engine.distributed import close as close_group
from trainlab.engine.history import History
from trainlab.engine.loop import resolve_device
from trainlab.engine.tracking import Tracking
from trainlab.io.tracking import Tracker, numeric, open_trackers
from trainlab.models import StagedModel
from trainlab.workflows.assemble import (
    MemberModel,
    build_member_model,
    check_augmentations,
    check_components,
    check_strategies,
)
from trainlab.workflows.final import diagnose_members, final_metrics
from trainlab.workflows.members import STATE_FILE, member_file, train_members
from trainlab.workflows.model_choice import resolve_model
from trainlab.workflows.outputs import write_outputs
from trainlab.workflows.prepare import PreparedData, prepare_data
from trainlab.workflows.run_folder import RunFolder, default_run_name
from trainlab.workflows.task_setup import check_task
from trainlab.workflows.transfer_setup import Transfer


@dataclass(frozen=True)
class RunResult:
    """What a finished run produced.

    Attributes:
        folder: the complete run folder.
        metrics: the final metrics, as in its ``metrics.json``.
        history: every member's epochs, as in its ``history.csv``.
        models: the trained members, in evaluation mode.
        data: the prepared data they were trained and scored on.
        transfer: what a transfer copied and froze (the checkpoint's ``transfer``), or None.
        diagnosis: the verdict on member 0's curves, with its remedies and budget
            warnings (as in the report), or None.
    """

    folder: Path
    metrics: dict[str, Any]
    history: History
    models: list[StagedModel]
    data: PreparedData
    transfer: dict[str, Any] | None = None
    diagnosis: Diagnosis | None = None
    #: this process's rank in a DDP run; a rank other than 0 writes nothing and its
    #: ``metrics`` are empty (rank 0's ``metrics.json`` has the run's)
    rank: int = 0


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C during a run; ``partial`` is the folder that ``--resume`` continues."""

    def __init__(self, partial: Path) -> None:
        super().__init__(str(partial))
        self.partial = partial


def prepare_run_data(recipe: Recipe, transfer: Transfer | None = None) -> PreparedData:
    """The recipe's data, prepared as its transfer's checkpoint expects when it has one.

    Args:
        recipe: the run's recipe.
        transfer: the recipe's transfer, when the caller resolved it already
            (otherwise it is resolved here, from ``recipe``).
    """
    transfer = transfer if transfer is not None else Transfer.from_recipe(recipe)
    data = prepare_data(recipe)
    return transfer.adapt_data(recipe, data) if transfer is not None else data


def _checked(recipe: Recipe) -> tuple[Recipe, Transfer | None, PreparedData, MemberModel]:
    """Resolve what the run needs, failing on bad input before any folder exists.

    Warnings (a transfer's preprocessing check) are said only once every check passed.
    """
    check_components(recipe)
    check_augmentations(recipe)  # before the data are read: names and arguments
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        transfer = Transfer.from_recipe(recipe)  # a bad checkpoint
        data = prepare_run_data(recipe, transfer)  # bad data, a preprocessing mismatch
        recipe = resolve_model(recipe, data.modality)  # model.name: auto → by the modality
        check_augmentations(recipe, data.modality)  # and whether they fit the data
        check_task(recipe, data)  # the task fits the targets; early stopping watches its metric
        check_strategies(recipe, data)  # label flips and label mixing need classes
        first = build_member_model(recipe, data, transfer, 0)  # a misfit model or checkpoint
    for w in said:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return recipe, transfer, data, first


#: the file of a run folder that keeps its report's language (absent: English)
LANG_FILE = "lang"


def _saved_lang(partial: Path) -> Lang | None:
    """The report language a run was started with, or None (English)."""
    path = partial / LANG_FILE
    return check_lang(path.read_text(encoding="utf-8").strip()) if path.is_file() else None


def run_recipe(
    recipe: Recipe,
    *,
    out_dir: str | Path = "runs",
    name: str | None = None,
    resume: str | Path | None = None,
    lang: Lang | None = None,
) -> RunResult:
    """Train and evaluate ``recipe``; write and return its run folder.

    Args:
        recipe: the validated recipe (ignored when resuming: the saved one is used); its
            relative file paths are taken from the current folder and kept absolute.
        out_dir: where run folders are created.
        name: the run folder's name (default: recipe name and time stamp).
        resume: an unfinished run's partial folder (or its final path) to continue.
        lang: the report's language, ``"en"`` or ``"es"`` (None: the one the resumed run
            was started with, else English); a language other than English is kept in the
            run folder's ``lang`` file for a resume.
    """
    group = from_env()  # a DDP run started by torchrun, or None
    main = group is None or group.is_main
    if resume is not None:
        folder, saved, lang = on_main(lambda: _resumed(resume, lang), group)
        recipe = Recipe.from_dict(saved)
    else:  # so that the saved recipe.yaml reruns from any folder
        recipe = with_absolute_paths(recipe)
    threads = torch.get_num_threads()
    if recipe.train.threads:
        torch.set_num_threads(recipe.train.threads)
    try:
        if recipe.meta.enabled:
            if group is not None:
                raise ConfigError("meta-learning runs in one process: drop --nproc")
            return _run_meta(recipe, out_dir, name, folder if resume is not None else None)
        recipe, transfer, data, first = _checked_in_turn(recipe, group)
        if resume is None:
            label = name or default_run_name(recipe)
            folder = on_main(lambda: RunFolder.create(out_dir, label), group)
        trackers = _open_trackers(recipe, folder, fresh=resume is None) if main else []
        lang = check_lang(lang or "en")
        if resume is None and main:
            recipe.save(folder.partial / "recipe.yaml")
            if lang != "en":
                (folder.partial / LANG_FILE).write_text(f"{lang}\n", encoding="utf-8")
        try:
            result = _run(recipe, data, transfer, first, folder, lang, trackers, group)
        except KeyboardInterrupt:
            _close(trackers, None)
            raise RunInterrupted(folder.partial) from None
        except RuntimeError as exc:  # in a DDP run: a collective whose peer went away
            _close(trackers, None)
            lost = peer_lost(exc) if group is not None else None
            if lost is None:
                raise
            raise lost from None
        except DataError as exc:  # a bad file met in training (a streamed data set's)
            _close(trackers, None)
            raise _after_bad_data(exc, folder, fresh=resume is None and main) from None
        except BaseException:
            _close(trackers, None)
            raise
        finally:
            data.close()  # a streamed data set's worker processes
        _close(trackers, result.metrics)
        return result
    finally:
        torch.set_num_threads(threads)
        if group is not None and not isinstance(sys.exc_info()[1], PeerLost):
            close_group()  # (with a peer gone, leaving the group could hang)


def _resumed(
    resume: str | Path, lang: Lang | None
) -> tuple[RunFolder, dict[str, Any], Lang | None]:
    """An unfinished run's folder, its saved recipe and its report's language."""
    folder = RunFolder.resume(resume)
    recipe = Recipe.load(folder.partial / "recipe.yaml")
    return folder, recipe.to_dict(), lang or _saved_lang(folder.partial)


def _checked_in_turn(
    recipe: Recipe, group: Distributed | None
) -> tuple[Recipe, Transfer | None, PreparedData, MemberModel]:
    """:func:`_checked` here; in a DDP run, on rank 0 first (bad input fails there
    alone, and the data's caches are filled once), then on the other ranks."""
    if group is None:
        return _checked(recipe)
    if group.is_main:
        checked = _checked(recipe)
        group.barrier()
        return checked
    group.barrier()
    with warnings.catch_warnings():  # rank 0 said them
        warnings.simplefilter("ignore")
        return _checked(recipe)


def _open_trackers(recipe: Recipe, folder: RunFolder, *, fresh: bool) -> list[Tracker]:
    """The run's trackers (``track``); a new run's empty folder goes if one cannot open."""
    if not recipe.track.enabled:
        return []
    try:
        return open_trackers(recipe.track, folder.final.name, recipe.to_dict())
    except ConfigError:
        if fresh:
            shutil.rmtree(folder.partial, ignore_errors=True)
        raise


def _close(trackers: Sequence[Tracker], metrics: dict[str, Any] | None) -> None:
    """End the run in every tracker: finished with its final metrics, or failed (None)."""
    for tracker in trackers:
        tracker.close(numeric(metrics) if metrics is not None else {})


def _run_meta(
    recipe: Recipe, out_dir: str | Path, name: str | None, resumed: RunFolder | None
) -> RunResult:
    """A meta-learning run (:mod:`~trainlab.workflows.meta_run`). It keeps no checkpoint
    between episodes: a resumed one trains again from the start, to the same result."""
    from trainlab.engine.history import History
    from trainlab.workflows.meta_run import check_meta, train_meta, write_meta_outputs

    plan = check_meta(recipe)
    folder = resumed or RunFolder.create(out_dir, name or default_run_name(recipe))
    if resumed is None:
        recipe.save(folder.partial / "recipe.yaml")
    start = time.perf_counter()
    try:
        outcome = train_meta(recipe, plan)
    except KeyboardInterrupt:
        raise RunInterrupted(folder.partial) from None
    outcome.metrics["wall_seconds"] = time.perf_counter() - start
    write_meta_outputs(folder.partial, recipe, plan, outcome)
    done = folder.finalize()
    return RunResult(done, outcome.metrics, History(outcome.rows), [plan.model], plan.view)


def _after_bad_data(exc: DataError, folder: RunFolder, *, fresh: bool) -> DataError:
    """The error of a run stopped by bad data: a new run with nothing to resume leaves no
    folder behind; one with a checkpoint keeps it, and the error says how to resume."""
    partial = folder.partial
    if fresh and not (partial / STATE_FILE).exists() and not any(partial.glob("member-*")):
        shutil.rmtree(partial, ignore_errors=True)
        return exc
    return DataError(f"{exc}; the run so far is kept: trainlab run --resume {partial}")


def _run(
    recipe: Recipe,
    data: PreparedData,
    transfer: Transfer | None,
    first: MemberModel,
    folder: RunFolder,
    lang: Lang,
    trackers: Sequence[Tracker] = (),
    group: Distributed | None = None,
) -> RunResult:
    device = resolve_device(recipe.train.device)
    device = group.device(device) if group is not None else device
    start = time.perf_counter()
    extra = (lambda member: [Tracking(trackers)] if member == 0 else []) if trackers else None
    try:
        members = train_members(
            recipe, data, transfer, device, folder.partial, first=first, extra_callbacks=extra
        )
    except TrainingDiverged as exc:
        state = folder.partial / STATE_FILE
        keep = f"; the last good checkpoint is {state}" if state.exists() else ""
        raise TrainingDiverged(
            f"{exc}{keep}", epoch=exc.epoch, batch=exc.batch, value=exc.value
        ) from None
    if group is not None and not group.is_main:  # rank 0 scores, writes and finishes
        history = History(members.first.history)
        return RunResult(folder.final, {}, history, members.models, data, rank=group.rank)
    final = final_metrics(recipe, data, members, device)
    metrics = final.metrics
    metrics["wall_seconds"] = time.perf_counter() - start
    diagnosis = diagnose_members(members, recipe, data, metrics)
    metrics["verdict"] = diagnosis.verdict
    history = write_outputs(
        folder.partial, recipe, data, members, metrics, diagnosis, final.test_probs, lang
    )
    (folder.partial / STATE_FILE).unlink(missing_ok=True)
    for i in range(len(members.models)):
        member_file(folder.partial, i).unlink(missing_ok=True)
    done = folder.finalize()
    return RunResult(
        done, metrics, history, members.models, data, members.first.transfer, diagnosis
    )
