"""Local worker processes: every job answered, one cache per worker, a dead worker replaced."""

import textwrap

from trainlab.workflows.study.process_pool import run_in_processes

TASKS = """
import os


def where(job, cache):
    if job == "die":
        os._exit(3)
    return {"job": job, "pid": os.getpid(), "cache": id(cache)}
"""


def test_workers_keep_their_cache_and_a_dead_one_is_replaced(tmp_path, monkeypatch):
    (tmp_path / "pool_tasks.py").write_text(textwrap.dedent(TASKS))
    monkeypatch.syspath_prepend(str(tmp_path))  # spawned workers import the task from here
    import pool_tasks

    got = {}
    jobs = ["a", "b", "die", "c", "d", "e"]
    run_in_processes(jobs, lambda job, r: got.setdefault(job, r), workers=2, task=pool_tasks.where)
    assert sorted(got) == sorted(jobs)
    assert "worker failed" in got["die"]["error"] and "exit code 3" in got["die"]["error"]
    ran = [r for job, r in got.items() if job != "die"]
    caches = {}
    for r in ran:
        caches.setdefault(r["pid"], set()).add(r["cache"])
    assert all(len(c) == 1 for c in caches.values())  # one cache for a worker's whole life
    assert len(caches) >= 2 and len(ran) > len(caches)  # workers ran several jobs each


def test_no_jobs_start_no_worker():
    run_in_processes([], lambda job, r: None, workers=4, task=print)
