"""Stop-word lists (English, Spanish and more) from the ``stop-words`` package.

The lists are the package's own (English has about 1,300 words, Spanish about
650), lowercase and with their accents; the text pipeline passes each through
its own tokenizer options, so a list still matches text whose accents were
stripped.

Example:
    >>> "the" in stop_words("en"), "pero" in stop_words("spanish")
    (True, True)
"""

from __future__ import annotations

from functools import cache

from trainlab.core.errors import ConfigError
from trainlab.preprocess.text._language import resolve_language


def _package():
    try:
        import stop_words as package
    except ImportError:  # pragma: no cover - stop-words is in the text extra
        raise ConfigError(
            "stop words need the stop-words package; install it with pip install 'trainlab[text]'"
        ) from None
    return package


def stop_word_languages() -> list[str]:
    """The languages with a stop-word list (English names; codes are accepted too).

    Example:
        >>> {"english", "spanish"} <= set(stop_word_languages())
        True
    """
    return sorted(_package().AVAILABLE_LANGUAGES)


@cache
def stop_words(language: str) -> frozenset[str]:
    """The stop words of ``language`` (``en``, ``english``, ``es``, ``spanish``, …).

    Raises:
        ConfigError: the language has no list (the message lists those that have one).

    Example:
        >>> sorted(w for w in stop_words("es") if w.startswith("aqu"))
        ['aquel', 'aquellas', 'aquellos', 'aqui', 'aquí']
    """
    name = resolve_language(language, stop_word_languages(), "stop-word list")
    return frozenset(w.strip().lower() for w in _package().get_stop_words(name) if w.strip())
