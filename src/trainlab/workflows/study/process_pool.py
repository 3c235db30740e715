"""Local worker processes for a study's trials, each with a data cache of its own.

Each worker is a ``spawn``-ed process (forking after PyTorch has started its
threads is unsafe) joined to the parent by one pipe. It runs the jobs it is
sent one at a time (each job sets its own CPU threads), with one
:class:`~trainlab.workflows.study.data_cache.DataCache` that lives as long as
the worker, so trials on the same data prepare it once per worker. The
parent sends a worker its next job as soon as it returns a result, so results
arrive in submission order as far as the trials' lengths allow. A worker that
dies (out of memory, killed) fails its trial, and a fresh worker takes the
next job; a worker whose parent dies finds its pipe closed and exits.

Example:
    >>> from trainlab.workflows.study.executors import Job, trial_task
    >>> from trainlab.workflows.study.process_pool import run_in_processes
    >>> from trainlab.workflows.study.settings import TrialSettings
    >>> one = TrialSettings(threads=1, torch="", device="cpu")
    >>> typo = Job("typo", 0, {"data": {"dataset": "no-such-data"}}, probes=False, settings=one)
    >>> said = []
    >>> run_in_processes([typo], lambda job, result: said.append(result["error"]),
    ...                  workers=1, task=trial_task)
    >>> "no-such-data" in said[0]
    True
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from typing import Any

from trainlab.workflows.study.data_cache import DataCache

#: a worker's task: ``task(job, cache) -> result`` (a module-level function)
Task = Callable[[Any, DataCache], dict[str, Any]]


def _serve(conn: Connection, task: Task) -> None:
    """A worker's loop: run each job the parent sends, until it sends None or goes away."""
    cache = DataCache()
    try:
        while (job := conn.recv()) is not None:
            conn.send(task(job, cache))
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        return  # the parent is gone, or Ctrl-C: the parent decides what happens next
    finally:
        conn.close()


class _Worker:
    """One worker process, the parent's end of its pipe, and the job it is running."""

    def __init__(self, ctx: Any, task: Task) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, task))
        self.process.start()
        child.close()  # the worker holds the only other end: its death closes the pipe
        self.job: Any = None

    def give(self, job: Any) -> None:
        self.conn.send(job)
        self.job = job

    def take(self) -> tuple[Any, dict[str, Any]]:
        """The job it finished and its result (a failure when the worker died)."""
        job, self.job = self.job, None
        try:
            return job, self.conn.recv()
        except (EOFError, OSError):
            self.process.join(timeout=10)
            code = self.process.exitcode
            return job, {"error": f"worker failed: the worker process ended (exit code {code})"}

    def stop(self) -> None:
        """Ask the worker to end; terminate it when it does not (or is mid-trial)."""
        if self.process.is_alive() and self.job is None:
            with contextlib.suppress(OSError):
                self.conn.send(None)
            self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        self.conn.close()


def run_in_processes(
    jobs: list[Any],
    on_result: Callable[[Any, dict[str, Any]], None],
    *,
    workers: int,
    task: Task,
) -> None:
    """Run ``task`` on every job in ``workers`` processes; ``on_result(job, result)`` here.

    Args:
        jobs: the jobs, in the order they are to start (picklable).
        on_result: called in this process as each job finishes.
        workers: processes at once (at most one per job).
        task: a module-level function ``task(job, cache) -> result``.
    """
    ctx = mp.get_context("spawn")
    todo = list(jobs)
    pool = [_Worker(ctx, task) for _ in range(min(workers, len(todo)))]
    try:
        for worker in pool:
            worker.give(todo.pop(0))
        while busy := {w.conn: i for i, w in enumerate(pool) if w.job is not None}:
            for conn in wait(list(busy)):
                i = busy[conn]
                on_result(*pool[i].take())
                if todo and not pool[i].process.is_alive():  # it died: a fresh one goes on
                    pool[i].stop()
                    pool[i] = _Worker(ctx, task)
                if todo:
                    pool[i].give(todo.pop(0))
    finally:
        for worker in pool:
            worker.stop()
