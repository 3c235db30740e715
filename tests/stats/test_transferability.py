"""The study's reading of its numbers, on trials whose answer is known."""

from types import SimpleNamespace as T

import pytest

from trainlab.stats.transferability import analyze, epochs_to_reach, parse_variant


def _trials(values: dict[str, list[float]], histories: dict | None = None):
    out = []
    for variant, accs in values.items():
        for seed, acc in enumerate(accs):
            h = (histories or {}).get((variant, seed), [])
            out.append(
                T(variant=variant, seed=seed, status="done", metrics={"test_acc": acc}, history=h)
            )
    return out


def test_variant_names():
    assert parse_variant("AnB+2") == ("AnB+", 2)
    assert parse_variant("BnB13") == ("BnB", 13)
    assert parse_variant("baseB-2x") is None


def test_epochs_to_reach():
    h = [{"epoch": e, "val_acc": a} for e, a in ((1, 0.5), (2, 0.9), (3, 0.95))]
    assert epochs_to_reach(h, 0.9) == 2
    assert epochs_to_reach(h, 0.99) is None


def test_a_gain_that_is_only_extra_training_is_called_so():
    a = analyze(
        _trials(
            {
                "baseB": [0.90, 0.91, 0.90],
                "baseB-2x": [0.95, 0.96, 0.95],
                "BnB+1": [0.95, 0.955, 0.952],
                "AnB+1": [0.951, 0.958, 0.953],
            }
        )
    )
    assert a.comparison("AnB+1", "baseB").effect == "higher"
    assert (
        a.comparison("AnB+1", "BnB+1").effect != "higher"
        or a.comparison("AnB+1", "baseB-2x").effect != "higher"
    )
    text = " ".join(a.conclusions)
    assert "beats baseB" in text and "extra epochs alone" in text


def test_a_real_transfer_gain_beats_every_control():
    a = analyze(
        _trials(
            {
                "baseB": [0.90, 0.91, 0.90],
                "baseB-2x": [0.92, 0.93, 0.92],
                "BnB+1": [0.92, 0.925, 0.922],
                "AnB+1": [0.96, 0.965, 0.962],
            }
        )
    )
    assert "a transfer gain beyond the extra training" in " ".join(a.conclusions)
    d = a.comparison("AnB+1", "baseB").diff
    assert d.mean == pytest.approx(0.0590, abs=1e-4) and d.n == 3


def test_where_anb_falls_and_why():
    a = analyze(
        _trials(
            {
                "baseB": [0.90, 0.91, 0.90],
                "AnB1": [0.905, 0.905, 0.90],
                "AnB2": [0.85, 0.86, 0.85],
                "AnB3": [0.70, 0.72, 0.71],
                "BnB3": [0.90, 0.91, 0.905],
            }
        )
    )
    line = next(c for c in a.conclusions if c.startswith("AnB falls"))
    assert "from n=2 on" in line and "at n=3" in line and "specificity" in line
    assert a.points["AnB"][3].mean == pytest.approx(0.71)


def test_no_boost_is_said_plainly():
    a = analyze(_trials({"baseB": [0.90, 0.91, 0.90], "AnB+1": [0.89, 0.905, 0.90]}))
    assert any("does not beat baseB" in c for c in a.conclusions)


def test_epochs_ratio_against_baseb():
    def h(accs):
        return [{"epoch": i + 1, "val_acc": v} for i, v in enumerate(accs)]

    hist = {
        ("baseB", 0): h([0.5, 0.7, 0.8, 0.9]),
        ("baseB", 1): h([0.5, 0.7, 0.8, 0.9]),
        ("AnB+2", 0): h([0.85, 0.9, 0.95, 0.95]),  # 2 epochs of baseB's 4
        ("AnB+2", 1): h([0.91, 0.9, 0.95, 0.95]),  # 1 of 4
    }
    a = analyze(_trials({"baseB": [0.9, 0.9], "AnB+2": [0.95, 0.95]}, hist))
    (row,) = a.epochs
    assert row.ratio.mean == pytest.approx(0.375) and row.reached == 2
    assert any("0.38×" in c for c in a.conclusions)
