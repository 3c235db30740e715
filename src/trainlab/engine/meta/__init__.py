"""Meta-learning: Prototypical Networks, (first-order) MAML and the fine-tuning baseline.

The kernels (:mod:`.protonet`, :mod:`.maml`, :mod:`.finetune`), one learner class
per ``meta.method`` (:data:`LEARNERS`), and the episodic trainer (:func:`meta_train`,
:func:`evaluate`).

Example:
    >>> from trainlab.engine.meta import EpisodeEvaluation
    >>> EpisodeEvaluation.of([1.0, 1.0]).ci95
    0.0
"""

from trainlab.engine.meta.finetune import finetune_logits, train_classifier
from trainlab.engine.meta.learners import (
    LEARNERS,
    Finetune,
    Maml,
    MetaLearner,
    ProtoNet,
    build_learner,
)
from trainlab.engine.meta.maml import MetaStep, adapt, maml_step, meta_loss
from trainlab.engine.meta.protonet import (
    EpisodeEvaluation,
    StageEmbedding,
    StepResult,
    embedding_of,
    evaluate_episodes,
    protonet_step,
    prototype_logits,
    prototypes,
)
from trainlab.engine.meta.trainer import MetaTraining, Pool, evaluate, meta_train

__all__ = [
    "LEARNERS",
    "EpisodeEvaluation",
    "Finetune",
    "Maml",
    "MetaLearner",
    "MetaStep",
    "MetaTraining",
    "Pool",
    "ProtoNet",
    "StageEmbedding",
    "StepResult",
    "adapt",
    "build_learner",
    "embedding_of",
    "evaluate",
    "evaluate_episodes",
    "finetune_logits",
    "maml_step",
    "meta_loss",
    "meta_train",
    "protonet_step",
    "prototype_logits",
    "prototypes",
    "train_classifier",
]
