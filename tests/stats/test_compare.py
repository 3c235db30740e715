"""trainlab.stats.compare: summaries of hand-made studies, corrected verdicts, divergence."""

from __future__ import annotations

import json
import math
import re
import warnings
from types import SimpleNamespace

import numpy as np
import pytest

from trainlab.core.errors import ConfigError
from trainlab.report.summary_table import format_table  # the summaries' terminal table
from trainlab.stats.compare import (
    EFFECTS,
    Interval,
    PairedDiff,
    VariantSummary,
    effect_of,
    mean_ci,
    paired_difference,
    summarize,
)
from trainlab.stats.multiplicity import adjust_pvalues
from trainlab.stats.power import detectable_effect


def trial(variant: str, seed: int, status: str = "done", **metrics) -> SimpleNamespace:
    return SimpleNamespace(
        variant=variant, seed=seed, status=status, metrics=metrics if metrics else None
    )


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
            if s.diff is not None:  # and so is its adjusted p-value's
                said = effect_of(s.diff, higher, p_adjusted=s.p_adjusted, alpha=s.alpha)
                assert s.effect == said
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
    assert len(spans) == 12  # nine columns, "p (Holm)", "detectable" and "failed"
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


# -- corrected verdicts --------------------------------------------------------------

BASE3 = [0.90, 0.91, 0.92]


def study_of(runs: dict[str, list[float]]) -> list[SimpleNamespace]:
    return [trial(v, s, test_acc=a) for v, accs in runs.items() for s, a in enumerate(accs)]


# wd: +0.010, +0.016, +0.022 (raw p = 0.044); noise and mix: no pattern
THREE = study_of(
    {
        "baseline": BASE3,
        "wd": [0.91, 0.926, 0.942],
        "noise": [0.91, 0.90, 0.925],
        "mix": [0.895, 0.92, 0.918],
    }
)


def test_holm_turns_a_raw_effect_into_no_clear_effect() -> None:
    raw = by_name(summarize(THREE, correction="none"))
    wd = raw["wd"]
    assert 0.04 < wd.diff.p < 0.05 and wd.diff.lo > 0
    assert wd.effect == "helps" and wd.p_adjusted == wd.diff.p and wd.correction == "none"

    s = by_name(summarize(THREE))  # Holm by default
    family = ["wd", "noise", "mix"]
    want = adjust_pvalues([s[v].diff.p for v in family], "holm")
    assert [s[v].p_adjusted for v in family] == pytest.approx(want.tolist(), rel=1e-12)
    wd = s["wd"]
    assert wd.p_adjusted == pytest.approx(3 * wd.diff.p) and wd.p_adjusted > 0.05
    assert wd.effect == "no clear effect" and wd.diff.lo > 0  # the interval alone would say helps
    assert wd.correction == "holm" and wd.alpha == 0.05
    assert all(x.comparisons == 3 for x in s.values())
    assert math.isnan(s["baseline"].p_adjusted) and math.isnan(s["baseline"].detectable)
    assert {v: x.rank for v, x in s.items()} == raw_ranks(raw)  # ranks ignore the correction
    assert summarize(THREE, correction="Bonferroni")[1].p_adjusted == pytest.approx(3 * wd.diff.p)


def raw_ranks(summaries: dict[str, VariantSummary]) -> dict[str, int | None]:
    return {v: x.rank for v, x in summaries.items()}


def test_benjamini_hochberg_option() -> None:
    # two variants with the same differences in other seed orders: p = 0.044 each
    trials = study_of(
        {"baseline": BASE3, "wd": [0.91, 0.926, 0.942], "wd-again": [0.922, 0.92, 0.936]}
    )
    holm = by_name(summarize(trials))
    bh = by_name(summarize(trials, correction="bh"))
    for v in ("wd", "wd-again"):
        p = holm[v].diff.p
        assert 0.04 < p < 0.05
        assert holm[v].p_adjusted == pytest.approx(2 * p) and holm[v].effect == "no clear effect"
        assert bh[v].p_adjusted == pytest.approx(p) and bh[v].effect == "helps"
        assert bh[v].correction == "bh"
    alias = by_name(summarize(trials, correction="benjamini-hochberg"))
    assert alias["wd"] == bh["wd"]
    with pytest.raises(
        ConfigError, match=r"unknown correction 'sidak'.*bh, bonferroni, holm, none"
    ):
        summarize(trials, correction="sidak")


def test_an_effect_needs_the_adjusted_p_and_the_interval() -> None:
    # +0.010, +0.015, +0.025: p = 0.063, the 95 % interval includes 0, the 90 % one does not
    trials = study_of({"baseline": BASE3, "x": [0.91, 0.925, 0.945]})
    x = summarize(trials, alpha=0.1)[1]
    assert 0.05 < x.p_adjusted < 0.1 and x.diff.lo < 0 < x.diff.hi
    assert x.alpha == 0.1 and x.effect == "no clear effect"
    x = summarize(trials, alpha=0.1, confidence=0.9)[1]
    assert x.diff.lo > 0 and x.effect == "helps"
    assert summarize(trials, confidence=0.9)[1].alpha == 0.1  # alpha = 1 − confidence
    for bad in (0.0, 1.0, 1.2):
        with pytest.raises(ConfigError, match=r"alpha: expected a number in \(0, 1\)"):
            summarize(trials, alpha=bad)


def test_detectable_effect_is_the_power_analysis_of_the_observed_spread() -> None:
    for correction, m in (("holm", 3), ("bh", 3), ("bonferroni", 3), ("none", 1)):
        s = by_name(summarize(THREE, correction=correction))
        for v, accs in (("wd", [0.91, 0.926, 0.942]), ("noise", [0.91, 0.90, 0.925])):
            d = np.array(accs) - np.array(BASE3)
            want = detectable_effect(float(np.std(d, ddof=1)), 3, 0.05 / m)
            assert s[v].detectable == pytest.approx(want, rel=1e-9), (correction, v)
            assert s[v].detectable > abs(s[v].diff.mean) or v == "wd"
    # with fewer than two pairs nothing is detectable
    one = summarize(study_of({"baseline": [0.9], "x": [0.95]}))[1]
    assert math.isnan(one.detectable) and one.comparisons == 0 and math.isnan(one.p_adjusted)


# -- divergence ----------------------------------------------------------------------

DIVERGING = [
    *study_of({"baseline": BASE3, "wd": [0.912, 0.93, 0.936]}),
    # lr: seed 0 diverged in training, seed 1 finished with a diverged learning curve,
    # seed 2 trained; its finished seeds have the best mean of the study
    trial("lr", 0, "diverged", diverged_epoch=3, seconds=1.0),
    trial("lr", 1, test_acc=0.99, verdict="diverged", diverged_epoch=5),
    trial("lr", 2, test_acc=0.98, verdict="good fit"),
    # huge-lr: every seed diverged, one without a recorded epoch
    trial("huge-lr", 0, "diverged", diverged_epoch=2),
    trial("huge-lr", 1, "diverged", diverged_epoch=1),
    trial("huge-lr", 2, "diverged"),
    # bug: a trial that failed is an error, not a divergence
    trial("bug", 0, "failed"),
    *study_of({"bug": [None, 0.915, 0.921]})[1:],
]


def test_a_diverging_variant_diverges_ranks_last_and_leaves_the_family() -> None:
    s = by_name(summarize(DIVERGING))
    lr, huge = s["lr"], s["huge-lr"]
    assert lr.effect == "diverges" and lr.diverged == 2 and lr.diverged_at == (3, 5)
    assert lr.value.n == 2 and lr.verdicts == {"diverged": 1, "good fit": 1}
    assert huge.effect == "diverges" and huge.diverged == 3 and huge.diverged_at == (1, 2)
    assert huge.value.n == 0 and huge.seeds == ()
    assert s["bug"].failed == 1 and s["bug"].diverged == 0 and s["bug"].effect != "diverges"
    # ranked after every variant that trained, though lr's mean is the best
    assert raw_ranks(s) == {"wd": 1, "bug": 2, "baseline": 3, "lr": 4, "huge-lr": 5}
    # outside the family: m counts wd and bug only
    assert all(x.comparisons == 2 for x in s.values())
    for x in (lr, huge):
        assert math.isnan(x.p_adjusted) and math.isnan(x.detectable)
    family = adjust_pvalues([s["wd"].diff.p, s["bug"].diff.p])
    assert [s["wd"].p_adjusted, s["bug"].p_adjusted] == pytest.approx(family.tolist())
    assert s["wd"].effect == "helps"
    # the effect is never "no clear effect" for a diverging variant, whatever the correction
    for correction in ("none", "bh"):
        assert by_name(summarize(DIVERGING, correction=correction))["lr"].effect == "diverges"
    d = lr.to_dict()
    assert (d["diverged"], d["diverged_at"], d["effect"]) == (2, [3, 5], "diverges")
    json.dumps([x.to_dict() for x in s.values()])


def test_a_diverging_reference_keeps_baseline_and_shows_its_count() -> None:
    trials = [
        *study_of({"baseline": [0.90, 0.91], "x": BASE3}),
        trial("baseline", 2, "diverged", diverged_epoch=4),
    ]
    s = by_name(summarize(trials, higher_is_better=False))
    base = s["baseline"]
    assert base.effect == "baseline" and base.diverged == 1 and base.diverged_at == (4,)
    assert s["x"].diff.n == 2 and s["x"].effect in EFFECTS[1:4]
    assert raw_ranks(s) == {"x": 1, "baseline": 2}  # lower is better, yet it ranks last


def test_summary_checks_the_new_fields() -> None:
    nan = Interval(math.nan, math.nan, math.nan, 0)
    up = paired_difference([0.95, 0.96, 0.97], [0.90, 0.92, 0.94])  # p = 0.02
    args = ("x", "test_acc", nan, "baseline", up, nan, None, nan)
    helps = VariantSummary(*args, effect="helps")  # by hand: uncorrected
    assert helps.correction == "none" and helps.p_adjusted == up.p and helps.alpha == 0.05
    assert VariantSummary(*args, effect="helps", correction="holm", p_adjusted=0.04).alpha == 0.05
    with pytest.raises(ValueError, match=r"adjusted p-value below 0\.05"):
        VariantSummary(*args, effect="helps", correction="holm", p_adjusted=0.06)
    with pytest.raises(ValueError, match="adjusted p-value below"):
        VariantSummary(*args, effect="helps", correction="holm")  # none given
    with pytest.raises(ValueError, match="no smaller than the raw"):
        VariantSummary(*args, correction="holm", p_adjusted=0.01)
    with pytest.raises(ValueError, match=r"not diff\.p"):
        VariantSummary(*args, p_adjusted=0.04)
    with pytest.raises(ValueError, match="diverges exactly when"):
        VariantSummary(*args, effect="diverges")
    with pytest.raises(ValueError, match="diverges exactly when"):
        VariantSummary(*args, diverged=1, diverged_at=(2,))
    assert VariantSummary(*args, effect="diverges", diverged=2, diverged_at=(2,)).diverged == 2
    with pytest.raises(ValueError, match="no adjusted p"):
        VariantSummary(*args, effect="diverges", diverged=1, p_adjusted=0.5, correction="holm")
    with pytest.raises(ValueError, match="not sorted"):
        VariantSummary(*args, effect="diverges", diverged=2, diverged_at=(5, 3))
    with pytest.raises(ValueError, match="at most one epoch"):
        VariantSummary(*args, effect="diverges", diverged=1, diverged_at=(3, 5))
    ref = ("base", "test_acc", nan, None, None, nan, None, nan)
    assert VariantSummary(*ref, effect="baseline", diverged=1).effect == "baseline"
    with pytest.raises(ValueError, match="no adjusted p"):
        VariantSummary(*ref, effect="baseline", p_adjusted=0.5)
    with pytest.raises(ConfigError, match="unknown correction"):
        VariantSummary(*args, correction="sidak")
    with pytest.raises(ValueError, match="alpha"):
        VariantSummary(*args, alpha=1.5)
    with pytest.raises(ValueError, match="comparisons"):
        VariantSummary(*args, comparisons=-1)
    assert VariantSummary(*args, correction="benjamini-hochberg").correction == "bh"
    assert set(helps.to_dict()) >= {
        "p_adjusted",
        "alpha",
        "correction",
        "detectable",
        "diverged",
        "diverged_at",
        "comparisons",
    }
