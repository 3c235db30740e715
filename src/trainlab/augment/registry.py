"""Every built-in augmentation, by name: one table (``trainlab strategies augment``).

Example:
    >>> from trainlab.augment.registry import AUGMENTATIONS
    >>> AUGMENTATIONS.get("rotate").__name__
    'RandomRotate'
"""

from __future__ import annotations

from trainlab.augment.audio.background import BackgroundNoise
from trainlab.augment.audio.gain import Gain
from trainlab.augment.audio.masking import FrequencyMask, TimeMask
from trainlab.augment.audio.noise import AddNoise
from trainlab.augment.audio.pitch import PitchShift
from trainlab.augment.audio.specaugment import SpecAugment
from trainlab.augment.audio.speed import SpeedChange
from trainlab.augment.audio.warp import TimeWarp
from trainlab.augment.image.affine import RandomAffine
from trainlab.augment.image.color import ColorJitter
from trainlab.augment.image.crop import RandomResizedCrop
from trainlab.augment.image.erase import Cutout, RandomErasing
from trainlab.augment.image.flip import RandomFlip
from trainlab.augment.image.rescale import RandomRescale
from trainlab.augment.image.rotate import RandomRotate
from trainlab.augment.image.shear import RandomShear
from trainlab.augment.image.translate import RandomTranslate
from trainlab.augment.mix import CutMix, Mixup
from trainlab.augment.noise import GaussianNoise
from trainlab.augment.signal.time import TimeScale, TimeShift
from trainlab.augment.video.temporal import ClipSpeed, FrameDrop, Reverse, TemporalJitter
from trainlab.core.registry import Registry

AUGMENTATIONS: Registry = Registry(
    "augmentation",
    {
        # images: the lecture's transformations, as one affine matrix per sample
        "affine": RandomAffine,
        "translate": RandomTranslate,
        "rescale": RandomRescale,
        "flip": RandomFlip,
        "rotate": RandomRotate,
        "shear": RandomShear,
        # images: beyond the lecture
        "random-resized-crop": RandomResizedCrop,
        "color-jitter": ColorJitter,
        "random-erasing": RandomErasing,
        "cutout": Cutout,
        # any modality
        "gaussian-noise": GaussianNoise,
        "mixup": Mixup,
        "cutmix": CutMix,
        # 1-D signals
        "time-shift": TimeShift,
        "time-scale": TimeScale,
        # audio waveforms (N, C, L), before the model's front end
        "add-noise": AddNoise,
        "background-noise": BackgroundNoise,
        "gain": Gain,
        "speed": SpeedChange,
        "pitch": PitchShift,
        # spectrograms (N, C, F, T), the front end's output (SpecAugment, Park et al., 2019)
        "freq-mask": FrequencyMask,
        "time-mask": TimeMask,
        "time-warp": TimeWarp,
        "spec-augment": SpecAugment,
        # clips (N, T, C, H, W): frames moved in time (the image ones run per clip, PerClip)
        "temporal-jitter": TemporalJitter,
        "frame-drop": FrameDrop,
        "clip-speed": ClipSpeed,
        "reverse": Reverse,
    },
    aliases={
        "random-affine": "affine",
        "specaugment": "spec-augment",
        "pitch-shift": "pitch",
        "speed-change": "speed",
        "frequency-mask": "freq-mask",
    },
)
