"""A bag of word vectors: the mean embedding of a text, then fully connected stages.

Joulin, Grave, Bojanowski and Mikolov, *Bag of Tricks for Efficient Text
Classification* (fastText), EACL 2017: averaging word vectors and a linear
classifier is a strong, fast baseline. Stages: ``embedding`` (ids → vectors;
word2vec can initialize it through transfer), ``pool`` (the mean over the
words, padding left out), then ``stage1`` … (Linear → [BatchNorm] →
activation → [Dropout]) for each width; the head is a linear layer.

Example:
    >>> import torch
    >>> from trainlab.models.embedding_bag import EmbeddingBagNet
    >>> m = EmbeddingBagNet((12,), 3, vocab_size=50, embedding_dim=8, widths=[16])
    >>> m.stage_names, m(torch.randint(0, 50, (4, 12))).shape
    (['embedding', 'pool', 'stage1'], torch.Size([4, 3]))
"""

from __future__ import annotations

from collections.abc import Sequence

from torch import nn

from trainlab.models._staged import StagedModel
from trainlab.models._text import build_text_model, check_sequence_shape, text_config
from trainlab.models.embedding import MaskedMean, TokenEmbedding
from trainlab.models.mlp import dense_block


class EmbeddingBagNet(StagedModel):
    """Mean word vector → MLP stages → linear head.

    Args:
        in_shape: ``(L,)``: token ids per example.
        num_classes: number of output logits.
        vocab_size: the vocabulary's size (ids 0 … vocab_size − 1).
        embedding_dim: the size of a word vector.
        widths: units of each hidden stage (empty: the mean vector goes to the head).
        activation, batch_norm, dropout: as for the MLP.
    """

    def __init__(
        self,
        in_shape: Sequence[int],
        num_classes: int,
        *,
        vocab_size: int | None,
        embedding_dim: int = 64,
        widths: Sequence[int] = (64,),
        activation: str = "relu",
        batch_norm: bool = False,
        dropout: float = 0.0,
    ) -> None:
        check_sequence_shape("embedding-bag", in_shape, vocab_size)
        stages: list[tuple[str, nn.Module]] = [
            ("embedding", TokenEmbedding(int(vocab_size), embedding_dim)),
            ("pool", MaskedMean()),
        ]
        features = embedding_dim
        for i, width in enumerate(widths):
            block = dense_block(features, width, activation, batch_norm, dropout)
            stages.append((f"stage{i + 1}", nn.Sequential(*block)))
            features = width
        config = text_config(
            "embedding-bag",
            in_shape,
            num_classes,
            vocab_size=vocab_size,
            embedding_dim=embedding_dim,
            widths=widths,
            activation=activation,
            batch_norm=batch_norm,
            dropout=dropout,
        )
        super().__init__(stages, nn.Linear(features, num_classes), config)


def build_embedding_bag(cfg, in_shape: Sequence[int], num_classes: int) -> EmbeddingBagNet:
    """Mean of word vectors, then an MLP (fastText-style), for token id sequences."""
    fields = ("vocab_size", "embedding_dim", "widths", "activation", "batch_norm", "dropout")
    return build_text_model(EmbeddingBagNet, fields, cfg, in_shape, num_classes)
