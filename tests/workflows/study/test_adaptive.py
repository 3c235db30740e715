"""Adaptive seeding: the looks, what each settles, what it asks for, and the error rate it keeps."""

from types import SimpleNamespace as T

import numpy as np
import pytest

from trainlab.core.errors import ConfigError
from trainlab.stats.sequential import look_levels
from trainlab.workflows.study.adaptive import AdaptivePlan, look_seeds, replay


def _study(names=("baseline", "big", "none"), seeds=(0, 1, 2)):
    return T(
        seeds=list(seeds),
        baseline="baseline",
        metric="test_acc",
        higher_is_better=True,
        variants=[T(name=n) for n in names],
        against=lambda v: None if v == "baseline" else "baseline",
    )


def _trial(variant, seed, value, status="done"):
    return T(variant=variant, seed=seed, status=status, metrics={"test_acc": value})


def _values(variant, seed):
    """baseline ~0.90; 'big' +5 points with almost no spread; 'none' no effect."""
    noise = [0.003, -0.002, 0.001, -0.004, 0.002, 0.0, -0.001, 0.004][seed]
    base = 0.90 + noise
    return {"baseline": base, "big": base + 0.05 + 1e-4 * (seed % 3 - 1), "none": base}[variant] + (
        0.002 * (-1) ** seed if variant == "none" else 0.0
    )


def _run_to_end(study, plan):
    trials = []
    outcome = replay(study, plan, trials)
    while not outcome.finished:
        trials += [_trial(v, s, _values(v, s)) for v, s in outcome.needed]
        outcome = replay(study, plan, trials)
    return outcome, trials


def test_look_seeds_add_the_smallest_unused_seeds_step_at_a_time():
    plan = AdaptivePlan(max_seeds=7, step=2)
    assert look_seeds([4, 0, 9], plan) == [(4, 0, 9), (4, 0, 9, 1, 2), (4, 0, 9, 1, 2, 3, 5)]


@pytest.mark.parametrize(
    "kwargs", [{"max_seeds": 1}, {"step": 0}, {"alpha": 1.0}, {"spending": "nope"}]
)
def test_a_bad_plan_is_one_clear_error(kwargs):
    with pytest.raises(ConfigError):
        AdaptivePlan(**kwargs)


def test_more_seeds_than_the_maximum_is_refused():
    with pytest.raises(ConfigError, match="max_seeds"):
        look_seeds([0, 1, 2, 3], AdaptivePlan(max_seeds=3))


def test_an_empty_store_asks_for_the_first_look_of_every_variant():
    outcome = replay(_study(), AdaptivePlan(max_seeds=5), [])
    assert not outcome.finished and outcome.looks == ()
    assert set(outcome.needed) == {(v, s) for v in ("baseline", "big", "none") for s in (0, 1, 2)}


def test_a_clear_comparison_settles_and_gets_no_more_seeds_an_open_one_does():
    study, plan = _study(), AdaptivePlan(max_seeds=5)
    trials = [_trial(v, s, _values(v, s)) for v in ("baseline", "big", "none") for s in (0, 1, 2)]
    outcome = replay(study, plan, trials)
    [look] = outcome.looks
    assert look.settled == {"big": "helps"} and look.open == ("none",)
    assert set(outcome.needed) == {("baseline", 3), ("none", 3)}
    levels = look_levels([3 / 5, 4 / 5, 1.0], 0.05, "obrien-fleming")
    assert look.level == pytest.approx(levels[0])


def test_the_study_ends_at_the_maximum_with_open_comparisons_unclear_at_the_last_level():
    study, plan = _study(), AdaptivePlan(max_seeds=5)
    outcome, trials = _run_to_end(study, plan)
    assert [len(look.seeds) for look in outcome.looks] == [3, 4, 5]
    rows = {s.variant: s for s in outcome.summaries}
    assert rows["big"].effect == "helps" and rows["big"].value.n == 3
    assert rows["none"].effect == "no clear effect" and rows["none"].value.n == 5
    assert rows["none"].alpha == pytest.approx(outcome.looks[-1].level)
    assert rows["baseline"].value.n == 5
    assert {(t.variant, t.seed) for t in trials if t.variant == "big"} == {
        ("big", s) for s in range(3)
    }
    # replaying the finished store takes the same decisions (resume, or a report rebuilt)
    again = replay(study, plan, trials)
    assert again.looks == outcome.looks and again.summaries == outcome.summaries


def test_a_diverging_variant_is_settled_at_once():
    study, plan = _study(("baseline", "wild")), AdaptivePlan(max_seeds=6)
    trials = [_trial("baseline", s, 0.9 + s / 100) for s in (0, 1, 2)]
    trials += [_trial("wild", s, None, status="diverged") for s in (0, 1, 2)]
    outcome = replay(study, plan, trials)
    assert outcome.finished and outcome.looks[0].settled == {"wild": "diverges"}


@pytest.mark.slow
def test_the_family_wise_error_rate_under_no_effect_stays_at_alpha():
    """Simulated studies with no effect at all: the share with any 'clear' verdict is ≤ α.

    Testing every look at the plain α instead would reject far more often (the
    check below is there to catch that).
    """
    rng = np.random.default_rng(0)
    plan = AdaptivePlan(max_seeds=6, spending="pocock")
    study = _study(("baseline", "a", "b"))
    sims, false = 300, 0
    for _ in range(sims):
        table = {
            (v, s): 0.9 + rng.normal(0, 0.01) for v in ("baseline", "a", "b") for s in range(6)
        }
        trials = []
        outcome = replay(study, plan, trials)
        while not outcome.finished:
            trials += [_trial(v, s, table[(v, s)]) for v, s in outcome.needed]
            outcome = replay(study, plan, trials)
        false += any(s.effect in ("helps", "hurts") for s in outcome.summaries)
    assert false / sims <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / sims)
