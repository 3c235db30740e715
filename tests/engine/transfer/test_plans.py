import pytest

from trainlab.config.recipe import TransferConfig
from trainlab.core.errors import ConfigError
from trainlab.engine.transfer.plans import TRANSFERS, build_plan

STAGES = ["stage1", "stage2", "stage3"]


def plan(copied=3, **kw):
    cfg = TransferConfig(checkpoint="m.safetensors", **kw)
    return build_plan(cfg, STAGES, copied=copied, base_lr=0.1)


def test_every_lecture_strategy_is_registered():
    for name in (
        "head-only",
        "freeze-first-n",
        "fine-tune-all",
        "differential-lr",
        "gradual-unfreeze",
    ):
        assert name in TRANSFERS


def test_head_only_freezes_every_stage():
    p = plan(strategy="head-only")
    assert p.frozen == STAGES and p.frozen_at(5) == STAGES


def test_head_only_needs_every_stage():
    with pytest.raises(ConfigError, match=r"transfer\.stages must be 3"):
        plan(copied=2, strategy="head-only")


def test_freeze_first_n_defaults_to_the_copied_stages():
    assert plan(copied=2, strategy="freeze-first-n").frozen == ["stage1", "stage2"]
    assert plan(copied=3, strategy="freeze-first-n", freeze=1).frozen == ["stage1"]
    assert plan(copied=3, strategy="freeze-first-n", freeze=0).frozen == []


def test_cannot_freeze_a_stage_that_was_not_copied():
    with pytest.raises(ConfigError, match=r"transfer\.freeze is 3, but only 2 stages"):
        plan(copied=2, strategy="freeze-first-n", freeze=3)


def test_freeze_key_belongs_to_freeze_first_n():
    with pytest.raises(ConfigError, match="applies to strategy freeze-first-n"):
        plan(strategy="fine-tune-all", freeze=1)


def test_fine_tune_all_freezes_nothing_at_the_base_rate():
    p = plan(copied=2, strategy="fine-tune-all")
    assert p.frozen == [] and p.copied == ["stage1", "stage2"]
    assert p.lrs == {s: 0.1 for s in STAGES}


def test_differential_lr_decays_geometrically_from_the_head():
    p = plan(strategy="differential-lr", lr_decay=0.1)
    assert p.lrs == pytest.approx({"stage3": 0.01, "stage2": 0.001, "stage1": 0.0001})
    assert plan(strategy="differential-lr").lrs == pytest.approx(
        {"stage3": 0.05, "stage2": 0.025, "stage1": 0.0125}
    )


def test_differential_lr_from_a_list():
    p = plan(strategy="differential-lr", lrs=[1e-4, 1e-3, 1e-2])
    assert p.lrs == {"stage1": 1e-4, "stage2": 1e-3, "stage3": 1e-2}
    with pytest.raises(ConfigError, match="one learning rate per stage"):
        plan(strategy="differential-lr", lrs=[1e-3, 1e-2])


def test_gradual_unfreezing_thaws_one_stage_from_the_top_every_k_epochs():
    p = plan(strategy="gradual-unfreeze", unfreeze_every=2)
    frozen = [len(p.frozen_at(e)) for e in range(1, 9)]
    assert frozen == [3, 3, 2, 2, 1, 1, 0, 0]
    assert p.frozen_at(3) == ["stage1", "stage2"]  # the top stage thaws first


def test_unknown_strategy_lists_the_known_ones():
    with pytest.raises(ConfigError, match=r"transfer\.strategy: unknown .* head-only"):
        plan(strategy="freeze-everything")


def test_bad_values_are_refused_by_the_recipe():
    from trainlab.config.recipe import Recipe

    for key, value, msg in (
        ("transfer.lrs", [0.1, -1], "positive"),
        ("transfer.lr_decay", 0, "greater than 0"),
        ("transfer.preprocessing", "maybe", "adopt"),
        ("transfer.stages", 0, "greater than or equal to 1"),
    ):
        with pytest.raises(ConfigError, match=msg):
            Recipe().override({key: value})
