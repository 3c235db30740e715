"""Data set loaders, listed by name in :data:`trainlab.data.datasets.registry.DATASETS`.

A loader is a function of keyword-only options returning a
:class:`~trainlab.data.DataBundle`; the first line of its docstring is its
description (``trainlab datasets``). :func:`load_dataset` checks a recipe's
``data.options`` against the loader's signature and type hints, calls it, and
validates what comes back (examples present, features finite, targets sound).

Example:
    >>> from trainlab.data.datasets import dataset_descriptions, load_dataset
    >>> b = load_dataset("breast_cancer", {})
    >>> b.name, len(b.train), b.num_classes
    ('breast-cancer', 569, 2)
    >>> "csv" in dataset_descriptions()
    True
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from trainlab.core.errors import ConfigError, DataError
from trainlab.data._bundle import ArrayData, DataBundle, Target
from trainlab.data.datasets.registry import DATASETS

__all__ = ["dataset_descriptions", "dataset_options", "load_dataset", "validate_bundle"]

_OPTION_KINDS = (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def _description(loader: Callable[..., Any]) -> str:
    doc = inspect.getdoc(loader) or ""
    return next((line.strip() for line in doc.splitlines() if line.strip()), "")


def dataset_descriptions() -> dict[str, str]:
    """Registered data set name → the first line of its loader's docstring.

    Example:
        >>> dataset_descriptions()["wine"]
        'Wine: 178 wines, 13 chemical features, 3 cultivars (scikit-learn).'
    """
    return {name: _description(loader) for name, loader in DATASETS.items()}


def dataset_options(name: str) -> dict[str, Any]:
    """The options of data set ``name`` and their defaults (``inspect.Parameter.empty``: required).

    Example:
        >>> dataset_options("csv")["delimiter"]
        ','
    """
    loader = DATASETS.get(name)
    params = inspect.signature(loader).parameters.values()
    return {p.name: p.default for p in params if p.kind in _OPTION_KINDS}


def _check_options(key: str, loader: Callable[..., Any], options: Mapping[str, Any]) -> dict:
    """Options checked against the loader's signature and converted to its type hints."""
    from pydantic import TypeAdapter, ValidationError

    params = dataset_options(key)
    for option in options:
        if option not in params:
            expected = f"expected one of: {', '.join(params)}" if params else "it takes no options"
            raise ConfigError(
                f"data.options: unknown option {option!r} for dataset {key!r}; {expected}"
            )
    missing = [n for n, d in params.items() if d is inspect.Parameter.empty and n not in options]
    if missing:
        names = ", ".join(repr(m) for m in missing)
        raise ConfigError(
            f"data.options: dataset {key!r} needs option{'s' if len(missing) > 1 else ''} "
            f"{names} (e.g. --set data.options.{missing[0]}=...)"
        )
    hints = typing.get_type_hints(loader)
    checked: dict[str, Any] = {}
    for option, value in options.items():
        hint = hints.get(option)
        if hint is None:
            checked[option] = value
            continue
        try:
            checked[option] = TypeAdapter(hint).validate_python(value)
        except ValidationError as exc:
            msg = exc.errors()[0]["msg"]
            raise ConfigError(
                f"data.options.{option}: {msg[0].lower()}{msg[1:]} for dataset {key!r}, "
                f"got {value!r}"
            ) from None
    return checked


def _non_finite(x: Any) -> tuple[int, int]:
    """(number of NaN or infinite values, index of the first example holding one).

    An object table (text categories and missing cells beside numbers) is
    checked in its numbers only; ``None`` and strings are the preprocessing's.
    """
    count, first = 0, -1
    if isinstance(x, list):
        for i, item in enumerate(x):
            a = np.asarray(item)
            if a.dtype.kind in "fc":
                n = int(np.count_nonzero(~np.isfinite(a)))
                if n and first < 0:
                    first = i
                count += n
        return count, first
    a = np.asarray(x)
    if a.dtype == object and a.size:
        a = np.frompyfunc(_non_finite_cell, 1, 1)(a).astype(bool)
        return _first_bad(a)
    if a.dtype.kind not in "fc" or a.size == 0:
        return 0, -1
    return _first_bad(~np.isfinite(a))


def _non_finite_cell(v: Any) -> bool:
    """Whether one cell of an object table is a NaN or infinite number (never text or None)."""
    return isinstance(v, (float, np.floating)) and not np.isfinite(v)


def _first_bad(bad: np.ndarray) -> tuple[int, int]:
    bad = bad.reshape(len(bad), -1)
    count = int(np.count_nonzero(bad))
    return count, int(np.argmax(bad.any(axis=1))) if count else -1


def _check_target(name: str, part: str, target: Target, values: np.ndarray, extra: bool) -> None:
    """Labels in ``[0, k)`` for a classification target, finite floats for a regression one."""
    of = f" for target {target.name!r}" if extra else ""
    if target.kind == "regression":
        if values.dtype.kind != "f":
            raise DataError(
                f"dataset {name!r}: regression target {target.name!r} holds {values.dtype} "
                "values, expected floats"
            )
        bad = ~np.isfinite(values)
        if bad.any():
            i = int(np.argmax(bad))
            raise DataError(
                f"dataset {name!r}: {part} example {i} has a NaN or infinite value{of} "
                f"({int(bad.sum())} such values)"
            )
        return
    k = target.num_classes
    out = (values < 0) | (values >= k)
    if out.any():
        i = int(np.argmax(out))
        raise DataError(
            f"dataset {name!r}: {part} example {i} has label {int(values[i])}{of}, outside "
            f"0..{k - 1} for its {k} classes ({int(out.sum())} such labels)"
        )


def _check_targets(bundle: DataBundle, name: str) -> None:
    """Every target has what its kind needs: classes, or nothing; extras have distinct names."""
    main = bundle.main_target
    if main.kind == "classification" and bundle.num_classes == 0:
        raise DataError(f"dataset {name!r} has no classes")
    if main.kind == "regression" and bundle.classes:
        raise DataError(f"dataset {name!r}: a regression target has no classes")
    names = [t.name for t in bundle.targets]
    if len(set(names)) != len(names):
        raise DataError(f"dataset {name!r}: two targets share a name in {names}")
    for t in bundle.extra_targets:
        if t.kind == "classification" and t.num_classes == 0:
            raise DataError(f"dataset {name!r}: target {t.name!r} has no classes")


def validate_bundle(bundle: DataBundle, name: str | None = None) -> DataBundle:
    """Check a loader's result: examples present, features finite, targets sound.

    A classification target needs labels in ``[0, num_classes)``; a regression
    target finite float values and no classes; every extra target its values
    in every split. In an object table (text and missing cells) only the
    numbers are checked for NaN and infinity.

    Args:
        bundle: what the loader returned.
        name: the data set, for messages (default ``bundle.name``).

    Returns:
        ``bundle``, unchanged.

    Raises:
        DataError: no examples, NaN or infinite features, a label outside
            ``[0, num_classes)``, a NaN or infinite regression value, or an
            extra target without values.

    Example:
        >>> import numpy as np
        >>> b = DataBundle("toy", "tabular", ArrayData(np.ones((2, 1)), [0, 1]), ["a", "b"])
        >>> validate_bundle(b).name
        'toy'
        >>> r = DataBundle("toy", "tabular", ArrayData(np.ones((2, 1)), [0.5, 2.0]), [],
        ...                target=Target("w", "regression"))
        >>> validate_bundle(r).task_kind
        'regression'
    """
    name = name or bundle.name
    if len(bundle.train) == 0:
        raise DataError(f"dataset {name!r} has no examples")
    _check_targets(bundle, name)
    main = bundle.main_target
    if main.kind == "classification":  # the labels index ``classes``
        main = Target(main.name, main.kind, tuple(bundle.classes))
    parts: list[tuple[str, ArrayData | None]] = [("train", bundle.train), ("test", bundle.test)]
    for part, data in parts:
        if data is None:
            continue
        if len(data) == 0:
            raise DataError(f"dataset {name!r}: its {part} split has no examples")
        count, first = _non_finite(data.x)
        if count:
            raise DataError(
                f"dataset {name!r}: {count} feature value{'s are' if count > 1 else ' is'} "
                f"NaN or infinite (the first in {part} example {first})"
            )
        _check_target(name, part, main, data.y, extra=False)
        for t in bundle.extra_targets:
            if t.name not in data.extra:
                raise DataError(f"dataset {name!r}: its {part} split has no target {t.name!r}")
            _check_target(name, part, t, data.extra[t.name], extra=True)
    return bundle


def load_dataset(name: str, options: Mapping[str, Any] | None = None) -> DataBundle:
    """Load a registered data set with its options, checked, and validate the result.

    Args:
        name: a registered name (``trainlab datasets``); ``_`` and ``-`` are alike.
        options: the loader's keyword options (a recipe's ``data.options``).

    Returns:
        The validated :class:`~trainlab.data.DataBundle`.

    Raises:
        ConfigError: unknown data set, unknown or missing option, ill-typed value.
        DataError: the data is missing or malformed.

    Example:
        >>> load_dataset("digits", {"source": "sklearn"}).train.x.shape
        (1797, 1, 8, 8)
        >>> try:
        ...     load_dataset("wine", {"path": "x.csv"})
        ... except ConfigError as e:
        ...     print(e)
        data.options: unknown option 'path' for dataset 'wine'; it takes no options
    """
    key = DATASETS.canonical(name)
    loader = DATASETS.get(key)
    if options is not None and not isinstance(options, Mapping):
        raise ConfigError(f"data.options: expected a mapping, got {options!r}")
    kwargs = _check_options(key, loader, dict(options or {}))
    return validate_bundle(loader(**kwargs), key)
