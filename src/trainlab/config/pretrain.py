"""The recipe's ``pretrain`` section: a model's first stage learned without labels, before training.

``method: word2vec`` trains word vectors (Mikolov et al. 2013, CBOW or
skip-gram) on a corpus tokenized as the model's text, and a text model's
embedding starts from them; ``transfer.strategy`` then freezes or
fine-tunes it, as for vectors read from a file (``transfer.checkpoint``).
The default corpus, ``training``, is every text of the training part:
the labelled training split and, with ``split.train_size``, the texts it
left out, used without their labels; never a validation or test text.

Example:
    >>> from trainlab.config.pretrain import PretrainConfig
    >>> PretrainConfig(method="word2vec").corpus
    'training'
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from trainlab.config.section import Section


class PretrainConfig(Section):
    """Learn the first stage without labels: word2vec for a text model's embedding."""

    #: none, or word2vec (a text model's embedding; preprocess.text.representation: sequence)
    method: Literal["none", "word2vec"] = "none"
    #: training (every training-part text, labelled or not), fortunes, fortunes-es, lee, or a
    #: UTF-8 text file (one sentence or paragraph a line)
    corpus: str = "training"
    architecture: Literal["cbow", "skip-gram"] = "skip-gram"
    #: the vectors' size (None: model.embedding_dim)
    vector_size: int | None = Field(default=None, ge=1)
    window: int = Field(default=5, ge=1)
    min_count: int = Field(default=2, ge=1)
    epochs: int = Field(default=5, ge=1)
    negative: int = Field(default=5, ge=1)

    @property
    def enabled(self) -> bool:
        return self.method != "none"
