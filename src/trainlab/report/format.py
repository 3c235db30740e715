"""Numbers as the reports write them: values, intervals, p-values, durations, counts.

Every report of trainlab (run, study, transferability, the study's terminal
table) formats its numbers here, so a value reads the same on every page: a
missing or undefined number is "—" (never "nan"), minus signs in prose are
typographic (U+2212), accuracies stored as fractions are shown in percent and
their differences in percentage points.

Example:
    >>> from trainlab.report.format import Units, p_value, seconds
    >>> acc = Units(scale=100.0, percent=True)
    >>> acc.value(0.9123), acc.ci(-0.004, 0.011, signed=True), p_value(0.0312), seconds(190)
    ('91.2%', '[−0.4, +1.1]', '0.031', '3 min 10 s')
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

#: what a number that cannot be computed (one seed's interval, a missing value) shows as
DASH = "—"


# ---------------------------------------------------------------------------- reading


def number(v: Any) -> float:
    """``v`` as a float; NaN when missing, a bool, text, or not a number.

    Example:
        >>> number(3), number(None), number(True), number("1")
        (3.0, nan, nan, nan)
    """
    x = optional_number(v)
    return math.nan if x is None else x


def optional_number(v: Any) -> float | None:
    """``v`` as a float, or None when it is missing, a bool, text, or not a number.

    Unlike :func:`number`, a NaN that was recorded stays NaN, so a page can tell
    "not recorded" ("—") from "recorded as NaN".

    Example:
        >>> optional_number(None), optional_number(float("nan"))
        (None, nan)
    """
    if v is None or isinstance(v, (bool, str, bytes)):
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def finite(*values: float) -> bool:
    """Whether every value is a finite number."""
    return all(math.isfinite(v) for v in values)


def minus(text: str) -> str:
    """Typographic minus signs (U+2212) in a formatted number."""
    return text.replace("-", "−")


# ---------------------------------------------------------------------------- units


def is_accuracy(metric: str) -> bool:
    """Whether ``metric`` is an accuracy (shown in percent and differences in points)."""
    m = metric.lower()
    return "acc" in m or m in ("gap",) or m.endswith("_gap")


def metric_scale(metric: str, values: Iterable[Any]) -> float:
    """The factor that turns values of ``metric`` into display units.

    Accuracies stored as fractions (all values ≤ 1.5) are shown in percent, so
    their differences read as *points*: the factor is 100. Everything else is
    shown as it is (factor 1).

    Example:
        >>> metric_scale("test_acc", [0.91, 0.93]), metric_scale("test_acc", [91.0])
        (100.0, 1.0)
        >>> metric_scale("test_loss", [0.3])
        1.0
    """
    if not is_accuracy(metric):
        return 1.0
    xs = [abs(number(v)) for v in values]
    xs = [x for x in xs if math.isfinite(x)]
    return 100.0 if not xs or max(xs) <= 1.5 else 1.0


class Units:
    """How values of one quantity are shown: percent and points, or plain numbers.

    Args:
        scale: the factor to display units (100 for accuracies stored as fractions).
        percent: values are accuracies, shown with ``%`` and differences in points.
        unit: what a difference is written with (" points"; "" for plain numbers).
    """

    def __init__(self, *, scale: float, percent: bool, unit: str = "") -> None:
        self.scale = float(scale)
        self.percent = bool(percent)
        self.unit = unit if self.percent else ""

    def decimals(self, *values: float) -> int:
        """1 decimal, or 2 when every value is under half a unit."""
        xs = [abs(v * self.scale) for v in values if math.isfinite(v)]
        return 1 if not xs or max(xs) >= 0.5 else 2

    def num(self, v: float, *, signed: bool = False, decimals: int | None = None) -> str:
        """A value or a difference in display units, without a unit; "—" when not finite."""
        if not math.isfinite(v):
            return DASH
        x = v * self.scale
        sign = "+" if signed else ""
        if self.percent:
            d = self.decimals(v) if decimals is None else decimals
            return minus(f"{x:{sign}.{d}f}")
        return minus(f"{x:{sign}.3g}")

    def value(self, v: float) -> str:
        """A metric value: ``81.2%`` or ``0.312``."""
        if not math.isfinite(v):
            return DASH
        return f"{self.num(v, decimals=1)}%" if self.percent else self.num(v)

    def ci(self, lo: float, hi: float, *, signed: bool = False) -> str:
        """``[80.1, 82.3]``; "" when either end is not finite."""
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return ""
        d = self.decimals(lo, hi) if signed else 1
        a, b = self.num(lo, signed=signed, decimals=d), self.num(hi, signed=signed, decimals=d)
        return f"[{a}, {b}]"


def p_value(p: float) -> str:
    """A p-value for prose: ``< 0.001``, ``0.004``, ``0.047``, ``0.61``; "—" when undefined.

    Two significant digits below 0.1, so that a p-value near the usual levels
    reads as it is (``0.047``, ``0.051``, never a rounded ``0.05``).

    Example:
        >>> p_value(0.0004), p_value(0.0042), p_value(0.0468), p_value(0.03), p_value(0.613)
        ('< 0.001', '0.004', '0.047', '0.03', '0.61')
    """
    if not math.isfinite(p):
        return DASH
    if p < 0.001:
        return "< 0.001"
    if p < 0.01:
        return f"{p:.3f}"
    return f"{p:.2g}" if p < 0.1 else f"{p:.2f}"


def delta(x: float, points: bool) -> str:
    """A signed difference already in display units: ``+1.5``, ``−4.0`` (points) or ``−0.0123``."""
    text = (f"{x:+.1f}" if abs(x) >= 0.05 or x == 0 else f"{x:+.2f}") if points else f"{x:+.3g}"
    return minus(text)


def scaled(v: float, scale: float, percent: bool) -> str:
    """``v × scale`` as ``91.2%`` or ``0.3124``; "—" when not finite."""
    if not math.isfinite(v):
        return DASH
    x = v * scale
    if percent:
        return f"{x:.1f}%"
    return f"{x:.4g}"


def short(name: str, limit: int = 28) -> str:
    """``name`` cut to ``limit`` characters with an ellipsis."""
    return name if len(name) <= limit else name[: limit - 1] + "…"


# ---------------------------------------------------------------------------- run pages


def seconds(v: Any) -> str:
    """A duration: ``12.3 s``, ``3 min 10 s``, ``2 h 05 min``; "—" when unknown."""
    x = optional_number(v)
    if x is None or not math.isfinite(x):
        return DASH
    if x < 59.95:
        return f"{x:.1f} s"
    if x < 3570:
        minutes, secs = divmod(round(x), 60)
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(round(x / 60), 60)
    return f"{hours} h {minutes:02d} min"


def accuracy(v: Any) -> str:
    """An accuracy, as a fraction or in percent already: ``98.12%``."""
    x = optional_number(v)
    if x is None:
        return DASH
    if not math.isfinite(x):
        return "NaN" if math.isnan(x) else str(x)
    return f"{x if x > 1.5 else 100 * x:.2f}%"


def loss(v: Any) -> str:
    """A loss: ``0.0710``, or ``1.234e-05`` for very small or large values."""
    x = optional_number(v)
    if x is None:
        return DASH
    if not math.isfinite(x):
        return "NaN" if math.isnan(x) else ("∞" if x > 0 else "−∞")
    return f"{x:.4f}" if x == 0 or 1e-3 <= abs(x) < 1e4 else f"{x:.3e}"


def learning_rate(v: Any) -> str:
    """A learning rate: ``0.001``."""
    x = optional_number(v)
    return DASH if x is None else f"{x:.3g}"


def gap_points(fraction: float) -> str:
    """A generalization gap given as a fraction, in points: ``+1.9 pts``."""
    return f"{100 * fraction:+.1f} pts"


def count(x: float) -> str:
    """A count with thousands separators, or with decimals when fractional: ``1,234``."""
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"


def as_fraction(v: Any) -> float | None:
    """An accuracy as a fraction (``98.1`` → ``0.981``); None when unknown."""
    x = optional_number(v)
    if x is None or not math.isfinite(x):
        return None
    return x / 100 if x > 1.5 else x


def first_finite(*values: Any) -> float | None:
    """The first value that is a finite number, else None."""
    for v in values:
        x = optional_number(v)
        if x is not None and math.isfinite(x):
            return x
    return None


def summary_value(key: str, v: Any, limit: int = 40) -> str:
    """A value of a data summary or of an ensemble member, by what its key says it is.

    Example:
        >>> summary_value("input_shape", [28, 28]), summary_value("test_loss", 0.0712)
        ('28 × 28', '0.0712')
        >>> summary_value("n", 1000), summary_value("gap", 0.019)
        ('1,000', '+1.9 pts')
    """
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, (list, tuple)):
        if not v:
            return DASH
        if "shape" in key and all(isinstance(i, int) for i in v):
            return " × ".join(str(i) for i in v)
        shown = ", ".join(str(i) for i in v[:limit])
        more = f", … ({len(v) - limit} more)" if len(v) > limit else ""
        return f"{shown}{more}"
    if isinstance(v, Mapping):
        return ", ".join(f"{k}: {summary_value(str(k), i, limit)}" for k, i in v.items())
    x = optional_number(v)
    if x is None:
        return DASH if v is None else str(v)
    k = key.lower()
    if k == "gap" or k.endswith("_gap"):
        return gap_points(x)
    if "acc" in k:
        return accuracy(x)
    if "loss" in k:
        return loss(x)
    if k in ("seconds", "time") or k.endswith("_seconds"):
        return seconds(x)
    if k == "lr" or k.endswith("_lr"):
        return learning_rate(x)
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:.4g}"


# ---------------------------------------------------------------------------- transfer page


def percent_interval(mean: float, lo: float, hi: float) -> str:
    """An accuracy and its interval in percent: ``91.20% [90.10, 92.30]``."""
    if not math.isfinite(mean):
        return DASH
    if not math.isfinite(lo):
        return f"{100 * mean:.2f}%"
    return f"{100 * mean:.2f}% [{100 * lo:.2f}, {100 * hi:.2f}]"


def plain_interval(mean: float, lo: float, hi: float, unit: str = "") -> str:
    """A number and its interval with two decimals: ``0.80× [0.56, 1.03]``."""
    if not math.isfinite(mean):
        return DASH
    lo_hi = f" [{lo:.2f}, {hi:.2f}]" if math.isfinite(lo) else ""
    return f"{mean:.2f}{unit}{lo_hi}"


def points_interval(mean: float, lo: float, hi: float) -> str:
    """A difference of accuracies in points and its interval: ``+1.20 [+0.40, +2.00]``."""
    if not math.isfinite(lo):
        return f"{100 * mean:+.2f}"
    return f"{100 * mean:+.2f} [{100 * lo:+.2f}, {100 * hi:+.2f}]"


def p_plain(p: float) -> str:
    """A p-value with three decimals: ``0.013``; "—" when undefined."""
    return f"{p:.3f}" if math.isfinite(p) else DASH


# ---------------------------------------------------------------------------- terminal table


def table_number(x: float, pct: bool, signed: bool = False) -> str:
    """A number of the terminal table: ``91.00%``, ``+3.33%``, ``1.1``; inf spelled out."""
    if not math.isfinite(x):
        return DASH if math.isnan(x) else ("+inf" if x > 0 else "-inf")
    if pct:
        return f"{x * 100:+.2f}%" if signed else f"{x * 100:.2f}%"
    return f"{x:+.4g}" if signed else f"{x:.4g}"


def table_p(p: float, test: str) -> str:
    """A p-value with its test's tag: ``0.010 (t)``, ``<0.001 (W)``; without a tag when
    ``test`` is "" (an adjusted p-value); "—" when undefined.

    Example:
        >>> table_p(0.0104, "t"), table_p(0.0004, "wilcoxon"), table_p(0.61, "")
        ('0.010 (t)', '<0.001 (W)', '0.610')
    """
    if not math.isfinite(p):
        return DASH
    tag = "" if not test else " (W)" if test == "wilcoxon" else " (t)"
    return f"<0.001{tag}" if p < 0.001 else f"{p:.3f}{tag}"


def table_seconds(s: float) -> str:
    """A duration of the terminal table: ``9.0 s``, ``1.6 min``, ``2.1 h``."""
    if not math.isfinite(s):
        return DASH
    if s < 100:
        return f"{s:.1f} s"
    if s < 6000:
        return f"{s / 60:.1f} min"
    return f"{s / 3600:.1f} h"
