"""Audio throughput: trainlab's batched front end and augmentations, librosa, audiomentations.

The same batch of one-second clips at 16 kHz (real speech: the spoken digits
when espeak-ng is there, else band-limited noise), by

- trainlab, batched on (N, 1, L) tensors on ``--device``;
- librosa and audiomentations clip by clip, as their users call them, on
  numpy arrays (CPU);
- torchaudio, batched, where it imports (not beside the CPU build of PyTorch
  pinned for trainlab; on a GPU machine it usually does).

Each row times one piece of work: the log-mel spectrogram (512-point FFT, hop
160, 40 mel bands, dB), each waveform augmentation, SpecAugment's masks and
time warping on the log-mel batch, and the pipeline (noise, gain, shift,
speed, pitch) as a whole. The median of ``--repeats`` timings after a warm-up
is reported as clips per second, with the ratio ours / peer (> 1: ours faster).
Peers do not do exactly the same arithmetic (audiomentations' PitchShift uses
librosa's phase vocoder and resampler; there is no SpecAugment time warping in
any of them, so that row has no peer).

    python bench/audio.py [--batch 256] [--repeats 5] [--device cpu]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
import torch

from trainlab.augment.audio import (
    AddNoise,
    Gain,
    PitchShift,
    SpecAugment,
    SpeedChange,
    TimeWarp,
)
from trainlab.augment.signal.time import TimeShift
from trainlab.preprocess.audio import AudioFrontEnd

RATE = 16_000
LOGMEL = dict(n_fft=512, hop_length=160, n_mels=40)


def clips(n: int) -> np.ndarray:
    """``n`` one-second clips (n, L) float32: spoken digits, or noise without espeak-ng."""
    try:
        from trainlab.data.datasets.audio.spoken_digits import load_spoken_digits

        x = load_spoken_digits().train.x[:, 0]
        return np.ascontiguousarray(np.resize(x, (n, x.shape[-1])), dtype=np.float32)
    except Exception as exc:  # espeak-ng missing: the timings do not depend on the content
        print(f"note: spoken digits unavailable ({exc}); timing band-limited noise")
        rng = np.random.default_rng(0)
        return (0.1 * rng.standard_normal((n, RATE))).astype(np.float32)


def timed(step: Callable[[], object], device: torch.device) -> float:
    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - start


def measure(step: Callable[[], object], device: torch.device, repeats: int) -> float:
    """Median seconds of ``step`` after two warm-up calls."""
    for _ in range(2):
        timed(step, device)
    return statistics.median(timed(step, device) for _ in range(repeats))


def ours(x: torch.Tensor, spec: torch.Tensor) -> dict[str, Callable[[], object]]:
    """trainlab's steps on the batch ``x`` (N, 1, L) and its log-mel ``spec`` (N, 1, F, T)."""
    gen = torch.Generator(device=x.device if x.device.type == "cuda" else "cpu").manual_seed(0)
    front = AudioFrontEnd(RATE, features="logmel", normalize="none", **LOGMEL).to(x.device)
    augs = {
        "add-noise (white, SNR 10–30 dB)": AddNoise(snr_db=(10, 30)),
        "gain (±6 dB)": Gain(gain_db=(-6, 6)),
        "time-shift (±10 %)": TimeShift(max_shift=0.1),
        "speed (0.9–1.1)": SpeedChange(factor=(0.9, 1.1)),
        "pitch (±2 semitones)": PitchShift(semitones=(-2, 2)),
    }
    cubic = {
        "speed, cubic interpolation": SpeedChange(factor=(0.9, 1.1), interpolation="cubic"),
        "pitch, cubic interpolation": PitchShift(semitones=(-2, 2), interpolation="cubic"),
    }
    steps: dict[str, Callable[[], object]] = {"log-mel spectrogram": lambda: front(x)}
    for name, aug in {**augs, **cubic}.items():
        steps[name] = lambda aug=aug: aug(x, gen)
    masks = SpecAugment(freq_masks=2, freq_width=8, time_masks=2, time_width=20, warp=0)
    steps["SpecAugment masks (on log-mel)"] = lambda: masks(spec, gen)
    steps["SpecAugment time warp (W=5)"] = lambda: TimeWarp(max_warp=5)(spec, gen)

    def pipeline() -> torch.Tensor:
        y = x
        for aug in augs.values():
            y = aug(y, gen)
        return y

    def fast_pipeline() -> torch.Tensor:
        y = x
        for aug in (*list(augs.values())[:3], *cubic.values()):
            y = aug(y, gen)
        return y

    steps["pipeline: noise, gain, shift, speed, pitch"] = pipeline
    steps["pipeline, cubic interpolation"] = fast_pipeline
    return steps


def peers(x: np.ndarray, spec: np.ndarray) -> tuple[dict[str, dict[str, Callable]], list[str]]:
    """Peer steps by row name, ``{row: {peer: step}}``, and notes on the peers skipped."""
    rows: dict[str, dict[str, Callable]] = {}
    notes: list[str] = []
    try:
        import librosa

        def logmel() -> list:
            out = []
            for clip in x:
                s = librosa.feature.melspectrogram(y=clip, sr=RATE, **LOGMEL, center=True)
                out.append(librosa.power_to_db(s, top_db=80.0))
            return out

        rows.setdefault("log-mel spectrogram", {})["librosa (per clip)"] = logmel
    except Exception as exc:
        notes.append(f"librosa skipped: {type(exc).__name__}: {exc}")
    try:
        import audiomentations as A

        def per_clip(aug) -> Callable[[], list]:
            return lambda: [aug(samples=clip, sample_rate=RATE) for clip in x]

        pitch = A.PitchShift(min_semitones=-2, max_semitones=2, p=1.0)
        table = {
            "add-noise (white, SNR 10–30 dB)": A.AddGaussianSNR(
                min_snr_db=10, max_snr_db=30, p=1.0
            ),
            "gain (±6 dB)": A.Gain(min_gain_db=-6, max_gain_db=6, p=1.0),
            "time-shift (±10 %)": A.Shift(min_shift=-0.1, max_shift=0.1, p=1.0),
            "pitch (±2 semitones)": pitch,
        }
        for row, aug in table.items():
            rows.setdefault(row, {})["audiomentations (per clip)"] = per_clip(aug)
        if hasattr(A, "SpecFrequencyMask"):  # gone from recent audiomentations
            masks = A.SpecFrequencyMask(p=1.0)
            rows.setdefault("SpecAugment masks (on log-mel)", {})["audiomentations (freq mask)"] = (
                lambda: [masks(s) for s in spec]
            )
        whole = A.Compose(
            [
                A.AddGaussianSNR(min_snr_db=10, max_snr_db=30, p=1.0),
                A.Gain(min_gain_db=-6, max_gain_db=6, p=1.0),
                A.Shift(min_shift=-0.1, max_shift=0.1, p=1.0),
                A.PitchShift(min_semitones=-2, max_semitones=2, p=1.0),
            ]
        )
        for row in ("pipeline: noise, gain, shift, speed, pitch", "pipeline, cubic interpolation"):
            rows.setdefault(row, {})["audiomentations (per clip, no speed)"] = per_clip(whole)
        rows.setdefault("pitch, cubic interpolation", {})["audiomentations (per clip)"] = per_clip(
            pitch
        )
    except Exception as exc:
        notes.append(f"audiomentations skipped: {type(exc).__name__}: {exc}")
    try:
        import librosa

        def speed() -> list:
            rng = np.random.default_rng(0)
            return [
                librosa.resample(c, orig_sr=RATE * rng.uniform(0.9, 1.1), target_sr=RATE) for c in x
            ]

        for row in ("speed (0.9–1.1)", "speed, cubic interpolation"):
            rows.setdefault(row, {})["librosa.resample (per clip)"] = speed
    except Exception:
        pass
    return rows, notes


def torchaudio_rows(x: torch.Tensor) -> tuple[dict[str, dict[str, Callable]], list[str]]:
    try:
        import torchaudio

        mel = torchaudio.transforms.MelSpectrogram(RATE, **LOGMEL).to(x.device)
        db = torchaudio.transforms.AmplitudeToDB(top_db=80.0).to(x.device)
        return {"log-mel spectrogram": {"torchaudio (batched)": lambda: db(mel(x))}}, []
    except Exception as exc:
        return {}, [f"torchaudio skipped: {type(exc).__name__}: {str(exc).splitlines()[0]}"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--device", default="cpu")
    args = ap.parse_args()
    device = torch.device(args.device)
    wave = clips(args.batch)
    x = torch.from_numpy(wave).unsqueeze(1).to(device)
    front = AudioFrontEnd(RATE, features="logmel", normalize="none", **LOGMEL).to(device)
    with torch.no_grad():
        spec = front(x)
    spec_np = spec[:, 0].cpu().numpy()
    found, notes = peers(wave, spec_np) if device.type == "cpu" else ({}, ["CPU peers: CPU only"])
    extra, more = torchaudio_rows(x)
    for row, contenders in extra.items():
        found.setdefault(row, {}).update(contenders)
    print(
        f"device={device} torch threads={torch.get_num_threads()} batch={args.batch} clips of "
        f"1 s at {RATE} Hz, repeats={args.repeats} (median after 2 warm-up calls)"
    )
    for note in notes + more:
        print(f"note: {note}")
    header = f"{'work':<44} {'contender':<38} {'clips/s':>10} {'ours/peer':>10}"
    print(header)
    print("-" * len(header))
    with torch.no_grad():
        for row, step in ours(x, spec).items():
            mine = args.batch / measure(step, device, args.repeats)
            print(f"{row:<44} {'trainlab (batched)':<38} {mine:>10,.0f} {'':>10}")
            for peer, peer_step in found.get(row, {}).items():
                theirs = args.batch / measure(peer_step, device, max(1, args.repeats // 2))
                print(f"{'':<44} {peer:<38} {theirs:>10,.0f} {mine / theirs:>9.1f}x")
    print("ours/peer = trainlab clips/s ÷ peer clips/s (> 1: trainlab faster)")


if __name__ == "__main__":
    main()
