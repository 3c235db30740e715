"""The recipe's ``meta`` section: learning to learn from N-way K-shot episodes.

With a ``method``, a run trains on *episodes* instead of batches: N classes of
the training classes, K labelled support examples and Q query examples of each
(Vinyals et al., 2016); it is scored on test episodes drawn from classes it
never saw, as the mean query accuracy with its 95% interval.

- ``protonet``: Prototypical Networks (Snell et al., 2017): the model's stages
  embed every example; a query takes the class of the nearest prototype, the
  mean embedding of a class's support examples;
- ``maml`` and ``fomaml``: MAML (Finn et al., 2017), second order or first order:
  the whole model is adapted to each episode's support set by ``inner_steps``
  gradient steps of ``inner_lr``, and trained so that the adapted model does
  well on the queries; batch norm takes each batch's own statistics at test
  time too, as in Finn et al.'s code (transductive: an episode's queries are
  normalised together);
- ``finetune``: the baseline of Chen et al. (2019, "A Closer Look at Few-shot
  Classification"): the model is trained by plain supervised learning on every
  training class (``train.epochs``); on each test episode its stages are frozen
  and a new linear head is fitted to the support set.

The class splits are ``classes``: ``auto`` keeps the data set's last N classes
for testing, the N before them for validation when at least 3·N classes
remain, and the rest for training; or ``{train: [...], val: [...], test: [...]}``
by name or index.

Example:
    >>> from trainlab.config.meta import MetaConfig
    >>> m = MetaConfig(method="protonet", k_shot=1, train_shot=5)
    >>> m.enabled, m.shots_in_training, m.ways_in_training
    (True, 5, 5)
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from trainlab.config.section import Section


class ClassSplitConfig(Section):
    """The classes of meta-training, validation and testing (names or indices)."""

    train: list[str | int] = Field(min_length=1)
    val: list[str | int] = Field(default_factory=list)
    test: list[str | int] = Field(min_length=1)


class MetaConfig(Section):
    """Few-shot episodes: Prototypical Networks, MAML, or fine-tuning a pretrained network."""

    #: none (batches), protonet, maml, fomaml (first-order MAML), or finetune (the baseline)
    method: Literal["none", "protonet", "maml", "fomaml", "finetune"] = "none"
    #: classes per test episode (N)
    n_way: int = Field(default=5, ge=2)
    #: labelled support examples per class of a test episode (K)
    k_shot: int = Field(default=1, ge=1)
    #: query examples per class of every episode (Q)
    query: int = Field(default=15, ge=1)
    #: support examples per class of a training episode (None: k_shot)
    train_shot: int | None = Field(default=None, ge=1)
    #: classes per training episode (None: n_way)
    train_way: int | None = Field(default=None, ge=2)
    #: training episodes (protonet, maml, fomaml)
    episodes: int = Field(default=800, ge=1)
    #: episodes a meta-batch (maml, fomaml: tasks averaged per outer step)
    meta_batch: int = Field(default=4, ge=1)
    #: validate every this many training episodes on ``val_episodes`` episodes of the
    #: validation classes, and keep the best (none without validation classes)
    every: int = Field(default=100, ge=1)
    val_episodes: int = Field(default=100, ge=1)
    #: test episodes of the final estimate
    test_episodes: int = Field(default=600, ge=1)
    #: auto, or {train: [...], val: [...], test: [...]}
    classes: Literal["auto"] | ClassSplitConfig = "auto"
    #: maml, fomaml: the inner loop's learning rate and steps (training; testing)
    inner_lr: float = Field(default=0.4, gt=0.0)
    inner_steps: int = Field(default=1, ge=1)
    test_inner_steps: int = Field(default=3, ge=1)
    #: finetune: steps and learning rate of the linear head fitted to each support set
    finetune_steps: int = Field(default=100, ge=1)
    finetune_lr: float = Field(default=0.01, gt=0.0)
    #: protonet: centre the embeddings by the training classes' mean and L2-normalise
    #: them before the distances are taken (SimpleShot's CL2N, Wang et al., 2019)
    cl2n: bool = False

    @model_validator(mode="after")
    def _check(self) -> MetaConfig:
        maml = self.method in ("maml", "fomaml")
        if maml and self.train_way is not None and self.train_way != self.n_way:
            raise ValueError(
                f"train_way: MAML's head has n_way ({self.n_way}) outputs, so its "
                f"training episodes have n_way classes too, got {self.train_way}"
            )
        return self

    @property
    def enabled(self) -> bool:
        return self.method != "none"

    @property
    def shots_in_training(self) -> int:
        return self.train_shot if self.train_shot is not None else self.k_shot

    @property
    def ways_in_training(self) -> int:
        return self.train_way if self.train_way is not None else self.n_way
