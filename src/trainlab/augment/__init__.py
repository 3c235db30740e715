"""Data augmentation on batches, on the batch's device (see ``_base`` for the contract).

The lecture's image transformations live in ``affine`` (one composed matrix
per sample, one warp per batch); ``crop``, ``color``, ``noise``, ``erase``
and ``mix`` go beyond the lecture; ``signal`` shifts and scales 1-D signals in
time; ``tta`` averages predictions over views at evaluation.
"""

from trainlab.augment._base import Augmentation
from trainlab.augment.image.affine import RandomAffine, warp_affine
from trainlab.augment.image.color import ColorJitter
from trainlab.augment.image.crop import RandomResizedCrop
from trainlab.augment.image.erase import Cutout, RandomErasing
from trainlab.augment.mix import CutMix, Mixup
from trainlab.augment.noise import GaussianNoise
from trainlab.augment.signal.time import TimeScale, TimeShift
from trainlab.augment.tta import tta_probabilities, tta_views

__all__ = [
    "Augmentation",
    "ColorJitter",
    "CutMix",
    "Cutout",
    "GaussianNoise",
    "Mixup",
    "RandomAffine",
    "RandomErasing",
    "RandomResizedCrop",
    "TimeScale",
    "TimeShift",
    "tta_probabilities",
    "tta_views",
    "warp_affine",
]
