"""TextAugment: the batch's strings augmented per text, from their own keys, then encoded."""

from __future__ import annotations

import pytest
import torch

from trainlab.augment.text.registry import TEXT_AUGMENTATIONS
from trainlab.engine.text_augment import INDEX, TextAugment

TEXTS = [f"word{i} alpha beta gamma delta epsilon zeta eta theta" for i in range(12)]


def _encode(batch):
    return torch.tensor([[float(len(t.split()))] for t in batch])


def _callback(p=1.0, seed=0):
    augs = [
        TEXT_AUGMENTATIONS.get("word-delete")(rate=0.3, p=p),
        TEXT_AUGMENTATIONS.get("char-swap")(rate=0.1),
    ]
    return TextAugment(augs, TEXTS, _encode, seed=seed)


class _Trainer:
    def __init__(self, member=0):
        self.member = member


def test_a_text_draws_the_same_in_any_batch_and_any_order():
    cb = _callback()
    cb.on_epoch_start(_Trainer(), 3)
    whole = cb.augmented(list(range(12)))
    one_by_one = [cb.augmented([i])[0] for i in range(12)]
    reversed_batch = cb.augmented(list(range(11, -1, -1)))[::-1]
    assert whole == one_by_one == reversed_batch
    assert sum(w != t for w, t in zip(whole, TEXTS, strict=True)) == 12  # every text changed


def test_the_draws_change_with_the_epoch_the_member_and_the_seed():
    cb = _callback()
    cb.on_epoch_start(_Trainer(), 0)
    first = cb.augmented(list(range(12)))
    cb.on_epoch_start(_Trainer(), 1)
    assert cb.augmented(list(range(12))) != first
    cb.on_epoch_start(_Trainer(member=1), 0)
    assert cb.augmented(list(range(12))) != first
    other = _callback(seed=5)
    other.on_epoch_start(_Trainer(), 0)
    assert other.augmented(list(range(12))) != first
    cb.on_epoch_start(_Trainer(), 0)  # and replay
    assert cb.augmented(list(range(12))) == first


def test_p_zero_leaves_the_texts_and_the_training_texts_are_never_changed():
    cb = TextAugment([TEXT_AUGMENTATIONS.get("word-delete")(p=0.0)], TEXTS, _encode)
    assert cb.augmented([0, 5]) == [TEXTS[0], TEXTS[5]]
    _callback().augmented(list(range(12)))
    assert TEXTS[0].startswith("word0 alpha")


def test_the_batch_inputs_are_the_encoded_augmented_texts():
    cb = _callback()
    cb.on_epoch_start(_Trainer(), 2)
    batch = {"x": torch.zeros(3, 1), "y": torch.tensor([0, 1, 0]), INDEX: torch.tensor([4, 0, 7])}
    out = cb.on_train_batch(_Trainer(), batch)
    assert torch.equal(out["x"], _encode(cb.augmented([4, 0, 7])))
    assert out["x"].tolist() != [[9.0]] * 3  # words were deleted
    assert out["y"] is batch["y"] and out[INDEX] is batch[INDEX]


def test_a_batch_without_indices_is_refused():
    with pytest.raises(ValueError, match="'index'"):
        _callback().on_train_batch(_Trainer(), {"x": torch.zeros(1, 1), "y": torch.zeros(1)})
