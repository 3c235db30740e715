"""Yosinski et al.'s (2014) transferability experiment, through the study store.

The classes of a data set are split into tasks A and B (default: the first
half and the rest). Phase one trains the base models ``baseA`` and ``baseB``
for every seed and keeps them in the study folder; phase two trains, for every
n from 1 to the number of stages, the arms

- ``BnB``: baseB's first n stages copied and frozen, the rest re-initialized and trained on B;
- ``BnB+``: the same, every stage fine-tuned;
- ``AnB``: baseA's first n stages copied and frozen;
- ``AnB+``: baseA's first n stages, fine-tuned;

plus ``baseB-2x``: baseB trained from scratch for the total epochs a
fine-tuned copy has had (the budget control). Every trial is a study trial, so
an interrupted study resumes where it stopped; each arm's seed ``s`` starts
from the base model of seed ``s``. Tasks A and B are sets of classes, so the
study needs a classification data set (another kind of target is refused in one
line); it compares the metric its study chose (its task's primary test metric,
test accuracy).

Example:
    >>> from trainlab.workflows.transfer_study import TransferStudy
    >>> s = TransferStudy(recipe="digits-cnn", seeds=[0], epochs=2)
    >>> spec = s.spec("/tmp/transfer-demo")
    >>> [v.name for v in spec.variants][:6]
    ['baseA', 'baseB', 'baseB-2x', 'BnB1', 'BnB+1', 'AnB1']
    >>> spec.recipe_for("AnB+2", 0).transfer.stages
    2
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError
from trainlab.stats.transferability import ARMS, TransferAnalysis, analyze, arm_variant
from trainlab.workflows.study.spec import StudySpec

_STRATEGY = {
    "BnB": "freeze-first-n",
    "BnB+": "fine-tune-all",
    "AnB": "freeze-first-n",
    "AnB+": "fine-tune-all",
}


@dataclass
class TransferStudy:
    """A transferability study.

    Args:
        recipe: the base recipe (a built-in name, a file, or a mapping).
        task_a: the classes of task A (names or indices; default: the first half).
        task_b: the classes of task B (default: every class not in task A).
        seeds: one base model pair and one trial per arm per seed.
        epochs: E, the epochs of every phase (default: the recipe's).
        depths: the values of n (default: 1 to the number of stages).
        arms: which of BnB, BnB+, AnB, AnB+ to run.
        overrides: recipe overrides applied first (``--set``).
        name: the study's name (its folder under ``out_dir``).
    """

    recipe: str | dict[str, Any] = "digits-cnn"
    task_a: list[str | int] | None = None
    task_b: list[str | int] | None = None
    seeds: list[int] = field(default_factory=lambda: [0, 1, 2])
    epochs: int | None = None
    depths: list[int] | None = None
    arms: list[str] = field(default_factory=lambda: list(ARMS))
    overrides: dict[str, Any] = field(default_factory=dict)
    name: str = "transfer"

    def base_recipe(self) -> Recipe:
        r = (
            Recipe.from_dict(self.recipe)
            if isinstance(self.recipe, dict)
            else Recipe.load(self.recipe)
        )
        r = r.override(dict(self.overrides))
        if self.epochs is not None:
            r = r.override({"train.epochs": self.epochs})
        return r

    def tasks(self, recipe: Recipe) -> tuple[list[str], list[str]]:
        """Tasks A and B as class names, checked against the data set."""
        from trainlab.data.classes import class_indices
        from trainlab.data.datasets import load_dataset
        from trainlab.data.targets import select_targets

        if recipe.data.classes is not None:
            raise ConfigError("transfer-study: the study sets data.classes itself (task A and B)")
        bundle = load_dataset(recipe.data.dataset, recipe.data.options)
        bundle = select_targets(bundle, recipe.task.targets)
        learned = bundle.targets if recipe.task.targets is not None else [bundle.main_target]
        _check_classification(recipe, learned)
        classes = list(bundle.classes)
        a = class_indices(classes, self.task_a) if self.task_a else None
        b = class_indices(classes, self.task_b) if self.task_b else None
        if a is None:
            a = [i for i in range(len(classes)) if b is None or i not in b]
            a = a[: len(a) // 2] if b is None else a
        if b is None:
            b = [i for i in range(len(classes)) if i not in a]
        if len(a) < 2 or len(b) < 2:
            raise ConfigError("transfer-study: tasks A and B need at least 2 classes each")
        if set(a) & set(b):
            shared = ", ".join(classes[i] for i in sorted(set(a) & set(b)))
            raise ConfigError(f"transfer-study: tasks A and B share classes ({shared})")
        return [classes[i] for i in a], [classes[i] for i in b]

    def spec(self, folder: str | Path, *, bases_only: bool = False) -> StudySpec:
        """The study (or its phase one) as a :class:`StudySpec` stored in ``folder``."""
        return self.specs(folder)[0 if bases_only else 1]

    def specs(self, folder: str | Path) -> tuple[StudySpec, StudySpec]:
        """Phase one (the base models) and the whole study, from one reading of the data set."""
        from trainlab.workflows.study.runner import model_file

        recipe = self.base_recipe()
        stages = len(recipe.model.widths)
        depths = self.depths or list(range(1, stages + 1))
        bad = [n for n in depths if not 1 <= n <= stages]
        if bad:
            raise ConfigError(
                f"transfer-study: depth {bad[0]} is outside 1..{stages} "
                f"(the model has {stages} stages)"
            )
        unknown = [x for x in self.arms if x not in ARMS]
        if unknown:
            raise ConfigError(
                f"transfer-study: unknown arm {unknown[0]!r}; expected any of {', '.join(ARMS)}"
            )
        a, b = self.tasks(recipe)  # reads the data set: after the checks that need none
        epochs = recipe.train.epochs
        folder = Path(folder).resolve()
        variants: dict[str, Any] = {
            "baseA": {"set": {"data.classes": a}, "description": "task A from scratch"},
            "baseB": {"set": {"data.classes": b}, "description": "task B from scratch"},
            "baseB-2x": {
                "set": {"data.classes": b, "train.epochs": 2 * epochs},
                "description": f"task B from scratch for {2 * epochs} epochs, "
                "the total of a fine-tuned copy",
            },
        }
        for n in depths:
            for arm in (x for x in ARMS if x in self.arms):
                src = "baseA" if arm.startswith("A") else "baseB"
                path = str(model_file(folder, src, "{seed}"))
                variants[arm_variant(arm, n)] = {
                    "set": {
                        "data.classes": b,
                        "transfer.checkpoint": path,
                        "transfer.stages": n,
                        "transfer.strategy": _STRATEGY[arm],
                        "transfer.head": "new",
                    },
                    "description": f"{src}'s first {n} stage{'s' if n > 1 else ''}, "
                    + ("frozen" if not arm.endswith("+") else "fine-tuned"),
                }
        full = {
            "name": self.name,
            "description": f"transferability: task A = {', '.join(a)}; task B = {', '.join(b)}",
            "base": recipe.to_dict(),
            "baseline": "baseB",
            "seeds": list(self.seeds),
            "probes": False,
            "save_models": ["baseA", "baseB"],
            "variants": variants,
        }
        source = f"transfer-study {self.name}"
        bases = {**full, "variants": {k: variants[k] for k in ("baseA", "baseB")}}
        return (
            StudySpec.from_dict(bases, source=source),
            StudySpec.from_dict(full, source=source),
        )


def _check_classification(recipe: Recipe, targets: list[Any]) -> None:
    """Refuse data whose learned target is not one set of classes (tasks A and B split it)."""
    kinds = ", ".join(f"{t.name} ({t.kind})" for t in targets)
    one_set = len(targets) == 1 and targets[0].kind == "classification"
    if not one_set or recipe.task.type not in ("auto", "classification"):
        raise ConfigError(
            f"transfer-study: {recipe.data.dataset} learns {kinds} (task.type "
            f"{recipe.task.type}); the study splits the classes of one classification target "
            "into tasks A and B"
        )


@dataclass
class TransferStudyResult:
    """What a transferability study produced."""

    folder: Path
    analysis: TransferAnalysis
    report: Path
    seconds: float


def run_transfer_study(
    study: TransferStudy,
    *,
    out_dir: str | Path = "studies",
    workers: int = 1,
    executor: str = "auto",
    progress: bool = True,
    echo: Callable[[str], None] | None = print,
) -> TransferStudyResult:
    """Run (or resume) the study in ``out_dir/<name>`` and write its report."""
    from trainlab.report.transfer import write_transfer_report
    from trainlab.workflows.study.runner import run_study
    from trainlab.workflows.study.store import StudyStore

    folder = Path(out_dir) / study.name
    bases, full = study.specs(folder)  # checked before anything trains
    if echo is not None:
        echo(
            f"trainlab: transfer study {study.name}: {full.description}; "
            f"{len(full.variants) * len(full.seeds)} trials, "
            f"{workers} worker{'s' if workers > 1 else ''}"
        )
    kw = {
        "folder": folder,
        "workers": workers,
        "executor": executor,
        "progress": progress,
        "echo": None,
    }
    first = run_study(bases, **kw)
    second = run_study(full, **kw)
    with StudyStore(folder) as store:
        trials = store.trials()
    analysis = analyze(trials, metric=second.metric)
    recipe = full.base
    subtitle = (
        f"{recipe.data.dataset}, {recipe.model.name} with {len(recipe.model.widths)} stages, "
        f"E = {recipe.train.epochs} epochs, seeds {', '.join(map(str, full.seeds))}; "
        f"{full.description}"
    )
    failed = [t for t in trials if t.status == "failed"]
    adopted = sum(
        any("adopting" in w for w in (t.metrics or {}).get("warnings", [])) for t in trials
    )
    if adopted:
        subtitle += (
            f". The data's preprocessing differed from the checkpoint's in {adopted} trials: "
            "the checkpoint's was adopted (each trial's warning is in the store)"
        )
    footer = f"{len(trials)} trials in {folder}" + (
        f"; {len(failed)} failed (first: {failed[0].variant}: "
        f"{(failed[0].error or '').splitlines()[0]})"
        if failed
        else ""
    )
    report = write_transfer_report(
        folder, analysis, title=f"Transferability: {study.name}", subtitle=subtitle, footer=footer
    )
    if echo is not None:
        for line in analysis.conclusions:
            echo(f"- {line}")
        echo(f"\nstudy folder  {folder}\nreport        {report}")
    return TransferStudyResult(folder, analysis, report, first.trial_seconds + second.trial_seconds)
