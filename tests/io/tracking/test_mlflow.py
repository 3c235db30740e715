"""MLflow: a run in a local SQLite store, read back with MLflow's own client."""

from __future__ import annotations

import pytest

pytest.importorskip("mlflow")
pytest.importorskip("sqlalchemy")

import mlflow

from trainlab.core.errors import ConfigError
from trainlab.io.tracking.mlflow import MlflowTracker


def test_params_metrics_and_status_in_a_sqlite_store(tmp_path) -> None:
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    t = MlflowTracker(uri, "lecture", "wine-1")
    t.log_params({"optimizer.lr": 0.01, "model.widths": "[64, 64]"})
    for step in (1, 2):
        t.log_metrics(step, {"epoch": float(step), "val_acc": 0.5 + step / 10})
    t.close({"test_acc": 0.93})
    client = mlflow.MlflowClient(tracking_uri=uri)
    run = client.get_run(t.run_id)
    assert run.info.status == "FINISHED" and run.info.run_name == "wine-1"
    assert run.data.params == {"optimizer.lr": "0.01", "model.widths": "[64, 64]"}
    history = client.get_metric_history(t.run_id, "val_acc")
    assert [(m.step, round(m.value, 6)) for m in history] == [(1, 0.6), (2, 0.7)]
    assert run.data.metrics["final_test_acc"] == pytest.approx(0.93)
    assert client.get_experiment_by_name("lecture").experiment_id == run.info.experiment_id


def test_a_run_that_failed_is_marked_so(tmp_path) -> None:
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    t = MlflowTracker(uri, "e", "broken")
    t.close({})
    assert mlflow.MlflowClient(tracking_uri=uri).get_run(t.run_id).info.status == "FAILED"


def test_a_store_that_cannot_be_opened_is_one_line(tmp_path) -> None:
    (tmp_path / "file").write_text("not a folder")
    uri = f"sqlite:///{tmp_path / 'file' / 'mlflow.db'}"
    with pytest.raises(ConfigError, match=r"^track\.mlflow: cannot use 'sqlite:///") as e:
        MlflowTracker(uri, "e", "r")
    assert "\n" not in str(e.value)
