"""The two training accuracies: the running one of the history and the final weights'.

A verdict computed from one must name it, and the generalization gap is the final
weights' (the end-of-run summary prints it), so the two cannot contradict each other.
"""

from __future__ import annotations

import json
import math

import pytest

from trainlab.engine.diagnose import Diagnosis, diagnose
from trainlab.engine.diagnose.facts import Budget, FinalAccuracies, RecipeFacts
from trainlab.engine.diagnose.statistics import curves_of, summarize

#: the issue's short mnist1d-cnn run: running training accuracy 43.3% against 30.0%
#: validation, while the final weights score 30.9% on the training split
SHORT_MNIST1D = [
    {"epoch": 1, "train_loss": 2.155, "train_acc": 0.2044, "val_loss": 7.22, "val_acc": 0.2},
    {"epoch": 2, "train_loss": 1.499, "train_acc": 0.4333, "val_loss": 2.77, "val_acc": 0.3},
]
SHORT_FINAL = FinalAccuracies(train=0.3089, val=0.3, test=0.298)


def rising_gap_history(n: int = 10) -> list[dict]:
    """Running training accuracy pulling away from validation accuracy."""
    return [
        {
            "epoch": i + 1,
            "train_loss": 1.0 / (i + 1),
            "train_acc": 0.80 + 0.02 * i,
            "val_acc": 0.80 + 0.005 * i,
        }
        for i in range(n)
    ]


def test_running_gap_alone_names_the_running_accuracy():
    d = diagnose(SHORT_MNIST1D)
    assert d.verdict == "overfitting" and d.details["reason"] == "accuracy_gap"
    assert "Training accuracy (running, during the epoch)" in d.message
    assert "43.3% vs 30.0%" in d.message
    assert "running" in d.rule_in("en")


def test_the_final_weights_gap_decides_and_agrees_with_the_printed_gap():
    d = diagnose(SHORT_MNIST1D, final=SHORT_FINAL)
    assert d.verdict != "overfitting"  # 30.9% vs 30.0%: no generalization gap to speak of
    assert d.details["gap"] == pytest.approx(0.3089 - 0.3)
    assert d.details["gap_running"] == pytest.approx(0.4333 - 0.3)
    assert "(final weights)" in d.message and "30.9%" in d.message
    assert "43.3%" not in d.message


def test_overfitting_by_the_final_weights_gap_says_so():
    h = [dict(r, val_loss=1.0 / (i + 1)) for i, r in enumerate(rising_gap_history())]
    d = diagnose(h, final=FinalAccuracies(train=0.99, val=0.90))
    assert d.verdict == "overfitting" and d.details["reason"] == "accuracy_gap"
    assert "Training accuracy (final weights) is 9 points above validation accuracy" in d.message
    assert "99.0% vs 90.0%" in d.message
    assert "(final weights)" in d.rule_in("en") and "(pesos finales)" in d.message_in("es")


def test_a_running_gap_that_the_final_weights_do_not_show_is_not_overfitting():
    history = rising_gap_history()
    assert diagnose(history).verdict == "overfitting"
    d = diagnose(history, final=FinalAccuracies(train=0.86, val=0.845))
    assert d.verdict != "overfitting"


def test_the_fit_is_judged_by_the_final_weights_when_known():
    n = 10
    h = [
        {"epoch": i + 1, "train_loss": 2.0 - 0.1 * i, "train_acc": 0.5 + 0.01 * i} for i in range(n)
    ]  # running accuracy ends at 59%: low, by itself
    assert diagnose(h).details["reason"] == "low_train_acc"
    fitted = diagnose(h, final=FinalAccuracies(train=0.99))  # dropout held the running one down
    assert fitted.details["reason"] != "low_train_acc"
    assert "(final weights)" in fitted.message and "99.0%" in fitted.message
    low = diagnose(h, final=FinalAccuracies(train=0.40))
    assert low.details["reason"] == "low_train_acc"
    assert "Training accuracy (final weights) ends at only 40.0%" in low.message
    assert low.rule_in("en") == "training accuracy (final weights) below 80.0%"


def test_one_epoch_names_both_accuracies():
    h = [{"epoch": 1, "train_loss": 2.3, "train_acc": 0.1571, "val_loss": 4.85, "val_acc": 0.1}]
    d = diagnose(h, final=FinalAccuracies(train=0.1, val=0.1, test=0.1))
    assert "training accuracy 10.0% with the final weights, 15.7% running" in d.message
    plain = diagnose(h)
    assert "training accuracy (running, during the epoch) 15.7%" in plain.message
    assert "en curso" in plain.message_in("es")


def test_summary_keeps_both_under_their_names():
    s = summarize(curves_of(SHORT_MNIST1D), SHORT_FINAL)
    assert (s.train_acc_running, s.val_acc_last) == (0.4333, 0.3)
    assert (s.train_acc, s.val_acc) == (0.3089, 0.3)
    assert s.fit_acc == 0.3089 and s.fit_gap == pytest.approx(0.0089)
    alone = summarize(curves_of(SHORT_MNIST1D))
    assert alone.train_acc is None and alone.fit_acc == 0.4333


def test_final_accuracies_are_checked():
    with pytest.raises(ValueError, match="train"):
        FinalAccuracies(train=1.5)
    assert FinalAccuracies(val=0.5).gap is None and FinalAccuracies().best is None


def test_a_diagnosis_with_recipe_remedies_and_warnings_round_trips():
    d = diagnose(
        SHORT_MNIST1D,
        final=SHORT_FINAL,
        recipe=RecipeFacts(batch_norm=True, dropout=0.1, epochs=2, batch_size=64),
        budget=Budget(epochs=2, examples=450, batch_size=64, classes=10),
    )
    data = json.loads(json.dumps(d.to_dict(), allow_nan=False))
    again = Diagnosis.from_dict(data)
    assert again == d
    assert again.remedies_in("es")[0].startswith("Entrenar más tiempo: sube `train.epochs`")
    assert again.warnings_in("es")[0].startswith("Esta corrida dio solo 16 pasos")


def test_a_diagnosis_stored_with_remedy_ids_is_still_read_in_both_languages():
    stored = diagnose(SHORT_MNIST1D).to_dict()
    stored["remedy_ids"] = [r["id"] for r in stored.pop("remedy_said")]
    del stored["warnings"], stored["warning_said"]
    d = Diagnosis.from_dict(stored)
    assert d.remedies_in("en") == d.remedies and d.warnings == []
    assert d.remedies_in("es")[0].startswith("Más datos de entrenamiento")


def test_a_gap_within_the_noise_of_a_small_validation_split_is_not_overfitting():
    flat = [0.1 + 1.4 * math.exp(-0.6 * i) for i in range(15)]  # converged: no trend left
    h = [{"epoch": i + 1, "train_loss": x, "val_loss": x + 0.03} for i, x in enumerate(flat)]
    small = FinalAccuracies(train=0.925, val=0.861, val_examples=36)  # wine: 1 example = 2.8
    d = diagnose(h, final=small)
    assert d.verdict != "overfitting"
    assert "within the sampling noise of the validation split" in d.message
    assert "6.4 points above validation accuracy (92.5% vs 86.1%)" in d.message
    large = FinalAccuracies(train=0.925, val=0.861, val_examples=5000)
    assert diagnose(h, final=large).verdict == "overfitting"
    assert "standard error (0.5 points)" in diagnose(h, final=large).rule_in("en")
