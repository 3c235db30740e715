"""Data augmentation on batches, on the batch's device (see ``_base`` for the contract)."""

from trainlab.augment import affine, color, crop, erase, mix, noise, signal  # noqa: F401 - register
from trainlab.augment._base import Augmentation
from trainlab.augment.affine import RandomAffine

__all__ = ["Augmentation", "RandomAffine"]
