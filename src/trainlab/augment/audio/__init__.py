"""Audio augmentation: waveforms (N, C, L) and spectrograms (N, C, F, T).

On waveforms: noise at a target signal-to-noise ratio (``noise``: white,
pink or brown; ``background``: recordings from files), ``gain``, playback
``speed`` and a duration-keeping ``pitch`` shift (a batched phase vocoder,
``vocoder``). On spectrograms: SpecAugment's frequency and time masks
(``masking``), its time warping (``warp``) and the three composed
(``specaugment``; Park et al., 2019).
"""

from trainlab.augment.audio.background import BackgroundNoise
from trainlab.augment.audio.gain import Gain
from trainlab.augment.audio.masking import FrequencyMask, TimeMask
from trainlab.augment.audio.noise import AddNoise
from trainlab.augment.audio.pitch import PitchShift
from trainlab.augment.audio.specaugment import SpecAugment
from trainlab.augment.audio.speed import SpeedChange
from trainlab.augment.audio.warp import TimeWarp

__all__ = [
    "AddNoise",
    "BackgroundNoise",
    "FrequencyMask",
    "Gain",
    "PitchShift",
    "SpecAugment",
    "SpeedChange",
    "TimeMask",
    "TimeWarp",
]
