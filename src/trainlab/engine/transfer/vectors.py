"""Word vectors as a transfer source: word2vec initializes a text model's embedding stage.

A text model's first stage is its word embedding (``embedding``). Word
vectors trained on a large corpus (Mikolov et al. 2013, "Efficient
Estimation of Word Representations in Vector Space",
https://arxiv.org/abs/1301.3781; ``trainlab word2vec`` writes them) are the
oldest transfer of text: the embedding starts from them, and the transfer
strategies then freeze it (``freeze-first-n``), fine-tune it
(``fine-tune-all``) or train it at its own learning rate
(``differential-lr``), as Kim 2014 ("Convolutional Neural Networks for
Sentence Classification", EMNLP) compares static and non-static vectors.

``transfer.checkpoint`` names the vectors: a word2vec text file (``.txt``,
``.vec``) or the folder ``trainlab word2vec`` wrote. Row ``i`` of the
embedding becomes the vector of the vocabulary's token ``i``
(:func:`~trainlab.preprocess.text.word2vec.embedding_matrix`); a token
without a vector keeps a random row of the vectors' scale, padding stays zero.
How much of the vocabulary has a vector is saved with the model: the
vectors are looked up by the model's tokens, so a pipeline that stems words
the vectors do not finds few.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from trainlab.engine.transfer.vectors import is_vectors_path
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "vectors.txt").write_text("1 2\\nsol 0.5 1.0\\n", encoding="utf-8")
    >>> is_vectors_path(d / "vectors.txt"), is_vectors_path(d), is_vectors_path(d / "m.safetensors")
    (True, True, False)
    >>> src = load_vectors_source(d)
    >>> src.stage_names, src.dim, src.classes
    (['embedding'], 2, [])
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from trainlab.core.errors import CheckpointError, ConfigError, DataError
from trainlab.models import StagedModel

#: the suffixes of word-vector files (word2vec text format)
SUFFIXES = (".txt", ".vec")
#: the file a ``trainlab word2vec`` folder holds its vectors in
VECTORS_FILE = "vectors.txt"
#: below this share of the vocabulary with a vector, the run says so
LOW_COVERAGE = 0.5


def is_vectors_path(path: str | Path) -> bool:
    """Whether ``path`` names word vectors: a ``.txt``/``.vec`` file, or a word2vec folder."""
    path = Path(path)
    if path.is_dir():
        return (path / VECTORS_FILE).is_file() and not (path / "model.safetensors").exists()
    return path.suffix.lower() in SUFFIXES


@dataclass(frozen=True)
class TextInputs:
    """What word vectors need of a text model's data.

    Attributes:
        words: the vocabulary, token by id (padding and unknown first).
        sentences: the corpus vectors trained in the run learn from, tokenized as the
            model's texts (called only then).
    """

    words: list[str]
    sentences: Callable[[], list[list[str]]] = list


@dataclass
class VectorsSource:
    """Word vectors to copy into a text model's embedding stage (build with
    :func:`load_vectors_source`)."""

    path: Path
    vectors: Any  # gensim KeyedVectors
    sha256: str
    #: no classes, no preprocessing to adopt or check
    classes: list[str] = field(default_factory=list)
    preprocess: dict[str, Any] | None = None

    @property
    def stage_names(self) -> list[str]:
        """The one stage word vectors initialize."""
        return ["embedding"]

    @property
    def dim(self) -> int:
        return int(self.vectors.vector_size)

    def vector_set(self, text: TextInputs) -> Any:
        """The vectors to copy (gensim ``KeyedVectors``)."""
        return self.vectors

    @property
    def model(self) -> StagedModel:
        raise ConfigError(
            f"transfer: {self.path} holds word vectors, not a model: set "
            "transfer.architecture: recipe (a text model whose embedding they initialize)"
        )

    def describe(self) -> dict[str, Any]:
        """Provenance saved with the new model: file, hash, vectors."""
        return {
            "checkpoint": str(self.path),
            "sha256": self.sha256,
            "vectors": {"words": len(self.vectors.index_to_key), "dim": self.dim},
            "stages": self.stage_names,
            "classes": [],
        }

    where = "transfer.checkpoint"

    def copy_into(
        self, model: StagedModel, n: int, *, head: bool, text: TextInputs | None, seed: int = 0
    ) -> tuple[list[str], dict[str, Any]]:
        """Write the vectors into ``model``'s embedding; the stages copied and the coverage.

        ``text``: the model's vocabulary (and corpus), None when the data are not text.
        """
        from trainlab.preprocess.text.word2vec import embedding_matrix

        where = f"{self.where} {self.path}"
        words = text.words if text is not None else None
        if text is None:
            raise ConfigError(f"{where}: word vectors initialize a text model's embedding")
        if head:
            raise ConfigError(f"{where}: word vectors have no head to copy; set transfer.head: new")
        if n != 1:
            raise ConfigError(f"{where}: word vectors fill one stage, the embedding; set stages: 1")
        if not model.stage_names or model.stage_names[0] != "embedding":
            raise ConfigError(
                f"{where}: word vectors initialize a word embedding, but the model "
                f"({model.config.get('name')}) starts with {model.stage_names[:1]}; use a sequence "
                "model (embedding-bag, text-cnn, gru) with preprocess.text.representation: sequence"
            )
        weight = _embedding_weight(model)
        if weight.shape[1] != self.dim:
            raise ConfigError(
                f"{where}: the vectors have {self.dim} dimensions, the model's embedding "
                f"{weight.shape[1]}; set model.embedding_dim: {self.dim}"
            )
        matrix = embedding_matrix(self.vector_set(text), list(words), seed=seed)
        with torch.no_grad():
            weight.copy_(torch.from_numpy(matrix))
        found = sum(1 for w in words[2:] if w in self.vector_set(text).key_to_index)
        coverage = found / max(1, len(words) - 2)
        if found == 0:
            raise DataError(
                f"{where}: none of the vocabulary's {len(words) - 2} words has a vector (the "
                "vectors come from another language or other tokens: stemming, n-grams?)"
            )
        if coverage < LOW_COVERAGE:
            warnings.warn(
                f"{where}: only {coverage:.0%} of the vocabulary's words have a vector; the "
                "others start random (train the vectors on tokens like the model's: no stemming)",
                stacklevel=2,
            )
        return ["embedding"], {"coverage": round(coverage, 4), "found": found}


def _embedding_weight(model: StagedModel) -> torch.Tensor:
    for module in model.stage("embedding").modules():
        if isinstance(module, torch.nn.Embedding):
            return module.weight
    raise ConfigError("transfer: the model's embedding stage holds no nn.Embedding")


def vectors_file(path: str | Path) -> Path:
    """The word-vector file of ``path`` (a file, or a ``trainlab word2vec`` folder)."""
    path = Path(path)
    return path / VECTORS_FILE if path.is_dir() else path


def load_vectors_source(path: str | Path) -> VectorsSource:
    """The word vectors at ``path``; ``CheckpointError`` naming the file if they cannot be read."""
    from trainlab.preprocess.text.word2vec import read_vectors

    file = vectors_file(path)
    try:
        vectors = read_vectors(file)
    except DataError as exc:
        raise CheckpointError(f"transfer.checkpoint: {exc}") from None
    h = hashlib.sha256(file.read_bytes()).hexdigest()
    return VectorsSource(file, vectors, h)


@dataclass
class PretrainedVectors(VectorsSource):
    """Word vectors trained in the run, on the model's own tokens, the first time they are needed.

    ``path`` names the corpus (``word2vec on the training texts``); ``config`` is a
    :class:`~trainlab.preprocess.text.word2vec.Word2VecConfig` whose ``vector_size``
    is the model's embedding size. Every member of a run copies the same vectors.
    """

    config: Any = None
    where = "pretrain"

    @property
    def dim(self) -> int:
        return int(self.config.vector_size)

    def vector_set(self, text: TextInputs) -> Any:
        if self.vectors is None:
            from trainlab.preprocess.text.word2vec import train_word2vec

            sentences = [s for s in text.sentences() if s]
            if not sentences:
                raise DataError(f"{self.where} {self.path}: the corpus has no words")
            self.vectors = train_word2vec(sentences, self.config)
        return self.vectors

    def describe(self) -> dict[str, Any]:
        return {
            "checkpoint": str(self.path),
            "sha256": self.sha256,
            "vectors": {"dim": self.dim, "architecture": self.config.architecture},
            "stages": self.stage_names,
            "classes": [],
        }
