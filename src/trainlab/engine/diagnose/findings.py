"""Findings from layer probes: vanishing or exploding signals, saturated or dead units.

Reads the first :class:`~trainlab.engine.diagnose.probes.ActivationProbe`
record (at initialization) the way Glorot & Bengio (2010) read their
per-layer histograms: a good initialization keeps the activation and
gradient scales roughly constant across layers; the lecture's N(0, 0.01)
makes the activations vanish with depth and N(0, 1) saturates tanh units.
The sentences are in :mod:`trainlab.engine.diagnose.messages`.

Example:
    >>> from trainlab.engine.diagnose.findings import probe_summary
    >>> probe_summary([])
    {'epochs': [], 'layers': [], 'findings': []}
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from trainlab.engine.diagnose.messages import Lang, Said, said

#: per-layer statistics kept by :func:`probe_summary`
SUMMARY_KEYS = ("act_std", "dead", "saturated", "grad_norm")

# thresholds of the findings of probe_summary
VANISH_RATIO = 0.1
EXPLODE_RATIO = 10.0
SATURATED_FRACTION = 0.5
DEAD_FRACTION = 0.5
GRAD_VANISH_RATIO = 0.01
GRAD_EXPLODE_RATIO = 100.0


def _finite(v: Any) -> bool:
    return isinstance(v, (int, float)) and math.isfinite(v)


def is_head(name: str) -> bool:
    """Whether a probed layer is the output layer: ``head``, or a task's ``head.<task>``.

    Example:
        >>> is_head("head"), is_head("head.digit"), is_head("stage1.1")
        (True, True, False)
    """
    return name == "head" or name.startswith("head.")


def layer_findings(layers: Sequence[Mapping[str, Any]], lang: Lang = "en") -> list[str]:
    """The findings about one record's layers, in ``lang`` (see :func:`probe_summary`).

    Example:
        >>> layer = {"name": "stage1.1", "act_std": 0.5, "dead": 0.0, "saturated": 0.9,
        ...          "grad_norm": 0.1}
        >>> layer_findings([layer], "es")[0][:19]
        'unidades saturadas:'
    """
    hidden = [s for s in layers if not is_head(s["name"])]
    found = [_depth_finding(hidden), *_fraction_findings(hidden), _gradient_finding(hidden)]
    return [f.render(lang) for f in found if f is not None]


def _depth_finding(hidden: list) -> Said | None:
    """Activations that vanish or explode from the first hidden layer to the last."""
    if len(hidden) < 2:
        return None
    first, last = hidden[0], hidden[-1]
    a, b = first["act_std"], last["act_std"]
    if not (_finite(a) and _finite(b) and a > 0):
        return None
    ratio = b / a
    detail = said(
        "probe.detail.activations", last=last["name"], b=b, ratio=ratio, first=first["name"], a=a
    )
    if ratio < VANISH_RATIO:
        return said("probe.activations_vanish", detail=detail)
    if ratio > EXPLODE_RATIO:
        return said("probe.activations_explode", detail=detail)
    return None


def _fraction_findings(hidden: list) -> list[Said]:
    """Hidden layers where most activations saturate, or most units are dead."""
    out = []
    for key, limit, message in (
        ("saturated", SATURATED_FRACTION, "probe.units_saturate"),
        ("dead", DEAD_FRACTION, "probe.dead_units"),
    ):
        over = [s for s in hidden if _finite(s[key]) and s[key] > limit]
        if over:
            worst = max(over, key=lambda s: s[key])
            out.append(
                said(
                    message,
                    fraction=limit,
                    count=len(over),
                    hidden=len(hidden),
                    worst=worst["name"],
                    value=worst[key],
                )
            )
    return out


def _gradient_finding(hidden: list) -> Said | None:
    """Weight gradients that vanish or explode from the last hidden layer to the first."""
    graded = [s for s in hidden if _finite(s["grad_norm"])]
    if len(graded) < 2:
        return None
    first, last = graded[0], graded[-1]
    g0, g1 = first["grad_norm"], last["grad_norm"]
    detail = said(
        "probe.detail.gradients",
        first=first["name"],
        g0=g0,
        ratio=g0 / g1 if g1 > 0 else math.inf,
        last=last["name"],
        g1=g1,
    )
    if g1 > 0 and g0 < GRAD_VANISH_RATIO * g1:
        return said("probe.gradients_vanish", detail=detail)
    if g0 > GRAD_EXPLODE_RATIO * g1:
        return said("probe.gradients_explode", detail=detail)
    return None


def probe_summary(records: Sequence[dict]) -> dict:
    """A compact description of :class:`ActivationProbe` records for reports.

    Findings are computed from the first record (epoch 0, at initialization),
    each a sentence that starts with its key phrase:

    - ``"activations vanish with depth"``: the ``act_std`` of the last hidden
      layer is below 10% of the first's (small weights, the lecture's N(0, 0.01));
    - ``"activations explode with depth"``: above 10× the first's;
    - ``"units saturate"``: more than 50% of a hidden layer's activations are
      saturated (large weights and tanh or sigmoid, the lecture's N(0, 1));
    - ``"dead units"``: more than 50% of a hidden layer's units never activate;
    - ``"gradients vanish toward the input"``: the first layer's ``grad_norm``
      is below 1% of the last hidden layer's;
    - ``"gradients explode toward the input"``: above 100× the last hidden
      layer's (large weights: with N(0, 1) in a tanh network the
      back-propagated gradient grows toward the input although most units
      are saturated).

    Args:
        records: ``ActivationProbe.records`` (``{"epoch", "layers"}`` dicts).

    Returns:
        ``{"epochs": [first, last], "layers": [...], "findings": [...]}``; each
        layer is ``{"name", "start": {...}, "end": {...}}`` with ``act_std``,
        ``dead``, ``saturated`` and ``grad_norm`` at the first and last epochs.

    Example:
        >>> from trainlab.engine.diagnose.findings import probe_summary
        >>> layer = {"name": "stage1.1", "act_std": 0.5, "dead": 0.0, "saturated": 0.9,
        ...          "grad_norm": 0.1, "act_mean": 0.0, "weight_std": 1.0}
        >>> probe_summary([{"epoch": 0, "layers": [layer]}])["findings"][0][:14]
        'units saturate'
    """
    if not records:
        return {"epochs": [], "layers": [], "findings": []}
    first, last = records[0], records[-1]
    end_by_name = {s["name"]: s for s in last["layers"]}
    layers = []
    for s in first["layers"]:
        e = end_by_name.get(s["name"], {})
        layers.append(
            {
                "name": s["name"],
                "start": {k: s.get(k) for k in SUMMARY_KEYS},
                "end": {k: e.get(k) for k in SUMMARY_KEYS},
            }
        )
    return {
        "epochs": [int(first["epoch"]), int(last["epoch"])],
        "layers": layers,
        "findings": layer_findings(first["layers"]),
    }
