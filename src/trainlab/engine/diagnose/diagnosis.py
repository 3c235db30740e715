"""The result of a learning-curve diagnosis: a verdict, where it starts, why, and what to try.

Example:
    >>> from trainlab.engine.diagnose.diagnosis import VERDICTS, Diagnosis
    >>> VERDICTS[0], Diagnosis("diverged", 2, "Loss became NaN.").remedies
    ('diverged', [])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: the verdicts :func:`~trainlab.engine.diagnose.diagnose` can give, from worst to best
VERDICTS = ("diverged", "unstable", "overfitting", "underfitting", "good fit")


@dataclass(frozen=True)
class Diagnosis:
    """The verdict on one training history.

    Args:
        verdict: one of :data:`VERDICTS`.
        epoch: where the problem starts (the epoch of the lowest validation
            loss for overfitting, the first bad epoch for diverged and
            unstable), the best epoch for a good fit, ``None`` for underfitting
            or when unknown.
        message: one or two plain-English sentences, with the numbers.
        remedies: strategies that address the verdict, each a short phrase that
            names the recipe key to change in backticks.
        details: the numbers behind the verdict (JSON-serializable; ``None``
            where unknown), with ``reason`` (a short code) and ``rule`` (the
            rule that fired, in words).

    Example:
        >>> d = Diagnosis("good fit", 3, "Fine.", [], {"reason": "good_fit"})
        >>> d.to_dict()["verdict"]
        'good fit'
    """

    verdict: str
    epoch: int | None
    message: str
    remedies: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serializable copy, e.g. for ``metrics.json``."""
        return {
            "verdict": self.verdict,
            "epoch": self.epoch,
            "message": self.message,
            "remedies": list(self.remedies),
            "details": dict(self.details),
        }
