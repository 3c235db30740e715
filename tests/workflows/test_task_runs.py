"""Runs of other tasks than classification: regression and multitask, end to end."""

import json

import numpy as np
import pytest
import torch

from trainlab.config.recipe import Recipe
from trainlab.engine.prediction import predict_logits
from trainlab.engine.tasks import task_from_description
from trainlab.io.model_file import load_model
from trainlab.workflows.run import run_recipe


def _diabetes(**sets):
    base = {
        "data.dataset": "diabetes",
        "model.widths": [32],
        "train.epochs": 8,
        "train.progress": False,
    }
    return Recipe.load("wine-mlp").override({**base, **sets})


def test_regression_run_reports_in_the_targets_units(tmp_path):
    result = run_recipe(_diabetes(**{"ensemble.members": 2}), out_dir=tmp_path)
    m = json.loads((result.folder / "metrics.json").read_text())
    assert {"test_rmse", "test_mae", "test_r2", "val_rmse", "train_rmse", "gap"} <= set(m)
    assert m["gap"] == pytest.approx(m["test_rmse"] - m["train_rmse"])
    models, meta = load_model(result.folder / "model.safetensors")
    task = task_from_description(meta["task"])
    task.load_state_dict({k: torch.tensor(v) for k, v in meta["task_state"].items()})
    y_train = result.data.train[1]
    assert float(task.mean) == pytest.approx(float(y_train.double().mean()), rel=1e-6)
    x, y = result.data.test
    preds = [task.predict(predict_logits(mod, x, torch.device("cpu"))) for mod in models]
    mean = torch.stack(preds).mean(0).double()  # the ensemble averages predicted values
    rmse = float(((mean - y.double()) ** 2).mean().sqrt())
    assert m["test_rmse"] == pytest.approx(rmse, rel=1e-5)
    assert 25 < m["test_rmse"] < 90  # diabetes targets: 25..346, sd ≈ 77
    header = (result.folder / "history.csv").read_text().splitlines()[0]
    assert "val_rmse" in header and "val_acc" not in header


def test_early_stopping_on_val_rmse_keeps_the_lowest(tmp_path):
    r = _diabetes(
        **{
            "early_stopping.enabled": True,
            "early_stopping.monitor": "val_rmse",
            "early_stopping.patience": 2,
            "train.epochs": 25,
            "optimizer.lr": 0.05,
        }
    )
    result = run_recipe(r, out_dir=tmp_path)
    rows = result.history.rows
    best = min(range(len(rows)), key=lambda i: rows[i]["val_rmse"])
    assert result.metrics["best_epoch"] == rows[best]["epoch"]
    assert result.metrics["val_rmse"] == pytest.approx(rows[best]["val_rmse"], rel=1e-5)


def test_linnerud_learns_three_targets_with_soft_sharing(tmp_path):
    r = Recipe.load("wine-mlp").override(
        {
            "data.dataset": "linnerud",
            "task.targets": ["weight", "waist", "pulse"],
            "multitask.sharing": "soft",
            "multitask.weighting": "uncertainty",
            "split.val": 0.2,
            "split.test": 0.2,
            "model.widths": [8],
            "train.epochs": 3,
            "train.batch_size": 4,
            "train.progress": False,
        }
    )
    result = run_recipe(r, out_dir=tmp_path)
    m = result.metrics
    for name in ("weight", "waist", "pulse"):
        assert np.isfinite(m[f"test_{name}_rmse"])
    assert "train_pulse_weight" in result.history.rows[-1]
    models, meta = load_model(result.folder / "model.safetensors")
    assert meta["task"]["kind"] == "multitask" and meta["model"]["sharing"] == "soft"
    out = models[0](result.data.test[0])
    assert sorted(out) == ["pulse", "waist", "weight"]


def test_digits_hard_sharing_learns_both_targets(tmp_path):
    r = Recipe.load("digits-mlp").override(
        {
            "data.limit": 400,
            "task.targets": ["digit", "parity"],
            "train.epochs": 3,
            "model.widths": [32],
            "train.progress": False,
        }
    )
    whole = run_recipe(r, out_dir=tmp_path / "a")
    assert {"test_digit_acc", "test_parity_acc"} <= set(whole.metrics)
    assert whole.metrics["test_parity_acc"] > 0.6 and whole.metrics["test_digit_acc"] > 0.3
    assert whole.data.train[1]["parity"].tolist() == (whole.data.train[1]["digit"] % 2).tolist()


def test_learned_uncertainty_weights_are_saved_and_score_the_run(tmp_path):
    r = Recipe.load("wine-mlp").override(
        {
            "data.dataset": "linnerud",
            "task.targets": ["weight", "waist", "pulse"],
            "multitask.weighting": "uncertainty",
            "optimizer.lr": 0.05,
            "split.val": 0.2,
            "split.test": 0.2,
            "model.widths": [8],
            "train.epochs": 4,
            "train.batch_size": 4,
            "train.progress": False,
        }
    )
    result = run_recipe(r, out_dir=tmp_path)
    _, meta = load_model(result.folder / "model.safetensors")
    saved = meta["task_state"]["log_vars"]
    assert any(v != 0.0 for v in saved)  # trained, not the fresh task's zeros
    last = result.history.rows[-1]
    assert last["train_pulse_weight"] == pytest.approx(0.5 * float(np.exp(-saved[2])), rel=1e-5)
