"""The vocabulary: reserved ids, deterministic order, minimum count, maximum size, JSON state."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest

from trainlab.core.errors import ConfigError, DataError
from trainlab.preprocess.text import PAD, SPECIALS, UNK, Vocabulary


def _corpus(seed: int = 0) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(40)]
    weights = 1.0 / np.arange(1, 41)
    return [list(rng.choice(words, size=12, p=weights / weights.sum())) for _ in range(30)]


def test_order_is_count_descending_then_token() -> None:
    docs = _corpus()
    vocab = Vocabulary.fit(docs)
    counts = Counter(t for d in docs for t in d)
    expected = sorted(counts, key=lambda t: (-counts[t], t))
    assert vocab.tokens == [*SPECIALS, *expected]
    assert vocab.counts == [counts[t] for t in expected]
    assert vocab.tokens[PAD] == "<pad>" and vocab.tokens[UNK] == "<unk>"


def test_ties_do_not_depend_on_the_input_order() -> None:
    docs = [["b", "a", "c"], ["c", "a", "b"]]
    assert Vocabulary.fit(docs).tokens == Vocabulary.fit(docs[::-1]).tokens
    assert Vocabulary.fit(docs).learned == ["a", "b", "c"]


def test_min_count_and_max_size() -> None:
    docs = _corpus()
    counts = Counter(t for d in docs for t in d)
    vocab = Vocabulary.fit(docs, min_count=5)
    assert set(vocab.learned) == {t for t, c in counts.items() if c >= 5}
    small = Vocabulary.fit(docs, max_size=7)
    assert len(small) == 7 + len(SPECIALS)
    assert small.learned == Vocabulary.fit(docs).learned[:7]
    assert Vocabulary.fit(docs, min_count=1000).learned == []


def test_encode_decode_and_unknown_tokens() -> None:
    vocab = Vocabulary.fit([["sol", "luna", "sol"]])
    assert vocab.encode(["luna", "sol", "estrella"]) == [3, 2, UNK]
    assert vocab["estrella"] == UNK and "estrella" not in vocab
    assert vocab.decode([0, 1, 2, 3]) == ["<pad>", "<unk>", "sol", "luna"]
    with pytest.raises(DataError, match=r"id 4 is not in \[0, 4\)"):
        vocab.decode([4])


def test_reserved_tokens_in_the_data_keep_their_ids() -> None:
    vocab = Vocabulary.fit([["<pad>", "x", "<unk>"]])
    assert vocab.tokens == ["<pad>", "<unk>", "x"]


def test_state_round_trips_through_json() -> None:
    vocab = Vocabulary.fit(_corpus(), min_count=2)
    again = Vocabulary.from_state_dict(json.loads(json.dumps(vocab.state_dict())))
    assert again.tokens == vocab.tokens and again.counts == vocab.counts
    docs = _corpus(seed=1)
    assert [again.encode(d) for d in docs] == [vocab.encode(d) for d in docs]
    with pytest.raises(ConfigError, match="vocabulary state"):
        Vocabulary.from_state_dict({"words": []})
    with pytest.raises(ConfigError, match="listed twice"):
        Vocabulary(["a", "a"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_count": 0}, "min_count"),
        ({"max_size": 0}, "max_size"),
        ({"max_size": 2.5}, "max_size"),
    ],
)
def test_bad_limits(kwargs: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Vocabulary.fit([["a"]], **kwargs)
