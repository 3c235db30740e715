"""A study's typed results: from its spec and its store to what the report reads.

The report never reads the store: :func:`study_results` builds its frozen
inputs (:mod:`trainlab.report.study_results`) from the spec (variants,
references, the metric and its direction) and the stored trials (the task's
primary metric, which the gap is measured in, as the trials recorded it), and
:func:`results_csv` and :func:`summary_dict` write the plain files beside the
report (``results.csv``, ``summary.json``).

Example:
    >>> from types import SimpleNamespace as T
    >>> from trainlab.workflows.study.results import results_csv
    >>> t = T(variant="baseline", seed=0, status="done", metrics={"test_acc": 0.9}, error=None)
    >>> results_csv([t], "test_acc").splitlines()[1].split(",")[:4]
    ['baseline', '0', 'done', '0.9']
"""

from __future__ import annotations

import csv
import io
import platform
from typing import TYPE_CHECKING, Any

import trainlab
from trainlab.core.cpus import cpu_count
from trainlab.engine.diagnose.curves import Diagnosis
from trainlab.engine.diagnose.messages import Lang
from trainlab.report.format import number
from trainlab.report.study_results import (
    LastRun,
    LayerStats,
    LookFacts,
    ProbeRecord,
    RunFacts,
    SequentialLooks,
    StudyResults,
    StudyVariant,
    TrialProbes,
    TrialResult,
)
from trainlab.report.study_text import page_text
from trainlab.stats.compare import VariantSummary
from trainlab.workflows.study.comparisons import references
from trainlab.workflows.study.metric import gap_metric_of, resolve_metric
from trainlab.workflows.study.spec import StudySpec
from trainlab.workflows.study.store import StudyStore, TrialRecord

if TYPE_CHECKING:
    from trainlab.workflows.study.adaptive import AdaptiveOutcome


def summary_dict(row: VariantSummary) -> dict[str, Any]:
    """A ``VariantSummary`` as the flat dict of ``summary.json``."""
    d = row.to_dict()
    value = d.pop("value")
    d.update(mean=value["mean"], lo=value["lo"], hi=value["hi"], n=value["n"])
    d["verdicts"] = dict(row.verdicts)
    d["against"] = row.reference
    return d


def _layer(stats: dict[str, Any]) -> LayerStats:
    return LayerStats(
        name=str(stats["name"]),
        act_std=number(stats.get("act_std")),
        saturated=number(stats.get("saturated")),
        dead=number(stats.get("dead")),
        grad_norm=number(stats.get("grad_norm")),
    )


def _probes(stored: dict[str, Any] | None) -> TrialProbes | None:
    """A trial's stored probes (``{"records", "findings", …}``) as typed records."""
    if stored is None:
        return None
    records = tuple(
        ProbeRecord(int(r["epoch"]), tuple(_layer(x) for x in r["layers"]))
        for r in stored["records"]
    )
    return TrialProbes(records, tuple(str(f) for f in stored.get("findings", ())))


def trial_result(t: TrialRecord, metric: str) -> TrialResult:
    """A stored trial as the report reads it."""
    m = t.metrics or {}
    return TrialResult(
        variant=t.variant,
        seed=t.seed,
        status=t.status,
        value=number(m.get(metric)),
        train_acc=number(m.get("train_acc")),
        history=tuple(t.history or ()),
        diagnosis=None if t.diagnosis is None else Diagnosis.from_dict(t.diagnosis),
        probes=_probes(t.probes),
        error=t.error or "",
    )


def study_results(
    spec: StudySpec,
    trials: list[TrialRecord],
    summaries: list[VariantSummary],
    run: RunFacts,
    lang: Lang = "en",
    sequential: SequentialLooks | None = None,
) -> StudyResults:
    """The typed results the study report shows, from the spec (its metric chosen), the store
    and the statistics; the page's title in ``lang``."""
    spec = resolve_metric(spec)
    base = spec.base_source
    refs = references(spec)
    return StudyResults(
        name=spec.name,
        title=page_text(lang)["study_title"].format(name=spec.name),
        base=str(base.get("name", "")) if isinstance(base, dict) else str(base),
        dataset=spec.base.data.dataset,
        metric=spec.metric,
        higher_is_better=spec.higher_is_better,
        baseline=spec.baseline,
        seeds=tuple(spec.seeds),
        variants=tuple(
            StudyVariant(v.name, dict(v.overrides), refs.get(v.name), v.description)
            for v in spec.variants
        ),
        summaries=tuple(summaries),
        trials=tuple(trial_result(t, spec.metric) for t in trials),
        definition=spec.to_dict(),
        run=run,
        sequential=sequential,
        gap_metric=gap_metric_of(trials, spec.baseline),
    )


def sequential_looks(outcome: AdaptiveOutcome | None) -> SequentialLooks | None:
    """An adaptive study's looks as the report shows them (None: not adaptive)."""
    if outcome is None:
        return None
    plan = outcome.plan
    looks = tuple(
        LookFacts(len(look.seeds), look.level, tuple(look.settled), len(look.open))
        for look in outcome.looks
    )
    return SequentialLooks(plan.spending, plan.alpha, plan.max_seeds, looks)


def run_facts(store: StudyStore, workers: int, executor: str) -> RunFacts:
    """This invocation's machine, workers and executor, and the last run that trained trials."""
    machine = f"{platform.machine()}, {cpu_count()} CPUs, Python {platform.python_version()}"
    return RunFacts(
        trainlab=trainlab.__version__,
        machine=machine,
        workers=workers,
        executor=executor,
        last_run=_last_run(store.get_meta("last_run")),
    )


def _last_run(stored: dict[str, Any] | None) -> LastRun | None:
    """The store's ``last_run`` entry (written when an invocation trained trials)."""
    if stored is None:
        return None
    return LastRun(
        wall_seconds=float(stored["wall_seconds"]),
        trials=int(stored["trials"]),
        workers=int(stored["workers"]),
        executor=str(stored["executor"]),
    )


def results_csv(trials: list, metric: str, primary: str = "acc") -> str:
    """One row per trial: the study's metric, then the task's primary metric (``primary``)
    on each split, the test loss, the gap, the epochs, the time, the verdict and the error."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    keys = [f"test_{primary}", "test_loss", f"val_{primary}", f"train_{primary}"]
    keys += ["gap", "epochs_run", "seconds"]
    keys = [metric, *[k for k in keys if k != metric], "diverged_epoch"]
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
