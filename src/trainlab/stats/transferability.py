"""What a transferability study found: accuracy against n per arm, paired comparisons, epochs.

Reads trials (``variant``, ``seed``, ``metrics``, ``history``) named as
:mod:`trainlab.workflows.transfer_study` names them: ``baseA``, ``baseB``, ``baseB-2x``
and ``<arm><n>`` for the arms ``BnB``, ``BnB+``, ``AnB``, ``AnB+``. Every
comparison is paired by seed (:func:`~trainlab.stats.compare.paired_difference`),
with a 95% interval.

The budget control: a ``+`` arm is fine-tuned for E epochs from a base that
already trained E epochs, 2E in all, so it is compared against ``baseB-2x``
(2E epochs from scratch) and ``BnB+`` as well as ``baseB``. Only a gain over
all three is a transfer gain (Yosinski et al., 2014, Figure 2); a gain over
``baseB`` alone may be extra training.

Example:
    >>> from types import SimpleNamespace as T
    >>> from trainlab.stats.transferability import epochs_to_reach
    >>> epochs_to_reach([{"epoch": 1, "val_acc": 0.8}, {"epoch": 2, "val_acc": 0.95}], 0.9)
    2
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from trainlab.stats.compare import Interval, PairedDiff, mean_ci, paired_by_seed, values_by_seed

ARMS = ("BnB", "BnB+", "AnB", "AnB+")
_ARM = re.compile(r"^(BnB\+?|AnB\+?)(\d+)$")


def arm_variant(arm: str, n: int) -> str:
    """The variant name of ``arm`` at depth ``n``: ``AnB+2``."""
    return f"{arm}{n}"


def parse_variant(name: str) -> tuple[str, int] | None:
    """``("AnB+", 2)`` for ``"AnB+2"``; None for the base models."""
    m = _ARM.match(name)
    return (m.group(1), int(m.group(2))) if m else None


def epochs_to_reach(history: Sequence[Mapping[str, Any]], target: float, key: str = "val_acc"):
    """The first epoch whose ``key`` reaches ``target`` (None if none does)."""
    for row in history:
        value = row.get(key)
        if value is not None and float(value) >= target - 1e-12:
            return int(row["epoch"])
    return None


@dataclass
class Comparison:
    """``variant − reference`` in the metric, paired by seed."""

    variant: str
    reference: str
    diff: PairedDiff

    @property
    def effect(self) -> str:
        d = self.diff
        if not (math.isfinite(d.lo) and math.isfinite(d.hi)):
            return "too few seeds"
        return "higher" if d.lo > 0 else "lower" if d.hi < 0 else "no clear difference"


@dataclass
class EpochsRow:
    """Epochs a fine-tuned arm needs to reach baseB's final validation accuracy."""

    variant: str
    ratio: Interval  # fine-tuned epochs / from-scratch epochs, over the seeds that reached it
    epochs: Interval  # the fine-tuned arm's epochs
    scratch: Interval  # baseB's epochs
    reached: int
    seeds: int


@dataclass
class TransferAnalysis:
    """Figure 2 of Yosinski et al. (2014) as numbers, with conclusions in words."""

    metric: str
    depths: list[int]
    arms: list[str]
    points: dict[str, dict[int, Interval]]
    values: dict[str, dict[int, dict[int, float]]]  # arm → n → seed → value
    bases: dict[str, Interval]
    base_values: dict[str, dict[int, float]]
    comparisons: list[Comparison] = field(default_factory=list)
    epochs: list[EpochsRow] = field(default_factory=list)
    conclusions: list[str] = field(default_factory=list)

    def comparison(self, variant: str, reference: str) -> Comparison | None:
        for c in self.comparisons:
            if c.variant == variant and c.reference == reference:
                return c
        return None


def _by_seed(trials: Iterable[Any], metric: str) -> dict[str, dict[int, float]]:
    """variant → seed → the metric, over the finished trials."""
    done: dict[str, list[Any]] = {}
    for t in trials:
        if t.status == "done":
            done.setdefault(t.variant, []).append(t)
    return {v: values for v, ts in done.items() if (values := values_by_seed(ts, metric))}


def _pts(d: PairedDiff) -> str:
    if not (math.isfinite(d.lo) and math.isfinite(d.hi)):
        return f"{100 * d.mean:+.1f} points"
    return f"{100 * d.mean:+.1f} points [{100 * d.lo:+.1f}, {100 * d.hi:+.1f}]"


def _epochs_rows(trials: list[Any], variants: list[str]) -> list[EpochsRow]:
    hist = {(t.variant, int(t.seed)): t.history or [] for t in trials if t.status == "done"}
    rows = []
    for v in variants:
        ratios, mine, scratch, seeds = [], [], [], 0
        for (name, seed), h in hist.items():
            base = hist.get(("baseB", seed))
            if name != v or not base or "val_acc" not in base[-1]:
                continue
            seeds += 1
            target = float(base[-1]["val_acc"])
            e_scratch = epochs_to_reach(base, target)
            e_mine = epochs_to_reach(h, target)
            if e_mine is not None and e_scratch:
                ratios.append(e_mine / e_scratch)
                mine.append(e_mine)
                scratch.append(e_scratch)
        if seeds:
            rows.append(
                EpochsRow(v, mean_ci(ratios), mean_ci(mine), mean_ci(scratch), len(ratios), seeds)
            )
    return rows


def analyze(trials: Iterable[Any], *, metric: str = "test_acc") -> TransferAnalysis:
    """Summarize a transferability study's trials (see the module)."""
    trials = list(trials)
    values = _by_seed(trials, metric)
    per_arm: dict[str, dict[int, dict[int, float]]] = {}
    for name, seeds in values.items():
        parsed = parse_variant(name)
        if parsed:
            per_arm.setdefault(parsed[0], {})[parsed[1]] = seeds
    arms = [a for a in ARMS if a in per_arm]
    depths = sorted({n for a in per_arm.values() for n in a})
    points = {a: {n: mean_ci(list(s.values())) for n, s in per_arm[a].items()} for a in arms}
    base_values = {k: values[k] for k in ("baseA", "baseB", "baseB-2x") if k in values}
    bases = {k: mean_ci(list(v.values())) for k, v in base_values.items()}
    out = TransferAnalysis(metric, depths, arms, points, per_arm, bases, base_values)
    b = base_values.get("baseB", {})
    for n in depths:
        for arm, refs in (
            ("AnB+", ("baseB", "baseB-2x", "BnB+")),
            ("AnB", ("baseB", "BnB")),
            ("BnB", ("baseB",)),
            ("BnB+", ("baseB", "baseB-2x")),
        ):
            mine = per_arm.get(arm, {}).get(n)
            if mine is None:
                continue
            for ref in refs:
                other = per_arm.get(ref, {}).get(n) if ref in ARMS else base_values.get(ref)
                if other:
                    out.comparisons.append(
                        Comparison(
                            arm_variant(arm, n),
                            (ref if ref not in ARMS else arm_variant(ref, n)),
                            paired_by_seed(mine, other),
                        )
                    )
    plus = [arm_variant(a, n) for a in ("AnB+", "BnB+") if a in per_arm for n in depths]
    out.epochs = _epochs_rows(trials, plus)
    out.conclusions = _conclude(out, b)
    return out


def _conclude(a: TransferAnalysis, base_b: dict[int, float]) -> list[str]:
    lines = []
    if "AnB+" in a.arms and base_b:
        diffs = [(n, a.comparison(arm_variant("AnB+", n), "baseB")) for n in a.depths]
        diffs = [(n, c) for n, c in diffs if c is not None]
        wins = [(n, c) for n, c in diffs if c.effect == "higher"]
        if wins:
            n, c = max(wins, key=lambda nc: nc[1].diff.mean)
            long = a.comparison(arm_variant("AnB+", n), "baseB-2x")
            self_ = a.comparison(arm_variant("AnB+", n), arm_variant("BnB+", n))
            line = (
                "AnB+ beats baseB (the paper's generalization boost): "
                f"best at n={n}, {_pts(c.diff)}."
            )
            beyond = [x for x in (long, self_) if x is not None]
            if beyond and all(x.effect == "higher" for x in beyond):
                line += (
                    " It also beats "
                    + " and ".join(f"{x.reference} ({_pts(x.diff)})" for x in beyond)
                    + ": a transfer gain beyond the extra training."
                )
            elif beyond:
                line += (
                    " But against the same total budget it does not hold: "
                    + "; ".join(f"vs {x.reference} {_pts(x.diff)}" for x in beyond)
                    + ". The gain over baseB can be explained by the extra epochs alone."
                )
            lines.append(line)
        elif diffs:
            n, c = max(diffs, key=lambda nc: nc[1].diff.mean)
            lines.append(
                f"AnB+ does not beat baseB at any n (closest at n={n}: {_pts(c.diff)}): "
                "no generalization boost at this scale."
            )
    if "AnB" in a.arms and base_b:
        falls = [
            (n, c)
            for n in a.depths
            if (c := a.comparison(arm_variant("AnB", n), "baseB")) and c.effect == "lower"
        ]
        if falls:
            n0, c0 = falls[0]
            worst_n, worst = min(falls, key=lambda nc: nc[1].diff.mean)
            line = f"AnB falls below baseB from n={n0} on ({_pts(c0.diff)} at n={n0}"
            line += f", {_pts(worst.diff)} at n={worst_n})" if worst_n != n0 else ")"
            bnb = a.comparison(arm_variant("BnB", worst_n), "baseB")
            if bnb is None:
                line += "."
            else:
                line += f"; BnB at n={worst_n} is {_pts(bnb.diff)} against baseB, so " + (
                    "part of the drop is fragile co-adaptation of the cut layers."
                    if bnb.effect == "lower"
                    else "the drop is the features' specificity to task A."
                )
            lines.append(line)
        else:
            lines.append(
                "AnB never falls clearly below baseB: task A's frozen features serve task B."
            )
    deepest = [r for r in a.epochs if r.variant.startswith("AnB+")]
    if deepest:
        row = deepest[-1]  # the most stages copied
        if row.reached:
            lo_hi = math.isfinite(row.ratio.lo)
            ci = f" [{row.ratio.lo:.2f}, {row.ratio.hi:.2f}]" if lo_hi else ""
            lines.append(
                f"{row.variant} reaches baseB's final validation accuracy in "
                f"{row.ratio.mean:.2f}×{ci} the epochs baseB needs "
                f"({row.reached} of {row.seeds} seeds reach it)."
            )
        else:
            lines.append(
                f"{row.variant} does not reach baseB's final validation accuracy within its "
                f"epochs in any of {row.seeds} seeds."
            )
    return lines
