"""Alpha spending: looking at a study's results several times without inflating α.

A study that adds seeds until its comparisons are clear looks at its p-values
more than once; testing every look at level α finds a false effect far more
often than α. An **alpha-spending function** ``α(t)`` (Lan & DeMets, 1983,
"Discrete sequential boundaries for clinical trials", *Biometrika* 70) says
how much of α may be spent by the information fraction ``t ∈ [0, 1]`` (here
the share of the planned seeds finished): ``α(0) = 0``, ``α(1) = α``,
non-decreasing. With ``z = Φ⁻¹(1 − α/2)``:

- **O'Brien–Fleming type** (after O'Brien & Fleming, 1979):
  ``α(t) = 2 − 2Φ(z/√t)``. It spends almost nothing early: the first looks
  stop only for overwhelming effects, the last is tested at nearly α. The default.
- **Pocock type** (after Pocock, 1977): ``α(t) = α · ln(1 + (e − 1)·t)``,
  spread about evenly over the looks.

:func:`look_levels` gives the increments ``α(t_k) − α(t_{k−1})``. Testing look
``k`` at its increment (Holm within a look) bounds the family-wise error over
all looks by their sum, ``α(t_last) ≤ α``, through the union bound
(Bonferroni over looks): valid under any dependence between the looks, and
conservative, since the exact Lan–DeMets boundaries would use that
dependence to test each look at a little more.

Example:
    >>> from trainlab.stats.sequential import look_levels, spent_alpha
    >>> round(spent_alpha(0.5, 0.05), 5), spent_alpha(1.0, 0.05)
    (0.00557, 0.05)
    >>> [round(x, 4) for x in look_levels([1 / 3, 2 / 3, 1.0], 0.05)]
    [0.0007, 0.0157, 0.0336]
    >>> [round(x, 4) for x in look_levels([1 / 3, 2 / 3, 1.0], 0.05, "pocock")]
    [0.0226, 0.0155, 0.0118]
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence

from trainlab.core.errors import ConfigError
from trainlab.core.registry import Registry

#: the spending function used unless told otherwise
DEFAULT_SPENDING = "obrien-fleming"


def obrien_fleming(t: float, alpha: float) -> float:
    """O'Brien–Fleming-type spending ``2 − 2Φ(Φ⁻¹(1 − α/2)/√t)`` (0 at ``t = 0``).

    Example:
        >>> round(obrien_fleming(0.25, 0.05), 6), obrien_fleming(1.0, 0.05)
        (8.9e-05, 0.05)
    """
    if t <= 0:
        return 0.0
    from scipy import special

    z = float(special.ndtri(1 - alpha / 2))
    return float(min(alpha, 2 * special.ndtr(-z / math.sqrt(t))))  # 2Φ(−x) = 2 − 2Φ(x)


def pocock(t: float, alpha: float) -> float:
    """Pocock-type spending ``α · ln(1 + (e − 1)·t)``.

    Example:
        >>> round(pocock(0.5, 0.05), 5), pocock(1.0, 0.05)
        (0.03101, 0.05)
    """
    return min(alpha, alpha * math.log1p((math.e - 1) * t))


#: spending-function name → ``α(t)`` as a function of (t, alpha)
SPENDING: Registry[Callable[[float, float], float]] = Registry(
    "alpha spending",
    {"obrien-fleming": obrien_fleming, "pocock": pocock},
)


def _check_alpha(alpha: float) -> float:
    a = float(alpha)
    if not 0.0 < a < 1.0:
        raise ConfigError(f"alpha: expected a number in (0, 1), got {alpha!r}")
    return a


def _check_fraction(fraction: float) -> float:
    t = float(fraction)
    if not 0.0 <= t <= 1.0:  # NaN fails too
        raise ConfigError(f"information fraction: expected a number in [0, 1], got {fraction!r}")
    return t


def spent_alpha(fraction: float, alpha: float = 0.05, kind: str = DEFAULT_SPENDING) -> float:
    """The α spent by information fraction ``fraction``: ``α(t)`` of spending function ``kind``.

    Args:
        fraction: the share ``t`` of the planned information (seeds) seen, in [0, 1].
        alpha: the level of the whole sequence of looks, in (0, 1).
        kind: a name of :data:`SPENDING`: ``"obrien-fleming"`` (default) or ``"pocock"``.

    Returns:
        ``α(t)``, in [0, alpha]: 0 at ``t = 0``, ``alpha`` at ``t = 1``.

    Raises:
        ConfigError: an unknown ``kind``, ``alpha`` not in (0, 1), or
            ``fraction`` not in [0, 1].

    Example:
        >>> spent_alpha(0.0, 0.05), round(spent_alpha(0.5, 0.05, "pocock"), 4)
        (0.0, 0.031)
    """
    spend = SPENDING.get(kind)
    return spend(_check_fraction(fraction), _check_alpha(alpha))


def look_levels(
    fractions: Sequence[float], alpha: float = 0.05, kind: str = DEFAULT_SPENDING
) -> list[float]:
    """The level each look is tested at: ``α(t_k) − α(t_{k−1})``, with ``α(t_0) = 0``.

    Their sum is ``α(t_last)``, at most ``alpha`` (exactly ``alpha`` when the
    last fraction is 1), so testing each look at its level keeps the chance of
    any false effect over all looks within ``alpha`` (the union bound).

    Args:
        fractions: the looks' information fractions, increasing, in (0, 1].
        alpha: the level of the whole sequence, in (0, 1).
        kind: a name of :data:`SPENDING`.

    Returns:
        One level per look, each ≥ 0.

    Raises:
        ConfigError: an unknown ``kind``, ``alpha`` not in (0, 1), no
            fractions, or fractions not increasing within (0, 1].

    Example:
        >>> levels = look_levels([0.5, 1.0], 0.05)
        >>> [round(x, 5) for x in levels], round(sum(levels), 12)
        ([0.00557, 0.04443], 0.05)
    """
    ts = [_check_fraction(t) for t in fractions]
    if not ts or ts[0] <= 0 or any(b <= a for a, b in itertools.pairwise(ts)):
        raise ConfigError(
            f"look fractions {list(fractions)!r}: expected increasing numbers in (0, 1]"
        )
    spent = [spent_alpha(t, alpha, kind) for t in ts]
    return [max(0.0, b - a) for a, b in zip([0.0, *spent], spent, strict=False)]
