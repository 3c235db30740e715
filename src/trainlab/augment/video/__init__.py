"""Clip augmentation on (N, T, C, H, W) batches (see ``_base`` for the contract).

``per_clip`` runs any image augmentation with one draw per clip (the same
transform on every frame of a clip, different across clips); ``temporal``
moves frames in time (jitter, dropping, speed, reversal) by one gather per batch.
"""

from trainlab.augment.video.per_clip import PerClip
from trainlab.augment.video.temporal import ClipSpeed, FrameDrop, Reverse, TemporalJitter

__all__ = ["ClipSpeed", "FrameDrop", "PerClip", "Reverse", "TemporalJitter"]
