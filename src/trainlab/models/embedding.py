"""Token embeddings for text models: ids (N, L) → vectors (N, L, E), padding kept at zero.

Token id 0 is padding (as :class:`trainlab.preprocess.text.vocabulary.Vocabulary`
numbers them): its vector is zero and gets no gradient (``padding_idx``), so
the later stages recover which positions hold words from the rows that are
not zero (:func:`token_mask`). The embedding is a stage of its own, so that
transfer can copy pretrained word vectors (word2vec) into it, and freeze it or
fine-tune it like any other stage.

Example:
    >>> import torch
    >>> from trainlab.models.embedding import TokenEmbedding, token_mask
    >>> emb = TokenEmbedding(10, 4)
    >>> out = emb(torch.tensor([[3, 5, 0, 0]]))
    >>> out.shape, token_mask(out).tolist()
    (torch.Size([1, 4, 4]), [[True, True, False, False]])
"""

from __future__ import annotations

import torch
from torch import nn


class TokenEmbedding(nn.Module):
    """``nn.Embedding`` with padding id 0, taking (N, L) ids of any integer dtype.

    Args:
        vocab_size: ids 0 … vocab_size − 1 (0: padding, 1: unknown words).
        dim: the size of a word vector.
    """

    def __init__(self, vocab_size: int, dim: int) -> None:
        super().__init__()
        if vocab_size < 2 or dim < 1:
            raise ValueError(
                f"embedding: expected a vocabulary of at least 2 ids and dim ≥ 1, "
                f"got {vocab_size} and {dim}"
            )
        self.embedding = nn.Embedding(vocab_size, dim, padding_idx=0)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return self.embedding(ids.long())


def token_mask(vectors: torch.Tensor) -> torch.Tensor:
    """(N, L) bool: the positions of (N, L, E) embedded ids that hold a word, not padding."""
    return vectors.abs().sum(-1) > 0


def masked_mean(vectors: torch.Tensor) -> torch.Tensor:
    """(N, E): the mean of each example's word vectors (N, L, E), padding left out.

    Example:
        >>> import torch
        >>> v = torch.tensor([[[1.0, 2.0], [3.0, 4.0], [0.0, 0.0]]])
        >>> masked_mean(v).tolist()
        [[2.0, 3.0]]
    """
    mask = token_mask(vectors).unsqueeze(-1).to(vectors.dtype)
    return (vectors * mask).sum(1) / mask.sum(1).clamp(min=1.0)


class MaskedMean(nn.Module):
    """:func:`masked_mean` as a module."""

    def forward(self, vectors: torch.Tensor) -> torch.Tensor:
        return masked_mean(vectors)
