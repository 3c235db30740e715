"""A study's progress without a terminal: one line per finished trial, durations in words."""

from __future__ import annotations

import io

import pytest

from trainlab.workflows.study.progress import TrialLines, human_duration, resolve_mode


@pytest.mark.parametrize(
    ("seconds", "kw", "said"),
    [
        (12.34, {"precise": True}, "12.3 s"),
        (0.04, {"precise": True}, "0.0 s"),
        (59.97, {"precise": True}, "1 min"),
        (45.4, {}, "45 s"),
        (90, {}, "1 min 30 s"),
        (120, {}, "2 min"),
        (3600, {}, "1 h"),
        (3900, {}, "1 h 5 min"),
        (282.9, {"about": True}, "5 min"),
        (30, {"about": True}, "30 s"),
        (7260, {"about": True}, "2 h 1 min"),
    ],
)
def test_human_duration(seconds, kw, said):
    assert human_duration(seconds, **kw) == said


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _lines(total=30, finished=6, workers=1):
    stream, clock = io.StringIO(), Clock()
    lines = TrialLines("lecture", total, finished, workers, "test_acc", stream, clock)
    return lines, stream, clock


def test_a_line_per_finished_trial_with_elapsed_and_left():
    lines, stream, clock = _lines()
    clock.now += 90
    lines.update("dropout", 1, {"metrics": {"test_acc": 0.94641, "seconds": 12.3}, "error": None})
    assert stream.getvalue() == (
        "study lecture: 7/30 done  dropout seed 1  test_acc 0.9464  12.3 s  "
        "elapsed 1 min 30 s, about 5 min left\n"  # 12.3 s × 23 left / 1 worker
    )


def test_the_estimate_is_the_mean_trial_time_over_the_workers():
    lines, stream, clock = _lines(total=10, finished=0, workers=2)
    for seconds in (10.0, 30.0):
        clock.now += 20
        lines.update("a", 0, {"metrics": {"test_acc": 1.0, "seconds": seconds}, "error": None})
    last = stream.getvalue().splitlines()[-1]
    # 2/10 done, mean 20 s, 8 left, 2 workers: 80 s
    assert last.startswith("study lecture: 2/10 done") and last.endswith(
        "elapsed 40 s, about 1 min left"
    )


def test_diverged_failed_and_last_lines():
    lines, stream, _ = _lines(total=3, finished=0)
    diverged = {"diverged": {"epoch": 3}, "metrics": {"diverged_epoch": 3, "seconds": 0.5}}
    lines.update("hot", 0, {**diverged, "error": None, "history": []})
    lines.update("broken", 0, {"error": "CheckpointError: no such file"})
    lines.update("fine", 0, {"metrics": {"test_acc": 0.5, "seconds": 1.0}, "error": None})
    first, second, third = stream.getvalue().splitlines()
    assert first == (
        "study lecture: 1/3 done  hot seed 0  diverged at epoch 3  0.5 s  elapsed 0 s, "
        "about 1 s left"
    )
    assert second == "study lecture: 2/3 done  broken seed 0  failed  elapsed 0 s, about 1 s left"
    assert third == "study lecture: 3/3 done  fine seed 0  test_acc 0.5000  1.0 s  elapsed 0 s"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_bar_on_a_terminal_lines_elsewhere_nothing_when_quiet():
    assert resolve_mode(True, Terminal()) == "bar"
    assert resolve_mode(True, io.StringIO()) == "lines"
    assert resolve_mode("lines", Terminal()) == "lines"
    assert resolve_mode(False, Terminal()) == "off"
    with pytest.raises(ValueError, match="progress"):
        resolve_mode("loud")
