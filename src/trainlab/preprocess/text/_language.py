"""Language names: ISO 639-1 codes (``en``, ``es``) or English names (``english``).

The stop-word lists and the stemmers are named by English language names; a
code is read as its name, so ``language="es"`` and ``language="spanish"`` are
the same everywhere.

Example:
    >>> resolve_language("ES", ("english", "spanish"), "stemmer")
    'spanish'
"""

from __future__ import annotations

from collections.abc import Iterable

from trainlab.core.errors import ConfigError

#: ISO 639-1 code → the English name the stop-word lists and stemmers use
CODES: dict[str, str] = {
    "ar": "arabic", "bg": "bulgarian", "ca": "catalan", "cs": "czech", "da": "danish",
    "de": "german", "el": "greek", "en": "english", "eo": "esperanto", "es": "spanish",
    "et": "estonian", "eu": "basque", "fa": "persian", "fi": "finnish", "fr": "french",
    "ga": "irish", "gu": "gujarati", "he": "hebrew", "hi": "hindi", "hu": "hungarian",
    "hy": "armenian", "id": "indonesian", "it": "italian", "ja": "japanese", "ko": "korean",
    "lt": "lithuanian", "ms": "malaysian", "nb": "norwegian", "ne": "nepali", "nl": "dutch",
    "no": "norwegian", "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian",
    "sk": "slovak", "sr": "serbian", "st": "sesotho", "sv": "swedish", "ta": "tamil",
    "tr": "turkish", "uk": "ukrainian", "vi": "vietnamese", "yi": "yiddish", "zh": "chinese",
}  # fmt: skip


def resolve_language(language: str, supported: Iterable[str], what: str) -> str:
    """The supported English name for ``language`` (a code or a name), else a ConfigError.

    Args:
        language: ``en``, ``english``, ``Spanish``, …
        supported: the names there are (for ``what``).
        what: what needs the language, for the message ("stemmer", "stop-word list").
    """
    names = sorted(set(supported))
    key = language.strip().lower() if isinstance(language, str) else language
    key = CODES.get(key, key)
    if key not in names:
        raise ConfigError(
            f"language: no {what} for {language!r}; expected one of: {', '.join(names)} "
            "(or their two-letter codes, e.g. en, es)"
        )
    return key
