"""What the text loaders share: strict UTF-8 decoding, labelled texts, and the text bundle.

Text files are read as UTF-8 (a leading byte-order mark is dropped, as
``utf-8-sig`` does); a file that is not UTF-8 is a one-line ``DataError``
naming it, the byte offset of the first bad byte in the file (counting the
byte-order mark) and its line. A text bundle's ``x`` is a numpy object array
of Python ``str`` (N,), ``y`` int64 labels indexing ``classes``.

Example:
    >>> from trainlab.data.datasets.text._texts import TextItem, text_bundle
    >>> b = text_bundle([TextItem("hola", "es"), TextItem("hello", "en")], dataset="toy",
    ...                 source="here")
    >>> b.modality, b.train.x.tolist(), b.train.y.tolist(), b.classes
    ('text', ['hola', 'hello'], [1, 0], ['en', 'es'])
"""

from __future__ import annotations

import codecs
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from trainlab.core.errors import ConfigError, DataError
from trainlab.data._bundle import ArrayData, DataBundle

#: what an unusable text does: stop the load, or be left out with a warning
ON_ERROR: tuple[str, ...] = ("fail", "skip")
#: the splits a text may belong to
SPLITS: tuple[str, ...] = ("train", "test")

_INTEGER = re.compile(r"[+-]?\d+")


def decode_utf8(data: bytes, where: str | Path) -> str:
    """``data`` as UTF-8 text (a leading byte-order mark dropped); ``DataError`` if it is not.

    Example:
        >>> decode_utf8(codecs.BOM_UTF8 + "año".encode(), "a.txt")
        'año'
        >>> try:
        ...     decode_utf8(b"line one\\nMa\\xf1ana", "b.txt")
        ... except DataError as e:
        ...     print(e)
        b.txt: not UTF-8 text (invalid continuation byte at byte 11, line 2); save it as UTF-8
    """
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = skip + exc.start
        line = data.count(b"\n", 0, offset) + 1
        raise DataError(
            f"{where}: not UTF-8 text ({exc.reason} at byte {offset}, line {line}); "
            "save it as UTF-8"
        ) from None


def read_text(path: Path) -> str:
    """The UTF-8 text of the file ``path``; ``DataError`` naming it if unreadable or not UTF-8.

    Example:
        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "a.txt"
        >>> _ = p.write_bytes("¿qué?".encode())
        >>> read_text(p)
        '¿qué?'
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return decode_utf8(data, path)


def check_on_error(on_error: str) -> None:
    """``ConfigError`` unless ``on_error`` is ``"fail"`` or ``"skip"``.

    Example:
        >>> try:
        ...     check_on_error("ignore")
        ... except ConfigError as e:
        ...     print(e)
        data.options.on_error: expected 'fail' or 'skip', got 'ignore'
    """
    if on_error not in ON_ERROR:
        raise ConfigError(f"data.options.on_error: expected 'fail' or 'skip', got {on_error!r}")


def unusable(dataset: str, message: str, on_error: str) -> None:
    """Raise ``DataError(message)`` (``on_error="fail"``), or warn that the text was skipped."""
    if on_error == "fail":
        raise DataError(message)
    warnings.warn(f"{dataset}: skipped {message}", stacklevel=3)


def class_names(labels: Iterable[str]) -> list[str]:
    """The distinct labels, sorted: by value when every one is an integer, else as text.

    Example:
        >>> class_names(["10", "2", "2"]), class_names(["b", "a", "10"])
        (['2', '10'], ['10', 'a', 'b'])
    """
    names = set(labels)
    if names and all(_INTEGER.fullmatch(n) for n in names):
        return sorted(names, key=lambda n: (int(n), n))
    return sorted(names)


@dataclass(frozen=True)
class TextItem:
    """One labelled text: the text, its class name, its split, and what names it in messages."""

    text: str
    label: str
    split: str = "train"
    where: str = ""


def text_array(texts: Sequence[str]) -> np.ndarray:
    """``texts`` as a numpy object array of ``str`` (N,) (never a fixed-width string array).

    Example:
        >>> a = text_array(["a", "bc"])
        >>> a.dtype.name, a.shape, type(a[1]).__name__
        ('object', (2,), 'str')
    """
    x = np.empty(len(texts), dtype=object)
    x[:] = list(texts)
    return x


def _check_test_labels(items: Sequence[TextItem], classes: list[str], source: str) -> None:
    for item in items:
        if item.split == "test" and item.label not in classes:
            where = item.where or source
            raise DataError(
                f"{where}: class {item.label!r} of the test split is not a class of the "
                f"training texts (expected one of: {', '.join(classes)})"
            )


def text_bundle(
    items: Sequence[TextItem],
    *,
    dataset: str,
    source: str,
    notes: Sequence[str] = (),
    classes: Sequence[str] | None = None,
) -> DataBundle:
    """A text bundle: the ``"train"`` items, and the ``"test"`` ones as its own test split.

    The classes are ``classes`` or those of the training items (see
    :func:`class_names`); a test item of another class is a ``DataError``.

    Example:
        >>> b = text_bundle([TextItem("a", "x"), TextItem("b", "x", "test")], dataset="toy",
        ...                 source="s")
        >>> b.train.x.tolist(), b.test.x.tolist(), b.classes
        (['a'], ['b'], ['x'])
    """
    train = [i for i in items if i.split == "train"]
    if not train:
        raise DataError(f"{source}: no training texts")
    names = list(classes) if classes is not None else class_names(i.label for i in train)
    _check_test_labels(items, names, source)
    index = {c: k for k, c in enumerate(names)}

    def part(chosen: Sequence[TextItem]) -> ArrayData:
        labels = np.asarray([index[i.label] for i in chosen], dtype=np.int64)
        return ArrayData(text_array([i.text for i in chosen]), labels)

    test = [i for i in items if i.split == "test"]
    return DataBundle(
        name=dataset,
        modality="text",
        train=part(train),
        test=part(test) if test else None,
        classes=names,
        source=source,
        notes=list(notes),
    )
