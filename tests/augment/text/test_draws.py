"""TextDraws: SplitMix64 as published, uniform draws, distinct choices, replay."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from trainlab.augment.text.draws import TextDraws, mix


def test_the_stream_is_splitmix64():
    # the reference implementation's first outputs from seed 0 and seed 1234567
    # (Vigna's splitmix64.c, the generator Java's SplittableRandom uses)
    d = TextDraws(0)
    assert [d.next64() for _ in range(3)] == [
        0xE220A8397B1DCDAF,
        0x6E789E6AA1B965F4,
        0x06C45D188009454F,
    ]
    d = TextDraws(1234567)
    assert [d.next64() for _ in range(2)] == [6457827717110365317, 3203168211198807973]


def test_integers_and_random_are_uniform():
    d = TextDraws(7)
    counts = np.bincount([d.integers(10) for _ in range(20000)], minlength=10)
    assert stats.chisquare(counts).pvalue > 1e-3
    assert {d.integers(3, 5) for _ in range(200)} == {3, 4}
    u = np.array([d.random() for _ in range(20000)])
    assert u.min() >= 0 and u.max() < 1
    assert stats.kstest(u, "uniform").pvalue > 1e-3
    with pytest.raises(ValueError, match="high must exceed low"):
        d.integers(0)


def test_choice_takes_distinct_places_each_equally_likely():
    d = TextDraws(3)
    firsts = []
    for _ in range(5000):
        picked = d.choice(8, size=3, replace=False)
        assert len(set(picked)) == 3 and all(0 <= i < 8 for i in picked)
        firsts.extend(picked)
    assert stats.chisquare(np.bincount(firsts, minlength=8)).pvalue > 1e-3
    assert sorted(d.choice(5, size=5)) == [0, 1, 2, 3, 4] and d.choice(5, size=0) == []
    with pytest.raises(ValueError, match="cannot take 6 of 5"):
        d.choice(5, size=6)
    with pytest.raises(ValueError, match="replace=False"):
        d.choice(5, size=2, replace=True)


def test_the_same_seed_replays_and_keys_hash_in_order():
    a, b = TextDraws(99), TextDraws(99)
    assert [a.next64() for _ in range(5)] == [b.next64() for _ in range(5)]
    assert TextDraws(2**64 + 5).next64() == TextDraws(5).next64()  # modulo 2⁶⁴
    keys = {mix(s, e, i) for s in range(3) for e in range(3) for i in range(50)}
    assert len(keys) == 450 and mix(1, 2) != mix(2, 1)
