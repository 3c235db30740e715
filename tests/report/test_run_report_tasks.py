"""The run report and its learning curves follow the task: regression and multitask runs."""

from __future__ import annotations

import math
import struct
from pathlib import Path

import pytest

from htmlcheck import parse
from trainlab.engine.diagnose import FinalScores, MainMetric, diagnose
from trainlab.report import plot_learning_curves, render_run_report
from trainlab.report.figures.learning_curves import other_targets
from trainlab.report.run_metrics import RunMetric, infer_primary, split_rows

#: the final metrics of a short diabetes run (metrics.json of a regression)
REGRESSION = {
    "train_loss": 0.269,
    "train_rmse": 39.9758,
    "train_mae": 31.5975,
    "train_r2": 0.73099,
    "val_loss": 0.5129,
    "val_rmse": 55.1994,
    "val_mae": 43.0721,
    "val_r2": 0.54224,
    "test_loss": 0.6883,
    "test_rmse": 63.9442,
    "test_mae": 47.7469,
    "test_r2": 0.19542,
    "gap": 23.9684,
    "epochs_run": 12,
    "best_epoch": None,
    "seconds": 7.1,
}


def regression_history(n: int = 12) -> list[dict]:
    rows = []
    for e in range(1, n + 1):
        tl, vl = 0.3 + 0.6 * math.exp(-0.4 * e), 0.45 + 0.4 * math.exp(-0.5 * e) + 0.01 * e
        rows.append(
            {
                "epoch": e,
                "train_loss": tl,
                "train_rmse": 75 * math.sqrt(tl),
                "train_mae": 60 * math.sqrt(tl),
                "train_r2": 1 - tl,
                "val_loss": vl,
                "val_rmse": 75 * math.sqrt(vl),
                "val_mae": 60 * math.sqrt(vl),
                "val_r2": 1 - vl,
                "lr": 3e-3,
                "seconds": 0.5,
            }
        )
    return rows


def multitask_history(n: int = 8) -> list[dict]:
    return [
        {
            "epoch": e,
            "train_loss": 1.5 / e,
            "train_digit_loss": 1.0 / e,
            "train_digit_acc": 1 - 0.5 / e,
            "train_parity_loss": 0.5 / e,
            "train_parity_acc": 1 - 0.3 / e,
            "train_size_loss": 0.4 / e,
            "train_size_rmse": 2.0 / e,
            "val_loss": 1.6 / e,
            "val_digit_acc": 0.97 - 0.5 / e,
            "val_parity_acc": 0.98 - 0.3 / e,
            "val_size_rmse": 2.2 / e,
            "lr": 1e-3,
        }
        for e in range(1, n + 1)
    ]


MULTITASK = {
    "train_loss": 0.2,
    "train_digit_loss": 0.1,
    "train_digit_acc": 0.99,
    "train_parity_loss": 0.05,
    "train_parity_acc": 0.995,
    "val_loss": 0.3,
    "val_digit_acc": 0.95,
    "val_parity_acc": 0.97,
    "test_loss": 0.31,
    "test_digit_acc": 0.948,
    "test_parity_acc": 0.969,
    "gap": 0.042,
}


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def page(metrics: dict, history: list[dict], figures: dict | None = None, **kw) -> str:
    metric = kw.pop("metric", "rmse")
    if metric == "rmse":
        final = FinalScores(
            train=metrics.get("train_r2"),
            val=metrics.get("val_r2"),
            val_examples=88,
            metric="rmse",
            train_value=metrics.get("train_rmse"),
            val_value=metrics.get("val_rmse"),
        )
    else:
        score = MainMetric(metric).score
        final = FinalScores(
            train=metrics.get(f"train_{score}"),
            val=metrics.get(f"val_{score}"),
            val_examples=300,
            metric=metric,
        )
    d = diagnose(history, metric=metric, final=final)
    return render_run_report(
        title="diabetes",
        recipe={"name": "diabetes-mlp"},
        metrics=metrics,
        history=history,
        diagnosis=d,
        figures=figures or {},
        data_summary={
            "dataset": "diabetes",
            "classes": [],
            "targets": [{"name": "progression", "kind": "regression"}],
        },
        **kw,
    )


# -- the metric a run is judged by --------------------------------------------------------
def test_the_main_metric_is_read_from_the_metric_names():
    assert infer_primary(REGRESSION) == "rmse"
    assert infer_primary(MULTITASK) == "digit_acc"
    assert infer_primary({}, regression_history()) == "rmse"
    assert infer_primary({"test_acc": 0.9, "test_loss": 0.3}) == "acc"
    assert infer_primary({"epochs_run": 3}) == "acc"


def test_values_and_gaps_in_the_metric_s_units():
    rmse, r2, acc = RunMetric("rmse"), RunMetric("r2"), RunMetric("acc")
    assert (rmse.text(63.9442), r2.text(0.19542), acc.text(0.9812)) == ("63.94", "0.195", "98.12%")
    assert rmse.gap_text(23.9684) == "+23.97" and acc.gap_text(0.019) == "+1.9 pts"
    assert rmse.advantage(40.0, 55.0) == 15.0 and acc.advantage(0.9, 0.8) == pytest.approx(0.1)
    assert RunMetric("weight_rmse").name("en") == "weight RMSE"
    assert RunMetric("weight_rmse").name("es") == "RMSE (weight)"
    rows = split_rows(MULTITASK, "en")
    assert [(r["target"], r["metric"]) for r in rows][:3] == [
        (None, "loss"),
        ("digit", "loss"),
        ("digit", "accuracy"),
    ]


# -- the page -----------------------------------------------------------------------------
def test_a_regression_report_shows_rmse_mae_and_r2(tmp_path):
    history = regression_history()
    lc = plot_learning_curves(history, tmp_path / "lc.png")
    html = page(REGRESSION, history, {"learning_curves": lc})
    checker = parse(html)
    assert checker.errors == [] and checker.stack == []
    text = checker.text
    assert "Test RMSE" in text and "63.94" in text and "test loss 0.6883" in text
    assert "Validation RMSE" in text and "55.2" in text
    assert "Training RMSE (final weights)" in text and "39.98" in text
    assert "Gap (test − train)" in text and "+23.97" in text and "RMSE, final weights" in text
    assert "pts" not in text and "accuracy" not in text.replace("R²", "")
    assert "Final metrics by split" in text
    for cell in ("MAE", "31.6", "R²", "0.731", "0.542", "0.195"):
        assert cell in text
    assert "train RMSE (running)" in text and "val RMSE" in text  # the history's columns
    assert "Confusion matrix" not in text  # no classes, no section
    assert "progression (regression)" in text and "Classes" not in text
    assert "Loss and RMSE per epoch" in html  # the figure's alt text
    assert "validation RMSE 54.6" in text  # the diagnosis, in RMSE


def test_a_regression_report_in_spanish():
    text = parse(page(REGRESSION, regression_history(), lang="es")).text
    assert "RMSE de prueba" in text and "RMSE de validación" in text
    assert "RMSE de entrenamiento (pesos finales)" in text
    assert "Brecha (prueba − entrenamiento)" in text and "RMSE, pesos finales" in text
    assert "Métricas finales por conjunto" in text and "Objetivos" in text
    assert "RMSE de validación 54.6" in text


def test_a_regression_report_without_final_metrics_uses_the_running_rmse():
    history = regression_history()
    text = parse(page({}, history)).text
    assert "Test RMSE" in text and "no test split" in text
    assert "Training RMSE (running, during epoch)" in text
    last = history[-1]
    gap = last["val_rmse"] - last["train_rmse"]
    assert "Gap (val − running train)" in text and f"{gap:+.4g}" in text
    assert "RMSE, running training value" in text


def test_a_multitask_report_names_the_main_target_and_lists_every_target():
    h = multitask_history()
    text = parse(page(MULTITASK, h, metric="digit_acc", primary="digit_acc")).text
    assert "Test digit accuracy" in text and "94.8%" in text
    assert "Training digit accuracy (final weights)" in text and "99.00%" in text
    assert "Gap (train − test)" in text and "+4.2 pts" in text
    assert "digit accuracy points, final weights" in text
    assert "Final metrics by split" in text and "all (weighted)" in text
    assert "parity" in text and "96.90%" in text
    assert "The accuracies are those of the main target, digit." in text
    es = parse(page(MULTITASK, h, metric="digit_acc", lang="es")).text
    assert "Exactitud (digit) de prueba" in es and "puntos de exactitud (digit)" in es


def test_the_primary_metric_may_be_named():
    """A multitask run whose main target is not the first one says so."""
    text = parse(
        page(MULTITASK, multitask_history(), metric="digit_acc", primary="parity_acc")
    ).text
    assert "Test parity accuracy" in text and "96.9%" in text


# -- the learning curves ------------------------------------------------------------------
def test_regression_learning_curves(tmp_path):
    h = regression_history()
    inferred = plot_learning_curves(h, tmp_path / "a.png", mark_epoch=4)
    named = plot_learning_curves(h, tmp_path / "b.png", mark_epoch=4, metric="rmse")
    assert inferred.read_bytes() == named.read_bytes()
    r2 = plot_learning_curves(h, tmp_path / "c.png", mark_epoch=4, metric="r2")
    assert r2.read_bytes() != named.read_bytes()
    assert png_size(named)[0] == png_size(plot_learning_curves(h[:3], tmp_path / "d.png"))[0]
    bare = [{k: v for k, v in r.items() if not k.endswith("rmse")} for r in h]
    png_size(plot_learning_curves(bare, tmp_path / "e.png", metric="rmse"))  # "no RMSE recorded"


def test_multitask_learning_curves_get_a_panel_per_other_target(tmp_path):
    h = multitask_history()
    others = other_targets(h, RunMetric("digit_acc"))
    assert [o.key for o in others] == ["parity_acc", "size_rmse"]
    assert other_targets(regression_history(), RunMetric("rmse")) == []
    out = plot_learning_curves(h, tmp_path / "mt.png", mark_epoch=3, metric="digit_acc")
    single = plot_learning_curves(
        [{k: v for k, v in r.items() if "parity" not in k and "size" not in k} for r in h],
        tmp_path / "one.png",
        mark_epoch=3,
        metric="digit_acc",
    )
    assert png_size(out)[1] > png_size(single)[1]  # a row of panels more
