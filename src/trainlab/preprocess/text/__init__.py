"""Text preprocessing: tokenization, character stripping, stop words, stemming, bags of words.

- :mod:`.tokenize`: Unicode-aware words, optional punctuation / digit / accent
  stripping, word n-grams;
- :mod:`.stopwords`: stop-word lists (``stop-words`` package, English, Spanish, …);
- :mod:`.stemming`: Snowball stemmers (``snowballstemmer``);
- :mod:`.vocabulary`: tokens ↔ ids (0 padding, 1 unknown), minimum count, maximum size;
- :mod:`.pipeline`: :class:`TextPipeline`, fitted on the training split:
  counts, binary or TF-IDF bags of words, or padded id sequences; JSON state;
- :mod:`.word2vec`: CBOW and skip-gram word vectors (gensim), their evaluation,
  an embedding matrix for a vocabulary.

Example:
    >>> from trainlab.preprocess.text import TextPipeline
    >>> pipe = TextPipeline(representation="binary", stop_words=True).fit(["the red fox", "a fox"])
    >>> pipe.feature_names, pipe.transform(["Fox!"]).tolist()
    (['fox', 'red'], [[1.0, 0.0]])
"""

from trainlab.preprocess.text.pipeline import BAGS, REPRESENTATIONS, TextPipeline
from trainlab.preprocess.text.stemming import Stemmer, stemmer_languages
from trainlab.preprocess.text.stopwords import stop_word_languages, stop_words
from trainlab.preprocess.text.tokenize import ngrams, remove_accents, tokenize
from trainlab.preprocess.text.vocabulary import PAD, SPECIALS, UNK, Vocabulary
from trainlab.preprocess.text.word2vec import (
    Word2VecConfig,
    embedding_matrix,
    evaluate_vectors,
    nearest_neighbours,
    read_vectors,
    train_word2vec,
    write_vectors,
)

__all__ = [
    "BAGS",
    "PAD",
    "REPRESENTATIONS",
    "SPECIALS",
    "UNK",
    "Stemmer",
    "TextPipeline",
    "Vocabulary",
    "Word2VecConfig",
    "embedding_matrix",
    "evaluate_vectors",
    "nearest_neighbours",
    "ngrams",
    "read_vectors",
    "remove_accents",
    "stemmer_languages",
    "stop_word_languages",
    "stop_words",
    "tokenize",
    "train_word2vec",
    "write_vectors",
]
