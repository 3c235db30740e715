"""Findings from layer-probe records: the first record's layers, by key phrase."""

from __future__ import annotations

import math

import pytest

from trainlab.engine.diagnose import probe_summary


def layer(name: str, **values: float) -> dict:
    base = {"act_mean": 0.0, "act_std": 1.0, "dead": 0.0, "saturated": 0.0, "grad_norm": 1.0}
    return {"name": name, **base, "weight_std": 0.1, **values}


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ({}, {}, []),
        ({}, {"act_std": 0.05}, ["activations vanish with depth"]),
        ({}, {"act_std": 20.0}, ["activations explode with depth"]),
        ({"saturated": 0.7}, {}, ["units saturate"]),
        ({}, {"dead": 0.9}, ["dead units"]),
        ({"grad_norm": 0.005}, {}, ["gradients vanish toward the input"]),
        ({"grad_norm": 500.0}, {}, ["gradients explode toward the input"]),
    ],
)
def test_summary_findings_from_epoch_zero(first, last, expected):
    start = [layer("stage1.1", **first), layer("stage2.1"), layer("stage3.1", **last)]
    start.append(layer("head", act_std=1e6, grad_norm=1e-9))  # the head is not a hidden layer
    later = [layer(s["name"]) for s in start]
    findings = probe_summary([{"epoch": 0, "layers": start}, {"epoch": 5, "layers": later}])[
        "findings"
    ]
    assert [f.split(":")[0] for f in findings] == expected
    # findings come from epoch 0 only
    assert (
        probe_summary([{"epoch": 0, "layers": later}, {"epoch": 5, "layers": start}])["findings"]
        == []
    )


def test_summary_of_records_with_nan_and_missing_gradients():
    records = [{"epoch": 0, "layers": [layer("a", grad_norm=None), layer("b", act_std=math.nan)]}]
    assert probe_summary(records)["findings"] == []
