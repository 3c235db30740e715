"""Audio augmentation: waveforms (N, C, L) and spectrograms (N, C, F, T).

On waveforms: noise at a target signal-to-noise ratio (``noise``: white,
pink or brown; ``background``: recordings from files), ``gain``, playback
``speed`` and a duration-keeping ``pitch`` shift (a batched phase vocoder,
``vocoder``). On spectrograms: SpecAugment's frequency and time masks
(``masking``), its time warping (``warp``) and the three composed
(``specaugment``; Park et al., 2019).
"""
