"""The text augmentation contract: per-sample seeds, replay, p, rate rounding."""

from __future__ import annotations

import numpy as np
import pytest

from trainlab.augment.text._base import TextAugmentation, check_rate, n_changes
from trainlab.augment.text.draws import TextDraws


class Tag(TextAugmentation):
    """Appends one draw of its own generator."""

    def augment(self, text, rng):
        return f"{text}:{int(rng.integers(1000))}"


def test_sample_i_uses_only_its_own_seed():
    texts = ["a", "b", "c"]
    params = Tag().sample_params(texts, np.random.default_rng(0))
    out = Tag().apply(texts, params)
    expected = [f"{t}:{TextDraws(int(s)).integers(1000)}" for t, s in
                zip(texts, params["seed"], strict=True)]  # fmt: skip
    assert out == expected


def test_p_is_the_fraction_of_texts_changed():
    texts = ["x"] * 4000
    out = Tag(p=0.3)(texts, np.random.default_rng(0))
    changed = sum(t != "x" for t in out) / len(texts)
    assert abs(changed - 0.3) < 0.03  # 4 standard deviations of a binomial(4000, 0.3)


def test_the_same_generator_state_gives_the_same_draw():
    a = Tag()(["a", "b"], np.random.default_rng(5))
    b = Tag()(["a", "b"], np.random.default_rng(5))
    c = Tag()(["a", "b"], np.random.default_rng(6))
    assert a == b and a != c


def test_n_changes_rounds_and_keeps_at_least_one():
    assert [n_changes(n, 0.1) for n in (0, 1, 4, 5, 14, 15, 100)] == [0, 1, 1, 1, 1, 2, 10]
    assert n_changes(3, 1.0) == 3 and n_changes(3, 0.0) == 0


def test_bad_rate_and_p_name_the_argument():
    with pytest.raises(ValueError, match=r"^rate: expected a fraction in \[0, 1\], got 1.5$"):
        check_rate("rate", 1.5)
    with pytest.raises(ValueError, match=r"^p: "):
        Tag(p=-0.1)
