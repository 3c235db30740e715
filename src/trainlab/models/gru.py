"""A recurrent network over word vectors: a GRU read to each text's last word.

Cho et al., *Learning Phrase Representations using RNN Encoder–Decoder for
Statistical Machine Translation*, EMNLP 2014 (the gated recurrent unit).
Stages: ``embedding``, then one ``stage<k>`` per width: a GRU layer of that
many units reading the sequence (padding packed away, so a text's state is
its own last word's); the head is a linear layer on the last layer's final
state.

Example:
    >>> import torch
    >>> from trainlab.models.gru import GRUNet
    >>> m = GRUNet((10,), 2, vocab_size=30, embedding_dim=8, widths=[12])
    >>> m.stage_names, m(torch.tensor([[4, 5, 6] + [0] * 7, [7] * 10])).shape
    (['embedding', 'stage1'], torch.Size([2, 2]))
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from trainlab.models._staged import StagedModel
from trainlab.models._text import build_text_model, check_sequence_shape, text_config
from trainlab.models.embedding import TokenEmbedding, token_mask


class GRULayer(nn.Module):
    """One GRU layer over (N, L, E) vectors; padding (zero rows) is packed away.

    Returns (N, L, H) outputs with zeros at the padding, or, with ``last``, the
    final states (N, H).
    """

    def __init__(self, dim: int, units: int, last: bool = False, dropout: float = 0.0) -> None:
        super().__init__()
        self.gru = nn.GRU(dim, units, batch_first=True)
        self.last = last
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()

    def forward(self, vectors: torch.Tensor) -> torch.Tensor:
        lengths = token_mask(vectors).sum(1).clamp(min=1).cpu()
        packed = pack_padded_sequence(vectors, lengths, batch_first=True, enforce_sorted=False)
        out, h = self.gru(packed)
        if self.last:
            return self.dropout(h[-1])
        padded, _ = pad_packed_sequence(out, batch_first=True, total_length=vectors.shape[1])
        return self.dropout(padded)


class GRUNet(StagedModel):
    """Stacked GRU layers on word vectors, a linear head on the last state.

    Args:
        in_shape: ``(L,)``: token ids per example.
        num_classes: number of output logits.
        vocab_size: the vocabulary's size.
        embedding_dim: the size of a word vector.
        widths: the units of each GRU layer.
        dropout: dropout after each GRU layer.
    """

    def __init__(
        self,
        in_shape: Sequence[int],
        num_classes: int,
        *,
        vocab_size: int | None,
        embedding_dim: int = 64,
        widths: Sequence[int] = (64,),
        dropout: float = 0.0,
    ) -> None:
        check_sequence_shape("gru", in_shape, vocab_size)
        stages: list[tuple[str, nn.Module]] = [
            ("embedding", TokenEmbedding(int(vocab_size), embedding_dim))
        ]
        features = embedding_dim
        for i, units in enumerate(widths):
            last = i == len(widths) - 1
            stages.append((f"stage{i + 1}", GRULayer(features, units, last, dropout)))
            features = units
        config = text_config(
            "gru",
            in_shape,
            num_classes,
            vocab_size=vocab_size,
            embedding_dim=embedding_dim,
            widths=widths,
            dropout=dropout,
        )
        super().__init__(stages, nn.Linear(features, num_classes), config)


def build_gru(cfg, in_shape: Sequence[int], num_classes: int) -> GRUNet:
    """Stacked GRU layers over word vectors, for token id sequences."""
    fields = ("vocab_size", "embedding_dim", "widths", "dropout")
    return build_text_model(GRUNet, fields, cfg, in_shape, num_classes)
