"""Movie-review polarity: gensim's 200 labelled sentences (100 negative, 100 positive).

gensim ships ``pang_lee_polarity.cor`` in its test data (the file that
``gensim.test.utils.datapath("pang_lee_polarity.cor")`` names): 200 sentences
of Pang and Lee's sentence polarity data set v1.0 (short Rotten Tomatoes
review snippets). What the file is, as found in gensim 4.4: one sentence a
line, in fastText's format — a ``__label__neg`` or ``__label__pos`` token,
a space, the sentence lowercased and tokenized with spaces around
punctuation (most lines end in a space); the 100 negative lines first. It is not UTF-8
but Windows-1252 (``0x97`` is an em dash, ``0xe9`` an é), and it is read as
such. The file is found without importing gensim (which takes seconds).

Reference:
    Pang, B. and Lee, L. (2005). Seeing stars: exploiting class relationships for
    sentiment categorization with respect to rating scales. ACL 2005.

Example:
    >>> from trainlab.data.datasets.text.polarity import parse_polarity
    >>> parse_polarity("__label__pos a gem . \\n__label__neg dull . \\n", "x.cor")
    [('a gem .', 'pos'), ('dull .', 'neg')]
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from trainlab.core.errors import DataError
from trainlab.data._bundle import DataBundle
from trainlab.data.datasets.text._texts import TextItem, text_bundle

#: the file's name in gensim's test data
FILE = "pang_lee_polarity.cor"
#: the file's encoding (not UTF-8)
ENCODING = "cp1252"
_PREFIX = "__label__"


def polarity_file() -> Path:
    """The path of ``pang_lee_polarity.cor`` in the installed gensim's test data.

    Raises:
        DataError: gensim is not installed (saying how to install it), or lacks the file.

    Example:
        >>> polarity_file().name
        'pang_lee_polarity.cor'
    """
    spec = importlib.util.find_spec("gensim")
    if spec is None or not spec.submodule_search_locations:
        raise DataError(
            "dataset 'polarity' needs gensim's test data; install it with "
            "pip install 'trainlab[text]'"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "test" / "test_data" / FILE
    if not path.is_file():
        raise DataError(f"{path}: not found (gensim's test data lacks {FILE})")
    return path


def parse_polarity(text: str, where: str | Path) -> list[tuple[str, str]]:
    """(sentence, label) of every non-blank line ``__label__<label> <sentence>``."""
    rows = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        label, _, sentence = line.strip().partition(" ")
        if not label.startswith(_PREFIX) or not sentence.strip():
            raise DataError(
                f"{where}, line {line_no}: expected '__label__<label> <sentence>', got "
                f"{line[:40]!r}"
            )
        rows.append((sentence.strip(), label[len(_PREFIX) :]))
    return rows


def load_polarity() -> DataBundle:
    """Polarity: 200 movie-review sentences, negative or positive (Pang & Lee, in gensim).

    Returns:
        A text bundle: ``x`` 200 lowercased, tokenized sentences, classes
        ``["neg", "pos"]``, no test split.

    Raises:
        DataError: gensim (the ``text`` extra) is not installed, or its file is
            not in the expected format.

    Example:
        >>> b = load_polarity()
        >>> len(b.train), b.classes, b.train.x[0]
        (200, ['neg', 'pos'], 'simplistic , silly and tedious .')
    """
    path = polarity_file()
    rows = parse_polarity(path.read_bytes().decode(ENCODING), path)
    items = [TextItem(sentence, label) for sentence, label in rows]
    return text_bundle(
        items,
        dataset="polarity",
        source=str(path),
        notes=["sentences of Pang and Lee's polarity data set v1.0, lowercased and tokenized"],
    )
