"""A trial's outcomes: trained, diverged (a result: where, and the epochs before), failed."""

from __future__ import annotations

import csv
import io

import pytest

from trainlab.config.recipe import Recipe
from trainlab.workflows.study.executors import Job, run_inline
from trainlab.workflows.study.progress import NoProgress
from trainlab.workflows.study.results import results_csv as _results_csv
from trainlab.workflows.study.runner import _run_jobs
from trainlab.workflows.study.settings import TrialSettings
from trainlab.workflows.study.store import StudyStore
from trainlab.workflows.study.trial import run_trial

#: plain SGD at learning rate 10 on wine: the loss becomes NaN in epoch 2 (a second on a CPU)
HOT = {"optimizer.name": "sgd", "optimizer.lr": 10.0, "train.epochs": 3}


@pytest.fixture
def hot() -> Recipe:
    return Recipe.load("wine-mlp").override(HOT)


def test_a_diverged_trial_says_where_with_the_epochs_before(hot):
    out = run_trial(hot.to_dict(), probes=True, threads=1)
    assert set(out) == {"diverged", "history", "metrics", "error"} and out["error"] is None
    where = out["diverged"]
    assert where["epoch"] == 2 and isinstance(where["batch"], int) and where["value"] == "nan"
    assert set(out["metrics"]) == {"diverged_epoch", "seconds"}
    assert out["metrics"]["diverged_epoch"] == 2 and out["metrics"]["seconds"] > 0
    assert [row["epoch"] for row in out["history"]] == [1]  # the epoch it finished


def test_the_runner_records_diverged_and_failed_apart(tmp_path, hot):
    one = TrialSettings(threads=1, torch="t", device="cpu")
    broken = hot.override({"transfer.checkpoint": str(tmp_path / "missing.safetensors")})
    fine = hot.override({"optimizer.lr": 0.01})
    jobs = [
        Job("hot", 0, hot.to_dict(), False, one),
        Job("broken", 0, broken.to_dict(), False, one),
        Job("fine", 0, fine.to_dict(), False, one),
    ]
    with StudyStore(tmp_path / "s") as store:
        store.add_trials([(j.variant, j.seed, j.recipe) for j in jobs])
        _run_jobs(store, jobs, run_inline, NoProgress(), 1, None)
        trials = {t.variant: t for t in store.trials()}
        assert store.counts()["diverged"] == 1 and store.reset_unfinished() == 0
    assert [trials[v].status for v in ("hot", "broken", "fine")] == ["diverged", "failed", "done"]
    diverged = trials["hot"]
    assert diverged.metrics["diverged_epoch"] == 2 and diverged.metrics["diverged_value"] == "nan"
    assert len(diverged.history) == 1 and diverged.error is None
    assert "missing.safetensors" in trials["broken"].error
    assert all(t.settings == one.to_dict() for t in trials.values())
    rows = list(csv.DictReader(io.StringIO(_results_csv(list(trials.values()), "test_acc"))))
    shown = {r["variant"]: (r["status"], r["diverged_epoch"]) for r in rows}
    assert shown == {"hot": ("diverged", "2"), "broken": ("failed", ""), "fine": ("done", "")}
