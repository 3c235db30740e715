"""Every built-in text augmentation, by name: one table.

Text augmentations work on lists of str (``augment.text._base``), so they
have their own table, apart from the tensor augmentations of
``augment.registry``.

Example:
    >>> from trainlab.augment.text.registry import TEXT_AUGMENTATIONS
    >>> TEXT_AUGMENTATIONS.get("char_swap").__name__
    'CharSwap'
    >>> len(TEXT_AUGMENTATIONS)
    13
"""

from __future__ import annotations

from trainlab.augment.text.characters import CharDelete, CharInsert, CharSubstitute, CharSwap
from trainlab.augment.text.embedding_neighbours import WordEmbeddingReplace
from trainlab.augment.text.keyboard import Keyboard
from trainlab.augment.text.misspellings import Misspell
from trainlab.augment.text.synonyms import Synonym
from trainlab.augment.text.tfidf_neighbours import WordTfidfReplace
from trainlab.augment.text.translation import BackTranslate
from trainlab.augment.text.words import WordDelete, WordInsert, WordSwap
from trainlab.core.registry import Registry

TEXT_AUGMENTATIONS: Registry = Registry(
    "text augmentation",
    {
        # letters
        "char-insert": CharInsert,
        "char-substitute": CharSubstitute,
        "char-delete": CharDelete,
        "char-swap": CharSwap,
        "keyboard": Keyboard,
        # words (Wei & Zou 2019, EDA)
        "word-swap": WordSwap,
        "word-delete": WordDelete,
        "word-insert": WordInsert,
        "synonym": Synonym,
        "misspell": Misspell,
        # words: neighbours in a space learnt from a corpus (fitted on the training texts)
        "word-embedding": WordEmbeddingReplace,
        "word-tfidf": WordTfidfReplace,
        # sentences
        "back-translate": BackTranslate,
    },
    aliases={
        "typo": "keyboard",
        "synonyms": "synonym",
        "back-translation": "back-translate",
        "word2vec": "word-embedding",
        "embedding-neighbours": "word-embedding",
        "tfidf": "word-tfidf",
        "bag-of-words": "word-tfidf",
    },
)
