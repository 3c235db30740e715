"""The settings a study's trial runs under, and the refusal to mix them in one store.

A trial's numbers depend on more than its recipe and seed: the number of CPU
threads changes the order of floating-point sums inside PyTorch's kernels
(so the last bits of every step, and after many steps the metrics), and so do
the PyTorch version and the device. A study therefore fixes the threads of
each trial (``recipe.train.threads`` if the recipe sets it, else the study's
``threads``, 1 by default), never from ``--workers``, so that inline, local
processes and Ray give the same trial the same numbers; and it records the
settings with every trial, so that a later run under other settings is
refused rather than silently mixed into the same comparison.

Example:
    >>> from trainlab.config.recipe import Recipe
    >>> from trainlab.workflows.study.settings import TrialSettings, trial_settings
    >>> s = trial_settings(Recipe.load("wine-mlp"), threads=1)
    >>> s.threads, s.device
    (1, 'cpu')
    >>> TrialSettings.from_dict(s.to_dict()) == s
    True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import torch

from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError
from trainlab.engine.loop import resolve_device
from trainlab.workflows.study.store_records import TrialRecord

#: the statuses whose stored results a new run would be compared with
FINISHED = ("done", "diverged")


@dataclass(frozen=True)
class TrialSettings:
    """What a trial ran under besides its recipe: CPU threads, PyTorch version, device."""

    threads: int
    torch: str
    device: str

    def __post_init__(self) -> None:
        if self.threads < 1:
            raise ValueError(f"threads must be at least 1; got {self.threads}")

    def to_dict(self) -> dict[str, Any]:
        """The JSON kept in the store's ``settings`` column."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> TrialSettings:
        return cls(int(d["threads"]), str(d["torch"]), str(d["device"]))


def trial_settings(recipe: Recipe, threads: int) -> TrialSettings:
    """The settings ``recipe`` runs under in a study whose trials get ``threads`` threads.

    The device is the one ``recipe.train.device`` resolves to on this machine.
    """
    return TrialSettings(
        threads=recipe.train.threads or threads,
        torch=torch.__version__,
        device=str(resolve_device(recipe.train.device)),
    )


def check_settings(
    stored: Iterable[TrialRecord], current: Mapping[tuple[str, int], TrialSettings], study: str
) -> None:
    """Refuse a run whose settings differ from those of the finished trials it would join.

    Args:
        stored: the store's trials; those ``done`` or ``diverged`` count.
        current: the settings this run gives each planned (variant, seed).
        study: the study's name, for the message.

    Raises:
        ConfigError: one line naming the first difference, its stored and
            current value, and the ways out (``--fresh``, ``--allow-mixed``).
    """
    for t in stored:
        now = current.get((t.variant, t.seed))
        if now is None or t.status not in FINISHED:
            continue
        found = _difference(t.settings, now)
        if found is not None:
            raise ConfigError(
                f"study {study}: the stored trial {t.variant} seed {t.seed} ran with {found}; "
                "mixing settings in one comparison changes its numbers: run with --fresh to "
                "discard the stored trials, or --allow-mixed to keep them"
            )


def _difference(stored: Mapping[str, Any] | None, now: TrialSettings) -> str | None:
    """The first setting that differs, in words (None: they agree)."""
    current = now.to_dict()
    if stored is None:
        shown = ", ".join(f"{k} {v}" for k, v in current.items())
        return f"settings not recorded (a store of an older trainlab); this run uses {shown}"
    for key, value in current.items():
        if stored.get(key) != value:
            return f"{key} {stored.get(key)}, this run would use {key} {value}"
    return None
