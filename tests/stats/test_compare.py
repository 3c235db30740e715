"""trainlab.stats.compare against scipy.stats, and summaries of a hand-made study."""

from __future__ import annotations

import json
import math
import re
import warnings
from types import SimpleNamespace

import numpy as np
import pytest
from scipy import stats

from trainlab.core.errors import ConfigError
from trainlab.report.summary_table import format_table  # the summaries' terminal table
from trainlab.stats.compare import (
    MIN_WILCOXON_N,
    Interval,
    PairedDiff,
    VariantSummary,
    effect_of,
    mean_ci,
    paired_difference,
    summarize,
)


def trial(variant: str, seed: int, status: str = "done", **metrics) -> SimpleNamespace:
    return SimpleNamespace(
        variant=variant, seed=seed, status=status, metrics=metrics if metrics else None
    )


# -- mean_ci -------------------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 3, 5, 10])
@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_mean_ci_matches_scipy(n: int, confidence: float) -> None:
    x = np.random.default_rng(n).normal(0.8, 0.05, n)
    ci = mean_ci(x, confidence)
    lo, hi = stats.t.interval(confidence, n - 1, loc=x.mean(), scale=stats.sem(x))
    assert isinstance(ci, Interval) and ci.n == n
    assert ci.mean == pytest.approx(x.mean(), abs=1e-15)
    assert (ci.lo, ci.hi) == (pytest.approx(lo, rel=1e-12), pytest.approx(hi, rel=1e-12))
    assert ci.half_width == pytest.approx((hi - lo) / 2, rel=1e-12)


def test_mean_ci_edge_cases() -> None:
    nan_ci = mean_ci([0.5, float("nan"), 0.7, None, float("inf")])
    assert nan_ci.n == 2 and nan_ci.mean == pytest.approx(0.6)
    assert nan_ci == mean_ci([0.5, 0.7])
    one = mean_ci([0.9])
    assert (one.mean, one.n) == (0.9, 1) and math.isnan(one.lo) and math.isnan(one.hi)
    empty = mean_ci([])
    assert empty.n == 0 and all(math.isnan(v) for v in (empty.mean, empty.lo, empty.hi))
    assert mean_ci([float("nan")] * 3).n == 0
    flat = mean_ci([0.5, 0.5, 0.5])
    assert (flat.lo, flat.mean, flat.hi) == (0.5, 0.5, 0.5)
    for bad in (0, 1, 1.5, -0.1):
        with pytest.raises(ConfigError, match="confidence"):
            mean_ci([1.0, 2.0], bad)


# -- paired_difference ---------------------------------------------------------------


@pytest.mark.parametrize("n", [3, 5, 8, 20])
def test_paired_t_matches_scipy(n: int) -> None:
    rng = np.random.default_rng(100 + n)
    b = rng.normal(0.80, 0.03, n)
    a = b + rng.normal(0.01, 0.01, n)
    d = paired_difference(a, b)
    assert isinstance(d, PairedDiff) and d.n == n
    assert d.p_t == pytest.approx(stats.ttest_rel(a, b).pvalue, rel=1e-10)
    lo, hi = stats.t.interval(0.95, n - 1, loc=(a - b).mean(), scale=stats.sem(a - b))
    assert (d.lo, d.hi) == (pytest.approx(lo, rel=1e-10), pytest.approx(hi, rel=1e-10))
    assert d.mean == pytest.approx((a - b).mean())
    # the interval and the t-test agree
    assert (d.lo > 0 or d.hi < 0) == (d.p_t < 0.05)


@pytest.mark.parametrize(
    "diffs",
    [
        [0.01, 0.02, 0.03, 0.04, 0.05],
        [0.01, -0.02, 0.03, 0.04, -0.05, 0.06],
        [0.01, 0.0, 0.02, 0.02, -0.01, 0.03, 0.05],  # a zero and ties
        list(np.random.default_rng(3).normal(0, 1, 30)),
    ],
)
def test_wilcoxon_matches_scipy(diffs: list[float]) -> None:
    b = np.linspace(0.7, 0.9, len(diffs))
    a = b + np.asarray(diffs)
    d = paired_difference(a, b)
    assert d.p_wilcoxon == pytest.approx(stats.wilcoxon(a, b).pvalue, rel=1e-10)


def test_wilcoxon_cannot_reach_005_with_five_seeds() -> None:
    b = [0.80, 0.81, 0.82, 0.83, 0.84]
    a = [x + 0.05 + 0.001 * i for i, x in enumerate(b)]
    d = paired_difference(a, b)
    assert d.p_wilcoxon == pytest.approx(0.0625)
    assert d.test == "t" and d.p == d.p_t < 0.05


def test_wilcoxon_nan_when_undefined() -> None:
    assert math.isnan(paired_difference([0.9], [0.8]).p_wilcoxon)
    same = paired_difference([0.9, 0.8, 0.7], [0.9, 0.8, 0.7])
    assert math.isnan(same.p_wilcoxon) and same.mean == 0.0 and same.test == "t"
    empty = paired_difference([], [])
    assert empty.n == 0 and math.isnan(empty.p) and math.isnan(empty.mean)


def test_shapiro_rule_picks_wilcoxon_for_non_normal_differences() -> None:
    diffs = np.array([0.010, 0.011, 0.012, 0.010, 0.013, 0.011, 0.012, 0.300])
    assert len(diffs) >= MIN_WILCOXON_N
    assert stats.shapiro(diffs).pvalue < 0.05
    b = np.linspace(0.7, 0.8, len(diffs))
    d = paired_difference(b + diffs, b)
    assert d.test == "wilcoxon" and d.p == d.p_wilcoxon
    assert d.p_wilcoxon == pytest.approx(stats.wilcoxon(b + diffs, b).pvalue)
    # the same shape with five seeds stays with the t-test
    assert paired_difference([*b[:4].tolist(), 1.0], b[:5].tolist()).test == "t"
    # normal-looking differences with many seeds stay with the t-test
    normal = np.random.default_rng(0).normal(0.01, 0.005, 12)
    assert stats.shapiro(normal).pvalue >= 0.05
    assert paired_difference(b.mean() + normal, np.full(12, b.mean())).test == "t"


def test_paired_difference_drops_incomplete_pairs_and_checks_lengths() -> None:
    d = paired_difference([0.9, float("nan"), 0.8, 0.85], [0.8, 0.7, float("nan"), 0.80])
    assert d.n == 2 and d.mean == pytest.approx(0.075)
    with pytest.raises(ValueError, match="length"):
        paired_difference([1.0, 2.0], [1.0])


def test_degenerate_inputs_emit_no_warnings() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        one = mean_ci([0.9])
        pair = paired_difference([0.9], [0.8])
        flat = paired_difference([0.5] * 8, [0.4] * 8)
        zeros = paired_difference([0.5] * 8, [0.5] * 8)
        summaries = summarize(
            [trial("baseline", 0, test_acc=0.8, gap=0.1), trial("x", 0, test_acc=0.9)]
        )
        format_table(summaries, "test_acc")
    assert caught == []
    assert math.isnan(one.lo) and math.isnan(one.hi)
    assert math.isnan(pair.lo) and math.isnan(pair.p_t) and pair.n == 1
    assert flat.test == "t" and zeros.test == "t" and math.isnan(zeros.p_wilcoxon)
    x = summaries[1]
    assert math.isnan(x.value.lo) and math.isnan(x.diff.lo) and x.effect == "no clear effect"


# -- summarize -----------------------------------------------------------------------

BASE = [0.80, 0.82, 0.84]
STUDY = [
    # baseline: seeds 0..2 plus a seed 3 no other variant has
    *[
        trial("baseline", s, test_acc=a, gap=g, seconds=t, verdict=v)
        for s, a, g, t, v in zip(
            range(3),
            BASE,
            [0.10, 0.12, 0.11],
            [10.0, 11.0, 12.0],
            ["overfitting", "overfitting", "good fit"],
            strict=True,
        )
    ],
    trial("baseline", 3, test_acc=0.70, seconds=13.0),
    # dropout helps: +0.050, +0.060, +0.055 on every seed; listed out of seed order
    trial("dropout", 2, test_acc=0.895, gap=0.04, seconds=20.0, verdict="good fit"),
    trial("dropout", 0, test_acc=0.85, gap=0.05, seconds=20.0, verdict="good fit"),
    trial("dropout", 1, test_acc=0.88, gap=0.06, seconds=20.0, verdict="good fit"),
    # l2: seed 1 failed, seed 2 done before seed 0, seed 3 still pending
    trial("l2", 2, test_acc=0.845, gap=0.08, seconds=15.0),
    trial("l2", 1, "failed"),
    trial("l2", 0, test_acc=0.815, gap=0.09, seconds=15.0),
    trial("l2", 3, "pending"),
    # noise hurts: −0.10, −0.12, −0.11; seed 1 has no gap
    trial("noise", 0, test_acc=0.70, gap=0.02, seconds=30.0, verdict="underfitting"),
    trial("noise", 1, test_acc=0.70, seconds=30.0, verdict="underfitting"),
    trial("noise", 2, test_acc=0.73, gap=0.03, seconds=30.0),
]


def by_name(summaries: list[VariantSummary]) -> dict[str, VariantSummary]:
    return {s.variant: s for s in summaries}


def test_summarize_hand_made_study() -> None:
    summaries = summarize(STUDY)
    assert [s.variant for s in summaries] == ["baseline", "dropout", "l2", "noise"]
    s = by_name(summaries)

    base = s["baseline"]
    assert base.value.n == 4 and base.value.mean == pytest.approx(0.79)
    assert base.value == mean_ci([0.80, 0.82, 0.84, 0.70])
    assert base.diff is None and base.gap_diff is None and base.reference is None
    assert base.effect == "baseline" and base.failed == 0 and base.seeds == (0, 1, 2, 3)
    assert base.gap.n == 3 and base.gap.mean == pytest.approx(0.11)
    assert base.seconds.mean == pytest.approx(11.5)
    assert base.verdicts == {"overfitting": 2, "good fit": 1}

    drop = s["dropout"]
    assert drop.value.mean == pytest.approx(0.875) and drop.value.n == 3
    assert drop.diff.n == 3  # baseline's seed 3 has no partner
    assert drop.diff == paired_difference([0.85, 0.88, 0.895], BASE)
    assert drop.diff.mean == pytest.approx(0.055) and drop.diff.lo > 0
    assert drop.effect == "helps" and drop.reference == "baseline"
    assert drop.gap_diff.mean == pytest.approx(-0.06)
    assert drop.verdicts == {"good fit": 3}

    l2 = s["l2"]  # paired by seed: (0.815 − 0.80, 0.845 − 0.84), not by position
    assert l2.failed == 1 and l2.seeds == (0, 2) and l2.value.n == 2
    assert l2.diff == paired_difference([0.815, 0.845], [0.80, 0.84])
    assert l2.diff.n == 2 and l2.diff.mean == pytest.approx(0.01)
    assert l2.effect == "no clear effect" and l2.verdicts == {}

    noise = s["noise"]
    assert noise.diff.mean == pytest.approx(-0.11) and noise.diff.hi < 0
    assert noise.effect == "hurts"
    assert noise.gap.n == 2 and noise.gap_diff.n == 2  # seed 1 has no gap
    assert noise.gap_diff.mean == pytest.approx(((0.02 - 0.10) + (0.03 - 0.11)) / 2)

    assert {v: x.rank for v, x in s.items()} == {"dropout": 1, "l2": 2, "baseline": 3, "noise": 4}
    json.dumps([x.to_dict() for x in summaries])  # plain data
    assert summaries[1].to_dict()["diff"]["test"] in {"t", "wilcoxon"}


def test_summarize_lower_is_better_order_ties_and_empty_variants() -> None:
    s = by_name(summarize(STUDY, higher_is_better=False))
    assert {v: x.rank for v, x in s.items()} == {"noise": 1, "baseline": 2, "l2": 3, "dropout": 4}
    assert s["noise"].effect == "helps" and s["dropout"].effect == "hurts"

    trials = [trial("a", k, test_acc=0.9) for k in range(2)] + [
        trial("b", k, test_acc=0.9) for k in range(2)
    ]
    trials += [trial("c", k, test_acc=0.8) for k in range(2)] + [trial("d", 0, "failed")]
    out = summarize(trials, baseline="a", variants_order=["c", "empty", "a"])
    assert [x.variant for x in out] == ["c", "empty", "a", "b", "d"]
    ranks = {x.variant: x.rank for x in out}
    assert ranks == {"a": 1, "b": 1, "c": 3, "empty": None, "d": None}
    empty = by_name(out)["empty"]
    assert empty.value.n == 0 and empty.diff.n == 0 and empty.effect == "no clear effect"
    assert by_name(out)["d"].failed == 1


def test_summarize_metric_missing_and_custom_references() -> None:
    s = by_name(summarize(STUDY, metric="val_acc"))
    assert all(x.value.n == 0 and x.rank is None for x in s.values())
    assert s["dropout"].gap.n == 3  # the other statistics still count

    s = by_name(summarize(STUDY, against={"noise": "dropout"}))
    assert s["noise"].reference == "dropout"
    assert s["noise"].diff.mean == pytest.approx(0.71 - 0.875)
    table = format_table(list(s.values()), "test_acc")
    assert "vs" in table.splitlines()[0].split() and "Δ vs ref" in table


def test_unknown_baseline() -> None:
    with pytest.raises(ConfigError, match=r"baseline.*'control'.*baseline, dropout, l2, noise"):
        summarize(STUDY, baseline="control")
    with pytest.raises(ConfigError, match="against"):
        summarize(STUDY, against={"noise": "control"})


def test_effects_read_the_interval_and_the_stated_direction() -> None:
    up = paired_difference([0.95, 0.96, 0.97], [0.90, 0.92, 0.94])
    assert (effect_of(up, True), effect_of(up, False)) == ("helps", "hurts")
    unclear = paired_difference([0.95, 0.90, 0.97], [0.90, 0.92, 0.94])
    assert effect_of(unclear, True) == effect_of(unclear, False) == "no clear effect"
    assert effect_of(paired_difference([0.9], [0.8]), True) == "no clear effect"  # no interval
    # every summary's effect is its interval's, in the direction the study states
    for higher in (True, False):
        for s in summarize(STUDY, higher_is_better=higher):
            assert s.effect == ("baseline" if s.diff is None else effect_of(s.diff, higher))
    # and a summary claiming more than its interval is refused
    nan = Interval(math.nan, math.nan, math.nan, 0)
    with pytest.raises(ValueError, match="excludes 0"):
        VariantSummary("x", "test_acc", nan, "baseline", unclear, nan, None, nan, effect="helps")
    with pytest.raises(ValueError, match="only a reference"):
        VariantSummary("x", "test_acc", nan, None, None, nan, None, nan, effect="no clear effect")
    with pytest.raises(ValueError, match="test 'z'"):
        PairedDiff(0.1, 0.0, 0.2, 3, 0.1, 0.2, "z", 0.1)


# -- format_table (trainlab.report.summary_table) ------------------------------------


def test_format_table() -> None:
    summaries = summarize(STUDY)
    text = format_table(summaries, "test_acc")
    lines = text.splitlines()
    for name in ("baseline", "dropout", "l2", "noise"):
        assert any(line.startswith(name) for line in lines)
    assert "87.50%" in text and "%" in lines[3]
    assert "Δ vs baseline" in lines[0] and "helps" in text and "hurts" in text
    assert "failed" in lines[0]
    # columns line up: every cell sits inside its column's dashes, blanks between columns
    spans = [m.span() for m in re.finditer("-+", lines[1])]
    assert len(spans) == 10  # nine columns and "failed"
    for line in [lines[0], *lines[2:6]]:
        for start, end in spans:
            assert line[start:end].strip(), (line, start, end)
            assert line[end : end + 2].strip() == "", (line, end)

    loss = [trial("baseline", k, test_loss=1.0 + k / 10) for k in range(3)]
    plain = format_table(summarize(loss, metric="test_loss"), "test_loss").splitlines()
    assert "%" not in plain[2].split("  ")[2] and "1.1 ± 0.2484" in plain[2]


def test_a_variant_that_is_its_own_reference_is_a_group_baseline():
    from types import SimpleNamespace as T

    from trainlab.stats.compare import summarize

    trials = [
        T(variant=v, seed=s, status="done", metrics={"test_acc": a})
        for v, a0 in [("baseline", 0.9), ("deep", 0.8), ("deep-he", 0.85)]
        for s, a in enumerate([a0, a0 + 0.01, a0 + 0.02])
    ]
    rows = {r.variant: r for r in summarize(trials, against={"deep": "deep", "deep-he": "deep"})}
    assert rows["deep"].effect == "baseline" and rows["deep"].reference is None
    assert rows["deep-he"].reference == "deep"
    assert abs(rows["deep-he"].diff.mean - 0.05) < 1e-9
