"""Self-supervised pretraining: pretext tasks on unlabelled inputs, and their trainer.

Example:
    >>> from trainlab.engine.selfsup import PRETEXTS
    >>> PRETEXTS.names()
    ['masked', 'rotation', 'simclr']
"""

from trainlab.engine.selfsup.contrastive import ProjectionHead, nt_xent
from trainlab.engine.selfsup.masked import Decoder, mask_blocks, masked_mse
from trainlab.engine.selfsup.pretext import PRETEXTS, Pretext, PretextLoss, build_pretext
from trainlab.engine.selfsup.rotation import rotations, turns
from trainlab.engine.selfsup.trainer import PretrainReport, pretrain_stages

__all__ = [
    "PRETEXTS",
    "Decoder",
    "Pretext",
    "PretextLoss",
    "PretrainReport",
    "ProjectionHead",
    "build_pretext",
    "mask_blocks",
    "masked_mse",
    "nt_xent",
    "pretrain_stages",
    "rotations",
    "turns",
]
