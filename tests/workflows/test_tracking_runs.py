"""A run tracked in TensorBoard and MLflow: the same history there as in history.csv,
the same result as untracked, and a bad destination refused before anything trains."""

from __future__ import annotations

import pytest

pytest.importorskip("tensorboard")
pytest.importorskip("mlflow")
pytest.importorskip("sqlalchemy")

import mlflow
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from trainlab.config.recipe import Recipe
from trainlab.workflows.run import run_recipe

SETS = {"train.epochs": 3, "train.progress": False}


def test_the_trackers_hold_the_run_s_history_and_final_metrics(tmp_path) -> None:
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    tracked = Recipe.load("wine-mlp").override(
        {**SETS, "track.tensorboard": str(tmp_path / "tb"), "track.mlflow": uri}
    )
    result = run_recipe(tracked, out_dir=tmp_path / "runs")
    plain = run_recipe(Recipe.load("wine-mlp").override(SETS), out_dir=tmp_path / "plain")
    assert result.metrics["test_acc"] == plain.metrics["test_acc"]  # tracking changes nothing
    rows = result.history.rows
    acc = EventAccumulator(str(tmp_path / "tb" / result.folder.name))
    acc.Reload()
    scalars = acc.Scalars("val/loss")
    assert [e.step for e in scalars] == [r["epoch"] for r in rows]
    assert [e.value for e in scalars] == pytest.approx([r["val_loss"] for r in rows], rel=1e-6)
    client = mlflow.MlflowClient(tracking_uri=uri)
    (run,) = client.search_runs([client.get_experiment_by_name("trainlab").experiment_id])
    assert run.info.run_name == result.folder.name and run.info.status == "FINISHED"
    assert run.data.params["optimizer.lr"] == str(tracked.optimizer.lr)
    history = client.get_metric_history(run.info.run_id, "train_loss")
    assert [m.step for m in history] == [r["epoch"] for r in rows]
    assert run.data.metrics["final_test_acc"] == pytest.approx(result.metrics["test_acc"])


def test_a_destination_that_cannot_be_written_is_one_line_and_leaves_no_run(
    cli, one_line_error, tmp_path
) -> None:
    (tmp_path / "file").write_text("x")
    args = ["run", "wine-mlp", "--out-dir", str(tmp_path / "runs"), "-q"]
    code, _, err = cli(*args, "--set", f"track.tensorboard={tmp_path / 'file'}")
    one_line_error(code, err, "track.tensorboard: cannot write the log folder")
    uri = f"sqlite:///{tmp_path / 'file' / 'm.db'}"
    code, _, err = cli(*args, "--set", f"track.mlflow={uri}")
    one_line_error(code, err, "track.mlflow: cannot use")
    assert not any((tmp_path / "runs").iterdir())


def test_every_study_trial_is_a_run_of_its_own(tmp_path) -> None:
    from trainlab.workflows.study.spec import StudySpec
    from trainlab.workflows.study.trial import run_trial

    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    spec = StudySpec.from_dict(
        {
            "name": "tracked",
            "base": "wine-mlp",
            "base_set": {**SETS, "track.mlflow": uri, "track.experiment": "tracked"},
            "seeds": [0, 1],
            "variants": {"baseline": {}, "dropout": {"set": {"model.dropout": 0.3}}},
        }
    )
    for _, _, recipe in spec.trials():
        out = run_trial(recipe.to_dict(), probes=False)
        assert out["error"] is None, out["error"]
    client = mlflow.MlflowClient(tracking_uri=uri)
    runs = client.search_runs([client.get_experiment_by_name("tracked").experiment_id])
    names = sorted(r.info.run_name for r in runs)
    assert names == [f"tracked-{v}-seed{s}" for v in ("baseline", "dropout") for s in (0, 1)]
    base = str(Recipe.load("wine-mlp").model.dropout)
    assert {r.data.params["model.dropout"] for r in runs} == {base, "0.3"}
    assert all(r.info.status == "FINISHED" and "final_test_acc" in r.data.metrics for r in runs)


def _study_file(tmp_path, uri: str):
    path = tmp_path / "tracked.yaml"
    path.write_text(
        "name: tracked\nbase: wine-mlp\nseeds: [0, 1]\n"
        f"base_set: {{train.epochs: 2, track.mlflow: '{uri}', track.experiment: par}}\n"
        "variants: {baseline: {}, dropout: {set: {model.dropout: 0.3}}}\n"
    )
    return path


def test_trials_in_two_processes_share_one_new_sqlite_store(cli, tmp_path) -> None:
    # two processes setting up one new store at once collide: the study sets it up first
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    path = _study_file(tmp_path, uri)
    code, _, err = cli("study", str(path), "--workers", "2", "--out-dir", str(tmp_path), "-q")
    assert code == 0, err
    client = mlflow.MlflowClient(tracking_uri=uri)
    runs = client.search_runs([client.get_experiment_by_name("par").experiment_id])
    assert len(runs) == 4 and {r.info.status for r in runs} == {"FINISHED"}


def test_a_study_with_an_unusable_store_is_one_line_and_writes_nothing(
    cli, one_line_error, tmp_path
) -> None:
    (tmp_path / "file").write_text("x")
    path = _study_file(tmp_path, f"sqlite:///{tmp_path / 'file' / 'm.db'}")
    code, _, err = cli("study", str(path), "--out-dir", str(tmp_path / "studies"), "-q")
    one_line_error(code, err, "track.mlflow: cannot use")
    assert not (tmp_path / "studies").exists()
