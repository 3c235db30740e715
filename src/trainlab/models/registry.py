"""Every built-in architecture, by name: one table.

A builder takes the recipe's ``model`` section, the input shape of one example
and the number of classes, and returns a :class:`~trainlab.models.StagedModel`.

Example:
    >>> from trainlab.models.registry import MODELS
    >>> MODELS.names()
    ['cnn', 'cnn1d', 'mlp', 'wavecnn']
"""

from __future__ import annotations

from trainlab.core.registry import Registry
from trainlab.models.cnn import build_cnn, build_cnn1d
from trainlab.models.mlp import build_mlp
from trainlab.models.wave_cnn import build_wave_cnn

MODELS: Registry = Registry(
    "model",
    {
        "mlp": build_mlp,
        "cnn": build_cnn,
        "cnn1d": build_cnn1d,
        "wavecnn": build_wave_cnn,
    },
)
