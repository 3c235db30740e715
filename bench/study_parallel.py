"""Study throughput: the same study with 1 worker and with 2 workers, in one run.

One worker runs the trials inline, two workers in two processes; every trial
runs with the study's threads (1 by default) either way, so the trials and
their numbers are the same. Prints both wall times and the speed-up.

    python bench/study_parallel.py [--study lecture] [--variants N] [--seeds 3] [--epochs E]
"""

from __future__ import annotations

import argparse
import tempfile
import time

from trainlab.core.cpus import cpu_count
from trainlab.workflows.study.runner import run_study
from trainlab.workflows.study.spec import StudySpec


def subset(name: str, variants: int, seeds: int, epochs: int | None) -> StudySpec:
    spec = StudySpec.load(name)
    data = spec.to_dict()
    keep = list(data["variants"])[: variants or None]
    data["variants"] = {k: data["variants"][k] for k in keep}
    data["seeds"] = list(range(seeds))
    if epochs is not None:
        data["base_set"] = {**data.get("base_set", {}), "train.epochs": epochs}
    return StudySpec.from_dict(data, source=spec.source)


def timed(spec: StudySpec, workers: int) -> tuple[float, float]:
    """(whole study incl. report, trials alone) in seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        result = run_study(spec, out_dir=tmp, workers=workers, progress=False, echo=None)
        elapsed = time.perf_counter() - start
        assert result.counts["done"] == len(spec.trials()), result.counts
    return elapsed, result.trial_seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--study", default="lecture")
    ap.add_argument("--variants", type=int, default=0, help="first N variants (0: all)")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=None, help="override the epochs")
    args = ap.parse_args()
    spec = subset(args.study, args.variants, args.seeds, args.epochs)
    n = len(spec.trials())
    print(
        f"study={args.study} trials={n} ({len(spec.variants)} variants × {args.seeds} seeds, "
        f"{spec.base.train.epochs} epochs) cpus={cpu_count()}"
    )
    one, one_trials = timed(spec, 1)
    print(
        f"1 worker  (inline, {spec.threads} thread each):    study {one:6.1f} s, "
        f"trials {one_trials:6.1f} s"
    )
    two, two_trials = timed(spec, 2)
    print(
        f"2 workers (processes, {spec.threads} thread each): study {two:6.1f} s, "
        f"trials {two_trials:6.1f} s"
    )
    print(
        f"speed-up 2 workers / 1 worker = {one / two:.2f}× (whole study), "
        f"{one_trials / two_trials:.2f}× (trials)"
    )


if __name__ == "__main__":
    main()
