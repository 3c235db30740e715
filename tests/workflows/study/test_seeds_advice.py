"""Seed advice: the seeds a stated effect needs, against statsmodels' power of the paired t-test."""

from types import SimpleNamespace as T

import numpy as np
import pytest

from trainlab.core.errors import ConfigError
from trainlab.workflows.study.seeds_advice import format_advice, seeds_advice

statsmodels_power = pytest.importorskip("statsmodels.stats.power")


def _study(names):
    return T(
        metric="test_acc",
        baseline="baseline",
        higher_is_better=True,
        correction="holm",
        alpha=0.05,
        variants=[T(name=n) for n in names],
        against=lambda v: None if v == "baseline" else "baseline",
    )


def _trials(diffs):
    rng = np.random.default_rng(1)
    out = []
    for s in range(4):
        base = 0.9 + rng.normal(0, 0.01)
        out.append(T(variant="baseline", seed=s, status="done", metrics={"test_acc": base}))
        for name, (mean, sd) in diffs.items():
            value = base + mean + rng.normal(0, sd)
            out.append(T(variant=name, seed=s, status="done", metrics={"test_acc": value}))
    return out


def test_the_seeds_needed_are_the_fewest_with_80_percent_power_at_alpha_over_m():
    study = _study(["baseline", "a", "b"])
    rows = seeds_advice(study, _trials({"a": (0.01, 0.004), "b": (0.0, 0.01)}), effect=0.005)
    power = statsmodels_power.TTestPower()
    for row in rows:
        assert row.level == pytest.approx(0.05 / 2) and row.n == 4
        d = row.effect / row.sd
        n = row.seeds_needed
        assert power.power(d, n, row.level) >= 0.8 > power.power(d, n - 1, row.level)


def test_the_advice_reads_only_finished_trials_and_a_zero_effect_is_refused():
    study = _study(["baseline", "a"])
    trials = _trials({"a": (0.01, 0.004)})
    failed = [T(variant="a", seed=9, status="failed", metrics=None)]
    assert seeds_advice(study, trials + failed, effect=0.005)[0].n == 4
    with pytest.raises(ConfigError, match="non-zero"):
        seeds_advice(study, trials, effect=0.0)


def test_the_table_speaks_in_points_of_accuracy():
    rows = seeds_advice(_study(["baseline", "a"]), _trials({"a": (0.01, 0.004)}), effect=0.005)
    text = format_advice(rows, percent=True, stated="0.5 pt")
    assert text.splitlines()[0].split()[-4:] == ["seeds", "for", "0.5", "pt"]
    assert " pt " in text.splitlines()[1] and "(alpha / 1 comparison)" in text
