"""Trials give the same numbers on every executor, and settings are never mixed silently."""

from __future__ import annotations

import importlib.util

import pytest
import torch

from trainlab.core.errors import ConfigError
from trainlab.workflows.study import executors
from trainlab.workflows.study.runner import run_study
from trainlab.workflows.study.settings import TrialSettings
from trainlab.workflows.study.spec import StudySpec
from trainlab.workflows.study.store import StudyStore


def _spec(epochs=3, seeds=(0, 1), **kw):
    data = {
        "name": "r",
        "base": "wine-mlp",
        "seeds": list(seeds),
        "probes": False,
        "base_set": {"train.epochs": epochs, "train.device": "cpu"},
        "variants": {"baseline": {}, "dropout": {"model.dropout": 0.3}},
        **kw,
    }
    return StudySpec.from_dict(data)


def _trials(folder):
    """(variant, seed) → (test_acc, test_loss, settings) of every stored trial."""
    with StudyStore(folder) as store:
        trials = store.trials()
    assert trials and all(t.status == "done" for t in trials)
    return {
        (t.variant, t.seed): (t.metrics["test_acc"], t.metrics["test_loss"], t.settings)
        for t in trials
    }


def _run(tmp_path, name, spec=None, **kw):
    spec = spec or _spec()
    run_study(spec, folder=tmp_path / name, progress=False, echo=None, **kw)
    return _trials(tmp_path / name)


@pytest.fixture(scope="module")
def inline(tmp_path_factory):
    """The tiny study's trials, run inline (2 variants × 2 seeds, 3 epochs)."""
    return _run(tmp_path_factory.mktemp("inline"), "inline")


def test_inline_and_two_worker_processes_give_identical_trials(tmp_path, inline):
    processes = _run(tmp_path, "processes", workers=2, executor="processes")
    assert processes == inline  # exactly: accuracies, losses and settings
    one = {"threads": 1, "torch": torch.__version__, "device": "cpu"}
    assert len(inline) == 4 and all(settings == one for *_, settings in inline.values())


@pytest.mark.skipif(
    importlib.util.find_spec("ray") is None, reason="the optional package ray is not installed"
)
def test_ray_gives_the_trials_of_inline(tmp_path, inline):
    assert _run(tmp_path, "ray", workers=2, executor="ray") == inline


@pytest.mark.slow
def test_executors_agree_on_a_longer_study_with_probes(tmp_path):
    spec = _spec(epochs=20, seeds=(0, 1, 2), probes=True)
    inline = _run(tmp_path, "inline", spec)
    assert _run(tmp_path, "processes", spec, workers=2, executor="processes") == inline
    if importlib.util.find_spec("ray") is not None:
        assert _run(tmp_path, "ray", spec, workers=2, executor="ray") == inline


def test_a_trial_runs_with_its_recipes_threads_else_the_studys(tmp_path, monkeypatch):
    spec = _spec(
        epochs=1, seeds=(0,), threads=2, variants={"baseline": {}, "four": {"train.threads": 4}}
    )
    asked = []
    real = executors.run_trial

    def spy(recipe, **kw):
        asked.append((recipe["name"], kw["threads"]))
        return real(recipe, **kw)

    monkeypatch.setattr(executors, "run_trial", spy)
    got = _run(tmp_path, "t", spec, workers=3, executor="inline")  # never from --workers
    assert asked == [("r-baseline", 2), ("r-four", 4)]
    assert got[("baseline", 0)][2]["threads"] == 2 and got[("four", 0)][2]["threads"] == 4


def test_the_spec_threads_must_be_positive():
    assert _spec().threads == 1
    with pytest.raises(ConfigError, match="threads"):
        _spec(threads=0)


def test_other_settings_than_the_stored_trials_are_refused(tmp_path):
    spec = _spec(epochs=1, seeds=(0,))
    before = _run(tmp_path, "m", spec)
    two = _spec(epochs=1, seeds=(0,), threads=2)
    with pytest.raises(ConfigError) as info:
        run_study(two, folder=tmp_path / "m", progress=False, echo=None)
    msg = str(info.value)
    assert "\n" not in msg and "study r" in msg and "baseline seed 0" in msg
    assert "threads 1" in msg and "threads 2" in msg
    assert "--fresh" in msg and "--allow-mixed" in msg
    assert _trials(tmp_path / "m") == before  # nothing was written
    # --allow-mixed keeps the stored trials (nothing to run again)
    run_study(two, folder=tmp_path / "m", progress=False, echo=None, allow_mixed=True)
    assert _trials(tmp_path / "m") == before
    # --fresh discards them and runs every trial under the new settings
    run_study(two, folder=tmp_path / "m", progress=False, echo=None, fresh=True)
    assert {s["threads"] for *_, s in _trials(tmp_path / "m").values()} == {2}


def test_trials_without_recorded_settings_are_refused(tmp_path):
    spec = _spec(epochs=1, seeds=(0,), variants={"baseline": {}})
    with StudyStore(tmp_path / "old") as store:  # as a migrated store of an older trainlab
        store.add_trials([(v, s, r.to_dict()) for v, s, r in spec.trials()])
        store.mark_running("baseline", 0)
        store.record_done("baseline", 0, metrics={}, history=[], diagnosis=None, probes=None)
    with pytest.raises(ConfigError, match=r"settings not recorded .*--fresh.*--allow-mixed"):
        run_study(spec, folder=tmp_path / "old", progress=False, echo=None)


def test_trial_settings_validate():
    with pytest.raises(ValueError, match="threads"):
        TrialSettings(threads=0, torch="", device="cpu")
