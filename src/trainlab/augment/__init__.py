"""Data augmentation on batches, on the batch's device (see ``_base`` for the contract)."""

from trainlab.augment._base import Augmentation

__all__ = ["Augmentation"]
