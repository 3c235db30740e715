"""Budget warnings: too few optimizer steps, or chance-level results, with what to change."""

from __future__ import annotations

import pytest

from trainlab.engine.diagnose import diagnose
from trainlab.engine.diagnose.budget import at_chance, budget_warnings
from trainlab.engine.diagnose.facts import Budget, FinalAccuracies, RecipeFacts
from trainlab.engine.diagnose.thresholds import CHANCE_MARGIN, MIN_STEPS

FACTS = RecipeFacts(lr=0.003, epochs=1, batch_size=64)
#: the issue's one-epoch digits run: 350 training examples in batches of 64
SIX_STEPS = Budget(epochs=1, examples=350, batch_size=64, classes=10, majority=0.103)
ONE_EPOCH = [{"epoch": 1, "train_loss": 2.3, "train_acc": 0.157, "val_loss": 4.9, "val_acc": 0.1}]


def test_budget_counts_steps_and_chance():
    assert (SIX_STEPS.steps_per_epoch, SIX_STEPS.steps, SIX_STEPS.chance) == (6, 6, 0.103)
    assert Budget(epochs=3, examples=128, batch_size=64, classes=4).chance == 0.25
    assert Budget(epochs=3, examples=128, batch_size=64).chance is None
    with pytest.raises(ValueError, match="batch_size"):
        Budget(epochs=1, examples=10, batch_size=0)


def test_too_few_steps_say_so_and_what_to_change():
    well = FinalAccuracies(train=0.9, val=0.85)  # learned, but in 6 steps
    (warning,) = budget_warnings(SIX_STEPS, well, FACTS)
    words = warning.render()
    assert "only 6 optimizer steps (1 epoch × 6 batches of 64 examples)" in words
    assert f"at least {MIN_STEPS} optimizer steps" in words
    assert "Raise `train.epochs` from 1 to 9, or lower `train.batch_size` from 64 to 7." in words
    assert "optimizer.lr" not in words
    assert "6 pasos de optimización (1 época × 6 lotes de 64 ejemplos)" in warning.render("es")


def test_chance_level_says_so_and_what_to_change():
    long = Budget(epochs=20, examples=3500, batch_size=64, classes=10, majority=0.11)
    facts = RecipeFacts(lr=1e-4, epochs=20, batch_size=64)
    (warning,) = budget_warnings(long, FinalAccuracies(train=0.12, val=0.11, test=0.1), facts)
    words = warning.render()
    assert "no better than chance: 12.0% at best, against 11.0%" in words
    assert "most frequent of the 10 classes" in words
    assert "raise `optimizer.lr` from 0.0001 to 0.0003" in words
    assert "from 20 to 40" in words and "from 64 to 32" in words


def test_the_majority_class_sets_the_chance_level():
    skewed = Budget(epochs=20, examples=3000, batch_size=64, classes=2, majority=0.9)
    assert at_chance(skewed, FinalAccuracies(train=0.91, val=0.9))
    assert not at_chance(skewed, FinalAccuracies(train=0.9 + CHANCE_MARGIN + 0.01))
    assert not at_chance(skewed, None)


def test_both_warnings_and_the_change_once():
    warned = budget_warnings(SIX_STEPS, FinalAccuracies(train=0.1, val=0.1, test=0.1), FACTS)
    assert len(warned) == 2
    first, last = (w.render() for w in warned)
    assert "6 optimizer steps" in first and "Raise" not in first
    assert "no better than chance" in last
    assert last.endswith("or raise `optimizer.lr` from 0.003 to 0.009.")


def test_no_warning_in_a_normal_run():
    normal = Budget(epochs=12, examples=3500, batch_size=64, classes=10, majority=0.11)
    assert budget_warnings(normal, FinalAccuracies(train=0.99, val=0.97), FACTS) == ()
    assert budget_warnings(None, FinalAccuracies(train=0.1)) == ()


def test_without_the_recipe_the_change_is_in_general_terms():
    (warning,) = budget_warnings(SIX_STEPS, FinalAccuracies(train=0.9))
    assert warning.render().endswith(
        "Train for more epochs (`train.epochs`), with smaller batches (`train.batch_size`) or "
        "a higher learning rate (`optimizer.lr`)."
    )


def test_one_step_and_one_batch_are_singular():
    (warning,) = budget_warnings(Budget(epochs=1, examples=10, batch_size=64), None, None)
    assert "only 1 optimizer step (1 epoch × 1 batch of 64 examples)" in warning.render()


def test_the_diagnosis_carries_the_warnings():
    final = FinalAccuracies(train=0.1, val=0.1, test=0.1)
    d = diagnose(ONE_EPOCH, final=final, recipe=FACTS, budget=SIX_STEPS)
    assert len(d.warnings) == 2 and d.warnings == [w.render() for w in d.warning_said]
    assert d.warnings_in("es")[1].startswith("Los pesos finales no superan el azar")
    assert d.remedies[0].startswith("Longer training: raise `train.epochs` from 1 to 9")
    assert diagnose(ONE_EPOCH).warnings == []
