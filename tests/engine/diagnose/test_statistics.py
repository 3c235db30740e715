"""The numbers behind the verdicts: curves from a history, noise, summary, the accuracy gap."""

from __future__ import annotations

import math

import numpy as np
import pytest

from trainlab.engine.diagnose import generalization_gap
from trainlab.engine.diagnose.statistics import curves_of, noise, still_improving, summarize


def test_generalization_gap_uses_last_epoch_with_both():
    h = [
        {"epoch": 1, "train_acc": 0.9, "val_acc": 0.88},
        {"epoch": 2, "train_acc": 0.99, "val_acc": 0.93},
        {"epoch": 3, "train_acc": 0.995},
    ]
    assert generalization_gap(h) == pytest.approx(0.06)
    assert math.isnan(generalization_gap([{"epoch": 1, "train_loss": 1.0}]))


def test_noise_ignores_a_linear_trend_and_measures_the_scatter():
    trend = np.linspace(2.0, 1.0, 30)
    assert noise(trend) == pytest.approx(0.0, abs=1e-12)
    jitter = np.random.default_rng(0).normal(0.0, 0.05, 400)
    assert noise(jitter) == pytest.approx(0.05, rel=0.15)
    assert noise(np.array([1.0, 2.0, 3.0])) == 0.0


def test_summary_fields_open_the_details_in_order():
    c = curves_of([{"train_loss": 1.0, "val_loss": 0.8}, {"train_loss": 0.5, "val_loss": 0.9}])
    s = summarize(c)
    assert list(s.to_dict())[:3] == ["epochs", "has_validation", "first_train_loss"]
    assert s.best_val_epoch == 1 and s.generalization_loss == pytest.approx(0.125)
    assert math.isnan(c.train_acc_running[0]) and s.gap is None


def test_still_improving_names_the_monitored_loss():
    falling = [{"train_loss": 1.0 / (i + 1)} for i in range(6)]
    found = still_improving(curves_of(falling), patience=3)
    assert found is not None and found.which == "training" and found.epoch == 6
    assert found.rate == pytest.approx((1 / 3 - 1 / 6) / (1 / 3) / 3)
