"""Command-line start-up: each command as a whole process, the way a user starts it.

Every case is a fresh ``python`` process (``python -m trainlab.cli ...``), so
the time includes starting Python and every import the command makes; the
reference is ``python -c "import torch"``. Cases alternate (one run of each,
then again) so that drift in machine speed hits them all, and the median of
the repeats is reported, with the exit status each case must end with.

    python bench/cli_startup.py [--repeats 5] [--components]

Run it from the repository root with ``PYTHONPATH=src`` to time this tree.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from importlib.metadata import PackageNotFoundError, version

#: (label, arguments after ``python``, expected exit status)
CASES: tuple[tuple[str, tuple[str, ...], int], ...] = (
    ('`python -c "import torch"` (reference)', ("-c", "import torch"), 0),
    ("`trainlab run --set model.nosuch=1` (bad key)", ("run", "--set", "model.nosuch=1"), 2),
    ("`trainlab --help`", ("--help",), 0),
    ("`trainlab show`", ("show",), 0),
    ("`trainlab recipes`", ("recipes",), 0),
    ("`trainlab datasets`", ("datasets",), 0),
)
#: with ``--components``: the listing that needs the registries, and so PyTorch
COMPONENTS = ("`trainlab components`", ("components",), 0)


def _argv(args: tuple[str, ...]) -> list[str]:
    if args[0] == "-c":
        return [sys.executable, *args]
    return [sys.executable, "-m", "trainlab.cli", *args]


def time_once(args: tuple[str, ...], expected: int) -> float:
    """Seconds of one whole process; fails when it ends with another status."""
    start = time.perf_counter()
    done = subprocess.run(_argv(args), capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != expected:
        raise SystemExit(
            f"{' '.join(args)}: exit status {done.returncode}, expected {expected}\n{done.stderr}"
        )
    return seconds


def _machine() -> str:
    try:
        torch = version("torch")
    except PackageNotFoundError:
        torch = "absent"
    return (
        f"{platform.machine()}, {os.cpu_count()} CPU cores, Python {platform.python_version()}, "
        f"torch {torch}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--components", action="store_true", help="Time `trainlab components` too.")
    args = parser.parse_args()
    cases = (*CASES, COMPONENTS) if args.components else CASES
    times: dict[str, list[float]] = {label: [] for label, _, _ in cases}
    for _ in range(args.repeats):
        for label, argv, expected in cases:
            times[label].append(time_once(argv, expected))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {_machine()}; load average {load}; median of {args.repeats} runs\n")
    print("| command | median | min | max |")
    print("|---|---|---|---|")
    for label, values in times.items():
        print(
            f"| {label} | {statistics.median(values):.2f} s | {min(values):.2f} s "
            f"| {max(values):.2f} s |"
        )


if __name__ == "__main__":
    main()
