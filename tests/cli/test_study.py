"""`trainlab study`: progress lines without a terminal, --fresh, --allow-mixed, plural forms."""

from __future__ import annotations

import io
import re

import pytest

from trainlab.cli import study as study_cli
from trainlab.workflows.study.store import StudyStore

GOOD = """name: tiny
base: wine-mlp
base_set: {train.epochs: 2}
seeds: [0, 1]
probes: false
variants:
  baseline: {}
  l2: {regularization.l2: 0.01}
"""

LINE = re.compile(
    r"study tiny: (\d)/4 done  (baseline|l2) seed [01]  test_acc \d\.\d{4}  \d+\.\d s  "
    r"elapsed \d+ s(, about \d+ s left)?"
)


@pytest.fixture
def study(tmp_path):
    """``study(*args, text=GOOD)``: the arguments of ``trainlab study`` on a study file."""

    def args(*extra: str, text: str = GOOD) -> list[str]:
        path = tmp_path / "s.yaml"
        path.write_text(text)
        return ["study", str(path), "--out-dir", str(tmp_path / "out"), *extra]

    return args


def _ended(tmp_path):
    with StudyStore(tmp_path / "out" / "tiny") as store:
        return {(t.variant, t.seed): t.ended for t in store.trials()}


def test_a_line_per_trial_without_a_terminal_and_none_when_quiet(cli, study, tmp_path):
    code, out, err = cli(*study())
    assert code == 0, err
    assert out.startswith("trainlab: study tiny: 2 variants × 2 seeds = 4 trials, 1 worker\n")
    lines = [ln for ln in err.splitlines() if ln.startswith("study tiny:")]
    assert [LINE.fullmatch(ln) is not None for ln in lines] == [True] * 4, lines
    assert [int(LINE.fullmatch(ln)[1]) for ln in lines] == [1, 2, 3, 4]
    assert "left" not in lines[-1]  # nothing left to estimate
    assert "\r" not in err  # no progress bar in a log
    code, _, err = cli(*study("--fresh", "--yes", "-q"))
    assert code == 0 and "study tiny:" not in err


def test_plural_forms(cli, study, tmp_path):
    one = GOOD.replace("seeds: [0, 1]", "seeds: [0]").replace(
        "  l2: {regularization.l2: 0.01}\n", ""
    )
    code, out, err = cli(*study("-q", text=one))
    assert code == 0, err
    assert "1 variant × 1 seed = 1 trial, 1 worker" in out
    assert study_cli.count(1, "seed") == "1 seed" and study_cli.count(0, "seed") == "0 seeds"
    code, out, _ = cli("studies")
    assert code == 0
    for line in out.splitlines():
        assert re.match(r"\S+ +(1 variant|\d+ variants) × (1 seed|\d+ seeds) ", line), line
        assert not re.search(r"\b1 (variants|seeds)\b", line) and "0 variant " not in line


def test_fresh_without_a_terminal_needs_yes(cli, study, tmp_path, one_line_error):
    assert cli(*study("-q"))[0] == 0
    before = _ended(tmp_path)
    code, _, err = cli(*study("--fresh", "-q"))
    one_line_error(code, err, "--fresh would discard 4 stored trials", "--yes")
    assert "(4 done, 0 failed, 0 diverged) of study tiny in " in err
    assert _ended(tmp_path) == before  # nothing discarded
    code, out, err = cli(*study("--fresh", "--yes", "-q"))
    assert code == 0, err
    folder = tmp_path / "out" / "tiny"
    assert (
        f"discarding 4 stored trials (4 done, 0 failed, 0 diverged) of study tiny in {folder}"
        in out
    )
    after = _ended(tmp_path)
    assert all(after[k] > before[k] for k in before)  # every trial ran again


@pytest.mark.parametrize(("answer", "code"), [("n\n", 1), ("y\n", 0)])
def test_fresh_on_a_terminal_asks_first(cli, study, tmp_path, monkeypatch, answer, code):
    assert cli(*study("-q"))[0] == 0
    before = _ended(tmp_path)
    monkeypatch.setattr(study_cli, "_interactive", lambda: True)
    monkeypatch.setattr("sys.stdin", io.StringIO(answer))
    got, out, err = cli(*study("--fresh", "-q"))
    assert got == code, err
    assert "discarding 4 stored trials" in out and "discard them?" in out
    if code:
        assert "nothing discarded" in err and _ended(tmp_path) == before
    else:
        assert all(_ended(tmp_path)[k] > before[k] for k in before)


def test_fresh_on_a_new_study_asks_nothing(cli, study, tmp_path):
    code, out, err = cli(*study("--fresh", "-q"))
    assert code == 0, err
    assert "discarding" not in out


def test_a_changed_definition_names_fresh(cli, study, tmp_path, one_line_error):
    assert cli(*study("-q"))[0] == 0
    changed = GOOD.replace("regularization.l2: 0.01", "regularization.l2: 0.02")
    code, _, err = cli(*study("-q", text=changed))
    one_line_error(code, err, "study definition changed", "new study folder", "--fresh")
    code, _, err = cli(*study("-q", "--fresh", "--yes", text=changed))
    assert code == 0, err


def test_other_threads_are_refused_unless_allowed(cli, study, tmp_path, one_line_error):
    assert cli(*study("-q"))[0] == 0
    before = _ended(tmp_path)
    two = GOOD + "threads: 2\n"
    code, _, err = cli(*study("-q", text=two))
    one_line_error(code, err, "threads 1", "threads 2", "--fresh", "--allow-mixed")
    code, _, err = cli(*study("-q", "--allow-mixed", text=two))
    assert code == 0, err
    assert _ended(tmp_path) == before  # kept as they were


def test_adaptive_adds_seeds_look_by_look_and_keeps_its_plan(cli, study, tmp_path, one_line_error):
    code, out, err = cli(*study("--adaptive", "--max-seeds", "3", "-q"))
    assert code == 0, err
    looks = [ln for ln in out.splitlines() if ln.startswith("look ")]
    assert looks[0].startswith("look 1: 2 seeds, level ")
    with StudyStore(tmp_path / "out" / "tiny") as store:
        seeds = sorted({t.seed for t in store.trials()})
        plan = store.get_meta("adaptive")
    assert plan["max_seeds"] == 3 and plan["spending"] == "obrien-fleming"
    assert seeds == ([0, 1, 2] if len(looks) == 2 else [0, 1])
    # the same command again trains nothing and takes the same looks
    ended = _ended(tmp_path)
    code, again, _ = cli(*study("-q"))
    assert code == 0 and _ended(tmp_path) == ended
    assert [ln for ln in again.splitlines() if ln.startswith("look ")] == looks
    code, _, err = cli(*study("--adaptive", "--max-seeds", "5", "-q"))
    one_line_error(code, err, "max_seeds 3", "--fresh")


def test_seeds_for_reads_the_stored_results_and_trains_nothing(cli, study, tmp_path):
    code, _, err = cli(*study("--seeds-for", "0.5"))
    assert code == 2 and "run it first" in err
    assert cli(*study("-q"))[0] == 0
    ended = _ended(tmp_path)
    code, out, err = cli(*study("--seeds-for", "0.5"))
    assert code == 0, err
    assert out.splitlines()[0].split()[-4:] == ["seeds", "for", "0.5", "pt"]
    assert out.splitlines()[1].split()[:3] == ["l2", "baseline", "2"]
    assert "80% power" in out and _ended(tmp_path) == ended
