"""Preprocessing fitted on the training split: normalization and image fitting.

Importing this package fills the ``NORMALIZERS`` registry (``standard``,
``minmax``, ``unit-norm``, ``none``).

Example:
    >>> import numpy as np
    >>> from trainlab.preprocess import build_normalizer, scale_pixels
    >>> x = scale_pixels(np.array([[0, 255], [255, 255]], dtype=np.uint8))
    >>> build_normalizer("minmax", per="feature").fit_transform(x)
    array([[0., 0.],
           [1., 0.]], dtype=float32)
"""

from trainlab.preprocess.image.fit import convert_channels, fit_image, make_uniform, scale_pixels
from trainlab.preprocess.normalize import Normalizer, NotFittedError, build_normalizer

__all__ = [
    "Normalizer",
    "NotFittedError",
    "build_normalizer",
    "convert_channels",
    "fit_image",
    "make_uniform",
    "scale_pixels",
]
