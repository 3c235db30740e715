import csv
import html
import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from htmlcheck import parse
from trainlab.workflows.study.runner import run_study
from trainlab.workflows.study.spec import StudySpec
from trainlab.workflows.study.store import StudyStore


def _spec(name="s", **kw):
    data = {
        "name": name,
        "base": "wine-mlp",
        "seeds": [0, 1, 2],
        "probes": True,
        "base_set": {"train.epochs": 4},
        "variants": {
            "baseline": {},
            "l2": {"regularization.l2": 0.05},
            "dropout": {"model.dropout": 0.5},
        },
    }
    data.update(kw)
    return StudySpec.from_dict(data)


def test_study_runs_stores_and_reports(tmp_path):
    result = run_study(_spec(), out_dir=tmp_path, progress=False, echo=None)
    folder = tmp_path / "s"
    assert result.counts["done"] == 9 and result.counts["failed"] == 0
    for name in ("study.sqlite", "report.html", "report.md", "results.csv", "summary.json"):
        assert (folder / name).exists(), name
    summary = json.loads((folder / "summary.json").read_text())
    assert [v["variant"] for v in summary["variants"]] == ["baseline", "l2", "dropout"]
    with StudyStore(folder) as store:
        t = store.trials()[0]
        assert t.history and t.metrics["test_acc"] >= 0 and t.probes["records"][0]["epoch"] == 0
    assert "baseline" in result.table and "dropout" in result.table


def _markdown_text(md: str) -> str:
    """What a Markdown page says: its escapes, entities and bold marks undone."""
    text = re.sub(r"\\([\\`*_\[\]|~#+\-=.)])", r"\1", md.replace("**", ""))
    return html.unescape(text)


def _html_blocks(page: str, pattern: str) -> list[str]:
    return [" ".join(parse(m).text.split()) for m in re.findall(pattern, page, re.S)]


def test_report_of_a_real_study_shows_its_wall_time_variants_and_verdicts(tmp_path):
    spec = _spec(
        seeds=[0, 1],
        probes=False,
        base_set={"train.epochs": 2},
        variants={"baseline": {}, "l2": {"regularization.l2": 0.05}},
    )
    result = run_study(spec, out_dir=tmp_path, progress=False, echo=None)
    page = (tmp_path / "s" / "report.html").read_text(encoding="utf-8")
    md = (tmp_path / "s" / "report.md").read_text(encoding="utf-8")
    text, said = " ".join(parse(page).text.split()), _markdown_text(md)
    with StudyStore(tmp_path / "s") as store:
        last = store.get_meta("last_run")
        trials = store.trials()
    verdicts = {
        v: {t.diagnosis["verdict"] for t in trials if t.variant == v} for v in ("baseline", "l2")
    }
    assert last["trials"] == 4 and last["wall_seconds"] > 0
    # the wall time the runner stored under last_run is on the page: a card and the trials line
    cards = _html_blocks(page, r'<div class="card[^"]*">(.*?)</div>\s*</div>')
    wall = next(c for c in cards if c.startswith("Wall time"))
    assert re.fullmatch(r"Wall time [\d.]+ s 1 worker · inline", wall), wall
    seconds = wall.split()[2]
    assert f"4 of 4 trials finished; wall time {seconds} s." in text
    assert f"- Wall time: {seconds} s — 1 worker · inline" in said
    # every variant and its verdict, the same words in both pages
    badges = _html_blocks(page, r'<li class="effect-[^"]*"><span class="badge[^"]*">(.*?)</span>')
    effects = _html_blocks(page, r'<li class="effect-[^"]*"><span[^>]*>.*?</span>(.*?)</li>')
    assert badges == [result.summaries[1].effect] == ["no clear effect"]
    assert len(effects) == 1 and effects[0].startswith("l2 changed test accuracy by ")
    assert "against baseline" in effects[0] and "no clear effect with 2 seeds" in effects[0]
    assert f"- {effects[0]}" in said.splitlines()
    for name in ("baseline", "l2"):
        assert re.search(rf"^\| \d \| {name} \|", said, re.M), name  # a row of the table
        assert re.search(rf"<td class=\"name\">{name}\b", page), name
        # the learning-curve verdict of each variant (its seeds' most common), in both pages
        shown = re.search(rf"^### {name}: (.+)$", said, re.M)[1]
        assert shown in verdicts[name] and f"{name}: {shown}" in text
    # the headline and every card read the same in HTML and Markdown
    lead = " ".join(parse(re.search(r'<p class="lead">(.*?)</p>', page, re.S)[1]).text.split())
    assert lead.startswith("2 variants of the recipe wine-mlp on wine, 2 seeds each (0, 1)")
    assert lead in said
    for card in re.findall(r'<div class="card[^"]*">(.*?)</div>\s*</div>', page, re.S):
        part = dict(
            re.findall(r'<div class="(label|value|name|note)">(.*?)</div>', card + "</div>")
        )
        line = f"- {html.unescape(part['label'])}: {html.unescape(part['value'])}"
        line += f" ({html.unescape(part['name'])})" if "name" in part else ""
        line += f" — {html.unescape(part['note'])}" if "note" in part else ""
        assert line in said.splitlines(), line


#: whether the report knows diverged trials yet (its page is part of a whole study's run)
REPORT_KNOWS_DIVERGED = (
    "diverged" in __import__("trainlab.report.study_results", fromlist=["STATUSES"]).STATUSES
)


@pytest.mark.skipif(
    not REPORT_KNOWS_DIVERGED, reason="the study report does not show diverged trials yet"
)
def test_diverged_and_failing_trials_are_recorded_and_others_go_on(tmp_path):
    spec = _spec(
        probes=False,
        variants={
            "baseline": {},
            "diverges": {"optimizer.name": "sgd", "optimizer.lr": 1e12},
            "broken": {"transfer.checkpoint": str(tmp_path / "no-such-model.safetensors")},
        },
    )
    result = run_study(spec, out_dir=tmp_path, progress=False, echo=None)
    assert (result.counts["done"], result.counts["diverged"], result.counts["failed"]) == (3, 3, 3)
    with StudyStore(tmp_path / "s") as store:
        failed, diverged = store.trials("failed"), store.trials("diverged")
    # a bad input is an error; a loss that became NaN is a result, where it happened
    assert all("no-such-model" in t.error for t in failed)
    assert all(t.error is None and t.metrics["diverged_epoch"] == 1 for t in diverged)
    assert all(t.metrics["diverged_value"] == "nan" for t in diverged)
    with (tmp_path / "s" / "results.csv").open() as f:
        rows = [r for r in csv.DictReader(f) if r["variant"] == "diverges"]
    assert [(r["status"], r["diverged_epoch"]) for r in rows] == [("diverged", "1")] * 3
    html = (tmp_path / "s" / "report.html").read_text()
    assert "no-such-model" in html


def test_rerun_keeps_finished_trials(tmp_path):
    run_study(_spec(), out_dir=tmp_path, progress=False, echo=None)
    with StudyStore(tmp_path / "s") as store:
        before = {(t.variant, t.seed): (t.ended, t.metrics) for t in store.trials()}
    again = run_study(_spec(), out_dir=tmp_path, progress=False, echo=None)
    with StudyStore(tmp_path / "s") as store:
        after = {(t.variant, t.seed): (t.ended, t.metrics) for t in store.trials()}
    assert before == after  # nothing ran again
    assert again.counts["done"] == 9


def _study_cli(folder, *extra, epochs=40):
    """``trainlab study`` of six wine trials (``epochs`` each) in ``folder``, as a process."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    folder.parent.mkdir(parents=True, exist_ok=True)
    spec = folder.parent / "spec.yaml"
    spec.write_text(
        json.dumps(
            {
                "name": "k",
                "base": "wine-mlp",
                "seeds": [0, 1, 2],
                "probes": False,
                "base_set": {"train.epochs": epochs},
                "variants": {"baseline": {}, "l2": {"regularization.l2": 0.01}},
            }
        )
    )
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "trainlab.cli",
            "study",
            str(spec),
            "--out-dir",
            str(folder.parent),
            "-q",
            *extra,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_sigkill_then_rerun_equals_uninterrupted(tmp_path):
    folder = tmp_path / "k"
    reference = tmp_path / "ref" / "k"
    ref = _study_cli(reference)  # the uninterrupted study, alongside (its results wait below)
    proc = _study_cli(folder)
    db = folder / "study.sqlite"
    deadline = time.time() + 120
    done = 0
    while time.time() < deadline and proc.poll() is None:
        if db.exists():
            with StudyStore(folder) as store:
                done = store.counts()["done"]
            if done >= 2:
                break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert 2 <= done < 6, "the study was not interrupted in the middle"
    with StudyStore(folder) as store:
        kept = {(t.variant, t.seed): t.metrics for t in store.trials("done")}
    rerun = _study_cli(folder)
    _, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    with StudyStore(folder) as store:
        resumed = {(t.variant, t.seed): t.metrics for t in store.trials()}
    for key, metrics in kept.items():
        assert resumed[key] == metrics  # finished trials were kept as they were
    _, err = ref.communicate(timeout=300)
    assert ref.returncode == 0, err

    def results(path):
        variants = json.loads((path / "summary.json").read_text())["variants"]
        return [{k: v for k, v in row.items() if k != "seconds"} for row in variants]

    assert results(folder) == results(reference)


def test_second_process_on_the_same_study_is_refused(tmp_path):
    folder = tmp_path / "k"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; from pathlib import Path\n"
            "from trainlab.workflows.study.store import StudyStore\n"
            f"s = StudyStore(Path({str(folder)!r}))\n"
            "with s.lock():\n    print('locked', flush=True)\n    time.sleep(120)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        second = _study_cli(folder, epochs=1)  # refused before it trains: any budget
        _, err = second.communicate(timeout=120)
    finally:
        holder.kill()
        holder.communicate()
    assert second.returncode == 2, err
    lines = [ln for ln in err.strip().splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("trainlab: error: "), err
    assert "in use" in lines[0] and str(holder.pid) in lines[0]
    # once the holder is gone, the same command runs
    third = _study_cli(folder, epochs=1)
    _, err = third.communicate(timeout=300)
    assert third.returncode == 0, err


def test_save_models_keeps_the_named_variants_and_retrains_a_missing_one(tmp_path):
    from trainlab.io.model_file import load_model

    spec = _spec(seeds=[0], probes=False, save_models=["l2"])
    run_study(spec, out_dir=tmp_path, progress=False, echo=None)
    models = tmp_path / "s" / "models"
    assert sorted(p.name for p in models.iterdir()) == ["l2-seed0.safetensors"]
    _, meta = load_model(models / "l2-seed0.safetensors")
    assert meta["recipe"]["regularization"]["l2"] == 0.05
    with StudyStore(tmp_path / "s") as store:
        ended = {(t.variant, t.seed): t.ended for t in store.trials()}
    (models / "l2-seed0.safetensors").unlink()
    run_study(spec, out_dir=tmp_path, progress=False, echo=None)
    assert (models / "l2-seed0.safetensors").is_file()
    with StudyStore(tmp_path / "s") as store:
        again = {(t.variant, t.seed): t.ended for t in store.trials()}
    assert again[("l2", 0)] > ended[("l2", 0)]  # trained again
    assert again[("baseline", 0)] == ended[("baseline", 0)]  # kept
