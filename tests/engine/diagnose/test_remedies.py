"""Remedies that know the recipe: never what it already does, always what to change to what."""

from __future__ import annotations

from dataclasses import replace

import pytest

from trainlab.engine.diagnose import diagnose
from trainlab.engine.diagnose.facts import Budget, FinalAccuracies, RecipeFacts
from trainlab.engine.diagnose.remedies import ADVICE, REMEDIES, advise

PLAIN = RecipeFacts(widths=(32, 64), lr=0.003, epochs=10, batch_size=64)

#: remedy id → (facts where it is suggested, words it says, facts that already have it);
#: None: a remedy that changes a setting by degrees and is never "already on"
CASES = {
    "remedy.lower_lr.tenfold": (PLAIN, "lower `optimizer.lr` from 0.003 to 0.0003", None),
    "remedy.lower_lr.threefold": (PLAIN, "lower `optimizer.lr` from 0.003 to 0.001", None),
    "remedy.higher_lr": (PLAIN, "raise `optimizer.lr` from 0.003 to 0.009", None),
    "remedy.clip_grad": (
        PLAIN,
        "set `train.clip_grad_norm` to 1 (now off)",
        replace(PLAIN, clip_grad_norm=0.5),
    ),
    "remedy.normalize_inputs": (
        replace(PLAIN, normalize="none"),
        "set `preprocess.normalize` to standard (now none)",
        PLAIN,
    ),
    "remedy.init": (
        replace(PLAIN, init="normal", init_std=0.01),
        "set `init.scheme` to he-normal (now normal, std 0.01)",
        replace(PLAIN, init="he-normal"),
    ),
    "remedy.batch_norm": (
        PLAIN,
        "set `model.batch_norm` to true (now false)",
        replace(PLAIN, batch_norm=True),
    ),
    "remedy.l2": (
        PLAIN,
        "set `regularization.l2` to 0.0001 (now off)",
        replace(PLAIN, l2=0.01),
    ),
    "remedy.l1": (PLAIN, "set `regularization.l1` to 1e-05 (now off)", replace(PLAIN, l1=1e-3)),
    "remedy.input_noise": (
        replace(PLAIN, input_noise=0.1),
        "raise `regularization.input_noise` from 0.1 to 0.2",
        replace(PLAIN, input_noise=0.5),
    ),
    "remedy.output_noise": (
        PLAIN,
        "set `regularization.label_smoothing` to 0.1 (now off)",
        replace(PLAIN, label_smoothing=0.3),
    ),
    "remedy.weight_noise": (
        PLAIN,
        "set `regularization.weight_noise` to 0.01 (now off)",
        replace(PLAIN, weight_noise=0.1),
    ),
    "remedy.ensemble": (
        PLAIN,
        "raise `ensemble.members` from 1 to 5",
        replace(PLAIN, ensemble=5),
    ),
    "remedy.early_stopping": (
        PLAIN,
        "set `early_stopping.enabled` to true (now false)",
        replace(PLAIN, early_stopping=True),
    ),
    "remedy.dropout": (
        replace(PLAIN, dropout=0.1),
        "raise `model.dropout` from 0.1 to 0.3",
        replace(PLAIN, dropout=0.5),
    ),
    "remedy.smaller_model": (
        PLAIN,
        "lower `model.widths` from [32, 64] to [16, 32]",
        replace(PLAIN, widths=(1, 1)),
    ),
    "remedy.bigger_model": (PLAIN, "raise `model.widths` from [32, 64] to [64, 128]", None),
    "remedy.longer": (PLAIN, "raise `train.epochs` from 10 to 20", None),
    "remedy.weaker_regularization": (
        replace(PLAIN, dropout=0.5, l2=1e-3),
        "lower `model.dropout` from 0.5 to 0.25 and `regularization.l2` from 0.001 to 0.0005",
        PLAIN,
    ),
    "remedy.more_data": (PLAIN, "More training data, or data augmentation", None),
    "remedy.multitask": (PLAIN, "Multitask learning", None),
}


def test_every_remedy_has_a_case():
    assert set(CASES) == set(ADVICE) == {i for ids in REMEDIES.values() for i in ids}


@pytest.mark.parametrize("remedy", sorted(CASES))
def test_a_remedy_says_what_to_change_and_is_left_out_when_the_recipe_has_it(remedy):
    suggested, words, already = CASES[remedy]
    found = ADVICE[remedy](suggested, None)
    assert found is not None and words in found.render(), found and found.render()
    if already is not None:
        assert ADVICE[remedy](already, None) is None
    assert found.render("es") != found.render()  # worded in Spanish too


def test_dropout_goes_from_off_to_the_lectures_half_and_stops_there():
    dropout = ADVICE["remedy.dropout"]
    assert "set `model.dropout` to 0.5 (now off)" in dropout(PLAIN, None).render()
    assert "from 0.3 to 0.5" in dropout(replace(PLAIN, dropout=0.3), None).render()


def test_weight_decay_counts_as_the_l2_penalty():
    decayed = replace(PLAIN, weight_decay=1e-4)
    words = ADVICE["remedy.l2"](decayed, None).render()
    assert "raise `optimizer.weight_decay` from 0.0001 to 0.001" in words
    assert "regularization.l2" not in words
    assert ADVICE["remedy.l2"](replace(PLAIN, weight_decay=0.1), None) is None


def test_tanh_networks_get_glorot_and_keep_theirs():
    tanh = replace(PLAIN, activation="tanh", init="default")
    assert "to glorot-normal (now default)" in ADVICE["remedy.init"](tanh, None).render()
    assert ADVICE["remedy.init"](replace(tanh, init="glorot-uniform"), None) is None


def test_clipping_looser_than_one_is_tightened():
    loose = replace(PLAIN, clip_grad_norm=5.0)
    assert (
        "lower `train.clip_grad_norm` from 5 to 1"
        in ADVICE["remedy.clip_grad"](loose, None).render()
    )


def test_label_flipping_is_raised_when_it_is_the_output_noise_on():
    flipping = replace(PLAIN, label_flip=0.05)
    words = ADVICE["remedy.output_noise"](flipping, None).render()
    assert "raise `regularization.label_flip` from 0.05 to 0.1" in words
    assert ADVICE["remedy.output_noise"](replace(PLAIN, label_flip=0.2), None) is None


def test_augmented_recipes_are_told_more_data_not_augmentation():
    words = ADVICE["remedy.more_data"](replace(PLAIN, augment=("affine", "mixup")), None).render()
    assert "already augments its data: affine, mixup" in words


def test_longer_training_is_left_out_when_early_stopping_ended_the_run():
    stopping = replace(PLAIN, early_stopping=True)
    stopped = Budget(epochs=6, examples=1000, batch_size=64)
    assert ADVICE["remedy.longer"](stopping, stopped) is None
    ran_out = Budget(epochs=10, examples=1000, batch_size=64)
    assert "from 10 to 20" in ADVICE["remedy.longer"](stopping, ran_out).render()


def test_longer_training_reaches_enough_steps():
    short = replace(PLAIN, epochs=1)
    budget = Budget(epochs=1, examples=350, batch_size=64)  # 6 steps per epoch
    assert "from 1 to 9" in ADVICE["remedy.longer"](short, budget).render()


def test_without_facts_the_remedies_are_the_general_ones():
    assert [s.id for s in advise("val_loss_rising")] == list(REMEDIES["val_loss_rising"])


def test_a_small_budget_puts_longer_training_first():
    budget = Budget(epochs=2, examples=450, batch_size=64)
    said = advise("low_train_acc", replace(PLAIN, epochs=2), budget)
    assert said[0].render().startswith("Longer training: raise `train.epochs` from 2 to 8")
    assert advise("low_train_acc", PLAIN)[0].render().startswith("A bigger model")


def test_the_issues_recipe_is_not_told_to_turn_on_what_it_has():
    """mnist1d-cnn: batch normalization on, He initialization, dropout 0.1."""
    facts = RecipeFacts(
        batch_norm=True,
        dropout=0.1,
        init="he-normal",
        widths=(32, 64, 128),
        lr=0.003,
        weight_decay=1e-4,
        epochs=40,
        batch_size=64,
    )
    nan = [{"epoch": 1, "train_loss": 2.0}, {"epoch": 2, "train_loss": float("nan")}]
    diverged = diagnose(nan, recipe=facts)
    text = " ".join(diverged.remedies)
    assert "model.batch_norm" not in text and "init.scheme" not in text
    assert "lower `optimizer.lr` from 0.003 to 0.0003" in text
    h = [
        {"epoch": i + 1, "train_loss": 1.0 / (i + 1), "val_loss": 1.0 / (i + 1)} for i in range(10)
    ]
    over = diagnose(h, recipe=facts, final=FinalAccuracies(train=1.0, val=0.9))
    assert over.verdict == "overfitting"
    text = " ".join(over.remedies)
    assert "model.batch_norm" not in text
    assert "raise `model.dropout` from 0.1 to 0.3" in text
    assert "raise `optimizer.weight_decay` from 0.0001 to 0.001" in text
