"""Multiple comparisons: p-values adjusted for a family of tests.

A study compares several variants at once; at level α each comparison alone
is wrong with probability α when there is no effect, so a study of ``m``
comparisons finds a false effect far more often than α. The adjusted p-values
below are compared with α directly (reject where ``p_adjusted < α``). With
the ``m`` raw p-values sorted, ``p₍₁₎ ≤ … ≤ p₍ₘ₎``:

- **Holm** (Holm, 1979, "A simple sequentially rejective multiple test
  procedure", *Scand. J. Statist.* 6): ``p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1)·p₍ⱼ₎)``.
  It bounds the family-wise error rate (the chance of any false effect) by α
  under any dependence, and is never less powerful than Bonferroni: the
  default.
- **Benjamini–Hochberg** (Benjamini & Hochberg, 1995, "Controlling the false
  discovery rate", *J. R. Statist. Soc. B* 57): ``p̃₍ᵢ₎ = min_{j ≥ i} min(1, m·p₍ⱼ₎/j)``.
  It bounds the expected share of false effects among those found (the false
  discovery rate) by α, for independent or positively dependent tests: more
  effects found, weaker guarantee.
- **Bonferroni**: ``p̃ᵢ = min(1, m·pᵢ)``, the union bound, kept for comparison.
- **none**: the raw p-values.

NaN p-values (a comparison without a test) stay NaN and do not count in ``m``;
the order of the input is kept. Tied p-values get equal adjusted values.

Example:
    >>> from trainlab.stats.multiplicity import adjust_pvalues
    >>> p = [0.01, 0.04, 0.03, 0.005]
    >>> [round(float(x), 4) for x in adjust_pvalues(p)]  # Holm
    [0.03, 0.06, 0.06, 0.02]
    >>> [round(float(x), 4) for x in adjust_pvalues(p, "bh")]
    [0.02, 0.04, 0.04, 0.02]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from trainlab.core.registry import Registry

#: the correction :func:`adjust_pvalues` applies unless told otherwise
DEFAULT_CORRECTION = "holm"


def holm(p: np.ndarray) -> np.ndarray:
    """Holm's step-down adjusted p-values of finite ``p`` (any order, order kept).

    Example:
        >>> import numpy as np
        >>> holm(np.array([0.04, 0.01])).tolist()
        [0.04, 0.02]
    """
    m = p.size
    order = np.argsort(p, kind="stable")
    steps = np.minimum(1.0, (m - np.arange(m)) * p[order])
    return _unsort(np.maximum.accumulate(steps), order)


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg's step-up adjusted p-values of finite ``p`` (order kept).

    Example:
        >>> import numpy as np
        >>> benjamini_hochberg(np.array([0.04, 0.01])).tolist()
        [0.04, 0.02]
    """
    m = p.size
    order = np.argsort(p, kind="stable")
    steps = np.minimum(1.0, m * p[order] / np.arange(1, m + 1))
    return _unsort(np.minimum.accumulate(steps[::-1])[::-1], order)


def bonferroni(p: np.ndarray) -> np.ndarray:
    """Bonferroni's adjusted p-values ``min(1, m·p)`` of finite ``p``.

    Example:
        >>> import numpy as np
        >>> bonferroni(np.array([0.04, 0.01])).tolist()
        [0.08, 0.02]
    """
    return np.minimum(1.0, p.size * p)


def no_correction(p: np.ndarray) -> np.ndarray:
    """The raw p-values, unchanged (a copy).

    Example:
        >>> import numpy as np
        >>> no_correction(np.array([0.04, 0.01])).tolist()
        [0.04, 0.01]
    """
    return p.copy()


def _unsort(sorted_values: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Values given in ``order``'s sorted positions, back in the input's order."""
    out = np.empty_like(sorted_values)
    out[order] = sorted_values
    return out


#: correction name → the function adjusting an array of finite p-values
CORRECTIONS: Registry[Callable[[np.ndarray], np.ndarray]] = Registry(
    "correction",
    {
        "holm": holm,
        "bh": benjamini_hochberg,
        "bonferroni": bonferroni,
        "none": no_correction,
    },
    aliases={"benjamini-hochberg": "bh"},
)


def adjust_pvalues(p: Sequence[float], method: str = DEFAULT_CORRECTION) -> np.ndarray:
    """The p-values adjusted for the family they form, by ``method``.

    Args:
        p: the raw p-values, each in [0, 1] or NaN (no test); NaN ones stay NaN
            and do not count in the family's size ``m``.
        method: a name of :data:`CORRECTIONS`: ``"holm"`` (default), ``"bh"``
            (alias ``"benjamini-hochberg"``), ``"bonferroni"`` or ``"none"``.

    Returns:
        A float array as long as ``p``, in its order, each value in [0, 1] or NaN.

    Raises:
        ConfigError: ``method`` is not a known correction.
        ValueError: a p-value is neither NaN nor in [0, 1].

    Example:
        >>> [round(float(x), 4) for x in adjust_pvalues([0.02, float("nan"), 0.03])]
        [0.04, nan, 0.04]
        >>> adjust_pvalues([0.02, 0.03], "bonferroni").round(4).tolist()
        [0.04, 0.06]
    """
    adjust = CORRECTIONS.get(method)
    values = np.asarray(p, dtype=float).reshape(-1)
    finite = ~np.isnan(values)
    bad = values[finite & ~((values >= 0.0) & (values <= 1.0))]
    if bad.size:
        raise ValueError(f"p-value {float(bad[0])!r}: expected a number in [0, 1] or NaN")
    out = np.full(values.shape, np.nan)
    if finite.any():
        out[finite] = np.clip(adjust(values[finite]), 0.0, 1.0)
    return out
