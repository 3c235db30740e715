"""The fitted preprocessing of a run: table encoding, uniform images, pixel scaling, normalization.

Uniform sizing is stateless and happens at load time; the table encoding (for
a table with text or missing cells: imputation and categorical encoding, see
:mod:`trainlab.preprocess.tabular`), pixel scaling and the normalizer are
fitted on the training split only and applied to every split. The whole state
is JSON, stored in the checkpoint, so evaluation and transfer apply exactly
the preprocessing the model was trained with. A table of numbers only skips
the encoding, and its state is what it was before the encoding existed.
With ``frames=True`` (video) the examples are clips (N, T, ...): every frame is
one image to the statistics and to the transform, so a 2-D image model's
normalization applies to each frame of a clip as it did to its images.

Example:
    >>> import numpy as np
    >>> from trainlab.preprocess.pipeline import Preprocessor
    >>> train = np.array([[0.0, 10.0], [2.0, 30.0]], dtype=np.float32)
    >>> pre = Preprocessor(normalize="standard", per="feature").fit(train)
    >>> pre.transform(train).tolist()
    [[-1.0, -1.0], [1.0, 1.0]]
    >>> Preprocessor.from_state_dict(pre.state_dict()).transform(train).tolist()
    [[-1.0, -1.0], [1.0, 1.0]]
    >>> table = np.array([[1.0, "red"], [None, "blue"]], dtype=object)
    >>> pre = Preprocessor(normalize="none", impute="mean").fit(table, ["size", "colour"])
    >>> pre.transform(table).tolist(), pre.names_out
    ([[1.0, 0.0, 1.0], [1.0, 1.0, 0.0]], ['size', 'colour_blue', 'colour_red'])
    >>> clips = np.arange(12, dtype=np.float32).reshape(2, 3, 2, 1, 1)  # N, T, C, H, W
    >>> pre = Preprocessor(pixel_scale=False, frames=True).fit(clips)
    >>> pre.input_shape, pre.transform(clips).shape
    ([2, 1, 1], (2, 3, 2, 1, 1))
"""

from __future__ import annotations

from typing import Any

import numpy as np

from trainlab.core.errors import DataError
from trainlab.preprocess.image.fit import scale_pixels
from trainlab.preprocess.normalize import Normalizer, build_normalizer
from trainlab.preprocess.tabular.columns import is_number
from trainlab.preprocess.tabular.table import TableEncoder


class Preprocessor:
    """Table encoding (object tables only), pixel scaling, then normalization.

    Args:
        pixel_scale: scale uint8 inputs to [0, 1] first.
        normalize: normalizer name (standard, minmax, unit-norm, none).
        per: statistics per feature, channel or globally.
        categorical: how a table's text columns are encoded, ``onehot`` or ``ordinal``.
        impute: how a table's missing cells are filled: ``none`` (refused),
            ``mean``, ``median`` or ``most-frequent``.
        frames: the examples are clips (N, T, ...), preprocessed frame by frame;
            :attr:`input_shape` is then one frame's.
    """

    def __init__(
        self,
        pixel_scale: bool = True,
        normalize: str = "standard",
        per: str = "channel",
        categorical: str = "onehot",
        impute: str = "none",
        frames: bool = False,
    ):
        self.pixel_scale = pixel_scale
        self.frames = frames
        self.normalizer: Normalizer = build_normalizer(normalize, per)
        #: fitted only when the training inputs are an object table (text or missing cells)
        self.table = TableEncoder(categorical, impute)
        self.input_dtype: str | None = None
        self.input_shape: list[int] | None = None
        self.value_range: list[float] | None = None

    def _scale(self, x: np.ndarray) -> np.ndarray:
        if self.pixel_scale and x.dtype == np.uint8:
            return scale_pixels(x)
        return np.asarray(x, dtype=np.float32)

    def _encode(self, x: np.ndarray) -> np.ndarray:
        if self.table.fitted:
            return self.table.transform(x)
        if x.dtype == object:
            return _numbers_only(x)
        return x

    def fit(self, x: np.ndarray, feature_names: list[str] | None = None) -> Preprocessor:
        """Fit on training examples ``x`` (N, ...).

        Args:
            x: the training inputs; an object table (N, F) is encoded first.
            feature_names: the table's column names, for the encoded columns'
                names (:attr:`names_out`); default ``x0``, ``x1``, …
        """
        x = self._as_frames(np.asarray(x))
        self.input_dtype = str(x.dtype)
        self.input_shape = list(x.shape[1:])
        if x.dtype == object:
            self.table.fit(x, feature_names)
        scaled = self._scale(self._encode(x))
        self.value_range = [float(scaled.min()), float(scaled.max())] if scaled.size else None
        self.normalizer.fit(scaled)
        return self

    def transform(self, x: np.ndarray) -> np.ndarray:
        """Float32 model inputs for raw examples ``x``."""
        x = np.asarray(x)
        out = self.normalizer.transform(self._scale(self._encode(self._as_frames(x))))
        return out.reshape(x.shape) if self.frames else out

    def _as_frames(self, x: np.ndarray) -> np.ndarray:
        """Clips (N, T, ...) as frames (N·T, ...) when :attr:`frames`; else ``x``."""
        if not self.frames:
            return x
        if x.ndim < 3:
            raise DataError(f"expected clips (N, T, ...) to preprocess by frame, got {x.shape}")
        return x.reshape(-1, *x.shape[2:])

    @property
    def names_out(self) -> list[str] | None:
        """The model inputs' column names after the table encoding (None without one)."""
        return self.table.names_out if self.table.fitted else None

    def state_dict(self) -> dict[str, Any]:
        state = {
            "pixel_scale": self.pixel_scale,
            "normalizer": self.normalizer.state_dict(),
            "input_dtype": self.input_dtype,
            "input_shape": self.input_shape,
            "value_range": self.value_range,
        }
        if self.table.fitted:
            state["tabular"] = self.table.state_dict()
        if self.frames:
            state["frames"] = True
        return state

    @classmethod
    def from_state_dict(cls, state: dict[str, Any]) -> Preprocessor:
        norm = Normalizer.from_state_dict(state["normalizer"])
        pre = cls(
            pixel_scale=bool(state["pixel_scale"]),
            normalize="none",
            frames=bool(state.get("frames", False)),
        )
        pre.normalizer = norm
        pre.input_dtype = state.get("input_dtype")
        pre.input_shape = state.get("input_shape")
        pre.value_range = state.get("value_range")
        if state.get("tabular") is not None:
            pre.table = TableEncoder.from_state_dict(state["tabular"])
        return pre


def _numbers_only(x: np.ndarray) -> np.ndarray:
    """An object table as float32, for a model fitted on numbers only (no encoding learned)."""
    for (_, j), v in np.ndenumerate(x):
        if not is_number(v):
            raise DataError(
                f"column {j}: {v!r} is not a number; the model was trained on a table of "
                "numbers without missing cells"
            )
    return x.astype(np.float32)
