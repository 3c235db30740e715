"""Verdicts of trainlab.engine.diagnose.curves on synthetic learning curves."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest

from trainlab.engine.diagnose import VERDICTS, Diagnosis, diagnose, generalization_gap
from trainlab.engine.diagnose.thresholds import LOW_TRAIN_ACC

RECIPE_KEY = re.compile(r"`([a-z_]+\.[a-z0-9_]+)")


def make_history(
    train_loss,
    val_loss=None,
    train_acc=None,
    val_acc=None,
    *,
    lr: float = 1e-3,
) -> list[dict]:
    """One dict per epoch from per-epoch lists (None lists are left out)."""
    rows = []
    for i, tl in enumerate(train_loss):
        row = {"epoch": i + 1, "train_loss": tl, "lr": lr, "seconds": 1.5}
        for key, values in (("val_loss", val_loss), ("train_acc", train_acc), ("val_acc", val_acc)):
            if values is not None:
                row[key] = values[i]
        rows.append(row)
    return rows


def converging(n: int, start: float, end: float, rate: float = 0.6) -> list[float]:
    """An exponential approach from ``start`` to ``end`` (flat by the last epochs)."""
    return [end + (start - end) * math.exp(-rate * i) for i in range(n)]


def good_fit_history(n: int = 15) -> list[dict]:
    tl = converging(n, 1.5, 0.10)
    vl = converging(n, 1.5, 0.13)
    ta = [1 - x / 2 for x in converging(n, 1.2, 0.04)]
    va = [1 - x / 2 for x in converging(n, 1.2, 0.07)]
    return make_history(tl, vl, ta, va)


def overfitting_history() -> list[dict]:
    # validation loss lowest at epoch 7 (0.081), then rises for 5 epochs
    vl = [0.60, 0.35, 0.22, 0.15, 0.11, 0.09, 0.081, 0.085, 0.092, 0.10, 0.105, 0.112]
    tl = [0.55, 0.30, 0.18, 0.11, 0.075, 0.05, 0.035, 0.025, 0.018, 0.013, 0.010, 0.008]
    ta = [0.85, 0.91, 0.94, 0.96, 0.975, 0.985, 0.99, 0.993, 0.995, 0.997, 0.998, 0.999]
    va = [0.84, 0.90, 0.93, 0.95, 0.965, 0.972, 0.975, 0.975, 0.974, 0.973, 0.973, 0.972]
    return make_history(tl, vl, ta, va)


def keys_in(remedies: list[str]) -> set[str]:
    return {m for r in remedies for m in RECIPE_KEY.findall(r)}


# ---------------------------------------------------------------------------- good fit


def test_good_fit():
    d = diagnose(good_fit_history())
    assert isinstance(d, Diagnosis)
    assert d.verdict == "good fit"
    assert d.remedies == []
    assert d.epoch == d.details["best_val_epoch"]
    assert "a good fit" in d.message
    assert d.details["reason"] == "good_fit"


def test_verdicts_constant_lists_every_verdict():
    assert set(VERDICTS) == {"diverged", "unstable", "overfitting", "underfitting", "good fit"}


# ---------------------------------------------------------------------------- overfitting


def test_overfitting_from_validation_loss_onset_is_minimum():
    d = diagnose(overfitting_history())
    assert d.verdict == "overfitting"
    assert d.epoch == 7
    assert d.details["reason"] == "val_loss_rising"
    assert d.details["best_val_epoch"] == 7
    assert d.details["epochs_after_best"] == 5
    assert "epoch 7" in d.message and "0.081" in d.message
    assert "overfitting" in d.message


def test_overfitting_remedies_name_the_lecture_strategies_and_recipe_keys():
    d = diagnose(overfitting_history())
    keys = keys_in(d.remedies)
    for key in (
        "regularization.l1",
        "regularization.l2",
        "regularization.input_noise",
        "regularization.label_smoothing",
        "regularization.weight_noise",
        "ensemble.members",
        "early_stopping.enabled",
        "model.dropout",
        "model.batch_norm",
    ):
        assert key in keys, key
    text = " ".join(d.remedies).lower()
    assert "augmentation" in text and "multitask" in text


def test_rise_shorter_than_patience_is_not_overfitting_by_loss():
    h = overfitting_history()  # minimum at epoch 7, then 5 more epochs
    assert diagnose(h, patience=6).details["reason"] != "val_loss_rising"
    d = diagnose(h, patience=5)
    assert d.verdict == "overfitting" and d.epoch == 7


def test_noisy_plateau_is_not_overfitting():
    rng = np.random.default_rng(3)
    false_alarms = 0
    for _ in range(50):
        n = 20
        tl = [0.1 + 1.5 * math.exp(-0.5 * e) for e in range(1, n + 1)]
        vl = [
            (0.13 + 1.5 * math.exp(-0.5 * e)) * (1 + rng.normal(0, 0.03)) for e in range(1, n + 1)
        ]
        false_alarms += diagnose(make_history(tl, vl)).verdict == "overfitting"
    assert false_alarms <= 5


def test_validation_rise_without_falling_training_loss_is_not_overfitting_by_loss():
    tl = [1.0, 0.5, 0.3, 0.2, 0.2, 0.2, 0.2, 0.2]
    vl = [1.0, 0.5, 0.3, 0.25, 0.27, 0.29, 0.3, 0.31]
    d = diagnose(make_history(tl, vl))
    assert d.details["reason"] != "val_loss_rising"


def test_overfitting_from_accuracy_gap_without_validation_loss():
    n = 12
    ta = [min(0.999, 0.80 + 0.03 * i) for i in range(n)]
    va = [min(0.90, 0.79 + 0.03 * i) for i in range(n)]
    tl = converging(n, 0.8, 0.01)
    d = diagnose(make_history(tl, None, ta, va))
    assert d.verdict == "overfitting"
    assert d.details["reason"] == "accuracy_gap"
    gaps = [t - v for t, v in zip(ta, va, strict=True)]
    onset = next(i for i in range(n) if all(g > 0.05 for g in gaps[i:])) + 1
    assert d.epoch == onset
    assert "points" in d.message


def test_gap_threshold_is_respected():
    n = 10
    ta = [0.80 + 0.02 * i for i in range(n)]  # ends at 0.98
    va = [0.80 + 0.01 * i for i in range(n)]  # ends at 0.89: gap 0.09
    tl = converging(n, 0.8, 0.05)
    assert diagnose(make_history(tl, None, ta, va), gap_threshold=0.05).verdict == "overfitting"
    assert diagnose(make_history(tl, None, ta, va), gap_threshold=0.10).verdict != "overfitting"


def test_gap_overfitting_uses_minimum_validation_loss_as_onset():
    n = 10
    tl = converging(n, 1.0, 0.02)
    # minimum at epoch 5, final GL < MIN_GL: only the gap rule can fire
    vl = [1.0, 0.6, 0.4, 0.3, 0.28, 0.29, 0.285, 0.29, 0.2801, 0.2802]
    ta = [0.70 + 0.03 * i for i in range(n)]
    va = [0.70 + 0.01 * i for i in range(n)]
    d = diagnose(make_history(tl, vl, ta, va))
    assert d.verdict == "overfitting" and d.details["reason"] == "accuracy_gap"
    assert d.epoch == 5


# ---------------------------------------------------------------------------- underfitting


def test_underfitting_low_training_accuracy():
    n = 12
    tl = converging(n, 2.0, 1.1)
    vl = converging(n, 2.0, 1.15)
    ta = [0.3 + 0.3 * (1 - math.exp(-0.6 * i)) for i in range(n)]  # plateaus near 0.6
    va = [a - 0.01 for a in ta]
    d = diagnose(make_history(tl, vl, ta, va))
    assert d.verdict == "underfitting"
    assert d.details["reason"] == "low_train_acc"
    assert d.details["train_acc_running"] < LOW_TRAIN_ACC
    keys = keys_in(d.remedies)
    assert {"model.widths", "train.epochs", "optimizer.lr", "init.scheme"} <= keys
    assert "model.batch_norm" in keys
    assert "bigger model" in d.remedies[0].lower()


def test_underfitting_not_learning():
    n = 10
    tl = [2.30 - 0.005 * i for i in range(n)]
    ta = [0.10 + 0.002 * i for i in range(n)]
    d = diagnose(make_history(tl, None, ta, None))
    assert d.verdict == "underfitting"
    assert d.details["reason"] == "not_learning"
    assert "not learning" in d.message
    assert "optimizer.lr" in d.remedies[0]
    assert "init.scheme" in keys_in(d.remedies)


def test_underfitting_still_improving_says_train_longer():
    n = 8
    tl = [1.0 * 0.8**i for i in range(n)]
    vl = [1.05 * 0.85**i for i in range(n)]
    ta = [0.90 + 0.01 * i for i in range(n)]
    va = [0.89 + 0.01 * i for i in range(n)]
    d = diagnose(make_history(tl, vl, ta, va))
    assert d.verdict == "underfitting"
    assert d.details["reason"] == "still_improving"
    assert "train longer" in d.message
    assert "train.epochs" in d.remedies[0]
    assert d.details["improvement_per_epoch"] == pytest.approx((1 - 0.85**3) / 3)


def test_slow_improvement_at_the_end_is_a_good_fit():
    h = good_fit_history(20)
    assert diagnose(h).verdict == "good fit"


# ---------------------------------------------------------------------------- diverged


def test_diverged_on_nan_loss_names_the_epoch():
    tl = [2.3, 1.5, 1.0, 0.8, float("nan"), float("nan")]
    d = diagnose(make_history(tl, [2.3, 1.6, 1.1, 0.9, float("nan"), float("nan")]))
    assert d.verdict == "diverged"
    assert d.epoch == 5
    assert "NaN at epoch 5" in d.message and "0.8" in d.message
    keys = keys_in(d.remedies)
    assert {"optimizer.lr", "train.clip_grad_norm", "preprocess.normalize", "init.scheme"} <= keys
    assert "model.batch_norm" in keys
    assert "lower learning rate" in d.remedies[0].lower()


def test_diverged_on_infinite_loss_at_first_epoch():
    d = diagnose([{"epoch": 1, "train_loss": float("inf")}])
    assert d.verdict == "diverged" and d.epoch == 1
    assert "infinite" in d.message


def test_diverged_when_loss_ends_above_where_it_started():
    tl = [2.3, 1.9, 1.7, 2.4, 3.9, 6.0, 9.5]
    d = diagnose(make_history(tl))
    assert d.verdict == "diverged"
    assert d.details["reason"] == "loss_blowup"
    assert d.epoch == 4  # the loss was lowest at epoch 3


def test_diverged_when_loss_loses_most_of_its_progress():
    tl = [2.3, 1.0, 0.4, 0.2, 0.25, 0.9, 1.6, 1.9]
    d = diagnose(make_history(tl))
    assert d.verdict == "diverged" and d.epoch == 5


# ---------------------------------------------------------------------------- unstable


def test_unstable_oscillating_loss():
    tl = [2.0, 1.0, 1.5, 0.8, 1.3, 0.7, 1.2, 0.75, 1.1, 0.7]
    d = diagnose(make_history(tl, [x * 1.05 for x in tl]))
    assert d.verdict == "unstable"
    assert d.details["reason"] == "oscillation"
    assert d.epoch == 3  # the first large rise
    assert {"optimizer.lr", "train.clip_grad_norm"} <= keys_in(d.remedies)


def test_small_relative_noise_near_zero_loss_is_not_unstable():
    rng = np.random.default_rng(0)
    tl = [*converging(10, 1.0, 0.002), *(0.002 * (1 + 0.5 * rng.random(6)))]
    d = diagnose(make_history(tl))
    assert d.verdict != "unstable"


def test_unstable_when_accuracies_end_far_below_their_best():
    tl = [1.0, 0.6, 0.4, 0.33, 0.30, 0.31, 0.33, 0.36, 0.40]
    ta = [0.70, 0.85, 0.92, 0.95, 0.96, 0.95, 0.93, 0.91, 0.89]
    va = [0.69, 0.84, 0.90, 0.93, 0.94, 0.93, 0.91, 0.89, 0.87]
    d = diagnose(make_history(tl, None, ta, va))
    assert d.verdict == "unstable"
    assert d.details["reason"] == "degraded"
    assert d.epoch == 6


# ---------------------------------------------------------------------------- edge cases


def test_one_epoch_is_too_short():
    d = diagnose(make_history([0.5], [0.55], [0.85], [0.84]))
    assert d.verdict == "underfitting"
    assert d.details["reason"] == "too_short"
    assert "train.epochs" in d.remedies[0]


def test_one_epoch_without_validation_keys():
    d = diagnose([{"epoch": 1, "train_loss": 0.5}])
    assert d.verdict == "underfitting"
    assert "No validation data" in d.message


def test_history_without_validation_keys():
    h = good_fit_history()
    for row in h:
        del row["val_loss"], row["val_acc"]
    d = diagnose(h)
    assert d.verdict == "good fit"
    assert d.details["has_validation"] is False
    assert "overfitting cannot be judged" in d.message
    assert math.isnan(generalization_gap(h))


def test_nan_validation_values_mean_no_validation():
    h = good_fit_history()
    for row in h:
        row["val_loss"] = float("nan")
        row["val_acc"] = float("nan")
    d = diagnose(h)
    assert d.verdict == "good fit"
    assert d.details["has_validation"] is False


def test_unknown_keys_and_strings_are_ignored():
    h = overfitting_history()
    for row in h:
        row["grad_norm"] = 1.0
        row["note"] = "hello"
    assert diagnose(h).verdict == "overfitting"


def test_accuracy_in_percent_is_understood():
    h = overfitting_history()
    for row in h:
        row["train_acc"] *= 100
        row["val_acc"] *= 100
    d = diagnose(h)
    assert d.verdict == "overfitting"
    assert d.details["train_acc_running"] == pytest.approx(0.999)


def test_bad_input_raises():
    with pytest.raises(ValueError, match="empty"):
        diagnose([])
    with pytest.raises(ValueError, match="train_loss"):
        diagnose([{"epoch": 1, "val_loss": 0.3}])
    with pytest.raises(ValueError, match="patience"):
        diagnose(good_fit_history(), patience=0)


def test_diagnosis_is_frozen_and_serializable():
    d = diagnose(overfitting_history())
    with pytest.raises(AttributeError):
        d.verdict = "good fit"  # type: ignore[misc]
    data = json.loads(json.dumps(d.to_dict(), allow_nan=False))
    assert data["verdict"] == "overfitting" and data["epoch"] == 7
    assert isinstance(d.details["rule"], str) and d.details["rule"]


@pytest.mark.parametrize(
    "history",
    [
        good_fit_history(),
        overfitting_history(),
        make_history([2.0, 1.0, 1.5, 0.8, 1.3, 0.7, 1.2]),
        make_history([2.3, 2.29, 2.28]),
        make_history([0.5, float("nan")]),
    ],
)
def test_every_verdict_has_a_message_with_numbers(history):
    d = diagnose(history)
    assert d.verdict in VERDICTS
    assert re.search(r"\d", d.message)
    assert d.message.endswith(".")
    if d.verdict != "good fit":
        assert d.remedies and all(isinstance(r, str) for r in d.remedies)


def test_still_improving_but_fitted_is_a_good_fit_that_suggests_more_epochs():
    # the default digits run: validation loss still falling, training data fitted
    val = [1.14, 0.32, 0.13, 0.13, 0.08, 0.07, 0.062, 0.057, 0.047, 0.042, 0.039, 0.0383]
    train = [2.0, 0.76, 0.26, 0.15, 0.105, 0.077, 0.062, 0.049, 0.033, 0.023, 0.021, 0.0178]
    acc = [0.29, 0.82, 0.94, 0.96, 0.97, 0.977, 0.986, 0.989, 0.993, 0.996, 0.996, 0.997]
    vacc = [0.78, 0.91, 0.96, 0.956, 0.972, 0.982, 0.982, 0.984, 0.984, 0.988, 0.988, 0.988]
    history = [
        {"epoch": i + 1, "train_loss": t, "train_acc": a, "val_loss": v, "val_acc": va}
        for i, (t, a, v, va) in enumerate(zip(train, acc, val, vacc, strict=True))
    ]
    d = diagnose(history)
    assert d.verdict == "good fit"
    assert "more epochs may still help" in d.message
