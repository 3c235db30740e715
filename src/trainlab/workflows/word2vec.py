"""``trainlab word2vec``: word vectors (CBOW or skip-gram) trained on a corpus, and judged.

The corpus is the English or Spanish fortunes, gensim's Lee corpus, or a text
file of the user's (one sentence or paragraph a line), tokenized as
``preprocess.text`` tokenizes (lowercased Unicode words). The folder written
holds the vectors (word2vec text format, readable by gensim and by
``trainlab.preprocess.text.word2vec.read_vectors``), a table of nearest
neighbours and the evaluation (WordSim353 and SimLex-999 correlations, the
analogy accuracy, and how much of each set the corpus's vocabulary covers),
written as one folder or not at all.

Example:
    >>> from trainlab.workflows.word2vec import CORPORA
    >>> sorted(CORPORA)
    ['fortunes', 'fortunes-es', 'lee']
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainlab.core.errors import ConfigError, DataError
from trainlab.preprocess.text.tokenize import tokenize


def _fortunes(language: str) -> list[str]:
    from trainlab.data.datasets.text.fortunes import load_fortunes

    bundle = load_fortunes(language=language, min_class_size=1, max_chars=None)
    return [str(t) for t in bundle.train.x]


def _lee() -> list[str]:
    from gensim.test.utils import datapath

    return Path(datapath("lee_background.cor")).read_text(encoding="utf-8").splitlines()


#: the built-in corpora: name → its lines of text
CORPORA: dict[str, Callable[[], list[str]]] = {
    "fortunes": lambda: _fortunes("en"),
    "fortunes-es": lambda: _fortunes("es"),
    "lee": _lee,
}


def corpus_lines(corpus: str, where: str = "--corpus") -> list[str]:
    """The lines of a built-in corpus, or of the UTF-8 text file ``corpus``.

    ``where``: what a bad corpus is called in the error (the option or the recipe key).
    """
    if corpus in CORPORA:
        return CORPORA[corpus]()
    path = Path(corpus)
    if not path.is_file():
        raise ConfigError(
            f"{where} {corpus!r}: not a built-in corpus ({', '.join(sorted(CORPORA))}) "
            "nor a text file"
        )
    from trainlab.data.datasets.text._texts import decode_utf8

    return decode_utf8(path.read_bytes(), path).splitlines()


@dataclass(frozen=True)
class Word2VecRun:
    """What ``trainlab word2vec`` wrote: the folder, the vocabulary size, the evaluation."""

    folder: Path
    vocabulary: int
    evaluation: dict[str, Any]
    neighbours: dict[str, list[tuple[str, float]]]


def run_word2vec(corpus: str, out: str | Path, config, words: list[str] | None = None):
    """Train word vectors on ``corpus`` with ``config`` and write them to the folder ``out``.

    Args:
        corpus: a built-in corpus (:data:`CORPORA`) or a text file.
        out: the folder to write (replaced whole, atomically).
        config: a :class:`~trainlab.preprocess.text.word2vec.Word2VecConfig`.
        words: the words whose neighbours are listed (default: the 10 most frequent
            words of at least 4 letters).
    """
    from trainlab.preprocess.text.word2vec import (
        evaluate_vectors,
        nearest_neighbours,
        train_word2vec,
        write_vectors,
    )

    sentences = [tokens for line in corpus_lines(corpus) if (tokens := tokenize(line))]
    if not sentences:
        raise DataError(f"--corpus {corpus}: no words")
    vectors = train_word2vec(sentences, config)
    if words is None:
        words = [w for w in vectors.index_to_key if len(w) >= 4][:10]
    neighbours = nearest_neighbours(vectors, words, k=5)
    evaluation = evaluate_vectors(vectors)
    out = Path(out)
    tmp = out.with_name(f".{out.name}.{secrets.token_hex(4)}.part")
    tmp.mkdir(parents=True)
    try:
        write_vectors(vectors, tmp / "vectors.txt")
        (tmp / "neighbours.md").write_text(_table(neighbours), encoding="utf-8")
        summary = {"corpus": corpus, "sentences": len(sentences), "vocabulary": len(vectors)}
        summary.update(config=_plain(config), evaluation=evaluation)
        (tmp / "evaluation.json").write_text(json.dumps(summary, indent=2) + "\n", "utf-8")
        if out.is_dir():
            shutil.rmtree(out)
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return Word2VecRun(out, len(vectors), evaluation, neighbours)


def _plain(config) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(config)


def _table(neighbours: dict[str, list[tuple[str, float]]]) -> str:
    """A Markdown table: each word and its nearest neighbours with their cosine similarity."""
    lines = ["| word | nearest neighbours (cosine similarity) |", "|---|---|"]
    for word, near in neighbours.items():
        cells = ", ".join(f"{w} ({s:.2f})" for w, s in near)
        lines.append(f"| {word} | {cells} |")
    return "\n".join(lines) + "\n"
