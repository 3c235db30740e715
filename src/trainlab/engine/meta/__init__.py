"""Meta-learning: Prototypical Networks and (first-order) MAML over few-shot episodes.

Example:
    >>> from trainlab.engine.meta import EpisodeEvaluation
    >>> EpisodeEvaluation.of([1.0, 1.0]).ci95
    0.0
"""

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

__all__ = [
    "EpisodeEvaluation",
    "MetaStep",
    "StageEmbedding",
    "StepResult",
    "adapt",
    "embedding_of",
    "evaluate_episodes",
    "maml_step",
    "meta_loss",
    "protonet_step",
    "prototype_logits",
    "prototypes",
]
