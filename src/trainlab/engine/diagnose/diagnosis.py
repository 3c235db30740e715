"""The result of a learning-curve diagnosis: a verdict, where it starts, why, what to try,
and warnings about a budget too small to judge.

Example:
    >>> from trainlab.engine.diagnose.diagnosis import VERDICTS, Diagnosis
    >>> VERDICTS[0], Diagnosis("diverged", 2, "Loss became NaN.").remedies
    ('diverged', [])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from trainlab.engine.diagnose.messages import Lang, Said, verdict_name

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
            names the recipe key to change in backticks (and, when the recipe
            was known, what to change it to).
        details: the numbers behind the verdict (JSON-serializable; ``None``
            where unknown), with ``reason`` (a short code) and ``rule`` (the
            rule that fired, in words).
        said: ``message`` by message id, to be worded in any language (None:
            only the English ``message`` is known).
        rule_said: the rule that fired, by message id (None: unknown).
        remedy_said: ``remedies`` by message id, in order (empty: only the
            English ``remedies`` are known).
        warnings: sentences about a run too short to judge (too few optimizer
            steps, chance-level accuracy), each with what to change.
        warning_said: ``warnings`` by message id.

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
    said: Said | None = None
    rule_said: Said | None = None
    remedy_said: tuple[Said, ...] = ()
    warnings: list[str] = field(default_factory=list)
    warning_said: tuple[Said, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serializable copy, e.g. for a study's store (:meth:`from_dict` reads it)."""
        return {
            "verdict": self.verdict,
            "epoch": self.epoch,
            "message": self.message,
            "remedies": list(self.remedies),
            "details": dict(self.details),
            "said": None if self.said is None else self.said.to_dict(),
            "rule_said": None if self.rule_said is None else self.rule_said.to_dict(),
            "remedy_said": [r.to_dict() for r in self.remedy_said],
            "warnings": list(self.warnings),
            "warning_said": [w.to_dict() for w in self.warning_said],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Diagnosis:
        """The diagnosis :meth:`to_dict` wrote (one written before message ids: English only;
        one written with ``remedy_ids``, before the remedies knew the recipe, in any language).

        Example:
            >>> from trainlab.engine.diagnose import diagnose
            >>> d = diagnose([{"epoch": 1, "train_loss": 0.5}])
            >>> Diagnosis.from_dict(d.to_dict()) == d
            True
        """
        said, rule = data.get("said"), data.get("rule_said")
        if "remedy_said" in data:
            remedy_said = tuple(Said.from_dict(r) for r in data["remedy_said"])
        else:
            remedy_said = tuple(Said(str(r)) for r in data.get("remedy_ids", ()))
        return cls(
            verdict=str(data["verdict"]),
            epoch=data.get("epoch"),
            message=str(data.get("message", "")),
            remedies=[str(r) for r in data.get("remedies", ())],
            details=dict(data.get("details") or {}),
            said=None if said is None else Said.from_dict(said),
            rule_said=None if rule is None else Said.from_dict(rule),
            remedy_said=remedy_said,
            warnings=[str(w) for w in data.get("warnings", ())],
            warning_said=tuple(Said.from_dict(w) for w in data.get("warning_said", ())),
        )

    def verdict_in(self, lang: Lang) -> str:
        """The verdict's name in ``lang`` (the verdict itself in English)."""
        return self.verdict if lang == "en" else verdict_name(self.verdict, lang)

    def message_in(self, lang: Lang) -> str:
        """The message in ``lang``; ``message`` where it is not known by id."""
        return self.message if self.said is None else self.said.render(lang)

    def remedies_in(self, lang: Lang) -> list[str]:
        """The remedies in ``lang``; ``remedies`` where they are not known by id."""
        if len(self.remedy_said) != len(self.remedies):
            return list(self.remedies)
        return [r.render(lang) for r in self.remedy_said]

    def warnings_in(self, lang: Lang) -> list[str]:
        """The budget warnings in ``lang``; ``warnings`` where they are not known by id.

        Example:
            >>> Diagnosis("good fit", 3, "Fine.").warnings_in("es")
            []
        """
        if len(self.warning_said) != len(self.warnings):
            return list(self.warnings)
        return [w.render(lang) for w in self.warning_said]

    def rule_in(self, lang: Lang) -> str:
        """The rule that fired, in words, in ``lang`` ("" where unknown).

        Example:
            >>> from trainlab.engine.diagnose import diagnose
            >>> d = diagnose([{"epoch": 1, "train_loss": 0.5}])
            >>> d.verdict_in("es"), d.rule_in("es")
            ('subajuste', 'una sola época')
        """
        if self.rule_said is not None:
            return self.rule_said.render(lang)
        return str(self.details.get("rule", ""))
