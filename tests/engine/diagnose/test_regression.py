"""The diagnosis follows the task: a regression's verdicts in R² and RMSE, a multitask run's
in its main target's metric, in English and Spanish."""

from __future__ import annotations

import math

import pytest

from trainlab.engine.diagnose import FinalScores, MainMetric, diagnose, generalization_gap
from trainlab.engine.diagnose.budget import at_chance, budget_warnings
from trainlab.engine.diagnose.facts import Budget, FinalAccuracies, RecipeFacts
from trainlab.engine.diagnose.statistics import curves_of
from trainlab.engine.diagnose.thresholds import LOW_TRAIN_R2

#: the targets' standard deviation: RMSE = STD · √loss for an MSE loss on standardized targets
STD = 50.0


def regression_rows(tl: list[float], vl: list[float] | None = None, prefix: str = "") -> list:
    """A regression history whose metrics agree with its losses (R² ≈ 1 − loss)."""
    rows = []
    for i, t in enumerate(tl):
        row = {
            "epoch": i + 1,
            "train_loss": t,
            f"train_{prefix}rmse": STD * math.sqrt(t),
            f"train_{prefix}mae": 0.8 * STD * math.sqrt(t),
            f"train_{prefix}r2": 1 - t,
        }
        if vl is not None:
            v = vl[i]
            row.update(
                {
                    "val_loss": v,
                    f"val_{prefix}rmse": STD * math.sqrt(v),
                    f"val_{prefix}mae": 0.8 * STD * math.sqrt(v),
                    f"val_{prefix}r2": 1 - v,
                }
            )
        rows.append(row)
    return rows


def regression_final(train_r2: float, val_r2: float, n: int = 200, **kw) -> FinalScores:
    return FinalScores(
        train=train_r2,
        val=val_r2,
        test=val_r2,
        val_examples=n,
        metric=kw.pop("metric", "rmse"),
        train_value=STD * math.sqrt(1 - train_r2),
        val_value=STD * math.sqrt(1 - val_r2),
        test_value=STD * math.sqrt(1 - val_r2),
        **kw,
    )


TL = [0.9, 0.6, 0.45, 0.35, 0.28, 0.22, 0.18, 0.15, 0.12, 0.10]
VL_RISING = [0.9, 0.65, 0.52, 0.47, 0.46, 0.48, 0.52, 0.56, 0.61, 0.66]
VL_FLAT = [0.92, 0.64, 0.50, 0.41, 0.35, 0.30, 0.297, 0.299, 0.298, 0.2985]  # lowest at 7


# -- the main metric ----------------------------------------------------------------------
def test_the_main_metric_names_its_score_and_target():
    assert (MainMetric("rmse").score, MainMetric("rmse").target) == ("r2", None)
    assert (MainMetric("digit_acc").score, MainMetric("digit_acc").target) == ("digit_acc", "digit")
    assert MainMetric("body_weight_mae").score == "body_weight_r2"
    assert not MainMetric("rmse").higher_is_better and MainMetric("r2").higher_is_better
    assert MainMetric("rmse").cited and not MainMetric("r2").cited
    for bad in ("loss", "digit_loss", "f1", "_acc", ""):
        with pytest.raises(ValueError, match="main metric"):
            MainMetric(bad)


def test_regression_curves_read_r2_and_the_metric_and_are_never_rescaled():
    c = curves_of([{"train_r2": 0.5, "val_r2": -3.0, "train_rmse": 40.0, "val_rmse": 90.0}], "rmse")
    assert c.train_acc_running.tolist() == [0.5] and c.val_acc.tolist() == [-3.0]
    assert c.train_value.tolist() == [40.0] and c.val_value.tolist() == [90.0]
    assert math.isnan(curves_of([{"train_acc": 0.9}], "rmse").train_acc_running[0])


def test_the_running_gap_is_the_training_advantage_in_the_metric():
    h = [{"train_rmse": 40.0, "val_rmse": 55.0, "train_acc": 0.9, "val_acc": 0.8}]
    assert generalization_gap(h, "rmse") == 15.0  # lower is better: val − train
    assert generalization_gap(h) == pytest.approx(0.1)


# -- final scores -------------------------------------------------------------------------
def test_final_scores_check_their_range_by_the_metric():
    FinalScores(train=-2.5, metric="rmse")  # an R² may be negative
    with pytest.raises(ValueError, match="R²"):
        FinalScores(train=1.2, metric="rmse")
    with pytest.raises(ValueError, match="accuracy"):
        FinalScores(train=-0.1)
    with pytest.raises(ValueError, match="finite"):
        FinalScores(train=0.5, train_value=math.inf, metric="rmse")
    assert FinalAccuracies is FinalScores and FinalScores().metric == "acc"


def test_the_standard_error_of_a_validation_r2():
    f = FinalScores(val=0.5, val_examples=50, metric="rmse")
    assert f.val_se == pytest.approx(0.5 * math.sqrt(2 / 50))
    assert FinalScores(val=0.9, val_examples=100).val_se == pytest.approx(0.03)


def test_final_scores_of_another_metric_are_refused():
    with pytest.raises(ValueError, match="metric 'rmse'"):
        diagnose(regression_rows(TL, VL_FLAT), metric="rmse", final=FinalScores(train=0.9))


# -- verdicts -----------------------------------------------------------------------------
def test_overfitting_validation_rmse_rises_while_training_rmse_falls():
    d = diagnose(regression_rows(TL, VL_RISING), metric="rmse")
    assert d.verdict == "overfitting" and d.details["reason"] == "val_loss_rising"
    assert d.epoch == 5
    en, es = d.message_in("en"), d.message_in("es")
    assert "validation RMSE 33.91" in en and "validation RMSE 40.62" in en  # 50·√0.46, 50·√0.66
    assert "training RMSE 26.46 → 15.81" in en  # 50·√0.28 → 50·√0.10
    assert "RMSE de validación 33.91" in es and "RMSE de entrenamiento 26.46 → 15.81" in es
    assert "accuracy" not in en and "exactitud" not in es


def test_overfitting_by_the_final_weights_r2_gap():
    h = regression_rows(TL, VL_FLAT)
    d = diagnose(h, metric="rmse", final=regression_final(0.93, 0.70))
    assert d.verdict == "overfitting" and d.details["reason"] == "accuracy_gap"
    en = d.message_in("en")
    assert "Training R² (final weights) is 0.23 above validation R² (0.93 vs 0.7" in en
    assert "RMSE 13.23 vs 27.39" in en and "more than the 0.05 threshold" in en
    assert "(1 − R²)·√(2/n)" in d.rule_in("en")
    es = d.message_in("es")
    assert "El R² de entrenamiento (pesos finales) está 0.23 por encima del de validación" in es
    assert "RMSE 13.23 contra 27.39" in es
    assert d.details["train_r2"] == 0.93 and d.details["val_rmse"] == pytest.approx(27.386, 1e-3)
    assert "train_acc" not in d.details and d.details["metric"] == "rmse"


def test_a_gap_within_the_noise_of_a_small_validation_split_is_a_good_fit():
    h = regression_rows(TL, VL_FLAT)
    small = diagnose(h, metric="rmse", final=regression_final(0.80, 0.66, n=30))  # se ≈ 0.088
    assert small.verdict == "good fit"
    assert "within the sampling noise" in small.message and "0.14 above" in small.message
    large = diagnose(h, metric="rmse", final=regression_final(0.80, 0.66, n=3000))
    assert large.verdict == "overfitting"


def test_underfitting_a_low_training_r2_cannot_fit_the_training_data():
    tl = [1.0 - 0.03 * i for i in range(10)]  # the loss falls steadily but stays high
    h = regression_rows(tl, [t + 0.02 for t in tl])
    d = diagnose(h, metric="rmse", final=regression_final(LOW_TRAIN_R2 - 0.01, 0.45))
    assert d.verdict == "underfitting" and d.details["reason"] == "low_train_acc"
    assert d.message.startswith("Training R² (final weights) ends at only 0.49 (validation 0.45")
    assert "El R² de entrenamiento (pesos finales) termina en solo 0.49" in d.message_in("es")
    assert d.rule_in("en") == "training R² (final weights) below 0.5"
    fit = diagnose(h, metric="rmse", final=regression_final(LOW_TRAIN_R2 + 0.01, 0.49))
    assert fit.details["reason"] != "low_train_acc"


def test_underfitting_still_improving_cites_the_metric():
    tl = [1.0 - 0.07 * i for i in range(10)]
    d = diagnose(regression_rows(tl, [t + 0.01 for t in tl]), metric="rmse")
    assert d.verdict == "underfitting" and d.details["reason"] == "still_improving"
    assert "validation RMSE 30.82" in d.message  # 50·√0.38
    assert "RMSE de validación 30.82" in d.message_in("es")


def test_a_good_fit_in_r2_and_rmse():
    h = regression_rows(TL, VL_FLAT)
    d = diagnose(h, metric="rmse", final=regression_final(0.9, 0.88))
    assert d.verdict == "good fit"
    assert "Validation loss was lowest at epoch 7 (0.297; validation RMSE 27.25)" in d.message
    assert "training R² (final weights) and validation R² end 0.02 apart (0.9 vs 0.88" in d.message
    assert "within the 0.05 threshold" in d.message
    assert "dentro del umbral de 0.05" in d.message_in("es")


def test_a_classification_history_keeps_its_words():
    """The same history read as a classification speaks of accuracies (unchanged)."""
    h = [
        dict(r, train_acc=r["train_r2"], val_acc=r["val_r2"]) for r in regression_rows(TL, VL_FLAT)
    ]
    d = diagnose(h, final=FinalScores(train=0.9, val=0.88, val_examples=200))
    assert (
        "training accuracy (final weights) and validation accuracy end 2 points apart" in d.message
    )
    assert "RMSE" not in d.message and "R²" not in d.message


def test_unstable_r2_that_ends_far_below_its_best():
    tl = [0.5, 0.4, 0.35, 0.3, 0.3, 0.31]
    h = regression_rows(tl, [0.5] * 6)
    for row, r2 in zip(h, [0.5, 0.6, 0.7, 0.8, 0.6, 0.5], strict=True):
        row["train_r2"], row["val_r2"] = r2, r2 - 0.1
    d = diagnose(h, metric="rmse")
    assert d.verdict == "unstable" and d.details["reason"] == "degraded"
    assert "Training R² (running, during the epoch) and validation R² peaked at 0.8" in d.message
    assert "more than 0.05 below" in d.rule_in("en")


def test_the_regression_remedies_leave_out_noise_on_the_labels():
    h = regression_rows(TL, VL_RISING)
    general = diagnose(h, metric="rmse")
    assert general.verdict == "overfitting"
    assert not any("label_smoothing" in r for r in general.remedies)
    worded = diagnose(h, metric="rmse", recipe=RecipeFacts(), budget=Budget(10, 1000, 32))
    assert not any("label" in r for r in worded.remedies)
    assert any("label_smoothing" in r for r in diagnose(h).remedies)  # classification: kept


# -- budget -------------------------------------------------------------------------------
def test_no_better_than_predicting_the_mean():
    budget = Budget(epochs=10, examples=1000, batch_size=32)  # enough steps
    f = regression_final(-0.05, -0.2)
    assert at_chance(budget, f) and not at_chance(budget, regression_final(0.02, -0.2))
    (warning,) = budget_warnings(budget, f, RecipeFacts(epochs=10, batch_size=32))
    en, es = warning.render(), warning.render("es")
    assert en.startswith("The final weights do no better than always predicting the mean")
    assert "R² −0.05 at best" in en and "`optimizer.lr`" in en
    assert "predecir siempre la media" in es and "R² de −0.05 como máximo" in es


# -- multitask ----------------------------------------------------------------------------
def multitask_rows() -> list[dict]:
    """A digits multitask history: the main target's accuracy pulls away from validation."""
    return [
        {
            "epoch": i + 1,
            "train_loss": 1.0 / (i + 1),
            "train_digit_loss": 0.8 / (i + 1),
            "train_digit_acc": 0.80 + 0.02 * i,
            "val_digit_acc": 0.80 + 0.005 * i,
            "train_parity_acc": 0.9,
            "val_parity_acc": 0.9,
        }
        for i in range(10)
    ]


def test_a_multitask_history_is_judged_by_its_main_target():
    h = multitask_rows()
    d = diagnose(h, metric="digit_acc")
    plain = diagnose([{k.replace("digit_", ""): v for k, v in r.items()} for r in h])
    assert (d.verdict, d.epoch, d.details["reason"]) == (plain.verdict, plain.epoch, "accuracy_gap")
    assert d.message == plain.message + " The accuracies are those of the main target, digit."
    assert d.message_in("es").endswith("Las exactitudes son las del objetivo principal, digit.")
    assert d.details["train_digit_acc_running"] == pytest.approx(0.98)
    final = FinalScores(train=0.99, val=0.9, val_examples=300, metric="digit_acc")
    assert diagnose(h, metric="digit_acc", final=final).details["train_digit_acc"] == 0.99
    with pytest.raises(ValueError, match="digit_acc"):
        diagnose(h, metric="digit_acc", final=FinalScores(train=0.99))


def test_a_multitask_regression_main_target():
    h = regression_rows(TL, VL_FLAT, prefix="weight_")
    d = diagnose(h, metric="weight_rmse", final=regression_final(0.93, 0.7, metric="weight_rmse"))
    assert d.verdict == "overfitting" and "RMSE 13.23 vs 27.39" in d.message
    assert d.message.endswith(" The R² values are those of the main target, weight.")
    assert d.message_in("es").endswith("Los valores de R² son los del objetivo principal, weight.")


def test_a_multitask_sentence_that_cites_no_score_names_no_target():
    h = [
        {"epoch": 1, "train_loss": 2.0, "train_digit_acc": 0.2},
        {"epoch": 2, "train_loss": math.nan},
    ]
    d = diagnose(h, metric="digit_acc")
    assert d.verdict == "diverged" and "main target" not in d.message
    assert "main target" not in diagnose(regression_rows(TL), metric="weight_rmse").message
