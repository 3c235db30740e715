"""A study's metric in its own units: accuracy-like ones in points, RMSE in the target's units."""

import math
import string
from types import SimpleNamespace as T

import pytest

from trainlab.engine.tasks.metrics import DIRECTIONS
from trainlab.report.format import Units
from trainlab.report.study_sentences import describe_effect, describe_gap, metric_units
from trainlab.report.study_text import METRIC_WORDS, gap_phrase, kind_label, metric_label, page_text
from trainlab.report.study_text_es import METRIC_WORDS_ES
from trainlab.report.study_units import (
    KIND_DIRECTIONS,
    display_scale,
    in_points,
    known_direction,
)
from trainlab.report.summary_table import format_table
from trainlab.stats.compare import Interval, PairedDiff, VariantSummary, summarize

NAN = Interval(math.nan, math.nan, math.nan, 0)


def test_the_directions_agree_with_the_tasks():
    assert KIND_DIRECTIONS == DIRECTIONS


@pytest.mark.parametrize(
    ("metric", "points", "direction"),
    [
        ("test_acc", True, True),
        ("val_digit_acc", True, True),
        ("test_r2", True, True),
        ("test_rmse", False, False),
        ("test_weight_mae", False, False),
        ("test_loss", False, False),
        ("test_accel_rmse", False, False),  # a target named "accel" is no accuracy
        ("f1_macro", False, None),
        ("seconds", False, None),
    ],
)
def test_accuracy_like_metrics_are_in_points_and_the_others_in_their_own_units(
    metric, points, direction
):
    assert in_points(metric) is points
    assert known_direction(metric) is direction
    assert display_scale(metric, [0.4, 0.6]) == (100.0 if points else 1.0)


def test_r2_is_always_a_fraction_and_a_gap_follows_its_primary_metric():
    assert display_scale("test_r2", [-3.0, 0.5]) == 100.0
    assert in_points("gap") and display_scale("gap", [0.02]) == 100.0
    assert not in_points("gap", gap_metric="rmse")
    assert display_scale("gap", [0.02], gap_metric="rmse") == 1.0
    assert display_scale("test_acc", [91.0, 93.0]) == 1.0  # accuracies already in percent


def test_units_show_points_for_accuracy_and_plain_numbers_for_rmse():
    acc = metric_units("test_acc", 100.0)
    rmse = metric_units("test_rmse", 1.0)
    assert (acc.value(0.9123), acc.num(0.012, signed=True), acc.unit) == (
        "91.2%",
        "+1.2",
        " points",
    )
    assert (rmse.value(52.34), rmse.num(-3.21, signed=True), rmse.unit) == ("52.3", "−3.21", "")


def test_metric_names_read_in_words_in_both_languages():
    es = page_text("es")
    assert metric_label("test_acc") == "test accuracy"
    assert metric_label("test_rmse") == "test RMSE"
    assert metric_label("test_digit_acc") == "test digit accuracy"
    assert metric_label("val_r2") == "validation R²"
    assert metric_label("test_rmse", es) == "RMSE de prueba"
    assert metric_label("test_digit_acc", es) == "exactitud de prueba (digit)"
    assert metric_label("test_acc", es) == "exactitud de prueba"
    assert (kind_label("acc"), kind_label("weight_rmse")) == ("accuracy", "weight RMSE")
    assert gap_phrase("acc") == "train − test accuracy"
    assert gap_phrase("rmse") == "test − train RMSE"
    assert gap_phrase("acc", es) == "exactitud de entrenamiento − de prueba"


def test_the_metric_words_have_the_same_ids_and_placeholders_in_spanish():
    def fields(p):
        return {f for _, f, _, _ in string.Formatter().parse(p) if f is not None}

    assert set(METRIC_WORDS) == set(METRIC_WORDS_ES)
    for key, pattern in METRIC_WORDS.items():
        assert fields(pattern) == fields(METRIC_WORDS_ES[key]), key


def _rmse_row(diff: float, effect: str) -> VariantSummary:
    d = PairedDiff(diff, diff - 1.0, diff + 1.0, 3, 0.01, 0.5, "t", 0.01)
    return VariantSummary(
        "wide",
        "test_rmse",
        Interval(50.0, 48.0, 52.0, 3),
        "baseline",
        d,
        NAN,
        None,
        NAN,
        effect=effect,
    )


def test_an_rmse_effect_is_written_in_the_targets_units_and_a_lower_one_helps():
    said = describe_effect(_rmse_row(-3.2, "helps"))
    assert said.startswith("wide lowered test RMSE by 3.2 against baseline (95% CI 2.2 to 4.2")
    assert said.endswith("it helps.") and "points" not in said and "%" not in said.split("(")[0]


def test_a_gap_in_rmse_has_no_points():
    gd = PairedDiff(-2.5, -3.5, -1.5, 3, 0.01, 0.5, "t", 0.01)
    row = VariantSummary("wide", "test_rmse", NAN, "baseline", None, NAN, gd, NAN)
    assert describe_gap(row, scale=1.0, percent=False, vs=False).startswith(
        "wide shrank the generalization gap by 2.5 (95% CI 1.5 to 3.5"
    )
    assert "2.5 points" in describe_gap(row, scale=1.0, vs=False)  # an accuracy already in %


def test_the_terminal_table_of_a_regression_shows_rmse_in_its_units():
    trials = [
        T(variant=v, seed=s, status="done", metrics={"test_rmse": r + s * k, "gap": s / 10 - 0.5})
        for v, r, k in (("baseline", 55.0, 1.0), ("wide", 50.0, 1.3))
        for s in (0, 1, 2)
    ]
    rows = summarize(trials, metric="test_rmse", higher_is_better=False)
    table = format_table(rows, "test_rmse", higher_is_better=False, gap_metric="rmse")
    head, _, base, wide = table.splitlines()[:4]
    assert head.split()[:3] == ["variant", "n", "test_rmse"]
    assert "%" not in base + wide and "56 ± " in base and wide.split()[-2] == "helps"
    assert "-4.7 [-5.445, -3.955]" in wide and "-0.4 ± 0.2484" in wide  # the gap in RMSE
    assert "lower is better" in table and "gap: test − train RMSE." in " ".join(table.split())
    assert "accuracy" not in table
    as_acc = [T(**{**vars(t), "metrics": {"test_acc": 0.9, "gap": 0.05}}) for t in trials]
    acc = format_table(summarize(as_acc), "test_acc")
    assert "gap: train − test accuracy" in " ".join(acc.split()) and "lower" not in acc
    assert "5.00% ± " in acc  # the gap of an accuracy in percent


def test_units_of_a_plain_number():
    u = Units(scale=1.0, percent=False, unit=" points")
    assert u.unit == "" and u.ci(1.234, 5.678) == "[1.23, 5.68]"
