"""Data augmentation on batches, on the batch's device (see ``_base`` for the contract).

The lecture's image transformations are matrices (``image.matrices``),
composed per sample by ``image.affine`` and warped once per batch by
``image.warp``, with one class per transformation (``image.translate``,
``rescale``, ``flip``, ``rotate``, ``shear``); ``crop``, ``color``, ``noise``, ``erase``
and ``mix`` go beyond the lecture; ``signal`` shifts and scales 1-D signals in
time; ``tta`` averages predictions over views at evaluation.
"""

from trainlab.augment._base import Augmentation
from trainlab.augment.image.affine import RandomAffine
from trainlab.augment.image.color import ColorJitter
from trainlab.augment.image.crop import RandomResizedCrop
from trainlab.augment.image.erase import Cutout, RandomErasing
from trainlab.augment.image.warp import warp_affine
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
