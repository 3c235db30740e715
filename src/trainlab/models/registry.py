"""Every built-in architecture, by name: one table.

A builder takes the recipe's ``model`` section, the input shape of one example
and the number of classes, and returns a :class:`~trainlab.models.StagedModel`.

Example:
    >>> from trainlab.models.registry import MODELS
    >>> MODELS.names()
    ['cnn', 'cnn1d', 'cnn3d', 'embedding-bag', 'frame-cnn', 'gru', 'mlp', 'text-cnn', 'wavecnn']
"""

from __future__ import annotations

from trainlab.core.registry import Registry
from trainlab.models.cnn import build_cnn, build_cnn1d
from trainlab.models.cnn3d import build_cnn3d
from trainlab.models.embedding_bag import build_embedding_bag
from trainlab.models.frame_cnn import build_frame_cnn
from trainlab.models.gru import build_gru
from trainlab.models.mlp import build_mlp
from trainlab.models.text_cnn import build_text_cnn
from trainlab.models.wave_cnn import build_wave_cnn

MODELS: Registry = Registry(
    "model",
    {
        "mlp": build_mlp,
        "cnn": build_cnn,
        "cnn1d": build_cnn1d,
        "wavecnn": build_wave_cnn,
        # token id sequences (N, L): text
        "embedding-bag": build_embedding_bag,
        "text-cnn": build_text_cnn,
        "gru": build_gru,
        # clips (N, T, C, H, W): video
        "frame-cnn": build_frame_cnn,
        "cnn3d": build_cnn3d,
    },
)
