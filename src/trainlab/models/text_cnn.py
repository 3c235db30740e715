"""A convolutional network over word vectors: parallel n-gram filters, max over time.

Kim, *Convolutional Neural Networks for Sentence Classification*, EMNLP 2014:
filters of widths 3, 4 and 5 words slide over the embedded sentence, each
feature map is max-pooled over time (padding left out), and a linear layer
reads the concatenation. Stages: ``embedding`` (word2vec can initialize it
through transfer; Kim's "static" and "non-static" variants are freezing it or
not), ``conv`` (the three filter banks of ``widths[-1]`` channels each, ReLU,
masked max over time), then the head (dropout, linear).

Example:
    >>> import torch
    >>> from trainlab.models.text_cnn import TextCNN
    >>> m = TextCNN((20,), 4, vocab_size=100, embedding_dim=8, widths=[6])
    >>> m.stage_names, m(torch.randint(0, 100, (3, 20))).shape
    (['embedding', 'conv'], torch.Size([3, 4]))
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from trainlab.models._staged import StagedModel
from trainlab.models._text import build_text_model, check_sequence_shape, text_config
from trainlab.models.embedding import TokenEmbedding, token_mask

#: the filter widths in words (Kim, 2014)
FILTER_WIDTHS: tuple[int, ...] = (3, 4, 5)


class NgramConvolutions(nn.Module):
    """Parallel 1-D convolutions over (N, L, E) word vectors, each max-pooled over the words."""

    def __init__(self, dim: int, channels: int, widths: Sequence[int] = FILTER_WIDTHS) -> None:
        super().__init__()
        self.convs = nn.ModuleList(nn.Conv1d(dim, channels, w, padding=w // 2) for w in widths)

    def forward(self, vectors: torch.Tensor) -> torch.Tensor:
        mask = token_mask(vectors)  # (N, L)
        x = vectors.transpose(1, 2)  # (N, E, L)
        pooled = []
        for conv in self.convs:
            maps = torch.relu(conv(x))[..., : x.shape[-1]]  # (N, C, L): even widths pad one more
            maps = maps.masked_fill(~mask.unsqueeze(1), float("-inf"))
            best = maps.amax(dim=-1)
            pooled.append(torch.where(torch.isfinite(best), best, torch.zeros_like(best)))
        return torch.cat(pooled, dim=1)


class TextCNN(StagedModel):
    """Kim's CNN for sentence classification.

    Args:
        in_shape: ``(L,)``: token ids per example.
        num_classes: number of output logits.
        vocab_size: the vocabulary's size.
        embedding_dim: the size of a word vector.
        widths: the channels of each filter bank (the last value is used).
        dropout: dropout before the linear head (Kim: 0.5).
    """

    def __init__(
        self,
        in_shape: Sequence[int],
        num_classes: int,
        *,
        vocab_size: int | None,
        embedding_dim: int = 64,
        widths: Sequence[int] = (100,),
        dropout: float = 0.0,
    ) -> None:
        check_sequence_shape("text-cnn", in_shape, vocab_size)
        channels = int(widths[-1])
        stages = [
            ("embedding", TokenEmbedding(int(vocab_size), embedding_dim)),
            ("conv", NgramConvolutions(embedding_dim, channels)),
        ]
        features = channels * len(FILTER_WIDTHS)
        head = nn.Sequential(nn.Dropout(dropout), nn.Linear(features, num_classes))
        config = text_config(
            "text-cnn",
            in_shape,
            num_classes,
            vocab_size=vocab_size,
            embedding_dim=embedding_dim,
            widths=widths,
            dropout=dropout,
        )
        super().__init__(stages, head, config)


def build_text_cnn(cfg, in_shape: Sequence[int], num_classes: int) -> TextCNN:
    """Kim's (2014) CNN over word vectors, for token id sequences."""
    fields = ("vocab_size", "embedding_dim", "widths", "dropout")
    return build_text_model(TextCNN, fields, cfg, in_shape, num_classes)
