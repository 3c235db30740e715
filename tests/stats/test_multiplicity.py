"""trainlab.stats.multiplicity against statsmodels' multipletests and a hand-computed table."""

from __future__ import annotations

import math

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from trainlab.core.errors import ConfigError
from trainlab.stats.multiplicity import CORRECTIONS, adjust_pvalues

#: our name → statsmodels' method name
ORACLE = {"holm": "holm", "bh": "fdr_bh", "bonferroni": "bonferroni"}


def random_pvalues(seed: int) -> np.ndarray:
    """Uniform p-values, some tiny, some tied, some NaN, some 0 or 1."""
    rng = np.random.default_rng(seed)
    m = int(rng.integers(1, 25))
    p = rng.uniform(0, 1, m) ** rng.choice([1.0, 4.0])
    if m > 3:
        p[rng.integers(0, m, 2)] = p[0]  # ties
        p[rng.integers(0, m)] = np.nan
        p[rng.integers(0, m)] = rng.choice([0.0, 1.0, 0.05])
    return p


@pytest.mark.parametrize("method", sorted(ORACLE))
@pytest.mark.parametrize("seed", range(25))
def test_adjust_pvalues_matches_statsmodels(method: str, seed: int) -> None:
    p = random_pvalues(seed)
    got = adjust_pvalues(p, method)
    finite = ~np.isnan(p)
    assert got.shape == p.shape
    assert np.array_equal(np.isnan(got), ~finite)  # NaN stays NaN, in place
    if finite.any():  # NaN entries do not count in m
        want = multipletests(p[finite], method=ORACLE[method])[1]
        np.testing.assert_allclose(got[finite], want, rtol=1e-12, atol=1e-15)
        assert np.all((got[finite] >= 0) & (got[finite] <= 1))
        assert np.all(got[finite] >= p[finite] - 1e-15)  # never below the raw p-value


def test_ties_get_equal_adjusted_values() -> None:
    p = [0.02, 0.01, 0.02, 0.02, 0.3]
    for method in ("holm", "bh", "bonferroni"):
        got = adjust_pvalues(p, method)
        assert got[0] == got[2] == got[3], method
        # the same numbers in another order give the same adjusted value per entry
        assert adjust_pvalues(p[::-1], method)[::-1].tolist() == got.tolist()


def test_hand_computed_table() -> None:
    """p = (0.01, 0.04, 0.03, 0.005), m = 4, worked by hand.

    Holm, sorted: 4·0.005 = 0.02, 3·0.01 = 0.03, 2·0.03 = 0.06, max(1·0.04, 0.06) = 0.06.
    BH, sorted from the top: 0.04·4/4 = 0.04, min(0.03·4/3, 0.04) = 0.04,
    min(0.01·4/2, 0.04) = 0.02, min(0.005·4/1, 0.02) = 0.02.
    """
    p = [0.01, 0.04, 0.03, 0.005]
    table = {
        "holm": [0.03, 0.06, 0.06, 0.02],
        "bh": [0.02, 0.04, 0.04, 0.02],
        "benjamini-hochberg": [0.02, 0.04, 0.04, 0.02],
        "bonferroni": [0.04, 0.16, 0.12, 0.02],
        "none": p,
    }
    for method, want in table.items():
        np.testing.assert_allclose(adjust_pvalues(p, method), want, rtol=1e-12, err_msg=method)
    # at 0.05 Holm keeps 2 of the 4 effects, Benjamini–Hochberg all 4
    assert int((adjust_pvalues(p) < 0.05).sum()) == 2
    assert int((adjust_pvalues(p, "bh") < 0.05).sum()) == 4
    # the default is Holm
    assert adjust_pvalues(p).tolist() == adjust_pvalues(p, "holm").tolist()


def test_edge_cases() -> None:
    assert adjust_pvalues([]).shape == (0,)
    assert np.isnan(adjust_pvalues([math.nan, math.nan])).all()
    assert adjust_pvalues([0.03]).tolist() == [0.03]  # m = 1: nothing to correct
    assert adjust_pvalues([0.6, 0.7], "bonferroni").tolist() == [1.0, 1.0]  # clipped
    upper = adjust_pvalues((0.01, 0.02), "BH")  # names as the registry reads them
    assert upper.tolist() == adjust_pvalues([0.01, 0.02], "bh").tolist()


def test_registry_and_errors() -> None:
    assert CORRECTIONS.names() == ["bh", "bonferroni", "holm", "none"]
    assert CORRECTIONS.canonical("benjamini-hochberg") == "bh"
    with pytest.raises(ConfigError, match=r"unknown correction 'sidak'.*bh, bonferroni, holm"):
        adjust_pvalues([0.01], "sidak")
    for bad in (-0.1, 1.5, math.inf):
        with pytest.raises(ValueError, match=r"p-value .*\[0, 1\]"):
            adjust_pvalues([0.01, bad])
