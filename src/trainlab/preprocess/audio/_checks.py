"""Argument checks shared by the audio kernels: one line naming the argument.

Every check raises :class:`~trainlab.core.errors.ConfigError` (a
``ValueError``) with the argument's name, what was given and what was
expected, and returns the value converted to its type.

Example:
    >>> from trainlab.preprocess.audio._checks import check_int
    >>> check_int("n_fft", 512, low=2)
    512
    >>> check_int("n_fft", 1, low=2)
    Traceback (most recent call last):
    ...
    trainlab.core.errors.ConfigError: n_fft: expected an integer >= 2, got 1
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import torch

from trainlab.core.errors import ConfigError, DataError


def check_choice(name: str, value: Any, choices: tuple[str, ...]) -> str:
    """``value`` if it is one of ``choices``; ``ConfigError`` listing them otherwise."""
    if not isinstance(value, str) or value not in choices:
        raise ConfigError(f"{name}: expected one of {', '.join(choices)}, got {value!r}")
    return value


def check_int(name: str, value: Any, *, low: int = 1) -> int:
    """``value`` as an int if it is a whole number >= ``low`` (booleans refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        raise ConfigError(f"{name}: expected an integer >= {low}, got {value!r}")
    return int(value)


def check_float(
    name: str,
    value: Any,
    *,
    low: float = -math.inf,
    high: float = math.inf,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """``value`` as a finite float inside the interval given (open or closed ends)."""
    lo, hi = "(" if low_open else "[", ")" if high_open else "]"
    expected = f"a number in {lo}{low:g}, {high:g}{hi}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ConfigError(f"{name}: expected {expected}, got {value!r}")
    v = float(value)
    below = v <= low if low_open else v < low
    above = v >= high if high_open else v > high
    if math.isnan(v) or below or above:
        raise ConfigError(f"{name}: expected {expected}, got {value!r}")
    return v


def as_float_tensor(x: Any, what: str, *, min_ndim: int = 1) -> torch.Tensor:
    """``x`` as a float32/float64 tensor (other dtypes become float32), ``min_ndim`` checked."""
    if not isinstance(x, torch.Tensor):
        x = torch.as_tensor(x)
    if x.dtype not in (torch.float32, torch.float64):
        x = x.to(torch.float32)
    if x.ndim < min_ndim:
        raise DataError(
            f"{what}: expected a tensor of at least {min_ndim} dimensions, got shape "
            f"{tuple(x.shape)}"
        )
    return x
