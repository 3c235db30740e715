"""Text augmentation on lists of strings (see ``_base`` for the contract).

Letters (``characters``: insert, substitute, delete, swap), keyboard typos of
real layouts (``keyboard``), words (``words``: EDA's swap, delete, insert),
misspellings from a list (``misspellings``), WordNet synonyms (``wordnet``,
``synonyms``), neighbours in a word space fitted on a corpus (``neighbours``:
word2vec in ``embedding_neighbours``, TF-IDF in ``tfidf_neighbours``) and
back-translation through a translation engine (``translation``); ``registry``
names them all.
"""

from trainlab.augment.text._base import TextAugmentation
from trainlab.augment.text.embedding_neighbours import WordEmbeddingReplace
from trainlab.augment.text.neighbours import NeighbourReplace
from trainlab.augment.text.registry import TEXT_AUGMENTATIONS
from trainlab.augment.text.tfidf_neighbours import WordTfidfReplace
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
    "NeighbourReplace",
    "TextAugmentation",
    "TranslationCache",
    "Translator",
    "WordEmbeddingReplace",
    "WordTfidfReplace",
]
