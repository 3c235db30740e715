"""Every sentence the diagnosis shows a user, keyed by message id, in English and Spanish.

The verdict names, the messages with their numbers, the rules in words, the
remedies and the layer-probe findings live in
:mod:`trainlab.engine.diagnose.messages_en` (English) and
:mod:`trainlab.engine.diagnose.messages_es` (Spanish, with the lecture's terms:
*sobreajuste*, *subajuste*, *paro temprano*, …) and nowhere else, so that the
rules of :mod:`trainlab.engine.diagnose.rules` and
:mod:`trainlab.engine.diagnose.findings` never hold a word. A message is a
:meth:`str.format` template; its fields are numbers (formatted by the
template's own spec, e.g. ``{gl:.0%}``), text already formatted by the
functions below (``loss``, ``pct``, ``pts``), or a :class:`Said` (a message of
its own, worded in the same language). A rule says a :class:`Said`, so a
report can word the same diagnosis in either language later.

Example:
    >>> from trainlab.engine.diagnose.messages import Said, text
    >>> text("remedy.dropout")
    'Dropout (`model.dropout`, e.g. 0.5)'
    >>> text("remedy.dropout", "es")
    'Deserción (dropout) (`model.dropout`, p. ej. 0.5)'
    >>> final = Said("acc.final")
    >>> Said("rule.underfitting.low_train_acc", {"kind": final, "acc": "80.0%"}).render("es")
    'exactitud de entrenamiento (pesos finales) por debajo de 80.0%'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from trainlab.core.errors import ConfigError
from trainlab.engine.diagnose.messages_en import MESSAGES, VERDICT_NAMES

__all__ = [
    "LANGS",
    "MESSAGES",
    "VERDICT_NAMES",
    "Count",
    "Lang",
    "Said",
    "check_lang",
    "loss",
    "pct",
    "points",
    "pts",
    "r2",
    "said",
    "text",
    "value",
    "verdict_name",
]

#: a language of the reports
Lang = Literal["en", "es"]

#: the languages of the reports, the default first
LANGS: tuple[str, ...] = get_args(Lang)


def check_lang(lang: str) -> Lang:
    """``lang`` as a :data:`Lang`, or a one-line :class:`~trainlab.core.errors.ConfigError`.

    Example:
        >>> check_lang("es")
        'es'
    """
    if lang not in LANGS:
        raise ConfigError(f"--lang {lang!r}: expected one of {', '.join(LANGS)}")
    return lang  # type: ignore[return-value]


def _tables(lang: str) -> tuple[Mapping[str, str], Mapping[str, str]]:
    """The messages and the verdict names of ``lang``."""
    if lang == "en":
        return MESSAGES, VERDICT_NAMES
    if lang == "es":
        from trainlab.engine.diagnose.messages_es import MESSAGES_ES, VERDICT_NAMES_ES

        return MESSAGES_ES, VERDICT_NAMES_ES
    raise KeyError(f"no messages in {lang!r}: expected one of {', '.join(LANGS)}")


def text(message_id: str, lang: Lang = "en", /, **fields: Any) -> str:
    """The message ``message_id`` in ``lang`` with its ``fields`` filled in.

    Args:
        message_id: a key of :data:`MESSAGES`.
        lang: the language.
        fields: the template's fields; a :class:`Said` is worded in ``lang`` too.

    Returns:
        The sentence.

    Raises:
        KeyError: no message has that id in ``lang``, or a field is missing.

    Example:
        >>> text("good_fit.train_acc", acc=pct(0.97), kind=Said("acc.final"))
        'training accuracy (final weights) reached 97.0%'
    """
    table = _tables(lang)[0]
    if message_id not in table:
        raise KeyError(f"message {message_id!r} has no {lang!r} text")
    worded = {k: _worded(v, lang) for k, v in fields.items()}
    return table[message_id].format(**worded)


def _worded(value: Any, lang: Lang) -> Any:
    """A field as a template shows it: a message worded, a count that can agree with its noun."""
    if isinstance(value, Said):
        return value.render(lang)
    if isinstance(value, int) and not isinstance(value, bool):
        return Count(value)
    return value


#: Python's format-spec mini-language: a spec that matches is a number format, not words
_NUMBER_SPEC = re.compile(r"(.?[<>=^])?[+\- ]?z?#?0?\d*[,_]?(\.\d+)?[bcdeEfFgGnosxX%]?")


class Count(int):
    """An integer that a template can word with its noun: ``{k:epoch|epochs}``.

    The spec ``singular|plural`` picks by the number (1: singular) and puts the
    number in front, or where ``#`` stands (a spec with ``#`` shows the number nowhere else,
    so a singular may leave it out); a number format (``{k:d}``) works as
    for any integer.

    Example:
        >>> "{k:epoch|epochs}; {k:the last epoch|the last # epochs}".format(k=Count(1))
        '1 epoch; the last epoch'
        >>> "{k:la última época|las últimas # épocas}".format(k=Count(3))
        'las últimas 3 épocas'
    """

    def __format__(self, spec: str) -> str:
        if "|" not in spec or _NUMBER_SPEC.fullmatch(spec):
            return int.__format__(int(self), spec)
        one, many = spec.split("|", 1)
        words = one if int(self) == 1 else many
        return words.replace("#", str(int(self))) if "#" in spec else f"{int(self)} {words}"


@dataclass(frozen=True)
class Said:
    """A message by id with its fields, worded when shown, in the language asked for.

    Args:
        id: a key of :data:`MESSAGES`.
        fields: the template's fields (numbers, text, or a nested :class:`Said`).

    Example:
        >>> reached = Said("good_fit.train_acc", {"acc": "97.0%", "kind": Said("acc.final")})
        >>> s = Said("good_fit.one", {"first": reached})
        >>> s.render()
        'training accuracy (final weights) reached 97.0%: a good fit.'
        >>> s.render("es")
        'la exactitud de entrenamiento (pesos finales) llegó a 97.0%: un buen ajuste.'
        >>> Said.from_dict(s.to_dict()) == s
        True
    """

    id: str
    fields: Mapping[str, Any] = field(default_factory=dict)

    def render(self, lang: Lang = "en") -> str:
        """The sentence in ``lang``."""
        return text(self.id, lang, **self.fields)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serializable copy (nested messages as dicts)."""
        return {
            "id": self.id,
            "fields": {
                k: v.to_dict() if isinstance(v, Said) else v for k, v in self.fields.items()
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Said:
        """The message :meth:`to_dict` wrote."""
        fields = {
            k: cls.from_dict(v) if isinstance(v, Mapping) else v
            for k, v in dict(data["fields"]).items()
        }
        return cls(str(data["id"]), fields)


def said(message_id: str, **fields: Any) -> Said:
    """The message ``message_id`` with its fields, to be worded later (see :class:`Said`).

    Example:
        >>> said("remedy.l2").render()
        'An L2 weight penalty (`regularization.l2`, e.g. 1e-4)'
    """
    return Said(message_id, fields)


def verdict_name(verdict: str, lang: Lang = "en") -> str:
    """The name shown for a verdict.

    Example:
        >>> verdict_name("good fit"), verdict_name("overfitting", "es")
        ('good fit', 'sobreajuste')
    """
    return _tables(lang)[1][verdict]


def loss(x: float) -> str:
    """A loss with three significant digits.

    Example:
        >>> loss(0.123456)
        '0.123'
    """
    return f"{x:.3g}"


def pct(x: float) -> str:
    """A fraction as a percentage with one decimal.

    Example:
        >>> pct(0.9512)
        '95.1%'
    """
    return f"{100 * x:.1f}%"


def pts(x: float) -> str:
    """A difference of accuracies in percentage points, without a trailing ``.0``.

    Example:
        >>> pts(0.05), pts(-0.086), pts(-0.0001)
        ('5', '−8.6', '0')
    """
    text_ = f"{100 * x:.1f}".removesuffix(".0")
    return "0" if text_ == "-0" else text_.replace("-", "−")


def r2(x: float) -> str:
    """An R² (or a difference of R²) with three significant digits and a typographic minus.

    Example:
        >>> r2(0.73098), r2(0.05), r2(-0.1204), r2(-0.0)
        ('0.731', '0.05', '−0.12', '0')
    """
    text_ = f"{x:.3g}"
    return "0" if text_ == "-0" else text_.replace("-", "−")


def value(x: float) -> str:
    """A value of a regression metric (RMSE, MAE) in the target's units, four significant digits.

    Example:
        >>> value(55.199366), value(0.012345), value(1234.5)
        ('55.2', '0.01235', '1234')
    """
    return f"{x:.4g}".replace("-", "−")


def points(x: float) -> str:
    """:func:`pts` with its unit, ``point`` or ``points``.

    Example:
        >>> points(0.01), points(0.025)
        ('1 point', '2.5 points')
    """
    n = pts(x)
    return f"{n} point" + ("" if n in ("1", "−1") else "s")
