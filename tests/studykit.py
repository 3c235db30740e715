"""Study folders made in milliseconds: trials written straight into a study store.

``make_study`` writes the definition (``StudySpec.to_dict``, as the runner stores
it) and one finished trial per (variant, seed) with the given metric value,
through the :class:`StudyStore` API, without training anything. ``holm`` is the
hand-computed oracle of Holm's step-down adjustment.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from trainlab.workflows.study.metric import resolve_metric
from trainlab.workflows.study.spec import StudySpec
from trainlab.workflows.study.store import StudyStore


def spec_dict(
    name: str = "demo",
    variants: Mapping[str, Any] | None = None,
    seeds: Sequence[int] = (0, 1, 2),
    **extra: Any,
) -> dict[str, Any]:
    """A valid study definition on wine-mlp, as the runner stores it."""
    data = {
        "name": name,
        "base": "wine-mlp",
        "seeds": list(seeds),
        "probes": False,
        "variants": dict(variants or {"baseline": {}, "dropout": {"model.dropout": 0.5}}),
        **extra,
    }
    return resolve_metric(StudySpec.from_dict(data)).to_dict()  # the runner stores it chosen


def make_study(
    folder: Path,
    values: Mapping[tuple[str, int], float | str],
    *,
    spec: Mapping[str, Any] | None = None,
    metric: str = "test_acc",
    last_run: Mapping[str, Any] | None = None,
    recipe_set: Mapping[str, Any] | None = None,
) -> Path:
    """A study folder whose trial (variant, seed) has ``values[(variant, seed)]``.

    A float is a finished trial with that metric value; ``"failed"`` a failed
    trial; ``"pending"`` a trial never run. ``recipe_set`` changes the stored
    trials' recipes but not the definition (a built-in recipe that changed).
    """
    data = dict(spec or spec_dict())
    loaded = StudySpec.from_dict(data)
    with StudyStore(folder) as store, store.lock():
        store.set_meta("spec", data)
        store.set_meta("lang", "en")
        if last_run is not None:
            store.set_meta("last_run", dict(last_run))
        changed = dict(recipe_set or {})
        recipes = [(v, s, loaded.recipe_for(v, s).override(changed).to_dict()) for v, s in values]
        store.add_trials(recipes)
        for (v, s), value in values.items():
            if value == "pending":
                continue
            store.mark_running(v, s)
            if value == "failed":
                store.record_failed(v, s, "RuntimeError: boom")
                continue
            store.record_done(
                v,
                s,
                metrics={metric: value, "seconds": 1.0},
                history=[],
                diagnosis=None,
                probes=None,
            )
    return folder


def with_settings(folder: Path, settings: Mapping[str, Any]) -> None:
    """Give every trial of a store ``settings``, as a schema-2 store keeps them (a version-1
    store gets the column and the version first)."""
    import json
    import sqlite3

    conn = sqlite3.connect(folder / "study.sqlite")
    with conn:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(trials)")}
        if "settings" not in columns:
            conn.execute("ALTER TABLE trials ADD COLUMN settings TEXT")
            conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
        conn.execute("UPDATE trials SET settings = ?", (json.dumps(dict(settings)),))
    conn.close()


def holm(p: Sequence[float]) -> np.ndarray:
    """Holm's step-down adjusted p-values by hand: NaN stays NaN and is not counted in m."""
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, math.nan)
    finite = np.flatnonzero(np.isfinite(p))
    m, running = finite.size, 0.0
    for k, i in enumerate(finite[np.argsort(p[finite], kind="stable")]):
        running = max(running, min(1.0, (m - k) * p[i]))
        out[i] = running
    return out


def _bonferroni(p: Sequence[float]) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    return np.minimum(1.0, p * np.isfinite(p).sum())
