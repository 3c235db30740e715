"""Ranks: trained variants by mean (ties share), diverging ones after, in both directions."""

import math

from trainlab.stats.ranking import ranks

NAN = math.nan


def test_ties_share_a_rank_and_the_next_rank_skips():
    assert ranks([0.9, 0.95, 0.95, 0.8], [False] * 4, higher_is_better=True) == [3, 1, 1, 4]


def test_a_diverging_variant_ranks_after_every_variant_that_trained_whatever_its_mean():
    got = ranks([0.99, 0.5, 0.6, NAN], [True, False, False, True], higher_is_better=True)
    assert got == [3, 2, 1, 4]


def test_lower_is_better_reverses_the_order_but_not_divergence():
    assert ranks([0.3, 0.2, 0.1], [False, False, True], higher_is_better=False) == [2, 1, 3]


def test_a_variant_without_results_that_did_not_diverge_has_no_rank():
    assert ranks([NAN, 0.5], [False, False], higher_is_better=True) == [None, 1]
