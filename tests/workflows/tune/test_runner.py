"""Tuning: Optuna's storage in the folder, resumable, pruned, verified; bad input refused."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("optuna")

import optuna

from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError
from trainlab.workflows.tune.runner import STORE_FILE, _Prune, check_tune, run_tune
from trainlab.workflows.tune.space import parse_param

SPACE = [parse_param("model.dropout=float:0:0.5"), parse_param("regularization.l2=log:1e-5:1e-2")]


def _recipe() -> Recipe:
    return Recipe.load("wine-mlp").override({"train.epochs": 4, "train.progress": False})


def _trials(folder):
    storage = optuna.storages.RDBStorage(f"sqlite:///{folder / STORE_FILE}")
    (summary,) = optuna.get_all_study_summaries(storage)
    return optuna.load_study(study_name=summary.study_name, storage=storage).trials


def test_a_tuning_resumes_where_it_stopped_and_keeps_its_trials(tmp_path) -> None:
    first = run_tune(_recipe(), SPACE, trials=2, out_dir=tmp_path, progress=False)
    before = [t.params for t in _trials(first.folder)]
    more = run_tune(_recipe(), SPACE, trials=3, out_dir=tmp_path, progress=False)
    after = _trials(more.folder)
    assert more.folder == first.folder and len(after) == 3
    assert [t.params for t in after[:2]] == before  # the first two were not run again
    assert more.completed + more.pruned == 3
    best = json.loads((more.folder / "best.json").read_text())
    assert best["params"] == more.best and best["val_acc"] == more.best_value
    assert set(more.best) == {"model.dropout", "regularization.l2"}
    assert 0.0 <= more.best["model.dropout"] <= 0.5


def test_a_trial_left_running_by_a_kill_is_failed_and_drawn_again(tmp_path) -> None:
    done = run_tune(_recipe(), SPACE, trials=1, out_dir=tmp_path, progress=False)
    storage = optuna.storages.RDBStorage(f"sqlite:///{done.folder / STORE_FILE}")
    study = optuna.load_study(study_name=done.folder.name, storage=storage)
    study.ask()  # what a process killed mid-trial leaves: a RUNNING trial
    again = run_tune(_recipe(), SPACE, trials=2, out_dir=tmp_path, progress=False)
    states = [t.state for t in _trials(again.folder)]
    assert states.count(optuna.trial.TrialState.FAIL) == 1
    assert again.completed + again.pruned == 2


def test_the_median_rule_stops_a_trial_behind_the_others() -> None:
    study = optuna.create_study(
        direction="maximize", pruner=optuna.pruners.MedianPruner(n_startup_trials=1)
    )
    for value in (0.9, 0.95):  # two good trials so far
        t = study.ask()
        t.report(value, 1)
        study.tell(t, value)
    behind = study.ask()
    with pytest.raises(optuna.TrialPruned):
        _Prune(behind, "val_acc").on_epoch_end(None, 1, {"val_acc": 0.2})


def test_another_search_in_the_same_folder_is_refused(tmp_path) -> None:
    run_tune(_recipe(), SPACE, trials=1, out_dir=tmp_path, progress=False)
    with pytest.raises(ConfigError, match="another recipe or search space"):
        run_tune(_recipe(), SPACE[:1], trials=1, out_dir=tmp_path, progress=False)


@pytest.mark.parametrize(
    ("params", "metric", "words"),
    [
        (["model.droput=float:0:0.5"], "val_acc", "--param model.droput"),
        (["model.dropout=float:1.5:2"], "val_acc", "--param model.dropout"),  # not below 1
        (["model.dropout=float:0:0.5"], "test_acc", "the test split is for the verification"),
        (["model.dropout=float:0:0.5"], "val_wobble", "unknown"),
        ([], "val_acc", "at least one --param"),
    ],
)
def test_bad_tunings_are_refused_before_anything_runs(params, metric, words) -> None:
    space = [parse_param(p) for p in params]  # (a range is checked by its LOW value)
    with pytest.raises(ConfigError, match=words):
        check_tune(_recipe(), space, metric)


def test_the_cli_tunes_verifies_and_refuses_in_one_line(cli, one_line_error, tmp_path) -> None:
    base = ["tune", "wine-mlp", "--out-dir", str(tmp_path), "-q", "--set", "train.epochs=3"]
    code, out, err = cli(
        *base, "--param", "model.dropout=float:0:0.5", "--trials", "2", "--verify-seeds", "0,1"
    )
    assert code == 0, err
    assert "best" in out and "verification" in out
    assert (tmp_path / "wine-mlp-tune" / "verify" / "report.html").is_file()
    code, _, err = cli(*base, "--param", "model.dropout=float:0.5:0.1")
    one_line_error(code, err, "--param model.dropout=float:0.5:0.1: an empty range")
    code, _, err = cli(*base, "--param", "model.wobble=float:0:1", "--name", "other")
    one_line_error(code, err, "--param model.wobble")
    assert not (tmp_path / "other").exists()
