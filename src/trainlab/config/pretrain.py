"""The recipe's ``pretrain`` section: a model's first stages learned before training.

``method: word2vec`` trains word vectors (Mikolov et al. 2013, CBOW or
skip-gram) on a corpus tokenized as the model's text, and a text model's
embedding starts from them; ``transfer.strategy`` then freezes or
fine-tunes it, as for vectors read from a file (``transfer.checkpoint``).
The default corpus, ``training``, is every text of the training part:
the labelled training split and, with ``split.train_size``, the texts it
left out, used without their labels; never a validation or test text.

The self-supervised methods learn every stage of the recipe's model from the
inputs of the training part without their labels (the labelled split and the
examples ``split.train_size`` left out), with a pretext task and a head of its
own that is then dropped; the run's model starts from those stages, and
``transfer.strategy`` decides what trains (``head-only``: a linear probe;
``fine-tune-all``, ``differential-lr``, …):

- ``rotation``: predict which of 0°, 90°, 180°, 270° an image was turned by
  (Gidaris et al., 2018);
- ``simclr``: two views of every input drawn by the augmentation engine
  (``views``, an ``augment`` list; None: the modality's defaults) are pulled
  together and pushed from the batch's other inputs by the NT-Xent loss
  (Chen et al., 2020);
- ``masked``: blocks of a signal or spectrogram along time are zeroed and the
  model reconstructs them (as BERT masks words and MAE patches).

``supervised`` pretrains on other classes of the same data set
(``classes``, all their labels), the lecture's base task: the run's classes
are the target task, and the checkpoint's normalization is checked and
adopted as for any transfer.

Example:
    >>> from trainlab.config.pretrain import PretrainConfig
    >>> PretrainConfig(method="word2vec").corpus
    'training'
    >>> PretrainConfig(method="simclr").self_supervised
    True
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from trainlab.config.section import Section

#: the methods that learn from the training inputs without their labels
SELF_SUPERVISED = ("rotation", "simclr", "masked")


class PretrainConfig(Section):
    """Learn the first stages before training: word2vec, a pretext task, or other classes."""

    #: none, word2vec (a text model's embedding; preprocess.text.representation: sequence),
    #: rotation, simclr, masked (self-supervised), or supervised (on ``classes``)
    method: Literal["none", "word2vec", "rotation", "simclr", "masked", "supervised"] = "none"
    #: word2vec: training (every training-part text, labelled or not), fortunes, fortunes-es,
    #: lee, or a UTF-8 text file (one sentence or paragraph a line)
    corpus: str = "training"
    architecture: Literal["cbow", "skip-gram"] = "skip-gram"
    #: the vectors' size (None: model.embedding_dim)
    vector_size: int | None = Field(default=None, ge=1)
    window: int = Field(default=5, ge=1)
    min_count: int = Field(default=2, ge=1)
    #: passes over the corpus (word2vec) or the training inputs (the other methods)
    epochs: int = Field(default=5, ge=1)
    negative: int = Field(default=5, ge=1)
    #: rotation, simclr, masked, supervised: examples a batch and Adam's learning rate
    batch_size: int = Field(default=256, ge=2)
    lr: float = Field(default=1e-3, gt=0.0)
    #: simclr: NT-Xent's temperature
    temperature: float = Field(default=0.5, gt=0.0)
    #: simclr: the augmentations that draw each view, as an ``augment`` list (None: the
    #: modality's defaults)
    views: list[dict[str, Any]] | None = None
    #: masked: the fraction of each input's time steps zeroed, in blocks of ``mask_block``
    mask_ratio: float = Field(default=0.5, gt=0.0, lt=1.0)
    mask_block: int = Field(default=8, ge=1)
    #: supervised: the other classes of the data set (names or indices) the stages learn on
    classes: list[str | int] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _check(self) -> PretrainConfig:
        if self.method == "supervised" and not self.classes:
            raise ValueError(
                "method supervised pretrains on other classes of the data set; list them "
                "in pretrain.classes, e.g. [T-shirt/top, Trouser, Pullover]"
            )
        for i, spec in enumerate(self.views or []):
            if not isinstance(spec.get("name"), str):
                raise ValueError(f"views[{i}] needs a name, e.g. {{name: affine}}")
        return self

    @property
    def enabled(self) -> bool:
        return self.method != "none"

    @property
    def self_supervised(self) -> bool:
        """Whether the stages learn from the training inputs without labels."""
        return self.method in SELF_SUPERVISED
