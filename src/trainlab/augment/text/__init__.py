"""Text augmentation on lists of strings (see ``_base`` for the contract).

Letters (``characters``: insert, substitute, delete, swap), keyboard typos of
real layouts (``keyboard``), words (``words``: EDA's swap, delete, insert),
misspellings from a list (``misspellings``), WordNet synonyms (``wordnet``,
``synonyms``) and back-translation through a translation engine
(``translation``); ``registry`` names them all.
"""

from trainlab.augment.text._base import TextAugmentation
from trainlab.augment.text.registry import TEXT_AUGMENTATIONS
from trainlab.augment.text.translation import (
    ApertiumTranslator,
    CachedTranslator,
    TranslationCache,
    Translator,
)

__all__ = [
    "TEXT_AUGMENTATIONS",
    "ApertiumTranslator",
    "CachedTranslator",
    "TextAugmentation",
    "TranslationCache",
    "Translator",
]
