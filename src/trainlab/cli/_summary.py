"""The end-of-run summary and the evaluation line, in the task's own metrics.

A classification says accuracies (as it always did); a regression RMSE, MAE
and R² in the target's units; multitask learning each target's metrics
(``weight RMSE``, ``digit accuracy``). The training split's number is the
final weights' in evaluation mode; the running one is the history's, measured
during the last epoch; the gap is the training split's advantage in the
task's main metric (training − test accuracy, test − training RMSE).

Example:
    >>> metric_label("acc"), metric_label("weight_rmse"), metric_label("r2")
    ('accuracy', 'weight RMSE', 'R²')
    >>> evaluation_line({"dataset": "diabetes", "split": "all", "n": 442, "loss": 0.5,
    ...                  "rmse": 55.0, "mae": 44.0, "r2": 0.41})
    'diabetes [all] n=442  RMSE 55.0000  MAE 44.0000  R² 0.4100  loss 0.5000'
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from trainlab.workflows.run import RunResult

#: the summary's labels are this wide
LABEL = 24
#: the summary's lines are wrapped to this width
WIDTH = 100
#: how each metric is called in a sentence
WORDS = {"acc": "accuracy", "rmse": "RMSE", "mae": "MAE", "r2": "R²", "loss": "loss"}
#: the splits as the summary names them
SPLIT_WORDS = {"test": "test", "val": "validation", "train": "training"}


def metric_label(name: str) -> str:
    """``acc`` → ``accuracy``; a target's metric ``weight_rmse`` → ``weight RMSE``."""
    target, _, kind = name.rpartition("_")
    word = WORDS.get(kind, kind)
    return f"{target} {word}" if target else word


def echo_row(label: str, value: str, note: str = "") -> None:
    """One summary line: the label, the value and a note, wrapped under the value."""
    line = f"  {label:<{LABEL}}{value}" + (f"  {note}" if note else "")
    indent = " " * (LABEL + 2)
    wrapped = textwrap.fill(
        line, WIDTH, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )
    click.echo(wrapped)


def _scores(metrics: dict[str, Any], split: str) -> list[str]:
    """The metrics a split is scored by (every one but the losses), as ``metrics.json`` has them."""
    prefix = f"{split}_"
    names = [k[len(prefix) :] for k in metrics if k.startswith(prefix)]
    return [n for n in names if n != "loss" and not n.endswith("_loss")]


def running_value(rows: list[dict[str, Any]], primary: str) -> tuple[float, int] | None:
    """Member 0's running training value of ``primary`` in its last epoch, and that epoch."""
    key = f"train_{primary}"
    mine = [r for r in rows if r.get("member", 0) == 0 and r.get(key) is not None]
    return (float(mine[-1][key]), int(mine[-1]["epoch"])) if mine else None


def _gap_note(primary: str, ref: str) -> str:
    from trainlab.engine.tasks import higher_is_better

    label = metric_label(primary)
    if higher_is_better(primary):
        return f"training − {ref} {label}, final weights"
    return f"{ref} − training {label}, final weights"


def _advantage(metrics: dict[str, Any], primary: str, ref: str) -> float:
    from trainlab.engine.tasks import higher_is_better

    train, other = metrics[f"train_{primary}"], metrics[f"{ref}_{primary}"]
    return train - other if higher_is_better(primary) else other - train


def print_scores(metrics: dict[str, Any], rows: list[dict[str, Any]], primary: str) -> None:
    """The final weights' scores on each split, the running one and the gaps."""
    for name in _scores(metrics, "test"):
        echo_row(f"test {metric_label(name)}", f"{metrics[f'test_{name}']:.4f}")
    for split in ("val", "train"):
        value = metrics.get(f"{split}_{primary}")
        if value is not None:
            note = "final weights, evaluation mode" if split == "train" else ""
            echo_row(f"{SPLIT_WORDS[split]} {metric_label(primary)}", f"{value:.4f}", note)
    running = running_value(rows, primary)
    label = f"running train {metric_label(primary)}"
    if running is not None and len(label) < LABEL:
        value, epoch = running
        note = f"during epoch {epoch}, in training mode (dropout on, weights moving)"
        echo_row(label, f"{value:.4f}", note)
    ref = "test" if metrics.get(f"test_{primary}") is not None else "validation"
    if metrics.get("gap") is not None:
        echo_row("generalization gap", f"{metrics['gap']:.4f}", _gap_note(primary, ref))
    both = all(metrics.get(f"{s}_{primary}") is not None for s in ("train", "val"))
    if ref == "test" and metrics.get("gap") is not None and both:
        gap = _advantage(metrics, primary, "val")  # the gap the diagnosis judges overfitting by
        echo_row("validation gap", f"{gap:.4f}", _gap_note(primary, "validation"))


def print_summary(result: RunResult, primary: str, model: str | None = None) -> None:
    """The end-of-run summary: the final weights' scores, the running one, the verdict, its
    sentence and any budget warning (the words of the run's report).

    Args:
        result: the finished run.
        primary: the task's main metric (``acc``, ``rmse``, ``digit_acc``).
        model: the model ``model.name: auto`` picked, to say so (None: the recipe named it).
    """
    m = result.metrics
    if model is not None:
        echo_row("model", model, f"picked for {result.data.modality} data (model.name: auto)")
    print_scores(m, result.history.rows, primary)
    echo_row("epochs", str(m.get("epochs_run")))
    echo_row("training time", f"{m.get('seconds', 0.0):.1f} s")
    echo_row("verdict", str(m.get("verdict")))
    d = result.diagnosis
    if d is not None:
        echo_row("diagnosis", d.message)
        for warning in d.warnings:
            echo_row("warning", warning)
    if result.transfer:
        from trainlab.workflows.transfer_setup import describe_transfer

        echo_row("transfer", describe_transfer(result.transfer))
    echo_row("run folder", str(result.folder))
    echo_row("report", str(result.folder / "report.html"))


def print_meta_summary(result: RunResult) -> None:
    """The end of a meta-learning run: the few-shot accuracy with its interval, the plain
    reference on the same episodes, the class splits and the files."""
    m = result.metrics
    task = f"{m['n_way']}-way {m['k_shot']}-shot, {m['test_episodes']} test episodes"
    echo_row("method", str(m["method"]), task)
    echo_row("test accuracy", f"{m['test_acc']:.4f} ± {m['test_acc_ci95']:.4f}", "95% interval")
    echo_row(
        "input prototypes",
        f"{m['input_acc']:.4f} ± {m['input_acc_ci95']:.4f}",
        "nearest prototype of the preprocessed inputs (pixels, waveforms, word counts), "
        "same episodes",
    )
    if m.get("val_acc") is not None:
        echo_row("validation accuracy", f"{m['val_acc']:.4f}", ", ".join(m["val_classes"]))
    echo_row("training classes", ", ".join(m["train_classes"]))
    echo_row("test classes", ", ".join(m["test_classes"]))
    echo_row("training time", f"{m.get('seconds', 0.0):.1f} s")
    echo_row("run folder", str(result.folder))
    echo_row("figure", str(result.folder / "curves.png"))


def evaluation_line(metrics: dict[str, Any]) -> str:
    """``trainlab evaluate``'s line: data, split, examples, then the task's metrics, loss last.

    A classification reads as it always did: ``accuracy 0.9722  loss 0.0912``.
    """
    where = metrics["file"] if "file" in metrics else metrics["dataset"]
    head = f"{where} [{metrics['split']}] n={metrics['n']}"
    skip = {"dataset", "split", "n", "file"}
    names = [k for k in metrics if k not in skip and k != "loss" and not k.endswith("_loss")]
    names += [k for k in metrics if k not in skip and (k == "loss" or k.endswith("_loss"))]
    return "  ".join([head, *(f"{metric_label(k)} {metrics[k]:.4f}" for k in names)])
