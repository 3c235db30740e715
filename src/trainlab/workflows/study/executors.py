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

On Ray the study's store stays with the driver (this process), which records
each trial as it finishes, so a finished trial is never lost. A trial whose
worker process or machine dies is run again by Ray, up to
:data:`RAY_RETRIES` times (the trial is seeded, so a rerun gives the same
numbers); a trial that still fails is recorded as failed, and the next run of
the study runs it again. A saved model (``save_models``) comes back to the
driver with the result and is written beside the store, wherever the trial ran.
:func:`check_executor` refuses a missing Ray, or a cluster address where no
cluster answers, in one line before the study's folder is touched.

Example:
    >>> from trainlab.workflows.study.executors import EXECUTORS
    >>> sorted(EXECUTORS.names())
    ['inline', 'processes', 'ray']
"""

from __future__ import annotations

import os
import socket
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from trainlab.core.atomic import atomic_path
from trainlab.core.cpus import cpu_count
from trainlab.core.errors import ConfigError
from trainlab.core.registry import Registry
from trainlab.workflows.study.data_cache import DataCache
from trainlab.workflows.study.process_pool import run_in_processes
from trainlab.workflows.study.settings import TrialSettings
from trainlab.workflows.study.trial import run_trial

EXECUTORS: Registry = Registry("executor")

#: how many times Ray runs a trial again after its worker died
RAY_RETRIES = 3
#: seconds to wait for a Ray cluster's address to answer
CONNECT_TIMEOUT = 5.0


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


def ray_trial_task(job: Job) -> dict[str, Any]:
    """:func:`trial_task` on a Ray worker; a model to keep comes back as bytes
    (``model_bytes``), since the worker's disk may be another machine's."""
    if job.save_model is None:
        return trial_task(job)
    with tempfile.TemporaryDirectory(prefix="trainlab-trial-") as tmp:
        path = os.path.join(tmp, "model.safetensors")
        result = trial_task(Job(**{**job.__dict__, "save_model": path}))
        if os.path.exists(path):
            with open(path, "rb") as f:
                result["model_bytes"] = f.read()
    return result


def _keep_model(job: Job, result: dict[str, Any]) -> dict[str, Any]:
    """Write a Ray trial's returned model where the study keeps it; the result without it."""
    data = result.pop("model_bytes", None)
    if data is not None and job.save_model is not None:
        os.makedirs(os.path.dirname(job.save_model) or ".", exist_ok=True)
        with atomic_path(job.save_model) as tmp:
            tmp.write_bytes(data)
    return result


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ConfigError(
            "--executor ray needs the optional package ray: pip install 'trainlab[ray]'"
        ) from None
    return ray


def _check_ray(address: str | None) -> None:
    """Ray imports, and a cluster answers at ``address`` (``HOST:PORT`` or
    ``ray://HOST:PORT``; ``auto`` and no address are not checked here)."""
    _import_ray()
    if not address or address == "auto":
        return
    where = address.removeprefix("ray://")
    host, _, port = where.rpartition(":")
    if not host or not port.isdigit():
        raise ConfigError(
            f"--address {address}: expected HOST:PORT (the head's GCS port, 6379 by "
            "default) or ray://HOST:PORT (Ray Client, 10001)"
        )
    try:
        with socket.create_connection((host, int(port)), timeout=CONNECT_TIMEOUT):
            pass
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise ConfigError(
            f"--address {address}: no Ray cluster answers there ({reason}); start one "
            f"with: ray start --head --port {port}, or check the address"
        ) from None


#: what :func:`check_executor` checks for each executor, before a study's folder is touched
CHECKS: dict[str, Callable[[str | None], None]] = {"ray": _check_ray}


def check_executor(name: str, address: str | None) -> None:
    """One line for an executor that cannot run here (``ray`` missing, or no cluster
    at ``address``), or an ``address`` given to an executor other than ``ray``."""
    if address and name != "ray":
        raise ConfigError(f"--address {address} is a Ray cluster's: add --executor ray")
    check = CHECKS.get(name)
    if check is not None:
        check(address)


@EXECUTORS.register("ray")
def run_ray(
    jobs: list[Job], on_result: OnResult, *, workers: int = 2, address: str | None = None, **_: Any
) -> None:
    """Trials as Ray tasks, on a cluster (``address``) or a local Ray instance."""
    ray = _import_ray()
    started = False
    if not ray.is_initialized():
        # "local": a new instance here, even where `ray start` left a cluster's address
        kwargs: dict[str, Any] = (
            {"address": address} if address else {"address": "local", "num_cpus": cpu_count()}
        )
        ray.init(include_dashboard=False, log_to_driver=False, **kwargs)
        started = True
    try:
        _ray_loop(ray, jobs, on_result, at_once=len(jobs) if address else workers)
    finally:
        if started:
            ray.shutdown()


def _ray_loop(ray: Any, jobs: list[Job], on_result: OnResult, at_once: int) -> None:
    """Keep up to ``at_once`` jobs in flight as Ray tasks, each asking for its threads."""
    remote = ray.remote(ray_trial_task)
    todo, pending = list(jobs), {}
    while todo or pending:
        while todo and len(pending) < max(1, at_once):
            job = todo.pop(0)
            options = {"num_cpus": job.settings.threads, "max_retries": RAY_RETRIES}
            pending[remote.options(**options).remote(job)] = job
        done, _ = ray.wait(list(pending), num_returns=1)
        for ref in done:
            job = pending.pop(ref)
            try:
                result = _keep_model(job, ray.get(ref))
            except Exception as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                result = {"error": f"ray task failed: {exc.__class__.__name__}: {first}"}
            on_result(job, result)


def resolve_executor(name: str, workers: int) -> str:
    """``auto`` → ``processes`` for several workers, else ``inline``."""
    if name == "auto":
        return "processes" if workers > 1 else "inline"
    return EXECUTORS.canonical(name)
