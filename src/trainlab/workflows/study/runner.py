"""Run a study: store every trial, resume after any interruption, compare, report.

The study folder (``studies/<name>`` by default) holds ``study.sqlite``, the
store of every trial; running the same command again keeps finished trials,
runs the unfinished ones again, and rebuilds the report, which then equals
that of an uninterrupted run (same seeds, same threads, CPU). Every trial
runs with its own fixed CPU threads (the study's ``threads``, or the recipe's
``train.threads``), so inline, local processes and Ray give the same numbers
at any ``workers``; the settings are stored with each trial, and a run under
other settings than the stored trials' is refused (``fresh``: discard them;
``allow_mixed``: keep them) (see :mod:`~trainlab.workflows.study.settings`).
A study that names no metric compares its base recipe's task's primary test
metric, chosen before any trial runs and kept in the store
(:mod:`~trainlab.workflows.study.metric`); a metric that no finished trial
reports stops the study before its report, naming the metrics they do report.

Example:
    >>> import tempfile
    >>> from trainlab.workflows.study.spec import StudySpec
    >>> from trainlab.workflows.study.runner import run_study
    >>> spec = StudySpec.from_dict({
    ...     "name": "demo", "base": "wine-mlp", "seeds": [0, 1], "probes": False,
    ...     "base_set": {"train.epochs": 3},
    ...     "variants": {"baseline": {}, "l2": {"regularization.l2": 0.01}},
    ... })
    >>> [v.name for v in spec.variants], spec.seeds
    (['baseline', 'l2'], [0, 1])
    >>> out = tempfile.mkdtemp()
    >>> result = run_study(spec, out_dir=out, progress=False, echo=None)  # doctest: +SKIP
    >>> [s.variant for s in result.summaries], result.counts["done"]  # doctest: +SKIP
    (['baseline', 'l2'], 4)

The report reads typed results only: :func:`study_results` builds them from
the spec (variants, references, the metric and its direction) and the store
(trials, the last run's wall time), and hands them to
:func:`trainlab.report.study.write_study_report`.
"""

from __future__ import annotations

import json
import textwrap
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainlab.core.errors import ConfigError
from trainlab.engine.diagnose.messages import Lang, check_lang
from trainlab.io.tracking import prepare_stores
from trainlab.report.study import write_study_report
from trainlab.report.study_results import (
    RunFacts,
    StudyResults,
)
from trainlab.report.study_sequential import describe_sequential
from trainlab.report.summary_table import format_table
from trainlab.stats.compare import VariantSummary
from trainlab.workflows.study.adaptive import AdaptiveOutcome, AdaptivePlan, look_line, replay
from trainlab.workflows.study.comparisons import summarize_study
from trainlab.workflows.study.executors import (
    EXECUTORS,
    Job,
    check_executor,
    resolve_executor,
)
from trainlab.workflows.study.metric import check_reported, resolve_metric
from trainlab.workflows.study.progress import NoProgress, TrialBar, TrialLines, resolve_mode
from trainlab.workflows.study.results import (
    results_csv,
    run_facts,
    sequential_looks,
    study_results,
    summary_dict,
)
from trainlab.workflows.study.settings import TrialSettings, check_settings, trial_settings
from trainlab.workflows.study.spec import StudySpec
from trainlab.workflows.study.store import StoreError, StudyStore, TrialRecord


@dataclass(frozen=True)
class StudyResult:
    """What a finished study produced."""

    folder: Path
    summaries: tuple[VariantSummary, ...]
    counts: dict[str, int]
    report: Path
    table: str
    #: seconds spent running this invocation's trials (0 when none were pending)
    trial_seconds: float = 0.0
    #: the compared metric (the spec's, or its task's primary test metric) and its direction
    metric: str = ""
    higher_is_better: bool = True


def model_file(folder: str | Path, variant: str, seed: int | str) -> Path:
    """Where a study keeps the trained model of (``variant``, ``seed``) (``save_models``).

    ``seed="{seed}"`` gives the template a ``transfer.checkpoint`` resolves per seed.
    """
    return Path(folder) / "models" / f"{variant}-seed{seed}.safetensors"


def _progress(
    spec: StudySpec, total: int, finished: int, workers: int, progress: bool | str
) -> TrialBar | TrialLines | NoProgress:
    """A bar on a terminal, a line per trial without one (or ``"lines"``), or nothing."""
    mode = resolve_mode(progress)
    if mode == "bar":
        return TrialBar(total, finished)
    if mode == "lines":
        return TrialLines(spec.name, total, finished, workers, spec.metric)
    return NoProgress()


def run_study(
    spec: StudySpec,
    *,
    out_dir: str | Path = "studies",
    folder: str | Path | None = None,
    workers: int = 1,
    executor: str = "auto",
    address: str | None = None,
    progress: bool | str = True,
    echo: Callable[[str], None] | None = print,
    lang: Lang | None = None,
    fresh: bool = False,
    allow_mixed: bool = False,
    adaptive: AdaptivePlan | None = None,
) -> StudyResult:
    """Run every unfinished trial of ``spec`` and write the study's report.

    Args:
        spec: the validated study.
        out_dir: where the study folder ``<out_dir>/<spec.name>`` lives.
        folder: the study folder itself (overrides ``out_dir``).
        workers: trials run at once.
        executor: ``auto``, ``inline``, ``processes`` or ``ray``.
        address: a Ray cluster address (``executor="ray"``).
        progress: ``True``: a bar over trials on a terminal, else a line per finished
            trial on stderr; ``"lines"``: the lines anyway; ``False``: nothing.
        echo: where to print the summary table (None: silent).
        lang: the report's language, ``"en"`` or ``"es"``; kept in the study's store, so
            that a later run without it (None) writes the report in the same language (a
            new study: English). A finished study's report is rewritten in it untrained.
        fresh: discard every stored trial first (the study then runs from scratch).
        allow_mixed: keep stored trials that ran under other settings (threads,
            PyTorch, device) than this run's, instead of refusing to run.
        adaptive: add seeds to the comparisons that are not clear yet, with alpha
            spending (:mod:`~trainlab.workflows.study.adaptive`); kept in the store, so
            that a later run without it goes on with the same plan.

    Raises:
        ConfigError: stored trials ran under other settings (without ``allow_mixed``), the
            base recipe's task cannot be built, or no finished trial reports the metric.
        StoreError: the study's definition changed since its trials were stored.
    """
    name = resolve_executor(executor, workers)
    run = EXECUTORS.get(name)
    check_executor(name, address)  # before the study's folder is touched
    folder = Path(folder) if folder is not None else Path(out_dir) / spec.name
    prepare_stores(recipe.track for _, _, recipe in spec.trials())  # before any trial starts
    folder.mkdir(parents=True, exist_ok=True)
    with StudyStore(folder) as store, store.lock():
        spec = resolve_metric(spec, store)
        planned, settings = _plan(store, spec, fresh, allow_mixed)
        plan = _adaptive_plan(store, adaptive)
        lang = check_lang(lang or store.get_meta("lang", "en"))
        store.set_meta("lang", lang)
        store.reset_unfinished()

        def execute(pairs: list[tuple[str, int, dict]]) -> tuple[int, float]:
            jobs = _pending_jobs(store, spec, folder, pairs, settings)
            bar = _progress(spec, len(pairs), len(pairs) - len(jobs), workers, progress)
            return len(jobs), _run_jobs(store, jobs, run, bar, workers, address)

        ran, wall = execute(planned)
        try:
            check_reported(spec, store.trials())
        except ConfigError:
            _last_run(store, ran, wall, workers, name)
            raise
        outcome = None
        if plan is not None:
            outcome, more_ran, more_wall = _run_looks(
                store, spec, plan, execute, planned, settings, allow_mixed, echo
            )
            ran, wall = ran + more_ran, wall + more_wall
        _last_run(store, ran, wall, workers, name)
        keys = {(v, s) for v, s, _ in planned}
        trials = [t for t in store.trials() if (t.variant, t.seed) in keys]
        counts = store.counts()
        facts = run_facts(store, workers, name)
    rows, table, report = _report(folder, spec, trials, outcome, facts, lang, echo)
    seconds = wall if ran else 0.0
    hib = bool(spec.higher_is_better)
    return StudyResult(folder, tuple(rows), counts, report, table, seconds, str(spec.metric), hib)


def _last_run(store: StudyStore, ran: int, wall: float, workers: int, executor: str) -> None:
    """Keep what this invocation trained (nothing when it trained no trial)."""
    if ran:
        store.set_meta(
            "last_run",
            {"wall_seconds": wall, "trials": ran, "workers": workers, "executor": executor},
        )


def _report(
    folder: Path,
    spec: StudySpec,
    trials: list[TrialRecord],
    outcome: AdaptiveOutcome | None,
    facts: RunFacts,
    lang: Lang,
    echo: Callable[[str], None] | None,
) -> tuple[list[VariantSummary], str, Path]:
    """Summarize the stored trials (as the looks settled them, for an adaptive study), write
    the report and its files, and echo the table; the summaries, the table and the report."""
    rows = list(outcome.summaries) if outcome is not None else summarize_study(spec, trials)
    study = study_results(spec, trials, rows, facts, lang, sequential_looks(outcome))
    table = format_table(
        rows,
        study.metric,
        name=spec.name,
        higher_is_better=study.higher_is_better,
        gap_metric=study.gap_metric,
    )
    report = _write_reports(folder, spec, study, trials, lang)
    if echo is not None:
        echo(table)
        if study.sequential is not None:
            echo("\n" + textwrap.fill(describe_sequential(study), 92, break_on_hyphens=False))
        echo(f"\nstudy folder  {folder}\nreport        {report}")
    return rows, table, report


def _run_looks(
    store: StudyStore,
    spec: StudySpec,
    plan: AdaptivePlan,
    execute: Callable[[list[tuple[str, int, dict]]], tuple[int, float]],
    planned: list[tuple[str, int, dict]],
    settings: dict[tuple[str, int], TrialSettings],
    allow_mixed: bool,
    echo: Callable[[str], None] | None,
) -> tuple[AdaptiveOutcome, int, float]:
    """Take looks until the adaptive study is finished, running what each look needs.

    ``planned`` and ``settings`` grow with the trials of every look; returns the
    outcome, and the trials run and seconds taken beyond the first look's.
    """
    ran, wall, shown = 0, 0.0, 0
    while True:
        outcome = replay(spec, plan, store.trials())
        for k, look in enumerate(outcome.looks[shown:], start=shown + 1):
            if echo is not None:
                echo(look_line(look, k))
        shown = len(outcome.looks)
        if outcome.finished:
            return outcome, ran, wall
        more, more_settings = _plan(store, spec, False, allow_mixed, outcome.needed)
        planned += more
        settings.update(more_settings)
        n, seconds = execute(more)
        if n == 0:  # a look whose trials do not run would loop for ever
            raise StoreError(f"{store.db_path}: the trials of the next look did not run")
        ran, wall = ran + n, wall + seconds


def _adaptive_plan(store: StudyStore, given: AdaptivePlan | None) -> AdaptivePlan | None:
    """The study's adaptive plan: the one given (kept in the store), else the stored one.

    Raises:
        ConfigError: the store ran under another plan (changing the plan after
            seeing results would spend the error rate twice).
    """
    stored = store.get_meta("adaptive")
    if stored is not None and given is not None and AdaptivePlan.from_dict(stored) != given:
        was = ", ".join(f"{k} {v}" for k, v in stored.items())
        raise ConfigError(
            f"{store.path}: the study ran adaptive seeding with {was}; a new plan after "
            "seeing its results would not keep the error rate: keep the plan, or start "
            "again with --fresh"
        )
    if given is not None:
        store.set_meta("adaptive", given.to_dict())
        return given
    return None if stored is None else AdaptivePlan.from_dict(stored)


def _plan(
    store: StudyStore,
    spec: StudySpec,
    fresh: bool,
    allow_mixed: bool,
    pairs: Iterable[tuple[str, int]] | None = None,
) -> tuple[list[tuple[str, int, dict]], dict[tuple[str, int], TrialSettings]]:
    """The planned trials (recipes as mappings) and their settings, added to ``store``.

    ``pairs``: the (variant, seed) pairs to plan (None: every trial of the spec).
    ``fresh`` discards the stored trials first; unless ``allow_mixed``, stored
    results that ran under other settings refuse the run before it writes anything.
    """
    # built (and checked) once
    recipes = spec.trials() if pairs is None else [(v, s, spec.recipe_for(v, s)) for v, s in pairs]
    planned = [(v, s, r.to_dict()) for v, s, r in recipes]
    settings = {(v, s): trial_settings(r, spec.threads) for v, s, r in recipes}
    if fresh:
        store.discard_trials()
    if not allow_mixed:
        check_settings(store.trials(), settings, spec.name)
    store.add_trials(planned)
    store.set_meta("spec", spec.to_dict())
    return planned, settings


def _pending_jobs(
    store: StudyStore,
    spec: StudySpec,
    folder: Path,
    planned: list[tuple[str, int, dict]],
    settings: dict[tuple[str, int], TrialSettings],
) -> list[Job]:
    """The planned trials still to run: unfinished ones, and kept models that went missing."""
    pending = set(store.pending())
    done = {(t.variant, t.seed) for t in store.trials("done")}
    # a kept model that went missing is trained again: later trials may start from it
    pending |= {
        (v, s)
        for v, s, _ in planned
        if v in spec.saved_variants and (v, s) in done and not model_file(folder, v, s).is_file()
    }

    def make_job(v: str, s: int, r: dict[str, Any]) -> Job:
        keep = str(model_file(folder, v, s)) if v in spec.saved_variants else None
        return Job(v, s, r, spec.probes, settings[(v, s)], keep)

    return [make_job(v, s, r) for v, s, r in planned if (v, s) in pending]


def _run_jobs(
    store: StudyStore,
    jobs: list[Job],
    run: Callable[..., None],
    bar: TrialBar | TrialLines | NoProgress,
    workers: int,
    address: str | None,
) -> float:
    """Run ``jobs``, recording each result in ``store`` as it comes; the wall time taken."""
    started = time.time()

    def on_result(job: Job, result: dict[str, Any]) -> None:
        _record(store, job, result)
        bar.update(job.variant, job.seed, result)

    for job in jobs:
        store.mark_running(job.variant, job.seed)
    try:
        run(jobs, on_result, workers=workers, address=address)
    finally:
        bar.close()
    return time.time() - started


def _record(store: StudyStore, job: Job, result: dict[str, Any]) -> None:
    """Store one trial's result: failed (an error), diverged (a result) or done."""
    settings = job.settings.to_dict()
    if result.get("error"):
        store.record_failed(job.variant, job.seed, result["error"], settings)
    elif "diverged" in result:
        where = result["diverged"]
        metrics = {**result["metrics"], "diverged_batch": where["batch"]}
        metrics["diverged_value"] = where["value"]
        store.record_diverged(
            job.variant, job.seed, metrics=metrics, history=result["history"], settings=settings
        )
    else:
        store.record_done(
            job.variant,
            job.seed,
            metrics=result["metrics"],
            history=result["history"],
            diagnosis=result.get("diagnosis"),
            probes=result.get("probes"),
            settings=settings,
        )


def _write_reports(
    folder: Path, spec: StudySpec, study: StudyResults, trials: list[TrialRecord], lang: Lang
) -> Path:
    csv_text = results_csv(trials, study.metric, study.gap_metric)
    (folder / "results.csv").write_text(csv_text, encoding="utf-8")
    summaries = [summary_dict(s) for s in study.summaries]
    head = {
        "metric": study.metric,
        "higher_is_better": study.higher_is_better,
        "gap_metric": study.gap_metric,
    }
    (folder / "summary.json").write_text(
        json.dumps({**head, "variants": summaries}, indent=2, default=str) + "\n",
        encoding="utf-8",
    )
    html, _ = write_study_report(folder, study, lang=lang)
    return html
