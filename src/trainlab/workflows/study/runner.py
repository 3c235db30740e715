"""Run a study: store every trial, resume after any interruption, compare, report.

The study folder (``studies/<name>`` by default) holds ``study.sqlite``, the
store of every trial; running the same command again keeps finished trials,
runs the unfinished ones again, and rebuilds the report, which then equals
that of an uninterrupted run (same seeds, same threads, CPU).

Example:
    >>> import tempfile
    >>> from trainlab.workflows.study.spec import StudySpec
    >>> from trainlab.workflows.study.runner import run_study
    >>> spec = StudySpec.from_dict({
    ...     "name": "demo", "base": "wine-mlp", "seeds": [0, 1], "probes": False,
    ...     "base_set": {"train.epochs": 3},
    ...     "variants": {"baseline": {}, "l2": {"regularization.l2": 0.01}},
    ... })
    >>> result = run_study(spec, out_dir=tempfile.mkdtemp(), progress=False, echo=None)
    >>> [s["variant"] for s in result.summaries], result.counts["done"]
    (['baseline', 'l2'], 4)
"""

from __future__ import annotations

import csv
import io
import json
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import trainlab
from trainlab.report.summary_table import format_table
from trainlab.stats.compare import summarize
from trainlab.workflows.study.executors import EXECUTORS, Job, cpu_count, resolve_executor
from trainlab.workflows.study.spec import StudySpec
from trainlab.workflows.study.store import StudyStore


@dataclass
class StudyResult:
    """What a finished study produced."""

    folder: Path
    summaries: list[dict[str, Any]]
    counts: dict[str, int]
    report: Path
    table: str
    #: seconds spent running this invocation's trials (0 when none were pending)
    trial_seconds: float = 0.0


def model_file(folder: str | Path, variant: str, seed: int | str) -> Path:
    """Where a study keeps the trained model of (``variant``, ``seed``) (``save_models``).

    ``seed="{seed}"`` gives the template a ``transfer.checkpoint`` resolves per seed.
    """
    return Path(folder) / "models" / f"{variant}-seed{seed}.safetensors"


def summarize_study(spec: StudySpec, trials: list) -> list:
    """One ``VariantSummary`` per variant, each against its own reference variant."""
    against = {v.name: v.against for v in spec.variants if v.against}
    return summarize(
        trials,
        metric=spec.metric,
        baseline=spec.baseline,
        higher_is_better=spec.higher_is_better,
        variants_order=[v.name for v in spec.variants],
        against=against,
    )


def summary_dict(row) -> dict[str, Any]:
    """A ``VariantSummary`` as the flat dict the reports and ``summary.json`` use."""
    d = row.to_dict()
    value = d.pop("value")
    d.update(mean=value["mean"], lo=value["lo"], hi=value["hi"], n=value["n"])
    d["verdicts"] = dict(row.verdicts)
    d["against"] = row.reference
    return d


def _trial_dicts(trials: list) -> list[dict[str, Any]]:
    return [
        {
            "variant": t.variant,
            "seed": t.seed,
            "status": t.status,
            "metrics": t.metrics or {},
            "history": t.history or [],
            "diagnosis": t.diagnosis,
            "probes": t.probes,
            "error": t.error,
        }
        for t in trials
    ]


def _results_csv(trials: list, metric: str) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    keys = ["test_acc", "test_loss", "val_acc", "train_acc", "gap", "epochs_run", "seconds"]
    keys = [metric, *[k for k in keys if k != metric]]
    w.writerow(["variant", "seed", "status", *keys, "verdict", "error"])
    for t in trials:
        m = t.metrics or {}
        w.writerow(
            [
                t.variant,
                t.seed,
                t.status,
                *[m.get(k, "") for k in keys],
                m.get("verdict", ""),
                (t.error or "").splitlines()[0] if t.error else "",
            ]
        )
    return buf.getvalue()


def _progress(total: int, done: int, enabled: bool):
    from tqdm.auto import tqdm

    return tqdm(
        total=total,
        initial=done,
        unit="trial",
        desc="study",
        disable=None if enabled else True,  # None: on a terminal only, not in logs or pipes
        dynamic_ncols=True,
        file=sys.stderr,
    )


def run_study(
    spec: StudySpec,
    *,
    out_dir: str | Path = "studies",
    folder: str | Path | None = None,
    workers: int = 1,
    executor: str = "auto",
    address: str | None = None,
    progress: bool = True,
    echo: Callable[[str], None] | None = print,
) -> StudyResult:
    """Run every unfinished trial of ``spec`` and write the study's report.

    Args:
        spec: the validated study.
        out_dir: where the study folder ``<out_dir>/<spec.name>`` lives.
        folder: the study folder itself (overrides ``out_dir``).
        workers: trials run at once.
        executor: ``auto``, ``inline``, ``processes`` or ``ray``.
        address: a Ray cluster address (``executor="ray"``).
        progress: a progress bar over trials.
        echo: where to print the summary table (None: silent).
    """
    name = resolve_executor(executor, workers)
    run = EXECUTORS.get(name)
    folder = Path(folder) if folder is not None else Path(out_dir) / spec.name
    folder.mkdir(parents=True, exist_ok=True)
    with StudyStore(folder) as store, store.lock():
        planned = [(v, s, r.to_dict()) for v, s, r in spec.trials()]  # built (and checked) once
        store.add_trials(planned)
        store.set_meta("spec", spec.to_dict())
        store.reset_unfinished()
        pending = set(store.pending())
        done = {(t.variant, t.seed) for t in store.trials("done")}
        # a kept model that went missing is trained again: later trials may start from it
        pending |= {
            (v, s)
            for v, s, _ in planned
            if v in spec.saved_variants
            and (v, s) in done
            and not model_file(folder, v, s).is_file()
        }

        def make_job(v: str, s: int, r: dict[str, Any]) -> Job:
            keep = str(model_file(folder, v, s)) if v in spec.saved_variants else None
            return Job(v, s, r, spec.probes, keep)

        jobs = [make_job(v, s, r) for v, s, r in planned if (v, s) in pending]
        total = len(planned)
        started = time.time()
        bar = _progress(total, total - len(jobs), progress)

        def on_result(job: Job, result: dict[str, Any]) -> None:
            if result.get("error"):
                store.record_failed(job.variant, job.seed, result["error"])
            else:
                store.record_done(
                    job.variant,
                    job.seed,
                    metrics=result["metrics"],
                    history=result["history"],
                    diagnosis=result.get("diagnosis"),
                    probes=result.get("probes"),
                )
            bar.set_postfix_str(f"{job.variant} seed {job.seed}", refresh=False)
            bar.update(1)

        for job in jobs:
            store.mark_running(job.variant, job.seed)
        try:
            run(jobs, on_result, workers=workers, address=address)
        finally:
            bar.close()
        wall = time.time() - started
        if jobs:
            store.set_meta(
                "last_run",
                {"wall_seconds": wall, "trials": len(jobs), "workers": workers, "executor": name},
            )
        keys = {(v, s) for v, s, _ in planned}
        trials = [t for t in store.trials() if (t.variant, t.seed) in keys]
        counts = store.counts()
        meta = {
            "trainlab": trainlab.__version__,
            "machine": (
                f"{platform.machine()}, {cpu_count()} CPUs, Python {platform.python_version()}"
            ),
            "workers": workers,
            "executor": name,
            "last_run": store.get_meta("last_run"),
            "generated": time.strftime("%Y-%m-%d %H:%M:%S"),
        }
    rows = summarize_study(spec, trials)
    summaries = [summary_dict(r) for r in rows]
    table = format_table(rows, spec.metric)
    report = _write_reports(folder, spec, summaries, trials, meta)
    if echo is not None:
        echo(table)
        echo(f"\nstudy folder  {folder}\nreport        {report}")
    return StudyResult(folder, summaries, counts, report, table, wall if jobs else 0.0)


def _write_reports(folder: Path, spec: StudySpec, summaries, trials, meta) -> Path:
    from trainlab.report.study import write_study_report

    (folder / "results.csv").write_text(_results_csv(trials, spec.metric), encoding="utf-8")
    (folder / "summary.json").write_text(
        json.dumps({"metric": spec.metric, "variants": summaries}, indent=2, default=str) + "\n",
        encoding="utf-8",
    )
    html, _ = write_study_report(
        folder,
        title=f"Study: {spec.name}",
        spec=spec.to_dict(),
        summaries=summaries,
        trials=_trial_dicts(trials),
        metric=spec.metric,
        baseline=spec.baseline,
        meta=meta,
    )
    return html
