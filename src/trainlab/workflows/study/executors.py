"""Where a study's trials run: inline, in local processes, or on Ray.

An executor takes the pending jobs and calls ``on_result(job, result)`` in
the parent process as each trial finishes, so the store is written by one
process only. Every trial runs with the CPU threads its job names
(:class:`~trainlab.workflows.study.settings.TrialSettings`), whichever the
executor and however many workers, so a trial gives the same numbers inline,
in ``workers`` local processes (``processes``) or as a Ray task (``ray``: a
Ray cluster at ``address``, or a local Ray instance running at most
``workers`` trials at once), for studies that outgrow one machine. The inline loop and each
local worker process own a :class:`~trainlab.workflows.study.data_cache.DataCache`
that the trials they run share; a Ray task prepares its own data.

Example:
    >>> from trainlab.workflows.study.executors import EXECUTORS
    >>> sorted(EXECUTORS.names())
    ['inline', 'processes', 'ray']
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from trainlab.core.errors import ConfigError
from trainlab.core.registry import Registry
from trainlab.workflows.study.data_cache import DataCache
from trainlab.workflows.study.process_pool import run_in_processes
from trainlab.workflows.study.settings import TrialSettings
from trainlab.workflows.study.trial import run_trial

EXECUTORS: Registry = Registry("executor")


@dataclass(frozen=True)
class Job:
    """One trial to run."""

    variant: str
    seed: int
    recipe: dict[str, Any]
    probes: bool
    #: what the trial runs under (its CPU threads, among others)
    settings: TrialSettings
    #: where to save the trained model (None: not kept)
    save_model: str | None = None


OnResult = Callable[[Job, dict[str, Any]], None]


def cpu_count() -> int:
    """CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def trial_task(job: Job, cache: DataCache | None = None) -> dict[str, Any]:
    """Run ``job``'s trial with its own CPU threads and the worker's ``cache``."""
    return run_trial(
        job.recipe,
        probes=job.probes,
        threads=job.settings.threads,
        save_model=job.save_model,
        cache=cache,
    )


@EXECUTORS.register("inline")
def run_inline(jobs: list[Job], on_result: OnResult, **_: Any) -> None:
    """Trials one after another in this process, sharing one data cache."""
    cache = DataCache()
    for job in jobs:
        on_result(job, trial_task(job, cache))


@EXECUTORS.register("processes")
def run_processes(jobs: list[Job], on_result: OnResult, *, workers: int = 2, **_: Any) -> None:
    """Trials in ``workers`` local processes, each trial with its job's threads."""
    if workers <= 1:
        run_inline(jobs, on_result)
        return
    run_in_processes(jobs, on_result, workers=workers, task=trial_task)


@EXECUTORS.register("ray")
def run_ray(
    jobs: list[Job], on_result: OnResult, *, workers: int = 2, address: str | None = None, **_: Any
) -> None:
    """Trials as Ray tasks, on a cluster (``address``) or a local Ray instance."""
    try:
        import ray
    except ImportError:
        raise ConfigError(
            "--executor ray needs the optional package ray: pip install 'trainlab[ray]'"
        ) from None
    started = False
    if not ray.is_initialized():
        kwargs: dict[str, Any] = {"address": address} if address else {"num_cpus": cpu_count()}
        ray.init(include_dashboard=False, log_to_driver=False, **kwargs)
        started = True
    try:
        _ray_loop(ray, jobs, on_result, at_once=len(jobs) if address else workers)
    finally:
        if started:
            ray.shutdown()


def _ray_loop(ray: Any, jobs: list[Job], on_result: OnResult, at_once: int) -> None:
    """Keep up to ``at_once`` jobs in flight as Ray tasks, each asking for its threads."""
    remote = ray.remote(trial_task)
    todo, pending = list(jobs), {}
    while todo or pending:
        while todo and len(pending) < max(1, at_once):
            job = todo.pop(0)
            pending[remote.options(num_cpus=job.settings.threads).remote(job)] = job
        done, _ = ray.wait(list(pending), num_returns=1)
        for ref in done:
            job = pending.pop(ref)
            try:
                result = ray.get(ref)
            except Exception as exc:
                result = {"error": f"ray task failed: {exc.__class__.__name__}: {exc}"}
            on_result(job, result)


def resolve_executor(name: str, workers: int) -> str:
    """``auto`` → ``processes`` for several workers, else ``inline``."""
    if name == "auto":
        return "processes" if workers > 1 else "inline"
    return EXECUTORS.canonical(name)
