"""Normalization of inputs: standardization, min-max scaling, unit norm.

The lecture's three normalizations, fitted on the training split only and
applied unchanged to every split (and saved with the model):

- standardization ("standard"):  x' = (x − x̄) / σ, with the population σ
  (``ddof=0``) like scikit-learn's ``StandardScaler``; a constant feature gets
  σ = 1 (scikit-learn's test on the variance's rounding-error bound);
- min-max scaling ("minmax"):  x' = (x − min(x)) / (max(x) − min(x)), like
  ``MinMaxScaler``; a constant feature gets a range of 1;
- unit norm ("unit-norm"):  x' = x / ‖x‖₂, per sample over all its values,
  like scikit-learn's ``Normalizer``; a zero sample stays zero. Stateless.

plus "none", the identity.

Statistics are computed in float64 over the axes chosen by ``per``:

- ``"feature"``: over the batch axis only, one statistic per position
  (F for tabular data, C×L for signals, C×H×W for images);
- ``"channel"``: over every axis but axis 1, one statistic per channel
  (equal to ``"feature"`` for tabular (N, F) data);
- ``"global"``: one scalar.

They are stored with the batch axis dropped and the reduced axes kept as 1
(e.g. (C, 1, 1) for images per channel), so they broadcast against a batch.
``transform`` returns float32 numpy arrays; ``transform_tensor`` applies the
same statistics to a torch batch on its device.

Example:
    >>> import numpy as np
    >>> from trainlab.preprocess.normalize import build_normalizer
    >>> x = np.array([[1.0, 10.0], [3.0, 10.0]])
    >>> norm = build_normalizer("standard", per="feature").fit(x)
    >>> norm.transform(x)
    array([[-1.,  0.],
           [ 1.,  0.]], dtype=float32)
    >>> norm.state_dict()["stats"]
    {'mean': [2.0, 10.0], 'scale': [1.0, 1.0]}
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Literal, get_args

import numpy as np
import torch

from trainlab.core.errors import ConfigError, DataError, TrainlabError
from trainlab.core.registry import Registry

if TYPE_CHECKING:
    from typing_extensions import Self

Per = Literal["feature", "channel", "global"]
PER_CHOICES: tuple[str, ...] = get_args(Per)

_EPS64 = float(np.finfo(np.float64).eps)


class NotFittedError(TrainlabError, RuntimeError):
    """A normalizer was used (transform, state_dict) before ``fit``."""


class Normalizer:
    """Base class: fitted statistics, numpy and torch transforms, JSON state.

    Subclasses set ``name`` and ``stat_names`` and implement ``_compute`` (the
    statistics from float64 data and reduction axes), ``_apply`` and, where it
    exists, ``_invert``; the two are written once for numpy and torch alike.

    Args:
        per: ``"feature"``, ``"channel"`` or ``"global"`` statistics (see the module).

    Example:
        >>> import numpy as np
        >>> from trainlab.preprocess.normalize import MinMaxNormalizer, Normalizer
        >>> x = np.arange(12, dtype=np.uint8).reshape(2, 2, 3)  # (N, C, L)
        >>> norm = MinMaxNormalizer(per="channel").fit(x)
        >>> norm.stats_shape
        (2, 1)
        >>> Normalizer.from_state_dict(norm.state_dict()) == norm
        True
    """

    name: ClassVar[str] = ""
    #: names of the fitted statistics, in ``state_dict`` order
    stat_names: ClassVar[tuple[str, ...]] = ()
    #: True when ``fit`` computes nothing (transform works unfitted)
    stateless: ClassVar[bool] = False

    def __init__(self, per: Per = "channel") -> None:
        if per not in PER_CHOICES:
            raise ConfigError(
                f"preprocess.per: expected one of {', '.join(PER_CHOICES)}, got {per!r}"
            )
        self.per: Per = per
        self._stats: dict[str, np.ndarray] | None = None
        self._tensor_cache: dict[tuple[torch.device, torch.dtype], dict[str, torch.Tensor]] = {}

    # -- fitting -----------------------------------------------------------
    @property
    def fitted(self) -> bool:
        """Whether ``transform`` can be called."""
        return self.stateless or self._stats is not None

    @property
    def stats(self) -> dict[str, np.ndarray]:
        """The fitted float64 statistics, each of shape ``stats_shape``."""
        self._check_fitted("stats")
        return dict(self._stats or {})

    @property
    def stats_shape(self) -> tuple[int, ...] | None:
        """Shape of the statistics (batch axis dropped, reduced axes kept as 1)."""
        if not self._stats:
            return None
        return tuple(next(iter(self._stats.values())).shape)

    def reduction_axes(self, ndim: int) -> tuple[int, ...]:
        """The axes a batch of ``ndim`` dimensions is reduced over."""
        if self.per == "feature":
            return (0,)
        if self.per == "channel":
            return tuple(a for a in range(ndim) if a != 1)
        return tuple(range(ndim))

    def fit(self, x: np.ndarray) -> Self:
        """Compute the statistics of ``x`` (N, F), (N, C, L) or (N, C, H, W).

        Args:
            x: training data, float or integer (uint8); computed in float64.

        Returns:
            ``self``, fitted.
        """
        x = _as_batch(x, "fit")
        if x.shape[0] == 0:
            raise DataError("normalizer fit: got an empty batch (N = 0)")
        if self.stateless:
            return self
        x64 = x.astype(np.float64, copy=False)
        axes = self.reduction_axes(x64.ndim)
        stats = self._compute(x64, axes)
        # drop the batch axis; reduced axes stay as 1 so the stats broadcast
        self._stats = {k: np.ascontiguousarray(v[0], dtype=np.float64) for k, v in stats.items()}
        self._tensor_cache.clear()
        return self

    def fit_transform(self, x: np.ndarray) -> np.ndarray:
        """``fit(x)`` then ``transform(x)``."""
        return self.fit(x).transform(x)

    # -- numpy -------------------------------------------------------------
    def transform(self, x: np.ndarray) -> np.ndarray:
        """Normalize ``x`` with the fitted statistics.

        Args:
            x: data shaped like the training data (any batch size).

        Returns:
            A float32 array of the same shape.
        """
        self._check_fitted("transform")
        x = _as_batch(x, "transform")
        self._check_shape(tuple(x.shape), "transform")
        out = self._apply(x.astype(np.float64, copy=False), self._stats or {})
        return np.asarray(out, dtype=np.float32)

    def inverse_transform(self, x: np.ndarray) -> np.ndarray:
        """Undo ``transform`` (float32 output); not every normalizer has one."""
        self._check_fitted("inverse_transform")
        x = _as_batch(x, "inverse_transform")
        self._check_shape(tuple(x.shape), "inverse_transform")
        out = self._invert(x.astype(np.float64, copy=False), self._stats or {})
        return np.asarray(out, dtype=np.float32)

    # -- torch -------------------------------------------------------------
    def transform_tensor(self, x: torch.Tensor) -> torch.Tensor:
        """Normalize a torch batch on its own device with the same statistics.

        The statistics are cast to the batch's floating dtype (float32 for
        integer batches) and cached per device and dtype.

        Args:
            x: a batch shaped like the training data.

        Returns:
            A floating tensor of the same shape, on the same device.
        """
        self._check_fitted("transform_tensor")
        if x.ndim < 2:
            raise DataError(
                f"normalizer transform_tensor: expected a batch (N, ...), got {x.shape}"
            )
        self._check_shape(tuple(x.shape), "transform_tensor")
        if not torch.is_floating_point(x):
            x = x.to(torch.float32)
        key = (x.device, x.dtype)
        stats = self._tensor_cache.get(key)
        if stats is None:
            stats = {
                k: torch.as_tensor(v, dtype=x.dtype, device=x.device)
                for k, v in (self._stats or {}).items()
            }
            self._tensor_cache[key] = stats
        return self._apply(x, stats)

    # -- state -------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """A JSON-serializable description: name, ``per``, shape and statistics."""
        self._check_fitted("state_dict")
        stats = self._stats or {}
        return {
            "name": self.name,
            "per": self.per,
            "shape": list(self.stats_shape) if self.stats_shape is not None else None,
            "stats": {k: [float(v) for v in stats[k].ravel()] for k in self.stat_names},
        }

    @classmethod
    def from_state_dict(cls, d: dict[str, Any]) -> Normalizer:
        """Rebuild a fitted normalizer from :meth:`state_dict`'s output.

        Called on the base class it builds whichever normalizer ``d`` names;
        called on a subclass it checks that ``d`` names that subclass.
        """
        try:
            name, per, shape, raw = d["name"], d["per"], d["shape"], d["stats"]
        except (KeyError, TypeError):
            raise ConfigError(
                "normalizer state: expected a mapping with name, per, shape and stats"
            ) from None
        klass = NORMALIZERS.get(name)
        if cls is not Normalizer and klass is not cls:
            raise ConfigError(f"normalizer state: names {name!r}, expected {cls.name!r}")
        norm = klass(per=per)
        if norm.stateless:
            return norm
        if shape is None or set(raw) != set(norm.stat_names):
            raise ConfigError(
                f"normalizer state for {name!r}: expected a shape and the statistics "
                f"{', '.join(norm.stat_names)}"
            )
        try:
            norm._stats = {
                k: np.asarray(raw[k], dtype=np.float64).reshape(tuple(shape))
                for k in norm.stat_names
            }
        except ValueError:
            raise ConfigError(
                f"normalizer state for {name!r}: statistics do not have shape {shape}"
            ) from None
        return norm

    # -- helpers -----------------------------------------------------------
    def _check_fitted(self, what: str) -> None:
        if not self.fitted:
            raise NotFittedError(
                f"{type(self).__name__}({self.name!r}).{what}: not fitted yet; "
                "call fit(train_data) first"
            )

    def _check_shape(self, shape: tuple[int, ...], what: str) -> None:
        expected = self.stats_shape
        if expected is None:
            return
        item = shape[1:]
        ok = len(item) == len(expected) and all(
            e in (1, s) for e, s in zip(expected, item, strict=True)
        )
        if not ok:
            raise DataError(
                f"normalizer {what}: data of shape {shape} does not match the statistics "
                f"fitted with shape {expected} (per={self.per!r})"
            )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Normalizer) or type(other) is not type(self):
            return NotImplemented
        if self.per != other.per:
            return False
        if self._stats is None or other._stats is None:
            return self._stats is None and other._stats is None
        return self._stats.keys() == other._stats.keys() and all(
            self._stats[k].shape == other._stats[k].shape
            and np.array_equal(self._stats[k], other._stats[k])
            for k in self._stats
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __repr__(self) -> str:
        state = "" if self.fitted else ", unfitted"
        return f"{type(self).__name__}(per={self.per!r}{state})"

    # -- to implement ------------------------------------------------------
    def _compute(self, x: np.ndarray, axes: tuple[int, ...]) -> dict[str, np.ndarray]:
        """Statistics of float64 ``x`` over ``axes``, with ``keepdims=True``."""
        raise NotImplementedError

    def _apply(self, x: Any, stats: dict[str, Any]) -> Any:
        """The forward map, valid for numpy arrays and torch tensors alike."""
        raise NotImplementedError

    def _invert(self, x: Any, stats: dict[str, Any]) -> Any:
        raise NotImplementedError(f"normalizer {self.name!r} has no inverse_transform")


class StandardNormalizer(Normalizer):
    """Standardization x' = (x − mean) / σ, with population σ (sklearn ``StandardScaler``).

    A constant feature (variance within the rounding error of the two-pass
    algorithm, Chan, Golub & LeVeque 1983, as in scikit-learn) gets σ = 1.

    Example:
        >>> import numpy as np
        >>> from trainlab.preprocess.normalize import StandardNormalizer
        >>> x = np.array([[0.0], [2.0], [4.0]])
        >>> StandardNormalizer(per="feature").fit(x).transform(x).ravel().round(4)
        array([-1.2247,  0.    ,  1.2247], dtype=float32)
    """

    name = "standard"
    stat_names = ("mean", "scale")

    def _compute(self, x: np.ndarray, axes: tuple[int, ...]) -> dict[str, np.ndarray]:
        mean = x.mean(axis=axes, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
        n = int(np.prod([x.shape[a] for a in axes]))
        constant = var <= n * _EPS64 * var + (n * mean * _EPS64) ** 2
        scale = np.where(constant, 1.0, np.sqrt(var))
        return {"mean": mean, "scale": scale}

    def _apply(self, x: Any, stats: dict[str, Any]) -> Any:
        return (x - stats["mean"]) / stats["scale"]

    def _invert(self, x: Any, stats: dict[str, Any]) -> Any:
        return x * stats["scale"] + stats["mean"]


class MinMaxNormalizer(Normalizer):
    """Min-max scaling x' = (x − min) / (max − min) to [0, 1] (sklearn ``MinMaxScaler``).

    A constant feature (range below 10 machine epsilons) gets a range of 1.

    Example:
        >>> import numpy as np
        >>> from trainlab.preprocess.normalize import MinMaxNormalizer
        >>> x = np.array([[0.0], [5.0], [10.0]])
        >>> MinMaxNormalizer(per="feature").fit(x).transform(x).ravel()
        array([0. , 0.5, 1. ], dtype=float32)
    """

    name = "minmax"
    stat_names = ("min", "range")

    def _compute(self, x: np.ndarray, axes: tuple[int, ...]) -> dict[str, np.ndarray]:
        lo = x.min(axis=axes, keepdims=True)
        rng = x.max(axis=axes, keepdims=True) - lo
        rng = np.where(rng < 10 * _EPS64, 1.0, rng)
        return {"min": lo, "range": rng}

    def _apply(self, x: Any, stats: dict[str, Any]) -> Any:
        return (x - stats["min"]) / stats["range"]

    def _invert(self, x: Any, stats: dict[str, Any]) -> Any:
        return x * stats["range"] + stats["min"]


class UnitNormNormalizer(Normalizer):
    """Unit magnitude x' = x / ‖x‖₂ per sample, over all its values (sklearn ``Normalizer``).

    Stateless: ``fit`` learns nothing and ``per`` has no effect. A zero sample
    stays zero. There is no inverse (the norms are not kept).

    Example:
        >>> import numpy as np
        >>> from trainlab.preprocess.normalize import UnitNormNormalizer
        >>> UnitNormNormalizer().transform(np.array([[3.0, 4.0], [0.0, 0.0]]))
        array([[0.6, 0.8],
               [0. , 0. ]], dtype=float32)
    """

    name = "unit-norm"
    stateless = True

    def _apply(self, x: Any, stats: dict[str, Any]) -> Any:
        if isinstance(x, torch.Tensor):
            norms = torch.linalg.vector_norm(x.reshape(x.shape[0], -1), dim=1)
            norms = torch.where(norms == 0, torch.ones_like(norms), norms)
            return x / norms.reshape((-1,) + (1,) * (x.ndim - 1))
        norms = np.sqrt(np.einsum("ij,ij->i", x.reshape(x.shape[0], -1), x.reshape(x.shape[0], -1)))
        norms[norms == 0] = 1.0
        return x / norms.reshape((-1,) + (1,) * (x.ndim - 1))


class IdentityNormalizer(Normalizer):
    """No normalization: values pass through (cast to float32).

    Example:
        >>> import numpy as np
        >>> from trainlab.preprocess.normalize import IdentityNormalizer
        >>> IdentityNormalizer().transform(np.array([[1, 2]], dtype=np.uint8))
        array([[1., 2.]], dtype=float32)
    """

    name = "none"
    stateless = True

    def _apply(self, x: Any, stats: dict[str, Any]) -> Any:
        return x

    def _invert(self, x: Any, stats: dict[str, Any]) -> Any:
        return x


#: normalizations: name → Normalizer class
NORMALIZERS: Registry = Registry(
    "normalization",
    {
        "standard": StandardNormalizer,
        "minmax": MinMaxNormalizer,
        "unit-norm": UnitNormNormalizer,
        "none": IdentityNormalizer,
    },
    aliases={
        "standardize": "standard",
        "zscore": "standard",
        "z-score": "standard",
        "min-max": "minmax",
        "l2": "unit-norm",
        "unit": "unit-norm",
        "identity": "none",
    },
)


def build_normalizer(name: str, per: str = "channel") -> Normalizer:
    """The normalizer registered as ``name``, unfitted.

    Args:
        name: ``standard``, ``minmax``, ``unit-norm`` or ``none`` (or an alias).
        per: ``feature``, ``channel`` or ``global``.

    Returns:
        A new, unfitted :class:`Normalizer`.

    Raises:
        ConfigError: unknown ``name`` or ``per``.

    Example:
        >>> from trainlab.preprocess.normalize import build_normalizer
        >>> build_normalizer("minmax", per="global")
        MinMaxNormalizer(per='global', unfitted)
    """
    return NORMALIZERS.get(name)(per=per)


def _as_batch(x: Any, what: str) -> np.ndarray:
    """``x`` as a numeric numpy batch with at least two dimensions."""
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu().numpy()
    x = np.asarray(x)
    if x.ndim < 2:
        raise DataError(
            f"normalizer {what}: expected a batch (N, F), (N, C, L) or (N, C, H, W), "
            f"got shape {x.shape}"
        )
    if not (np.issubdtype(x.dtype, np.number) or x.dtype == np.bool_):
        raise DataError(f"normalizer {what}: expected numbers, got dtype {x.dtype}")
    return x
