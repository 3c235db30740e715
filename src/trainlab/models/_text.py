"""What the text models share: checking their input, their saved config, their builder.

Example:
    >>> from trainlab.models._text import text_config
    >>> text_config("gru", (10,), 2, vocab_size=30, widths=(8,), dropout=0.0)["widths"]
    [8]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trainlab.core.errors import ConfigError


def check_sequence_shape(name: str, in_shape: Sequence[int], vocab_size: int | None) -> None:
    """``ConfigError`` unless examples are id sequences (L,) with a known vocabulary."""
    if len(in_shape) != 1:
        raise ConfigError(
            f"model: {name} expects token id sequences (L,), got examples of shape "
            f"{tuple(in_shape)} (set preprocess.text.representation: sequence)"
        )
    if vocab_size is None:
        raise ConfigError(f"model: {name} needs the vocabulary size (model.vocab_size)")


def text_config(
    name: str, in_shape: Sequence[int], num_classes: int, *, vocab_size: int, **arch: Any
) -> dict[str, Any]:
    """The config a text model saves: its name, shapes, vocabulary and architecture."""
    if "widths" in arch:
        arch["widths"] = list(arch["widths"])
    return {
        "name": name,
        "in_shape": list(in_shape),
        "num_classes": num_classes,
        "vocab_size": int(vocab_size),
        **arch,
    }


def build_text_model(cls, fields: Sequence[str], cfg, in_shape: Sequence[int], num_classes: int):
    """``cls(in_shape, num_classes, **{field: cfg.field})``: a recipe's ``model`` section built."""
    return cls(in_shape, num_classes, **{f: getattr(cfg, f) for f in fields})
