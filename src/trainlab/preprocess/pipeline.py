"""The fitted preprocessing of a run: uniform images, pixel scaling, normalization.

Uniform sizing is stateless and happens at load time; pixel scaling and the
normalizer are fitted on the training split only and applied to every split.
The whole state is JSON, stored in the checkpoint, so evaluation and transfer
apply exactly the preprocessing the model was trained with.

Example:
    >>> import numpy as np
    >>> from trainlab.preprocess.pipeline import Preprocessor
    >>> train = np.array([[0.0, 10.0], [2.0, 30.0]], dtype=np.float32)
    >>> pre = Preprocessor(normalize="standard", per="feature").fit(train)
    >>> pre.transform(train).tolist()
    [[-1.0, -1.0], [1.0, 1.0]]
    >>> Preprocessor.from_state_dict(pre.state_dict()).transform(train).tolist()
    [[-1.0, -1.0], [1.0, 1.0]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from trainlab.preprocess.image.fit import scale_pixels
from trainlab.preprocess.normalize import Normalizer, build_normalizer


class Preprocessor:
    """Pixel scaling then normalization.

    Args:
        pixel_scale: scale uint8 inputs to [0, 1] first.
        normalize: normalizer name (standard, minmax, unit-norm, none).
        per: statistics per feature, channel or globally.
    """

    def __init__(self, pixel_scale: bool = True, normalize: str = "standard", per: str = "channel"):
        self.pixel_scale = pixel_scale
        self.normalizer: Normalizer = build_normalizer(normalize, per)
        self.input_dtype: str | None = None
        self.input_shape: list[int] | None = None
        self.value_range: list[float] | None = None

    def _scale(self, x: np.ndarray) -> np.ndarray:
        if self.pixel_scale and x.dtype == np.uint8:
            return scale_pixels(x)
        return np.asarray(x, dtype=np.float32)

    def fit(self, x: np.ndarray) -> Preprocessor:
        """Fit on training examples ``x`` (N, ...)."""
        self.input_dtype = str(x.dtype)
        self.input_shape = list(x.shape[1:])
        scaled = self._scale(x)
        self.value_range = [float(scaled.min()), float(scaled.max())] if scaled.size else None
        self.normalizer.fit(scaled)
        return self

    def transform(self, x: np.ndarray) -> np.ndarray:
        """Float32 model inputs for raw examples ``x``."""
        return self.normalizer.transform(self._scale(x))

    def state_dict(self) -> dict[str, Any]:
        return {
            "pixel_scale": self.pixel_scale,
            "normalizer": self.normalizer.state_dict(),
            "input_dtype": self.input_dtype,
            "input_shape": self.input_shape,
            "value_range": self.value_range,
        }

    @classmethod
    def from_state_dict(cls, state: dict[str, Any]) -> Preprocessor:
        norm = Normalizer.from_state_dict(state["normalizer"])
        pre = cls(pixel_scale=bool(state["pixel_scale"]), normalize="none")
        pre.normalizer = norm
        pre.input_dtype = state.get("input_dtype")
        pre.input_shape = state.get("input_shape")
        pre.value_range = state.get("value_range")
        return pre
